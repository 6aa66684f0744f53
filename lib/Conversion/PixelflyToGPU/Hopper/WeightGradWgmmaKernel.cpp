//===- WeightGradWgmmaKernel.cpp - Hopper-family weight gradient ----------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// The block-sparse weight gradient dB_p = init_p + dY[:, r]^T X[:, c] on
// sm_90a, for 64 x 64 blocks (and column products, below). A thread block
// computes a tile of blocks: up to tile_m / 64 block rows that store the
// same block columns, times up to tile_n / 64 of those columns (one block
// for a 64 x 64 tile), reducing over the tokens in k-tiles of 64. Per
// k-tile the producer loads, token rows as stored with zeros past M, the
// 64 x 64 box of dY's columns of each block row and of X's columns of each
// block column, back to back. Both are
// MN-major operands of wgmma: A = dY^T has a block row's 64 rows
// contiguous, B = X the tile's columns in 64-column atoms one box apart.
// nvgpu.warpgroup.mma rejects an MN-major A, so each consumer issues
// upstream's nvvm.wgmma.mma_async directly (layout `col` for A, `row` for
// B: imm-trans 1), m64 n(tile_n) k16 per 64-row tile and 16-token slice, on
// descriptors upstream's nvgpu.warpgroup.generate.descriptor makes of the
// slice (two 8-row groups, 2048 bytes further per slice; the atoms along N
// are the map's box apart). A slot's ops are one commit group; the consumer
// then waits until only that group pends, so the previous slot is
// released. The epilogue adds the accumulator fragment, pairs of
// neighbouring columns, into the tile's blocks; rows and columns a partial
// tile repeats are not stored. A column product (WgmmaPlan::columnWidth)
// is one block column of 64 x w blocks: X's boxes are its columns 64 c
// (zeros past w) and only the w columns are stored.
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
  /// Registers of one 64-row accumulator: 64 x tile_n f32 over 128 threads.
  int64_t registers() const { return plan.tileN() / 2; }
  Type accumulatorType() {
    return LLVM::LLVMStructType::getLiteral(
        b.getContext(), SmallVector<Type>(registers(), b.getF32Type()));
  }
  int64_t boxBytes() const { return 64 * 64 * plan.elementBytes; }
  /// `value + k`, without an add of 0.
  Value plus(Value value, int64_t k) { return k ? add(value, cst(k)) : value; }
  void loadTile();
  void produce();
  SmallVector<Value> consume(Value consumer);
  void storeFragments(ValueRange accs, Value consumer);

  const WgmmaPlan &plan;
  gpu::GPUFuncOp func;
  const KernelLaunch &launch;
  const KernelSymbols &names;
  Value dyMap, xMap, init, dy, tid, tileId, startsTable;
  TileInfo info;
  /// The first columns of dY and X of each box of a slot: the tile's block
  /// rows, then its block columns (a partial tile repeats its first).
  SmallVector<Value> dyCols, xCols;
  TokenRange tokens; ///< the thread block's k-tiles
  std::optional<MbarrierRing> ring;
};

} // namespace

/// The tile's block rows and columns, the first columns of their boxes and
/// the thread block's k-tiles.
void WeightGradWgmmaBuilder::loadTile() {
  info = pixelfly::loadTileInfo(*this, plan, names, tileId);
  Value colsTable = getColsTable(*this, plan, names);
  startsTable = getBlocksTable(*this, plan, names);
  auto nth = [&](Value first, int64_t i, Value count) {
    return i == 0 ? first
                  : arith::SelectOp::create(b, ult(cst(i), count),
                                            add(first, cst(i)), first)
                        .getResult();
  };
  for (int64_t r = 0; r < plan.rowsPerTile; ++r)
    dyCols.push_back(mul(nth(info.firstRow, r, info.numRows), cst(64)));
  if (plan.columnWidth) {
    for (int64_t c = 0; c < plan.tileN() / 64; ++c)
      xCols.push_back(cst(64 * c));
  } else {
    for (int64_t c = 0; c < plan.colsPerTile; ++c)
      xCols.push_back(
          mul(loadIndex(colsTable, {nth(info.colBegin, c, info.numCols)}),
              cst(64)));
  }
  Value numKTiles = arith::CeilDivUIOp::create(
      b, memref::DimOp::create(b, dy, cst(0)), cst(64));
  tokens = splitTokens(numKTiles, plan.splits);
}

