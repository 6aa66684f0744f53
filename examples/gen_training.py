#!/usr/bin/env python3
"""Generates the shipped training-step examples.

Writes, next to this script (or into --out-dir):

  train_mlp_step.mlir  one training step of a GPT-2-style MLP block
                       (d_model 256, hidden 1024, GELU in its tanh form,
                       128 tokens, f32): forward, backward given the output
                       gradient, AdamW on both weights (decoupled weight
                       decay; the learning rate carries the bias
                       correction), SGD on the biases. Written the way
                       torch-mlir lowers an aot_autograd joint graph:
                       `N x K` weights, linalg.transpose + linalg.matmul,
                       bias gradients as reductions over the tokens.
  train_mlp_step_bf16.mlir
                       the same step in mixed precision as autocast runs
                       it: f32 master weights and optimizer states, the
                       products read bf16 (the weights rounded once per
                       step) and accumulate in f32.
  train_sgd_step.mlir  one SGD step of a two-layer ReLU MLP written the way
                       JAX lowers it: `K x N` weights, transpositions as
                       indexing maps, no transpose ops, no input gradient
                       for the first layer.

Both functions take the weights as arguments and return the updated ones,
so `pixelfly-sparsify weights=argument` rewrites them as training steps
(docs/Sparsify.md). There is no data in them: the output is plain text and
the same on every machine (checked with --check).

Usage: python3 examples/gen_training.py [--out-dir DIR] [--check] [NAME...]
"""

import os
import sys

# T may be "?": the tokens are then a dynamic dimension (of %x).
T, D, H = 128, 256, 1024
# Element type of what the products read (inputs, weights, the activations
# and gradients between products). "bf16" gives mixed precision as
# autocast runs it: products accumulate in f32, elementwise math is f32,
# the optimizer states stay f32 and the updated weights are rounded back.
DT = "f32"
# With a DT other than f32: whether the weights are f32 master copies (the
# arguments and the updated weights are f32 and the step rounds them to DT
# for its products, as autocast does) rather than stored as DT.
MASTER = False

# Elementwise maps and iterator types used below.
HEADER = """\
#id = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (j)>
#scalar = affine_map<(i, j) -> ()>
#vec = affine_map<(i) -> (i)>
#vscalar = affine_map<(i) -> ()>
"""


def t(*dims, elt="f32"):
    return "tensor<" + "x".join(str(d) for d in dims) + "x" + elt + ">"


# The values stored as DT (the rest is f32).
STORED = {"x", "dout", "dy", "w1", "w2", "w1t", "w2t", "h", "dout_t", "dh_pre",
          "dh_pre_t", "w1_new", "w2_new"}


def empty(dims, ty):
    """tensor.empty of type `ty` with shape `dims` (`?` sized by %tokens)."""
    sizes = ", ".join("%tokens" for d in dims if d == "?")
    return f"tensor.empty({sizes}) : {ty}"


def elt(name):
    if MASTER and name in ("w1", "w2", "w1_new", "w2_new"):
        return "f32"
    return DT if name in STORED or name in ("w1_lp", "w2_lp") else "f32"


def tv(name, *dims):
    """The tensor type of value `name`."""
    return t(*dims, elt=elt(name))


