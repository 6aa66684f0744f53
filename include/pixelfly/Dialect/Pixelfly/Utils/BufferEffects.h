//===- BufferEffects.h - Which ops may see which buffers --------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// The conservative aliasing the lowering's folds rely on (a zero fill
// absorbed by a kernel, elementwise consumers moved into its epilogue):
// fresh allocations alias nothing else, and neither do function arguments
// marked `llvm.noalias`; other function arguments may alias each other.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_DIALECT_PIXELFLY_UTILS_BUFFEREFFECTS_H
#define PIXELFLY_DIALECT_PIXELFLY_UTILS_BUFFEREFFECTS_H

#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"

namespace mlir::pixelfly {

/// The buffer a memref value views (through view-like ops).
Value baseBuffer(Value v);

/// Whether memrefs `a` and `b` may share memory: views of one buffer, or
/// two buffers of which neither is a fresh allocation or an argument
/// marked `llvm.noalias`.
bool mayAlias(Value a, Value b);

/// Whether `op` may read or write `buffer` (with `writesOnly`: change it):
/// true unless each of its memory effects (its nested ops' included; reads
/// skipped with `writesOnly`) is on a memref that cannot alias it. A
/// `gpu.wait` touches no buffer.
bool mayTouch(Operation *op, Value buffer, bool writesOnly = false);

} // namespace mlir::pixelfly

#endif // PIXELFLY_DIALECT_PIXELFLY_UTILS_BUFFEREFFECTS_H
