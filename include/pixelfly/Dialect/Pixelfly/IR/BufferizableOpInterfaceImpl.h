//===- BufferizableOpInterfaceImpl.h - Pixelfly bufferization ---*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_DIALECT_PIXELFLY_IR_BUFFERIZABLEOPINTERFACEIMPL_H
#define PIXELFLY_DIALECT_PIXELFLY_IR_BUFFERIZABLEOPINTERFACEIMPL_H

namespace mlir {
class DialectRegistry;

namespace pixelfly {
/// Attaches the BufferizableOpInterface to every pixelfly op, so that
/// one-shot-bufferize rewrites their tensor form into their memref form.
void registerBufferizableOpInterfaceExternalModels(DialectRegistry &registry);
} // namespace pixelfly
} // namespace mlir

#endif // PIXELFLY_DIALECT_PIXELFLY_IR_BUFFERIZABLEOPINTERFACEIMPL_H
