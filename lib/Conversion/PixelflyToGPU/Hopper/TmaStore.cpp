//===- TmaStore.cpp - A warpgroup's output through TMA stores -------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "Hopper/TmaStore.h"
#include "Epilogue.h"
#include "FusedEpilogue.h"
#include "Hopper/WarpSpecialized.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::pixelfly;

/// Named barrier 0 is the whole thread block's (gpu.barrier); consumer
/// warpgroup c takes 1 + c.
static constexpr int64_t kFirstNamedBarrier = 1;

bool TmaStoreStaging::stagesOutput(bool tmaStore, const FusedEpilogue *fused) {
  return tmaStore && (!fused || fused->stores(fused->init));
}

int64_t TmaStoreStaging::reserve(int64_t &sharedBytes, int64_t consumers) {
  int64_t offset = hopperStagingOffset(sharedBytes);
  sharedBytes = hopperSharedBytes(sharedBytes, consumers, /*tmaStore=*/true);
  return offset;
}

void TmaStoreStaging::addTensorMap(KernelLaunch &launch, KernelArg init,
                                   Type elt) {
  MLIRContext *ctx = elt.getContext();
  // A tensor map reaches the kernel as the address of its 128 bytes.
  launch.signature.add({KernelArg::InitMap}, LLVM::LLVMPointerType::get(ctx));
  launch.tensorMaps.push_back(
      {{KernelArg::InitMap}, init, swizzledBoxType(ctx, kBoxRows, elt), false});
}

TmaStoreStaging::TmaStoreStaging(KernelBuilderBase &kb, Value shared,
                                 int64_t offset, Value yMap, Type elt,
                                 Value consumer, Value tid)
    : kb(kb), shared(shared), yMap(yMap), elt(elt) {
  ImplicitLocOpBuilder &b = kb.builder();
  base = kb.add(kb.cst(offset),
                kb.mul(consumer, kb.cst(kHopperStagingBytesPerConsumer)));
  issuer = arith::CmpIOp::create(b, arith::CmpIPredicate::eq, kb.rem(tid, 128),
                                 kb.cst(0));
  barrierId = arith::IndexCastOp::create(
      b, b.getI32Type(), kb.add(consumer, kb.cst(kFirstNamedBarrier)));
}

Value TmaStoreStaging::boxView(int64_t box, ArrayRef<int64_t> shape) {
  ImplicitLocOpBuilder &b = kb.builder();
  auto type = MemRefType::get(
      shape, elt, MemRefLayoutAttrInterface(),
      gpu::AddressSpaceAttr::get(b.getContext(), gpu::AddressSpace::Workgroup));
  return memref::ViewOp::create(b, type, shared,
                                kb.add(base, kb.cst((box % 2) * kBoxBytes)),
                                ValueRange{});
}

void TmaStoreStaging::write(int64_t box, Value row, Value col, Value values) {
  ImplicitLocOpBuilder &b = kb.builder();
  int64_t bytes = elt.getIntOrFloatBitWidth() / 8;
  int64_t columns = hopperStoreBoxColumns(elt);
  // Byte (row, col) of the box moves to 16-byte chunk (col * bytes / 16)
  // XOR (row mod 8) of its row: TMA's 128-byte swizzle of a box whose
  // buffer starts on a 1024-byte boundary.
  Value chunk =
      arith::XOrIOp::create(b, kb.div(col, 16 / bytes), kb.rem(row, 8));
  Value index = kb.add(
      kb.add(kb.mul(row, kb.cst(columns)), kb.mul(chunk, kb.cst(16 / bytes))),
      kb.rem(col, 16 / bytes));
  Value view = boxView(box, {kBoxRows * columns});
  if (auto vector = dyn_cast<VectorType>(values.getType())) {
    vector::StoreOp::create(b, values, view, index)
        .setAlignment(vector.getNumElements() * bytes);
    return;
  }
  memref::StoreOp::create(b, values, view, index);
}

void TmaStoreStaging::writeSum(int64_t box, Value row, Value col, Value part,
                               Value init, Value yRow, Value yCol, Value inside,
                               bool zeroInit, const EpilogueTail *tail) {
  ImplicitLocOpBuilder &b = kb.builder();
  Value sum;
  if (zeroInit) {
    sum = emitSum(b, init, {}, part, true);
  } else {
    Value readRow = yRow, readCol = yCol;
    if (inside) {
      readRow = arith::SelectOp::create(b, inside, yRow, kb.cst(0));
      readCol = arith::SelectOp::create(b, inside, yCol, kb.cst(0));
    }
    sum = emitSum(b, init, {readRow, readCol}, part, false);
  }
  write(box, row, col, sum);
  if (!tail)
    return;
  OpBuilder::InsertionGuard guard(b);
  if (inside)
    b.setInsertionPointToStart(
        scf::IfOp::create(b, TypeRange{}, inside, false).thenBlock());
  tail->emitOnSum(b, yRow, yCol, sum);
}

void TmaStoreStaging::ifIssuer(Value also) {
  ImplicitLocOpBuilder &b = kb.builder();
  Value cond = also ? arith::AndIOp::create(b, issuer, also) : issuer;
  auto ifOp = scf::IfOp::create(b, TypeRange{}, cond, false);
  b.setInsertionPointToStart(ifOp.thenBlock());
}

void TmaStoreStaging::store(int64_t box, Value row0, Value col0, Value valid) {
  ImplicitLocOpBuilder &b = kb.builder();
  // The threads' writes become visible to TMA (the async proxy).
  NVVM::FenceProxyOp::create(
      b, NVVM::ProxyKind::async_shared,
      NVVM::SharedSpaceAttr::get(b.getContext(),
                                 NVVM::SharedSpace::shared_cta));
  // The previous box's store has read the buffer the next box writes.
  reclaim();
  OpBuilder::InsertionGuard guard(b);
  ifIssuer(valid);
  nvgpu::TmaAsyncStoreOp::create(
      b, boxView(box, {kBoxRows, hopperStoreBoxColumns(elt)}), yMap,
      ValueRange{col0, row0}, Value());
  NVVM::CpAsyncBulkCommitGroupOp::create(b);
}

void TmaStoreStaging::reclaim() {
  ImplicitLocOpBuilder &b = kb.builder();
  {
    OpBuilder::InsertionGuard guard(b);
    ifIssuer(Value());
    NVVM::CpAsyncBulkWaitGroupOp::create(b, 0, b.getUnitAttr());
  }
  Value threads = arith::ConstantIntOp::create(b, b.getI32Type(), 128);
  NVVM::BarrierOp::create(b, TypeRange{}, barrierId, threads,
                          NVVM::BarrierReductionAttr(), Value());
}

void TmaStoreStaging::finish() {
  ImplicitLocOpBuilder &b = kb.builder();
  OpBuilder::InsertionGuard guard(b);
  ifIssuer(Value());
  // The stores complete (not only their reads): nothing follows them.
  NVVM::CpAsyncBulkWaitGroupOp::create(b, 0, UnitAttr());
}
