# Installs the build tree into a scratch prefix, builds the consumer project
# against it with find_package(Pixelfly) and checks what it prints.
#
# cmake -DBUILD_DIR=<build> -DSOURCE_DIR=<source> -DWORK_DIR=<scratch>
#       -DFILECHECK=<FileCheck> [-DLAUNCHER=<ccache>] -P RunConsumer.cmake

foreach(var BUILD_DIR SOURCE_DIR WORK_DIR FILECHECK)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "RunConsumer.cmake: ${var} is not set")
  endif()
endforeach()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "failed (${rc}): ${cmd}")
  endif()
endfunction()

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${prefix} ${WORK_DIR}/consumer-build)
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})

set(configure ${CMAKE_COMMAND} -G Ninja
  -S ${SOURCE_DIR}/test/Install/consumer -B ${WORK_DIR}/consumer-build
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${prefix}
  -DEXPECTED_PREFIX=${prefix})
if(LAUNCHER)
  list(APPEND configure -DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER})
endif()
run(${configure})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/consumer-build)

set(out ${WORK_DIR}/consumer.out)
run(${WORK_DIR}/consumer-build/consumer ${SOURCE_DIR}/examples/mlp_const.mlir
  "builtin.module(pixelfly-sparsify{budget=0.25}, func.func(canonicalize))"
  OUTPUT_FILE ${out})
run(${FILECHECK} ${SOURCE_DIR}/test/Install/consumer/consumer.check
  --input-file ${out})
message(STATUS "consumer: ok")
