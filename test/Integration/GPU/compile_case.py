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


# Where the CUDA toolkit usually is: its libdevice gives the kernels' math
# functions (tanh, sqrt, ...). MLIR finds it through CUDA_HOME, CUDA_ROOT or
# CUDA_PATH; without it the PTX calls __nv_* functions that no driver can
# resolve, and the module fails to load on the GPU.
DEFAULT_CUDA = "/usr/local/cuda"
CUDA_VARIABLES = ("CUDA_HOME", "CUDA_ROOT", "CUDA_PATH")


def toolkit_environment():
    env = dict(os.environ)
    if not any(env.get(v) for v in CUDA_VARIABLES) and os.path.isdir(
            os.path.join(DEFAULT_CUDA, "nvvm", "libdevice")):
        env["CUDA_HOME"] = DEFAULT_CUDA
    return env


def run(cmd, data, env=None):
    proc = subprocess.run(cmd, input=data, capture_output=True, text=True,
                          env=env)
    if proc.returncode != 0:
        raise CompileError(f"{' '.join(cmd)} failed:\n{proc.stderr}")
    return proc.stdout


def compile_to_object(tools, llvm_bin, text, pipeline, out):
    """pixelfly-opt `pipeline` on `text`, mlir-translate and llc to the PIC
    object `out` (also used by bench/gpu/build_bench.py). Returns the
    lowered module."""
    lowered = run([os.path.join(tools, "pixelfly-opt"), "-", pipeline], text,
                  toolkit_environment())
    unresolved = sorted(set(re.findall(r"\b(__nv_\w+)\b", lowered)))
    if unresolved:
        print(f"compile_case: warning: {out}: the kernels call "
              f"{', '.join(unresolved)} from libdevice, which was not found "
              f"(set CUDA_HOME): the module will not load on a GPU",
              file=sys.stderr)
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
