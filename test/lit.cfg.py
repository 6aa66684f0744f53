# -*- Python -*-
# lit configuration of the pixelfly regression tests.

import os
import platform
import shlex
import sys

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "PIXELFLY"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.pixelfly_obj_root, "test")
config.excludes = set(["CMakeLists.txt", "README.md", "lit.cfg.py", "run_corpus.py",
                   "lit.site.cfg.py", "Inputs"])

# CUDA_HOME and friends: where MLIR finds libdevice for the kernels' math.
llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP",
                                     "CUDA_HOME", "CUDA_ROOT", "CUDA_PATH"])
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

# Sanitizer build (PIXELFLY_SANITIZE; docs/Development.md, "Sanitizer
# build"). scripts/sanitize.sh sets the sanitizers' options; these are the
# same defaults, for lit run on its own (ninja check-pixelfly).
sanitizers = getattr(config, "pixelfly_sanitize", [])
asan_preload = None
if sanitizers:
    for sanitizer in sanitizers:
        config.available_features.add({"address": "asan", "undefined": "ubsan"}
                                      .get(sanitizer, sanitizer))
    defaults = {
        "ASAN_OPTIONS": "allow_user_poisoning=0:detect_leaks=1:abort_on_error=1",
        "LSAN_OPTIONS": "suppressions=%s:print_suppressions=0" % os.path.join(
            config.pixelfly_src_root, "scripts", "sanitizers", "lsan.supp"),
        "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1:abort_on_error=1",
    }
    for var, value in defaults.items():
        config.environment.setdefault(var, value)
    # Upstream tools are not instrumented: to load one of our libraries
    # (the plugin into mlir-opt, the runtime and kernels into python or
    # mlir-runner) they must start with the ASan runtime preloaded, or it
    # would not come first in the library list.
    if "address" in sanitizers and config.pixelfly_asan_runtime:
        asan_preload = ":".join(
            p for p in [config.pixelfly_asan_runtime,
                        config.environment.get("LD_PRELOAD", "")] if p)


def preloaded(command, *variables):
    """`command` started with the ASan runtime preloaded (and `variables`,
    NAME=VALUE, set), in a sanitizer build; unchanged otherwise."""
    if not asan_preload:
        return command
    return " ".join(["env"] + [shlex.quote(v) for v in variables] +
                    [shlex.quote("LD_PRELOAD=" + asan_preload), command])


config.substitutions.append(("%python", '"%s"' % (config.python_executable or "python3")))
if asan_preload:
    # llvm_config's default substitutions define %python first (lit's own
    # interpreter, which is what tests run), so that entry is the one that
    # applies: it is replaced in place. CPython does not free everything at
    # exit, so leak checking is off in the interpreter; sitecustomize
    # (scripts/sanitizers/python) restores the test's LD_PRELOAD and
    # ASAN_OPTIONS for its child processes, so that our tools it runs keep
    # leak checking and other programs (the compiler, llc) do not get the
    # ASan runtime.
    python = preloaded(
        '"%s"' % sys.executable,
        "PYTHONPATH=" + os.path.join(config.pixelfly_src_root, "scripts",
                                     "sanitizers", "python"),
        "PIXELFLY_SAVED_LD_PRELOAD=" + config.environment.get("LD_PRELOAD", ""),
        "PIXELFLY_SAVED_ASAN_OPTIONS=" + config.environment["ASAN_OPTIONS"],
        "ASAN_OPTIONS=" + config.environment["ASAN_OPTIONS"] + ":detect_leaks=0")
    index = next(i for i, (key, _) in enumerate(config.substitutions)
                 if key == "%python")
    config.substitutions[index] = ("%python", python)
config.substitutions.append(
    ("%run_corpus", '"%s" "%s"' % (config.python_executable or "python3",
                                   os.path.join(config.test_source_root,
                                                "Corpus", "run_corpus.py"))))

tool_dirs = [config.pixelfly_tools_dir, config.llvm_tools_dir]
tools = ["pixelfly-opt", "pixelfly-pattern", "mlir-translate", "llc", "FileCheck", "not"]
# mlir-opt loads our plugin (--load-dialect-plugin, --load-pass-plugin).
tools.append(ToolSubst("mlir-opt", preloaded(
    os.path.join(config.llvm_tools_dir, "mlir-opt"))))
llvm_config.add_tool_substitutions(tools, tool_dirs)

# Optional features.
if platform.machine() in ("x86_64", "AMD64"):
    config.available_features.add("x86_64")
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
    # OpenMP runtime for multi-threaded CPU code (pixelfly-cpu-pipeline
    # threads != 1): LLVM's libomp (libomp-22-dev), else another build of it.
    for libomp in (os.path.join(runner_libs, "libomp" + config.llvm_shlib_ext),
                   "/usr/lib/x86_64-linux-gnu/libomp.so.5",
                   "/usr/lib/x86_64-linux-gnu/libiomp5.so"):
        if os.path.exists(libomp):
            config.available_features.add("openmp")
            config.substitutions.append(("%libomp", libomp))
            break
    # mlir-runner for programs that load it: in a sanitizer build,
    # LeakSanitizer's exit-time check ("Tracer caught signal 11") cannot stop
    # libomp's worker threads, so leak checking is off there (the JIT'd code
    # is not instrumented; our tools keep it).
    omp_runner = os.path.join(config.llvm_tools_dir, "mlir-runner")
    if asan_preload:
        omp_runner = preloaded(omp_runner, "ASAN_OPTIONS=" +
                               config.environment["ASAN_OPTIONS"] +
                               ":detect_leaks=0")
    config.substitutions.append(("%mlir_runner_omp", omp_runner))
    # It can load our libraries (-shared-libs) too.
    llvm_config.add_tool_substitutions([ToolSubst("mlir-runner", preloaded(
        os.path.join(config.llvm_tools_dir, "mlir-runner")))], tool_dirs)
