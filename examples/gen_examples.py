#!/usr/bin/env python3
"""Generates the shipped example models with compile-time weights.

Writes, next to this script (or into --out-dir):

  mlp_const.mlir          a transformer MLP (d_model 256, hidden 1024,
                          128 tokens) whose weights are constants
  transformer_block.mlir  one pre-norm transformer block (d_model 256,
                          4 heads, 2 sequences of 128 tokens, MLP 4x)

Both are linalg on tensors as a front end emits it. Weights are f16
`dense_resource` blobs in the file's `dialect_resources` section; biases and
layer-norm parameters are f32 blobs. The output is deterministic: running the
script again gives the same bytes (checked with --check).

The weights are made to look trained rather than i.i.d.: each one is

    W = std * normalize(Q1 diag(s) Q2^T * column_scale + noise)

with Q1, Q2 random orthogonal matrices (a random permutation followed by two
rounds of random signs and a Walsh-Hadamard transform), a slowly decaying
spectrum s_k = 1 / sqrt(1 + k / (n / 32)) whose first four values are
boosted (2, 1.7, 1.5, 1.3: a few dominant directions), a per-input-channel
scale (about 1 +- 0.15, two outlier channels at 2.5x) and i.i.d. noise
carrying about 10% of the energy. The standard deviation is 0.02, as in
GPT-2-like models. Measured on the generated weights, the best rank-16
approximation keeps about 42% of the energy, rank 32 about 55% and rank 64
about 70%; the energy is spread evenly over blocks, so a butterfly of
density d keeps about d of it. A butterfly plus low-rank projection thus has
a meaningful, not vanishing, error (pixelfly-sparsify at budget 0.25 reports
relative errors of about 0.87 for butterfly plans and 0.67 for a rank-32
plan).

Only the Python standard library is used. No libm function enters the
weights (the random numbers come from Mersenne Twister bits, Gaussians are
sums of uniforms, and only +, -, *, / and sqrt are used), so the bytes do
not depend on the platform's math library.

Usage: python3 examples/gen_examples.py [--out-dir DIR] [--check] [NAME...]
"""

import argparse
import array
import hashlib
import math
import os
import random
import struct
import sys

SEED = 2112_00029  # the Pixelfly paper's arXiv number

STD = 0.02

# ---------------------------------------------------------------------------
# Random numbers.


class Rng:
    """A Mersenne Twister seeded from (SEED, name): each tensor has its own
    stream, so adding a tensor does not change the others."""

    def __init__(self, name):
        digest = hashlib.sha256(f"{SEED}:{name}".encode()).digest()
        self.r = random.Random(int.from_bytes(digest[:8], "little"))

    def _u16(self, n):
        a = array.array("H")
        a.frombytes(self.r.randbytes(2 * n))
        if sys.byteorder == "big":
            a.byteswap()
        return a

    def gauss(self, n):
        """n approximately standard normal numbers (Irwin-Hall, 4 terms)."""
        u = self._u16(4 * n)
        scale = math.sqrt(3.0) / 65536.0
        off = 2 * 65535
        return [(a + b + c + d - off) * scale
                for a, b, c, d in zip(u[0::4], u[1::4], u[2::4], u[3::4])]

    def signs(self, n):
        bits = self.r.getrandbits(n)
        return [(bits >> i) & 1 for i in range(n)]

    def permutation(self, n):
        p = list(range(n))
        self.r.shuffle(p)
        return p


# ---------------------------------------------------------------------------
# Weights.


def _fwht_rows(rows):
    """In-place unnormalized Walsh-Hadamard transform across the rows."""
    n = len(rows)
    h = 1
    while h < n:
        for i in range(0, n, 2 * h):
            for j in range(i, i + h):
                a, b = rows[j], rows[j + h]
                rows[j] = [x + y for x, y in zip(a, b)]
                rows[j + h] = [x - y for x, y in zip(a, b)]
        h *= 2


def _rotate_rows(rows, rng):
    """Q @ rows for a random orthogonal Q (len(rows) a power of two)."""
    n = len(rows)
    rows = [rows[p] for p in rng.permutation(n)]
    for _ in range(2):
        rows = [r if s else [-x for x in r] for r, s in zip(rows, rng.signs(n))]
        _fwht_rows(rows)
    scale = 1.0 / n  # two unnormalized transforms of norm sqrt(n) each
    return [[x * scale for x in r] for r in rows]


