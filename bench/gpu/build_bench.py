#!/usr/bin/env python3
"""Builds our side of the GPU benchmark (run here, where LLVM is).

build_bench.py --tools BUILD/bin --llvm-bin /usr/lib/llvm-22/bin
               --runtime BUILD/lib/libpixelfly_runtime.so --out BUILD/gpu-bench
               [--chip sm_90] [--shapes a,b] [--dtypes bf16] [--blocks 32]
               [--densities 0.25] [-j N]

For every kernel of bench_config.kernels(): writes its module
(kernels/NAME.mlir), compiles it through pixelfly-gpu-pipeline (PTX,
compiled by the driver when loaded), mlir-translate and llc, and links
kernels/NAME.so against libpixelfly_runtime.so. The same for the training
steps of test/Integration/GPU/train_case.py (one step of the GPT-2-medium
MLP block, dense, 2:4 and butterfly + low-rank, for sm_90a), which
train_step_bench.py times against PyTorch's dense step. The output folder gets the
runtime, the benchmark's Python files and manifest.json (what was built and
what was skipped, with the layouts the peers need), and nothing else: copy
it to a GPU machine with PyTorch and run `python3 run_bench.py` there.
"""

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "test", "Integration", "GPU"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "test", "Conversion", "PixelflyToGPU"))
import bench_config  # noqa: E402
from compile_case import CompileError, compile_to_object  # noqa: E402
import gen_harness  # noqa: E402
import train_case  # noqa: E402
from extract_ptx import ptx_objects  # noqa: E402

# What run_bench.py needs next to the kernels.
DRIVER_FILES = ["bench_config.py", "pixelfly_kernels.py", "run_bench.py",
                "report.py", "plot_png.py", "train_step_bench.py"]
# Element types of the training steps' memref arguments.
MEMREF_DTYPES = {"bf16": "bf16", "f16": "f16", "f32": "f32", "i16": "i16"}


def csv(text, conv=str):
    return [conv(v) for v in text.split(",")] if text else None


def ptxas_resources(ptxas, chip, ptx):
    """Registers, spills and shared memory of every kernel in `ptx`, as
    ptxas -v reports them for `chip`."""
    with tempfile.NamedTemporaryFile("w", suffix=".ptx", delete=False) as f:
        f.write(ptx)
    try:
        proc = subprocess.run([ptxas, "-v", f"-arch={chip}", f.name, "-o", os.devnull],
                              capture_output=True, text=True, check=True)
    finally:
        os.remove(f.name)
    kernels, current = {}, None
    for line in proc.stderr.splitlines():
        m = re.search(r"Compiling entry function '(\w+)'", line)
        if m:
            current = kernels.setdefault(m.group(1), {})
            continue
        if current is None:
            continue
        m = re.search(r"(\d+) bytes spill stores, (\d+) bytes spill loads", line)
        if m:
            current["spill_stores"], current["spill_loads"] = map(int, m.groups())
        m = re.search(r"Used (\d+) registers", line)
        if m:
            current["registers"] = int(m.group(1))
            s = re.search(r"(\d+) bytes smem", line)
            current["static_smem"] = int(s.group(1)) if s else 0
    return kernels


def train_steps():
    """The training steps to build: manifest entries without arguments
    (their module, hence their arguments, is made at build time)."""
    return [{"name": f"train_{v}_bf16_gpt2m_mlp", "variant": v,
             "chip": train_case.CHIP, "sparsify": train_case.VARIANTS[v]}
            for v in sorted(train_case.VARIANTS)]


def memref_args(text):
    """[(name, shape with -1 for the tokens, dtype)] of @product in `text`."""
    return [(name, [-1 if d == "?" else int(d) for d in shape],
             MEMREF_DTYPES[elt])
            for name, shape, elt in gen_harness.product_arguments(text)]


