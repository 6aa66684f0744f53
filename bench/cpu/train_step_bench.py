#!/usr/bin/env python3
"""CPU benchmark of a whole training step: the GPT-2-style MLP block of
examples/gen_training.py (forward, backward, AdamW) dense, sparsified with
per-step 2:4, with a block-only butterfly and with a butterfly plus a
low-rank term, mixed by a learned gamma or by per-token gates
(docs/benchmarks.md).

Every variant goes through the same pipeline (`pixelfly-opt
--pixelfly-cpu-pipeline`) and runs in its own mlir-runner process on the
same inputs; the sparsified ones get their parameters from the generated
`_pack` function once, outside the timed region. Each step runs --warmup
times untimed, then --reps times timed with rtclock(); the table has the
median, min and max per step and the speedup over the dense step (ratio of
medians).

2:4 has no CPU speedup to expect: the CPU has no sparse tensor cores, the
per-step prune costs a pass over the weight, and the weight gradient stays
dense; it is timed to show what the rewrite costs there.

Usage: bench/cpu/train_step_bench.py [--build build] [--tokens 256]
           [--d-model 1024] [--hidden 4096] [--budget 0.25] [--block 64]
           [--lowrank-budget 0.25]
           [--reps 5] [--warmup 1] [--pipeline-options "threads=2"]
"""

import argparse
import importlib.util
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")


