//===- Passes.td - Pixelfly transformation passes ----------*- tablegen -*-===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_DIALECT_PIXELFLY_TRANSFORMS_PASSES_TD
#define PIXELFLY_DIALECT_PIXELFLY_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def PixelflyExpandToDense : Pass<"pixelfly-expand-to-dense"> {
  let summary = "Rewrite pixelfly products as dense linalg on the densified "
                "weight";
  let description = [{
    Replaces every structured product of the `pixelfly` dialect by the same
    computation on a dense weight: the weight is rebuilt with
    `pixelfly.densify` / `pixelfly.densify_2_4` and multiplied with
    `linalg.matmul`, whose indexing maps express the transposition. The
    low-rank term is computed as `(X * V) * U^T`; the weight gradient is the
    dense `dY^T * X` with the layout's blocks extracted from it. Products
    accumulate in `f32`: straight into an `f32` `init`, otherwise into an
    `f32` temporary that a `linalg.generic` epilogue adds to `init`, rounding
    once to its element type. `gamma` is applied in such an epilogue too.
    `pixelfly.densify`, `pixelfly.densify_2_4` and `pixelfly.prune_2_4` are
    left to the other lowerings.

    This is the numerical reference the execution tests compare against and
    a dense fallback; it is not meant to be fast. It runs on tensors (before
    bufferization). Ops in memref form are left unchanged with a remark.

    Example:

    ```mlir
    %y = pixelfly.block_sparse_matmul
           ins(%x, %blocks : tensor<8x128xf16>, tensor<3x32x32xf16>)
           outs(%init : tensor<8x64xf32>) layout(#l) -> tensor<8x64xf32>
    ```

    becomes

    ```mlir
    %w = pixelfly.densify ins(%blocks : tensor<3x32x32xf16>)
           outs(%empty : tensor<64x128xf16>) layout(#l) -> tensor<64x128xf16>
    %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                                        affine_map<(m, n, k) -> (n, k)>,
                                        affine_map<(m, n, k) -> (m, n)>]
           ins(%x, %w : tensor<8x128xf16>, tensor<64x128xf16>)
           outs(%init : tensor<8x64xf32>) -> tensor<8x64xf32>
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
  let statistics = [
    Statistic<"numExpanded", "num-expanded",
              "Number of pixelfly ops rewritten into dense linalg">,
    Statistic<"numSkipped", "num-skipped",
              "Number of pixelfly ops left unchanged">,
  ];
}

// Options shared by pixelfly-budget and pixelfly-sparsify (which runs the
// budget analysis itself when the module has no plans yet).
defvar PixelflyBudgetOptions = [
    Option<"budget", "budget", "double", "0.25",
           "Budget as a fraction of the dense cost of the eligible layers, "
           "in (0, 1]">,
    Option<"target", "target", "std::string", "\"sm_90\"",
           "Target profile: sm_80 or sm_90">,
    Option<"block", "block", "int64_t", "0",
           "Block size of the layouts (0: the target's preferred one)">,
    Option<"lowRankFraction", "low-rank-fraction", "double", "0.25",
           "Fraction of a layer's share given to the low-rank term">,
    Option<"rankMultiple", "rank-multiple", "int64_t", "16",
           "Ranks of low-rank terms are multiples of this (the GPU "
           "kernels take multiples of 16; a multiple of the block "
           "size keeps the factors' products on whole blocks)">,
    Option<"minWeightSize", "min-weight-size", "int64_t", "4096",
           "Layers whose weight has fewer elements stay dense">,
    ListOption<"structures", "structures", "std::string",
               "Structures allowed: butterfly, low_rank, two_four (default: "
               "all)">,
    Option<"cMem", "c-mem", "double", "0.0",
           "Cost of one block access, overriding the target's (0: keep)">,
    Option<"cFlop", "c-flop", "double", "0.0",
           "Cost of one multiply-add, overriding the target's (0: keep)">,
    Option<"tokens", "tokens", "int64_t", "0",
           "Tokens assumed for layers with a dynamic number of tokens "
           "(0: keep such layers dense)">,
    Option<"transposable", "transposable", "bool", "false",
           "2:4 plans are transposable (training)">,
    Option<"report", "report", "std::string", "\"\"",
           "Write the report to this path ('-' for standard output)">,
    Option<"reportFormat", "report-format", "std::string", "\"\"",
           "Report format: text or json (default: json for a path ending in "
           ".json, text otherwise)">,
  ];

def PixelflyPipelineInput : Pass<"pixelfly-pipeline-input"> {
  let summary = "Refuse or defuse input that upstream passes of the "
                "pipelines crash on";
  let description = [{
    The first pass of both pipelines. Some IR verifies but crashes upstream
    passes the pipelines run:
    - A constant whose elements have a type without a static shape (a
      `dense_resource` does not check its type): `eliminate-empty-tensors`
      crashes in its value bounds. It is an error (`ub.poison` of such a
      type is fine).
    - A `memref.dim` or `tensor.dim` at a constant index outside its
      value's rank, which is undefined behaviour: the GPU dialect's
      canonicalization of `memref.dim` reads the shape at that index.
      The op becomes `arith.constant 0 : index` (a value the undefined
      result may take), with a warning. Real code has such ops in dead
      branches; IREE's tests have one.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
  ];
}

def PixelflyExpandRounding : Pass<"pixelfly-expand-rounding"> {
  let summary = "Lower f32 to bf16 truncations with a rounding mode to "
                "integer code";
  let description = [{
    `arith.truncf` from f32 to bf16 with an explicit rounding mode has no
    lowering on either target of the pipelines: arith-to-llvm makes it a
    constrained `fptrunc`, which the NVPTX backend aborts on (an LLVM
    fatal error, not a diagnostic) and `arith-expand` leaves it illegal
    for the CPU. This pass rewrites it, on scalars and vectors:
    `to_nearest_even` drops the attribute (the default rounding, which
    both targets lower); `toward_zero`, `to_nearest_away`, `upward` and
    `downward` become integer code on the f32 bits (truncate, add half a
    bf16 unit, or add one unit less one to the magnitude where the mode
    rounds it up), with NaN kept NaN (its sign, quiet bit set). Both
    pipelines run it before lowering to LLVM.

    Example: `arith.truncf %x to_nearest_away : f32 to bf16` becomes a
    bitcast to i32, `+ 0x8000`, `>> 16`, a select that keeps NaN, a trunci
    to i16 and a bitcast to bf16.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
  ];
}

def PixelflyBudget : Pass<"pixelfly-budget", "::mlir::ModuleOp"> {
  let summary = "Decide per linear layer which structure and density to use";
  let description = [{
    Runs the budget analysis over the module: finds every linear layer (a
    contraction of an activation with a weight that is a constant, a global
    or a function argument, seen through transposes and batch broadcasts;
    `linalg.matmul` with any transposition maps, `linalg.batch_matmul` with a
    shared weight, `linalg.generic` contractions), prices it with the cost
    model of the target (`cost = c_mem * blocks + c_flop * multiply-adds`),
    and spreads a global budget, a fraction of the dense cost of all
    eligible layers, over them in proportion to their cost. Each share is
    split between a low-rank term (`low-rank-fraction`) and a flat block
    butterfly, turned into whole parameters (ranks multiple of 16, whole
    butterfly factors, blocks of the target's size), and what rounding
    leaves is handed on to the layers that can use it, most expensive first.
    The total never exceeds the budget; a budget below the cheapest plans
    leaves the module unchanged with a warning that says so. 2:4 sparsity is chosen when it keeps more parameters for the
    same cost. A budget of 1 keeps every layer dense.

    Every layer gets a `pixelfly.plan` attribute (`#pixelfly.plan<...>`).
    Layers that are too small, dynamic in their weight's shape, of another
    element type, or of a shape no structure fits stay dense with a remark
    that says why; contractions that are not layers get a remark only.

    With `report=PATH` (`-` for standard output) the pass writes the report:
    per layer the shape, dense, allocated and achieved cost, density (kept
    parameters over `N * K`), rank, butterfly size and factors and number of
    blocks; as a text table, or as JSON with `report-format=json` or a path
    ending in `.json`. docs/BudgetAnalysis.md explains it.

    Example:

    ```mlir
    %y = linalg.matmul ins(%x, %w : tensor<8192x1024xbf16>, tensor<1024x4096xbf16>)
           outs(%init : tensor<8192x4096xf32>) -> tensor<8192x4096xf32>
    ```

    becomes, with `budget=0.25 target=sm_90`,

    ```mlir
    %y = linalg.matmul {pixelfly.plan = #pixelfly.plan<structure = butterfly,
           pattern = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 2,
                                              block = 64>, rank = 48>}
           ins(...) outs(...) -> tensor<8192x4096xf32>
    ```
  }];
  let options = PixelflyBudgetOptions;
  let dependentDialects = ["::mlir::pixelfly::PixelflyDialect"];
  let statistics = [
    Statistic<"numPlanned", "num-planned", "Number of layers given a plan">,
    Statistic<"numSparse", "num-sparse",
              "Number of layers given a sparse plan">,
    Statistic<"numKeptDense", "num-kept-dense",
              "Number of contractions kept dense for a reason">,
  ];
}

