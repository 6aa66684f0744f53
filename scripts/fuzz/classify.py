"""Classification of one tool run and the signature of a failure.

A run is one of
  clean    exit status 0 and no sign of a crash;
  diag     exit status 1 with an `error:` diagnostic and no sign of a crash
           (the tool refused the input or the options: the expected outcome
           for most mutated inputs);
  crash    killed by a signal, exit status >= 128, or a crash report on
           stderr (LLVM stack dump, `LLVM ERROR`, a failed assertion,
           `UNREACHABLE`, an uncaught C++ exception, a sanitizer report);
  oom      the process ran out of memory (`LLVM ERROR: out of memory`,
           std::bad_alloc, an AddressSanitizer out-of-memory or RSS-limit
           report, or SIGKILL without a timeout);
  hang     it ran past the timeout;
  nodiag   a nonzero exit status other than the above without any
           `error:` diagnostic (an error path that forgot to say why);
  slow     (set by the caller) clean or diag, but slower than the slow
           threshold.

Sanitizer reports win over the exit status: AddressSanitizer exits with
status 1 and UndefinedBehaviorSanitizer (without halt_on_error) with 0.
"""

import os
import re
import signal

ALL_CLASSES = ("clean", "diag", "crash", "oom", "hang", "nodiag", "slow",
               "upstream")


