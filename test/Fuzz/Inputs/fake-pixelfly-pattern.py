#!/usr/bin/env python3
"""A stand-in for pixelfly-pattern that crashes (SIGSEGV, with a stack)
when a dimension of --shape has ten digits or more, and otherwise behaves:
a garbage value is an error (status 1), anything else prints a mask."""
import os
import re
import signal
import sys


def main():
    args = sys.argv[1:]
    values = {}
    i = 0
    while i < len(args):
        a = args[i]
        if not a.startswith("-") or len(a) < 2:
            sys.stderr.write(f"pixelfly-pattern: error: unexpected argument '{a}'\n")
            return 1
        name, eq, value = a.lstrip("-").partition("=")
        if name in ("help", "h", "version"):
            print("usage")
            return 0
        if not eq:
            if i + 1 >= len(args):
                sys.stderr.write(f"pixelfly-pattern: error: --{name} needs a value\n")
                return 1
            i += 1
            value = args[i]
        values[name] = value
        i += 1
    shape = values.get("shape", "")
    if any(len(d) >= 10 for d in re.findall(r"\d+", shape)):
        sys.stderr.write(
            "Stack dump:\n"
            " #0 0x0000550000000001 mlir::pixelfly::patterns::flatButterflyLayout(long, long) "
            "(/fake/bin/pixelfly-pattern+0x100)\n"
            " #1 0x0000550000000002 main (/fake/bin/pixelfly-pattern+0x200)\n")
        sys.stderr.flush()
        os.kill(os.getpid(), signal.SIGSEGV)
    for name in ("butterfly-size", "factors", "block"):
        if not re.fullmatch(r"\d+", values.get(name, "")):
            sys.stderr.write(f"pixelfly-pattern: error: --{name} is not valid\n")
            return 1
    print("1\ndensity: 1")
    return 0


if __name__ == "__main__":
    sys.exit(main())