def PixelflySparsify : Pass<"pixelfly-sparsify", "::mlir::ModuleOp"> {
  let summary = "Rewrite planned dense matmuls into pixelfly ops";
  let description = [{
    Rewrites every linear layer that has a sparse `pixelfly.plan` into the
    pixelfly op of its structure: `pixelfly.linear` (flat block butterfly
    plus low-rank; `pixelfly.block_sparse_matmul` when the rank is 0),
    `pixelfly.low_rank_matmul`, or `pixelfly.two_four_matmul`. When no
    contraction of the module has a plan yet, the pass first runs the budget
    analysis with its own options (the same as `pixelfly-budget`'s).

    The activation is brought to `M x K` and the result to `M x N` with
    `linalg.transpose` and `tensor.collapse_shape`/`expand_shape` where the
    contraction's indexing needs it (batch dimensions, transposed operands);
    whatever consumed the result (a bias add, an activation) is kept.

    * A compile-time weight (`arith.constant` with `dense` or
      `dense_resource` data of f16, bf16 or f32, possibly behind transposes
      or a batch broadcast) is projected at compile time: the butterfly
      blocks are the weight's entries on the layout, `U` and `V` the best
      rank-r fit (truncated SVD) of the rest, and gamma is chosen so that
      `gamma * B' + (1 - gamma) * U' V'^T` equals the fit (`B' = B / gamma`,
      `U' V'^T = U V^T / (1 - gamma)`, with `gamma = |B| / (|B| + |U V^T|)`);
      2:4 weights are pruned and compressed. The new weights are constants;
      the dense constant and the ops that only moved it are erased when
      nothing else uses them.
    * A weight that is a function argument (training) is replaced in the
      signature by the structured parameters, at its position: the blocks,
      `U`, `V` and a scalar `f32` gamma (butterfly; blocks alone for rank 0),
      `U` and `V` (low-rank), or the compressed values and metadata (2:4). A
      companion function `@<name>_pack` takes the original dense weights (in
      argument order, with their original types) and returns, in the same
      order, the parameters derived from them: the gathered blocks, or the
      compressed values and metadata; `U`, `V` and gamma are parameters of
      their own. Functions that are called inside the module are left alone.
    * A weight with uses besides its forward products (a training step: the
      input gradient `dY W`, the weight gradient `dY^T X`, an optimizer
      update; see docs/Sparsify.md) is rewritten with all its uses or not at
      all. Under a 2:4 plan the dense weight stays, pruned once per call
      with `pixelfly.prune_2_4 transposable`; the forward products read the
      compressed `W`, the input gradients the compressed `W^T`, the weight
      gradient stays dense; with `two-four-mask=fixed` the mask is an
      argument (after the weight, made once by `@<f>_pack`) and the weight
      is masked before the per-step prune, which then keeps the mask.
      Under a butterfly or low-rank plan the
      parameters replace the weight (blocks, `U`, `V` and gamma as a 0-d
      tensor, those the plan has), and one state per parameter each
      optimizer state, in the signature; the forward product becomes
      block_sparse_matmul / linear / low_rank_matmul, the input gradient
      block_sparse_input_grad plus a low-rank product, the weight gradient
      the parameters' gradients (block_sparse_weight_grad on the layout,
      `dY^T (X V)` and `X^T (dY U)`, gamma's as two sums), and the
      elementwise update is rebuilt once per parameter (a full reduction
      sums over all of them). With `gamma=gate` gamma is a per-token gate,
      `sigmoid(X w + b)`, whose `w` and `b` take gamma's place (in
      inference functions too) and are trained with the others. A use that no rewrite maps keeps the group
      dense with a remark that names it.

    Layers that cannot be rewritten are left unchanged with a remark that
    says why (dynamic shape, not a contraction on a weight, too small, budget
    exhausted, unsupported element type, ...); when the pass plans, such
    layers take no share of the budget, and the plans the pass attached
    itself are removed from them, so what it leaves reads as it did (plans
    that came with the module stay). `mode=2:4` gives every eligible
    layer a 2:4 plan whatever the budget. With `report=PATH` the pass writes
    the budget report (when it ran the analysis) with the relative
    Frobenius error of every projected weight, or the errors alone (when
    the plans came with the module), then the counts of converted and
    skipped layers (by reason), removed weights and saved bytes. Running
    the pass again on its output changes nothing. See docs/Sparsify.md.

    Example:

    ```mlir
    %w = arith.constant dense<...> : tensor<1024x4096xf16>
    %y = linalg.matmul ins(%x, %w : tensor<8192x4096xf16>, tensor<4096x1024xf16>) ...
    ```

    becomes

    ```mlir
    %blocks = arith.constant dense<...> : tensor<192x64x64xf16>
    %u = arith.constant dense<...> : tensor<1024x48xf16>
    %v = arith.constant dense<...> : tensor<4096x48xf16>
    %y = pixelfly.linear ins(%x, %blocks, %u, %v : ...) gamma(0.71)
           outs(%init : tensor<8192x1024xf32>) layout(#layout) -> ...
    ```
  }];
  let options = !listconcat(PixelflyBudgetOptions, [
    Option<"mode", "mode", "std::string", "\"auto\"",
           "Structures to produce: auto (as planned), butterfly (butterfly "
           "and low-rank) or 2:4">,
    Option<"weights", "weights", "std::string", "\"all\"",
           "Which weights to rewrite: all, project (compile-time constants) "
           "or argument (function arguments)">,
    Option<"twoFourMask", "two-four-mask", "std::string", "\"step\"",
           "The 2:4 mask of a training step: step (the weight pruned anew "
           "every step) or fixed (pruned once by @<f>_pack, an argument of "
           "the step)">,
    Option<"gammaKind", "gamma", "std::string", "\"scalar\"",
           "How a butterfly plus low-rank weight that becomes arguments "
           "mixes its two terms: scalar (one learned gamma) or gate (a "
           "per-token gate sigmoid(X w + b), w and b learned)">,
  ]);
  let dependentDialects = [
    "::mlir::pixelfly::PixelflyDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
  let statistics = [
    Statistic<"numConverted", "num-converted",
              "Number of layers rewritten into pixelfly ops">,
    Statistic<"numSkipped", "num-skipped",
              "Number of contractions left unchanged">,
    Statistic<"numWeightsRemoved", "num-weights-removed",
              "Number of dense weight constants erased">,
    Statistic<"numBytesSaved", "num-bytes-saved",
              "Bytes of weight data saved by the projection">,
  ];
}

def PixelflyGPUConfig : Pass<"pixelfly-gpu-config"> {
  let summary = "Choose the GPU kernel tiling of every pixelfly product";
  let description = [{
    Attaches a `pixelfly.gpu_config` attribute (`#pixelfly.gpu_config<...>`)
    to every block-sparse, low-rank, 2:4 and Pixelfly product (tensor or memref
    form) that does not have one, for `convert-pixelfly-to-gpu` to read.
    The choice, from the shape, the layout, the element type and `chip`:

    * `tile_k` = 32 (a whole number of 16-wide f16/bf16 or 8-wide TF32
      `mma` steps; at most the block's reduction size); for 2:4 products 64
      when K allows (32 compressed values per row), else 32;
    * `tile_m` = the smallest of 16, 32, 64 that covers a static M, else
      128, or 64 where 128-row tiles would leave multiprocessors idle: a
      product one tile wide for any M (such as `dY U` of a low-rank term:
      M / 128 thread blocks, 64 at 8192 tokens), or a static M with fewer
      tiles than the chip's multiprocessors (X is still read once; the
      weight tile is re-read by twice as many thread blocks);
    * `tile_n` (forward and Pixelfly products) = `k` block rows, `k` the
      largest power of two up to `max-tile-n / bm` for which cutting each
      run of block rows with the same block columns into tiles of `k` rows
      pads at most an eighth of the rows computed; the same over block
      columns for the input gradient; one block (`bm x bk`, reducing over
      tokens) for the weight gradient; up to 128 columns (a power of two
      dividing N) for low-rank and 2:4 products;
    * warps: 2 x 2 for tiles of 64 x 64 and more, else as many 16-row warps
      as fit in 4;
    * `stages`: 3 (sm_80, sm_86, sm_89) or 4 (sm_90, sm_90a), fewer when
      the operand tiles would not fit the chip's shared memory;
    * `splits` (weight gradients, either family): where the thread blocks
      (one per tile) fill less than half of what the multiprocessors hold
      at once (two each for the Ampere family; for the Hopper family as
      many rings as fit the shared memory, and with one consumer the
      registers), the tokens are cut into the fewest ranges, a power of two
      up to 16, that fill it, each range at least four k-tiles of a static
      token count; else 1 (not printed).

    `pixelfly.linear` and `pixelfly.low_rank_matmul` also get a
    `pixelfly.gpu_panel_config` for the first kernel of their low-rank
    panel, `T = (1 - g) X V`, a dense product over K with one `K x rank`
    block: 64 tokens by the whole rank (4 warps of 16 tokens, one more warp
    column per 64 of rank, at most 4), 64-wide k-tiles (32 when K is not a
    multiple of 64), 3 stages. Where that schedule does not fit (rank not a
    multiple of 16 per warp column or not a power-of-two number of 16-byte
    chunks, K not a multiple of 32) there is none, and the panel runs one
    thread per element of `T`. On `chip = "sm_90a"` with f16 or bf16
    operands, K a multiple of 64 and a rank of at most 256, the panel
    configuration is the Hopper family's instead
    (`#pixelfly.hopper_config`): 64 tokens (one consumer warpgroup) by the
    rank rounded up to 64, 64-wide k-tiles, up to 4 stages (`T` is bound by
    memory: small tiles give more thread blocks). An op that has a
    `pixelfly.gpu_config` but no panel configuration gets one for the chip
    of its own.

    On `chip = "sm_90a"`, a product the Hopper family has a kernel for
    (every product op in f16 or bf16: the forward block-sparse product,
    `pixelfly.linear` and `pixelfly.low_rank_matmul` on blocks whose
    reduction side is a multiple of 64, the input gradient on blocks 64
    columns wide, the weight gradient on 64 x 64 blocks, both on column
    products (below), the 2:4 product;
    `Utils/HopperSchedule.h` says exactly)
    gets a `#pixelfly.hopper_config` instead: the `tile_n` above, 128 rows
    over two consumer warpgroups (64 rows and one consumer for at most 64
    tokens, or where the Ampere family's `tile_m` above would be 64 for
    idle multiprocessors), `tile_k` = one 128-byte row, up to 4 stages that fit the
    shared memory, no clusters (`pixelfly.linear` also gets its panel
    configuration above). A weight gradient's tile is the largest of
    2 x 4, 2 x 2, 1 x 4 and 1 x 2 blocks (block rows with equal columns,
    one consumer each, times block columns) whose partial tiles add at
    most an eighth to the blocks computed and that leaves at most half the
    multiprocessors without a tile, else one block. A column product (a
    product over one dense block column of a width other than 64, such as
    a training step's `dY U` and `dY^T (X V)`) gets, whatever the Ampere
    family's limits, the panel configuration's schedule as an input
    gradient, and as a weight gradient (N a multiple of 64) tiles of one
    or two 64-row blocks by the width rounded up to 64. A 2:4 product gets 128
    tokens (64 for at most 64) by the widest of 256, 128 and 64 weight rows
    dividing N, up to 4 stages that fit. With `persistent=P` the forward,
    low-rank, input-gradient and 2:4 products get `persistent = P` (the
    weight gradient, the panel's first kernel and column products keep a
    thread block per tile); with `tma-store` the same products get `tma_store = true` where
    their tiles (and, for products of blocks, the blocks) are whole boxes
    of the output and the ring of at least 2 stages fits beside the
    staging, with fewer stages if needed. Neither is on by default: whether
    they pay is for measurements on the chip to say. `sm_90` (Hopper without `wgmma`) keeps the
    Ampere family, and the pass says so with one remark per module where a
    product would have used the Hopper family.

    Products it cannot tile (other element types than f16, bf16 and f32;
    2:4 products in f32, or with N not a multiple of 16 or K of 32; blocks
    not a multiple of 16) are left without a configuration, with a remark.
    An existing configuration is kept, so a stack can set its own.

    Example: a `?x1024 * (4096x1024 on 32 x 32 blocks, butterfly 16/1)^T`
    product in f16 for sm_80 gets
    `#pixelfly.gpu_config<chip = "sm_80", tile_m = 128, tile_n = 128,
    tile_k = 32, warps_m = 2, warps_n = 2, stages = 3>`.
  }];
  let options = [
    Option<"chip", "chip", "std::string", "\"sm_80\"",
           "Target: sm_80, sm_86, sm_89, sm_90 or sm_90a">,
    Option<"maxTileN", "max-tile-n", "int64_t", "128",
           "Widest tile along N (output features)">,
    Option<"persistent", "persistent", "int64_t", "0",
           "Hopper family: a persistent grid of this many thread blocks for "
           "the forward, low-rank, input-gradient and 2:4 products (0: a "
           "thread block per tile)">,
    Option<"tmaStore", "tma-store", "bool", "false",
           "Hopper family: the output of those products through shared "
           "memory and TMA stores, where their tiles are whole boxes of it">,
  ];
}

def PixelflyCPUConfig : Pass<"pixelfly-cpu-config", "::mlir::ModuleOp"> {
  let summary = "Choose the CPU register tiling for a target";
  let description = [{
    The decision half of CPU code generation: resolves the target CPU (the
    host by default, as a JIT compiles for it; or `cpu=` an x86-64 CPU
    known to LLVM such as `x86-64-v3` (AVX2 + FMA), `x86-64-v4`
    (AVX-512) or `znver4`, with `features=` on top, e.g. `-avx512f`) and
    records a `#pixelfly.cpu_config` on the module as `pixelfly.cpu_config`.
    `convert-pixelfly-to-linalg` and `pixelfly-cpu-vectorize` read it.

    The register tile is two vector registers of columns by as many rows as
    keep the accumulators plus the operands within the register file: 6 x 16
    f32 on AVX2 (12 of 16 ymm registers accumulate), 12 x 32 on AVX-512,
    6 x 8 on SSE2-only x86-64; `tile_k` is 8 and `panel_m` the multiple of
    `tile_m` nearest below 128. `tile-m`, `tile-n`, `tile-k` and `panel-m`
    override the choice (0: chosen). A module that already carries a
    configuration keeps it. An unknown CPU or feature is an error, and so
    is a vector of more than 131072 elements already in the input (the CPU
    pipeline's lowering unrolls vectors whole). The configuration records
    the CPU and, as `features`, what differs from that CPU's own features:
    the options' `features`, and for `host` what this machine has or lacks
    against its CPU model (a virtual machine may mask some). With `strip`,
    the pass removes the configuration instead, after setting `target_cpu`
    and `target_features` from it on every function (which the LLVM
    functions keep, so the code is compiled for the target its tiles were
    chosen for).

    Example: `--pixelfly-cpu-config=cpu=x86-64-v3` gives
    `#pixelfly.cpu_config<cpu = "x86-64-v3", vector_bits = 256,
    vector_registers = 16, tile_m = 6, tile_n = 16, tile_k = 8,
    panel_m = 126>`.
  }];
  let options = [
    Option<"cpu", "cpu", "std::string", "\"host\"",
           "Target CPU: host (or native), or an x86-64 CPU name of LLVM">,
    Option<"features", "features", "std::string", "\"\"",
           "Target features on top of the CPU's, e.g. +avx2,-avx512f">,
    Option<"tileM", "tile-m", "int64_t", "0",
           "Rows of the register tile (0: chosen)">,
    Option<"tileN", "tile-n", "int64_t", "0",
           "Columns of the register tile (0: chosen)">,
    Option<"tileK", "tile-k", "int64_t", "0",
           "Reduction steps per tile (0: chosen)">,
    Option<"panelM", "panel-m", "int64_t", "0",
           "Rows of the left operand per panel (0: chosen)">,
    Option<"strip", "strip", "bool", "false",
           "Remove the module's configuration instead, after putting its "
           "target on the functions (pixelfly-cpu-pipeline does once the "
           "lowering has read it, so that its output is readable without "
           "this project's dialect)">,
  ];
  let dependentDialects = ["::mlir::pixelfly::PixelflyDialect",
                           "::mlir::LLVM::LLVMDialect"];
}

def PixelflyCPUVectorize
    : Pass<"pixelfly-cpu-vectorize", "::mlir::func::FuncOp"> {
  let summary = "Tile matmuls and vectorize their whole tiles (CPU)";
  let description = [{
    Tiles every `linalg.matmul` on tensors (any indexing maps, so the block
    matmuls of `convert-pixelfly-to-linalg` too) into
    `tile-m x tile-n x tile-k` pieces with `scf.for` loops, peels the last,
    partial tile of M (token counts are often dynamic or ragged) and
    vectorizes the whole tiles to `vector.contract` on
    `vector.transfer_read`/`write`. N and K tiles are the largest divisors of
    the static sizes up to the requested ones, so they are always whole. A
    partial tile of static size is vectorized as it is; one of dynamic size
    runs row by row, each row a `1 x tile-n x tile-k` vector tile. The
    tile sizes come from the options when given, else from the
    `#pixelfly.cpu_config` of the enclosing module (`pixelfly-cpu-config`),
    else 8 x 32 x 8 with panels of 128 rows. Between tiling and
    vectorization the function is canonicalized (so the whole tiles' sizes,
    folded to constants by peeling, appear in their types). Part of
    `pixelfly-cpu-pipeline`; the vector ops are lowered after bufferization.

    Example: a `?x32 * 32x32` block matmul becomes `scf.for` loops over M
    (steps of 8) and K (steps of 8) around a `vector.contract` of
    `vector<8x8xf32>` by `vector<8x32xf32>` into `vector<8x32xf32>`, plus
    a loop over the last `M mod 8` rows with `vector<1x8xf32>` by
    `vector<8x32xf32>` contractions.

    With `transpose-rhs` (default), a matmul `X * W^T` whose `W` is computed
    once per call (a function argument or entry-block value, or a slice of
    one, like the block list's blocks) first gets `W` transposed once, at
    its definition, by a `linalg.transpose`, and becomes `X * T`: the
    outer-product kernel then reads `k x n` rows instead of transposing an
    `n x k` tile on every K step. Not done for a product outside loops whose
    M is static and smaller than 4 row tiles (the copy would cost about as
    much as the product).

    Fills and elementwise `linalg.generic`s (all loops parallel, the result
    written through the identity map, a body of arith and math ops, a static
    last dimension) are vectorized too: whole
    when their outer dimensions and a piece of at most 64 elements of the
    last fit in a register tile (the fill of an accumulator tile), else row
    by row in pieces of the last dimension. So the zero fill of a result
    and the epilogues around the products (`linear`'s gamma, the rounding
    of 16-bit results) are vector code, and run in parallel.
  }];
  let options = [
    Option<"tileM", "tile-m", "int64_t", "0",
           "Tile size along M (tokens); 0: the module's cpu_config, else 8">,
    Option<"tileN", "tile-n", "int64_t", "0",
           "Largest tile size along N (output features); 0: the module's "
           "cpu_config, else 32">,
    Option<"tileK", "tile-k", "int64_t", "0",
           "Largest tile size along K (reduction); 0: the module's "
           "cpu_config, else 8">,
    Option<"panelM", "panel-m", "int64_t", "0",
           "Rows of the left operand kept in cache while the right "
           "operand's column slices stream past (rounded to tile-m); 0: the "
           "module's cpu_config, else 128">,
    Option<"transposeRhs", "transpose-rhs", "bool", "true",
           "Transpose loop-invariant (n, k) right operands once, up front">,
    Option<"parallel", "parallel", "bool", "false",
           "Tile the column slices of products outside loops, the rows of "
           "elementwise ops outside loops and the once-per-call "
           "transpositions in an scf.forall (for multi-threaded code)">,
  ];
  let dependentDialects = [
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
  ];
  let statistics = [
    Statistic<"numVectorized", "num-vectorized",
              "Number of matmuls tiled and vectorized">,
  ];
}

def PixelflyCPUHoistTransfers
    : Pass<"pixelfly-cpu-hoist-transfers", "::mlir::func::FuncOp"> {
  let summary = "Hoist loop-invariant vector transfers (accumulators) out "
                "of loops";
  let description = [{
    On memrefs, after bufferization: moves `vector.transfer_read` /
    `vector.transfer_write` pairs of one location out of the `scf.for` loops
    that do not change it, so the accumulator tile of a vectorized matmul
    stays in registers across the reduction. Transfers on views are left
    (they may alias): run `fold-memref-alias-ops` first, as
    `pixelfly-cpu-pipeline` does when it vectorizes. Meant for sequential
    code.
  }];
}

def PixelflyDenseProducts
    : Pass<"pixelfly-dense-products", "::mlir::func::FuncOp"> {
  let summary = "Dense 2-D contractions and batches of them as pixelfly "
                "products on a full or block-diagonal layout";
  let description = [{
    Rewrites a dense contraction on tensors (`linalg.matmul` with any
    transposition maps, or a `linalg.generic` of the same form) into the
    pixelfly product whose operands it matches, on a layout that stores
    every block, so that the GPU lowering runs it with the project's
    tensor-core kernels (the dense baseline of the same generator) instead
    of a loop per output element. With `C` the result:

    * `C = A B^T` (`B` is `N x K`): `block_sparse_matmul(A, blocks(B))`;
    * `C = A B` (`B` is `K x N`): `block_sparse_input_grad(A, blocks(B))`,
      the layout on `B` as it is;
    * `C = A^T B` (the reduction runs over both operands' rows, as in a
      weight gradient `dY^T X`): `block_sparse_weight_grad(A, B)` into the
      blocks of `C`, then back to `C`'s shape;
    * `C = A^T B^T`: `A` transposed first, then as `C = A B^T`;
    * a result laid out `N x M` swaps the operands;
    * a batch of them, `C[t] = A[t] B[t]` with the batch `t` the outermost
      dimension of every operand (`linalg.batch_matmul`, an attention's
      scores and context): one product of the forms above on a
      block-diagonal layout, whose block rows of weight `t` read the block
      columns of weight `t`. `A` and `C` become `M x (t K)` and
      `M x (t N)` (transposes, or a fill of the new shape), `B`'s weights
      are stacked rows re-blocked as one, the result moves back; a weight
      gradient `C[t] = A[t]^T B[t]` reduces over the rows of `T x (t M)`
      and `T x (t N)` into `C`'s stacked blocks;
    * a batch whose `B` is one 2-D weight broadcast over it
      (`linalg.broadcast`, dimension 0: a matmul of 3-d activations, as
      torch-mlir lowers `aten.linear`) is one 2-D product over all its rows
      instead: `A` and `C` fold the batch into `M` (views), the weight is
      re-blocked once.

    `blocks(W)` is the `(R / b) (C / b) x b x b` tensor of `W`'s blocks in
    row-major order (a reshape and a transpose, made once for the products
    of a function that read one weight where the first dominates the
    others; a constant of at most 2^22 elements is re-blocked at compile
    time), `b` the largest of 64, 32 and
    16 that divides both static dimensions of the layout. The
    accumulator is the contraction's `outs`; an f32 product from +0 whose
    one use is an elementwise `arith.truncf` (no rounding mode) to the
    operands' 16-bit type writes that type itself from a 16-bit zero fill
    (the products round once from their f32 accumulators: the same bits),
    and the rounding op goes. Contractions left alone, with a
    remark (`remarks`): more than one batch dimension, or one that is not
    every operand's outermost, a dynamic layout dimension (a batch count
    too), one
    not a multiple of 16, a layout of more than 65536 blocks, fewer than 64
    static rows (a decoder's single token: memory-bound, where re-blocking
    the weight at every call would triple the traffic), a splat
    constant operand (a scaled row sum, and a weight-sized constant as
    blocks), operands of different element types or other than f16, bf16
    and f32, a result type the products do not write. An operand made by a
    `linalg.transpose` is read from the transpose's input.

    Example: `linalg.matmul ins(%x, %w : tensor<?x1024xbf16>,
    tensor<1024x4096xbf16>) outs(%acc : tensor<?x4096xf32>)` becomes a
    `block_sparse_input_grad` of `%x` on the blocks of `%w`
    (`1024 x 64 x 64`, every block of a `1024 x 4096` layout), accumulating
    into `%acc`.
  }];
  let options = [
    Option<"remarks", "remarks", "bool", "false",
           "Say why a contraction is left alone">,
  ];
  let dependentDialects = [
    "::mlir::pixelfly::PixelflyDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def PixelflyGPUFuseElementwise
    : Pass<"pixelfly-gpu-fuse-elementwise", "::mlir::func::FuncOp"> {
  let summary = "Fuse elementwise chains whose intermediates are also results";
  let description = [{
    Upstream's `linalg-fuse-elementwise-ops` fuses an elementwise producer
    into its consumer only when the consumer is its one user. In a
    training step's optimizer update the intermediates are results too:
    AdamW's new moments feed the new weight and are returned as the new
    state, so the update stays three kernels. This pass, on tensors,
    fuses such a producer into its elementwise consumer when no other
    linalg op reads it (its other users are returns, products' operands,
    ...): the fused op yields the producer's values as extra results, and
    the producer goes away. A producer another linalg op also reads is
    left alone: fusing it into both would compute it twice.

    Example: `%m2 = generic(%m, %g)`, `%v2 = generic(%v, %g)`, `%w2 =
    generic(%w, %m2, %v2)`, all three returned, become one
    `linalg.generic` with three results that reads `%m`, `%v`, `%g` and
    `%w` once.
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect",
  ];
}

def PixelflyGPUReductions
    : Pass<"pixelfly-gpu-reductions", "::mlir::func::FuncOp"> {
  let summary = "Split long reductions over many GPU threads; reduce last";
  let description = [{
    The GPU pipeline runs what is left of linalg as parallel loops, one
    thread per parallel iteration, with the reduction loops inside the
    thread. Left as they are, a training step's reductions would run on
    few threads: a bias gradient over 8192 tokens into 1024 features is
    1024 threads of 8192 additions each, a gradient norm or a learned
    scalar gate's gradient one thread; and a reduction loop written before
    a parallel one (`iterator_types = ["reduction", "parallel"]`, the bias
    gradient's form) would stay a host loop around one kernel launch per
    iteration. This pass, on tensors, for each `linalg.generic` and
    `linalg.reduce` with reduction loops:

    1. collapses adjacent reduction loops that every operand reads as one
       contiguous run (a full reduction of a matrix becomes one of a
       vector);
    2. splits the longest reduction loop `r` (size `S`) when the parallel
       iterations are fewer than `threads` and `S` is at least
       `4 * min-chunk`: a partial op computes `P` partial results per
       output element into a new parallel dimension, each over a chunk of
       `C` iterations (starting from the combiner's neutral element), and a
       combining op folds the partials into the original init. `P` is the
       largest that gives at most `threads` threads and chunks of at least
       `min-chunk`. Where `r` is the innermost dimension of an input (a row
       reduction), partial `p` reads iterations `c * P + p` (neighbouring
       threads read neighbouring elements) and the partials are the last
       dimension; otherwise (a column reduction) it reads `p * C + c` and
       the partials are the first dimension (a dynamic `S` is split
       under an `scf.if` that keeps the op whole where `S < C`: `S / C`
       partials would be an empty grid). Iterations past `P * C` (a
       ragged or dynamic `S`) are reduced by the original op on a slice,
       into the combined result. Combining ops and ragged rests that are
       still long are split again;
    3. orders every reduction op's loops parallel first, reductions last.

    Splitting reassociates the reduction (floating-point sums change in
    their last bits, as in any parallel reduction). An op is left whole,
    with a remark under `remarks`, when an output's value is not one
    combiner op (`arith.addf`, `arith.mulf`, `arith.maximumf`, ... with a
    neutral element) of the output and a value that does not depend on any
    output, when its body reads `linalg.index`, when an output is not read
    through a projected permutation, or when `r` reaches an input other than
    as a plain dimension.

    Example: `linalg.generic {iterator_types = ["reduction", "parallel"]}
    ins(%dy : tensor<8192x1024xf32>) outs(%db : tensor<1024xf32>)` (a bias
    gradient, `arith.addf`) becomes a generic into `tensor<128x1024xf32>`
    (iterators `["parallel", "parallel", "reduction"]`, 64 tokens per
    thread, from `-0.0`) and a generic that adds the 128 partials of each
    feature into `%db`.
  }];
  let options = [
    Option<"threads", "threads", "int64_t", "131072",
           "Parallel iterations to aim for: enough to fill a large GPU "
           "(132 SMs of 2048 threads at half occupancy)">,
    Option<"minChunk", "min-chunk", "int64_t", "64",
           "Fewest iterations of a split reduction per thread">,
    Option<"remarks", "remarks", "bool", "false",
           "Say why a long reduction is left whole">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def PixelflyGPUThreadTiles
    : Pass<"pixelfly-gpu-thread-tiles", "::mlir::func::FuncOp"> {
  let summary = "Tile and map host parallel loops to blocks of 128 threads";
  let description = [{
    Tiles each outermost `scf.parallel` of host code (what
    `convert-linalg-to-parallel-loops` made of the elementwise ops and
    reductions left to the GPU) into a grid loop and a thread-block loop,
    without bounds clamping (the inner loop keeps a constant trip count;
    the body checks bounds), and sets the GPU mapping of both, which
    `gpu-map-parallel-loops` then leaves as it is:
    - threads x, y and z take the innermost three dimensions, x the
      contiguous one, each a power of two covering its extent until the
      block has 128 threads (a last dimension of 64 gives 64 x 2 threads,
      not 128 with half of them idle); z has at most 64 (CUDA's bound);
    - the grid's x takes the dimension with the most tiles (one known
      only at run time first), y and z the next ones with at most 65535
      tiles; dimensions of one tile and the rest run sequentially.
    A loop with a bound known only at run time goes under an `scf.if` that
    runs it only with iterations: an empty grid is an invalid launch. A
    second run-time dimension on the grid's y or z is checked before the
    launch: with more tiles than the grid allows, a copy of the loop runs
    it sequentially.
    Upstream's `parallel-loop-tiling` takes one list of sizes for every
    loop and `gpu-map-parallel-loops` gives dimensions 0, 1, 2 to x, y, z:
    with 128 along the last dimension a 3-D loop asks for 128 threads
    along z.

    Example: `scf.parallel (%i) = (%c0) to (%c1024) step (%c1)` becomes a
    loop over 8 tiles (block x) with an inner `scf.parallel` of 128
    iterations (thread x).
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::scf::SCFDialect",
  ];
}

def PixelflyGPUDenseFallback
    : Pass<"pixelfly-gpu-dense-fallback", "::mlir::func::FuncOp"> {
  let summary = "Run dense the pixelfly ops no GPU kernel covers";
  let description = [{
    `convert-pixelfly-to-gpu` lowers the products `pixelfly-gpu-config` gave
    a configuration to, and the 2:4 prunes. What is left would stop the GPU
    pipeline: a product the tensor cores cannot run as it is (a 2:4 product
    in f32: the sparse tensor cores take f16 and bf16; blocks or shapes that
    are not whole tensor-core steps), and the ops that rebuild a dense
    weight (`pixelfly.densify_2_4` in a fixed 2:4 mask's `_pack` function,
    `pixelfly.densify`). On tensors, this pass rewrites each product without
    a `pixelfly.gpu_config` as the same computation on the densified weight
    (`pixelfly-expand-to-dense`'s rewrite), with a remark, and lowers the
    densify ops to `linalg.generic` (as `convert-pixelfly-to-linalg` does):
    the dense contractions then go to the tensor cores through
    `pixelfly-dense-products`, the rest to parallel-loop kernels. Products
    in memref form are left unchanged with a remark.

    Example: with `chip=sm_90a`, an f32 `pixelfly.two_four_matmul` (no
    configuration) becomes `pixelfly.densify_2_4` (then a `linalg.generic`
    reading the metadata) and a `linalg.matmul` on the dense weight, which
    runs as a TF32 full-layout product.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
  let statistics = [
    Statistic<"numExpanded", "num-expanded",
              "Number of products without a GPU configuration made dense">,
    Statistic<"numDensified", "num-densified",
              "Number of densify ops lowered to linalg">,
  ];
}

def PixelflyGPUHorizontalFusion
    : Pass<"pixelfly-gpu-horizontal-fusion", "::mlir::func::FuncOp"> {
  let summary = "Run independent elementwise ops as one parallel loop";
  let description = [{
    On memrefs, before the GPU pipeline maps what is left of linalg to
    threads. A run of `linalg.generic` ops in one block (only ops without
    memory effects, or allocations, between them) that are elementwise
    over contiguous buffers (every loop parallel, every memref operand at
    the iteration point or 0-d, no `linalg.index`) and independent (none
    writes a buffer another reads or writes, by the aliasing of
    `BufferEffects.h`) becomes one `scf.parallel` over their elements laid
    end to end: iteration `i` computes the op whose range holds it, at
    `i` minus the range's start, from flat (collapsed) views of its
    operands. A training step's optimizer updates, one per parameter and
    most of them small, then run as one kernel, as the frameworks'
    multi-tensor optimizers do. A run stops before its kernel's
    parameters (memref descriptors) would pass 4000 bytes.

    Example: the AdamW updates of a weight (`1024x4096`), its bias
    (`4096`) and a scalar gamma become one loop over 4198401 elements
    with three `scf.if` ranges.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
  ];
}

def PixelflyGPUAccumulators
    : Pass<"pixelfly-gpu-accumulators", "::mlir::func::FuncOp"> {
  let summary = "Keep reductions' accumulators in registers, fold their fills";
  let description = [{
    On the parallel loops that `convert-linalg-to-parallel-loops` makes of
    the GPU pipeline's remaining linalg ops, before they are mapped to
    threads. A reduction there is a parallel loop over its outputs around
    sequential loops that load and store the output element at every
    iteration: a round trip through global memory per iteration in the
    kernel (nothing tells LLVM that the output aliases no input), after a
    kernel of its own that fills the output with the initial value. This
    pass
    - gives an `scf.for` an iteration argument for each element its body
      loads and then stores at indices defined outside it, when nothing
      else in the loop may touch that buffer (the aliasing of
      `BufferEffects.h`): loaded before the loop, stored after it;
    - moves a fill loop (a parallel loop that only stores one value at
      its induction variables) down to the first op that may see its
      buffer (`gpu.wait` sees none), into both branches of an `scf.if`;
    - when the fill is then directly followed by a parallel loop over the
      same space (extents equal as values, or through `memref.dim` of
      allocations, views and reshapes) whose body loads the element at its
      induction variables once, then stores it, and touches the buffer
      nowhere else: gives that load the fill's value and erases the fill
      (one that only stores the element overwrites the fill: it goes too).

    Example: a bias gradient's zero fill and its column sum over 64
    tokens become one kernel whose threads each sum 64 values in a
    register and store once.
  }];
  let dependentDialects = [
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
  ];
  let statistics = [
    Statistic<"numAccumulators", "num-accumulators",
              "Number of loaded and stored elements kept in registers">,
    Statistic<"numFillsFolded", "num-fills-folded",
              "Number of fill loops folded into the loop that follows">,
  ];
}

def PixelflyGPUFuseLoops
    : Pass<"pixelfly-gpu-fuse-loops", "::mlir::func::FuncOp"> {
  let summary = "Fuse adjacent parallel loops over the same space";
  let description = [{
    On the parallel loops that `convert-linalg-to-parallel-loops` makes of
    the GPU pipeline's remaining linalg ops, before they are mapped to
    threads (each loop is then a kernel). A parallel loop joins the next
    parallel loop of its block when:
    - they run over the same space (bounds and steps equal as constants,
      or as the size a `memref.dim` resolves to through allocations,
      reshapes and views);
    - the ops between them see none of its buffers (a device allocation
      and its `gpu.wait`s do not): it moves down past them;
    - where one body writes a buffer the other may touch (the aliasing of
      `BufferEffects.h`), both access it only at their induction
      variables, so iteration `i` of the second depends on iteration `i`
      of the first only;
    - every memory access in either body is a `memref.load` or
      `memref.store`, and neither has results or a nested parallel loop.
    The first loop's body then runs at the start of the second's, in the
    same iteration. Then a loop right after an `scf.if` (without results)
    moves into both branches, right after each branch's last parallel
    loop, when it can fuse with both and move up past what follows them:
    the rest of a split reduction joins the loop that combines its
    partials, whichever branch runs. Upstream's `scf-parallel-loop-fusion` does this for
    bounds that are the same values with nothing that has side effects in
    between; in this pipeline the bounds are `memref.dim`s of different
    views and the second loop's output is allocated in between.

    Example: a per-token gate's row sums (each token's 16 partial sums
    added) and its sigmoid become one kernel.
  }];
  let dependentDialects = [
    "::mlir::scf::SCFDialect",
  ];
  let statistics = [
    Statistic<"numFused", "num-fused", "Number of loops fused into the next">,
    Statistic<"numSunk", "num-sunk",
              "Number of loops moved into both branches of an scf.if">,
  ];
}

def PixelflyGPUScalarResults
    : Pass<"pixelfly-gpu-scalar-results", "::mlir::func::FuncOp"> {
  let summary = "Give linalg ops without a parallel loop one, for the GPU";
  let description = [{
    The GPU pipeline runs what is left of linalg as parallel loops mapped
    to threads; an op without a parallel loop (a full reduction into a 0-d
    tensor, such as a gradient norm or the learned gamma's gradient, or a
    fill of a 0-d tensor) has none to map and would stay in host code,
    reading and writing device memory from the host. This pass, on
    tensors, gives each such op (named ops generalized first) a leading
    parallel loop of size 1: its 0-d outputs become `tensor<1xT>` through
    `tensor.expand_shape`, its results are collapsed back, and
    `linalg.index` in its body is renumbered. The op then runs in a kernel
    of one thread.

    Example: `linalg.generic {iterator_types = ["reduction", "reduction"]}
    ins(%g : tensor<256x64xf32>) outs(%acc : tensor<f32>)` becomes a
    generic with iterators `["parallel", "reduction", "reduction"]` into
    `tensor<1xf32>`.
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def PixelflyGPUDeviceMemory
    : Pass<"pixelfly-gpu-device-memory", "::mlir::ModuleOp"> {
  let summary = "Put the buffers of GPU host code in device memory";
  let description = [{
    For GPU programs whose host functions work on device memory (the
    contract of `pixelfly-gpu-pipeline`: every memref a host function sees
    is device memory), after bufferization and before the remaining linalg
    becomes GPU loops. In host code (outside `gpu.module` and `gpu.launch`):

    * `memref.alloc` becomes `gpu.alloc` and `memref.dealloc` becomes
      `gpu.dealloc` (the asynchronous forms `gpu-to-llvm` lowers, each on a
      stream of its own that is waited for at once);
    * `memref.copy` between memrefs with identity layouts becomes
      `gpu.memcpy`; any other copy (a strided view) becomes `linalg.copy`,
      which the pipeline then runs as a GPU kernel.

    A temporary left in host memory would be handed to a kernel as a host
    pointer, and a host copy would dereference device pointers. Allocations
    outside the default memory space are left alone; one `gpu.alloc` cannot
    express (a layout other than the identity) is left with a remark, and
    so is a `memref.alloca` whose buffer reaches a kernel launch.

    Example: `%t = memref.alloc(%m) : memref<?x1024xf16>` becomes
    `%s = gpu.wait async`,
    `%t, %d = gpu.alloc async [%s] (%m) : memref<?x1024xf16>`,
    `gpu.wait [%d]`.
  }];
  let dependentDialects = [
    "::mlir::gpu::GPUDialect",
    "::mlir::linalg::LinalgDialect",
  ];
  let statistics = [
    Statistic<"numAllocs", "allocs", "Allocations moved to the device">,
    Statistic<"numCopies", "copies", "Copies made device copies">,
  ];
}

def PixelflyGPUDeviceConstants
    : Pass<"pixelfly-gpu-device-constants", "::mlir::ModuleOp"> {
  let summary = "Move the constant globals that kernels read into their "
                "GPU modules";
  let description = [{
    After kernel outlining: a constant `memref.global` (a compile-time
    weight, a bias) that host code passes to `gpu.launch_func` lives in host
    memory, which a kernel cannot read. For every kernel argument that is
    `memref.get_global` of an initialized constant global at every launch of
    that kernel, the global is copied into the kernel's `gpu.module` (16-byte
    aligned at least, for `cp.async`), the kernel reads it with its own
    `memref.get_global`, and the argument disappears from the kernel and its
    launches. Host globals left without users are erased.

    The data becomes part of the kernel module's image: the GPU driver
    uploads it once, when the module is loaded (at program start for
    `gpu.binary`), and no call copies it again. A splat global that a kernel
    only reads with `memref.load` / `vector.load` is not copied: the loads
    become constants (as module data a splat would be written out element
    by element).

    Left as they are, with a remark: a launch argument that is a mutable
    host global, and a kernel argument bound to different globals (or to a
    global and another value) at different launches.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::vector::VectorDialect"];
  let statistics = [
    Statistic<"numMoved", "moved", "Kernel arguments bound to device globals">,
  ];
}

#endif // PIXELFLY_DIALECT_PIXELFLY_TRANSFORMS_PASSES_TD
