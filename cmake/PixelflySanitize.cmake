# PIXELFLY_SANITIZE: build every target of the project with sanitizers
# (docs/Development.md, "Sanitizer build"; scripts/sanitize.sh uses it).
#
#   -DPIXELFLY_SANITIZE="address;undefined"
#
# Empty (the default): nothing changes. Otherwise the compile and link flags
# of every target defined after this file is included (tools, component
# libraries, libPixelfly.so, the plugin, the runtime, the unit tests, the GPU
# test programs) get -fsanitize=<list> -fno-omit-frame-pointer, and UBSan
# findings are fatal (-fno-sanitize-recover=all). The exported targets carry
# the link flag as an interface option (pixelfly_sanitize_interface), so that
# a consumer of the installed package links the sanitizer runtimes first.
#
# Sets:
#   PIXELFLY_SANITIZE_COMPILE_FLAGS  (list; empty when off)
#   PIXELFLY_SANITIZE_LINK_FLAGS     (list; empty when off)
#   PIXELFLY_ASAN_RUNTIME            libasan.so of the compiler (address
#                                    only): what an uninstrumented host
#                                    program (upstream mlir-opt, python)
#                                    must preload to load our libraries

set(PIXELFLY_SANITIZE "" CACHE STRING
  "Sanitizers for every target, e.g. address;undefined (empty: none)")

set(PIXELFLY_SANITIZE_COMPILE_FLAGS)
set(PIXELFLY_SANITIZE_LINK_FLAGS)
set(PIXELFLY_ASAN_RUNTIME "")

if(PIXELFLY_SANITIZE)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    message(FATAL_ERROR "PIXELFLY_SANITIZE needs GCC or Clang, not ${CMAKE_CXX_COMPILER_ID}")
  endif()
  # LeakSanitizer comes with address; thread and memory sanitizers would
  # need an instrumented libMLIR and libstdc++, which Debian does not ship.
  set(known address undefined leak)
  foreach(sanitizer IN LISTS PIXELFLY_SANITIZE)
    if(NOT sanitizer IN_LIST known)
      message(FATAL_ERROR "PIXELFLY_SANITIZE: unknown or unsupported "
        "sanitizer '${sanitizer}' (supported: ${known})")
    endif()
  endforeach()
  list(REMOVE_DUPLICATES PIXELFLY_SANITIZE)
  string(REPLACE ";" "," sanitizers "${PIXELFLY_SANITIZE}")

  set(PIXELFLY_SANITIZE_COMPILE_FLAGS
    -fsanitize=${sanitizers} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  set(PIXELFLY_SANITIZE_LINK_FLAGS -fsanitize=${sanitizers})
  add_compile_options(${PIXELFLY_SANITIZE_COMPILE_FLAGS})
  add_link_options(${PIXELFLY_SANITIZE_LINK_FLAGS})

  if("address" IN_LIST PIXELFLY_SANITIZE)
    execute_process(
      COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libasan.so
      OUTPUT_VARIABLE PIXELFLY_ASAN_RUNTIME
      OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT IS_ABSOLUTE "${PIXELFLY_ASAN_RUNTIME}" OR
       NOT EXISTS "${PIXELFLY_ASAN_RUNTIME}")
      message(FATAL_ERROR "PIXELFLY_SANITIZE: ${CMAKE_CXX_COMPILER} "
        "-print-file-name=libasan.so gave '${PIXELFLY_ASAN_RUNTIME}', not a file")
    endif()
    get_filename_component(PIXELFLY_ASAN_RUNTIME "${PIXELFLY_ASAN_RUNTIME}"
      REALPATH)
  endif()
  message(STATUS "Sanitizers: ${sanitizers}")
  if(PIXELFLY_ASAN_RUNTIME)
    message(STATUS "ASan runtime (preloaded into upstream tools in lit): "
      "${PIXELFLY_ASAN_RUNTIME}")
  endif()
endif()

# Adds the sanitizer link flags to the interface of an installed library,
# for the programs that link it (in the build tree and through the
# installed package). No-op when PIXELFLY_SANITIZE is empty.
function(pixelfly_sanitize_interface target)
  if(PIXELFLY_SANITIZE_LINK_FLAGS)
    target_link_options(${target} INTERFACE ${PIXELFLY_SANITIZE_LINK_FLAGS})
  endif()
endfunction()
