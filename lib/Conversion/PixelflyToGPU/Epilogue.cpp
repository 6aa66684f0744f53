//===- Epilogue.cpp - What kernels do with accumulators -------------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "Epilogue.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::pixelfly;

void mlir::pixelfly::emitAccumulate(ImplicitLocOpBuilder &b, Value init,
                                    ValueRange index, Value part,
                                    bool zeroInit) {
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
  if (pair)
    vector::StoreOp::create(b, sum, init, index).setAlignment(alignment);
  else
    memref::StoreOp::create(b, sum, init, index);
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
