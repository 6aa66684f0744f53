#!/usr/bin/env python3
"""Writes the PTX of the first #gpu.object in an MLIR file to stdout (with
--entry NAME: of the first whose PTX has the kernel NAME).

gpu-module-to-binary{format=isa} keeps the PTX in the object's `assembly`
string, printed with MLIR's escaping: `\\\\` for a backslash and `\\XX` (two hex
digits) for a quote or any non-printable byte such as a newline.

Usage: extract_ptx.py FILE.mlir [--entry NAME]
"""
import re
import sys

_ASSEMBLY = re.compile(r'assembly = "((?:[^"\\]|\\.)*)"', re.S)


def ptx_objects(text):
    """The PTX of every #gpu.object of `text`, unescaped (also used by
    bench/gpu/build_bench.py)."""
    return [re.sub(r"\\(\\|[0-9A-Fa-f]{2})",
                   lambda m: "\\" if m.group(1) == "\\" else chr(int(m.group(1), 16)),
                   escaped)
            for escaped in _ASSEMBLY.findall(text)]


if __name__ == "__main__":
    objects = ptx_objects(open(sys.argv[1], encoding="latin-1").read())
    if len(sys.argv) == 4 and sys.argv[2] == "--entry":
        objects = [o for o in objects if f".entry {sys.argv[3]}(" in o]
    if not objects:
        sys.exit(f"{sys.argv[1]}: no `assembly = \"...\"` in a #gpu.object"
                 + (f" with kernel {sys.argv[3]}" if len(sys.argv) == 4 else ""))
    sys.stdout.write(objects[0])
