//===- PixelflyAttrs.h - Pixelfly attributes --------------------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_DIALECT_PIXELFLY_IR_PIXELFLYATTRS_H
#define PIXELFLY_DIALECT_PIXELFLY_IR_PIXELFLYATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectImplementation.h"

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyEnums.h.inc"

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyAttrInterfaces.h.inc"

namespace mlir::pixelfly {
class BlockLayoutAttr;
} // namespace mlir::pixelfly

#define GET_ATTRDEF_CLASSES
#include "pixelfly/Dialect/Pixelfly/IR/PixelflyAttrs.h.inc"

#endif // PIXELFLY_DIALECT_PIXELFLY_IR_PIXELFLYATTRS_H
