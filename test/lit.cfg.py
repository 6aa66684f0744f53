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
config.excludes = ["CMakeLists.txt", "README.md", "lit.cfg.py", "run_corpus.py",
                   "lit.site.cfg.py", "Inputs"]

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

config.substitutions.append(("%shlibext", config.llvm_shlib_ext))
config.substitutions.append(
    ("%pixelfly_plugin",
     os.path.join(config.pixelfly_lib_dir, "pixelfly-plugin" + config.llvm_shlib_ext)))
config.substitutions.append(("%corpus", config.pixelfly_corpus_dir))
config.substitutions.append(
    ("%examples", os.path.join(os.path.dirname(config.test_source_root), "examples")))
config.substitutions.append(("%python", '"%s"' % (config.python_executable or "python3")))
config.substitutions.append(
    ("%run_corpus", '"%s" "%s"' % (config.python_executable or "python3",
                                   os.path.join(config.test_source_root,
                                                "Corpus", "run_corpus.py"))))

tool_dirs = [config.pixelfly_tools_dir, config.llvm_tools_dir]
tools = ["pixelfly-opt", "pixelfly-pattern", "mlir-opt", "mlir-translate", "FileCheck", "not"]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# Optional features.
if os.path.isdir(config.pixelfly_corpus_dir):
    config.available_features.add("corpus")
if config.ptxas and os.path.exists(config.ptxas):
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", config.ptxas))
if os.path.exists(os.path.join(config.llvm_tools_dir, "mlir-runner")):
    config.available_features.add("mlir-runner")
