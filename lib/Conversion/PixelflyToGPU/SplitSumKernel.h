//===- SplitSumKernel.h - Adding a split weight gradient --------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// A weight gradient whose tokens are split over thread blocks (the
// configuration's `splits`) leaves one f32 partial per range and block;
// this kernel, the same for every family, adds them to init.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_SPLITSUMKERNEL_H
#define PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_SPLITSUMKERNEL_H

#include "KernelLaunch.h"
#include "ProductPlan.h"

namespace mlir::pixelfly {

/// Threads per block of the split-sum kernel.
constexpr int64_t kSplitSumThreads = 256;

/// Builds the kernel computing init[p] += partials[0][p] + ... +
/// partials[splits - 1][p] for every block p of the weight gradient
/// `plan`: the ranges added in order in f32, then to init (not read with
/// `plan.zeroInit`) and rounded once, as an unsplit kernel would; a thread
/// per pair of neighbouring columns. Arguments: partials, init.
KernelLaunch buildSplitSumKernel(gpu::GPUModuleOp module, llvm::StringRef name,
                                 const ProductPlan &plan, Location loc);

} // namespace mlir::pixelfly

#endif // PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_SPLITSUMKERNEL_H