class Body:
    """A function body under construction: one op per line."""

    def __init__(self):
        self.lines = []

    def __call__(self, text):
        self.lines.append("  " + text)

    def zeros(self, name, *dims):
        self(f"%{name}_e = {empty(dims, t(*dims))}")
        self(f"%{name} = linalg.fill ins(%zero : f32) outs(%{name}_e : {t(*dims)}) -> {t(*dims)}")

    def transpose(self, name, src, rows, cols):
        """%name = src^T, src being rows x cols."""
        self(f"%{name}_e = {empty((cols, rows), tv(name, cols, rows))}")
        self(f"%{name} = linalg.transpose ins(%{src} : {tv(src, rows, cols)}) "
             f"outs(%{name}_e : {tv(name, cols, rows)}) permutation = [1, 0]")

    def matmul(self, name, a, b, m, k, n, maps=None):
        """%name = a b (m x k times k x n), or with explicit maps; the
        result is f32."""
        self.zeros(f"{name}_z", m, n)
        if maps is None:
            self(f"%{name} = linalg.matmul ins(%{a}, %{b} : {tv(a, m, k)}, {tv(b, k, n)}) "
                 f"outs(%{name}_z : {t(m, n)}) -> {t(m, n)}")
        else:
            ta, tb = maps[1], maps[2]
            self(f"%{name} = linalg.matmul indexing_maps = [{maps[0]}] "
                 f"ins(%{a}, %{b} : {ta}, {tb}) outs(%{name}_z : {t(m, n)}) -> {t(m, n)}")

    def generic(self, name, ins, shape, body, maps=None, scalar_f32=()):
        """An elementwise linalg.generic over `shape` (2-D or 1-D). The
        body computes in f32 (`%a<i>` the inputs) and yields `%r`; inputs
        and the result stored as DT are converted at its ends."""
        rank = len(shape)
        ident, scal = ("#id", "#scalar") if rank == 2 else ("#vec", "#vscalar")
        operands, types, imaps = [], [], []
        for value in ins:
            operands.append(f"%{value}")
            if value in scalar_f32:
                types.append("tensor<f32>")
                imaps.append(scal)
            else:
                types.append(tv(value, *shape))
                imaps.append(ident)
        iters = ", ".join(['"parallel"'] * rank)
        out = tv(name, *shape)
        self(f"%{name}_e = {empty(shape, out)}")
        self(f"%{name} = linalg.generic {{indexing_maps = [{', '.join(imaps + [ident])}], "
             f"iterator_types = [{iters}]}}")
        self(f"    ins({', '.join(operands)} : {', '.join(types)}) outs(%{name}_e : {out}) {{")
        stored = [v not in scalar_f32 and elt(v) != "f32" for v in ins]
        args = ", ".join(f"%a{i}{'_s' if st else ''}: {elt(v) if st else 'f32'}"
                         for i, (v, st) in enumerate(zip(ins, stored)))
        self(f"^bb0({args}, %out: {elt(name)}):")
        for i, st in enumerate(stored):
            if st:
                self(f"  %a{i} = arith.extf %a{i}_s : {DT} to f32")
        assert body[-1] == "linalg.yield %r : f32"
        for line in body[:-1]:
            self("  " + line)
        if elt(name) != "f32":
            self(f"  %r_s = arith.truncf %r : f32 to {DT}")
            self(f"  linalg.yield %r_s : {DT}")
        else:
            self("  " + body[-1])
        self(f"}} -> {out}")


def adamw(b, w, g, m, v, shape):
    """AdamW on w with moments m, v: returns the names of w', m', v'."""
    b.generic(f"{m}_new", [m, g], shape, [
        "%beta1 = arith.constant 0.9 : f32",
        "%c1 = arith.constant 0.1 : f32",
        "%p = arith.mulf %beta1, %a0 : f32",
        "%q = arith.mulf %c1, %a1 : f32",
        "%r = arith.addf %p, %q : f32",
        "linalg.yield %r : f32"])
    b.generic(f"{v}_new", [v, g], shape, [
        "%beta2 = arith.constant 0.999 : f32",
        "%c2 = arith.constant 0.001 : f32",
        "%p = arith.mulf %beta2, %a0 : f32",
        "%g2 = arith.mulf %a1, %a1 : f32",
        "%q = arith.mulf %c2, %g2 : f32",
        "%r = arith.addf %p, %q : f32",
        "linalg.yield %r : f32"])
    b.generic(f"{w}_new", [w, f"{m}_new", f"{v}_new", "lr"], shape, [
        "%eps = arith.constant 1.0e-08 : f32",
        "%wd = arith.constant 0.01 : f32",
        "%s = math.sqrt %a2 : f32",
        "%d = arith.addf %s, %eps : f32",
        "%u = arith.divf %a1, %d : f32",
        "%decay = arith.mulf %wd, %a0 : f32",
        "%step = arith.addf %u, %decay : f32",
        "%scaled = arith.mulf %a3, %step : f32",
        "%r = arith.subf %a0, %scaled : f32",
        "linalg.yield %r : f32"], scalar_f32=("lr",))
    return f"{w}_new", f"{m}_new", f"{v}_new"


