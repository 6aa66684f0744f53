#!/usr/bin/env python3
"""A whole training step on the GPU: our GPT-2-medium MLP block steps
(dense, 2:4 with the per-step transposable prune, butterfly + low-rank
with a scalar gamma and with per-token gates),
compiled by build_bench.py, against the dense step in PyTorch, in one run.

Runs on the GPU machine, in the folder build_bench.py wrote, with PyTorch:

    python3 train_step_bench.py [--m 8192] [--reps 20] [--warmup 5]
                                [--out results]

Our step (test/Integration/GPU/train_case.py) is the function of
examples/gen_training.py: forward (x W1^T + b1, GELU in its tanh form,
h W2^T + b2), backward given dL/dy, AdamW on the weights and SGD on the
biases; bf16 weights, activations and products, f32 accumulation, f32
optimizer states and biases. PyTorch's step is the same block in pure
bf16 (nn.Linear weights and biases, GELU tanh, autograd for dx and the
parameters' gradients, torch.optim.AdamW(fused=True)): the dense step a
PyTorch user runs. Each step is timed end to end with CUDA events on one
stream (our library is stream-ordered on it), after a warm-up, with the L2
cache flushed before every repetition; medians, 10th and 90th percentiles,
and the speedup over PyTorch's step (ratio of medians). Our steps' outputs
must be finite to be timed (their numerics are checked against the CPU by
the device tests).

Writes OUT/train.json and OUT/train.md.
"""

import argparse
import datetime
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from run_bench import time_cuda  # noqa: E402

D_MODEL, HIDDEN = 1024, 4096


def torch_step(torch, m, gen):
    """PyTorch's dense step: returns a function running one step."""
    import torch.nn.functional as F
    bf16 = torch.bfloat16
    x = torch.randn(m, D_MODEL, device="cuda", generator=gen).to(bf16).requires_grad_()
    dout = (torch.randn(m, D_MODEL, device="cuda", generator=gen) / m).to(bf16)
    up = torch.nn.Linear(D_MODEL, HIDDEN, device="cuda", dtype=bf16)
    down = torch.nn.Linear(HIDDEN, D_MODEL, device="cuda", dtype=bf16)
    params = list(up.parameters()) + list(down.parameters())
    opt = torch.optim.AdamW(params, lr=1e-4, weight_decay=0.01, fused=True)

    def step():
        opt.zero_grad(set_to_none=True)
        x.grad = None
        y = down(F.gelu(up(x), approximate="tanh"))
        y.backward(dout)
        opt.step()
    return step


def our_step(torch, pk, folder, entry, m, gen):
    """Our step with arguments of its shapes: bf16 entries ~ N(0, 1/64),
    f32 ones (biases, optimizer states, the learning rate) small and
    non-negative (AdamW's second moments must be), the outputs empty.
    Returns (function, outputs)."""
    kernel = pk.Kernel(folder, entry)
    dtypes = {"bf16": torch.bfloat16, "f16": torch.float16, "f32": torch.float32,
              "i16": torch.int16}
    tensors = []
    outputs = entry["outputs"]
    for i, (arg, shape) in enumerate(zip(kernel.args, kernel.shapes(m))):
        if i >= len(kernel.args) - outputs:
            tensors.append(torch.empty(shape, dtype=dtypes[arg["dtype"]], device="cuda"))
            continue
        values = torch.randn(shape, device="cuda", generator=gen) / 8
        if arg["dtype"] == "f32":
            values = values.abs() / 128
        tensors.append(values.to(dtypes[arg["dtype"]]))
    pointers = [t.data_ptr() for t in tensors]
    return (lambda: kernel(m, pointers)), tensors[len(tensors) - outputs:]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--folder", default=HERE)
    ap.add_argument("--m", type=int, default=8192)
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default="results")
    a = ap.parse_args()

    import torch
    if not torch.cuda.is_available():
        sys.exit("train_step_bench: no CUDA device for torch")
    import pixelfly_kernels as pk
    manifest = json.load(open(os.path.join(a.folder, "manifest.json")))
    steps = manifest.get("train_steps", [])
    stream = torch.cuda.Stream()
    torch.cuda.set_stream(stream)
    runtime = pk.Runtime(a.folder)
    if not runtime.available():
        sys.exit(f"train_step_bench: pixelfly runtime: {runtime.error()}")
    runtime.set_stream(torch.cuda.current_stream().cuda_stream)
    flush = torch.empty(256 << 20, dtype=torch.int8, device="cuda")
    gen = torch.Generator(device="cuda")
    gen.manual_seed(a.seed)
    rows = []

    row = {"step": "pytorch dense (bf16, autograd, fused AdamW)", "impl": "torch"}
    try:
        row.update(time_cuda(torch, torch_step(torch, a.m, gen), a.reps, a.warmup, flush))
    except Exception as e:
        row["error"] = f"{type(e).__name__}: {str(e)[:300]}"
    rows.append(row)
    for entry in steps:
        row = {"step": entry["name"], "impl": "ours", "sparsify": entry.get("sparsify")}
        try:
            fn, outputs = our_step(torch, pk, a.folder, entry, a.m, gen)
            fn()
            torch.cuda.synchronize()
            if runtime.error():
                raise RuntimeError(runtime.error())
            bad = [i for i, t in enumerate(outputs)
                   if not torch.isfinite(t.float()).all().item()]
            if bad:
                raise RuntimeError(f"outputs {bad} not finite")
            row.update(time_cuda(torch, fn, a.reps, a.warmup, flush))
            if runtime.error():
                raise RuntimeError(runtime.error())
        except Exception as e:
            runtime.clear_error()
            row["error"] = f"{type(e).__name__}: {str(e)[:300]}"
        rows.append(row)
    runtime.set_stream(None)

    base = rows[0].get("median_ms")
    for row in rows:
        if base and "median_ms" in row:
            row["speedup_vs_torch"] = base / row["median_ms"]
    meta = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "gpu": torch.cuda.get_device_name(), "torch": torch.__version__,
            "m": a.m, "d_model": D_MODEL, "hidden": HIDDEN, "reps": a.reps,
            "warmup": a.warmup}
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "train.json"), "w") as f:
        json.dump({"meta": meta, "results": rows}, f, indent=1)
    lines = [f"Training step, GPT-2-medium MLP block ({D_MODEL} -> {HIDDEN} -> "
             f"{D_MODEL}), M = {a.m}, bf16; {meta['gpu']}, torch {meta['torch']}, "
             f"{a.reps} reps", "",
             "| step | median ms | p10 ms | p90 ms | speedup over PyTorch |",
             "| --- | ---: | ---: | ---: | ---: |"]
    for row in rows:
        if "median_ms" in row:
            speed = row.get("speedup_vs_torch")
            lines.append(f"| {row['step']} | {row['median_ms']:.3f} | {row['p10_ms']:.3f} | "
                         f"{row['p90_ms']:.3f} | {speed:.2f}x |" if speed else
                         f"| {row['step']} | {row['median_ms']:.3f} | {row['p10_ms']:.3f} | "
                         f"{row['p90_ms']:.3f} | |")
        else:
            lines.append(f"| {row['step']} | failed: {row.get('error')} | | | |")
    with open(os.path.join(a.out, "train.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0 if all("median_ms" in r for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
