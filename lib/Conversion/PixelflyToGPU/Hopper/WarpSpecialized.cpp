//===- WarpSpecialized.cpp - What the Hopper kernels share ----------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "Hopper/WarpSpecialized.h"

#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::pixelfly;

static Attribute workgroup(MLIRContext *ctx) {
  return gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
}

nvgpu::TensorMapDescriptorType
mlir::pixelfly::swizzledBoxType(MLIRContext *ctx, int64_t rows, Type elt) {
  auto box = MemRefType::get({rows, 128 / (elt.getIntOrFloatBitWidth() / 8)},
                             elt, MemRefLayoutAttrInterface(), workgroup(ctx));
  return nvgpu::TensorMapDescriptorType::get(
      ctx, box, nvgpu::TensorMapSwizzleKind::SWIZZLE_128B,
      nvgpu::TensorMapL2PromoKind::L2PROMO_NONE,
      nvgpu::TensorMapOOBKind::OOB_ZERO,
      nvgpu::TensorMapInterleaveKind::INTERLEAVE_NONE);
}

void mlir::pixelfly::declareRingMemory(OpBuilder &b, Location loc,
                                       StringRef name) {
  memref::GlobalOp::create(b, loc, name, /*sym_visibility=*/StringAttr(),
                           MemRefType::get({0}, b.getI8Type(),
                                           MemRefLayoutAttrInterface(),
                                           workgroup(b.getContext())),
                           /*initial_value=*/Attribute(), /*constant=*/false,
                           b.getI64IntegerAttr(1024));
}

void mlir::pixelfly::markWarpSpecialized(gpu::GPUFuncOp kernel,
                                         int64_t producerRegisters) {
  // ptxas honours setmaxnreg only with both maxntid (from the known block
  // size) and minctasm.
  if (producerRegisters)
    kernel->setAttr(
        NVVM::NVVMDialect::getMinctasmAttrName(),
        IntegerAttr::get(IntegerType::get(kernel.getContext(), 32), 1));
}

MemRefType WarpSpecializedBuilder::sharedType(ArrayRef<int64_t> shape,
                                              Type elt) {
  return MemRefType::get(shape, elt, MemRefLayoutAttrInterface(),
                         workgroup(b.getContext()));
}

void WarpSpecializedBuilder::setUpRingMemory(StringRef name, int64_t bytes) {
  Value global =
      memref::GetGlobalOp::create(b, sharedType({0}, b.getI8Type()), name);
  shared = memref::ReinterpretCastOp::create(
      b, sharedType({bytes}, b.getI8Type()), global, 0,
      ArrayRef<int64_t>{bytes}, ArrayRef<int64_t>{1});
}

Value WarpSpecializedBuilder::sharedView(ArrayRef<int64_t> shape, Type elt,
                                         Value offset) {
  return memref::ViewOp::create(b, sharedType(shape, elt), shared, offset,
                                ValueRange{});
}

Value WarpSpecializedBuilder::slice(Value tile, int64_t row, int64_t rows,
                                    int64_t col, int64_t cols) {
  auto attrs = [&](int64_t x, int64_t y) {
    return SmallVector<OpFoldResult>{b.getIndexAttr(x), b.getIndexAttr(y)};
  };
  return memref::SubViewOp::create(b, tile, attrs(row, col), attrs(rows, cols),
                                   attrs(1, 1));
}

Value WarpSpecializedBuilder::tensorMap(gpu::GPUFuncOp func,
                                        const KernelSignature &signature,
                                        const TensorMapArg &map) {
  return UnrealizedConversionCastOp::create(
             b, map.type, kernelArgument(func, signature, map.arg))
      .getResult(0);
}

Value WarpSpecializedBuilder::warpgroupIndex(Value tid) {
  Type i32 = b.getI32Type();
  Value own = arith::IndexCastOp::create(b, i32, div(tid, 128)).getResult();
  return arith::IndexCastOp::create(
      b, b.getIndexType(),
      gpu::ShuffleOp::create(b, own, /*offset=*/0, /*width=*/32,
                             gpu::ShuffleMode::IDX)
          .getShuffleResult());
}

void WarpSpecializedBuilder::splitRoles(Value tid, Value warpgroup,
                                        int64_t consumers,
                                        int64_t producerRegisters,
                                        int64_t consumerRegisters,
                                        function_ref<void()> produce,
                                        function_ref<void()> consume) {
  auto eq = [&](Value x, Value y) {
    return arith::CmpIOp::create(b, arith::CmpIPredicate::eq, x, y);
  };
  auto roles = scf::IfOp::create(b, TypeRange{}, eq(warpgroup, cst(consumers)),
                                 /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(roles.thenBlock());
  if (producerRegisters)
    NVVM::SetMaxRegisterOp::create(b, producerRegisters,
                                   NVVM::SetMaxRegisterAction::decrease);
  auto issuing =
      scf::IfOp::create(b, TypeRange{}, eq(tid, cst(128 * consumers)), false);
  b.setInsertionPointToStart(issuing.thenBlock());
  produce();
  b.setInsertionPointToStart(roles.elseBlock());
  if (consumerRegisters)
    NVVM::SetMaxRegisterOp::create(b, consumerRegisters,
                                   NVVM::SetMaxRegisterAction::increase);
  consume();
}

void WarpSpecializedBuilder::forEachOutputTile(
    int64_t persistent, int64_t tiles, int64_t tileM, Value numTokens,
    function_ref<Value(Value tile, Value m0, Value kFirst)> body) {
  Value block = gpu::BlockIdOp::create(b, gpu::Dimension::x);
  if (!persistent) {
    Value m0 = mul(gpu::BlockIdOp::create(b, gpu::Dimension::y), cst(tileM));
    body(block, m0, cst(0));
    return;
  }
  Value mTiles = arith::CeilDivUIOp::create(b, numTokens, cst(tileM));
  auto loop = scf::ForOp::create(b, block, mul(mTiles, cst(tiles)),
                                 cst(persistent), ValueRange{cst(0)});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value t = loop.getInductionVar();
  Value kFirst = loop.getRegionIterArgs()[0];
  Value tile = rem(t, tiles);
  Value m0 = mul(div(t, tiles), cst(tileM));
  Value kTiles = body(tile, m0, kFirst);
  scf::YieldOp::create(b, add(kFirst, kTiles));
}
