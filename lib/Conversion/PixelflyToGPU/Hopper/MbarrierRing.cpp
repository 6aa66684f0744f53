//===- MbarrierRing.cpp - The Hopper family's TMA pipeline ----------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "Hopper/MbarrierRing.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::pixelfly;

void MbarrierRing::initialize(Value leader) {
  ImplicitLocOpBuilder &b = kb.builder();
  auto type = nvgpu::MBarrierGroupType::get(
      b.getContext(),
      gpu::AddressSpaceAttr::get(b.getContext(), gpu::AddressSpace::Workgroup),
      stages);
  full = nvgpu::MBarrierCreateOp::create(b, type);
  empty = nvgpu::MBarrierCreateOp::create(b, type);
  auto ifOp = scf::IfOp::create(b, TypeRange{}, leader, false);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    for (int64_t s = 0; s < stages; ++s) {
      nvgpu::MBarrierInitOp::create(b, full, kb.cst(1), kb.cst(s), Value());
      nvgpu::MBarrierInitOp::create(b, empty, kb.cst(consumerThreads),
                                    kb.cst(s), Value());
    }
    // The async proxy (TMA's complete_tx) sees the initialized barriers.
    NVVM::FenceMbarrierInitOp::create(b);
  }
  gpu::BarrierOp::create(b);
}

void MbarrierRing::wait(Value barriers, Value slot, Value parity) {
  ImplicitLocOpBuilder &b = kb.builder();
  Value odd =
      arith::CmpIOp::create(b, arith::CmpIPredicate::ne, parity, kb.cst(0));
  // The suspend-time hint of try_wait (ns); the op retries until the
  // phase completes.
  nvgpu::MBarrierTryWaitParityOp::create(b, barriers, odd, kb.cst(10000000),
                                         slot);
}

void MbarrierRing::forEachSlotToFill(
    Value first, Value count,
    function_ref<void(Value slot, Value kTile)> fill) {
  ImplicitLocOpBuilder &b = kb.builder();
  auto loop = scf::ForOp::create(b, kb.cst(0), count, kb.cst(1));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value local = loop.getInductionVar();
  Value kTile = kb.add(first, local);
  Value slot = kb.rem(kTile, stages);
  Value round = kb.div(kTile, stages);
  wait(empty, slot, kb.rem(kb.add(round, kb.cst(1)), 2));
  nvgpu::MBarrierArriveExpectTxOp::create(b, full, kb.cst(slotBytes), slot,
                                          Value());
  fill(slot, local);
}

SmallVector<Value> MbarrierRing::forEachFullSlot(
    Value begin, Value end, Value tileBegin, ValueRange inits,
    function_ref<SmallVector<Value>(Value slot, Value kTile, ValueRange accs)>
        compute) {
  ImplicitLocOpBuilder &b = kb.builder();
  auto loop = scf::ForOp::create(b, begin, end, kb.cst(1), inits);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value kTile = loop.getInductionVar();
  Value slot = kb.rem(kTile, stages);
  wait(full, slot, kb.rem(kb.div(kTile, stages), 2));
  SmallVector<Value> accs = compute(slot, kTile, loop.getRegionIterArgs());
  auto released =
      scf::IfOp::create(b, TypeRange{}, kb.ult(tileBegin, kTile), false);
  b.setInsertionPointToStart(released.thenBlock());
  release(kb.sub(kTile, kb.cst(1)));
  b.setInsertionPointAfter(released);
  scf::YieldOp::create(b, accs);
  return SmallVector<Value>(loop.getResults());
}

void MbarrierRing::release(Value kTile) {
  ImplicitLocOpBuilder &b = kb.builder();
  Type token = nvgpu::MBarrierTokenType::get(b.getContext());
  nvgpu::MBarrierArriveOp::create(b, token, empty, kb.rem(kTile, stages));
}