def _load_known_upstream():
    """Signatures of crashes in upstream MLIR/LLVM that upstream tools show
    too (known-upstream.txt: one regex per line, `#` comments). They are
    reported as class 'upstream', which fails no campaign by default, so a
    campaign's verdict does not depend on whether it happened to reach one;
    each has a lit test (XFAIL until upstream is fixed)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "known-upstream.txt")
    patterns = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    patterns.append(re.compile(line))
    return patterns


_KNOWN_UPSTREAM = _load_known_upstream()

_SANITIZER_RE = re.compile(
    r"ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|"
    r"ThreadSanitizer|MemorySanitizer): ?([\w-]+(?: on unknown address)?)?")
_UBSAN_RE = re.compile(r"^(?P<loc>[^\s:]+):(?P<line>\d+):(?:\d+:)? runtime error: "
                       r"(?P<what>.*)$", re.M)
_ASSERT_RE = re.compile(r"Assertion `(?P<expr>.*)' failed", re.S)
_LLVM_ERROR_RE = re.compile(r"LLVM ERROR: (?P<msg>.*)")
# LLVM's pretty stack entries after "Stack dump:" (0. is the command line).
_PRETTY_RE = re.compile(r"^[1-9]\d*\.\t(.+)$", re.M)
_UNREACHABLE_RE = re.compile(r"UNREACHABLE executed(?: at (?P<loc>\S+))?")
_TERMINATE_RE = re.compile(
    r"terminate called (?:after throwing an instance of '(?P<what>[^']*)'|"
    r"without an active exception)")
_OOM_RE = re.compile(
    r"LLVM ERROR: out of memory|std::bad_alloc|LLVM ERROR: Allocation failed|"
    r"AddressSanitizer: (?:out of memory|allocator is out of memory|"
    r"requested allocation size|allocation-size-too-big|calloc-overflow|"
    r"malloc-limit|rss-limit-exceeded)|hard rss limit exhausted|"
    r"out-of-memory \(malloc\(|failed to allocate 0x")
_CRASH_TEXT = ("PLEASE submit a bug report", "Stack dump:", "LLVM ERROR",
               "UNREACHABLE executed", "terminate called",
               "AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer",
               "runtime error:", "ThreadSanitizer", "MemorySanitizer")

# Frames that say how the process died, not where: signal handlers, libc,
# the sanitizer runtimes, error reporting and the C++ runtime.
_BOILERPLATE_RE = re.compile(
    r"^(?:llvm::sys::|SignalHandler|__restore_rt|raise$|abort$|gsignal|"
    r"__pthread_kill|pthread_kill|__GI_|__assert_fail|__assert_perror|"
    r"llvm::report_fatal_error|llvm::report_bad_alloc_error|"
    r"llvm::llvm_unreachable_internal|llvm::safe_malloc|llvm::safe_realloc|"
    r"llvm::safe_calloc|llvm::allocate_buffer|"
    r"llvm::SmallVectorBase<.*>::grow|llvm::SmallVectorBase<.*>::mallocForGrow|"
    r"llvm::report_at_maximum_capacity|report_size_overflow|"
    r"report_at_maximum_capacity|"
    r"__sanitizer|__asan|__ubsan|__lsan|__interceptor_|___interceptor_|"
    r"__interception|__cxa_|__cxxabiv1|std::terminate|std::__terminate|"
    r"__gnu_cxx::__verbose_terminate_handler|std::__throw_|"
    r"operator new|operator delete|malloc$|calloc$|realloc$|free$|"
    r"posix_memalign$|__libc_|_start$|main$|"
    r"__clang_call_terminate|_Unwind_|std::__glibcxx_assert_fail)")
_BOILERPLATE_MODULES = ("libc.so", "libc-", "libstdc++", "libgcc_s",
                        "libclang_rt", "libasan", "libubsan", "ld-linux",
                        "libpthread")

# LLVM's stack dump:
#  " #3 0x000055d1 mlir::Foo::bar(int) (/path/libMLIR.so.22+0x1234)"
#  " #3 0x000055d1 mlir::Foo::bar(int) /src/file.cpp:12:3"
#  " #3 0x000055d1 (/path/pixelfly-opt+0x1234)"
# Sanitizer stacks:
#  "    #0 0x55d1 in mlir::Foo::bar(int) /src/file.cpp:12:3"
#  "    #1 0x55d1 in foo (/lib/x.so+0x123)"
#  "    #2 0x55d1  (/lib/x.so+0x123) (BuildId: ab12)"
_FRAME_RE = re.compile(r"^\s*#(?P<n>\d+)\s+0x[0-9a-fA-F]+\s*(?:in\s+)?(?P<rest>.*)$")
_MODULE_RE = re.compile(r"\((?P<mod>[^()\s]+)\+0x(?P<off>[0-9a-fA-F]+)\)(?:\s*\(BuildId: \w+\))?\s*$")
_FILELOC_RE = re.compile(r"\s(?P<file>/\S+?|\S+\.(?:cpp|h|inc|cc|c|hpp|td)):(?P<line>\d+)(?::\d+)?\s*$")

# llvm::cl's own errors about a bad option value (they say why, without
# "error:"): a refused command line, not a failure of the tool.
_CL_ERROR_RE = re.compile(
    r"for the -+[\w.-]+ option: |Unknown command line argument|"
    r"may only occur zero or one times|Not enough positional command line "
    r"arguments|Cannot find option named|: Unknown pass pipeline option|"
    r"failed to parse (?:pass|option)")

SIGNAL_NAMES = {int(s): s.name for s in signal.Signals}


class Outcome:
    """What one run did."""

    __slots__ = ("cls", "signature", "detail", "rc", "wall", "stderr")

    def __init__(self, cls, signature="", detail="", rc=None, wall=0.0,
                 stderr=""):
        self.cls = cls
        self.signature = signature
        self.detail = detail
        self.rc = rc
        self.wall = wall
        self.stderr = stderr

    def __repr__(self):
        return f"Outcome({self.cls!r}, {self.signature!r}, rc={self.rc})"


_CLONE_SUFFIX_RE = re.compile(r"(?:\s*\(\.[\w.]+\))+$|\.(?:constprop|isra|part|cold|"
                              r"lto_priv|localalias)(?:\.\d+)?")


def _drop_return_type(name):
    """`void std::vector<T>::f` -> `std::vector<T>::f`: the text after the
    last space outside <...> and (...)."""
    name = name.replace("(anonymous namespace)", "(anonymous-namespace)")
    depth = 0
    cut = 0
    for i, c in enumerate(name):
        if c in "<(":
            depth += 1
        elif c in ">)":
            depth = max(0, depth - 1)
        elif c == " " and depth == 0:
            cut = i + 1
    return name[cut:].replace("(anonymous-namespace)", "(anonymous namespace)")


def strip_params(name):
    """`ns::f(int, char) const` -> `ns::f` (keeps inner lambda scopes);
    also drops clone suffixes (.constprop.0) and a leading return type."""
    name = _CLONE_SUFFIX_RE.sub("", name.strip())
    name = _strip_params(name)
    return _drop_return_type(name)


def _strip_params(name):
    name = name.strip()
    for suffix in (" const", " &", " &&", " volatile"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    if not name.endswith(")"):
        return name
    depth = 0
    for i in range(len(name) - 1, -1, -1):
        c = name[i]
        if c == ")":
            depth += 1
        elif c == "(":
            depth -= 1
            if depth == 0:
                if i == 0:
                    return name
                return name[:i].rstrip()
    return name


def parse_frames(text):
    """Frames of the first stack trace in `text`: a list of
    (function, file, module)."""
    frames = []
    started = False
    last_n = -1
    for line in text.splitlines():
        m = _FRAME_RE.match(line)
        if not m:
            if started and frames and not line.strip():
                break  # a sanitizer report: the first stack ends here
            continue
        n = int(m.group("n"))
        if started and n <= last_n:
            break  # the next stack (e.g. "freed by thread T0 here")
        started = True
        last_n = n
        rest = m.group("rest").strip()
        module = file = ""
        mm = _MODULE_RE.search(rest)
        if mm:
            module = os.path.basename(mm.group("mod"))
            func = rest[: mm.start()].strip()
            if not func:
                func = f"{module}+0x{mm.group('off')}"
        else:
            fm = _FILELOC_RE.search(" " + rest)
            if fm:
                file = fm.group("file")
                func = (" " + rest)[: fm.start()].strip()
            else:
                func = rest
        func = re.sub(r"\s*\(BuildId: \w+\)$", "", func)
        frames.append((func, file, module))
    return frames


def _is_boilerplate(frame):
    func, _file, module = frame
    if not func or func in ("<unknown>", "??"):
        return True
    if any(module.startswith(m) for m in _BOILERPLATE_MODULES):
        return True
    return bool(_BOILERPLATE_RE.match(strip_params(func)))


def _untemplate(name):
    out, depth = [], 0
    for c in name:
        if c == "<":
            depth += 1
        elif c == ">" and depth:
            depth -= 1
        elif not depth:
            out.append(c)
    return "".join(out)


# Source paths of the project (set by the driver: the repository root).
OUR_PATHS = ["/lib/Dialect/Pixelfly/", "/lib/Conversion/Pixelfly", "/lib/Analysis/",
             "/lib/Patterns/", "/lib/Pipelines/", "/tools/pixelfly", "/test/lib/"]


def _is_ours(frame, own_modules):
    func, file, module = frame
    short = strip_params(func)
    if short.startswith(("std::", "__gnu_cxx::", "llvm::")):
        return False
    if "pixelfly" in _untemplate(short).lower():
        return True
    if short.startswith("mlir::"):
        return False
    if file:
        # Debian's upstream libraries have no debug info: a frame with a
        # source location is ours (or libc's, with a ./ or /usr path).
        if any(p in file for p in OUR_PATHS):
            return True
        return not file.startswith(("./", "/usr/", "/build/", "../sysdeps"))
    return module in own_modules


def _normalize(text):
    """Drops addresses, long numbers and pids so that one bug gives one
    signature."""
    text = re.sub(r"0x[0-9a-fA-F]+", "0x?", text)
    text = re.sub(r"\d{4,}", "N", text)
    text = re.sub(r"==\d+==", "", text)
    return " ".join(text.split())[:200]


def stack_signature(stderr, own_modules=("pixelfly-opt", "pixelfly-pattern"),
                    depth=3):
    """The top `depth` frames of our code (falling back to the top frames
    of anything but the crash machinery), or "" without a stack."""
    frames = [f for f in parse_frames(stderr) if not _is_boilerplate(f)]
    if not frames:
        return ""
    ours = [f for f in frames if _is_ours(f, own_modules)]
    if not ours:
        # upstream only: prefer frames with a name over bare module+offset
        named = [f for f in frames if not re.match(r"^[\w.+-]+\+0x[0-9a-f]+$", f[0])]
        if not named:
            # No symbol at all (e.g. a wild jump): what LLVM's pretty stack
            # says it was doing (the innermost entry) names the bug better.
            pretty = _PRETTY_RE.findall(stderr)
            if pretty:
                return _normalize(pretty[-1])
        ours = named or frames
    names = []
    for func, _file, _module in ours[:depth]:
        name = strip_params(func)
        name = name.replace("(anonymous namespace)::", "")
        names.append(name)
    return " <- ".join(names)


def failure_kind(stderr, rc):
    """A short name of how it failed: the sanitizer's error kind, the
    assertion, `LLVM ERROR: ...`, the signal."""
    m = _SANITIZER_RE.search(stderr)
    if m:
        tool = {"AddressSanitizer": "asan", "LeakSanitizer": "lsan",
                "UndefinedBehaviorSanitizer": "ubsan",
                "ThreadSanitizer": "tsan", "MemorySanitizer": "msan"}[m.group(1)]
        kind = (m.group(2) or "").replace(" on unknown address", "")
        return f"{tool}:{kind}" if kind else tool
    m = _UBSAN_RE.search(stderr)
    if m:
        what = re.sub(r"[-\d]+|'[^']*'", "", m.group("what"))
        what = what.split(":")[0].strip()
        return (f"ubsan:{what} at {os.path.basename(m.group('loc'))}:"
                f"{m.group('line')}")
    m = _ASSERT_RE.search(stderr)
    if m:
        return "assert:" + _normalize(m.group("expr"))
    m = _UNREACHABLE_RE.search(stderr)
    if m:
        loc = m.group("loc") or ""
        return "unreachable" + (f" at {os.path.basename(loc)}" if loc else "")
    m = _LLVM_ERROR_RE.search(stderr)
    if m:
        return "llvm-error:" + _normalize(m.group("msg"))
    m = _TERMINATE_RE.search(stderr)
    if m:
        return "terminate:" + (m.group("what") or "no exception")
    if rc is not None:
        sig = -rc if rc < 0 else (rc - 128 if rc > 128 else 0)
        if sig:
            return SIGNAL_NAMES.get(sig, f"signal {sig}")
        if rc == 128:
            return "rc 128"
    return ""


def _first_failure_line(stderr):
    for line in stderr.splitlines():
        if any(k in line for k in ("error", "ERROR", "Assertion", "terminate",
                                   "UNREACHABLE")):
            return _normalize(line)
    for line in stderr.splitlines():
        if line.strip():
            return _normalize(line)
    return ""


def has_crash_text(stderr):
    return (any(m in stderr for m in _CRASH_TEXT)
            or _ASSERT_RE.search(stderr) is not None)


def classify(rc, stderr, timed_out, wall=0.0, key="",
             own_modules=("pixelfly-opt", "pixelfly-pattern")):
    """Classifies one finished run. `key` names the command (the passes),
    used for the signature of hangs, whose stacks are not stable."""
    if timed_out:
        # The runner sends SIGABRT first, so LLVM prints where it was. The
        # top of a hang's stack changes from run to run; its outermost frame
        # of our code (the pass or the parser that loops) does not.
        ours = [f for f in parse_frames(stderr)
                if not _is_boilerplate(f) and _is_ours(f, own_modules)]
        if ours:
            where = strip_params(ours[-1][0]).replace("(anonymous namespace)::", "")
            return Outcome("hang", f"hang in {where}", "timeout", rc, wall, stderr)
        return Outcome("hang", f"hang @ {key}", "timeout", rc, wall, stderr)
    oom = _OOM_RE.search(stderr) is not None or rc == -signal.SIGKILL
    crashed = (rc is not None and (rc < 0 or rc >= 128)) or has_crash_text(stderr)
    if oom or crashed:
        cls = "oom" if oom else "crash"
        kind = failure_kind(stderr, rc)
        if cls == "oom" and rc == -signal.SIGKILL and not _OOM_RE.search(stderr):
            kind = "SIGKILL (out of memory?)"
        stack = stack_signature(stderr, own_modules)
        if stack:
            sig = f"{cls}: {kind} @ {stack}" if kind else f"{cls} @ {stack}"
        else:
            if cls == "oom":
                # Without a stack, one out-of-memory looks like any other:
                # tell them apart by the command.
                sig = f"oom: {kind or 'out of memory'} @ {key}"
            else:
                where = _first_failure_line(stderr) or f"rc {rc}"
                if kind and where.endswith(kind.split(":", 1)[-1]):
                    sig = f"crash: {kind}"  # `LLVM ERROR: <msg>` says it all
                else:
                    sig = f"crash: {kind} | {where}" if kind else f"crash | {where}"
        if cls == "crash" and any(p.search(sig) for p in _KNOWN_UPSTREAM):
            cls = "upstream"
        return Outcome(cls, sig, kind, rc, wall, stderr)
    if rc == 0:
        return Outcome("clean", "", "", rc, wall, stderr)
    if rc == 1 and ("error:" in stderr or _CL_ERROR_RE.search(stderr)):
        return Outcome("diag", "", "", rc, wall, stderr)
    return Outcome("nodiag", f"nodiag: rc {rc} @ {key}", f"rc {rc}", rc, wall,
                   stderr)
