//===- LoopSpace.h - Parallel loops over the same iterations ----*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// The GPU pipeline's loop folds (a fill into the reduction after it, two
// adjacent loops into one kernel) need loops over the same iterations. Their
// bounds are often different values of one size: `memref.dim` of a buffer
// and of a view or reshape of it, or of the allocation it was made with.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_DIALECT_PIXELFLY_UTILS_LOOPSPACE_H
#define PIXELFLY_DIALECT_PIXELFLY_UTILS_LOOPSPACE_H

#include "mlir/Dialect/SCF/IR/SCF.h"

namespace mlir::pixelfly {

/// Whether `a` and `b` have equal bounds and steps: equal constants, or the
/// same value once `memref.dim` is resolved through allocations
/// (`memref.alloc`, `gpu.alloc`), `memref.expand_shape` and subviews that
/// keep their rank.
bool sameIterationSpace(scf::ParallelOp a, scf::ParallelOp b);

} // namespace mlir::pixelfly

#endif // PIXELFLY_DIALECT_PIXELFLY_UTILS_LOOPSPACE_H