def sgd(b, w, g, shape):
    b.generic(f"{w}_new", [w, g, "lr"], shape, [
        "%s = arith.mulf %a2, %a1 : f32",
        "%r = arith.subf %a0, %s : f32",
        "linalg.yield %r : f32"], scalar_f32=("lr",))
    return f"{w}_new"


def bias_add(b, name, src, bias, rows, cols):
    b(f"%{name}_e = {empty((rows, cols), t(rows, cols))}")
    b(f"%{name} = linalg.generic {{indexing_maps = [#id, #row, #id], "
      f"iterator_types = [\"parallel\", \"parallel\"]}}")
    b(f"    ins(%{src}, %{bias} : {t(rows, cols)}, {t(cols)}) outs(%{name}_e : {t(rows, cols)}) {{")
    b("^bb0(%a: f32, %c: f32, %out: f32):")
    b("  %s = arith.addf %a, %c : f32")
    b("  linalg.yield %s : f32")
    b(f"}} -> {t(rows, cols)}")


def round_to_dt(b, name, src, rows, cols):
    """%name = src (f32) rounded to DT, as torch-mlir lowers a cast."""
    b(f"%{name}_e = {empty((rows, cols), t(rows, cols, elt=DT))}")
    b(f"%{name} = linalg.generic {{indexing_maps = [#id, #id], "
      f"iterator_types = [\"parallel\", \"parallel\"]}}")
    b(f"    ins(%{src} : {t(rows, cols)}) outs(%{name}_e : {t(rows, cols, elt=DT)}) {{")
    b(f"^bb0(%a: f32, %out: {DT}):")
    b(f"  %r = arith.truncf %a : f32 to {DT}")
    b(f"  linalg.yield %r : {DT}")
    b(f"}} -> {t(rows, cols, elt=DT)}")


def column_sum(b, name, src, rows, cols):
    """The bias gradient: the sum over the tokens (in f32)."""
    b.zeros(f"{name}_z", cols)
    b(f"%{name} = linalg.generic {{indexing_maps = [#id, #row], "
      f"iterator_types = [\"reduction\", \"parallel\"]}}")
    b(f"    ins(%{src} : {tv(src, rows, cols)}) outs(%{name}_z : {t(cols)}) {{")
    if elt(src) != "f32":
        b(f"^bb0(%a_s: {elt(src)}, %acc: f32):")
        b(f"  %a = arith.extf %a_s : {elt(src)} to f32")
    else:
        b("^bb0(%a: f32, %acc: f32):")
    b("  %s = arith.addf %acc, %a : f32")
    b("  linalg.yield %s : f32")
    b(f"}} -> {t(cols)}")


# tanh(c (u + 0.044715 u^3)), c = sqrt(2 / pi), as %th; %p = 1 + %th.
GELU_TANH = [
    "%c = arith.constant 0.7978845608 : f32",
    "%k = arith.constant 0.044715 : f32",
    "%half = arith.constant 0.5 : f32",
    "%one = arith.constant 1.0 : f32",
    "%u2 = arith.mulf %a0, %a0 : f32",
    "%u3 = arith.mulf %u2, %a0 : f32",
    "%ku3 = arith.mulf %k, %u3 : f32",
    "%in = arith.addf %a0, %ku3 : f32",
    "%arg = arith.mulf %c, %in : f32",
    "%th = math.tanh %arg : f32",
    "%p = arith.addf %one, %th : f32"]

# 0.5 u (1 + tanh(...))
GELU = GELU_TANH + [
    "%hu = arith.mulf %half, %a0 : f32",
    "%r = arith.mulf %hu, %p : f32",
    "linalg.yield %r : f32"]

