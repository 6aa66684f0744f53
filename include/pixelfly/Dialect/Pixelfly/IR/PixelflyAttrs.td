//===- PixelflyAttrs.td - Pixelfly attributes --------------*- tablegen -*-===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_DIALECT_PIXELFLY_IR_PIXELFLYATTRS_TD
#define PIXELFLY_DIALECT_PIXELFLY_IR_PIXELFLYATTRS_TD

include "pixelfly/Dialect/Pixelfly/IR/PixelflyDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

class Pixelfly_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Pixelfly_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def Pixelfly_GpuKernelConfig : AttrInterface<"GpuKernelConfig"> {
  let cppNamespace = "::mlir::pixelfly";
  let description = [{
    The configuration of one product's GPU kernel in some kernel family:
    the target chip and the tile shape every family has (a thread block
    computes `tile_m x tile_n` of the result, `tile_k` of the reduction at
    a time, through a `stages`-deep ring of operand tiles). Each family's
    attribute adds its own parameters; the attribute's kind selects the
    family.
  }];
  let methods = [
    InterfaceMethod<"The target chip, e.g. sm_80 or sm_90a.",
                    "::llvm::StringRef", "getChip">,
    InterfaceMethod<"Rows (tokens) of a thread block's tile.", "int64_t",
                    "getTileM">,
    InterfaceMethod<"Columns (output features) of a thread block's tile.",
                    "int64_t", "getTileN">,
    InterfaceMethod<"Reduction step of a thread block.", "int64_t",
                    "getTileK">,
    InterfaceMethod<"Depth of the ring of operand tiles.", "int64_t",
                    "getStages">,
    InterfaceMethod<"Token ranges a weight gradient is reduced in apart "
                    "(1: one range).", "int64_t", "getSplits">,
  ];
}

//===----------------------------------------------------------------------===//
// Structure enum
//===----------------------------------------------------------------------===//

def Pixelfly_Structure : I32EnumAttr<"Structure",
    "structure chosen for the weight of one linear layer", [
      I32EnumAttrCase<"Dense", 0, "dense">,
      I32EnumAttrCase<"Butterfly", 1, "butterfly">,
      I32EnumAttrCase<"LowRank", 2, "low_rank">,
      I32EnumAttrCase<"TwoFour", 3, "two_four">
    ]> {
  let cppNamespace = "::mlir::pixelfly";
  let genSpecializedAttr = 0;
}

//===----------------------------------------------------------------------===//
// FlatButterflyAttr
//===----------------------------------------------------------------------===//

def Pixelfly_FlatButterflyAttr
    : Pixelfly_Attr<"FlatButterfly", "flat_butterfly"> {
  let summary = "generator of a flat block butterfly layout";
  let description = [{
    Parameters of a flat block butterfly pattern as the Pixelfly reference
    defines it. A `butterfly_size x butterfly_size` 0/1 mask is the sum of
    `n_factors` butterfly factors with strides 1, 2, 4, ...: entry `(i, j)`
    is set when `i == j` or `i XOR j == stride` for one of the strides. For
    an `N x K` weight the mask is stretched by repeating every entry
    `N / butterfly_size` times down and `K / butterfly_size` times across;
    the first `global_size` rows and the first `global_size` columns (in
    elements) are made dense; finally a `block x block` block is stored when
    any of its entries is set.

    * `butterfly_size`: a power of two, at least 2.
    * `n_factors`: from 1 to `log2(butterfly_size)`.
    * `block`: the side of the square blocks, positive.
    * `global_size`: number of dense leading rows and columns, default 0.

    At butterfly granularity the density is
    `(n_factors + 1) / butterfly_size`; the block reduction can only make it
    larger. The generator is materialized for a given weight shape with
    `materialize(N, K)`, which also checks that `N` and `K` are multiples of
    `butterfly_size` and of `block`, and refuses layouts too large to build
    in memory: more than 2^24 blocks, or a mask so much finer than the
    blocks that building it would test more than 2^28 mask entries.

    Example:

    ```mlir
    #pixelfly.flat_butterfly<butterfly_size = 8, n_factors = 3, block = 32>
    #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 2, block = 64,
                             global_size = 64>
    ```
  }];
  let parameters = (ins
    "int64_t":$butterfly_size,
    "int64_t":$n_factors,
    "int64_t":$block,
    DefaultValuedParameter<"int64_t", "0">:$global_size
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Materializes the layout of an `n x k` weight. Reports why through
    /// `emitError` and fails when the shape does not fit the generator.
    ::mlir::FailureOr<BlockLayoutAttr>
    materialize(int64_t n, int64_t k,
                ::llvm::function_ref<::mlir::InFlightDiagnostic()> emitError)
        const;
  }];
}

