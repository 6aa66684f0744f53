//===- Epilogue.cpp - What kernels do with accumulators -------------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "Epilogue.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace mlir::pixelfly;

Value mlir::pixelfly::emitSum(ImplicitLocOpBuilder &b, Value init,
                              ValueRange index, Value part, bool zeroInit) {
  Type initElt = cast<MemRefType>(init.getType()).getElementType();
  auto pair = dyn_cast<VectorType>(part.getType());
  Type oldType =
      pair ? Type(VectorType::get(pair.getShape(), initElt)) : initElt;
  // A known +0 init is still added (+0 + -0 is +0): bit-identical to the
  // general case without reading Y.
  Value old;
  if (zeroInit) {
    TypedAttr zero = b.getZeroAttr(initElt);
    old = pair ? arith::ConstantOp::create(
                     b, DenseElementsAttr::get(cast<ShapedType>(oldType), zero))
               : arith::ConstantOp::create(b, zero);
  } else if (pair) {
    auto load = vector::LoadOp::create(b, oldType, init, index);
    load.setAlignment(pairAlignment(init, pair));
    old = load.getResult();
  } else {
    old = memref::LoadOp::create(b, init, index);
  }
  if (initElt.isF32())
    return arith::AddFOp::create(b, old, part);
  Value wide = arith::ExtFOp::create(b, part.getType(), old);
  return arith::TruncFOp::create(b, oldType,
                                 arith::AddFOp::create(b, wide, part));
}

int64_t mlir::pixelfly::pairAlignment(Value init, VectorType pair) {
  Type initElt = cast<MemRefType>(init.getType()).getElementType();
  return pair.getNumElements() * initElt.getIntOrFloatBitWidth() / 8;
}

void mlir::pixelfly::emitAccumulate(ImplicitLocOpBuilder &b, Value init,
                                    ValueRange index, Value part, bool zeroInit,
                                    const EpilogueTail *tail) {
  Value sum = emitSum(b, init, index, part, zeroInit);
  auto pair = dyn_cast<VectorType>(part.getType());
  if (!tail || tail->storesInit()) {
    if (pair)
      vector::StoreOp::create(b, sum, init, index)
          .setAlignment(pairAlignment(init, pair));
    else
      memref::StoreOp::create(b, sum, init, index);
  }
  if (tail)
    tail->emitOnSum(b, index[0], index[1], sum);
}

/// Whether `n` neighbouring elements of `memref` along its last dimension,
/// from an index whose last entry is a multiple of `n`, are one access
/// aligned to their size: unit stride there, the other strides and the
/// offset multiples of `n` (the buffer itself is at least 16-byte aligned,
/// as Y is for the pairs of emitAccumulate).
static bool isVectorAccessible(Value memref, int64_t n) {
  auto type = cast<MemRefType>(memref.getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)) || strides.empty() ||
      strides.back() != 1 || ShapedType::isDynamic(offset) || offset % n != 0)
    return false;
  return llvm::all_of(ArrayRef(strides).drop_back(), [&](int64_t stride) {
    return !ShapedType::isDynamic(stride) && stride % n == 0;
  });
}

/// Whether `map` reads along the columns (d1) in its last result only.
static bool columnsLast(AffineMap map) {
  ArrayRef<AffineExpr> results = map.getResults();
  for (auto [i, e] : llvm::enumerate(results))
    if (cast<AffineDimExpr>(e).getPosition() == 1 && i + 1 != results.size())
      return false;
  return !results.empty() &&
         cast<AffineDimExpr>(results.back()).getPosition() == 1;
}

/// The alignment in bytes of one vector access to `n` neighbouring columns
/// of `buffer` read or written through `map`, or none where the elements
/// go one by one.
static std::optional<int64_t> vectorAlignment(Value buffer, AffineMap map,
                                              int64_t n) {
  if (n < 2 || !columnsLast(map) || !isVectorAccessible(buffer, n))
    return std::nullopt;
  Type elt = cast<MemRefType>(buffer.getType()).getElementType();
  return n * elt.getIntOrFloatBitWidth() / 8;
}

/// Whether `map` reads the columns (d1) at all.
static bool readsColumns(AffineMap map) {
  return llvm::any_of(map.getResults(), [](AffineExpr e) {
    return cast<AffineDimExpr>(e).getPosition() == 1;
  });
}

EpilogueTail::EpilogueTail(const FusedEpilogue *fused, gpu::GPUFuncOp func,
                           const KernelSignature &signature)
    : fused(fused) {
  if (!fused)
    return;
  for (auto [i, v] : llvm::enumerate(fused->operands))
    args[v] = kernelArgument(func, signature,
                             {KernelArg::Epilogue, static_cast<unsigned>(i)});
}

bool EpilogueTail::storesInit() const {
  return !fused || fused->stores(fused->init);
}

