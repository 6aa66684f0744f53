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

/// The patterns of `populatePixelflyToLinalgPatterns` for the ops that
/// rebuild a dense weight (`pixelfly.densify`, `pixelfly.densify_2_4`)
/// only: for pipelines that have kernels of their own for the products.
void populateDensifyToLinalgPatterns(RewritePatternSet &patterns);

} // namespace pixelfly
} // namespace mlir

#endif // PIXELFLY_CONVERSION_PIXELFLYTOLINALG_PIXELFLYTOLINALG_H