//===----------------------------------------------------------------------===//
// BlockLayoutAttr
//===----------------------------------------------------------------------===//

def Pixelfly_BlockLayoutAttr : Pixelfly_Attr<"BlockLayout", "block_layout"> {
  let summary = "static set of stored blocks of a block-sparse weight";
  let description = [{
    Describes which `bm x bk` blocks of an `N x K` weight are stored, in CSR
    order: `row_ptr` has `N / bm + 1` non-decreasing entries starting at 0,
    and the block columns of block row `i` are
    `col_idx[row_ptr[i] .. row_ptr[i + 1])`, strictly increasing and smaller
    than `K / bk`. The blocks themselves live in an `nnz x bm x bk` operand
    in the same order (`nnz = col_idx.size()`). Block rows are output
    features.

    A layout may record the generator it came from (`source`). When it does,
    the printed form omits `row_ptr` and `col_idx`, and the parser
    materializes them from the generator, so the compact form below is the
    same attribute as the explicit one.

    Example:

    ```mlir
    // A 64 x 128 weight in 32 x 32 blocks: block row 0 keeps block columns
    // 0 and 2, block row 1 keeps block column 3.
    #pixelfly.block_layout<shape = 64x128, block = 32x32,
                           row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
    // Materialized from a flat butterfly generator.
    #pixelfly.block_layout<shape = 256x256, block = 32x32,
        source = #pixelfly.flat_butterfly<butterfly_size = 8, n_factors = 2,
                                          block = 32>>
    ```
  }];
  let parameters = (ins
    "int64_t":$numRows,
    "int64_t":$numCols,
    "int64_t":$blockRows,
    "int64_t":$blockCols,
    ArrayRefParameter<"int64_t", "CSR row pointers">:$rowPtr,
    ArrayRefParameter<"int64_t", "CSR block column indices">:$colIdx,
    OptionalParameter<"FlatButterflyAttr">:$source
  );
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Number of stored blocks.
    int64_t getNumBlocks() const { return getColIdx().size(); }
    /// Number of block rows (`N / bm`) and block columns (`K / bk`).
    int64_t getNumBlockRows() const { return getNumRows() / getBlockRows(); }
    int64_t getNumBlockCols() const { return getNumCols() / getBlockCols(); }
    /// Fraction of the weight that is stored.
    double getDensity() const;
    /// Block columns of block row `i`.
    ::llvm::ArrayRef<int64_t> getRowCols(int64_t i) const {
      return getColIdx().slice(getRowPtr()[i],
                               getRowPtr()[i + 1] - getRowPtr()[i]);
    }
  }];
}

//===----------------------------------------------------------------------===//
// PlanAttr
//===----------------------------------------------------------------------===//

