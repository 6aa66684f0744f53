//===- ProductBuilder.cpp - Building blocks of products in linalg ---------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Utils/ProductBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::pixelfly;

ProductBuilder::ProductBuilder(OpBuilder &b, Location loc)
    : b(b), loc(loc), ctx(b.getContext()) {}

OpFoldResult ProductBuilder::size(ArrayRef<DimOf> candidates) {
  for (const DimOf &c : candidates) {
    int64_t s = cast<ShapedType>(c.value.getType()).getDimSize(c.dim);
    if (!ShapedType::isDynamic(s))
      return b.getIndexAttr(s);
  }
  const DimOf &first = candidates.front();
  Value &dim = dims[{first.value, first.dim}];
  if (!dim)
    dim = tensor::DimOp::create(b, loc, first.value, first.dim);
  return dim;
}

Value ProductBuilder::empty(ArrayRef<OpFoldResult> sizes, Type elementType) {
  return tensor::EmptyOp::create(b, loc, sizes, elementType);
}

Value ProductBuilder::zeros(ArrayRef<OpFoldResult> sizes) {
  if (!zero)
    zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0));
  return linalg::FillOp::create(b, loc, ValueRange{zero},
                                ValueRange{empty(sizes, f32())})
      .getResult(0);
}

Value ProductBuilder::convert(Value v, Type to) {
  if (v.getType() == to)
    return v;
  if (v.getType().getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
    return arith::ExtFOp::create(b, loc, to, v);
  return arith::TruncFOp::create(b, loc, to, v);
}

Value ProductBuilder::index(int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

Value ProductBuilder::transpose(Value value, ArrayRef<int64_t> perm) {
  SmallVector<OpFoldResult> sizes;
  for (int64_t p : perm)
    sizes.push_back(tensor::getMixedSize(b, loc, value, p));
  Value init = empty(sizes, getElementTypeOrSelf(value.getType()));
  return linalg::TransposeOp::create(b, loc, value, init, perm).getResult()[0];
}

AffineMap ProductBuilder::map3(unsigned r, unsigned c) {
  return AffineMap::get(3, 0,
                        {getAffineDimExpr(r, ctx), getAffineDimExpr(c, ctx)},
                        ctx);
}

Value ProductBuilder::matmul(Value lhs, AffineMap lhsMap, Value rhs,
                             AffineMap rhsMap, Value acc) {
  auto op = linalg::MatmulOp::create(b, loc, TypeRange{acc.getType()},
                                     ValueRange{lhs, rhs}, ValueRange{acc});
  // Only the default maps have a builder; set ours afterwards (the region
  // does not depend on them).
  op.setIndexingMapsAttr(
      b.getAffineMapArrayAttr({lhsMap, rhsMap, map3(0, 1)}));
  return op.getResult(0);
}

Value ProductBuilder::matmulNN(Value lhs, Value rhs, Value acc) {
  return matmul(lhs, map3(0, 2), rhs, map3(2, 1), acc);
}

Value ProductBuilder::matmulNT(Value lhs, Value rhs, Value acc) {
  return matmul(lhs, map3(0, 2), rhs, map3(1, 2), acc);
}

Value ProductBuilder::matmulTN(Value lhs, Value rhs, Value acc) {
  return matmul(lhs, map3(2, 0), rhs, map3(2, 1), acc);
}

Value ProductBuilder::addInto(Value sum, Value init) {
  auto initType = cast<RankedTensorType>(init.getType());
  int64_t rank = initType.getRank();
  SmallVector<AffineMap> maps(2, b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  Type elementType = initType.getElementType();
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{initType}, ValueRange{sum}, ValueRange{init}, maps,
      iterators, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        ProductBuilder body(nb, nloc);
        Value acc = body.convert(args[1], body.f32());
        Value s = body.convert(args[0], body.f32());
        Value r = arith::AddFOp::create(nb, nloc, acc, s);
        linalg::YieldOp::create(nb, nloc,
                                ValueRange{body.convert(r, elementType)});
      });
  return generic.getResult(0);
}

Value ProductBuilder::mixInto(Value sparse, Value lowRank, Value gamma,
                              double gammaConst, Value init) {
  return gammaInto({{sparse, false}, {lowRank, true}}, gamma, gammaConst,
                   init);
}

Value ProductBuilder::gammaInto(ArrayRef<std::pair<Value, bool>> terms,
                                Value gamma, double gammaConst, Value init) {
  auto initType = cast<RankedTensorType>(init.getType());
  AffineMap id = b.getMultiDimIdentityMap(2);
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  for (auto [term, complement] : terms) {
    inputs.push_back(term);
    maps.push_back(id);
  }
  Value g, oneMinusG;
  if (gamma) {
    inputs.push_back(gamma);
    // A scalar is broadcast to every (m, n); a per-row gamma follows m.
    maps.push_back(isa<ShapedType>(gamma.getType())
                       ? AffineMap::get(2, 0, {b.getAffineDimExpr(0)}, ctx)
                       : AffineMap::get(2, 0, {}, ctx));
  } else {
    // Both factors rounded from double once, not 1 - round(g).
    g = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(gammaConst));
    oneMinusG = arith::ConstantOp::create(
        b, loc, b.getF32FloatAttr(1.0 - gammaConst));
  }
  maps.push_back(id);
  SmallVector<utils::IteratorType> iterators(2, utils::IteratorType::parallel);
  Type elementType = initType.getElementType();
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{initType}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        ProductBuilder body(nb, nloc);
        Value gv = g, omg = oneMinusG;
        if (gamma) {
          gv = body.convert(args[terms.size()], body.f32());
          Value one =
              arith::ConstantOp::create(nb, nloc, nb.getF32FloatAttr(1.0));
          omg = arith::SubFOp::create(nb, nloc, one, gv);
        }
        Value acc = body.convert(args.back(), body.f32());
        SmallVector<Value> scaled;
        for (auto [i, term] : llvm::enumerate(terms))
          scaled.push_back(
              arith::MulFOp::create(nb, nloc, term.second ? omg : gv,
                                    body.convert(args[i], body.f32())));
        for (Value v : scaled)
          acc = arith::AddFOp::create(nb, nloc, acc, v);
        linalg::YieldOp::create(nb, nloc,
                                ValueRange{body.convert(acc, elementType)});
      });
  return generic.getResult(0);
}

