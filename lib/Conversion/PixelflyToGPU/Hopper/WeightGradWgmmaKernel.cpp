//===- WeightGradWgmmaKernel.cpp - Hopper-family weight gradient ----------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// The block-sparse weight gradient dB_p = init_p + dY[:, r]^T X[:, c] on
// sm_90a, for 64 x 64 blocks. A thread block computes one stored block,
// reducing over the tokens in k-tiles of 64: per k-tile the producer loads
// the 64 x 64 box of dY's rows of the block row's columns and the box of
// X's of the block column's (token rows as stored, zeros past M). Both are
// MN-major operands of wgmma: A = dY^T has the block's rows contiguous, B
// = X the block's columns. nvgpu.warpgroup.mma rejects an MN-major A, so
// the consumer issues upstream's nvvm.wgmma.mma_async directly (layout
// `col` for A, `row` for B: imm-trans 1), one op per 16-token slice, on
// descriptors upstream's nvgpu.warpgroup.generate.descriptor makes of the
// slice (16 token rows: two 8-row groups, 2048 bytes further per slice).
// A slot's ops are one commit group; the consumer then waits until only
// that group pends, so the previous slot is released. The epilogue adds the
// accumulator fragment, pairs of neighbouring columns, into the block.
//
//===----------------------------------------------------------------------===//

#include "Epilogue.h"
#include "Hopper/MbarrierRing.h"
#include "Hopper/WarpSpecialized.h"
#include "Hopper/WgmmaPlan.h"
#include "KernelTables.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::pixelfly;

namespace {

class WeightGradWgmmaBuilder : public WarpSpecializedBuilder {
public:
  WeightGradWgmmaBuilder(const WgmmaPlan &plan, gpu::GPUFuncOp func,
                         const KernelLaunch &launch, const KernelSymbols &names)
      : WarpSpecializedBuilder(func.getLoc(), func.getContext()), plan(plan),
        func(func), launch(launch), names(names) {}

  void build();

private:
  /// Registers of the 64 x 64 accumulator over 128 threads.
  static constexpr int64_t kRegisters = 32;
  Type accumulatorType() {
    return LLVM::LLVMStructType::getLiteral(
        b.getContext(), SmallVector<Type>(kRegisters, b.getF32Type()));
  }
  int64_t boxBytes() const { return 64 * 64 * plan.elementBytes; }
  void produce();
  Value consume();
  void storeFragment(Value acc);

  const WgmmaPlan &plan;
  gpu::GPUFuncOp func;
  const KernelLaunch &launch;
  const KernelSymbols &names;
  Value dyMap, xMap, init, tid, tileId, dyCol0, xCol0;
  TokenRange tokens; ///< the thread block's k-tiles
  std::optional<MbarrierRing> ring;
};

} // namespace

/// Per k-tile of 64 tokens: the dY box of the block row's 64 columns, then
/// the X box of the block column's.
void WeightGradWgmmaBuilder::produce() {
  ring->forEachSlotToFill(
      cst(0), tokens.numKTiles, [&](Value slot, Value kTile) {
        Value slotBase = mul(slot, cst(plan.stageBytes));
        Value token = mul(absoluteKTile(tokens, kTile), cst(64));
        nvgpu::TmaAsyncLoadOp::create(
            b, sharedView({64, 64}, plan.elementType, slotBase),
            ring->fullBarriers(), dyMap, ValueRange{dyCol0, token}, slot,
            Value(), Value());
        nvgpu::TmaAsyncLoadOp::create(
            b,
            sharedView({64, 64}, plan.elementType,
                       add(slotBase, cst(boxBytes()))),
            ring->fullBarriers(), xMap, ValueRange{xCol0, token}, slot, Value(),
            Value());
      });
}

