//===- LowRankKernel.h - Low-rank panel, a thread per element ---*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// T = (1 - g) X V for shapes no tensor-core schedule fits: plain SIMT code
// that any family can fall back to.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_LOWRANKKERNEL_H
#define PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_LOWRANKKERNEL_H

#include "KernelLaunch.h"
#include "ProductPlan.h"

namespace mlir::pixelfly {

/// Threads per block of the low-rank kernel.
constexpr int64_t kLowRankThreads = 256;

/// Builds the kernel computing T[m, j] = (1 - g(m)) * sum_k X[m, k] V[k, j]
/// (f32 accumulation, rounded to T's type) for the panel of `plan`, one
/// element per thread. Arguments: x, v, t and the gamma operand if any.
KernelLaunch buildLowRankKernel(gpu::GPUModuleOp module, llvm::StringRef name,
                                const ProductPlan &plan, Location loc);

/// Builds the kernel computing T[m, j] = (1 - g(m)) * XV[m, j] from the
/// caller's X V (pixelfly.linear's xv), rounded to T's type, one element
/// per thread. Arguments: xv, t and the gamma operand if any.
KernelLaunch buildPanelScaleKernel(gpu::GPUModuleOp module,
                                   llvm::StringRef name,
                                   const ProductPlan &plan, Location loc);

} // namespace mlir::pixelfly

#endif // PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_LOWRANKKERNEL_H
