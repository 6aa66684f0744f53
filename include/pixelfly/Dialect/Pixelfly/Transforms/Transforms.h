//===- Transforms.h - Pixelfly rewrite patterns -----------------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_DIALECT_PIXELFLY_TRANSFORMS_TRANSFORMS_H
#define PIXELFLY_DIALECT_PIXELFLY_TRANSFORMS_TRANSFORMS_H

namespace mlir {
class RewritePatternSet;

namespace pixelfly {

/// Patterns that rewrite pixelfly products (tensor form) into dense linalg
/// on the densified weight: the reference semantics of every product.
void populateExpandToDensePatterns(RewritePatternSet &patterns);

} // namespace pixelfly
} // namespace mlir

#endif // PIXELFLY_DIALECT_PIXELFLY_TRANSFORMS_TRANSFORMS_H
