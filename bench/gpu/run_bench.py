#!/usr/bin/env python3
"""The GPU benchmark: our kernels against cuBLAS, cuSPARSELt / CUTLASS 2:4
and torch's block-sparse (BSR) matmul, in one run, on the same data.

Runs on the GPU machine, in the folder build_bench.py wrote (kernels/,
manifest.json, libpixelfly_runtime.so and these scripts), with PyTorch:

    python3 run_bench.py [--m 2048,8192,16384] [--dtypes bf16,f16]
                         [--shapes gpt2m_up,...] [--reps 50] [--warmup 10]
                         [--out results]

Protocol (DESIGN.md section 9): for every (dtype, shape, M), the dense
product through cuBLAS (torch.mm) is the baseline; every other
implementation is checked against an f32 reference of the same weights
before it is timed, then timed with CUDA events around each call, after a
warm-up, with the L2 cache flushed (a 256 MB write) before every
iteration; medians, 10th and 90th percentiles. TFLOP/s count useful work
(the multiply-adds the structure keeps). Everything runs on one stream:
our kernels are enqueued on torch's current stream (pixelflySetStream), so
events bracket them exactly as they bracket torch's ops.

Writes OUT/results.json, OUT/results.md (report.py) and the plots
OUT/speedup_<dtype>_<shape>_m<M>.png (plot_png.py).
"""

import argparse
import datetime
import json
import os
import platform
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import bench_config  # noqa: E402
import report  # noqa: E402

# Largest |out - ref| / max |ref| accepted before timing.
TOLERANCE = {"bf16": 2e-2, "f16": 1e-2}
# The six ways to keep 2 of 4.
PAIRS = [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]


def percentile(sorted_values, q):
    i = (len(sorted_values) - 1) * q
    lo = int(i)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (i - lo)


class Bench:
    def __init__(self, torch, args):
        self.torch = torch
        self.args = args
        # Larger than any GPU's L2 (H100: 50 MB): writing it evicts our data.
        self.flush_buffer = torch.empty(256 << 20, dtype=torch.int8, device="cuda")

    def time(self, fn):
        return time_cuda(self.torch, fn, self.args.reps, self.args.warmup,
                         self.flush_buffer)


def time_cuda(torch, fn, reps, warmup, flush_buffer):
    """Times `fn` with CUDA events on the current stream: `warmup` calls,
    then `reps` timed ones, each after a write of `flush_buffer` (which
    evicts the L2 cache). Also used by train_step_bench.py."""
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    starts = [torch.cuda.Event(enable_timing=True) for _ in range(reps)]
    stops = [torch.cuda.Event(enable_timing=True) for _ in range(reps)]
    for start, stop in zip(starts, stops):
        flush_buffer.zero_()
        start.record()
        fn()
        stop.record()
    torch.cuda.synchronize()
    times = sorted(s.elapsed_time(e) for s, e in zip(starts, stops))
    return {"median_ms": percentile(times, 0.5), "p10_ms": percentile(times, 0.1),
            "p90_ms": percentile(times, 0.9), "min_ms": times[0],
            "max_ms": times[-1], "reps": len(times)}


def relative_error(torch, out, ref):
    ref = ref.float()
    scale = ref.abs().max().item() or 1.0
    return (out.float() - ref).abs().max().item() / scale


def densify(torch, n, k, block, row_ptr, col_idx, values):
    rows, cols = n // block, k // block
    counts = torch.tensor([row_ptr[i + 1] - row_ptr[i] for i in range(rows)],
                          device="cuda")
    block_rows = torch.repeat_interleave(torch.arange(rows, device="cuda"), counts)
    block_cols = torch.tensor(col_idx, device="cuda")
    grid = torch.zeros(rows, cols, block, block, dtype=values.dtype, device="cuda")
    grid[block_rows, block_cols] = values
    return grid.permute(0, 2, 1, 3).reshape(n, k)


