#!/usr/bin/env python3
"""CPU benchmark: pixelfly block-sparse and Pixelfly products against the
same pipeline's dense linalg.matmul and OpenBLAS's sgemm (docs/benchmarks.md).

Generates the module with gen_bench.py, lowers it with
`pixelfly-opt --pixelfly-cpu-pipeline`, runs it with mlir-runner (one
process, every case on the same inputs) and prints a markdown table:
median, min and max time per case, GFLOP/s of useful work, and the speedup
over our dense product and over OpenBLAS's dense sgemm on one thread
(ratios of medians; OpenBLAS, Debian's libopenblas, is called from the same
program on the same data, on one thread and on all cores). Each product writes one caller-owned
result buffer in place; the allocator keeps large blocks (glibc
MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_), so that the products'
own temporaries (packed weight slices, transposed blocks) reuse memory
instead of page-faulting fresh mmaps inside the timed region.

Usage: bench/cpu/run_bench.py [--build build] [--m 256] [--n 4096] [--k 1024]
           [--rank 64] [--reps 9] [--pipeline-options "cpu=x86-64-v3 ..."]
           [--runner-args "--mattr=-avx512f"] [--openblas PATH] [--json F]
"""

import argparse
import ctypes.util
import json
import os
import platform
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def find_openblas():
    name = ctypes.util.find_library("openblas")
    if not name:
        return ""
    for d in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
              "/usr/lib64", "/usr/lib"):
        if os.path.exists(os.path.join(d, name)):
            return os.path.join(d, name)
    return name


