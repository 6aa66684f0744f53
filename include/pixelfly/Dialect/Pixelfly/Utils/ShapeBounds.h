//===- ShapeBounds.h - Bounded element counts of shapes ---------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_DIALECT_PIXELFLY_UTILS_SHAPEBOUNDS_H
#define PIXELFLY_DIALECT_PIXELFLY_UTILS_SHAPEBOUNDS_H

#include "mlir/IR/BuiltinTypeInterfaces.h"
#include "llvm/Support/CheckedArithmetic.h"

#include <optional>

namespace mlir::pixelfly {

/// The number of elements of the static dimensions of `shape` (dynamic
/// ones are skipped), or nullopt when it exceeds `limit`. The product is
/// checked, so a shape whose size does not fit 64 bits is refused too.
inline std::optional<int64_t> staticElementsWithin(ArrayRef<int64_t> shape,
                                                   int64_t limit) {
  int64_t elements = 1;
  for (int64_t d : shape) {
    if (ShapedType::isDynamic(d))
      continue;
    std::optional<int64_t> next = llvm::checkedMul(elements, d);
    if (!next || *next > limit)
      return std::nullopt;
    elements = *next;
  }
  return elements;
}

} // namespace mlir::pixelfly

#endif // PIXELFLY_DIALECT_PIXELFLY_UTILS_SHAPEBOUNDS_H