/// The consumer warpgroup: every k-tile into a zeroed accumulator.
Value WeightGradWgmmaBuilder::consume() {
  Value zero = LLVM::ZeroOp::create(b, accumulatorType());
  auto descType = nvgpu::WarpgroupMatrixDescriptorType::get(
      b.getContext(), sharedType({16, 64}, plan.elementType));
  NVVM::WGMMATypes type = plan.elementType.isBF16() ? NVVM::WGMMATypes::bf16
                                                    : NVVM::WGMMATypes::f16;
  auto typeAttr = [&](NVVM::WGMMATypes t) {
    return NVVM::WGMMATypesAttr::get(b.getContext(), t);
  };
  auto layout = [&](NVVM::MMALayout l) {
    return NVVM::MMALayoutAttr::get(b.getContext(), l);
  };
  auto scaleIn =
      NVVM::WGMMAScaleInAttr::get(b.getContext(), NVVM::WGMMAScaleIn::one);
  Type i64 = b.getI64Type();
  constexpr int64_t kSlices = 4; // of 16 tokens per k-tile
  SmallVector<Value> accs = ring->forEachFullSlot(
      cst(0), tokens.numKTiles, cst(0), ValueRange{zero},
      [&](Value slot, Value, ValueRange current) {
        Value slotBase = mul(slot, cst(plan.stageBytes));
        Value boxes[2] = {sharedView({64, 64}, plan.elementType, slotBase),
                          sharedView({64, 64}, plan.elementType,
                                     add(slotBase, cst(boxBytes())))};
        Value maps[2] = {dyMap, xMap};
        Value acc = current[0];
        NVVM::WgmmaFenceAlignedOp::create(b);
        for (int64_t j = 0; j < kSlices; ++j) {
          // Token rows [16 j, 16 j + 16) of each box.
          Value desc[2];
          for (int64_t o = 0; o < 2; ++o) {
            Value rows = slice(boxes[o], 16 * j, 16, 0, 64);
            Value d = nvgpu::WarpgroupGenerateDescriptorOp::create(
                b, descType, rows, maps[o]);
            desc[o] =
                UnrealizedConversionCastOp::create(b, i64, d).getResult(0);
          }
          acc = NVVM::WgmmaMmaAsyncOp::create(
              b, accumulatorType(), acc, desc[0], desc[1],
              NVVM::MMAShapeAttr::get(b.getContext(), 64, 64, 16),
              typeAttr(type), typeAttr(type), typeAttr(NVVM::WGMMATypes::f32),
              NVVM::WGMMAScaleOutAttr::get(b.getContext(),
                                           NVVM::WGMMAScaleOut::one),
              scaleIn, scaleIn, layout(NVVM::MMALayout::col),
              layout(NVVM::MMALayout::row), NVVM::MMAIntOverflowAttr());
        }
        // The slot's ops are one group; waiting for the previous slot's
        // lets the ring release it.
        NVVM::WgmmaGroupSyncAlignedOp::create(b);
        NVVM::WgmmaWaitGroupSyncOp::create(b, 1);
        return SmallVector<Value>{acc};
      });
  return accs[0];
}

/// Each consumer thread adds its registers into the block: registers 2p and
/// 2p + 1 are row 16 w + l / 4 + 8 (p mod 2), columns 8 (p / 2) + 2 (l mod
/// 4) and the next (wgmma's accumulator fragment).
void WeightGradWgmmaBuilder::storeFragment(Value acc) {
  Value lane = rem(tid, 32);
  Value rowBase = add(mul(rem(div(tid, 32), 4), cst(16)), div(lane, 4));
  Value colBase = mul(rem(lane, 4), cst(2));
  auto pairType = VectorType::get({2}, b.getF32Type());
  for (int64_t p = 0; p < kRegisters / 2; ++p) {
    SmallVector<Value> pair;
    for (int64_t r : {2 * p, 2 * p + 1})
      pair.push_back(
          LLVM::ExtractValueOp::create(b, acc, ArrayRef<int64_t>{r}));
    Value part = vector::FromElementsOp::create(b, pairType, pair);
    emitAccumulate(b, init,
                   {tokens.outputTile, add(rowBase, cst(8 * (p % 2))),
                    add(colBase, cst(8 * (p / 2)))},
                   part, plan.zeroInit);
  }
}

