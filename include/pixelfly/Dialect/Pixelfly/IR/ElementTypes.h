//===- ElementTypes.h - Element types of pixelfly products ------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// The one statement of which element types the product ops are planned
// and lowered for (CPU and GPU): the budget analysis, the rewrites that
// make products and the kernel plans ask here.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_DIALECT_PIXELFLY_IR_ELEMENTTYPES_H
#define PIXELFLY_DIALECT_PIXELFLY_IR_ELEMENTTYPES_H

#include "mlir/IR/Types.h"

namespace mlir::pixelfly {

/// f16, bf16 and f32 (on the GPU's tensor cores as TF32).
inline bool isProductElementType(Type t) {
  return t.isF16() || t.isBF16() || t.isF32();
}

} // namespace mlir::pixelfly

#endif // PIXELFLY_DIALECT_PIXELFLY_IR_ELEMENTTYPES_H