void EpilogueTail::emit(ImplicitLocOpBuilder &b, Value row, Value col,
                        ValueRange ys) const {
  if (!fused)
    return;
  int64_t n = ys.size();
  // Column col + i, made when an element access needs it.
  SmallVector<Value> cols(n);
  cols[0] = col;
  auto indexAt = [&](AffineMap map, int64_t i) {
    SmallVector<Value> index;
    for (AffineExpr e : map.getResults()) {
      if (cast<AffineDimExpr>(e).getPosition() == 0) {
        index.push_back(row);
        continue;
      }
      if (!cols[i])
        cols[i] = arith::AddIOp::create(b, col,
                                        arith::ConstantIndexOp::create(b, i));
      index.push_back(cols[i]);
    }
    return index;
  };
  // Host buffer -> its element at each column: Y, then each fused op's
  // outputs.
  SmallVector<llvm::DenseMap<Value, Value>> elements(n);
  for (int64_t i = 0; i < n; ++i)
    elements[i][fused->init] = ys[i];
  // Constants from above are cloned once (the canonicalizer hoists them).
  IRMapping above;
  auto fromAbove = [&](Value v) {
    if (Value mapped = above.lookupOrNull(v))
      return mapped;
    Value clone = b.clone(*v.getDefiningOp())->getResult(0);
    above.map(v, clone);
    return clone;
  };
  for (linalg::GenericOp generic : fused->ops) {
    SmallVector<IRMapping> mappings(n);
    for (OpOperand *in : generic.getDpsInputOperands()) {
      Value v = in->get();
      BlockArgument arg = generic.getMatchingBlockArgument(in);
      if (elements[0].count(v)) {
        for (int64_t i = 0; i < n; ++i)
          mappings[i].map(arg, elements[i].lookup(v));
        continue;
      }
      if (!isa<MemRefType>(v.getType())) {
        for (int64_t i = 0; i < n; ++i)
          mappings[i].map(arg, fromAbove(v));
        continue;
      }
      Value buffer = args.lookup(v);
      AffineMap map = generic.getMatchingIndexingMap(in);
      if (!readsColumns(map)) {
        // One value for every column (a per-row operand).
        Value element = memref::LoadOp::create(b, buffer, indexAt(map, 0));
        for (int64_t i = 0; i < n; ++i)
          mappings[i].map(arg, element);
      } else if (std::optional<int64_t> alignment =
                     vectorAlignment(buffer, map, n)) {
        Type elt = cast<MemRefType>(buffer.getType()).getElementType();
        auto load = vector::LoadOp::create(b, VectorType::get({n}, elt), buffer,
                                           indexAt(map, 0));
        load.setAlignment(*alignment);
        for (int64_t i = 0; i < n; ++i)
          mappings[i].map(arg, vector::ExtractOp::create(b, load, i));
      } else {
        for (int64_t i = 0; i < n; ++i)
          mappings[i].map(arg,
                          memref::LoadOp::create(b, buffer, indexAt(map, i)));
      }
    }
    Block &body = generic.getRegion().front();
    for (int64_t i = 0; i < n; ++i)
      for (Operation &op : body.without_terminator()) {
        for (Value operand : op.getOperands())
          if (!mappings[i].contains(operand))
            mappings[i].map(operand, fromAbove(operand));
        b.clone(op, mappings[i]);
      }
    for (auto [k, yielded] :
         llvm::enumerate(body.getTerminator()->getOperands())) {
      OpOperand *out = generic.getDpsInitOperand(k);
      SmallVector<Value> values;
      for (int64_t i = 0; i < n; ++i) {
        Value value = mappings[i].lookupOrNull(yielded);
        values.push_back(value ? value : fromAbove(yielded));
        elements[i][out->get()] = values.back();
      }
      if (!fused->stores(out->get()))
        continue;
      Value buffer = args.lookup(out->get());
      AffineMap map = generic.getMatchingIndexingMap(out);
      if (std::optional<int64_t> alignment = vectorAlignment(buffer, map, n)) {
        Type elt = cast<MemRefType>(buffer.getType()).getElementType();
        Value vector = vector::FromElementsOp::create(
            b, VectorType::get({n}, elt), values);
        vector::StoreOp::create(b, vector, buffer, indexAt(map, 0))
            .setAlignment(*alignment);
      } else {
        for (int64_t i = 0; i < n; ++i)
          memref::StoreOp::create(b, values[i], buffer, indexAt(map, i));
      }
    }
  }
}

void EpilogueTail::emitOnSum(ImplicitLocOpBuilder &b, Value row, Value col,
                             Value sum) const {
  if (!fused)
    return;
  auto pair = dyn_cast<VectorType>(sum.getType());
  if (!pair) {
    emit(b, row, col, sum);
    return;
  }
  SmallVector<Value> columns;
  for (int64_t i = 0, e = pair.getNumElements(); i < e; ++i)
    columns.push_back(vector::ExtractOp::create(b, sum, i));
  emit(b, row, col, columns);
}

scf::IfOp mlir::pixelfly::emitOutputGuard(ImplicitLocOpBuilder &b, Value row,
                                          Value numTokens, Value col,
                                          Value validCols) {
  Value ok =
      arith::CmpIOp::create(b, arith::CmpIPredicate::ult, row, numTokens);
  if (validCols)
    ok = arith::AndIOp::create(
        b, ok,
        arith::CmpIOp::create(b, arith::CmpIPredicate::ult, col, validCols));
  return scf::IfOp::create(b, TypeRange{}, ok, /*withElseRegion=*/false);
}

Value mlir::pixelfly::emitGamma(ImplicitLocOpBuilder &b,
                                const LowRankPanel &panel, Value gamma,
                                Value row) {
  switch (panel.gammaKind) {
  case GammaKind::None:
    return arith::ConstantOp::create(b, b.getF32FloatAttr(1.0f));
  case GammaKind::Constant:
    return arith::ConstantOp::create(
        b, b.getF32FloatAttr(static_cast<float>(panel.gammaConst)));
  case GammaKind::Scalar:
    return gamma;
  case GammaKind::PerRow:
    return memref::LoadOp::create(b, gamma, ValueRange{row});
  }
  llvm_unreachable("unknown gamma kind");
}