# dh * (0.5 (1 + t) + 0.5 u (1 - t^2) c (1 + 3k u^2))
GELU_BACKWARD = GELU_TANH + [
    "%k3 = arith.constant 0.134145 : f32",
    "%left = arith.mulf %half, %p : f32",
    "%t2 = arith.mulf %th, %th : f32",
    "%sech2 = arith.subf %one, %t2 : f32",
    "%k3u2 = arith.mulf %k3, %u2 : f32",
    "%inner = arith.addf %one, %k3u2 : f32",
    "%dinner = arith.mulf %c, %inner : f32",
    "%hu = arith.mulf %half, %a0 : f32",
    "%s1 = arith.mulf %hu, %sech2 : f32",
    "%right = arith.mulf %s1, %dinner : f32",
    "%dg = arith.addf %left, %right : f32",
    "%r = arith.mulf %a1, %dg : f32",
    "linalg.yield %r : f32"]


def mlp_train_step():
    b = Body()
    b("%zero = arith.constant 0.0 : f32")
    if T == "?":
        b("%c0 = arith.constant 0 : index")
        b(f"%tokens = tensor.dim %x, %c0 : {tv('x', T, D)}")
    # The weights the products read: the master copies rounded to DT.
    w1, w2 = "w1", "w2"
    if MASTER:
        assert DT != "f32", "master copies are for DT other than f32"
        w1, w2 = "w1_lp", "w2_lp"
        round_to_dt(b, w1, "w1", H, D)
        round_to_dt(b, w2, "w2", D, H)
    # Forward: h = gelu(x W1^T + b1), y = h W2^T + b2.
    b.transpose("w1t", w1, H, D)
    b.matmul("h_mm", "x", "w1t", T, D, H)
    bias_add(b, "h_pre", "h_mm", "b1", T, H)
    b.generic("h", ["h_pre"], (T, H), GELU)
    b.transpose("w2t", w2, D, H)
    b.matmul("y_mm", "h", "w2t", T, H, D)
    bias_add(b, "y", "y_mm", "b2", T, D)
    # Backward given dout = dL/dy.
    b.matmul("dh", "dout", w2, T, D, H)
    b.transpose("dout_t", "dout", T, D)
    b.matmul("dw2", "dout_t", "h", D, T, H)
    column_sum(b, "db2", "dout", T, D)
    b.generic("dh_pre", ["h_pre", "dh"], (T, H), GELU_BACKWARD)
    b.matmul("dx", "dh_pre", w1, T, H, D)
    b.transpose("dh_pre_t", "dh_pre", T, H)
    b.matmul("dw1", "dh_pre_t", "x", H, T, D)
    column_sum(b, "db1", "dh_pre", T, H)
    # Updates.
    w1n, m1n, v1n = adamw(b, "w1", "dw1", "m_w1", "v_w1", (H, D))
    w2n, m2n, v2n = adamw(b, "w2", "dw2", "m_w2", "v_w2", (D, H))
    b1n = sgd(b, "b1", "db1", (H,))
    b2n = sgd(b, "b2", "db2", (D,))
    results = [("y", t(T, D)), ("dx", t(T, D)), (w1n, tv(w1n, H, D)), (b1n, t(H)),
               (w2n, tv(w2n, D, H)), (b2n, t(D)), (m1n, t(H, D)), (v1n, t(H, D)),
               (m2n, t(D, H)), (v2n, t(D, H))]
    b(f"return {', '.join('%' + n for n, _ in results)} : {', '.join(ty for _, ty in results)}")
    args = [("x", tv("x", T, D)), ("w1", tv("w1", H, D)), ("b1", t(H)),
            ("w2", tv("w2", D, H)), ("b2", t(D)), ("dout", tv("dout", T, D)),
            ("m_w1", t(H, D)), ("v_w1", t(H, D)),
            ("m_w2", t(D, H)), ("v_w2", t(D, H)), ("lr", "tensor<f32>")]
    head = (f"func.func @mlp_train_step({', '.join(f'%{n}: {ty}' for n, ty in args)})\n"
            f"    -> ({', '.join(ty for _, ty in results)}) {{")
    return ("// Generated by examples/gen_training.py; do not edit.\n"
            "// One training step of a GPT-2-style MLP block (see the script).\n"
            + (f"// Products read {DT}; they accumulate and the rest computes in f32.\n"
               if DT != "f32" else "")
            + ("// The weights are f32 master copies, rounded for the products.\n"
               if MASTER else "")
            + HEADER + head + "\n" + "\n".join(b.lines) + "\n}\n")


