"""Runs one command under a timeout and an address-space limit."""

import glob
import os
import shutil
import signal
import subprocess
import time

from classify import classify

STDERR_KEEP = 64 * 1024  # bytes of stderr kept from each end


def is_sanitized(binary):
    """True when the binary (or a library of ours next to it) carries a
    sanitizer runtime, which needs a huge virtual address space: then the
    RLIMIT_AS limit is replaced by the sanitizer's own RSS limit."""
    markers = (b"__asan_init", b"__msan_init", b"__tsan_init",
               b"__hwasan_init")
    try:
        with open(binary, "rb") as f:
            tail = b""
            while True:
                chunk = f.read(1 << 22)
                if not chunk:
                    return False
                if any(m in tail + chunk for m in markers):
                    return True
                tail = chunk[-32:]
    except OSError:
        return False


def find_symbolizer():
    if os.environ.get("LLVM_SYMBOLIZER_PATH"):
        return os.environ["LLVM_SYMBOLIZER_PATH"]
    found = shutil.which("llvm-symbolizer")
    if found:
        return found
    candidates = sorted(glob.glob("/usr/lib/llvm-*/bin/llvm-symbolizer"))
    return candidates[-1] if candidates else None


class RunResult:
    __slots__ = ("rc", "stderr", "wall", "timed_out")

    def __init__(self, rc, stderr, wall, timed_out):
        self.rc = rc
        self.stderr = stderr
        self.wall = wall
        self.timed_out = timed_out


class Runner:
    """Runs commands with a timeout (SIGABRT first, so that LLVM prints
    where it was, then SIGKILL) and RLIMIT_AS (via `ulimit -v` in a
    /bin/sh wrapper that execs the tool: no Python code between fork and
    exec, safe with threads)."""

    def __init__(self, timeout, mem_mb, sanitized=False):
        self.timeout = timeout
        self.mem_mb = mem_mb
        self.sanitized = sanitized
        env = dict(os.environ)
        symbolizer = find_symbolizer()
        if symbolizer:
            env["LLVM_SYMBOLIZER_PATH"] = symbolizer
            env.setdefault("ASAN_SYMBOLIZER_PATH", symbolizer)
        # Sanitizer defaults; the caller's settings come last and win.
        asan = ["allow_user_poisoning=0", "detect_leaks=1", "handle_abort=0",
                "symbolize=1", "allocator_may_return_null=0"]
        if sanitized and mem_mb:
            asan += [f"hard_rss_limit_mb={mem_mb}", f"malloc_limit_mb={mem_mb}"]
        env["ASAN_OPTIONS"] = ":".join(asan + [env["ASAN_OPTIONS"]] if env.get(
            "ASAN_OPTIONS") else asan)
        ubsan = ["print_stacktrace=1"]
        env["UBSAN_OPTIONS"] = ":".join(ubsan + [env["UBSAN_OPTIONS"]] if env.get(
            "UBSAN_OPTIONS") else ubsan)
        env.setdefault("LSAN_OPTIONS", "")
        env["LLVM_DISABLE_CRASH_REPORT"] = "1"
        self.env = env

    def wrap(self, argv):
        if self.mem_mb and not self.sanitized:
            kb = int(self.mem_mb) * 1024
            return ["/bin/sh", "-c", f'ulimit -v {kb} && exec "$@"', "sh"] + argv
        return argv

    def run(self, argv, cwd):
        err_path = os.path.join(cwd, ".stderr")
        start = time.monotonic()
        timed_out = False
        with open(err_path, "wb") as err:
            try:
                proc = subprocess.Popen(self.wrap(argv), stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=err,
                                        cwd=cwd, env=self.env,
                                        start_new_session=True)
            except OSError as e:
                return RunResult(127, f"exec: {argv[0]}: {e}", 0.0, False)
            try:
                rc = proc.wait(self.timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
                _signal_group(proc, signal.SIGABRT)
                try:
                    rc = proc.wait(5)
                except subprocess.TimeoutExpired:
                    _signal_group(proc, signal.SIGKILL)
                    rc = proc.wait()
            # leftovers of the group (e.g. ptxas) must not outlive the run
            _signal_group(proc, signal.SIGKILL)
        wall = time.monotonic() - start
        stderr = _read_ends(err_path)
        return RunResult(rc, stderr, wall, timed_out)


def _signal_group(proc, sig):
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _read_ends(path):
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        if size <= 2 * STDERR_KEEP:
            data = f.read()
        else:
            head = f.read(STDERR_KEEP)
            f.seek(size - STDERR_KEEP)
            data = head + b"\n[... stderr cut ...]\n" + f.read()
    return data.decode("utf-8", errors="replace")


def run_and_classify(runner, argv, cwd, key, own_modules, slow=None):
    result = runner.run(argv, cwd)
    outcome = classify(result.rc, result.stderr, result.timed_out,
                       result.wall, key, own_modules)
    if slow and outcome.cls in ("clean", "diag") and result.wall > slow:
        outcome.cls = "slow"
        outcome.signature = f"slow @ {key}"
        outcome.detail = f"{result.wall:.1f} s"
    return outcome
