"""What the GPU benchmark measures: shapes, layouts and our kernels' modules.

Pure Python (no torch): build_bench.py uses it here to generate and compile
our kernels, run_bench.py on the GPU machine to rebuild the same layouts for
the peers, and the tests to check both.

A weight is N x K (PyTorch Linear layout); a layer computes
Y[M, N] = X[M, K] W^T. Block-sparse layouts are flat block butterflies
(docs/Dialect.md): a butterfly mask of size S with n_factors factors,
stretched over the N/b x K/b block grid, has (n_factors + 1) / S of the
blocks. Densities are exact: a (shape, block, density) for which no
butterfly divides the block grid is skipped, with the reason.
"""

SHAPES = [
    # name, N, K
    ("gpt2m_up", 4096, 1024),
    ("gpt2m_down", 1024, 4096),
    ("vit_up", 3072, 768),
    ("vit_down", 768, 3072),
    ("square", 4096, 4096),
]
TOKENS = [2048, 8192, 16384]
DENSITIES = [0.5, 0.25, 0.125]
BLOCKS = [32, 64]
DTYPES = ["bf16", "f16"]
# Rank of the low-rank term: small next to the block part (for
# 4096 x 1024 at 25% it adds 3.1% of the dense work).
RANK = 32
GAMMA = 0.5
# Our dense kernel: the block-sparse generator on a layout with every block.
DENSE_BLOCK = 64
# The Hopper family (TMA + wgmma, sm_90a) beside the Ampere family (which
# pixelfly-gpu-config chooses for sm_90): f16/bf16 forward products on
# 64 x 64 blocks (its k-tile is one 128-byte row, 64 elements, of a block).
# Compiled for sm_90a, where pixelfly-gpu-config chooses the family's
# schedule; the dense case gets the 128 x 256 tile of two consumer
# warpgroups (every block row can join a tile).
HOPPER_CHIP = "sm_90a"
HOPPER_DENSE_CONFIG = ("#pixelfly.hopper_config<chip = \"sm_90a\", tile_m = 128, "
                       "tile_n = 256, tile_k = 64, consumers = 2, stages = 4, "
                       "cluster_m = 1, cluster_n = 1>")
# The same on a persistent grid of one thread block per SM (H100 SXM and
# H200: 132), in the target dtype only.
HOPPER_PERSISTENT_CONFIG = HOPPER_DENSE_CONFIG.replace(
    "cluster_n = 1>", "cluster_n = 1, persistent = 132>")
# The same with the output through shared memory and TMA stores
# (tma_store; off unless asked for), in the target dtype only.
HOPPER_TMA_STORE_CONFIG = HOPPER_DENSE_CONFIG.replace(
    "cluster_n = 1>", "cluster_n = 1, tma_store = true>")
# The 2:4 kernel's schedule pixelfly-gpu-config chooses on sm_90a (128
# tokens x 256 weight rows, two consumers, 3 stages), on a persistent grid
# and with tma_store, in the target dtype only.
HOPPER_TWO_FOUR_CONFIG = (
    "#pixelfly.hopper_config<chip = \"sm_90a\", tile_m = 128, tile_n = 256, "
    "tile_k = 128, consumers = 2, stages = 3, cluster_m = 1, cluster_n = 1>")
HOPPER_TWO_FOUR_PERSISTENT_CONFIG = HOPPER_TWO_FOUR_CONFIG.replace(
    "cluster_n = 1>", "cluster_n = 1, persistent = 132>")
HOPPER_TWO_FOUR_TMA_STORE_CONFIG = HOPPER_TWO_FOUR_CONFIG.replace(
    "cluster_n = 1>", "cluster_n = 1, tma_store = true>")
HOPPER_DTYPES = ("bf16", "f16")
HOPPER_BLOCK = 64


def butterfly_factors(density, rows, cols):
    """(S, n_factors) of a flat butterfly with exactly `density` of the
    blocks of a rows x cols block grid, or None. Prefers more factors."""
    for n_factors in (3, 2, 1):
        size = (n_factors + 1) / density
        if size != int(size):
            continue
        size = int(size)
        if size & (size - 1) or n_factors > size.bit_length() - 1:
            continue
        if rows % size == 0 and cols % size == 0:
            return size, n_factors
    return None