def build_one(kernel, a):
    name = kernel["name"]
    src = os.path.join(a.out, "kernels", name + ".mlir")
    obj = os.path.join(a.out, "kernels", name + ".o")
    lib = os.path.join(a.out, "kernels", name + ".so")
    if "variant" in kernel:
        text = train_case.case_text(a.tools, kernel["variant"],
                                    nonnegative=False)
        kernel["args"] = [{"name": n, "shape": s, "dtype": t}
                          for n, s, t in memref_args(text)]
        kernel["outputs"] = int(gen_harness.header(text, "OUTPUTS", "1"))
    else:
        text = bench_config.module_text(kernel)
    with open(src, "w") as f:
        f.write(text)
    lowered = compile_to_object(a.tools, a.llvm_bin, text,
                                "--pixelfly-gpu-pipeline=chip="
                                f"{kernel.get('chip', a.chip)} format=isa",
                                obj)
    # A Hopper-family row must time that family: a configuration that fell
    # back to the Ampere family would measure it under the wrong name.
    if kernel.get("family") == "hopper" and not any(
            "wgmma.mma_async" in ptx for ptx in ptx_objects(lowered)):
        raise RuntimeError(f"{name}: no wgmma in the PTX (not the Hopper family)")
    if a.ptxas:
        # What the driver's JIT will do with the PTX, seen ahead of time.
        kernel["ptxas"] = {}
        for ptx in ptx_objects(lowered):
            kernel["ptxas"].update(ptxas_resources(a.ptxas, a.ptxas_chip, ptx))
    # No undefined symbols: everything the module calls is in the runtime.
    subprocess.run([a.cxx, "-shared", "-o", lib, obj,
                    "-L" + os.path.dirname(os.path.abspath(a.runtime)),
                    "-lpixelfly_runtime", "-Wl,--no-undefined",
                    "-Wl,-rpath,$ORIGIN/.."], check=True, capture_output=True,
                   text=True)
    os.remove(obj)
    return name


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tools", required=True, help="folder of pixelfly-opt")
    ap.add_argument("--llvm-bin", required=True, help="folder of mlir-translate, llc")
    ap.add_argument("--runtime", required=True, help="libpixelfly_runtime.so")
    ap.add_argument("--out", required=True)
    ap.add_argument("--cxx", default=os.environ.get("CXX", "c++"))
    ap.add_argument("--chip", default="sm_90")
    ap.add_argument("--shapes")
    ap.add_argument("--dtypes")
    ap.add_argument("--blocks")
    ap.add_argument("--densities")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--ptxas", default=shutil.which("ptxas") or next(
        (p for p in [os.path.join(os.environ.get("CUDA_HOME", "/usr/local/cuda"),
                                  "bin", "ptxas")] if os.path.exists(p)), None),
                    help="assemble each kernel to report its registers, spills "
                         "and shared memory (default: ptxas on PATH or in "
                         "CUDA_HOME; 'none' to skip)")
    ap.add_argument("--ptxas-chip", default="sm_90a")
    ap.add_argument("--no-train", action="store_true",
                    help="skip the training steps (train_step_bench.py)")
    a = ap.parse_args()
    if a.ptxas == "none":
        a.ptxas = None

    kernels, skipped = bench_config.kernels(
        shapes=csv(a.shapes), dtypes=csv(a.dtypes), blocks=csv(a.blocks, int),
        densities=csv(a.densities, float))
    steps = [] if a.no_train else train_steps()
    os.makedirs(os.path.join(a.out, "kernels"), exist_ok=True)
    failed = []
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        futures = {pool.submit(build_one, k, a): k["name"] for k in kernels + steps}
        for future in concurrent.futures.as_completed(futures):
            try:
                future.result()
            except (CompileError, subprocess.CalledProcessError) as e:
                detail = getattr(e, "stderr", None) or str(e)
                failed.append((futures[future], detail.strip()))
    for name, detail in failed:
        print(f"build_bench: {name} failed:\n{detail}", file=sys.stderr)
    built = [dict(k, library=f"kernels/{k['name']}.so",
                  args=[{"name": n, "shape": s, "dtype": t}
                        for n, s, t in bench_config.kernel_args(k)])
             for k in kernels if k["name"] not in dict(failed)]
    trained = [dict(k, library=f"kernels/{k['name']}.so")
               for k in steps if k["name"] not in dict(failed)]
    with open(os.path.join(a.out, "manifest.json"), "w") as f:
        json.dump({"chip": a.chip, "kernels": built, "train_steps": trained,
                   "skipped": [{"name": n, "reason": r} for n, r in skipped]},
                  f)
    shutil.copy(a.runtime, a.out)
    for name in DRIVER_FILES:
        if os.path.exists(os.path.join(HERE, name)):
            shutil.copy(os.path.join(HERE, name), a.out)
    print(f"build_bench: {len(built)} kernels and {len(trained)} training "
          f"steps in {a.out} "
          f"({len(skipped)} configurations skipped, {len(failed)} failed)")
    if a.ptxas:
        usage = [(name, r) for k in built + trained
                 for name, r in k.get("ptxas", {}).items()]
        spills = [name for name, r in usage if r.get("spill_stores") or r.get("spill_loads")]
        top = max(usage, key=lambda u: u[1].get("registers", 0)) if usage else None
        print(f"build_bench: ptxas ({a.ptxas_chip}): {len(usage)} kernels, "
              f"{len(spills)} with spills{': ' + ', '.join(spills) if spills else ''}"
              + (f"; most registers: {top[1]['registers']} ({top[0]})" if top else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
