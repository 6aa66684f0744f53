//===- MmaSyncBuilderBase.cpp - Ampere-family fragments -------------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "Ampere/MmaSyncBuilderBase.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::pixelfly;

Value MmaSyncBuilderBase::pairAsI32(Value frag, int64_t i) {
  Value pair = vector::ExtractOp::create(b, frag, i);
  Value word =
      vector::BitCastOp::create(b, VectorType::get({1}, b.getI32Type()), pair);
  return vector::ExtractOp::create(b, word, 0);
}

Value MmaSyncBuilderBase::accumulatorOf(Value mmaResult) {
  SmallVector<Value> elems;
  for (int64_t i = 0; i < 4; ++i)
    elems.push_back(LLVM::ExtractValueOp::create(b, mmaResult, i));
  return vector::FromElementsOp::create(
      b, VectorType::get({2, 2}, b.getF32Type()), elems);
}

SmallVector<Value> MmaSyncBuilderBase::accumulatorRegisters(Value acc) {
  SmallVector<Value> regs;
  for (int64_t i = 0; i < 4; ++i)
    regs.push_back(
        vector::ExtractOp::create(b, acc, ArrayRef<int64_t>{i / 2, i % 2}));
  return regs;
}