def sgd_step():
    assert DT == "f32" and T != "?", "the JAX-style step is f32 with static tokens"
    b = Body()
    b("%zero = arith.constant 0.0 : f32")
    # Forward: h = relu(x W1), y = h W2 (K x N weights).
    b.matmul("h_pre", "x", "w1", T, D, H)
    b.generic("h", ["h_pre"], (T, H), [
        "%r = arith.maximumf %a0, %zero : f32",
        "linalg.yield %r : f32"])
    b.matmul("y", "h", "w2", T, H, D)
    # Backward given dy; transpositions are indexing maps.
    b.matmul("dw2", "h", "dy", H, T, D, maps=(
        "affine_map<(k, n, m) -> (m, k)>, affine_map<(k, n, m) -> (m, n)>, "
        "affine_map<(k, n, m) -> (k, n)>", t(T, H), t(T, D)))
    b.matmul("dh", "dy", "w2", T, D, H, maps=(
        "affine_map<(m, k, n) -> (m, n)>, affine_map<(m, k, n) -> (k, n)>, "
        "affine_map<(m, k, n) -> (m, k)>", t(T, D), t(H, D)))
    b.generic("dh_pre", ["h_pre", "dh"], (T, H), [
        "%pos = arith.cmpf ogt, %a0, %zero : f32",
        "%r = arith.select %pos, %a1, %zero : f32",
        "linalg.yield %r : f32"])
    b.matmul("dw1", "x", "dh_pre", D, T, H, maps=(
        "affine_map<(k, n, m) -> (m, k)>, affine_map<(k, n, m) -> (m, n)>, "
        "affine_map<(k, n, m) -> (k, n)>", t(T, D), t(T, H)))
    w1n = sgd(b, "w1", "dw1", (D, H))
    w2n = sgd(b, "w2", "dw2", (H, D))
    results = [("y", t(T, D)), (w1n, t(D, H)), (w2n, t(H, D))]
    b(f"return {', '.join('%' + n for n, _ in results)} : {', '.join(ty for _, ty in results)}")
    args = [("x", t(T, D)), ("w1", t(D, H)), ("w2", t(H, D)), ("dy", t(T, D)),
            ("lr", "tensor<f32>")]
    head = (f"func.func @sgd_step({', '.join(f'%{n}: {ty}' for n, ty in args)})\n"
            f"    -> ({', '.join(ty for _, ty in results)}) {{")
    return ("// Generated by examples/gen_training.py; do not edit.\n"
            "// One SGD step of a two-layer ReLU MLP as JAX writes it (see the script).\n"
            + HEADER + head + "\n" + "\n".join(b.lines) + "\n}\n")


def mlp_train_step_bf16():
    """mlp_train_step() with bf16 products and f32 master weights."""
    global DT, MASTER
    saved = DT, MASTER
    DT, MASTER = "bf16", True
    try:
        return mlp_train_step()
    finally:
        DT, MASTER = saved


EXAMPLES = {"train_mlp_step.mlir": mlp_train_step,
            "train_mlp_step_bf16.mlir": mlp_train_step_bf16,
            "train_sgd_step.mlir": sgd_step}


def main():
    # The command line is gen_examples.py's; imported here so that loading
    # this file as a module (bench/cpu/train_step_bench.py) needs no path.
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from gen_examples import run
    return run(EXAMPLES, __doc__.split("\n\n")[0], __file__)


if __name__ == "__main__":
    sys.exit(main())
