#!/usr/bin/env python3
"""Checks bench/gpu/bench_config.py (the GPU benchmark's shapes, layouts
and FLOP counts) against first principles; prints one line per check and
exits 1 on the first failure. Used by gpu-bench.test."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bench", "gpu"))
import bench_config as bc  # noqa: E402


def fail(msg):
    print(f"FAIL: {msg}")
    sys.exit(1)


def element_mask_layout(n, k, block, size, n_factors):
    """The flat butterfly by its element-level definition (docs/Dialect.md):
    the S x S mask stretched to N x K, a block kept when any entry is set."""
    strides = {1 << f for f in range(n_factors)}
    row_ptr, col_idx = [0], []
    for bi in range(n // block):
        for bj in range(k // block):
            if any(i * size // n == j * size // k or
                   (i * size // n) ^ (j * size // k) in strides
                   for i in range(bi * block, (bi + 1) * block)
                   for j in range(bj * block, (bj + 1) * block)):
                col_idx.append(bj)
        row_ptr.append(len(col_idx))
    return row_ptr, col_idx


# 1. Factors: the density is exact and the butterfly divides the grid.
checked = 0
for d in bc.DENSITIES:
    for rows in (12, 16, 24, 32, 48, 64, 96, 128):
        for cols in (12, 16, 24, 32, 48, 64, 96, 128):
            f = bc.butterfly_factors(d, rows, cols)
            if f is None:
                # No power-of-two size (n_factors + 1) / d, n_factors in
                # 1..3, divides the grid.
                if any(((nf + 1) / d).is_integer()
                       and int((nf + 1) / d) & (int((nf + 1) / d) - 1) == 0
                       and rows % int((nf + 1) / d) == 0
                       and cols % int((nf + 1) / d) == 0
                       and nf <= int((nf + 1) / d).bit_length() - 1
                       for nf in (1, 2, 3)):
                    fail(f"no factors for {d} on {rows} x {cols}, but some exist")
                continue
            size, nf = f
            if (nf + 1) / size != d or rows % size or cols % size:
                fail(f"factors {f} for {d} on {rows} x {cols}")
            checked += 1
print(f"factors: {checked} grids with exact densities")

# 2. Layouts: the block-level construction is the element-level definition.
small = 0
for n, k, block in ((256, 128, 16), (128, 256, 32), (192, 384, 16), (512, 256, 16)):
    for d in bc.DENSITIES:
        f = bc.butterfly_factors(d, n // block, k // block)
        if not f:
            continue
        got = bc.butterfly_layout(n, k, block, *f)
        if got != element_mask_layout(n, k, block, *f):
            fail(f"layout {n}x{k} b{block} {f}")
        nnz = len(got[1])
        if nnz * block * block != d * n * k:
            fail(f"density of {n}x{k} b{block} {f}: {nnz} blocks")
        small += 1
print(f"layouts: {small} match the element-level definition")

# 3. The benchmark's kernels: densities exact, uniform rows, FLOPs.
kernels, skipped = bc.kernels()
for kern in kernels:
    n, k, m = kern["n"], kern["k"], 8192
    if kern["op"] == "two_four":
        if bc.useful_flops(kern, m) != m * n * k:
            fail(kern["name"])
        continue
    b = kern["block"]
    nnz = len(kern["col_idx"])
    if nnz * b * b != kern["density"] * n * k:
        fail(f"{kern['name']}: {nnz} blocks for density {kern['density']}")
    per_row = {kern["row_ptr"][i + 1] - kern["row_ptr"][i] for i in range(n // b)}
    if len(per_row) != 1:
        fail(f"{kern['name']}: rows hold {sorted(per_row)} blocks")
    expect = 2 * m * nnz * b * b + (2 * m * kern["rank"] * (n + k) if kern["op"] == "linear" else 0)
    if bc.useful_flops(kern, m) != expect:
        fail(f"{kern['name']}: flops")
    args = bc.kernel_args(kern)
    if args[0][1] != [-1, k] or args[-1][1] != [-1, n]:
        fail(f"{kern['name']}: args {args}")
names = [kern["name"] for kern in kernels]
if len(set(names)) != len(names):
    fail("duplicate kernel names")
print(f"kernels: {len(kernels)} built, {len(skipped)} skipped")
for name, why in skipped:
    print(f"skipped {name}: {why}")