def find_libomp():
    for p in ("/usr/lib/llvm-22/lib/libomp.so",
              "/usr/lib/x86_64-linux-gnu/libomp.so.5"):
        if os.path.exists(p):
            return p
    return ""


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
    ap.add_argument("--runner-args", default="",
                    help="extra mlir-runner options, e.g. --mattr=-avx512f "
                         "to compile as for an AVX2 machine")
    ap.add_argument("--openblas", default=find_openblas(),
                    help="libopenblas to compare with (default: the system's; "
                         "empty: no OpenBLAS cases)")
    ap.add_argument("--libomp", default=find_libomp(),
                    help="OpenMP runtime for our multi-threaded cases "
                         "(default: LLVM's libomp; empty: one thread only)")
    ap.add_argument("--json", help="also write the results as JSON here")
    ap.add_argument("--plot", help="also draw speedup over OpenBLAS against "
                                   "density as a PNG here")
    a = ap.parse_args()

    threads = os.cpu_count()
    libdir = os.path.join(os.path.dirname(a.llvm_bin), "lib")
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_=str(1 << 30),
               MALLOC_TRIM_THRESHOLD_=str(1 << 30))
    opt = os.path.join(a.build, "bin", "pixelfly-opt")
    times = {}
    # Our products once sequential (with OpenBLAS's cases), once on all
    # cores (threads=N: OpenMP, hence libomp); a case of the second program
    # is named with its thread count.
    for t in ([1, threads] if threads > 1 and a.libomp else [1]):
        gen = subprocess.run(
            [sys.executable, os.path.join(HERE, "gen_bench.py"), "--m",
             str(a.m), "--n", str(a.n), "--k", str(a.k), "--rank",
             str(a.rank), "--block", str(a.block), "--reps", str(a.reps)] +
            (["--blas-threads", f"1,{threads}"] if a.openblas and t == 1
             else []),
            check=True, capture_output=True, text=True).stdout
        options = " ".join(o for o in (a.pipeline_options, f"threads={t}") if o)
        lowered = subprocess.run(
            [opt, "-", f"--pixelfly-cpu-pipeline={options}"], input=gen,
            check=True, capture_output=True, text=True).stdout
        libs = ",".join(
            [os.path.join(libdir, f"lib{n}.so")
             for n in ("mlir_runner_utils", "mlir_c_runner_utils")] +
            ([a.openblas] if a.openblas and t == 1 else []) +
            ([a.libomp] if t > 1 else []))
        out = subprocess.run(
            [os.path.join(a.llvm_bin, "mlir-runner"), "-e", "main",
             "-entry-point-result=void", f"-shared-libs={libs}"] +
            a.runner_args.split(),
            input=lowered, check=True, capture_output=True, text=True,
            env=env).stdout
        for line in out.splitlines():
            name, value = line.split()
            if t > 1:
                name += f"@{t}"
            times.setdefault(name, []).append(float(value))

    m, n, k, r = a.m, a.n, a.k, a.rank
    # Useful multiply-adds (x2 flops) of each case.
    flops = {"dense": 2 * m * n * k, "bs25": 2 * m * n * k // 4,
             "bs12": 2 * m * n * k // 8,
             "pf": 2 * m * n * k // 8 + 2 * m * r * (n + k),
             "tf": m * n * k,
             "blas1": 2 * m * n * k, f"blas{threads}": 2 * m * n * k}
    what = {"dense": "dense `linalg.matmul`",
            "bs25": "block-sparse, 25% (butterfly 8/1)",
            "bs12": "block-sparse, 12.5% (butterfly 16/1)",
            "pf": f"`pixelfly.linear`, butterfly 16/1 + rank {r}",
            "tf": "2:4 (`two_four_matmul`, no CPU speedup to expect)",
            "blas1": "OpenBLAS sgemm, 1 thread",
            f"blas{threads}": f"OpenBLAS sgemm, {threads} threads"}
    for c in ("dense", "bs25", "bs12", "pf", "tf"):
        flops[f"{c}@{threads}"] = flops[c]
        what[f"{c}@{threads}"] = f"{what[c]}, {threads} threads"
    order = ["blas1", f"blas{threads}", "dense", "bs25", "bs12", "pf", "tf"] + [
        f"{c}@{threads}" for c in ("dense", "bs25", "bs12", "pf", "tf")]
    names = [c for c in order if c in times]

    def median(name):
        return statistics.median(times[name]) if name in times else None

    rows = []
    print(f"M x N x K = {m} x {n} x {k}, f32, block {a.block}, "
          f"{a.reps} timed runs each; {platform.machine()}, "
          f"{threads} cores; pipeline options: "
          f"{a.pipeline_options or '(defaults)'}"
          + (f"; runner: {a.runner_args}" if a.runner_args else ""))
    print()
    print("Ratios are against our dense product and OpenBLAS on the same "
          "number of threads; the last column, of a case on all threads "
          "against itself on one.")
    print()
    print("| case | median (ms) | min (ms) | max (ms) | GFLOP/s | vs our dense "
          "| vs OpenBLAS | vs 1 thread |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in names:
        t = times[name]
        med = statistics.median(t)
        base, _, nt = name.partition("@")
        if base.startswith("blas"):
            nt, base = base[4:], "blas"
        nt = nt or "1"
        dense = median("dense" if nt == "1" else f"dense@{nt}")
        blas = median(f"blas{nt}")
        single = median(base if base != "blas" else "blas1")
        ratio = lambda b: f"{b / med:.2f}x" if b else "-"
        row = {"case": name, "what": what[name], "threads": int(nt),
               "median_s": med, "min_s": min(t), "max_s": max(t),
               "gflops": flops[name] / med / 1e9,
               "vs_dense": dense / med if dense else None,
               "vs_openblas": blas / med if blas else None,
               "vs_one_thread": single / med if single and nt != "1" else None}
        rows.append(row)
        print(f"| {what[name]} | {med * 1e3:.2f} | {min(t) * 1e3:.2f} | "
              f"{max(t) * 1e3:.2f} | {row['gflops']:.1f} | {ratio(dense)} | "
              f"{ratio(blas)} | {ratio(single) if nt != '1' else '-'} |")
    if a.plot and "blas1" in times:
        sys.path.insert(0, os.path.join(HERE, "..", "gpu"))
        import plot_png  # noqa: E402
        series = []
        colors = [(31, 119, 180), (214, 39, 40)]
        for i, nt in enumerate(sorted({r["threads"] for r in rows
                                       if not r["case"].startswith("blas")})):
            by = {r["case"].partition("@")[0]: r["vs_openblas"] for r in rows
                  if r["threads"] == nt and r["vs_openblas"]}
            pts = [(d, by[c]) for d, c in ((0.125, "bs12"), (0.25, "bs25"),
                                            (1.0, "dense")) if c in by]
            series.append((f"ours {nt} thread" + ("s" if nt > 1 else ""),
                           colors[i % 2], pts))
        plot_png.speedup_plot(
            a.plot, f"{m}x{n}x{k} f32 vs OpenBLAS (same threads)", series,
            baseline="openblas")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"m": m, "n": n, "k": k, "rank": r, "block": a.block,
                       "reps": a.reps, "pipeline_options": a.pipeline_options,
                       "runner_args": a.runner_args, "results": rows}, f,
                      indent=2)


if __name__ == "__main__":
    main()
