#!/usr/bin/env python3
"""CPU benchmark: pixelfly block-sparse and Pixelfly products against the
same pipeline's dense linalg.matmul (docs/benchmarks.md).

Generates the module with gen_bench.py, lowers it with
`pixelfly-opt --pixelfly-cpu-pipeline`, runs it with mlir-runner (one
process, every case on the same inputs) and prints a markdown table:
median, min and max time per case, GFLOP/s of useful work, and the speedup
over dense (ratio of medians). Each product writes one caller-owned
result buffer in place; the allocator keeps large blocks (glibc
MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_), so that the products'
own temporaries (packed weight slices, transposed blocks) reuse memory
instead of page-faulting fresh mmaps inside the timed region.

Usage: bench/cpu/run_bench.py [--build build] [--m 256] [--n 4096] [--k 1024]
           [--rank 64] [--reps 9] [--pipeline-options "tile-m=8 ..."] [--json F]
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=os.path.join(HERE, "..", "..", "build"))
    ap.add_argument("--llvm-bin", default="/usr/lib/llvm-22/bin")
    ap.add_argument("--m", type=int, default=256)
    ap.add_argument("--n", type=int, default=4096)
    ap.add_argument("--k", type=int, default=1024)
    ap.add_argument("--rank", type=int, default=64)
    ap.add_argument("--block", type=int, default=32)
    ap.add_argument("--reps", type=int, default=9)
    ap.add_argument("--pipeline-options", default="")
    ap.add_argument("--json", help="also write the results as JSON here")
    a = ap.parse_args()

    gen = subprocess.run(
        [sys.executable, os.path.join(HERE, "gen_bench.py"), "--m", str(a.m),
         "--n", str(a.n), "--k", str(a.k), "--rank", str(a.rank),
         "--block", str(a.block), "--reps", str(a.reps)],
        check=True, capture_output=True, text=True).stdout
    opt = os.path.join(a.build, "bin", "pixelfly-opt")
    pipeline = "--pixelfly-cpu-pipeline"
    if a.pipeline_options:
        pipeline += "=" + a.pipeline_options
    lowered = subprocess.run([opt, "-", pipeline], input=gen, check=True,
                             capture_output=True, text=True).stdout
    libdir = os.path.join(os.path.dirname(a.llvm_bin), "lib")
    libs = ",".join(os.path.join(libdir, f"lib{n}.so")
                    for n in ("mlir_runner_utils", "mlir_c_runner_utils"))
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_=str(1 << 30),
               MALLOC_TRIM_THRESHOLD_=str(1 << 30))
    out = subprocess.run(
        [os.path.join(a.llvm_bin, "mlir-runner"), "-e", "main",
         "-entry-point-result=void", f"-shared-libs={libs}"],
        input=lowered, check=True, capture_output=True, text=True,
        env=env).stdout

    times = {}
    for line in out.splitlines():
        name, value = line.split()
        times.setdefault(name, []).append(float(value))
    m, n, k, r = a.m, a.n, a.k, a.rank
    # Useful multiply-adds (x2 flops) of each case.
    flops = {"dense": 2 * m * n * k, "bs25": 2 * m * n * k // 4,
             "bs12": 2 * m * n * k // 8,
             "pf": 2 * m * n * k // 8 + 2 * m * r * (n + k)}
    what = {"dense": "dense `linalg.matmul`",
            "bs25": "block-sparse, 25% (butterfly 8/1)",
            "bs12": "block-sparse, 12.5% (butterfly 16/1)",
            "pf": f"`pixelfly.linear`, butterfly 16/1 + rank {r}"}
    dense = statistics.median(times["dense"])
    rows = []
    print(f"M x N x K = {m} x {n} x {k}, f32, block {a.block}, "
          f"{a.reps} timed runs each; {platform.machine()}, "
          f"{os.cpu_count()} cores")
    print()
    print("| case | median (ms) | min (ms) | max (ms) | GFLOP/s | speedup vs dense |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name in ("dense", "bs25", "bs12", "pf"):
        t = times[name]
        med = statistics.median(t)
        row = {"case": name, "what": what[name], "median_s": med,
               "min_s": min(t), "max_s": max(t),
               "gflops": flops[name] / med / 1e9, "speedup": dense / med}
        rows.append(row)
        print(f"| {what[name]} | {med * 1e3:.2f} | {min(t) * 1e3:.2f} | "
              f"{max(t) * 1e3:.2f} | {row['gflops']:.1f} | "
              f"{row['speedup']:.2f}x |")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"m": m, "n": n, "k": k, "rank": r, "block": a.block,
                       "reps": a.reps, "results": rows}, f, indent=2)


if __name__ == "__main__":
    main()
