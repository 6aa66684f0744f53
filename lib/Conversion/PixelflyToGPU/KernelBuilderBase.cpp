//===- KernelBuilderBase.cpp - Shared parts of kernel builders ------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilderBase.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mlir::pixelfly;

KernelBuilderBase::TokenRange KernelBuilderBase::splitTokens(Value numKTiles,
                                                             int64_t splits) {
  if (splits == 1)
    return {Value(), numKTiles, Value()};
  Value range = gpu::BlockIdOp::create(b, gpu::Dimension::y);
  Value perRange = arith::CeilDivUIOp::create(b, numKTiles, cst(splits));
  Value first = arith::MinUIOp::create(b, mul(range, perRange), numKTiles);
  Value count = arith::MinUIOp::create(b, perRange, sub(numKTiles, first));
  return {first, count, range};
}

std::pair<Value, scf::IfOp>
KernelBuilderBase::threadTask(int64_t threadsPerBlock, int64_t numTasks) {
  Value tid = gpu::ThreadIdOp::create(b, gpu::Dimension::x);
  constants.setInsertionPoint(tid.getDefiningOp());
  Value block = gpu::BlockIdOp::create(b, gpu::Dimension::x);
  Value id = add(mul(block, cst(threadsPerBlock)), tid);
  auto ifOp = scf::IfOp::create(b, TypeRange{}, ult(id, cst(numTasks)), false);
  b.setInsertionPointToStart(ifOp.thenBlock());
  return {id, ifOp};
}

std::pair<Value, Value> KernelBuilderBase::createSharedRings(
    gpu::GPUFuncOp func, ArrayRef<int64_t> shapeA, ArrayRef<int64_t> shapeB,
    Type elementType, bool dynamic) {
  auto space =
      gpu::AddressSpaceAttr::get(b.getContext(), gpu::AddressSpace::Workgroup);
  auto typeA = MemRefType::get(shapeA, elementType, nullptr, space);
  auto typeB = MemRefType::get(shapeB, elementType, nullptr, space);
  if (!dynamic) {
    func.addWorkgroupAttribution(typeA, b.getLoc());
    func.addWorkgroupAttribution(typeB, b.getLoc());
    for (unsigned i = 0; i < 2; ++i)
      func.setWorkgroupAttributionAttr(i, "llvm.align",
                                       b.getI64IntegerAttr(128));
    return {func.getWorkgroupAttributions()[0],
            func.getWorkgroupAttributions()[1]};
  }
  auto bytes =
      MemRefType::get({ShapedType::kDynamic}, b.getI8Type(), nullptr, space);
  Value base = gpu::DynamicSharedMemoryOp::create(b, bytes);
  int64_t bytesA =
      typeA.getNumElements() * elementType.getIntOrFloatBitWidth() / 8;
  return {memref::ViewOp::create(b, typeA, base, cst(0), ValueRange{}),
          memref::ViewOp::create(b, typeB, base, cst(bytesA), ValueRange{})};
}

Value KernelBuilderBase::loadIndex(Value table, ValueRange indices) {
  Value v = memref::LoadOp::create(b, table, indices);
  return arith::IndexCastOp::create(b, b.getIndexType(), v);
}
