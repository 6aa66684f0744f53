//===- PixelflyOps.h - Pixelfly operations ----------------------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_DIALECT_PIXELFLY_IR_PIXELFLYOPS_H
#define PIXELFLY_DIALECT_PIXELFLY_IR_PIXELFLYOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyAttrs.h"
#include "pixelfly/Dialect/Pixelfly/IR/PixelflyDialect.h"

#define GET_OP_CLASSES
#include "pixelfly/Dialect/Pixelfly/IR/PixelflyOps.h.inc"

#endif // PIXELFLY_DIALECT_PIXELFLY_IR_PIXELFLYOPS_H
