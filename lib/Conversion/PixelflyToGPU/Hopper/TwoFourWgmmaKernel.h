//===- TwoFourWgmmaKernel.h - Hopper-family 2:4 kernel ----------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_HOPPER_TWOFOURWGMMAKERNEL_H
#define PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_HOPPER_TWOFOURWGMMAKERNEL_H

#include "KernelLaunch.h"
#include "TwoFourProduct.h"

namespace mlir::pixelfly {

/// pixelfly.two_four_matmul on sparse wgmma under a #pixelfly.hopper_config:
/// a thread block computes tile_n features (W's rows; the consumers split
/// them in 64-row wgmma tiles) by tile_m tokens (wgmma's N), k-tiles of
/// tile_k = 128 columns (one 128-byte row of compressed values).
struct TwoFourWgmmaPlan : TwoFourProduct {
  HopperConfigAttr config;
  int64_t numThreads = 0;
  int64_t consumers = 0;
  int64_t mmaTilesF = 0;  ///< 64-row wgmma tiles of W per consumer
  int64_t stageBytes = 0; ///< one ring slot: the values and two X boxes
  int64_t sharedBytes = 0;
  /// Where tma_store's staging boxes start (Hopper/TmaStore.h; 0: none).
  int64_t stagingOffset = 0;
  int64_t producerRegisters = 0, consumerRegisters = 0;

  int64_t tileTokens() const { return config.getTileM(); }
  int64_t tileFeatures() const { return config.getTileN(); }
  int64_t tileK() const { return config.getTileK(); }
  int64_t stages() const { return config.getStages(); }
  /// k-tiles of one output tile (K is a multiple of tile_k).
  int64_t kTiles() const { return k / tileK(); }
  /// The compressed values of a k-tile: tile_n rows of 128 bytes.
  int64_t valuesBytes() const { return tileFeatures() * 128; }
  /// One 64-column half of the k-tile of X: tile_m rows of 128 bytes.
  int64_t xBoxBytes() const { return tileTokens() * 128; }
};

FailureOr<TwoFourWgmmaPlan>
planTwoFourWgmma(TwoFourMatmulOp op, HopperConfigAttr config, std::string &why);

/// Builds the kernel of `plan` as `name` into `module`. Arguments: the
/// tensor maps of X and of the values (created by the host before the
/// launch), the metadata unless it is the kernel's compile-time table,
/// with tma_store (unless a fused tail leaves nothing of Y to store) the
/// tensor map of Y, init. Grid: (N / tile_n, ceil(M / tile_m)), or the
/// configuration's persistent thread blocks.
KernelLaunch buildTwoFourWgmmaKernel(gpu::GPUModuleOp module,
                                     llvm::StringRef name,
                                     const TwoFourWgmmaPlan &plan,
                                     Location loc);

} // namespace mlir::pixelfly

#endif // PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_HOPPER_TWOFOURWGMMAKERNEL_H
