//===- PixelflyToLinalg.h - Pixelfly ops to linalg on tensors ---*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_CONVERSION_PIXELFLYTOLINALG_PIXELFLYTOLINALG_H
#define PIXELFLY_CONVERSION_PIXELFLYTOLINALG_PIXELFLYTOLINALG_H

namespace mlir {
class RewritePatternSet;

namespace pixelfly {

/// Patterns that lower every pixelfly op in tensor form to linalg, scf,
/// tensor and arith, looping over the static block list (no densified
/// weight). Ops in memref form do not match.
void populatePixelflyToLinalgPatterns(RewritePatternSet &patterns);

} // namespace pixelfly
} // namespace mlir

#endif // PIXELFLY_CONVERSION_PIXELFLYTOLINALG_PIXELFLYTOLINALG_H
