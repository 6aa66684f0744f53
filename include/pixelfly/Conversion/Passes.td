//===- Passes.td - Pixelfly conversion passes --------------*- tablegen -*-===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_CONVERSION_PASSES_TD
#define PIXELFLY_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertPixelflyToLinalg : Pass<"convert-pixelfly-to-linalg"> {
  let summary = "Lower pixelfly ops to linalg, scf and arith on tensors";
  let description = [{
    Lowers every pixelfly op in tensor form without densifying a structured
    weight: the CPU code path and the numerical reference of the kernels.

    * Block-sparse products loop over the static block list: the layout's
      row pointers and column indices become constant index tables, an
      `scf.for` runs over the block rows (forward) or the blocks (input and
      weight gradient), and each stored block is one small dense
      `linalg.matmul` on slices (`tensor.extract_slice`) of the activation
      and the accumulator. Empty block rows cost nothing.
    * `pixelfly.low_rank_matmul`: `T = X * V`, then `init + T * U^T`.
    * `pixelfly.linear`: the block-sparse and low-rank products into f32
      temporaries, then one `linalg.generic` epilogue
      `init + gamma * S + (1 - gamma) * L` (gamma constant, scalar or per
      row).
    * `pixelfly.two_four_matmul`: computed transposed (`Y^T = W X^T`, with
      `X` transposed once): each row of `Y^T`, 64 tokens at a time, adds
      the `j`-th kept value of row `n` times the row of `X^T` the metadata
      names, for `j` in order (an elementwise `linalg.generic` per value);
      the dropped entries of `X` are never read.
    * `pixelfly.prune_2_4`: the selection rule of the pattern library,
      branch-free, in `linalg.generic` bodies (for `transposable`, a search
      over the 90 valid 4x4 tile masks); `pixelfly.densify` and
      `pixelfly.densify_2_4` scatter blocks or kept values into a zero
      tensor.

    Products accumulate in f32: into `init` when it is f32, otherwise into an
    f32 temporary added to `init` once (one rounding, like the GPU kernels).
    A forward block-sparse product whose accumulator is a `linalg.fill`
    fills each accumulator tile inside the loops instead (the result is
    written once, and the fill runs in the parallel loop; same bits).
    Run it before bufferization: ops in memref form are left unchanged with a
    remark. The result bufferizes in place with `one-shot-bufferize`.

    Example:

    ```mlir
    %y = pixelfly.block_sparse_matmul ins(%x, %b : tensor<?x64xf32>, tensor<3x32x32xf32>)
           outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
    ```

    becomes an `scf.for` over the 2 block rows with an inner `scf.for` over
    the row's blocks, each a `linalg.matmul` of a `?x32` slice of `%x` with
    a `32x32` block into a `?x32` slice of the result.
  }];
  let options = [
    Option<"tileM", "tile-m", "int64_t", "0",
           "Take the rows (tokens) of the forward block-sparse products this "
           "many at a time, each tile running over all blocks of a block row "
           "(0: the tile_m of the module's #pixelfly.cpu_config, all rows at "
           "once without one)">,
    Option<"tileN", "tile-n", "int64_t", "0",
           "Split each block row of the forward block-sparse products into "
           "column slices this wide (a divisor of the block height), each "
           "running over all the row's blocks, so that a register tile "
           "narrower than a block keeps its accumulators across the blocks "
           "(0: the tile_n of the module's #pixelfly.cpu_config where it "
           "divides the block height, whole block rows otherwise)">,
    Option<"parallel", "parallel", "bool", "false",
           "Emit the block-row loop of the forward block-sparse products, "
           "the block-column loop of block_sparse_input_grad, the block "
           "loop of block_sparse_weight_grad and the row blocks of "
           "two_four_matmul as scf.forall (each iteration writes its own "
           "columns, rows or block; same bits as sequential)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
  let statistics = [
    Statistic<"numConverted", "num-converted", "Number of ops lowered">,
    Statistic<"numSkipped", "num-skipped",
              "Number of ops left (memref form)">,
  ];
}