void WeightGradWgmmaBuilder::build() {
  b.setInsertionPointToStart(&func.getBody().front());
  for (const TensorMapArg &map : launch.tensorMaps)
    (map.arg.kind == KernelArg::XMap ? dyMap : xMap) =
        tensorMap(func, launch.signature, map);
  init = kernelArgument(func, launch.signature, plan.initArg);
  Value dy = kernelArgument(func, launch.signature, {KernelArg::X});
  tid = gpu::ThreadIdOp::create(b, gpu::Dimension::x);
  constants.setInsertionPoint(tid.getDefiningOp());
  tileId = gpu::BlockIdOp::create(b, gpu::Dimension::x);
  // The block's row and column give the first columns of dY and X.
  auto tableType = MemRefType::get({static_cast<int64_t>(plan.tiles.size()), 2},
                                   b.getI32Type());
  Value table = memref::GetGlobalOp::create(b, tableType, names.tiles);
  dyCol0 = mul(loadIndex(table, {tileId, cst(0)}), cst(64));
  xCol0 = mul(loadIndex(table, {tileId, cst(1)}), cst(64));
  Value numKTiles = arith::CeilDivUIOp::create(
      b, memref::DimOp::create(b, dy, cst(0)), cst(64));
  tokens = splitTokens(numKTiles, tileId, plan.tiles.size(), plan.splits);
  setUpRingMemory(names.shared, plan.sharedBytes);
  Value warpgroup = warpgroupIndex(tid);
  ring.emplace(*this, plan.stages(), plan.stageBytes, 128);
  ring->initialize(
      arith::CmpIOp::create(b, arith::CmpIPredicate::eq, tid, cst(0)));
  splitRoles(
      tid, warpgroup, plan.consumers, plan.producerRegisters,
      plan.consumerRegisters, [&] { produce(); },
      [&] {
        Value acc = consume();
        NVVM::WgmmaWaitGroupSyncOp::create(b, 0);
        // The last slot, whose reads are done now (none without tokens).
        auto last = scf::IfOp::create(b, TypeRange{},
                                      ult(cst(0), tokens.numKTiles), false);
        {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToStart(last.thenBlock());
          ring->release(sub(tokens.numKTiles, cst(1)));
        }
        storeFragment(acc);
      });
  gpu::ReturnOp::create(b);
}

KernelLaunch mlir::pixelfly::buildWgmmaWeightGradKernel(gpu::GPUModuleOp module,
                                                        StringRef name,
                                                        const WgmmaPlan &plan,
                                                        Location loc) {
  MLIRContext *ctx = module.getContext();
  auto b = OpBuilder::atBlockEnd(module.getBody());
  KernelSymbols names(name);
  buildTileTables(b, loc, plan, names);
  declareRingMemory(b, loc, names.shared);
  KernelLaunch launch;
  // Token rows of dY and X in 64 x 64 boxes (zero past M); dY itself for
  // its number of rows.
  auto ptr = LLVM::LLVMPointerType::get(ctx);
  launch.signature.add({KernelArg::XMap}, ptr);
  launch.signature.add({KernelArg::WeightMap}, ptr);
  launch.signature.add({KernelArg::X}, plan.xType);
  launch.signature.add(plan.initArg, plan.initType);
  Type box = swizzledBoxType(ctx, 64, plan.elementType);
  launch.tensorMaps = {
      {{KernelArg::XMap}, {KernelArg::X}, box, false},
      {{KernelArg::WeightMap}, {KernelArg::Weight}, box, false}};
  launch.kernel =
      createKernelFunc(module, name, launch.signature, plan.numThreads, loc);
  launch.gridX.count = plan.tiles.size();
  launch.gridY.count = plan.splits;
  launch.threads = plan.numThreads;
  launch.dynamicSharedBytes = plan.sharedBytes;
  WeightGradWgmmaBuilder(plan, launch.kernel, launch, names).build();
  return launch;
}