/// Per k-tile of 64 tokens: the dY box of each block row's 64 columns,
/// then the X box of each block column's.
void WeightGradWgmmaBuilder::produce() {
  ring->forEachSlotToFill(
      cst(0), tokens.numKTiles, [&](Value slot, Value kTile) {
        Value slotBase = mul(slot, cst(plan.stageBytes));
        Value token = mul(absoluteKTile(tokens, kTile), cst(64));
        for (auto [i, col] :
             llvm::enumerate(llvm::concat<Value>(dyCols, xCols)))
          nvgpu::TmaAsyncLoadOp::create(
              b,
              sharedView({64, 64}, plan.elementType,
                         plus(slotBase, static_cast<int64_t>(i) * boxBytes())),
              ring->fullBarriers(), i < dyCols.size() ? dyMap : xMap,
              ValueRange{col, token}, slot, Value(), Value());
      });
}

/// Consumer warpgroup `consumer`: its 64-row tiles of every k-tile into
/// zeroed accumulators.
SmallVector<Value> WeightGradWgmmaBuilder::consume(Value consumer) {
  Value zero = LLVM::ZeroOp::create(b, accumulatorType());
  SmallVector<Value> inits(plan.mmaTilesM, zero);
  auto descType = [&](int64_t cols) {
    return nvgpu::WarpgroupMatrixDescriptorType::get(
        b.getContext(), sharedType({16, cols}, plan.elementType));
  };
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
  // The consumer's first box of dY in a slot.
  Value aOffset = mul(consumer, cst(plan.mmaTilesM * boxBytes()));
  constexpr int64_t kSlices = 4; // of 16 tokens per k-tile
  return ring->forEachFullSlot(
      cst(0), tokens.numKTiles, cst(0), inits,
      [&](Value slot, Value, ValueRange current) {
        SmallVector<Value> accs(current);
        Value slotBase = mul(slot, cst(plan.stageBytes));
        // Token rows [16 j, 16 j + 16) of the box starting `at` and of the
        // `cols / 64 - 1` boxes after it, seen through `map` (whose box
        // gives the distance between atoms along N).
        auto descriptor = [&](Value at, int64_t j, int64_t cols, Value map) {
          Value box = sharedView({64, 64}, plan.elementType, at);
          Value d = nvgpu::WarpgroupGenerateDescriptorOp::create(
              b, descType(cols), slice(box, 16 * j, 16, 0, 64), map);
          return UnrealizedConversionCastOp::create(b, i64, d).getResult(0);
        };
        Value bBase = add(slotBase, cst(plan.rowsPerTile * boxBytes()));
        NVVM::WgmmaFenceAlignedOp::create(b);
        for (int64_t j = 0; j < kSlices; ++j) {
          Value descB = descriptor(bBase, j, plan.tileN(), xMap);
          for (int64_t i = 0; i < plan.mmaTilesM; ++i) {
            Value descA = descriptor(
                add(slotBase, plus(aOffset, i * boxBytes())), j, 64, dyMap);
            accs[i] = NVVM::WgmmaMmaAsyncOp::create(
                b, accumulatorType(), accs[i], descA, descB,
                NVVM::MMAShapeAttr::get(b.getContext(), 64, plan.tileN(), 16),
                typeAttr(type), typeAttr(type), typeAttr(NVVM::WGMMATypes::f32),
                NVVM::WGMMAScaleOutAttr::get(b.getContext(),
                                             NVVM::WGMMAScaleOut::one),
                scaleIn, scaleIn, layout(NVVM::MMALayout::col),
                layout(NVVM::MMALayout::row), NVVM::MMAIntOverflowAttr());
          }
        }
        // The slot's ops are one group; waiting for the previous slot's
        // lets the ring release it.
        NVVM::WgmmaGroupSyncAlignedOp::create(b);
        NVVM::WgmmaWaitGroupSyncOp::create(b, 1);
        return accs;
      });
}