def ConvertPixelflyToGPU : Pass<"convert-pixelfly-to-gpu", "::mlir::ModuleOp"> {
  let summary = "Lower pixelfly products (memref form) to tensor-core GPU "
                "kernels";
  let description = [{
    Replaces every pixelfly product in memref form that carries a
    `pixelfly.gpu_config` (see `pixelfly-gpu-config`) by a
    `gpu.launch_func` of a kernel specialized to its shapes, layout and
    configuration, generated into the `gpu.module @pixelfly_kernels` of the
    module. The configuration's kind selects the kernel family: a
    `#pixelfly.gpu_config` the Ampere family described here, a
    `#pixelfly.hopper_config` the Hopper family (sm_90a: TMA, mbarriers,
    warp-specialized warpgroup MMA with one or two consumer warpgroups, an
    optional persistent grid; every product op in f16/bf16: the forward
    block-sparse product, `pixelfly.linear` and `pixelfly.low_rank_matmul`
    with their panel's first kernel, the input and weight gradients, and
    the 2:4 product through sparse wgmma; checked in an emulator, not yet
    on a GPU). Ampere kernels are built from explicit tensor-core operations:
    operand tiles staged in shared memory by a multi-stage `cp.async`
    pipeline (`nvgpu.device_async_copy`) in an XOR-swizzled layout,
    fragments loaded with `nvgpu.ldmatrix`, products by `mma.sync`
    m16n8k16 with f32 accumulation (`nvgpu.mma.sync` for f16;
    `nvvm.mma.sync` for bf16, which MLIR 22's NVGPU lowering cannot type;
    f32 operands as TF32: m16n8k8 on fragments rounded by
    `cvt.rna.tf32.f32`),
    ragged M and partial tiles predicated (zero-filled copies, guarded
    stores). The block layout is static: per-tile tables (first block row,
    rows, block columns, block indices) are constant globals of the kernel
    module, never decoded at run time, and block rows that share their
    columns are computed by one tile as wide as `tile_n`. Stage buffers
    above 48 KB use dynamic shared memory.

    Supported today: `pixelfly.block_sparse_matmul`, `pixelfly.linear`,
    `pixelfly.low_rank_matmul`, `pixelfly.block_sparse_input_grad` and
    `pixelfly.block_sparse_weight_grad` with f16, bf16 or f32 (TF32)
    operands, and `pixelfly.two_four_matmul` with f16 or bf16 operands, all
    with an f32, f16 or bf16 `init`. `linear`
    fuses its low-rank term into the block-sparse kernel as an extra
    reduction panel: a first kernel writes `T = (1 - g) (X V)` to a device
    buffer allocated for the call (on the tensor cores under the op's
    `pixelfly.gpu_panel_config`, of either family, else one thread per
    element), the main kernel reduces the tile's block
    columns, scales the accumulators by `g` per row in registers, then
    reduces `T` against `U` (constant, scalar or per-row gamma);
    `low_rank_matmul` is the same pair of kernels without blocks. The input
    gradient tiles runs of block columns, reduces over their block rows and
    reads the blocks as stored through `ldmatrix .trans`; the weight
    gradient gives each stored block a thread block reducing over the
    tokens, both operands through `ldmatrix .trans`. The 2:4 product runs
    on the sparse tensor cores (`mma.sp` m16n8k32), which take the sparse
    operand on the left: the kernel computes `Y^T = W X^T` and writes it
    back transposed; compile-time metadata becomes a table in the order
    `mma.sp` reads it (documented with the op's format), run-time metadata
    is read as stored. The operands are device memory: the function's
    memrefs are passed to the kernels as they are. Ops without a
    configuration, tensor forms and configurations the kernel cannot honour
    are left unchanged with a remark. `pixelfly.prune_2_4` (plain and
    transposable), which needs no configuration, becomes a kernel of one
    thread per metadata word (per 16 x 16 block when transposable).

    A `+0` fill of a product's output just before it is folded into the
    kernel (Y is then written without being read). With `fuse-epilogues`,
    elementwise `linalg.generic` consumers of the output (two parallel
    loops, reading it at the element they write; a bias, an activation,
    an activation's derivative) are computed by the kernel's epilogue and
    erased, and the output is only stored when something else reads it.
  }];
  let options = [
    Option<"strict", "strict", "bool", "false",
           "Make every product the pass cannot lower an error that fails "
           "the pass, instead of a remark (pixelfly-gpu-pipeline sets it)">,
    Option<"fuseEpilogues", "fuse-epilogues", "bool", "true",
           "Compute elementwise consumers of a product's output (bias, "
           "activation, an activation's derivative) in its kernel's "
           "epilogue instead of kernels of their own">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::NVVM::NVVMDialect",
    "::mlir::nvgpu::NVGPUDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::ub::UBDialect",
    "::mlir::vector::VectorDialect",
  ];
}

#endif // PIXELFLY_CONVERSION_PASSES_TD
