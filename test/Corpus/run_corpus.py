#!/usr/bin/env python3
"""Runs a pixelfly-opt pipeline over every .mlir file of the external corpus.

Usage: run_corpus.py [--crash-only] CORPUS_DIR PIXELFLY_OPT [PASS_ARGS...]

Each file is first parsed alone (the baseline), then run through PASS_ARGS.
A file fails when the tool crashes (killed by a signal, a stack dump, an
assertion) or when the pipeline reports an error on a file whose baseline
parsed cleanly. With --crash-only, a clean error is accepted (for
pipelines that legitimately reject IR they cannot lower, e.g. to LLVM) and
counted as "rejected". Prints one line per file and a summary line
`corpus: N files, N ok, N unparsable, N failed`; exits 1 on any failure.
"""

import os
import subprocess
import sys

CRASH_MARKERS = ("Stack dump", "PLEASE submit a bug report", "Assertion",
                 "LLVM ERROR", "UNREACHABLE")
COMMON = ["--allow-unregistered-dialect", "--split-input-file",
          "-o", os.devnull]


def run(tool, args, path):
    try:
        proc = subprocess.run([tool] + COMMON + args + [path],
                              stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        return "timeout", ""
    crashed = proc.returncode < 0 or any(m in proc.stderr
                                         for m in CRASH_MARKERS)
    if crashed:
        return "crash", proc.stderr
    return ("ok" if proc.returncode == 0 else "error"), proc.stderr


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    argv = sys.argv[1:]
    crash_only = bool(argv) and argv[0] == "--crash-only"
    if crash_only:
        argv = argv[1:]
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    corpus, tool, args = argv[0], argv[1], argv[2:]
    files = sorted(f for f in os.listdir(corpus) if f.endswith(".mlir"))
    if not files:
        print(f"corpus: no .mlir files in {corpus}", file=sys.stderr)
        return 1
    ok = unparsable = failed = rejected = 0
    for name in files:
        path = os.path.join(corpus, name)
        base, _ = run(tool, [], path)
        status, stderr = run(tool, args, path)
        if crash_only and base == "ok" and status == "error":
            rejected += 1
            print(f"REJECTED {name}")
        elif status in ("crash", "timeout") or (base == "ok" and status != "ok"):
            failed += 1
            print(f"FAIL {name}: {status}")
            sys.stdout.write(stderr[-4000:])
        elif base != "ok":
            unparsable += 1
            print(f"UNPARSABLE {name}")
        else:
            ok += 1
            print(f"OK {name}")
    if crash_only:
        print(f"corpus: {len(files)} files, {ok} ok, {rejected} rejected, "
              f"{unparsable} unparsable, {failed} failed")
    else:
        print(f"corpus: {len(files)} files, {ok} ok, {unparsable} unparsable, "
              f"{failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
