#!/usr/bin/env python3
"""Tables, target checks and plots from the GPU benchmark's results.

    python3 report.py results/results.json [--out results]

rewrites results.md and the PNG plots from a results.json (run_bench.py
calls the same functions at the end of a run). Pure Python: it runs on any
machine, so plots can be redrawn away from the GPU.
"""

import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import plot_png  # noqa: E402

# Implementations, in table order, with what they are.
IMPLS = [
    ("cublas", "cuBLAS dense (torch.mm)"),
    ("ours_dense", "ours, dense (the block-sparse generator, every block)"),
    ("ours_hdense", "ours, dense, Hopper family (TMA + wgmma, sm_90a)"),
    ("ours_hpdense", "ours, dense, Hopper family, persistent grid of 132 blocks"),
    ("ours_htdense", "ours, dense, Hopper family, output through TMA stores"),
    ("ours_2to4", "ours, 2:4 (mma.sp)"),
    ("ours_h2to4", "ours, 2:4, Hopper family (TMA + sparse wgmma, sm_90a)"),
    ("ours_hp2to4", "ours, 2:4, Hopper family, persistent grid of 132 blocks"),
    ("ours_ht2to4", "ours, 2:4, Hopper family, output through TMA stores"),
    ("cusparselt", "cuSPARSELt 2:4 (torch semi-structured)"),
    ("cutlass", "CUTLASS 2:4 (torch semi-structured)"),
    ("ours_bs", "ours, block-sparse"),
    ("ours_hbs", "ours, block-sparse, Hopper family (TMA + wgmma, sm_90a)"),
    ("torch_bsr", "torch BSR matmul (Triton)"),
    ("ours_bslr", "ours, block-sparse + low-rank (pixelfly.linear)"),
    ("ours_hbslr", "ours, block-sparse + low-rank, Hopper family (TMA + wgmma, sm_90a)"),
    ("torch_bsr_lr", "torch BSR + two low-rank matmuls"),
]
ORDER = {name: i for i, (name, _) in enumerate(IMPLS)}

# The targets: bf16, M = 8192.
TARGET_DTYPE, TARGET_M = "bf16", 8192


def add_ratios(results):
    """speedup = cuBLAS median / median, same dtype, shape and M."""
    base = {(r["dtype"], r["shape"], r["m"]): r["median_ms"]
            for r in results if r["impl"] == "cublas" and "median_ms" in r}
    for r in results:
        key = (r["dtype"], r["shape"], r["m"])
        if "median_ms" in r and key in base:
            r["speedup"] = base[key] / r["median_ms"]


def _config(r):
    parts = []
    if "block" in r:
        parts.append(f"b{r['block']}")
    if "rank" in r:
        parts.append(f"r{r['rank']}")
    return " ".join(parts)


def _key(r):
    return (ORDER.get(r["impl"], 99), -r.get("density", 1.0), r.get("block", 0))