/// Each consumer thread adds its registers into the tile's blocks: of a
/// 64-row tile, registers 2p and 2p + 1 are row 16 w + l / 4 + 8 (p mod 2),
/// columns 8 (p / 2) + 2 (l mod 4) and the next (wgmma's accumulator
/// fragment), so pairs 16 c .. 16 c + 15 are block column c of the tile
/// (a column product's one block column: every pair below its width).
/// Rows and columns past a partial tile are repeats and not stored.
void WeightGradWgmmaBuilder::storeFragments(ValueRange accs, Value consumer) {
  Value lane = rem(tid, 32);
  Value rowBase = add(mul(rem(div(tid, 32), 4), cst(16)), div(lane, 4));
  Value colBase = mul(rem(lane, 4), cst(2));
  auto pairType = VectorType::get({2}, b.getF32Type());
  // Guards on values uniform over the warpgroup: its row of the tile and
  // the tile's counts.
  auto guard = [&](Value index, Value count, function_ref<void()> body) {
    auto ifOp = scf::IfOp::create(b, TypeRange{}, ult(index, count), false);
    OpBuilder::InsertionGuard g(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    body();
  };
  for (auto [i, acc] : llvm::enumerate(accs)) {
    SmallVector<Value> pairs;
    for (int64_t p = 0; p < registers() / 2; ++p) {
      SmallVector<Value> pair;
      for (int64_t r : {2 * p, 2 * p + 1})
        pair.push_back(
            LLVM::ExtractValueOp::create(b, acc, ArrayRef<int64_t>{r}));
      pairs.push_back(vector::FromElementsOp::create(b, pairType, pair));
    }
    Value row = plus(plan.mmaTilesM == 1 ? consumer
                                         : mul(consumer, cst(plan.mmaTilesM)),
                     static_cast<int64_t>(i));
    int64_t pairsPerColumn = plan.columnWidth ? registers() / 2 : 16;
    auto storeRow = [&] {
      Value first = loadIndex(startsTable, {tileId, row});
      for (int64_t c = 0; c < plan.colsPerTile; ++c) {
        auto storeColumn = [&] {
          Value block = outputBlock(tokens, plus(first, c), plan.numBlocks());
          for (int64_t p = pairsPerColumn * c; p < pairsPerColumn * (c + 1);
               ++p) {
            int64_t col = 8 * (p / 2 % (pairsPerColumn / 2));
            if (plan.columnWidth && col >= plan.columnWidth)
              continue;
            emitAccumulate(
                b, init,
                {block, add(rowBase, cst(8 * (p % 2))), add(colBase, cst(col))},
                pairs[p], plan.zeroInit);
          }
        };
        if (c == 0)
          storeColumn();
        else
          guard(cst(c), info.numCols, storeColumn);
      }
    };
    if (plan.rowsPerTile == 1)
      storeRow();
    else
      guard(row, info.numRows, storeRow);
  }
}

void WeightGradWgmmaBuilder::build() {
  b.setInsertionPointToStart(&func.getBody().front());
  for (const TensorMapArg &map : launch.tensorMaps)
    (map.arg.kind == KernelArg::XMap ? dyMap : xMap) =
        tensorMap(func, launch.signature, map);
  init = kernelArgument(func, launch.signature, plan.initArg);
  dy = kernelArgument(func, launch.signature, {KernelArg::X});
  tid = gpu::ThreadIdOp::create(b, gpu::Dimension::x);
  constants.setInsertionPoint(tid.getDefiningOp());
  tileId = gpu::BlockIdOp::create(b, gpu::Dimension::x);
  loadTile();
  setUpRingMemory(names.shared, plan.sharedBytes);
  Value warpgroup = warpgroupIndex(tid);
  ring.emplace(*this, plan.stages(), plan.stageBytes, plan.consumers * 128);
  ring->initialize(
      arith::CmpIOp::create(b, arith::CmpIPredicate::eq, tid, cst(0)));
  splitRoles(
      tid, warpgroup, plan.consumers, plan.producerRegisters,
      plan.consumerRegisters, [&] { produce(); },
      [&] {
        SmallVector<Value> accs = consume(warpgroup);
        NVVM::WgmmaWaitGroupSyncOp::create(b, 0);
        // The last slot, whose reads are done now (none without tokens).
        auto last = scf::IfOp::create(b, TypeRange{},
                                      ult(cst(0), tokens.numKTiles), false);
        {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToStart(last.thenBlock());
          ring->release(sub(tokens.numKTiles, cst(1)));
        }
        storeFragments(accs, warpgroup);
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