def _transpose(rows):
    return [list(c) for c in zip(*rows)]


def spectrum(n):
    """Singular values of the structured part (before the column scale)."""
    k0 = n / 32
    s = [1.0 / math.sqrt(1.0 + k / k0) for k in range(n)]
    for k, boost in enumerate((2.0, 1.7, 1.5, 1.3)):
        s[k] *= boost
    return s


def weight(name, rows, cols, std=STD, noise_energy=0.1):
    """A rows x cols weight (PyTorch layout: out x in) as a flat list."""
    assert rows & (rows - 1) == 0 and cols & (cols - 1) == 0
    rng = Rng(name)
    n = min(rows, cols)
    s = spectrum(n)
    # Right factor: diag(s) Q2^T, n x cols, computed as (Q2 diag(s))^T.
    d = [[0.0] * n for _ in range(cols)]
    for k in range(n):
        d[k][k] = s[k]
    right = _transpose(_rotate_rows(d, rng))  # n x cols
    # Left factor: Q1 [diag(s) Q2^T; 0].
    full = right + [[0.0] * cols for _ in range(rows - n)]
    w = _rotate_rows(full, rng)  # rows x cols
    # Per-input-channel scale with two outlier channels.
    colscale = [max(0.5, 1.0 + 0.15 * g) for g in rng.gauss(cols)]
    for c in rng.permutation(cols)[:2]:
        colscale[c] = 2.5
    flat = [x * c for r in w for x, c in zip(r, colscale)]
    structured = math.fsum(x * x for x in flat) / len(flat)
    noise = rng.gauss(len(flat))
    a = math.sqrt(structured * noise_energy / (1.0 - noise_energy))
    flat = [x + a * e for x, e in zip(flat, noise)]
    rms = math.sqrt(math.fsum(x * x for x in flat) / len(flat))
    k = std / rms
    return [x * k for x in flat]


def vector(name, n, mean=0.0, std=STD):
    return [mean + std * g for g in Rng(name).gauss(n)]


# ---------------------------------------------------------------------------
# Resource blobs.


class Blobs:
    """dense_resource blobs of a file: name -> hex string and statistics."""

    def __init__(self):
        self.items = []

    def add(self, name, values, dtype):
        if dtype == "f16":
            data = struct.pack(f"<{len(values)}e", *values)
            align = 2
            back = struct.unpack(f"<{len(values)}e", data)
        elif dtype == "f32":
            data = struct.pack(f"<{len(values)}f", *values)
            align = 4
            back = struct.unpack(f"<{len(values)}f", data)
        else:
            raise ValueError(dtype)
        # The blob text: the 4-byte little-endian alignment, then the raw data.
        text = "0x" + (struct.pack("<I", align) + data).hex().upper()
        rms = math.sqrt(math.fsum(x * x for x in back) / len(back))
        mean = math.fsum(back) / len(back)
        self.items.append((name, text, len(back), mean, rms,
                           max(abs(x) for x in back)))
        return name

    def stats_comment(self):
        lines = ["// Constants (dense_resource blobs at the end of the file):",
                 "//   name                       elements      mean       rms   max|x|"]
        for name, _, n, mean, rms, mx in self.items:
            lines.append(f"//   {name:<24} {n:>10} {mean:>9.5f} {rms:>9.5f} {mx:>8.5f}")
        return "\n".join(lines)

    def section(self):
        out = ["{-#", "  dialect_resources: {", "    builtin: {"]
        for i, (name, text, *_rest) in enumerate(self.items):
            sep = "," if i + 1 < len(self.items) else ""
            out.append(f'      {name}: "{text}"{sep}')
        out += ["    }", "  }", "#-}", ""]
        return "\n".join(out)


GENERATED = """\
// GENERATED by examples/gen_examples.py (seed {seed}); do not edit.
// Regenerate: python3 examples/gen_examples.py   (same bytes every time)
//
"""

WEIGHT_NOTE = """\
//
// Weights are f16 in the PyTorch layout (out x in), made to look trained:
// a few dominant directions, a slowly decaying spectrum, per-input-channel
// scales and a little noise, standard deviation 0.02 (recipe in the
// generator). f16 rather than f32 keeps the file small.
"""

# ---------------------------------------------------------------------------
# mlp_const.mlir