def results_table(rows):
    lines = ["| shape (N x K) | implementation | config | density | median ms "
             "(p10-p90) | TFLOP/s | vs cuBLAS | max rel err (vs the peer) |",
             "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        shape = f"{r['shape']} ({r['n']} x {r['k']})"
        if "median_ms" in r:
            time = f"{r['median_ms']:.4f} ({r['p10_ms']:.4f}-{r['p90_ms']:.4f})"
            tflops = f"{r['tflops']:.1f}"
            speedup = f"{r['speedup']:.2f}x" if "speedup" in r else "-"
        else:
            time, tflops, speedup = "failed", "-", "-"
        err = f"{r['max_rel_err']:.1e}" if "max_rel_err" in r else "-"
        if "vs_peer_rel_err" in r:
            err += f" ({r['vs_peer_rel_err']:.1e} vs {r['vs_peer']})"
        lines.append(f"| {shape} | {r['impl']} | {_config(r)} | "
                     f"{r.get('density', 1.0):g} | {time} | {tflops} | {speedup} | {err} |")
    return lines


def _best(rows, impl, density=None, block=None):
    """The fastest timed row of `impl` (at `density`, `block` if given)."""
    cands = [r for r in rows if r["impl"] == impl and "median_ms" in r
             and (density is None or r.get("density") == density)
             and (block is None or r.get("block") == block)]
    return min(cands, key=lambda r: r["median_ms"]) if cands else None


def target_checks(results):
    """The issue's targets, per shape at bf16 and M = 8192:
    (shape, target, measured, met) rows; measured is None when a side is
    missing."""
    rows = [r for r in results if r["dtype"] == TARGET_DTYPE and r["m"] == TARGET_M]
    shapes = list(dict.fromkeys(r["shape"] for r in rows))
    checks = []
    for shape in shapes:
        srows = [r for r in rows if r["shape"] == shape]

        def ratio(fast, slow):
            if fast is None or slow is None:
                return None
            return slow["median_ms"] / fast["median_ms"]

        cublas = _best(srows, "cublas")
        bslr = _best(srows, "ours_bslr", density=0.25)
        peer = (_best(srows, "torch_bsr_lr", density=0.25, block=bslr["block"])
                if bslr else None)
        two_four = _best(srows, "ours_2to4")
        checks += [
            (shape, "block-sparse + low-rank, 25%: >= 3x cuBLAS", ratio(bslr, cublas), 3.0),
            (shape, "block-sparse + low-rank, 25%: faster than torch BSR (+ low-rank), same layout",
             ratio(bslr, peer), 1.0),
            (shape, "2:4: >= 1.3x cuBLAS", ratio(two_four, cublas), 1.3),
            (shape, "2:4: at least as fast as cuSPARSELt",
             ratio(two_four, _best(srows, "cusparselt")), 1.0),
            (shape, "2:4, Hopper family: >= 1.3x cuBLAS",
             ratio(_best(srows, "ours_h2to4"), cublas), 1.3),
            (shape, "2:4, Hopper family: at least as fast as cuSPARSELt",
             ratio(_best(srows, "ours_h2to4"), _best(srows, "cusparselt")), 1.0),
            (shape, "2:4, Hopper family, persistent: >= 1.3x cuBLAS",
             ratio(_best(srows, "ours_hp2to4"), cublas), 1.3),
            (shape, "2:4, Hopper family, TMA stores: >= 1.3x cuBLAS",
             ratio(_best(srows, "ours_ht2to4"), cublas), 1.3),
            (shape, "our dense: >= 80% of cuBLAS", ratio(_best(srows, "ours_dense"), cublas), 0.8),
            (shape, "our dense, Hopper family: >= 80% of cuBLAS",
             ratio(_best(srows, "ours_hdense"), cublas), 0.8),
            (shape, "our dense, Hopper family, persistent: >= 80% of cuBLAS",
             ratio(_best(srows, "ours_hpdense"), cublas), 0.8),
            (shape, "our dense, Hopper family, TMA stores: >= 80% of cuBLAS",
             ratio(_best(srows, "ours_htdense"), cublas), 0.8),
            (shape, "Hopper family dense: not slower than the Ampere family",
             ratio(_best(srows, "ours_hdense"), _best(srows, "ours_dense")), 1.0),
            (shape, "Hopper family block-sparse + low-rank, 25%: >= 3x cuBLAS",
             ratio(_best(srows, "ours_hbslr", density=0.25), cublas), 3.0),
            (shape, "Hopper family block-sparse + low-rank, 25%: not slower than the Ampere family",
             ratio(_best(srows, "ours_hbslr", density=0.25),
                   _best(srows, "ours_bslr", density=0.25, block=64)), 1.0),
            (shape, "Hopper family block-sparse, 25%: not slower than the Ampere family",
             ratio(_best(srows, "ours_hbs", density=0.25),
                   _best(srows, "ours_bs", density=0.25, block=64)), 1.0),
        ]
    return [(s, t, v, None if v is None else v >= goal) for s, t, v, goal in checks]


def markdown(meta, results):
    lines = ["# GPU benchmark results", ""]
    lines += [f"- date: {meta.get('date')}", f"- GPU: {meta.get('gpu')}",
              f"- torch {meta.get('torch')}, CUDA {meta.get('cuda')}, "
              f"Python {meta.get('python')}; our kernels built for {meta.get('chip')}",
              f"- protocol: {meta.get('warmup')} warm-up calls, {meta.get('reps')} timed "
              f"calls, each after a {meta.get('l2_flush_bytes', 0) >> 20} MB write that "
              "flushes L2; CUDA events on one stream; medians (10th-90th percentile); "
              "TFLOP/s of useful work; speedups against cuBLAS in the same run",
              f"- command: `{meta.get('command')}`", ""]
    lines += ["## Targets (bf16, M = 8192)", "",
              "| shape | target | measured | met |", "| --- | --- | ---: | --- |"]
    for shape, target, value, met in target_checks(results):
        shown = "-" if value is None else f"{value:.2f}x"
        lines.append(f"| {shape} | {target} | {shown} | "
                     f"{'-' if met is None else ('yes' if met else 'no')} |")
    lines.append("")
    lines += ["## Implementations", ""]
    lines += [f"- `{name}`: {what}" for name, what in IMPLS]
    lines.append("")
    groups = sorted({(r["dtype"], r["m"]) for r in results},
                    key=lambda g: (g[0] != TARGET_DTYPE, g[1] != TARGET_M, g))
    for dtype, m in groups:
        rows = [r for r in results if r["dtype"] == dtype and r["m"] == m]
        shapes = list(dict.fromkeys(r["shape"] for r in rows))
        rows.sort(key=lambda r: (shapes.index(r["shape"]),) + _key(r))
        lines += [f"## {dtype}, M = {m}", ""] + results_table(rows) + [""]
    failed = [r for r in results if not r.get("ok")]
    if failed:
        lines += ["## Not timed", "",
                  "Failed the correctness check, or the peer is not available in "
                  "this torch:", ""]
        for r in failed:
            why = r.get("error") or f"max rel err {r.get('max_rel_err', float('nan')):.3g}"
            lines.append(f"- {r['dtype']} {r['shape']} m={r['m']} {r['impl']} "
                         f"{_config(r)}: {why}")
        lines.append("")
    if meta.get("not_run"):
        lines += ["## Not run (time budget)", ""]
        lines += [f"- {g}" for g in meta["not_run"]]
        lines.append("")
    if meta.get("resources"):
        lines += ["## Kernel resources (ptxas, at build time)", "",
                  "| our kernel | launch | registers | spill stores / loads (bytes) "
                  "| static shared memory (bytes) |", "| --- | --- | ---: | ---: | ---: |"]
        for name, launches in sorted(meta["resources"].items()):
            for fn, r in launches.items():
                lines.append(f"| {name} | {fn} | {r.get('registers', '-')} | "
                             f"{r.get('spill_stores', 0)} / {r.get('spill_loads', 0)} | "
                             f"{r.get('static_smem', 0)} |")
        lines.append("")
    if meta.get("skipped"):
        lines += ["## Layouts not built", ""]
        lines += [f"- {s['name']}: {s['reason']}" for s in meta["skipped"]]
        lines.append("")
    return "\n".join(lines)


# Plot series: (impl, block or None, color, label).
SERIES = [
    ("ours_bs", 32, (31, 119, 180), "ours bs b32"),
    ("ours_bs", 64, (23, 190, 207), "ours bs b64"),
    ("ours_hbs", 64, (0, 0, 128), "ours bs b64 Hopper"),
    ("ours_bslr", 32, (44, 160, 44), "ours bs+lr b32"),
    ("ours_bslr", 64, (148, 103, 189), "ours bs+lr b64"),
    ("ours_hbslr", 64, (75, 0, 130), "ours bs+lr b64 Hopper"),
    ("torch_bsr", 32, (214, 39, 40), "torch bsr b32"),
    ("torch_bsr", 64, (255, 127, 14), "torch bsr b64"),
    ("ours_2to4", None, (227, 119, 194), "ours 2:4"),
    ("ours_h2to4", None, (199, 21, 133), "ours 2:4 Hopper"),
    ("ours_hp2to4", None, (255, 0, 255), "ours 2:4 Hopper persistent"),
    ("ours_ht2to4", None, (128, 0, 64), "ours 2:4 Hopper TMA stores"),
    ("cusparselt", None, (140, 86, 75), "cusparselt 2:4"),
    ("ours_dense", None, (188, 189, 34), "ours dense"),
    ("ours_hdense", None, (128, 128, 0), "ours dense Hopper"),
    ("ours_hpdense", None, (0, 128, 128), "ours dense Hopper persistent"),
    ("ours_htdense", None, (0, 100, 0), "ours dense Hopper TMA stores"),
]


def plot(results, dtype, shape, m, path):
    rows = [r for r in results if r["dtype"] == dtype and r["shape"] == shape
            and r["m"] == m and "speedup" in r]
    if not rows:
        return False
    series = []
    for impl, block, color, label in SERIES:
        pts = sorted((r["density"], r["speedup"]) for r in rows
                     if r["impl"] == impl and (block is None or r.get("block") == block))
        if pts:
            series.append((label, color, pts))
    n, k = rows[0]["n"], rows[0]["k"]
    plot_png.speedup_plot(path, f"{shape} {n}x{k} m={m} {dtype}", series)
    return True


def write_all(meta, results, out):
    with open(os.path.join(out, "results.md"), "w") as f:
        f.write(markdown(meta, results) + "\n")
    for dtype, shape, m in sorted({(r["dtype"], r["shape"], r["m"]) for r in results}):
        plot(results, dtype, shape, m,
             os.path.join(out, f"speedup_{dtype}_{shape}_m{m}.png"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("results")
    ap.add_argument("--out", help="folder (default: the results' folder)")
    a = ap.parse_args()
    data = json.load(open(a.results))
    out = a.out or os.path.dirname(os.path.abspath(a.results))
    os.makedirs(out, exist_ok=True)
    add_ratios(data["results"])
    write_all(data["meta"], data["results"], out)
    print(f"report: {os.path.join(out, 'results.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
