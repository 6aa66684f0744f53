//===- InitAllPixelfly.h - Register everything pixelfly ---------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// Entry points for tools and compiler stacks that embed pixelfly.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_INITALLPIXELFLY_H
#define PIXELFLY_INITALLPIXELFLY_H

namespace mlir {
class DialectRegistry;

namespace pixelfly {

/// Adds the pixelfly dialect and its external interface models (e.g.
/// bufferization) to `registry`.
void registerAllPixelflyDialects(DialectRegistry &registry);

/// Registers every pixelfly pass with the global pass registry, so that
/// they can be named on the command line and in textual pipelines.
void registerAllPixelflyPasses();

} // namespace pixelfly
} // namespace mlir

#endif // PIXELFLY_INITALLPIXELFLY_H