def butterfly_layout(n, k, block, size, n_factors):
    """CSR (row_ptr, col_idx) of the flat butterfly over the block grid, as
    #pixelfly.flat_butterfly<size, n_factors, block> defines it (the
    grid dimensions are multiples of size)."""
    rows, cols = n // block, k // block
    strides = [1 << f for f in range(n_factors)]
    row_ptr, col_idx = [0], []
    for i in range(rows):
        bi = i // (rows // size)
        for j in range(cols):
            bj = j // (cols // size)
            if bi == bj or (bi ^ bj) in strides:
                col_idx.append(j)
        row_ptr.append(len(col_idx))
    return row_ptr, col_idx


def dense_layout(n, k, block):
    rows, cols = n // block, k // block
    return ([i * cols for i in range(rows + 1)],
            [j for _ in range(rows) for j in range(cols)])


def _layout_attr(n, k, block, row_ptr, col_idx, source):
    text = (f"#pixelfly.block_layout<shape = {n}x{k}, block = {block}x{block}, "
            f"row_ptr = [{', '.join(map(str, row_ptr))}], "
            f"col_idx = [{', '.join(map(str, col_idx))}]")
    if source:
        size, n_factors = source
        # The verifier checks that the arrays are the source's: this
        # generator is checked by every build.
        text += (f", source = #pixelfly.flat_butterfly<butterfly_size = {size}, "
                 f"n_factors = {n_factors}, block = {block}>")
    return text + ">"