def load_generator():
    path = os.path.join(ROOT, "examples", "gen_training.py")
    spec = importlib.util.spec_from_file_location("gen_training", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def signature(text, name):
    """Argument and result types of func.func @name in `text`."""
    m = re.search(r"func\.func @" + name + r"\((.*?)\)\s*->\s*\((.*?)\)\s*\{", text, re.S)
    if not m:
        return None
    args = re.findall(r"%[\w]+: (tensor<[^>]*>)", m.group(1))
    results = re.findall(r"tensor<[^>]*>", m.group(2))
    return args, results


def unwrap(text):
    """A printed module without its `module {` ... `}` lines."""
    return "\n".join(line for line in text.splitlines()
                     if line != "module {" and line != "}") + "\n"


def timing_main(dense_args, step, pack, reps, warmup):
    """@main: inputs (small constants), the pack once, the step timed."""
    lines = ["func.func private @rtclock() -> f64",
             "func.func private @printF64(f64)",
             "func.func private @printNewline()",
             "func.func @main() {"]
    values = []
    for i, ty in enumerate(dense_args):
        # Small positive values: Adam's second moments must not be negative.
        lines.append(f"  %in{i} = arith.constant dense<0.0078125> : {ty}")
        values.append(f"%in{i}")
    step_args, step_results = step
    args = list(values)
    if len(step_args) != len(dense_args):
        # A low-rank term adds parameters (U, V, gamma and their states) that
        # the pack does not make: every argument is a small constant then;
        # the values do not change the work.
        args = []
        for i, ty in enumerate(step_args):
            lines.append(f"  %arg{i} = arith.constant dense<0.0078125> : {ty}")
            args.append(f"%arg{i}")
    elif pack:
        pack_args, pack_results = pack
        # The pack takes the dense tensors the step's parameters replace, in
        # argument order, and returns the parameters in the same order.
        replaced = [i for i, ty in enumerate(step_args) if ty != dense_args[i]]
        assert len(replaced) == len(pack_args) == len(pack_results)
        names = ", ".join(f"%p{j}" for j in range(len(pack_results)))
        lines.append(f"  {names} = func.call @mlp_train_step_pack("
                     f"{', '.join(values[i] for i in replaced)}) : "
                     f"({', '.join(pack_args)}) -> ({', '.join(pack_results)})")
        for j, i in enumerate(replaced):
            args[i] = f"%p{j}"
    call = (f"func.call @mlp_train_step({', '.join(args)}) : "
            f"({', '.join(step_args)}) -> ({', '.join(step_results)})")
    for rep in range(warmup + reps):
        lines.append(f"  %t0_{rep} = func.call @rtclock() : () -> f64")
        lines.append(f"  %r{rep}:{len(step_results)} = {call}")
        lines.append(f"  %t1_{rep} = func.call @rtclock() : () -> f64")
        if rep >= warmup:
            lines.append(f"  %dt_{rep} = arith.subf %t1_{rep}, %t0_{rep} : f64")
            lines.append(f"  func.call @printF64(%dt_{rep}) : (f64) -> ()")
            lines.append("  func.call @printNewline() : () -> ()")
    lines += ["  return", "}"]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--llvm-bin", default="/usr/lib/llvm-22/bin")
    ap.add_argument("--tokens", type=int, default=256)
    ap.add_argument("--d-model", type=int, default=1024)
    ap.add_argument("--hidden", type=int, default=4096)
    ap.add_argument("--budget", type=float, default=0.25)
    ap.add_argument("--block", type=int, default=64)
    ap.add_argument("--lowrank-budget", type=float, default=0.25,
                    help="budget of the butterfly plus low-rank variant "
                         "(default low-rank fraction)")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--pipeline-options", default="")
    a = ap.parse_args()

    gen = load_generator()
    gen.T, gen.D, gen.H = a.tokens, a.d_model, a.hidden
    dense_text = gen.mlp_train_step()
    dense_args, _ = signature(dense_text, "mlp_train_step")
    opt = os.path.join(a.build, "bin", "pixelfly-opt")
    libs = ",".join(os.path.join(a.llvm_bin, "..", "lib", lib) for lib in
                    ("libmlir_runner_utils.so", "libmlir_c_runner_utils.so",
                     "libomp.so"))
    variants = [
        ("dense", None),
        ("2:4 (per-step transposable prune)", "mode=2:4 weights=argument"),
        (f"butterfly {a.budget:g} (block {a.block}, no low-rank)",
         f"mode=butterfly low-rank-fraction=0 budget={a.budget} "
         f"block={a.block} weights=argument"),
        (f"butterfly + low-rank {a.lowrank_budget:g} (block {a.block})",
         f"mode=butterfly budget={a.lowrank_budget} block={a.block} "
         f"weights=argument"),
        (f"butterfly + low-rank {a.lowrank_budget:g} (block {a.block}, "
         "per-token gate)",
         f"mode=butterfly budget={a.lowrank_budget} block={a.block} "
         f"weights=argument gamma=gate"),
    ]
    pipeline = "--pixelfly-cpu-pipeline" + (
        f"={a.pipeline_options}" if a.pipeline_options else "")
    rows = []
    for name, options in variants:
        text = dense_text
        if options:
            text = subprocess.run([opt, f"--pixelfly-sparsify={options}"],
                                  input=text, capture_output=True, text=True,
                                  check=True).stdout
            text = unwrap(text)
        step = signature(text, "mlp_train_step")
        pack = signature(text, "mlp_train_step_pack")
        program = text + timing_main(dense_args, step, pack, a.reps, a.warmup)
        lowered = subprocess.run([opt, pipeline], input=program,
                                 capture_output=True, text=True, check=True).stdout
        out = subprocess.run(
            [os.path.join(a.llvm_bin, "mlir-runner"), "-e", "main",
             "-entry-point-result=void", f"-shared-libs={libs}"],
            input=lowered, capture_output=True, text=True, check=True).stdout
        times = [float(x) for x in out.split()]
        rows.append((name, times))

    flops = 3 * 2 * 2 * a.tokens * a.d_model * a.hidden
    print(f"MLP training step, {a.tokens} tokens, {a.d_model} -> {a.hidden} -> "
          f"{a.d_model}, f32, AdamW; {a.reps} reps; pipeline options "
          f"'{a.pipeline_options}'; dense step {flops / 1e9:.1f} GFLOP\n")
    print("| step | median ms | min ms | max ms | dense-equivalent GFLOP/s | speedup over dense |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    base = statistics.median(rows[0][1])
    for name, times in rows:
        med = statistics.median(times)
        print(f"| {name} | {med * 1e3:.1f} | {min(times) * 1e3:.1f} | "
              f"{max(times) * 1e3:.1f} | {flops / med / 1e9:.1f} | {base / med:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
