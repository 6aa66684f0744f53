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

void mlir::pixelfly::emitAccumulate(ImplicitLocOpBuilder &b, Value init,
                                    ValueRange index, Value part, bool zeroInit,
                                    const EpilogueTail *tail) {
  Type initElt = cast<MemRefType>(init.getType()).getElementType();
  auto pair = dyn_cast<VectorType>(part.getType());
  Type oldType =
      pair ? Type(VectorType::get(pair.getShape(), initElt)) : initElt;
  int64_t alignment =
      pair ? pair.getNumElements() * initElt.getIntOrFloatBitWidth() / 8 : 0;
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
    load.setAlignment(alignment);
    old = load.getResult();
  } else {
    old = memref::LoadOp::create(b, init, index);
  }
  Value sum;
  if (initElt.isF32()) {
    sum = arith::AddFOp::create(b, old, part);
  } else {
    Value wide = arith::ExtFOp::create(b, part.getType(), old);
    sum = arith::TruncFOp::create(b, oldType,
                                  arith::AddFOp::create(b, wide, part));
  }
  if (!tail || tail->storesInit()) {
    if (pair)
      vector::StoreOp::create(b, sum, init, index).setAlignment(alignment);
    else
      memref::StoreOp::create(b, sum, init, index);
  }
  if (!tail)
    return;
  if (!pair) {
    tail->emit(b, index[0], index[1], sum);
    return;
  }
  for (int64_t i = 0, e = pair.getNumElements(); i < e; ++i) {
    Value col = i == 0 ? index[1]
                       : arith::AddIOp::create(
                             b, index[1], arith::ConstantIndexOp::create(b, i))
                             .getResult();
    tail->emit(b, index[0], col, vector::ExtractOp::create(b, sum, i));
  }
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
                        Value y) const {
  if (!fused)
    return;
  // Host buffer -> its element here: Y, then each fused op's outputs.
  llvm::DenseMap<Value, Value> elements{{fused->init, y}};
  for (linalg::GenericOp generic : fused->ops) {
    IRMapping mapping;
    // Constants from above are cloned (the canonicalizer hoists them).
    auto kernelValue = [&](Value v) {
      if (Value mapped = mapping.lookupOrNull(v))
        return mapped;
      Value clone = b.clone(*v.getDefiningOp())->getResult(0);
      mapping.map(v, clone);
      return clone;
    };
    for (OpOperand *in : generic.getDpsInputOperands()) {
      Value v = in->get();
      Value element;
      if (auto it = elements.find(v); it != elements.end()) {
        element = it->second;
      } else if (!isa<MemRefType>(v.getType())) {
        element = kernelValue(v);
      } else {
        SmallVector<Value> index;
        for (AffineExpr e : generic.getMatchingIndexingMap(in).getResults())
          index.push_back(cast<AffineDimExpr>(e).getPosition() == 0 ? row
                                                                    : col);
        element = memref::LoadOp::create(b, args.lookup(v), index);
      }
      mapping.map(generic.getMatchingBlockArgument(in), element);
    }
    Block &body = generic.getRegion().front();
    for (Operation &op : body.without_terminator()) {
      for (Value operand : op.getOperands())
        if (!mapping.contains(operand))
          kernelValue(operand);
      b.clone(op, mapping);
    }
    for (auto [out, yielded] : llvm::zip(generic.getDpsInits(),
                                         body.getTerminator()->getOperands())) {
      Value value = kernelValue(yielded);
      elements[out] = value;
      if (fused->stores(out))
        memref::StoreOp::create(b, value, args.lookup(out),
                                ValueRange{row, col});
    }
  }
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
