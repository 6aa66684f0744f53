//===- Transforms.h - Pixelfly rewrite patterns -----------------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_DIALECT_PIXELFLY_TRANSFORMS_TRANSFORMS_H
#define PIXELFLY_DIALECT_PIXELFLY_TRANSFORMS_TRANSFORMS_H

#include "mlir/Support/LLVM.h"

namespace mlir {
class Operation;
class RewritePatternSet;
class RewriterBase;

namespace pixelfly {

/// Patterns that rewrite pixelfly products (tensor form) into dense linalg
/// on the densified weight: the reference semantics of every product.
void populateExpandToDensePatterns(RewritePatternSet &patterns);

/// Rewrites one pixelfly product in tensor form as those patterns do; fails,
/// changing nothing, on other ops and on the memref form.
LogicalResult expandProductToDense(RewriterBase &rewriter, Operation *op);

} // namespace pixelfly
} // namespace mlir

#endif // PIXELFLY_DIALECT_PIXELFLY_TRANSFORMS_TRANSFORMS_H