SmallVector<int64_t> mlir::pixelfly::blockRowsOf(ArrayRef<int64_t> rowPtr) {
  SmallVector<int64_t> rows;
  for (size_t r = 0; r + 1 < rowPtr.size(); ++r)
    rows.append(rowPtr[r + 1] - rowPtr[r], r);
  return rows;
}

Value ProductBuilder::indexTable(ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                    b.getIndexType());
  SmallVector<APInt> bits;
  for (int64_t v : values)
    bits.push_back(APInt(64, v));
  return arith::ConstantOp::create(b, loc, type,
                                   DenseElementsAttr::get(type, bits));
}

Value ProductBuilder::gatherBlocks(Value dense, ArrayRef<int64_t> rowPtr,
                                   ArrayRef<int64_t> colIdx, int64_t bm,
                                   int64_t bk) {
  int64_t nnz = colIdx.size();
  Type element = cast<ShapedType>(dense.getType()).getElementType();
  Value out = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{nnz, bm, bk},
                                      element);
  if (nnz == 0)
    return out;
  Value rows = indexTable(blockRowsOf(rowPtr)), cols = indexTable(colIdx);
  auto loop = scf::ForOp::create(
      b, loc, index(0), index(nnz), index(1), ValueRange{out},
      [&](OpBuilder &nb, Location nloc, Value p, ValueRange args) {
        auto scaled = [&](Value tableValue, int64_t size) -> Value {
          Value i = tensor::ExtractOp::create(nb, nloc, tableValue, p);
          return arith::MulIOp::create(
              nb, nloc, i, arith::ConstantIndexOp::create(nb, nloc, size));
        };
        SmallVector<OpFoldResult> one2(2, nb.getIndexAttr(1));
        SmallVector<OpFoldResult> one3(3, nb.getIndexAttr(1));
        auto tileType = RankedTensorType::get({bm, bk}, element);
        Value tile = tensor::ExtractSliceOp::create(
            nb, nloc, tileType, dense,
            {OpFoldResult(scaled(rows, bm)), OpFoldResult(scaled(cols, bk))},
            {nb.getIndexAttr(bm), nb.getIndexAttr(bk)}, one2);
        Value next = tensor::InsertSliceOp::create(
            nb, nloc, tile, args[0], {p, nb.getIndexAttr(0), nb.getIndexAttr(0)},
            {nb.getIndexAttr(1), nb.getIndexAttr(bm), nb.getIndexAttr(bk)},
            one3);
        scf::YieldOp::create(nb, nloc, next);
      });
  return loop.getResult(0);
}

Value ProductBuilder::accumulator(Value init) {
  auto type = cast<RankedTensorType>(init.getType());
  if (type.getElementType().isF32())
    return init;
  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    sizes.push_back(size({{init, d}}));
  return zeros(sizes);
}

Value ProductBuilder::finish(Value acc, Value init) {
  if (acc.getType() == init.getType() &&
      cast<ShapedType>(init.getType()).getElementType().isF32())
    return acc;
  return addInto(acc, init);
}
