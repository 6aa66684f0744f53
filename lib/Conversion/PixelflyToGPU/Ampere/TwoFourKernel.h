//===- TwoFourKernel.h - Ampere-family 2:4 product kernels ------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// pixelfly.two_four_matmul on the sparse tensor cores (mma.sp m16n8k32).
// Planning reads the op and its configuration and says why it cannot be
// lowered; building emits the kernel.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_AMPERE_TWOFOURKERNEL_H
#define PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_AMPERE_TWOFOURKERNEL_H

#include "KernelLaunch.h"
#include "TwoFourProduct.h"

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyOps.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/BuiltinTypes.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::pixelfly {

struct TwoFourPlan : TwoFourProduct {
  GpuConfigAttr config;
  int64_t numThreads = 0;
  /// A warp computes featuresPerWarp x tokensPerWarp of Y^T: m16 tiles of
  /// weight rows times n8 tiles of tokens.
  int64_t featuresPerWarp = 0, tokensPerWarp = 0;
  int64_t mmaTilesF = 0, mmaTilesT = 0;
  int64_t sharedBytes = 0;
  bool dynamicShared = false;

  int64_t tileTokens() const { return config.getTileM(); }
  int64_t tileFeatures() const { return config.getTileN(); }
  int64_t tileK() const { return config.getTileK(); }
  int64_t stages() const { return config.getStages(); }
};

/// Plans the kernel of `op` (memref form, with a configuration), or returns
/// failure with the reason in `why`.
FailureOr<TwoFourPlan> planTwoFour(TwoFourMatmulOp op, GpuConfigAttr config,
                                   std::string &why);

/// Builds the kernel of `plan` as `name` into `module` (with its metadata
/// table when the metadata is known at compile time). Arguments: x,
/// values, the metadata unless it is in the table, init. Grid:
/// (N / tile_n, ceil(M / tile_m)).
KernelLaunch buildTwoFourKernel(gpu::GPUModuleOp module, llvm::StringRef name,
                                const TwoFourPlan &plan, Location loc);

} // namespace mlir::pixelfly

#endif // PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_AMPERE_TWOFOURKERNEL_H
