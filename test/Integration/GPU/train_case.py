#!/usr/bin/env python3
"""Writes a training-step device case: one step of the GPT-2-medium MLP
block (examples/gen_training.py: forward, backward given the output
gradient, AdamW on the weights, SGD on the biases; bf16 products with f32
accumulation, the rest in f32, a dynamic number of tokens), dense or
sparsified by pixelfly-sparsify, wrapped as the harness's `@product` on
memrefs.

train_case.py --tools BUILD/bin --variant dense|2_4|butterfly|butterfly_gate|low_rank
              --out CASE.mlir
              [--d-model 1024] [--hidden 4096]

`@product` takes one memref per argument of the step (0-d ones, such as
the learning rate, as `memref<1xT>`), then one per result (the outputs),
and writes each result into its output. Every one is `llvm.noalias`: the
caller passes distinct buffers, which lets the lowering compute what
writes an output in the kernel that produces its input (the second
layer's bias in its product's epilogue). In the device cases it reads
every f32 argument through |.| (AdamW's second moments must not be
negative; the harness fills multiples of 1/8 of both signs). The same
function, without the |.|, is what the GPU benchmark times
(bench/gpu/build_bench.py), so its argument order is defined here only
(build_bench reads it back with gen_harness.product_arguments).
"""

import argparse
import importlib.util
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..", "..")

STEP = "mlp_train_step"
# The chip the steps are built for: the Hopper family's kernels.
CHIP = "sm_90a"
# How each variant is made from the dense step. The token count only
# plans the layers (the step's tokens stay dynamic).
VARIANTS = {
    "dense": None,
    "2_4": "mode=2:4 weights=argument tokens=8192",
    # Both layers 16/2 (18.75% of the 64 x 64 blocks) + rank 32, the
    # structure of issue 19's target: 0.227 of the dense step's cost in the
    # budget's model (at 0.25 it affords rank 48, whose factors' products
    # run on 16 x 16 blocks).
    "butterfly": ("mode=butterfly budget=0.23 block=64 weights=argument "
                  "tokens=8192 target=sm_90"),
    # The same plans, the terms mixed by a per-token gate.
    "butterfly_gate": ("mode=butterfly budget=0.23 block=64 weights=argument "
                       "tokens=8192 target=sm_90 gamma=gate"),
    # Low rank alone at the same budget (ranks 128 and 192; multiples of 64
    # keep the factors' products on the Hopper kernels' 64 x 64 blocks):
    # every product a dense one on a factor, X V and dY U shared.
    "low_rank": ("mode=butterfly structures=low_rank budget=0.23 "
                 "rank-multiple=64 block=64 weights=argument tokens=8192 "
                 "target=sm_90"),
}
# Token counts each case runs: ragged (its speed is the benchmark's job, at
# 8192 tokens; the CPU reference of a larger count takes minutes).
TOKENS = "200"


def dense_step(d_model, hidden):
    path = os.path.join(ROOT, "examples", "gen_training.py")
    spec = importlib.util.spec_from_file_location("gen_training", path)
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    gen.T, gen.D, gen.H, gen.DT = "?", d_model, hidden, "bf16"
    return gen.mlp_train_step()


def signature(text):
    """(argument types, result types) of @mlp_train_step in `text`."""
    m = re.search(r"func\.func @" + STEP + r"\((.*?)\)\s*->\s*\((.*?)\)\s*\{",
                  text, re.S)
    if not m:
        raise ValueError(f"no func.func @{STEP}")
    args = re.findall(r"%\w+: (tensor<[^>]*>)", m.group(1))
    results = re.findall(r"tensor<[^>]*>", m.group(2))
    return args, results


def memref_of(tensor):
    """The memref type @product takes for a step's tensor type."""
    inner = tensor[len("tensor<"):-1]
    return f"memref<1x{inner}>" if "x" not in inner else f"memref<{inner}>"


