#!/usr/bin/env python3
"""Compiles one GPU test case to an object file (ahead of time).

compile_case.py --tools <dir with pixelfly-opt> --llvm-bin <dir> --target gpu|cpu
                [--chip sm_80] --case case.mlir --out product_<target>.o

Renames @product to @product_<target> (the program links both), then runs
pixelfly-opt (--pixelfly-gpu-pipeline or --pixelfly-cpu-pipeline),
mlir-translate --mlir-to-llvmir and llc (PIC object). A case whose kernels
need a chip of their own says so in a `// CHIP: sm_90a` line, which
overrides --chip.
"""

import argparse
import os
import re
import subprocess
import sys


class CompileError(Exception):
    pass


def run(cmd, data):
    proc = subprocess.run(cmd, input=data, capture_output=True, text=True)
    if proc.returncode != 0:
        raise CompileError(f"{' '.join(cmd)} failed:\n{proc.stderr}")
    return proc.stdout


def compile_to_object(tools, llvm_bin, text, pipeline, out):
    """pixelfly-opt `pipeline` on `text`, mlir-translate and llc to the PIC
    object `out` (also used by bench/gpu/build_bench.py). Returns the
    lowered module."""
    lowered = run([os.path.join(tools, "pixelfly-opt"), "-", pipeline], text)
    ir = run([os.path.join(llvm_bin, "mlir-translate"), "--mlir-to-llvmir"],
             lowered)
    run([os.path.join(llvm_bin, "llc"), "-O2", "-filetype=obj",
         "-relocation-model=pic", "-", "-o", out], ir)
    return lowered


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tools", required=True)
    ap.add_argument("--llvm-bin", required=True)
    ap.add_argument("--target", choices=["gpu", "cpu"], required=True)
    ap.add_argument("--chip", default="sm_80")
    ap.add_argument("--case", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    text = open(a.case).read()
    own_chip = re.search(r"^// CHIP: (\w+)$", text, re.M)
    if own_chip:
        a.chip = own_chip.group(1)
    text = re.sub(r"@product\(", f"@product_{a.target}(", text)
    pipeline = (f"--pixelfly-gpu-pipeline=chip={a.chip} format=isa"
                if a.target == "gpu" else "--pixelfly-cpu-pipeline")
    try:
        compile_to_object(a.tools, a.llvm_bin, text, pipeline, a.out)
    except CompileError as e:
        sys.exit(str(e))


if __name__ == "__main__":
    main()
