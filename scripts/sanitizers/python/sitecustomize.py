# Imported at start-up by the python that lit's %python runs in a sanitizer
# build (test/lit.cfg.py puts this directory on PYTHONPATH). That python
# starts with the ASan runtime preloaded, so that it can load our
# instrumented libraries (ctypes), and with leak checking off (CPython does
# not free everything at exit). Its child processes get the test's own
# environment back: our tools keep leak checking, and uninstrumented
# programs (the compiler, llc) run without the ASan runtime.
import os


def _restore_test_environment():
    for var in ("LD_PRELOAD", "ASAN_OPTIONS"):
        saved = os.environ.pop("PIXELFLY_SAVED_" + var, None)
        if saved is None:
            continue
        if saved:
            os.environ[var] = saved
        else:
            os.environ.pop(var, None)
    # Nested interpreters need nothing from here.
    here = os.path.dirname(os.path.abspath(__file__))
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep)
             if p and os.path.abspath(p) != here]
    if paths:
        os.environ["PYTHONPATH"] = os.pathsep.join(paths)
    else:
        os.environ.pop("PYTHONPATH", None)


_restore_test_environment()
del _restore_test_environment
