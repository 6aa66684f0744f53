//===- WgmmaPlan.h - Hopper-family schedule of products ---------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// The Hopper family (sm_90a): a producer warp streams operand tiles into a
// ring of 128-byte-swizzled shared-memory buffers with TMA, each slot
// guarded by a full and an empty mbarrier; consumer warpgroups multiply
// them with warpgroup MMA. Its plan is the product plan plus the ring and
// warpgroup geometry of the configuration.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_HOPPER_WGMMAPLAN_H
#define PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_HOPPER_WGMMAPLAN_H

#include "KernelLaunch.h"
#include "ProductPlan.h"

namespace mlir::pixelfly {

struct WgmmaPlan : ProductPlan {
  int64_t numThreads = 0;
  int64_t consumers = 0;     ///< consumer warpgroups
  int64_t mmaTilesM = 0;     ///< 64-row wgmma tiles (accumulators) per consumer
  int64_t stepsPerBlock = 0; ///< tile_k steps in one block's reduction
  int64_t stageBytes = 0;    ///< one ring slot: the A and the B tile
  /// Dynamic shared memory: the ring (1024-byte aligned slots, as the
  /// 128-byte swizzle repeats every 8 rows of 128 bytes), then with
  /// tma_store each consumer's staging boxes (Hopper/TmaStore.h).
  int64_t sharedBytes = 0;
  /// Where the staging boxes start (0: registers store Y).
  int64_t stagingOffset = 0;
  /// A weight gradient that is a column product (isHopperColumnProduct):
  /// the width of its output, planned as one block column of 64 x width
  /// blocks (hopperColumnWeightGradLayout; init and the partials viewed
  /// so), whose tile reads X in tile_n / 64 boxes 64 columns apart and
  /// stores the width's columns. 0 otherwise.
  int64_t columnWidth = 0;
  /// setmaxnreg counts of the producer and the consumer warpgroups (0:
  /// none; with one consumer every thread has registers enough).
  int64_t producerRegisters = 0, consumerRegisters = 0;

  HopperConfigAttr hopperConfig() const {
    return cast<HopperConfigAttr>(config);
  }
  int64_t aTileBytes() const { return tileM() * tileK() * elementBytes; }
  int64_t bTileBytes() const { return tileN() * tileK() * elementBytes; }
};

/// Plans the Hopper kernel of `op` (memref form) under `config`, or fails
/// with the reason in `why` (also for products the family has no kernel
/// for yet).
FailureOr<WgmmaPlan> planWgmmaKernel(Operation *op, HopperConfigAttr config,
                                     std::string &why);

/// Plans the Hopper kernel of the first product of `main`'s low-rank
/// panel, T = (1 - g) X V (describePanelProduct), under `config`: V read
/// as stored, MN-major, in boxes of 64 columns (zeros past the rank), one
/// tile of tile_n columns, the rank stored.
FailureOr<WgmmaPlan> planWgmmaPanelKernel(const ProductPlan &main,
                                          HopperConfigAttr config,
                                          std::string &why);

/// Builds the kernel of `plan` as `name` into `module`, with its tile
/// tables. Arguments: the tensor maps of X and of the blocks (created by
/// the host before the launch), for pixelfly.linear those of T and U and
/// its gamma operand (if any), with tma_store the tensor map of init, init.
/// Grid: (tiles, ceil(M / tile_m)), or the configuration's persistent number of
/// thread blocks.
KernelLaunch buildWgmmaKernel(gpu::GPUModuleOp module, llvm::StringRef name,
                              const WgmmaPlan &plan, Location loc);

/// Builds the weight-gradient kernel of `plan` (64 x 64 blocks, or a
/// column product's 64 x w: WgmmaPlan::columnWidth; a thread
/// block per tile of blocks reducing over the tokens) as `name` into
/// `module`. Arguments: the tensor maps of dY and X, dY (for its number of
/// rows), the blocks. Grid: (tiles, token ranges).
KernelLaunch buildWgmmaWeightGradKernel(gpu::GPUModuleOp module,
                                        llvm::StringRef name,
                                        const WgmmaPlan &plan, Location loc);

} // namespace mlir::pixelfly

#endif // PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_HOPPER_WGMMAPLAN_H