def kernel_args(kernel):
    """The memref arguments of @product: (name, shape, element type), -1
    for the run-time M."""
    t = kernel["dtype"]
    n, k = kernel["n"], kernel["k"]
    op = kernel["op"]
    if op in ("bsmm", "linear"):
        b = kernel["block"]
        args = [("x", [-1, k], t), ("b", [len(kernel["col_idx"]), b, b], t)]
        if op == "linear":
            r = kernel["rank"]
            args += [("u", [n, r], t), ("v", [k, r], t)]
    elif op == "two_four":
        args = [("x", [-1, k], t), ("v", [n, k // 2], t),
                ("m", [n, k // 16], "i16")]
    else:
        raise ValueError(f"unknown op {op}")
    return args + [("y", [-1, n], t)]


def module_text(kernel):
    """The MLIR of one of our kernels: func @product on device memrefs,
    Y (M x N, the input type) overwritten with the product (a zero fill
    the GPU lowering folds into the kernel)."""
    t = kernel["dtype"]
    n, k = kernel["n"], kernel["k"]
    op = kernel["op"]
    lines = [f"// {kernel['name']}: generated by bench/gpu/bench_config.py"]
    if op in ("bsmm", "linear"):
        lines.append("#l = " + _layout_attr(n, k, kernel["block"],
                                             kernel["row_ptr"],
                                             kernel["col_idx"],
                                             kernel.get("source")))
    args = [(a, "x".join("?" if d < 0 else str(d) for d in shape) + "x" + e)
            for a, shape, e in kernel_args(kernel)]
    sig = ", ".join(f"%{a}: memref<{s}>" for a, s in args)
    lines.append(f"func.func @product({sig}) attributes {{llvm.emit_c_interface}} {{")
    for a, s in args[:-1]:
        lines.append(f"  %{a}t = bufferization.to_tensor %{a} restrict : "
                     f"memref<{s}> to tensor<{s}>")
    ys = args[-1][1]
    lines += [
        "  %c0 = arith.constant 0 : index",
        f"  %rows = memref.dim %y, %c0 : memref<{ys}>",
        f"  %e = tensor.empty(%rows) : tensor<{ys}>",
        f"  %zero = arith.constant 0.0 : {t}",
        f"  %z = linalg.fill ins(%zero : {t}) outs(%e : tensor<{ys}>) -> tensor<{ys}>",
    ]
    ins = ", ".join(f"%{a}t" for a, _ in args[:-1])
    types = ", ".join(f"tensor<{s}>" for _, s in args[:-1])
    config = (f" {{pixelfly.gpu_config = {kernel['config']}}}"
              if "config" in kernel else "")
    if op == "bsmm":
        lines.append(f"  %r = pixelfly.block_sparse_matmul ins({ins} : {types}) "
                     f"outs(%z : tensor<{ys}>) layout(#l){config} -> tensor<{ys}>")
    elif op == "linear":
        lines.append(f"  %r = pixelfly.linear ins({ins} : {types}) gamma({GAMMA}) "
                     f"outs(%z : tensor<{ys}>) layout(#l) -> tensor<{ys}>")
    else:
        lines.append(f"  %r = pixelfly.two_four_matmul ins({ins} : {types}) "
                     f"outs(%z : tensor<{ys}>){config} -> tensor<{ys}>")
    lines += [
        f"  bufferization.materialize_in_destination %r in restrict writable %y "
        f": (tensor<{ys}>, memref<{ys}>) -> ()",
        "  return",
        "}",
    ]
    return "\n".join(lines) + "\n"


def _hopper_variants(kernel, tag, variants):
    """`kernel` through the Hopper family once per (impl, config) of
    `variants`: config "" for the one pixelfly-gpu-config chooses, None to
    leave the variant out (the extra variants run in the target dtype
    only)."""
    return [dict(_hopper(kernel, impl, tag), **({"config": c} if c else {}))
            for impl, c in variants if c is not None]


def _hopper(kernel, impl, tag):
    """`kernel` through the Hopper family: compiled for sm_90a."""
    return dict(kernel, name=f"{impl}_{tag}", impl=impl, family="hopper",
                chip=HOPPER_CHIP)


def kernels(shapes=None, dtypes=None, densities=None, blocks=None):
    """Our kernels to build, one per (dtype, shape, structure); M is a
    run-time size. Returns (kernels, skipped) with skipped as
    (name, reason) pairs."""
    out, skipped = [], []
    for dtype in dtypes or DTYPES:
        for shape, n, k in SHAPES:
            if shapes and shape not in shapes:
                continue
            base = {"dtype": dtype, "shape": shape, "n": n, "k": k}
            hopper = dtype in HOPPER_DTYPES
            row_ptr, col_idx = dense_layout(n, k, DENSE_BLOCK)
            dense = dict(base, name=f"ours_dense_{dtype}_{shape}", op="bsmm",
                         impl="ours_dense", block=DENSE_BLOCK, density=1.0,
                         row_ptr=row_ptr, col_idx=col_idx)
            out.append(dense)
            bf16 = dtype == "bf16"
            if hopper:
                out += _hopper_variants(dense, f"{dtype}_{shape}", [
                    ("ours_hdense", HOPPER_DENSE_CONFIG),
                    ("ours_hpdense", HOPPER_PERSISTENT_CONFIG if bf16 else None),
                    ("ours_htdense", HOPPER_TMA_STORE_CONFIG if bf16 else None),
                ])
            two_four = dict(base, name=f"ours_2to4_{dtype}_{shape}",
                            op="two_four", impl="ours_2to4", density=0.5)
            out.append(two_four)
            if hopper:
                out += _hopper_variants(two_four, f"{dtype}_{shape}", [
                    ("ours_h2to4", ""),
                    ("ours_hp2to4",
                     HOPPER_TWO_FOUR_PERSISTENT_CONFIG if bf16 else None),
                    ("ours_ht2to4",
                     HOPPER_TWO_FOUR_TMA_STORE_CONFIG if bf16 else None),
                ])
            for block in blocks or BLOCKS:
                for density in densities or DENSITIES:
                    tag = f"{dtype}_{shape}_b{block}_d{int(density * 1000):04d}"
                    factors = butterfly_factors(density, n // block, k // block)
                    if not factors:
                        skipped.append((tag, f"no flat butterfly with density "
                                        f"{density} divides the {n // block} x "
                                        f"{k // block} block grid"))
                        continue
                    row_ptr, col_idx = butterfly_layout(n, k, block, *factors)
                    layout = dict(base, block=block, density=density,
                                  source=list(factors), row_ptr=row_ptr,
                                  col_idx=col_idx)
                    bs = dict(layout, name=f"ours_bs_{tag}", op="bsmm",
                              impl="ours_bs")
                    out.append(bs)
                    if hopper and block == HOPPER_BLOCK:
                        out.append(_hopper(bs, "ours_hbs", tag))
                    bslr = dict(layout, name=f"ours_bslr_{tag}", op="linear",
                                impl="ours_bslr", rank=RANK, gamma=GAMMA)
                    out.append(bslr)
                    if hopper and block == HOPPER_BLOCK:
                        out.append(_hopper(bslr, "ours_hbslr", tag))
    return out, skipped


def useful_flops(kernel, m):
    """Multiply-adds times two of the work the structure keeps."""
    n, k = kernel["n"], kernel["k"]
    if kernel["op"] == "two_four":
        return m * n * k
    if kernel["op"] in ("bsmm", "linear"):
        flops = 2 * m * len(kernel["col_idx"]) * kernel["block"] ** 2
        if kernel["op"] == "linear":
            flops += 2 * m * kernel["rank"] * (n + k)
        return flops
    raise ValueError(f"unknown op {kernel['op']}")
