//===- KernelBuilderBase.cpp - Shared parts of kernel builders ------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilderBase.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::pixelfly;

Value KernelBuilderBase::issueIf(Value cond, Value stage, Value kTile,
                                 IssueFn issue) {
  Type token = nvgpu::DeviceAsyncTokenType::get(b.getContext());
  auto ifOp = scf::IfOp::create(b, TypeRange{token}, cond,
                                /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.thenBlock());
  scf::YieldOp::create(b, issue(stage, kTile));
  b.setInsertionPointToStart(ifOp.elseBlock());
  scf::YieldOp::create(
      b, nvgpu::DeviceAsyncCreateGroupOp::create(b, ValueRange{}).getResult());
  return ifOp.getResult(0);
}

SmallVector<Value> KernelBuilderBase::pipelinedLoop(Value numKTiles,
                                                    int64_t stages,
                                                    ValueRange inits,
                                                    IssueFn issue,
                                                    ComputeFn compute) {
  Value lastGroup;
  for (int64_t s = 0; s + 1 < stages; ++s)
    lastGroup = issueIf(ult(cst(s), numKTiles), cst(s), cst(s), issue);

  auto loop = scf::ForOp::create(b, cst(0), numKTiles, cst(1), inits);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  // The token only orders; numGroups carries the pipeline depth.
  nvgpu::DeviceAsyncWaitOp::create(b, lastGroup,
                                   b.getI32IntegerAttr(stages - 2));
  // Makes every thread's copies visible, and keeps the refill below from
  // overwriting the slot other warps read in the previous iteration.
  gpu::BarrierOp::create(b);
  Value kTile = loop.getInductionVar();
  Value next = add(kTile, cst(stages - 1));
  issueIf(ult(next, numKTiles), rem(next, stages), next, issue);
  SmallVector<Value> acc =
      compute(rem(kTile, stages), kTile, loop.getRegionIterArgs());
  scf::YieldOp::create(b, acc);
  return SmallVector<Value>(loop.getResults());
}

std::pair<Value, Value> KernelBuilderBase::createSharedRings(
    gpu::GPUFuncOp func, ArrayRef<int64_t> shapeA, ArrayRef<int64_t> shapeB,
    Type elementType, bool dynamic) {
  auto space = gpu::AddressSpaceAttr::get(b.getContext(),
                                          gpu::AddressSpace::Workgroup);
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

Value KernelBuilderBase::pairAsI32(Value frag, int64_t i) {
  Value pair = vector::ExtractOp::create(b, frag, i);
  Value word =
      vector::BitCastOp::create(b, VectorType::get({1}, b.getI32Type()), pair);
  return vector::ExtractOp::create(b, word, 0);
}

Value KernelBuilderBase::accumulatorOf(Value mmaResult) {
  SmallVector<Value> elems;
  for (int64_t i = 0; i < 4; ++i)
    elems.push_back(LLVM::ExtractValueOp::create(b, mmaResult, i));
  return vector::FromElementsOp::create(
      b, VectorType::get({2, 2}, b.getF32Type()), elems);
}

SmallVector<Value> KernelBuilderBase::accumulatorRegisters(Value acc) {
  SmallVector<Value> regs;
  for (int64_t i = 0; i < 4; ++i)
    regs.push_back(
        vector::ExtractOp::create(b, acc, ArrayRef<int64_t>{i / 2, i % 2}));
  return regs;
}
