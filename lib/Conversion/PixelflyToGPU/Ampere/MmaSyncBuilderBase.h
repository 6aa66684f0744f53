//===- MmaSyncBuilderBase.h - Ampere-family fragments -----------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// What the Ampere-family builders share: the XOR swizzle that keeps
// ldmatrix free of bank conflicts, and the register forms of mma.sync and
// mma.sp operands and accumulators.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_AMPERE_MMASYNCBUILDERBASE_H
#define PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_AMPERE_MMASYNCBUILDERBASE_H

#include "KernelBuilderBase.h"

#include <algorithm>

namespace mlir::pixelfly {

class MmaSyncBuilderBase : public KernelBuilderBase {
public:
  using KernelBuilderBase::KernelBuilderBase;

  /// Element column of 16-byte chunk `chunk` of shared row `row`, for rows
  /// of `chunks` chunks of `perChunk` elements. The chunk index is XORed
  /// with bits of the row so that the 8 rows an ldmatrix phase reads (same
  /// logical chunk) land in 8 different 16-byte bank groups; `8 / chunks`
  /// rows share a 128-byte line when rows are short.
  Value swizzle(Value row, Value chunk, int64_t chunks, int64_t perChunk) {
    int64_t rowsPerLine = std::max<int64_t>(1, 8 / chunks);
    int64_t phases = std::min<int64_t>(chunks, 8);
    Value bits = rem(div(row, rowsPerLine), phases);
    Value swizzled = arith::XOrIOp::create(b, chunk, bits);
    return mul(swizzled, cst(perChunk));
  }

  /// Register `i` of a fragment of 16-bit pairs (`vector<R x 2 x T>`) as the
  /// i32 the NVVM mma ops take.
  Value pairAsI32(Value frag, int64_t i);
  /// The four f32 of an NVVM mma result struct as a `vector<2x2xf32>`
  /// accumulator.
  Value accumulatorOf(Value mmaResult);
  /// Elements of a `vector<2x2xf32>` accumulator, as NVVM mma operands.
  SmallVector<Value> accumulatorRegisters(Value acc);
};

} // namespace mlir::pixelfly

#endif // PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_AMPERE_MMASYNCBUILDERBASE_H
