//===- PixelflyDialect.h - Pixelfly dialect ---------------------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_DIALECT_PIXELFLY_IR_PIXELFLYDIALECT_H
#define PIXELFLY_DIALECT_PIXELFLY_IR_PIXELFLYDIALECT_H

#include "mlir/IR/Dialect.h"

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyDialect.h.inc"

#endif // PIXELFLY_DIALECT_PIXELFLY_IR_PIXELFLYDIALECT_H