def two_four_operands(torch, n, k, dtype, gen):
    """A random 2:4 weight (dense), its compressed values and metadata in
    the dialect's format (docs/Dialect.md)."""
    groups = k // 4
    choice = torch.randint(0, 6, (n, groups), device="cuda", generator=gen)
    first = torch.tensor([p[0] for p in PAIRS], device="cuda")[choice]
    second = torch.tensor([p[1] for p in PAIRS], device="cuda")[choice]
    dense = torch.randn(n, k, device="cuda", generator=gen) / k ** 0.5
    grouped = dense.view(n, groups, 4)
    keep = torch.zeros(n, groups, 4, dtype=torch.bool, device="cuda")
    keep.scatter_(2, first.unsqueeze(2), True)
    keep.scatter_(2, second.unsqueeze(2), True)
    weight = (grouped * keep).view(n, k).to(dtype)
    values = torch.stack([grouped.gather(2, first.unsqueeze(2)).squeeze(2),
                          grouped.gather(2, second.unsqueeze(2)).squeeze(2)],
                         dim=2).reshape(n, k // 2).to(dtype)
    nibbles = (first | (second << 2)).view(n, k // 16, 4)
    shifts = torch.tensor([0, 4, 8, 12], device="cuda")
    words = (nibbles << shifts).sum(dim=2)
    metadata = torch.where(words >= 32768, words - 65536, words).to(torch.int16)
    return weight, values.contiguous(), metadata.contiguous()


def semi_structured(torch, weight, backend):
    """`weight` as torch's 2:4 tensor through `backend` (cusparselt or
    cutlass), or raises."""
    import torch.sparse as ts
    if backend == "cutlass" and torch.cuda.get_device_capability()[0] != 8:
        # torch's CUTLASS 2:4 kernels are built for compute capability 8.x.
        raise RuntimeError("torch's CUTLASS 2:4 product runs on sm_8x only")
    cls = {"cusparselt": "SparseSemiStructuredTensorCUSPARSELT",
           "cutlass": "SparseSemiStructuredTensorCUTLASS"}[backend]
    if hasattr(ts, cls):
        return getattr(ts, cls).from_dense(weight)
    # Older torch: one class, a switch between the two backends.
    ts.SparseSemiStructuredTensor._FORCE_CUTLASS = backend == "cutlass"
    return ts.to_sparse_semi_structured(weight)


def bsr_matmul(torch, w_bsr, x):
    """torch's block-sparse product x W^T: the first of its entry points
    that this torch has for CUDA BSR weights, the Triton kernel called
    directly into a preallocated N x M output first (F.linear reaches the
    same kernel through addmm with an extra zero fill, or a generic path).
    Returns (fn, name); fn returns the M x N product (a transposed view)."""
    import torch.nn.functional as F
    candidates = []
    try:
        from torch.sparse._triton_ops import bsr_dense_mm
        xt = x.t()
        out = torch.empty(w_bsr.shape[0], x.shape[0], dtype=x.dtype, device=x.device)
        candidates.append(("bsr_dense_mm(W_bsr, x^T, out)^T",
                           lambda: bsr_dense_mm(w_bsr, xt, out=out).t()))
    except ImportError:
        pass
    candidates.append(("F.linear(x, W_bsr)", lambda: F.linear(x, w_bsr)))
    candidates.append(("(W_bsr @ x^T)^T", lambda: (w_bsr @ x.t()).t()))
    errors = []
    for name, fn in candidates:
        try:
            fn()
            torch.cuda.synchronize()
            return fn, name
        except Exception as e:  # the next entry point may work
            errors.append(f"{name}: {type(e).__name__}: {str(e).splitlines()[0][:200]}")
    raise RuntimeError("; ".join(errors))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--folder", default=HERE, help="what build_bench.py wrote")
    ap.add_argument("--m", default=",".join(map(str, bench_config.TOKENS)))
    ap.add_argument("--dtypes", default="bf16,f16")
    ap.add_argument("--shapes")
    ap.add_argument("--reps", type=int, default=50)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--out", default="results")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--time-budget", type=float, default=0,
                    help="seconds: start no new (dtype, shape, M) after this "
                         "much time (0: no limit); the rest is reported as not run")
    a = ap.parse_args()
    known_shapes = [s[0] for s in bench_config.SHAPES]
    shapes = a.shapes.split(",") if a.shapes else known_shapes
    dtypes_asked = a.dtypes.split(",")
    for name, known in ((shapes, known_shapes), (dtypes_asked, ["bf16", "f16"])):
        unknown = [v for v in name if v not in known]
        if unknown:
            sys.exit(f"run_bench: unknown {unknown}; known: {known}")
    tokens = [int(v) for v in a.m.split(",")]

    import torch
    import torch.nn.functional as F
    if not torch.cuda.is_available():
        sys.exit("run_bench: no CUDA device for torch")
    torch.backends.cuda.matmul.allow_tf32 = False
    import pixelfly_kernels as pk
    manifest = json.load(open(os.path.join(a.folder, "manifest.json")))
    torch.cuda.init()
    # Everything on one stream of our own: torch's ops, the events, and our
    # kernels (stream-ordered through pixelflySetStream). Not the default
    # stream, whose handle is 0.
    stream = torch.cuda.Stream()
    torch.cuda.set_stream(stream)
    handle = torch.cuda.current_stream().cuda_stream
    if not handle:
        sys.exit("run_bench: torch's current stream has no handle")
    runtime = pk.Runtime(a.folder)
    if not runtime.available():
        sys.exit(f"run_bench: pixelfly runtime: {runtime.error()}")
    runtime.set_stream(handle)
    bench = Bench(torch, a)
    dtypes = {"bf16": torch.bfloat16, "f16": torch.float16}
    results = []
    loaded = {}
    meta = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "gpu": torch.cuda.get_device_name(),
        "capability": "sm_%d%d" % torch.cuda.get_device_capability(),
        "pixelfly_device": runtime.device_name(),
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "python": platform.python_version(),
        "chip": manifest.get("chip"),
        "reps": a.reps, "warmup": a.warmup, "l2_flush_bytes": 256 << 20,
        "command": " ".join([os.path.basename(sys.argv[0])] + sys.argv[1:]),
        "skipped": manifest.get("skipped", []),
        # ptxas -v of every kernel at build time (registers, spills, smem).
        "resources": {k["name"]: k["ptxas"] for k in manifest["kernels"] if "ptxas" in k},
    }
    os.makedirs(a.out, exist_ok=True)

    def save():
        """Results so far: a crash or a time limit keeps what was measured."""
        report.add_ratios(results)
        with open(os.path.join(a.out, "results.json"), "w") as f:
            json.dump({"meta": meta, "results": results}, f, indent=1)

    def kernel(entry):
        if entry["name"] not in loaded:
            loaded[entry["name"]] = pk.Kernel(a.folder, entry)
        return loaded[entry["name"]]

    def runtime_check():
        err = runtime.error()
        if err:
            raise RuntimeError(f"pixelfly runtime: {err}")

    def record(base, impl, fn, out, ref, flops, extra=None):
        """Checks `fn` (which writes `out`, or returns its result when out
        is None) against `ref`, then times it."""
        row = dict(base, impl=impl, useful_gflop=flops / 1e9, **(extra or {}))
        output = None
        try:
            if out is not None:
                out.fill_(float("nan"))  # a kernel that writes nothing fails
            got = fn()
            torch.cuda.synchronize()
            if out is not None:
                got = out
            runtime_check()
            row["max_rel_err"] = relative_error(torch, got, ref)
            row["ok"] = row["max_rel_err"] <= TOLERANCE[base["dtype"]]
            output = got.clone()
            if row["ok"]:
                row.update(bench.time(fn))
                runtime_check()
                row["tflops"] = flops / (row["median_ms"] * 1e-3) / 1e12
        except Exception as e:
            runtime.clear_error()
            row["ok"] = False
            row.pop("median_ms", None)
            row["error"] = f"{type(e).__name__}: {str(e)[:400]}"
        if "median_ms" in row:
            status = f"{row['median_ms']:.4f} ms"
        else:
            status = "FAILED (%s)" % (row.get("error") or "max_rel_err %.3g" % row["max_rel_err"])
        print(f"{base['dtype']} {base['shape']} m={base['m']} {impl}"
              f"{' ' + extra['config'] if extra and 'config' in extra else ''}: {status}",
              flush=True)
        results.append(row)
        return row, output

    def against_peer(ours, peer):
        """Our row gets the largest difference from the peer's output
        (relative to the peer's largest magnitude), both checked first."""
        (row, out), (peer_row, peer_out) = ours, peer
        if out is not None and peer_out is not None:
            row["vs_peer"] = peer_row["impl"]
            row["vs_peer_rel_err"] = relative_error(torch, out, peer_out)

    def unavailable(base, impl, extra, error):
        results.append(dict(base, impl=impl, ok=False, error=str(error)[:600], **extra))
        print(f"{base['dtype']} {base['shape']} m={base['m']} {impl} "
              f"{extra.get('config', '')}: unavailable ({str(error)[:200]})", flush=True)

    def run_two_four(e, base, x, m, gen):
        n, k, dtype = base["n"], base["k"], dtypes[base["dtype"]]
        w24, values, meta24 = two_four_operands(torch, n, k, dtype, gen)
        ref24 = x.float() @ w24.float().t()
        ours = kernel(e)
        y24 = torch.empty(m, n, dtype=dtype, device="cuda")
        ptrs = [x.data_ptr(), values.data_ptr(), meta24.data_ptr(), y24.data_ptr()]
        flops = bench_config.useful_flops(e, m)
        extra = {"density": 0.5}
        mine = record(base, e["impl"], lambda: ours(m, ptrs), y24, ref24, flops, extra)
        if e.get("family") == "hopper":
            return  # the peers are timed once, beside the Ampere family's row
        for backend in ("cusparselt", "cutlass"):
            try:
                ws = semi_structured(torch, w24, backend)
            except Exception as ex:
                unavailable(base, backend, extra, f"{type(ex).__name__}: {ex}")
                continue
            peer = record(base, backend, lambda: F.linear(x, ws), None, ref24, flops, extra)
            if "vs_peer" not in mine[0]:
                against_peer(mine, peer)

    def run_blocks(e, base, x, m, gen):
        n, k, dtype = base["n"], base["k"], dtypes[base["dtype"]]
        block = e["block"]
        nnz = len(e["col_idx"])
        values = (torch.randn(nnz, block, block, device="cuda", generator=gen)
                  / (k * e["density"]) ** 0.5).to(dtype)
        wd = densify(torch, n, k, block, e["row_ptr"], e["col_idx"], values)
        block_ref = x.float() @ wd.float().t()
        ours = kernel(e)
        out = torch.empty(m, n, dtype=dtype, device="cuda")
        flops = bench_config.useful_flops(e, m)
        if e["density"] == 1.0:
            ptrs = [x.data_ptr(), values.data_ptr(), out.data_ptr()]
            mine = record(base, e["impl"], lambda: ours(m, ptrs), out, block_ref,
                          flops, {"density": 1.0})
            # The peer is cuBLAS on the same weights (not timed again).
            against_peer(mine, ({"impl": "cublas"}, torch.mm(x, wd.t())))
            return
        config = (f"b{block} d={e['density']:g}"
                  + (f" r={e['rank']}" if e["op"] == "linear" else ""))
        extra = {"block": block, "density": e["density"], "config": config}
        crow = torch.tensor(e["row_ptr"], device="cuda")
        col = torch.tensor(e["col_idx"], device="cuda")
        w_bsr = torch.sparse_bsr_tensor(crow, col, values, size=(n, k))
        if e["op"] == "bsmm":
            impl, peer_impl, ref = e["impl"], "torch_bsr", block_ref
            operands = [x, values, out]

            def peer_of(fn):
                return fn
        else:
            # Block-sparse + low-rank: Y = g X B^T + (1 - g) (X V) U^T.
            r, g = e["rank"], e["gamma"]
            extra["rank"] = r
            u = (torch.randn(n, r, device="cuda", generator=gen) / r ** 0.5).to(dtype)
            v = (torch.randn(k, r, device="cuda", generator=gen) / k ** 0.5).to(dtype)
            ref = g * block_ref + (1 - g) * ((x.float() @ v.float()) @ u.float().t())
            impl, peer_impl = e["impl"], "torch_bsr_lr"
            operands = [x, values, u, v, out]

            def peer_of(fn):
                return lambda: torch.addmm(fn(), x @ v, u.t(), beta=g, alpha=1 - g)
        ptrs = [t.data_ptr() for t in operands]
        mine = record(base, impl, lambda: ours(m, ptrs), out, ref, flops, extra)
        if e.get("family") == "hopper":
            return  # the peer is timed once, beside the Ampere family's row
        try:
            fn, how = bsr_matmul(torch, w_bsr, x)
        except Exception as ex:
            unavailable(base, peer_impl, extra, ex)
            return
        against_peer(mine, record(base, peer_impl, peer_of(fn), None, ref, flops,
                                  dict(extra, entry_point=how)))

    gen = torch.Generator(device="cuda")
    started = time.monotonic()
    not_run = []
    for dname in dtypes_asked:
        dtype = dtypes[dname]
        for shape, n, k in bench_config.SHAPES:
            if shape not in shapes:
                continue
            entries = [e for e in manifest["kernels"]
                       if e["dtype"] == dname and e["shape"] == shape]
            for m in tokens:
                if a.time_budget and time.monotonic() - started > a.time_budget:
                    not_run.append(f"{dname} {shape} m={m}")
                    continue
                gen.manual_seed(a.seed)
                base = {"dtype": dname, "shape": shape, "n": n, "k": k, "m": m}
                x = torch.randn(m, k, device="cuda", generator=gen).to(dtype)
                w = (torch.randn(n, k, device="cuda", generator=gen) / k ** 0.5).to(dtype)
                y = torch.empty(m, n, dtype=dtype, device="cuda")
                ref = x.float() @ w.float().t()
                record(base, "cublas", lambda: torch.mm(x, w.t(), out=y), y, ref,
                       2 * m * n * k, {"density": 1.0})
                for e in entries:
                    try:
                        if e["op"] == "two_four":
                            run_two_four(e, base, x, m, gen)
                        else:
                            run_blocks(e, base, x, m, gen)
                    except Exception as ex:  # set-up of one entry: the rest goes on
                        runtime.clear_error()
                        unavailable(base, e["name"], {}, f"{type(ex).__name__}: {ex}")
                save()
    runtime.set_stream(None)
    meta["not_run"] = not_run
    save()
    report.write_all(meta, results, a.out)
    failed = [r for r in results if not r.get("ok")]
    print(f"run_bench: {len(results) - len(failed)} timed, {len(failed)} failed or "
          f"unavailable; {os.path.join(a.out, 'results.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