def mlp_const():
    d, f, t = 256, 1024, 128
    blobs = Blobs()
    blobs.add("mlp_fc_weight", weight("mlp_const/mlp.fc.weight", f, d), "f16")
    blobs.add("mlp_fc_bias", vector("mlp_const/mlp.fc.bias", f), "f32")
    blobs.add("mlp_proj_weight", weight("mlp_const/mlp.proj.weight", d, f), "f16")
    blobs.add("mlp_proj_bias", vector("mlp_const/mlp.proj.bias", d), "f32")
    head = GENERATED.format(seed=SEED) + f"""\
// A dense transformer MLP with compile-time weights, as a front end emits it
// for inference: d_model {d}, hidden {f}, {t} tokens,
//   y = relu(x W_fc^T + b_fc) W_proj^T + b_proj,
// f16 activations and weights, f32 accumulation, biases and ReLU.
// Both matmuls read the weight through transposed-B indexing maps.
{WEIGHT_NOTE}//
// Run: build/bin/pixelfly-opt examples/mlp_const.mlir \\
//        --pixelfly-budget="budget=0.25 report=-"
//
{blobs.stats_comment()}

"""
    body = f"""\
#mk = affine_map<(m, n, k) -> (m, k)>
#nk = affine_map<(m, n, k) -> (n, k)>
#mn = affine_map<(m, n, k) -> (m, n)>
#id = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (j)>

func.func @mlp(%x: tensor<{t}x{d}xf16>) -> tensor<{t}x{d}xf32> {{
  %zero = arith.constant 0.0 : f32
  %w_fc = arith.constant dense_resource<mlp_fc_weight> : tensor<{f}x{d}xf16>
  %b_fc = arith.constant dense_resource<mlp_fc_bias> : tensor<{f}xf32>
  %w_proj = arith.constant dense_resource<mlp_proj_weight> : tensor<{d}x{f}xf16>
  %b_proj = arith.constant dense_resource<mlp_proj_bias> : tensor<{d}xf32>

  // h = relu(x W_fc^T + b_fc), rounded to f16
  %e1 = tensor.empty() : tensor<{t}x{f}xf32>
  %z1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<{t}x{f}xf32>) -> tensor<{t}x{f}xf32>
  %fc = linalg.matmul indexing_maps = [#mk, #nk, #mn]
          ins(%x, %w_fc : tensor<{t}x{d}xf16>, tensor<{f}x{d}xf16>)
          outs(%z1 : tensor<{t}x{f}xf32>) -> tensor<{t}x{f}xf32>
  %eh = tensor.empty() : tensor<{t}x{f}xf16>
  %h = linalg.generic {{indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}}
      ins(%fc, %b_fc : tensor<{t}x{f}xf32>, tensor<{f}xf32>) outs(%eh : tensor<{t}x{f}xf16>) {{
  ^bb0(%v: f32, %b: f32, %out: f16):
    %c0 = arith.constant 0.0 : f32
    %s = arith.addf %v, %b : f32
    %r = arith.maximumf %s, %c0 : f32
    %r16 = arith.truncf %r : f32 to f16
    linalg.yield %r16 : f16
  }} -> tensor<{t}x{f}xf16>

  // y = h W_proj^T + b_proj, accumulated onto the broadcast bias
  %e2 = tensor.empty() : tensor<{t}x{d}xf32>
  %bias = linalg.broadcast ins(%b_proj : tensor<{d}xf32>) outs(%e2 : tensor<{t}x{d}xf32>) dimensions = [0]
  %y = linalg.matmul indexing_maps = [#mk, #nk, #mn]
         ins(%h, %w_proj : tensor<{t}x{f}xf16>, tensor<{d}x{f}xf16>)
         outs(%bias : tensor<{t}x{d}xf32>) -> tensor<{t}x{d}xf32>
  return %y : tensor<{t}x{d}xf32>
}}

"""
    return head + body + blobs.section()


# ---------------------------------------------------------------------------
# transformer_block.mlir


