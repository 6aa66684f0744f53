//===- KernelBuilderBase.h - Shared parts of kernel builders --*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// What every tensor-core kernel builder of convert-pixelfly-to-gpu needs:
// index constants created once at the kernel entry, unsigned arithmetic,
// the XOR swizzle of shared-memory tiles, and the cp.async-pipelined loop
// over k-tiles.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_KERNELBUILDERBASE_H
#define PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_KERNELBUILDERBASE_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "llvm/ADT/DenseMap.h"

#include <algorithm>

namespace mlir::pixelfly {

class KernelBuilderBase {
public:
  KernelBuilderBase(Location loc, MLIRContext *ctx)
      : b(loc, ctx), constants(ctx) {}

  /// Issues the copies of k-tile `kTile` into ring slot `stage`; returns
  /// the token of their cp.async group.
  using IssueFn = function_ref<Value(Value stage, Value kTile)>;
  /// One k-tile's fragment loads and mma on slot `stage`: the new
  /// accumulators.
  using ComputeFn =
      function_ref<SmallVector<Value>(Value stage, Value kTile, ValueRange acc)>;

  /// Commits the copies of `issue` as one cp.async group when `cond` holds,
  /// an empty group otherwise: one group per step keeps
  /// "wait_group(stages - 2)" meaning "the oldest k-tile has landed"
  /// through the tail of the loop.
  Value issueIf(Value cond, Value stage, Value kTile, IssueFn issue);

  /// The loop over `numKTiles` k-tiles through a `stages`-deep ring of
  /// shared-memory slots: a prologue issues k-tiles 0 .. stages - 2; each
  /// iteration waits for the oldest, issues the k-tile `stages - 1` ahead
  /// into the slot read in the previous iteration, and computes. Returns
  /// the final accumulators.
  SmallVector<Value> pipelinedLoop(Value numKTiles, int64_t stages,
                                   ValueRange inits, IssueFn issue,
                                   ComputeFn compute);

  /// An index constant, created once where `constants` points (the builder
  /// positions it at the kernel entry before the first use).
  Value cst(int64_t v) {
    Value &c = constantCache[v];
    if (!c)
      c = arith::ConstantIndexOp::create(constants, b.getLoc(), v);
    return c;
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, x, y); }
  Value div(Value x, int64_t y) { return arith::DivUIOp::create(b, x, cst(y)); }
  Value rem(Value x, int64_t y) { return arith::RemUIOp::create(b, x, cst(y)); }
  Value ult(Value x, Value y) {
    return arith::CmpIOp::create(b, arith::CmpIPredicate::ult, x, y);
  }

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

  /// The chunk thread `tid` copies in its `i`-th copy of a tile of `total`
  /// chunks spread over `threads` threads. When the threads outnumber what
  /// is left, the extra ones repeat another thread's copy (same data to the
  /// same place) rather than branch.
  Value copyChunk(Value tid, int64_t i, int64_t total, int64_t threads) {
    Value id = add(tid, cst(i * threads));
    return total % threads == 0 ? id : rem(id, total);
  }

  /// The two operand rings of a kernel in workgroup memory, shaped
  /// `shapeA` and `shapeB` (without memory space): 128-byte aligned
  /// attributions of `func` (cp.async and ldmatrix need 16-byte aligned
  /// rows; the default alignment would be the element's), or, with
  /// `dynamic` (over 48 KB), views of the dynamic shared memory the launch
  /// sizes, B after A.
  std::pair<Value, Value> createSharedRings(gpu::GPUFuncOp func,
                                            ArrayRef<int64_t> shapeA,
                                            ArrayRef<int64_t> shapeB,
                                            Type elementType, bool dynamic);

  /// Register `i` of a fragment of 16-bit pairs (`vector<R x 2 x T>`) as the
  /// i32 the NVVM mma ops take.
  Value pairAsI32(Value frag, int64_t i);
  /// The four f32 of an NVVM mma result struct as a `vector<2x2xf32>`
  /// accumulator.
  Value accumulatorOf(Value mmaResult);
  /// Elements of a `vector<2x2xf32>` accumulator, as NVVM mma operands.
  SmallVector<Value> accumulatorRegisters(Value acc);

protected:
  ImplicitLocOpBuilder b;
  OpBuilder constants;
  DenseMap<int64_t, Value> constantCache;
};

} // namespace mlir::pixelfly

#endif // PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_KERNELBUILDERBASE_H
