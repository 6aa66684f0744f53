//===- PruneKernel.h - pixelfly.prune_2_4 on the GPU ------------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_PRUNEKERNEL_H
#define PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_PRUNEKERNEL_H

#include "KernelLaunch.h"

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyOps.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/BuiltinTypes.h"

#include <string>

namespace mlir::pixelfly {

struct PrunePlan {
  MemRefType inputType;
  /// values, metadata, and with `transposable` those of W^T.
  SmallVector<MemRefType> outputTypes;
  int64_t n = 0, k = 0;
  bool transposable = false;
  /// Threads with work: one per metadata word of W, or (transposable) one
  /// per 16 x 16 block.
  int64_t numThreadTasks = 0;
  /// Threads per block: 256, or 64 for the transposable selection, whose
  /// threads each do 16 times the work (more blocks to fill the SMs).
  int64_t threadsPerBlock = 256;
};

/// Plans the kernel of `op` (memref form), or returns failure with the
/// reason in `why`.
FailureOr<PrunePlan> planPrune(Prune24Op op, std::string &why);

/// Builds the kernel of `plan` as `name` into `module`. Arguments: the
/// dense weight and the outputs. Grid: ceil(numThreadTasks /
/// threadsPerBlock).
KernelLaunch buildPruneKernel(gpu::GPUModuleOp module, llvm::StringRef name,
                              const PrunePlan &plan, Location loc);

} // namespace mlir::pixelfly

#endif // PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_PRUNEKERNEL_H
