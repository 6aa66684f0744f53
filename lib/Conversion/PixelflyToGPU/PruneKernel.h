//===- PruneKernel.h - pixelfly.prune_2_4 on the GPU ------------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_PRUNEKERNEL_H
#define PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_PRUNEKERNEL_H

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyOps.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/BuiltinTypes.h"

#include <string>

namespace mlir::pixelfly {

/// Threads per block of the prune kernel; each handles one metadata word.
constexpr int64_t kPruneThreads = 256;

struct PrunePlan {
  MemRefType inputType, valuesType, metadataType;
  int64_t n = 0, k = 0;
};

/// Plans the kernel of `op` (memref form), or returns failure with the
/// reason in `why`.
FailureOr<PrunePlan> planPrune(Prune24Op op, std::string &why);

/// Builds the kernel of `plan` as `name` into `module`. Arguments: the
/// dense weight, values, metadata. Grid: ceil(N K / 16 / kPruneThreads).
gpu::GPUFuncOp buildPruneKernel(gpu::GPUModuleOp module, llvm::StringRef name,
                                const PrunePlan &plan, Location loc);

} // namespace mlir::pixelfly

#endif // PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_PRUNEKERNEL_H