def plain_view(name, tensor, body):
    """The memref of type `tensor` that @product's argument `name` holds
    (a 0-d one is collapsed from its `memref<1xT>`, with a line in `body`)."""
    plain = tensor.replace("tensor", "memref")
    if memref_of(tensor) == plain:
        return name
    body.append(f"  {name}_0d = memref.collapse_shape {name} [] : "
                f"{memref_of(tensor)} into {plain}")
    return f"{name}_0d"


def wrapper(args, results, nonnegative):
    """@product: the step on memrefs (see the module docstring); with
    `nonnegative`, the f32 arguments are read through |.|."""
    params, body, values = [], [], []
    for i, ty in enumerate(args):
        params.append(f"%a{i}: {memref_of(ty)} {{llvm.noalias}}")
        source = plain_view(f"%a{i}", ty, body)
        body.append(f"  %t{i} = bufferization.to_tensor {source} restrict : "
                    f"{ty.replace('tensor', 'memref')} to {ty}")
        value = f"%t{i}"
        if nonnegative and (ty.endswith("xf32>") or ty == "tensor<f32>"):
            body.append(f"  %p{i} = math.absf %t{i} : {ty}")
            value = f"%p{i}"
        values.append(value)
    body.append(f"  %r:{len(results)} = func.call @{STEP}({', '.join(values)}) : "
                f"({', '.join(args)}) -> ({', '.join(results)})")
    for j, ty in enumerate(results):
        params.append(f"%o{j}: {memref_of(ty)} {{llvm.noalias}}")
        dest = plain_view(f"%o{j}", ty, body)
        body.append(f"  bufferization.materialize_in_destination %r#{j} in "
                    f"restrict writable {dest} : ({ty}, "
                    f"{ty.replace('tensor', 'memref')}) -> ()")
    return (f"func.func @product({', '.join(params)}) "
            "attributes {llvm.emit_c_interface} {\n" + "\n".join(body) +
            "\n  return\n}\n")


def opt(tools, text, *options):
    return subprocess.run([os.path.join(tools, "pixelfly-opt"), "-", *options],
                          input=text, capture_output=True, text=True,
                          check=True).stdout


def case_text(tools, variant, d_model=1024, hidden=4096, nonnegative=True):
    """The whole case: header and @product with the (sparsified) step
    inlined (the program links a GPU and a CPU compilation of it: one
    public symbol each). The benchmark's module (`nonnegative` false)
    takes its f32 arguments as they are: its caller passes valid states,
    and the step's time has no extra kernels."""
    text = dense_step(d_model, hidden)
    options = VARIANTS[variant]
    if options:
        text = opt(tools, text, f"--pixelfly-sparsify={options}")
        text = "\n".join(line for line in text.splitlines()
                         if line not in ("module {", "}")) + "\n"
    args, results = signature(text)
    # Private, the step and the parameters' initializer (@..._pack) go once
    # inlined or unused.
    text = re.sub(r"func\.func @", "func.func private @", text)
    text = opt(tools, text + wrapper(args, results, nonnegative), "--inline",
               "--symbol-dce")
    head = [
        f"// Generated by test/Integration/GPU/train_case.py --variant {variant};"
        " do not edit.",
        f"// One training step of the GPT-2-medium MLP block ({d_model} -> "
        f"{hidden} -> {d_model}, bf16",
        "// products, f32 accumulation, AdamW), "
        + (f"sparsified with {options}." if options else "dense.")[:200],
        f"// CHIP: {CHIP}",
        f"// M: {TOKENS}",
        f"// OUTPUTS: {len(results)}",
        "// COMPARE: relative",
        "// TOLERANCE: 0.02",
        "// REPS: 3",
    ]
    if variant != "dense":
        head.append("// BASELINE: train_dense_bf16_gpt2m_mlp")
    return "\n".join(head) + "\n" + text


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tools", required=True)
    ap.add_argument("--variant", choices=sorted(VARIANTS), required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--d-model", type=int, default=1024)
    ap.add_argument("--hidden", type=int, default=4096)
    a = ap.parse_args()
    text = case_text(a.tools, a.variant, a.d_model, a.hidden)
    with open(a.out, "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
