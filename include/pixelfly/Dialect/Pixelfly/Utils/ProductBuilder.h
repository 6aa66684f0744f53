//===- ProductBuilder.h - Building blocks of products in linalg -*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Helpers shared by the lowerings of pixelfly products to linalg on tensors
// (the dense reference expansion and convert-pixelfly-to-linalg): sized
// temporaries, matmuls with transposition maps, and the f32 epilogues.
//
// Products accumulate in f32. When `init` is f32 a matmul accumulates
// straight into it; otherwise the product goes to a zero-filled f32 tensor
// and a `linalg.generic` epilogue adds it to `init` (extf, add in f32,
// truncf), so that f16/bf16 destinations see exactly one rounding, like the
// tensor-core kernels.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_DIALECT_PIXELFLY_UTILS_PRODUCTBUILDER_H
#define PIXELFLY_DIALECT_PIXELFLY_UTILS_PRODUCTBUILDER_H

#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"

namespace mlir::pixelfly {

/// One dimension of one operand, used to size temporaries.
struct DimOf {
  Value value;
  int64_t dim;
};

/// Emits linalg on tensors at the builder's insertion point. Values it
/// creates once (a zero constant, `tensor.dim`s) are reused, so everything
/// must be inserted at one point.
class ProductBuilder {
public:
  // Takes a pattern's rewriter as an OpBuilder: ops created through it still
  // reach the rewriter's listener.
  ProductBuilder(OpBuilder &b, Location loc);

  OpBuilder &getBuilder() { return b; }
  Location getLoc() { return loc; }
  Type f32() { return b.getF32Type(); }

  /// Size of a dimension that several operands share: the first static size
  /// among `candidates`, else a `tensor.dim` of the first candidate (dynamic
  /// M, for instance, may be known from `init` but not from `x`).
  OpFoldResult size(ArrayRef<DimOf> candidates);

  Value empty(ArrayRef<OpFoldResult> sizes, Type elementType);
  /// Zero-filled f32 tensor: the accumulator of a product.
  Value zeros(ArrayRef<OpFoldResult> sizes);
  /// Converts a float scalar to `to` (extf, truncf, or nothing).
  Value convert(Value v, Type to);
  /// An index constant.
  Value index(int64_t v);
  /// `value` with its dimensions permuted (`linalg.transpose`): result
  /// dimension i is input dimension perm[i].
  Value transpose(Value value, ArrayRef<int64_t> perm);

  /// Affine map over the three loops of a matmul.
  AffineMap map3(unsigned r, unsigned c);
  /// `acc[i, j] += sum_l lhs * rhs` with operand maps over loops (i, j, l)
  /// = (d0, d1, d2); the maps say which operand is transposed.
  Value matmul(Value lhs, AffineMap lhsMap, Value rhs, AffineMap rhsMap,
               Value acc);
  /// lhs (i x l) times rhs (l x j).
  Value matmulNN(Value lhs, Value rhs, Value acc);
  /// lhs (i x l) times rhs^T, rhs (j x l): `X * W^T` with a PyTorch weight.
  Value matmulNT(Value lhs, Value rhs, Value acc);
  /// lhs^T times rhs, lhs (l x i), rhs (l x j): `dY^T * X`.
  Value matmulTN(Value lhs, Value rhs, Value acc);

  /// Elementwise `init + sum` over identity maps, computed in f32 and
  /// rounded once to `init`'s element type.
  Value addInto(Value sum, Value init);

  /// The Pixelfly epilogue `init + g * sparse + (1 - g) * lowRank` in f32.
  /// `gamma` is a scalar or a per-row tensor (converted to f32 in the body);
  /// without it `gammaConst` is used.
  Value mixInto(Value sparse, Value lowRank, Value gamma, double gammaConst,
                Value init);

  /// `init + sum_i f_i * terms[i]` in f32 (rank 2, identity maps), with
  /// `f_i` = `1 - g` where the term's flag is set and `g` otherwise; `gamma`
  /// and `gammaConst` as for mixInto. Terms of any float type are read in f32.
  Value gammaInto(ArrayRef<std::pair<Value, bool>> terms, Value gamma,
                  double gammaConst, Value init);

  /// A constant `tensor<N x index>` holding `values`: the static tables of
  /// a block layout, read with `tensor.extract` inside loops.
  Value indexTable(ArrayRef<int64_t> values);

  /// The `nnz x bm x bk` blocks of a dense 2-D `dense` on the CSR block
  /// layout (`rowPtr`, `colIdx`), in CSR order: an `scf.for` over constant
  /// index tables, so the IR does not grow with the block count.
  Value gatherBlocks(Value dense, ArrayRef<int64_t> rowPtr,
                     ArrayRef<int64_t> colIdx, int64_t bm, int64_t bk);

  /// The accumulator a product starts from: `init` itself when it is f32,
  /// else zeros of its shape (`finish` then adds them to `init`).
  Value accumulator(Value init);
  /// Completes a product started from `accumulator(init)`.
  Value finish(Value acc, Value init);

private:
  OpBuilder &b;
  Location loc;
  MLIRContext *ctx;
  Value zero;
  llvm::DenseMap<std::pair<Value, int64_t>, Value> dims;
};

/// The block row of every stored block of a CSR layout, in CSR order.
SmallVector<int64_t> blockRowsOf(ArrayRef<int64_t> rowPtr);

} // namespace mlir::pixelfly

#endif // PIXELFLY_DIALECT_PIXELFLY_UTILS_PRODUCTBUILDER_H