def Pixelfly_PlanAttr : Pixelfly_Attr<"Plan", "plan"> {
  let summary = "structure chosen for one matmul by the budget analysis";
  let description = [{
    Records the decision of the budget analysis for one contraction, for the
    sparsification pass to carry out:

    * `structure = dense`: keep the matmul as it is;
    * `structure = butterfly`: flat block butterfly given by `pattern`, plus a
      low-rank term of rank `rank` (0 for none);
    * `structure = low_rank`: a low-rank term of rank `rank` alone;
    * `structure = two_four`: 2:4 semi-structured sparsity along `K`,
      `transposable` when every 4 x 4 tile must be 2:4 in both directions
      (training, so that `W^T` is 2:4 too).

    Example:

    ```mlir
    #pixelfly.plan<structure = butterfly,
        pattern = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 3,
                                           block = 32>,
        rank = 64>
    #pixelfly.plan<structure = two_four, transposable = true>
    #pixelfly.plan<structure = dense>
    ```
  }];
  let parameters = (ins
    EnumParameter<Pixelfly_Structure>:$structure,
    OptionalParameter<"FlatButterflyAttr">:$pattern,
    DefaultValuedParameter<"int64_t", "0">:$rank,
    DefaultValuedParameter<"bool", "false">:$transposable
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def Pixelfly_GpuConfigAttr
    : Pixelfly_Attr<"GpuConfig", "gpu_config", [Pixelfly_GpuKernelConfig]> {
  let summary = "tiling of one product's GPU kernel (Ampere family)";
  let description = [{
    Chosen by `pixelfly-gpu-config` for one product (from its shape, layout,
    element type and the target) and only read by `convert-pixelfly-to-gpu`,
    so a stack can set or tune it by hand. A thread block computes a
    `tile_m x tile_n` tile of the result in steps of `tile_k` along the
    reduction, with `warps_m x warps_n` warps (each a
    `tile_m / warps_m x tile_n / warps_n` piece, in `mma.sync` shapes:
    m16n8k16 for f16/bf16, m16n8k8 TF32 for f32) and a `stages`-deep
    `cp.async` pipeline of operand tiles in shared memory. For block-sparse
    products `tile_n` is a whole number of block rows that share their list
    of block columns; for the sampled weight gradient, the tile of one
    block and `tile_k` runs along the tokens. 2:4 products run `mma.sp`
    m16n8k32 on `Y^T`: `tile_m` still counts tokens and `tile_n` output
    features, but a warp's piece is made of m16 tiles of features by n8
    tiles of tokens, and `tile_k` is a multiple of 32. Tiles are at most
    1024 in each direction, warps at most 16 per thread block.

    `splits = S` (optional, 1 by default; the weight gradient only) cuts
    the tokens into `S` ranges of whole k-tiles, reduced by separate thread
    blocks into f32 partial blocks that a second kernel adds to init in a
    fixed order: a weight gradient with fewer blocks than the chip has
    multiprocessors still fills them.

    Example:

    ```mlir
    #pixelfly.gpu_config<chip = "sm_80", tile_m = 128, tile_n = 128,
                         tile_k = 32, warps_m = 2, warps_n = 2, stages = 3>
    ```
  }];
  let parameters = (ins
    StringRefParameter<"target chip, e.g. sm_80 or sm_90a">:$chip,
    "int64_t":$tile_m,
    "int64_t":$tile_n,
    "int64_t":$tile_k,
    "int64_t":$warps_m,
    "int64_t":$warps_n,
    "int64_t":$stages,
    DefaultValuedParameter<"int64_t", "1">:$splits
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Largest tile_m, tile_n and tile_k, and most warps, the verifier
    /// accepts.
    static constexpr int64_t kMaxTile = 1024;
    static constexpr int64_t kMaxWarps = 16;
    /// Most token ranges of a split weight gradient.
    static constexpr int64_t kMaxSplits = 64;
    /// Threads of one thread block (32 per warp).
    int64_t getNumThreads() const { return 32 * getWarpsM() * getWarpsN(); }
  }];
}

def Pixelfly_HopperConfigAttr
    : Pixelfly_Attr<"HopperConfig", "hopper_config", [Pixelfly_GpuKernelConfig]> {
  let summary = "tiling of one product's GPU kernel (Hopper family)";
  let description = [{
    The Hopper family (sm_90a): a producer warp loads operand tiles with
    the tensor memory accelerator (TMA) into a `stages`-deep ring of
    shared-memory buffers guarded by mbarriers, and `consumers` warpgroups
    multiply them with warpgroup MMA (`wgmma.mma_async`), each computing
    `tile_m / consumers` rows (a multiple of 64, wgmma's M) by all
    `tile_n` columns (at most 256, wgmma's largest N). `tile_k` is one
    128-byte swizzled row of the operand type (64 for f16 and bf16). For
    `pixelfly.two_four_matmul` (sparse wgmma, whose sparse operand W is
    wgmma's A) the consumers split the `tile_n` weight rows into 64-row
    wgmma tiles instead, the `tile_m` tokens are wgmma's N, and `tile_k`
    (128 for f16 and bf16) is one 128-byte row of compressed values.
    `cluster_m x cluster_n` thread blocks form a cluster (1 x 1: none).
    With `persistent = P` (optional, 0 by default: one thread block per
    output tile) the grid is P thread blocks, each computing output tiles
    P apart in turn (tile-major over the m-tiles), its ring running on
    across them, so one tile's epilogue overlaps the next tile's loads.
    `splits` splits a weight gradient's tokens as in `#pixelfly.gpu_config`.
    With `tma_store = true` (false by default: every thread stores its
    accumulator registers to global memory) the output goes through shared
    memory: each consumer warpgroup writes 64-row boxes of 128 bytes of Y
    into buffers of its own (128-byte swizzled, two alternating) and one of
    its threads stores each box with TMA (the 2:4 kernel's boxes are 64
    tokens of its transposed registers). The weight gradient and the
    panel's first kernel do not take it.
    Chosen by `pixelfly-gpu-config` for `chip = "sm_90a"` where the family
    has a kernel; `convert-pixelfly-to-gpu` only reads it.

    Example:

    ```mlir
    #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128,
                            tile_k = 64, consumers = 2, stages = 4,
                            cluster_m = 1, cluster_n = 1>
    ```
  }];
  let parameters = (ins
    StringRefParameter<"target chip: sm_90a">:$chip,
    "int64_t":$tile_m,
    "int64_t":$tile_n,
    "int64_t":$tile_k,
    "int64_t":$consumers,
    "int64_t":$stages,
    "int64_t":$cluster_m,
    "int64_t":$cluster_n,
    DefaultValuedParameter<"int64_t", "0">:$persistent,
    DefaultValuedParameter<"int64_t", "1">:$splits,
    DefaultValuedParameter<"bool", "false">:$tma_store
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Most consumer warpgroups, largest wgmma N, most thread blocks in a
    /// (portable) cluster.
    static constexpr int64_t kMaxConsumers = 2;
    static constexpr int64_t kMaxTileN = 256;
    static constexpr int64_t kMaxClusterSize = 8;
    /// Most thread blocks of a persistent grid.
    static constexpr int64_t kMaxPersistent = 65535;
    /// Threads of one thread block: the consumers' warpgroups and one
    /// producer warpgroup (of which one warp issues the loads).
    int64_t getNumThreads() const { return 128 * (getConsumers() + 1); }
  }];
}

def Pixelfly_CpuConfigAttr : Pixelfly_Attr<"CpuConfig", "cpu_config"> {
  let summary = "register tiling of the CPU kernels for one target";
  let description = [{
    Chosen by `pixelfly-cpu-config` from the target CPU (the host's, or
    the one named by its `cpu` / `features` options) and kept on the module
    as `pixelfly.cpu_config`; `convert-pixelfly-to-linalg` and
    `pixelfly-cpu-vectorize` only read it, so a stack can set it by hand.
    `vector_bits` and `vector_registers` describe the target's vector
    register file (e.g. 256 x 16 for AVX2, 512 x 32 for AVX-512); each
    matmul is cut into `tile_m x tile_n` register tiles of accumulators
    advanced `tile_k` reduction steps at a time, over panels of `panel_m`
    rows of the left operand. Tiles are bounded (at most 4096 accumulators
    and 131072 multiply-adds per tile) because a tile is unrolled into
    straight-line vector code.

    `features` lists LLVM target features on top of `cpu` (`+name` or
    `-name`, comma-separated; absent: the CPU's own), e.g. `-avx512f` for
    a Zen 4 whose AVX-512 is not used, or what a virtual machine's host
    CPU lacks. When the CPU pipeline strips the configuration, it puts
    `cpu` and `features` on every function as `target_cpu` and
    `target_features`, which the LLVM functions keep: the code is compiled
    for the target the tiles were chosen for, by a JIT or ahead of time.

    Example:

    ```mlir
    module attributes {pixelfly.cpu_config = #pixelfly.cpu_config<
        cpu = "x86-64-v3", vector_bits = 256, vector_registers = 16,
        tile_m = 6, tile_n = 16, tile_k = 8, panel_m = 126>} {}
    ```
  }];
  let parameters = (ins
    StringRefParameter<"target CPU, e.g. x86-64-v3 or znver3">:$cpu,
    StringRefParameter<"LLVM target features on top of the CPU's, e.g. "
                       "-avx512f", "\"\"">:$features,
    "int64_t":$vector_bits,
    "int64_t":$vector_registers,
    "int64_t":$tile_m,
    "int64_t":$tile_n,
    "int64_t":$tile_k,
    "int64_t":$panel_m
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Largest register tile (tile_m x tile_n accumulators) and unrolled
    /// work of one tile (tile_m x tile_n x tile_k) the verifier accepts.
    static constexpr int64_t kMaxTileAccumulators = 4096;
    static constexpr int64_t kMaxTileWork = 131072;
    /// Largest panel_m.
    static constexpr int64_t kMaxPanel = 1 << 20;
    /// Lanes of a vector register for elements of `bits` bits.
    int64_t getLanes(int64_t bits) const { return getVectorBits() / bits; }
  }];
}

#endif // PIXELFLY_DIALECT_PIXELFLY_IR_PIXELFLYATTRS_TD
