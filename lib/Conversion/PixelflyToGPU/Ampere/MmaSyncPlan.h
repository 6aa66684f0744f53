//===- MmaSyncPlan.h - Ampere-family schedule of products -------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// The Ampere family (sm_80 on): warps of mma.sync m16n8k16 (m16n8k8 for
// TF32) fed by ldmatrix from a cp.async ring in XOR-swizzled shared memory.
// Its plan is the product plan plus the warp, fragment and shared-memory
// geometry the configuration gives.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_AMPERE_MMASYNCPLAN_H
#define PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_AMPERE_MMASYNCPLAN_H

#include "KernelLaunch.h"
#include "ProductPlan.h"

namespace mlir::pixelfly {

/// The target of `chip` when it is known and has the warp-level tensor-core
/// instructions (`what`, for the diagnostic); otherwise none, with the
/// reason in `why`.
std::optional<GpuTarget> mmaSyncTarget(llvm::StringRef chip,
                                       llvm::StringRef what, std::string &why);

struct MmaSyncPlan : ProductPlan {
  int64_t numThreads = 0;
  int64_t warpTileM = 0, warpTileN = 0;
  int64_t mmaTilesM = 0, mmaTilesN = 0; ///< m16 and n8 tiles per warp
  int64_t stepsPerBlock = 0;            ///< tile_k steps in one bk
  int64_t chunksPerRow = 0;             ///< 16-byte chunks per tile_k row
  int64_t sharedBytes = 0;
  bool dynamicShared = false;

  /// The reduction depth of one mma: m16n8k16 for f16/bf16, m16n8k8 for
  /// TF32; either way the 32 bytes of two chunks that an x4 ldmatrix of A
  /// covers.
  int64_t kPerStep() const { return 2 * copyElements; }
  GpuConfigAttr mmaConfig() const { return cast<GpuConfigAttr>(config); }
  bool isTF32() const { return elementBytes == 4; }
};

/// Plans the Ampere kernel of `op` (block_sparse_matmul,
/// block_sparse_input_grad, block_sparse_weight_grad, linear or
/// low_rank_matmul, memref form, with a configuration), or returns failure
/// with the reason in `why`.
FailureOr<MmaSyncPlan> planMmaSyncKernel(Operation *op, GpuConfigAttr config,
                                         std::string &why);

/// Plans T = (1 - g) X V of `main`'s panel on the tensor cores
/// (describePanelProduct) under `config`, or fails with the reason in
/// `why`.
FailureOr<MmaSyncPlan> planPanelKernel(const ProductPlan &main,
                                       GpuConfigAttr config, std::string &why);

/// Builds the kernel of `plan` as `name` into `module`, with its constant
/// tables next to it. Arguments: x, blocks, init; with a panel x, blocks
/// (unless low-rank only), t, u, init and the gamma operand if any. Grid:
/// (tiles, ceil(M / tile_m)), or (blocks, 1) for the weight gradient.
KernelLaunch buildMmaSyncKernel(gpu::GPUModuleOp module, llvm::StringRef name,
                                const MmaSyncPlan &plan, Location loc);

} // namespace mlir::pixelfly

#endif // PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_AMPERE_MMASYNCPLAN_H