def layer_norm(p, src, gamma, beta, rows, cols):
    """Layer norm over the last dimension of a rows x cols f32 tensor, result
    rounded to f16: three linalg.generic ops (sum, sum of squared deviations,
    normalize)."""
    inv = 1.0 / cols
    return f"""\
  %{p}_zv = linalg.fill ins(%zero : f32) outs(%e_stat : tensor<{rows}xf32>) -> tensor<{rows}xf32>
  %{p}_sum = linalg.generic {{indexing_maps = [#id2, #r2], iterator_types = ["parallel", "reduction"]}}
      ins(%{src} : tensor<{rows}x{cols}xf32>) outs(%{p}_zv : tensor<{rows}xf32>) {{
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %acc, %a : f32
    linalg.yield %s : f32
  }} -> tensor<{rows}xf32>
  %{p}_ssq = linalg.generic {{indexing_maps = [#id2, #r2, #r2], iterator_types = ["parallel", "reduction"]}}
      ins(%{src}, %{p}_sum : tensor<{rows}x{cols}xf32>, tensor<{rows}xf32>) outs(%{p}_zv : tensor<{rows}xf32>) {{
  ^bb0(%a: f32, %s: f32, %acc: f32):
    %inv = arith.constant {inv:.6e} : f32
    %mean = arith.mulf %s, %inv : f32
    %dev = arith.subf %a, %mean : f32
    %sq = arith.mulf %dev, %dev : f32
    %r = arith.addf %acc, %sq : f32
    linalg.yield %r : f32
  }} -> tensor<{rows}xf32>
  %{p}_e = tensor.empty() : tensor<{rows}x{cols}xf16>
  %{p} = linalg.generic {{indexing_maps = [#id2, #r2, #r2, #c2, #c2, #id2], iterator_types = ["parallel", "parallel"]}}
      ins(%{src}, %{p}_sum, %{p}_ssq, %{gamma}, %{beta} : tensor<{rows}x{cols}xf32>, tensor<{rows}xf32>, tensor<{rows}xf32>, tensor<{cols}xf32>, tensor<{cols}xf32>)
      outs(%{p}_e : tensor<{rows}x{cols}xf16>) {{
  ^bb0(%a: f32, %s: f32, %sq: f32, %g: f32, %b: f32, %out: f16):
    %inv = arith.constant {inv:.6e} : f32
    %eps = arith.constant 1.000000e-05 : f32
    %mean = arith.mulf %s, %inv : f32
    %var = arith.mulf %sq, %inv : f32
    %ve = arith.addf %var, %eps : f32
    %rstd = math.rsqrt %ve : f32
    %dev = arith.subf %a, %mean : f32
    %n = arith.mulf %dev, %rstd : f32
    %ng = arith.mulf %n, %g : f32
    %y = arith.addf %ng, %b : f32
    %y16 = arith.truncf %y : f32 to f16
    linalg.yield %y16 : f16
  }} -> tensor<{rows}x{cols}xf16>
"""


