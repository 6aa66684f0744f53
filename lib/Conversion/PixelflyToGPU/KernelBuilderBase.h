//===- KernelBuilderBase.h - Shared parts of kernel builders ----*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// What every kernel builder of convert-pixelfly-to-gpu needs, whatever
// its family: index constants created once at the kernel entry, unsigned
// arithmetic, the spread of copies over threads, and the operand rings in
// shared memory.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_KERNELBUILDERBASE_H
#define PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_KERNELBUILDERBASE_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "llvm/ADT/DenseMap.h"

#include <algorithm>

namespace mlir::pixelfly {

class KernelBuilderBase {
public:
  KernelBuilderBase(Location loc, MLIRContext *ctx)
      : b(loc, ctx), constants(ctx) {}

  ImplicitLocOpBuilder &builder() { return b; }

  /// An index constant, created once where `constants` points (the builder
  /// positions it at the kernel entry before the first use).
  Value cst(int64_t v) {
    Value &c = constantCache[v];
    if (!c)
      c = arith::ConstantIndexOp::create(constants, b.getLoc(), v);
    return c;
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, x, y); }
  /// Element `indices` of an i32 table, as an index.
  Value loadIndex(Value table, ValueRange indices);
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, x, y); }
  Value div(Value x, int64_t y) { return arith::DivUIOp::create(b, x, cst(y)); }
  Value rem(Value x, int64_t y) { return arith::RemUIOp::create(b, x, cst(y)); }
  Value ult(Value x, Value y) {
    return arith::CmpIOp::create(b, arith::CmpIPredicate::ult, x, y);
  }

  /// The chunk thread `tid` copies in its `i`-th copy of a tile of `total`
  /// chunks spread over `threads` threads. When the threads outnumber what
  /// is left, the extra ones repeat another thread's copy (same data to the
  /// same place) rather than branch.
  Value copyChunk(Value tid, int64_t i, int64_t total, int64_t threads) {
    Value id = add(tid, cst(i * threads));
    return total % threads == 0 ? id : rem(id, total);
  }

  /// What the thread block of a weight gradient reduces when its tokens are
  /// split into `splits` ranges (grid y): ceil(numKTiles / splits) k-tiles
  /// each, the last ranges shorter or empty.
  struct TokenRange {
    Value firstKTile; ///< null without a split (k-tile 0)
    Value numKTiles;
    Value range; ///< null without a split
  };
  TokenRange splitTokens(Value numKTiles, int64_t splits);
  /// Where the thread block writes its sum of stored block `block` (one of
  /// `numBlocks`): range-major partials, or the block itself without a
  /// split.
  Value outputBlock(const TokenRange &range, Value block, int64_t numBlocks) {
    return range.range ? add(mul(range.range, cst(numBlocks)), block) : block;
  }
  /// The k-tile `kTile` of `range` counts from, among all of M's.
  Value absoluteKTile(const TokenRange &range, Value kTile) {
    return range.firstKTile ? add(range.firstKTile, kTile) : kTile;
  }

  /// One task per thread of a one-dimensional grid of `threadsPerBlock`
  /// threads per block: this thread's task index, the builder moved into an
  /// `scf.if` that runs only below `numTasks` (the last block's spare
  /// threads skip it). Returns the index and the `scf.if`.
  std::pair<Value, scf::IfOp> threadTask(int64_t threadsPerBlock,
                                         int64_t numTasks);

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

protected:
  ImplicitLocOpBuilder b;
  OpBuilder constants;
  DenseMap<int64_t, Value> constantCache;
};

} // namespace mlir::pixelfly

#endif // PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_KERNELBUILDERBASE_H
