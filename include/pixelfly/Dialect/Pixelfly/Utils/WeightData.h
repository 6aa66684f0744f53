//===- WeightData.h - Compile-time weights in and out of attrs --*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// Reading 2-D float constants (dense and dense_resource) into f32
// matrices and building new constants from f32 values, used by
// `pixelfly-sparsify` to project compile-time weights. Works on the raw
// storage (no APFloat per element) because whole models go through it.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_DIALECT_PIXELFLY_UTILS_WEIGHTDATA_H
#define PIXELFLY_DIALECT_PIXELFLY_UTILS_WEIGHTDATA_H

#include "pixelfly/Patterns/Matrix.h"

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Support/LLVM.h"

#include <cstdint>
#include <string>

namespace mlir::pixelfly {

//===----------------------------------------------------------------------===//
// Scalar conversions (IEEE binary16 and bfloat16 bit patterns <-> f32)
//===----------------------------------------------------------------------===//

/// The f32 value of an IEEE half-precision bit pattern (exact; NaN payloads
/// are kept).
float halfBitsToFloat(uint16_t bits);
/// `value` rounded to IEEE half precision, round-to-nearest-even, with
/// subnormals; overflow gives infinity and NaN stays a (quiet) NaN.
uint16_t floatToHalfBits(float value);
/// The f32 value of a bfloat16 bit pattern (exact).
float bfloat16BitsToFloat(uint16_t bits);
/// `value` rounded to bfloat16, round-to-nearest-even; overflow gives
/// infinity and NaN stays a (quiet) NaN.
uint16_t floatToBFloat16Bits(float value);

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

/// Largest weight `readWeightMatrix` reads: its f32 copy takes 1 GiB, and
/// the projections that follow (SVD, pruning) work on it whole.
constexpr int64_t kMaxReadWeightElements = int64_t{1} << 28;

/// Reads a float constant with two dimensions of size other than 1 (rank 2,
/// or e.g. `1 x N x K`) into an f32 row-major matrix. `attr` is a
/// DenseElementsAttr (splat or not) or a DenseResourceElementsAttr
/// (`dense_resource<...>`) with f16, bf16 or f32 elements. With `transpose`
/// the result is the transpose of the constant (so a `K x N` constant reads
/// as `N x K`). Fails, with the reason in `error`, for other element types,
/// ranks or attribute kinds, and for a resource whose blob is missing (e.g.
/// elided) or smaller than the type says, and for a weight of more than
/// `kMaxReadWeightElements` elements.
FailureOr<patterns::Matrix> readWeightMatrix(ElementsAttr attr, bool transpose,
                                             std::string &error);

/// Builds a DenseElementsAttr of `type` (static shape; f16, bf16 or f32
/// elements) from row-major f32 `values`, rounding to nearest even. Returns a
/// null attribute if the element type is not one of those or the number of
/// values does not match the type.
DenseElementsAttr makeFloatElements(RankedTensorType type,
                                    ArrayRef<float> values);

/// Builds a DenseElementsAttr of `type` (16-bit integer elements, e.g. 2:4
/// metadata) from row-major `values`. Returns a null attribute if the element
/// type is not a 16-bit integer or the number of values does not match.
DenseElementsAttr makeI16Elements(RankedTensorType type,
                                  ArrayRef<uint16_t> values);

/// Size in bytes of the data that `attr` stands for: number of elements times
/// the element size (i1 packed 8 to a byte; strings: total length). A splat
/// counts as the whole tensor, since that is the weight it replaces.
/// Returns 0 for element types of unknown size.
int64_t getElementsDataBytes(ElementsAttr attr);

} // namespace mlir::pixelfly

#endif // PIXELFLY_DIALECT_PIXELFLY_UTILS_WEIGHTDATA_H
