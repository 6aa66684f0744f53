#!/usr/bin/env python3
"""Builds our side of the GPU benchmark (run here, where LLVM is).

build_bench.py --tools BUILD/bin --llvm-bin /usr/lib/llvm-22/bin
               --runtime BUILD/lib/libpixelfly_runtime.so --out BUILD/gpu-bench
               [--chip sm_90] [--shapes a,b] [--dtypes bf16] [--blocks 32]
               [--densities 0.25] [-j N]

For every kernel of bench_config.kernels(): writes its module
(kernels/NAME.mlir), compiles it through pixelfly-gpu-pipeline (PTX,
compiled by the driver when loaded), mlir-translate and llc, and links
kernels/NAME.so against libpixelfly_runtime.so. The output folder gets the
runtime, the benchmark's Python files and manifest.json (what was built and
what was skipped, with the layouts the peers need), and nothing else: copy
it to a GPU machine with PyTorch and run `python3 run_bench.py` there.
"""

import argparse
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "test", "Integration", "GPU"))
import bench_config  # noqa: E402
from compile_case import CompileError, compile_to_object  # noqa: E402

# What run_bench.py needs next to the kernels.
DRIVER_FILES = ["bench_config.py", "pixelfly_kernels.py", "run_bench.py",
                "report.py", "plot_png.py"]


def csv(text, conv=str):
    return [conv(v) for v in text.split(",")] if text else None


def build_one(kernel, a):
    name = kernel["name"]
    src = os.path.join(a.out, "kernels", name + ".mlir")
    obj = os.path.join(a.out, "kernels", name + ".o")
    lib = os.path.join(a.out, "kernels", name + ".so")
    text = bench_config.module_text(kernel)
    with open(src, "w") as f:
        f.write(text)
    compile_to_object(a.tools, a.llvm_bin, text,
                      f"--pixelfly-gpu-pipeline=chip={a.chip} format=isa", obj)
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
    a = ap.parse_args()

    kernels, skipped = bench_config.kernels(
        shapes=csv(a.shapes), dtypes=csv(a.dtypes), blocks=csv(a.blocks, int),
        densities=csv(a.densities, float))
    os.makedirs(os.path.join(a.out, "kernels"), exist_ok=True)
    failed = []
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        futures = {pool.submit(build_one, k, a): k["name"] for k in kernels}
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
    with open(os.path.join(a.out, "manifest.json"), "w") as f:
        json.dump({"chip": a.chip, "kernels": built,
                   "skipped": [{"name": n, "reason": r} for n, r in skipped]},
                  f)
    shutil.copy(a.runtime, a.out)
    for name in DRIVER_FILES:
        if os.path.exists(os.path.join(HERE, name)):
            shutil.copy(os.path.join(HERE, name), a.out)
    print(f"build_bench: {len(built)} kernels in {a.out} "
          f"({len(skipped)} configurations skipped, {len(failed)} failed)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
