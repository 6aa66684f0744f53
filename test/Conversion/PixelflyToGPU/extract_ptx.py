#!/usr/bin/env python3
"""Writes the PTX of the first #gpu.object in an MLIR file to stdout.

gpu-module-to-binary{format=isa} keeps the PTX in the object's `assembly`
string, printed with MLIR's escaping: `\\\\` for a backslash and `\\XX` (two hex
digits) for a quote or any non-printable byte such as a newline.

Usage: extract_ptx.py FILE.mlir
"""
import re
import sys

text = open(sys.argv[1], encoding="latin-1").read()
match = re.search(r'assembly = "((?:[^"\\]|\\.)*)"', text, re.S)
if not match:
    sys.exit(f"{sys.argv[1]}: no `assembly = \"...\"` in a #gpu.object")
escaped = match.group(1)
out = re.sub(r"\\(\\|[0-9A-Fa-f]{2})",
             lambda m: "\\" if m.group(1) == "\\" else chr(int(m.group(1), 16)),
             escaped)
sys.stdout.write(out)
