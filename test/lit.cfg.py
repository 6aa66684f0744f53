# -*- Python -*-
# lit configuration of the pixelfly regression tests.

import os

import lit.formats
from lit.llvm import llvm_config

config.name = "PIXELFLY"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.pixelfly_obj_root, "test")
config.excludes = set(["CMakeLists.txt", "README.md", "lit.cfg.py", "run_corpus.py",
                   "lit.site.cfg.py", "Inputs"])

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

config.substitutions.append(("%shlibext", config.llvm_shlib_ext))
config.substitutions.append(
    ("%pixelfly_plugin",
     os.path.join(config.pixelfly_lib_dir, "pixelfly-plugin" + config.llvm_shlib_ext)))
config.substitutions.append(("%corpus", config.pixelfly_corpus_dir))
config.substitutions.append(("%pixelfly_obj_root", config.pixelfly_obj_root))
config.substitutions.append(("%pixelfly_lib_dir", config.pixelfly_lib_dir))
config.substitutions.append(
    ("%gpu_tests", os.path.join(config.pixelfly_obj_root, "gpu-tests")))
config.substitutions.append(("%cxx", config.cxx_compiler))
config.substitutions.append(
    ("%fake_cuda", os.path.join(config.pixelfly_lib_dir, "libfakecuda" + config.llvm_shlib_ext)))
config.substitutions.append(("%pixelfly_src_root", config.pixelfly_src_root))
config.substitutions.append(("%pixelfly_tools_dir", config.pixelfly_tools_dir))
config.substitutions.append(("%llvm_tools_dir", config.llvm_tools_dir))
config.substitutions.append(
    ("%examples", os.path.join(os.path.dirname(config.test_source_root), "examples")))
config.substitutions.append(("%python", '"%s"' % (config.python_executable or "python3")))
config.substitutions.append(
    ("%run_corpus", '"%s" "%s"' % (config.python_executable or "python3",
                                   os.path.join(config.test_source_root,
                                                "Corpus", "run_corpus.py"))))

tool_dirs = [config.pixelfly_tools_dir, config.llvm_tools_dir]
tools = ["pixelfly-opt", "pixelfly-pattern", "mlir-opt", "mlir-translate", "llc", "FileCheck", "not"]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# Optional features.
if os.path.isdir(config.pixelfly_corpus_dir):
    config.available_features.add("corpus")
if config.ptxas and os.path.exists(config.ptxas):
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas_dir", os.path.dirname(config.ptxas)))
    config.substitutions.append(("%ptxas", config.ptxas))
# Execution tests: mlir-runner and the runner-utils libraries next to it
# (Debian's mlir-22-tools and libmlir-22-dev).
runner_libs = os.path.join(os.path.dirname(config.llvm_tools_dir), "lib")
runner_utils = [os.path.join(runner_libs, "lib" + name + config.llvm_shlib_ext)
                for name in ("mlir_runner_utils", "mlir_c_runner_utils")]
if os.path.exists(os.path.join(config.llvm_tools_dir, "mlir-runner")) and \
        all(os.path.exists(lib) for lib in runner_utils):
    config.available_features.add("mlir-runner")
    config.substitutions.append(
        ("%mlir_runner_utils", runner_utils[0]))
    config.substitutions.append(
        ("%mlir_c_runner_utils", runner_utils[1]))
    tools.append("mlir-runner")
    llvm_config.add_tool_substitutions(["mlir-runner"], tool_dirs)