def transformer_block():
    b, t, d, nh, f = 2, 128, 256, 4, 1024
    dh = d // nh
    m = b * t  # tokens
    bh = b * nh
    blobs = Blobs()
    blobs.add("ln_1_weight", vector("ln_1.weight", d, 1.0, 0.1), "f32")
    blobs.add("ln_1_bias", vector("ln_1.bias", d), "f32")
    # Fused Q, K, V projection (3d x d), each part its own matrix.
    qkv = (weight("attn.q.weight", d, d) + weight("attn.k.weight", d, d)
           + weight("attn.v.weight", d, d))
    blobs.add("attn_qkv_weight", qkv, "f16")
    blobs.add("attn_qkv_bias", vector("attn.qkv.bias", 3 * d), "f32")
    blobs.add("attn_out_weight", weight("attn.out.weight", d, d), "f16")
    blobs.add("attn_out_bias", vector("attn.out.bias", d), "f32")
    blobs.add("ln_2_weight", vector("ln_2.weight", d, 1.0, 0.1), "f32")
    blobs.add("ln_2_bias", vector("ln_2.bias", d), "f32")
    blobs.add("mlp_fc_weight", weight("mlp.fc.weight", f, d), "f16")
    blobs.add("mlp_fc_bias", vector("mlp.fc.bias", f), "f32")
    blobs.add("mlp_proj_weight", weight("mlp.proj.weight", d, f), "f16")
    blobs.add("mlp_proj_bias", vector("mlp.proj.bias", d), "f32")
    scale = 1.0 / math.sqrt(dh)

    head = GENERATED.format(seed=SEED) + f"""\
// One pre-norm transformer block with compile-time weights, in linalg on
// tensors: d_model {d}, {nh} heads of {dh}, MLP {f}, a batch of {b} sequences
// of {t} tokens (causal attention), f32 residual stream:
//   h = x + attn(ln_1(x));  y = h + mlp(ln_2(h))
// Projections take f16 activations and weights and accumulate in f32; layer
// norm, softmax and GELU compute in f32. The four linear layers use the
// forms front ends emit:
//   QKV      linalg.matmul with transposed-B indexing_maps (fused 768 x 256)
//   out      linalg.transpose of the weight, then a plain linalg.matmul
//            (as torch-mlir lowers aten.linear)
//   MLP fc   linalg.transpose + linalg.broadcast of the weight over the
//            batch, then linalg.batch_matmul on 3-d activations
//   MLP proj a linalg.generic contraction
// The attention products (scores, context) are linalg.batch_matmul between
// activations and are not layers.
{WEIGHT_NOTE}//
// Run: build/bin/pixelfly-opt examples/transformer_block.mlir \\
//        --pixelfly-budget="budget=0.25 report=-"
//
{blobs.stats_comment()}

"""
    T = lambda *dims, ty="f32": "tensor<" + "x".join(map(str, dims)) + "x" + ty + ">"
    body = f"""\
#mk = affine_map<(m, n, k) -> (m, k)>
#nk = affine_map<(m, n, k) -> (n, k)>
#mn = affine_map<(m, n, k) -> (m, n)>
#id2 = affine_map<(i, j) -> (i, j)>
#r2 = affine_map<(i, j) -> (i)>
#c2 = affine_map<(i, j) -> (j)>
#id3 = affine_map<(b, i, j) -> (b, i, j)>
#r3 = affine_map<(b, i, j) -> (b, i)>

func.func @block(%x: {T(b, t, d)}) -> {T(b, t, d)} {{
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %ln1_g = arith.constant dense_resource<ln_1_weight> : {T(d)}
  %ln1_b = arith.constant dense_resource<ln_1_bias> : {T(d)}
  %w_qkv = arith.constant dense_resource<attn_qkv_weight> : {T(3 * d, d, ty="f16")}
  %b_qkv = arith.constant dense_resource<attn_qkv_bias> : {T(3 * d)}
  %w_o = arith.constant dense_resource<attn_out_weight> : {T(d, d, ty="f16")}
  %b_o = arith.constant dense_resource<attn_out_bias> : {T(d)}
  %ln2_g = arith.constant dense_resource<ln_2_weight> : {T(d)}
  %ln2_b = arith.constant dense_resource<ln_2_bias> : {T(d)}
  %w_fc = arith.constant dense_resource<mlp_fc_weight> : {T(f, d, ty="f16")}
  %b_fc = arith.constant dense_resource<mlp_fc_bias> : {T(f)}
  %w_proj = arith.constant dense_resource<mlp_proj_weight> : {T(d, f, ty="f16")}
  %b_proj = arith.constant dense_resource<mlp_proj_bias> : {T(d)}

  %x2 = tensor.collapse_shape %x [[0, 1], [2]] : {T(b, t, d)} into {T(m, d)}
  %e_stat = tensor.empty() : {T(m)}

  // ---- attention: h = x + softmax(mask(q k^T / sqrt({dh}))) v W_o^T + b_o
{layer_norm("ln1", "x2", "ln1_g", "ln1_b", m, d)}
  %e_qkv = tensor.empty() : {T(m, 3 * d)}
  %bias_qkv = linalg.broadcast ins(%b_qkv : {T(3 * d)}) outs(%e_qkv : {T(m, 3 * d)}) dimensions = [0]
  %qkv = linalg.matmul indexing_maps = [#mk, #nk, #mn]
           ins(%ln1, %w_qkv : {T(m, d, ty="f16")}, {T(3 * d, d, ty="f16")})
           outs(%bias_qkv : {T(m, 3 * d)}) -> {T(m, 3 * d)}
  %q = tensor.extract_slice %qkv[0, 0] [{m}, {d}] [1, 1] : {T(m, 3 * d)} to {T(m, d)}
  %k = tensor.extract_slice %qkv[0, {d}] [{m}, {d}] [1, 1] : {T(m, 3 * d)} to {T(m, d)}
  %v = tensor.extract_slice %qkv[0, {2 * d}] [{m}, {d}] [1, 1] : {T(m, 3 * d)} to {T(m, d)}
  // Split heads: (b t, h dh) -> (b h, t, dh); k as (b h, dh, t).
  %q4 = tensor.expand_shape %q [[0, 1], [2, 3]] output_shape [{b}, {t}, {nh}, {dh}] : {T(m, d)} into {T(b, t, nh, dh)}
  %k4 = tensor.expand_shape %k [[0, 1], [2, 3]] output_shape [{b}, {t}, {nh}, {dh}] : {T(m, d)} into {T(b, t, nh, dh)}
  %v4 = tensor.expand_shape %v [[0, 1], [2, 3]] output_shape [{b}, {t}, {nh}, {dh}] : {T(m, d)} into {T(b, t, nh, dh)}
  %e_qh = tensor.empty() : {T(b, nh, t, dh)}
  %qh = linalg.transpose ins(%q4 : {T(b, t, nh, dh)}) outs(%e_qh : {T(b, nh, t, dh)}) permutation = [0, 2, 1, 3]
  %vh = linalg.transpose ins(%v4 : {T(b, t, nh, dh)}) outs(%e_qh : {T(b, nh, t, dh)}) permutation = [0, 2, 1, 3]
  %e_kh = tensor.empty() : {T(b, nh, dh, t)}
  %kh = linalg.transpose ins(%k4 : {T(b, t, nh, dh)}) outs(%e_kh : {T(b, nh, dh, t)}) permutation = [0, 2, 3, 1]
  %q3 = tensor.collapse_shape %qh [[0, 1], [2], [3]] : {T(b, nh, t, dh)} into {T(bh, t, dh)}
  %v3 = tensor.collapse_shape %vh [[0, 1], [2], [3]] : {T(b, nh, t, dh)} into {T(bh, t, dh)}
  %kt3 = tensor.collapse_shape %kh [[0, 1], [2], [3]] : {T(b, nh, dh, t)} into {T(bh, dh, t)}
  %e_s = tensor.empty() : {T(bh, t, t)}
  %z_s = linalg.fill ins(%zero : f32) outs(%e_s : {T(bh, t, t)}) -> {T(bh, t, t)}
  %scores = linalg.batch_matmul ins(%q3, %kt3 : {T(bh, t, dh)}, {T(bh, dh, t)})
              outs(%z_s : {T(bh, t, t)}) -> {T(bh, t, t)}
  // Causal softmax of scores / sqrt({dh}): row max, exp, row sum, divide.
  %e_row = tensor.empty() : {T(bh, t)}
  %f_max = linalg.fill ins(%ninf : f32) outs(%e_row : {T(bh, t)}) -> {T(bh, t)}
  %smax = linalg.generic {{indexing_maps = [#id3, #r3], iterator_types = ["parallel", "parallel", "reduction"]}}
      ins(%scores : {T(bh, t, t)}) outs(%f_max : {T(bh, t)}) {{
  ^bb0(%a: f32, %acc: f32):
    %i = linalg.index 1 : index
    %j = linalg.index 2 : index
    %keep = arith.cmpi ule, %j, %i : index
    %scale = arith.constant {scale:.6e} : f32
    %ninf_ = arith.constant 0xFF800000 : f32
    %sc = arith.mulf %a, %scale : f32
    %masked = arith.select %keep, %sc, %ninf_ : f32
    %r = arith.maximumf %acc, %masked : f32
    linalg.yield %r : f32
  }} -> {T(bh, t)}
  %ex = linalg.generic {{indexing_maps = [#id3, #r3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}}
      ins(%scores, %smax : {T(bh, t, t)}, {T(bh, t)}) outs(%e_s : {T(bh, t, t)}) {{
  ^bb0(%a: f32, %mx: f32, %out: f32):
    %i = linalg.index 1 : index
    %j = linalg.index 2 : index
    %keep = arith.cmpi ule, %j, %i : index
    %scale = arith.constant {scale:.6e} : f32
    %c0 = arith.constant 0.0 : f32
    %sc = arith.mulf %a, %scale : f32
    %dv = arith.subf %sc, %mx : f32
    %e = math.exp %dv : f32
    %r = arith.select %keep, %e, %c0 : f32
    linalg.yield %r : f32
  }} -> {T(bh, t, t)}
  %f_sum = linalg.fill ins(%zero : f32) outs(%e_row : {T(bh, t)}) -> {T(bh, t)}
  %ssum = linalg.generic {{indexing_maps = [#id3, #r3], iterator_types = ["parallel", "parallel", "reduction"]}}
      ins(%ex : {T(bh, t, t)}) outs(%f_sum : {T(bh, t)}) {{
  ^bb0(%a: f32, %acc: f32):
    %r = arith.addf %acc, %a : f32
    linalg.yield %r : f32
  }} -> {T(bh, t)}
  %probs = linalg.generic {{indexing_maps = [#id3, #r3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}}
      ins(%ex, %ssum : {T(bh, t, t)}, {T(bh, t)}) outs(%e_s : {T(bh, t, t)}) {{
  ^bb0(%a: f32, %s: f32, %out: f32):
    %r = arith.divf %a, %s : f32
    linalg.yield %r : f32
  }} -> {T(bh, t, t)}
  %e_c = tensor.empty() : {T(bh, t, dh)}
  %z_c = linalg.fill ins(%zero : f32) outs(%e_c : {T(bh, t, dh)}) -> {T(bh, t, dh)}
  %ctx = linalg.batch_matmul ins(%probs, %v3 : {T(bh, t, t)}, {T(bh, t, dh)})
           outs(%z_c : {T(bh, t, dh)}) -> {T(bh, t, dh)}
  // Merge heads: (b h, t, dh) -> (b t, h dh), rounded to f16.
  %c4 = tensor.expand_shape %ctx [[0, 1], [2], [3]] output_shape [{b}, {nh}, {t}, {dh}] : {T(bh, t, dh)} into {T(b, nh, t, dh)}
  %e_ct = tensor.empty() : {T(b, t, nh, dh)}
  %ct = linalg.transpose ins(%c4 : {T(b, nh, t, dh)}) outs(%e_ct : {T(b, t, nh, dh)}) permutation = [0, 2, 1, 3]
  %c2 = tensor.collapse_shape %ct [[0, 1], [2, 3]] : {T(b, t, nh, dh)} into {T(m, d)}
  %e_c16 = tensor.empty() : {T(m, d, ty="f16")}
  %c16 = linalg.generic {{indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}}
      ins(%c2 : {T(m, d)}) outs(%e_c16 : {T(m, d, ty="f16")}) {{
  ^bb0(%a: f32, %out: f16):
    %r = arith.truncf %a : f32 to f16
    linalg.yield %r : f16
  }} -> {T(m, d, ty="f16")}
  // Output projection: the weight is transposed by linalg.transpose.
  %e_wot = tensor.empty() : {T(d, d, ty="f16")}
  %w_o_t = linalg.transpose ins(%w_o : {T(d, d, ty="f16")}) outs(%e_wot : {T(d, d, ty="f16")}) permutation = [1, 0]
  %e_o = tensor.empty() : {T(m, d)}
  %bias_o = linalg.broadcast ins(%b_o : {T(d)}) outs(%e_o : {T(m, d)}) dimensions = [0]
  %attn = linalg.matmul ins(%c16, %w_o_t : {T(m, d, ty="f16")}, {T(d, d, ty="f16")})
            outs(%bias_o : {T(m, d)}) -> {T(m, d)}
  %e_r1 = tensor.empty() : {T(m, d)}
  %res1 = linalg.add ins(%x2, %attn : {T(m, d)}, {T(m, d)}) outs(%e_r1 : {T(m, d)}) -> {T(m, d)}

  // ---- MLP: y = h + gelu(ln_2(h) W_fc^T + b_fc) W_proj^T + b_proj
{layer_norm("ln2", "res1", "ln2_g", "ln2_b", m, d)}
  %ln2_3 = tensor.expand_shape %ln2 [[0, 1], [2]] output_shape [{b}, {t}, {d}] : {T(m, d, ty="f16")} into {T(b, t, d, ty="f16")}
  // W_fc^T broadcast over the batch, as for a matmul of 3-d activations.
  %e_wfct = tensor.empty() : {T(d, f, ty="f16")}
  %w_fc_t = linalg.transpose ins(%w_fc : {T(f, d, ty="f16")}) outs(%e_wfct : {T(d, f, ty="f16")}) permutation = [1, 0]
  %e_wfcb = tensor.empty() : {T(b, d, f, ty="f16")}
  %w_fc_b = linalg.broadcast ins(%w_fc_t : {T(d, f, ty="f16")}) outs(%e_wfcb : {T(b, d, f, ty="f16")}) dimensions = [0]
  %e_fc = tensor.empty() : {T(b, t, f)}
  %bias_fc = linalg.broadcast ins(%b_fc : {T(f)}) outs(%e_fc : {T(b, t, f)}) dimensions = [0, 1]
  %fc = linalg.batch_matmul ins(%ln2_3, %w_fc_b : {T(b, t, d, ty="f16")}, {T(b, d, f, ty="f16")})
          outs(%bias_fc : {T(b, t, f)}) -> {T(b, t, f)}
  // GELU, tanh approximation, rounded to f16.
  %e_h = tensor.empty() : {T(b, t, f, ty="f16")}
  %gelu = linalg.generic {{indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}}
      ins(%fc : {T(b, t, f)}) outs(%e_h : {T(b, t, f, ty="f16")}) {{
  ^bb0(%s: f32, %out: f16):
    %half = arith.constant 5.000000e-01 : f32
    %one = arith.constant 1.000000e+00 : f32
    %c = arith.constant 7.978846e-01 : f32
    %a = arith.constant 4.471500e-02 : f32
    %s2 = arith.mulf %s, %s : f32
    %s3 = arith.mulf %s2, %s : f32
    %t0 = arith.mulf %s3, %a : f32
    %t1 = arith.addf %s, %t0 : f32
    %t2 = arith.mulf %t1, %c : f32
    %t3 = math.tanh %t2 : f32
    %t4 = arith.addf %t3, %one : f32
    %t5 = arith.mulf %t4, %half : f32
    %g = arith.mulf %s, %t5 : f32
    %g16 = arith.truncf %g : f32 to f16
    linalg.yield %g16 : f16
  }} -> {T(b, t, f, ty="f16")}
  %h2 = tensor.collapse_shape %gelu [[0, 1], [2]] : {T(b, t, f, ty="f16")} into {T(m, f, ty="f16")}
  // Down projection as a linalg.generic contraction.
  %e_p = tensor.empty() : {T(m, d)}
  %bias_p = linalg.broadcast ins(%b_proj : {T(d)}) outs(%e_p : {T(m, d)}) dimensions = [0]
  %mlp = linalg.generic {{indexing_maps = [#mk, #nk, #mn], iterator_types = ["parallel", "parallel", "reduction"]}}
      ins(%h2, %w_proj : {T(m, f, ty="f16")}, {T(d, f, ty="f16")}) outs(%bias_p : {T(m, d)}) {{
  ^bb0(%a: f16, %w: f16, %acc: f32):
    %a32 = arith.extf %a : f16 to f32
    %w32 = arith.extf %w : f16 to f32
    %p = arith.mulf %a32, %w32 : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  }} -> {T(m, d)}
  %e_r2 = tensor.empty() : {T(m, d)}
  %res2 = linalg.add ins(%res1, %mlp : {T(m, d)}, {T(m, d)}) outs(%e_r2 : {T(m, d)}) -> {T(m, d)}
  %y = tensor.expand_shape %res2 [[0, 1], [2]] output_shape [{b}, {t}, {d}] : {T(m, d)} into {T(b, t, d)}
  return %y : {T(b, t, d)}
}}

"""
    return head + body + blobs.section()


