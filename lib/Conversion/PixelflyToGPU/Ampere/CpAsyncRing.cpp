//===- CpAsyncRing.cpp - The Ampere family's cp.async pipeline ------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "Ampere/CpAsyncRing.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::pixelfly;

Value CpAsyncRing::issueIf(Value cond, Value stage, Value kTile,
                           IssueFn issue) {
  ImplicitLocOpBuilder &b = kb.builder();
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

SmallVector<Value> CpAsyncRing::loop(Value numKTiles, ValueRange inits,
                                     IssueFn issue, ComputeFn compute) {
  ImplicitLocOpBuilder &b = kb.builder();
  Value lastGroup;
  for (int64_t s = 0; s + 1 < stages; ++s)
    lastGroup =
        issueIf(kb.ult(kb.cst(s), numKTiles), kb.cst(s), kb.cst(s), issue);

  auto loop = scf::ForOp::create(b, kb.cst(0), numKTiles, kb.cst(1), inits);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  // The token only orders; numGroups carries the pipeline depth.
  nvgpu::DeviceAsyncWaitOp::create(b, lastGroup,
                                   b.getI32IntegerAttr(stages - 2));
  // Makes every thread's copies visible, and keeps the refill below from
  // overwriting the slot other warps read in the previous iteration.
  gpu::BarrierOp::create(b);
  Value kTile = loop.getInductionVar();
  Value next = kb.add(kTile, kb.cst(stages - 1));
  issueIf(kb.ult(next, numKTiles), kb.rem(next, stages), next, issue);
  SmallVector<Value> acc =
      compute(kb.rem(kTile, stages), kTile, loop.getRegionIterArgs());
  scf::YieldOp::create(b, acc);
  return SmallVector<Value>(loop.getResults());
}