# ---------------------------------------------------------------------------

EXAMPLES = {
    "mlp_const.mlir": mlp_const,
    "transformer_block.mlir": transformer_block,
}


def run(examples, description, script):
    """Writes `examples` (file name -> function returning its text) next to
    `script` or into --out-dir, or with --check compares them with the
    files; the command line of both example generators."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("names", nargs="*", metavar="NAME",
                    help=f"examples to write (default: all of {', '.join(examples)})")
    ap.add_argument("--out-dir", default=os.path.dirname(os.path.abspath(script)),
                    help="where to write (default: next to this script)")
    ap.add_argument("--check", action="store_true",
                    help="write nothing; fail if a file differs from what would be written")
    args = ap.parse_args()
    names = args.names or list(examples)
    for n in names:
        if n not in examples:
            ap.error(f"unknown example {n!r}; known: {', '.join(examples)}")
    status = 0
    for n in names:
        text = examples[n]()
        path = os.path.join(args.out_dir, n)
        if args.check:
            try:
                with open(path, encoding="utf-8", newline="") as fh:
                    same = fh.read() == text
            except FileNotFoundError:
                same = False
            print(f"{path}: {'up to date' if same else 'DIFFERS'}")
            status |= 0 if same else 1
        else:
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            print(f"wrote {path} ({len(text.encode())} bytes)")
    return status


def main():
    return run(EXAMPLES, __doc__.split("\n\n")[0], __file__)


if __name__ == "__main__":
    sys.exit(main())
