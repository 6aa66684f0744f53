//===- WgmmaKernel.cpp - Hopper-family block-sparse kernels ---------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Y = init + X W^T for a block-sparse W on sm_90a, pixelfly.linear's
// Y = init + g X W^T + T U^T with T = (1 - g) X V from the panel kernel,
// low_rank_matmul's Y = init + T U^T (T = X V: the panel alone, tiles of
// tile_n output columns), the input gradient dX = init + dY W (W's
// blocks read MN-major), and the panel's first kernel T = (1 - g) X V (an
// input gradient over one K x rank block: V read as stored, in boxes of 64
// columns, zeros past the rank).
//
// A thread block computes rows [m0, m0 + tile_m) of one static tile (a run
// of block rows sharing their block columns, as in the Ampere family; the
// tile tables are the same), or with a persistent grid a sequence of them,
// its ring running on from one to the next. The last warpgroup is the producer:
// one thread walks the tile's k-tiles and, for each, waits until its ring slot
// is empty, announces the slot's bytes on the slot's full barrier and issues
// the TMA loads: the tile_m x tile_k box of X and, per block row of the
// tile, the bm x tile_k box of its block (blocks as a (blocks * bm) x bk
// matrix), all 128-byte swizzled. Rows of X past M arrive as zeros. Each
// consumer warpgroup c (threads 128c .. 128c + 127) owns rows
// [c * tile_m / consumers, ...) of the tile and holds one accumulator per
// 64-row wgmma tile of them; it waits on the full barrier and multiplies
// the slot with nvgpu.warpgroup.mma, one op per 64-row tile and 16-wide k
// slice (within one op, upstream advances a K-major B by MN-major strides
// and A by K-wide rows), each op a commit group of its own. The ops of one
// slot stay in flight while the next slot's are issued: each waits until
// at most one slot's worth of groups (and at most 7) is pending, so the
// previous slot's reads are done and the consumer releases that slot.
// Descriptors come from upstream's nvgpu.warpgroup.generate.descriptor, so the
// descriptor and swizzle encodings are upstream's. After the last k-tile every
// consumer thread feeds the common epilogue straight from its registers
// (wgmma's accumulator fragment: pairs of neighbouring columns), which
// adds them into init. linear's panel k-tiles (T and U boxes) follow the
// block k-tiles in the ring and go into accumulators of their own, so the
// epilogue can weigh the block part by g; given the caller's X V, the
// boxes are read from it in T's place and the epilogue weighs the panel
// by 1 - g too (no panel kernel, no T buffer). With two consumers, setmaxnreg
// moves registers from the producer to them.
//
//===----------------------------------------------------------------------===//

#include "Epilogue.h"
#include "Hopper/MbarrierRing.h"
#include "Hopper/TmaStore.h"
#include "Hopper/WarpSpecialized.h"
#include "Hopper/WgmmaPlan.h"
#include "KernelBuilderBase.h"
#include "KernelTables.h"

#include "pixelfly/Dialect/Pixelfly/Utils/HopperSchedule.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::pixelfly;

namespace {

class WgmmaKernelBuilder : public WarpSpecializedBuilder {
public:
  WgmmaKernelBuilder(const WgmmaPlan &plan, gpu::GPUFuncOp func,
                     const KernelSignature &signature,
                     ArrayRef<TensorMapArg> tensorMaps,
                     const KernelSymbols &names)
      : WarpSpecializedBuilder(func.getLoc(), func.getContext()), plan(plan),
        func(func), signature(signature), tensorMaps(tensorMaps), names(names),
        tail(plan.fused, func, signature) {}

  void build();

private:
  void loadTileInfo();
  void forEachTile(function_ref<void(Value kFirst)> body);
  void produce(Value kFirst);
  void loadBlocks(Value slotBase, Value slot, Value kTile);
  void loadPanel(Value slotBase, Value slot, Value kTile);
  SmallVector<Value> consume(Value consumer, Value begin, Value end,
                             Value tileBegin, Value aMap, Value bMap);
  void storeFragments(ValueRange accs, ValueRange panelAccs, Value consumer);
  void stageBoxes(int64_t tile, Value tileRow0, ArrayRef<Value> rows,
                  Value laneRow, Value laneCol,
                  function_ref<Value(int64_t)> pairValue);

  Type accumulatorType();

  const WgmmaPlan &plan;
  gpu::GPUFuncOp func;
  const KernelSignature &signature;
  ArrayRef<TensorMapArg> tensorMaps;
  const KernelSymbols &names;
  Value xMap, wMap, tMap, uMap, initMap, init, gamma;
  Value tid, tileId, m0, n0, numTokens, numRows, validCols, colBegin;
  /// k-tiles over the tile's block columns, then with the low-rank panel.
  Value numBlockKTiles, numKTiles;
  Value sharedBase; ///< the ring memory's first byte
  Value colsTable, startsTable;
  std::optional<MbarrierRing> ring;
  /// With tma_store, the consumer warpgroup's staging of Y.
  std::optional<TmaStoreStaging> staging;
  EpilogueTail tail;
};

} // namespace

/// Whether the kernel of `plan` stores Y through the TMA-store staging:
/// tma_store, unless a fused tail leaves nothing of Y to store.
static bool stagesOutput(const WgmmaPlan &plan) {
  return TmaStoreStaging::stagesOutput(plan.hopperConfig().getTmaStore(),
                                       plan.fused);
}

Type WgmmaKernelBuilder::accumulatorType() {
  return nvgpu::WarpgroupAccumulatorType::get(
      b.getContext(), VectorType::get({64, plan.tileN()}, b.getF32Type()));
}

/// Where the tile is, which block columns it reads, and the k-tiles of
/// its reduction.
void WgmmaKernelBuilder::loadTileInfo() {
  TileInfo info = pixelfly::loadTileInfo(*this, plan, names, tileId);
  n0 = info.n0;
  numRows = info.numRows;
  validCols = info.validCols;
  colBegin = info.colBegin;
  if (!plan.hasBlocks()) {
    numBlockKTiles = cst(0);
    numKTiles = cst(plan.panel->kTiles);
    return;
  }
  colsTable = getColsTable(*this, plan, names);
  // Forward: per tile and block row, its first block; input gradient: per
  // reduction block row, its block of the tile's first block column.
  startsTable = getBlocksTable(*this, plan, names);
  numBlockKTiles = plan.stepsPerBlock == 1
                       ? info.numCols
                       : mul(info.numCols, cst(plan.stepsPerBlock));
  numKTiles = plan.panel ? add(numBlockKTiles, cst(plan.panel->kTiles))
                         : numBlockKTiles;
}

/// Calls `body(kFirst)` for each output tile the thread block computes
/// (forEachOutputTile: blocks running together share X's rows in L2),
/// with the tile (tileId, m0) and its tables loaded; its k-tiles start at
/// `kFirst` in the ring.
void WgmmaKernelBuilder::forEachTile(function_ref<void(Value kFirst)> body) {
  forEachOutputTile(plan.hopperConfig().getPersistent(), plan.tiles.size(),
                    plan.tileM(), numTokens,
                    [&](Value tile, Value tileM0, Value kFirst) {
                      tileId = tile;
                      m0 = tileM0;
                      loadTileInfo();
                      body(kFirst);
                      return numKTiles;
                    });
}

/// One thread of the producer warpgroup issues every load of the tile
/// whose k-tiles start at `kFirst` in the ring: the block k-tiles, then
/// the low-rank panel's.
void WgmmaKernelBuilder::produce(Value kFirst) {
  ring->forEachSlotToFill(kFirst, numKTiles, [&](Value slot, Value kTile) {
    Value slotBase = add(sharedBase, mul(slot, cst(plan.stageBytes)));
    if (!plan.panel) {
      loadBlocks(slotBase, slot, kTile);
      return;
    }
    if (!plan.hasBlocks()) {
      loadPanel(slotBase, slot, kTile);
      return;
    }
    auto ifOp = scf::IfOp::create(b, TypeRange{}, ult(kTile, numBlockKTiles),
                                  /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    loadBlocks(slotBase, slot, kTile);
    b.setInsertionPointToStart(ifOp.elseBlock());
    loadPanel(slotBase, slot, sub(kTile, numBlockKTiles));
  });
}

/// Block k-tile `kTile`: the X (dY) box of its reduction columns and the
/// tile's blocks. Forward: per block row of the tile, its block's
/// bm x tile_k box (K-major, as stored). Input gradient: per block column
/// of the tile, the tile_k x bk box of the reduction block row's block
/// (MN-major: its output columns contiguous), the boxes back to back.
void WgmmaKernelBuilder::loadBlocks(Value slotBase, Value slot, Value kTile) {
  Value block = kTile, kOffset = cst(0);
  if (plan.stepsPerBlock > 1) {
    block = div(kTile, plan.stepsPerBlock);
    kOffset = mul(rem(kTile, plan.stepsPerBlock), cst(plan.tileK()));
  }
  // The block column (forward) or row (input gradient) the k-tile reduces
  // over; its X (dY) box. TMA coordinates run innermost dimension first.
  Value reduced = loadIndex(colsTable, {add(colBegin, block)});
  Value xCol = add(mul(reduced, cst(plan.blockK())), kOffset);
  nvgpu::TmaAsyncLoadOp::create(
      b, sharedView({plan.tileM(), plan.tileK()}, plan.elementType, slotBase),
      ring->fullBarriers(), xMap, ValueRange{xCol, m0}, slot, Value(), Value());
  if (plan.oneBlock) {
    // The one block as stored (K x width): box c is its columns
    // [64 c, 64 c + 64) of the k-tile's rows, zeros past the width.
    int64_t boxBytes = plan.tileK() * 64 * plan.elementBytes;
    for (int64_t c = 0; c < plan.tileN() / 64; ++c)
      nvgpu::TmaAsyncLoadOp::create(
          b,
          sharedView({plan.tileK(), 64}, plan.elementType,
                     add(slotBase, cst(plan.aTileBytes() + c * boxBytes))),
          ring->fullBarriers(), wMap, ValueRange{cst(64 * c), xCol}, slot,
          Value(), Value());
    return;
  }
  int64_t boxBytes = plan.tileK() * plan.blockM() * plan.elementBytes;
  if (plan.isInputGrad()) {
    Value first = loadIndex(startsTable, {add(colBegin, block)});
    for (int64_t c = 0; c < plan.rowsPerTile; ++c) {
      // Columns past a partial tile load its first column's block again.
      Value index = c == 0 ? first
                           : arith::SelectOp::create(b, ult(cst(c), numRows),
                                                     add(first, cst(c)), first);
      Value row = add(mul(index, cst(plan.blockK())), kOffset);
      nvgpu::TmaAsyncLoadOp::create(
          b,
          sharedView({plan.tileK(), plan.blockM()}, plan.elementType,
                     add(slotBase, cst(plan.aTileBytes() + c * boxBytes))),
          ring->fullBarriers(), wMap, ValueRange{cst(0), row}, slot, Value(),
          Value());
    }
    return;
  }
  // Block rows past a partial tile load its first block row again: the
  // slot's byte count stays the same, and the epilogue never stores them.
  for (int64_t r = 0; r < plan.rowsPerTile; ++r) {
    Value first = loadIndex(startsTable, {tileId, cst(r)});
    Value row = mul(add(first, block), cst(plan.blockM()));
    nvgpu::TmaAsyncLoadOp::create(
        b,
        sharedView({plan.blockM(), plan.tileK()}, plan.elementType,
                   add(slotBase, cst(plan.aTileBytes() + r * boxBytes))),
        ring->fullBarriers(), wMap, ValueRange{kOffset, row}, slot, Value(),
        Value());
  }
}

/// Panel k-tile `panelTile`: columns [panelTile * tile_k, + tile_k) of T's
/// tile_m rows and of U's tile_n rows (the tile's output rows), as A and B
/// of the slot. Columns past the rank and rows past M or N arrive as zeros.
void WgmmaKernelBuilder::loadPanel(Value slotBase, Value slot,
                                   Value panelTile) {
  Value kOffset = mul(panelTile, cst(plan.tileK()));
  nvgpu::TmaAsyncLoadOp::create(
      b, sharedView({plan.tileM(), plan.tileK()}, plan.elementType, slotBase),
      ring->fullBarriers(), tMap, ValueRange{kOffset, m0}, slot, Value(),
      Value());
  nvgpu::TmaAsyncLoadOp::create(
      b,
      sharedView({plan.tileN(), plan.tileK()}, plan.elementType,
                 add(slotBase, cst(plan.aTileBytes()))),
      ring->fullBarriers(), uMap, ValueRange{kOffset, n0}, slot, Value(),
      Value());
}

/// Consumer warpgroup `consumer` multiplies its rows of the slots of
/// k-tiles [begin, end) of the ring (of the tile starting at `tileBegin`)
/// into fresh accumulators, one wgmma op per 64-row tile and 16-wide k
/// slice; the descriptors take their geometry from the tensor maps `aMap`
/// and `bMap` the slots came from.
SmallVector<Value> WgmmaKernelBuilder::consume(Value consumer, Value begin,
                                               Value end, Value tileBegin,
                                               Value aMap, Value bMap) {
  Type accType = accumulatorType();
  SmallVector<Value> inits;
  for (int64_t i = 0; i < plan.mmaTilesM; ++i)
    inits.push_back(
        nvgpu::WarpgroupMmaInitAccumulatorOp::create(b, accType).getResult());
  int64_t rows = plan.mmaTilesM * 64;
  auto aRows = sharedType({rows, plan.tileK()}, plan.elementType);
  // A K-major B (forward: W as stored) takes one op per k16 slice, an
  // MN-major B (input gradient) one op for the whole 64-row k-tile: the
  // op's B step per k16 (K x 16 elements) is right for MN-major boxes of
  // K = 64 rows only.
  bool mnMajorB = plan.isInputGrad();
  auto bSlot = mnMajorB
                   ? sharedType({plan.tileK(), plan.tileN()}, plan.elementType)
                   : sharedType({plan.tileN(), plan.tileK()}, plan.elementType);
  int64_t kStep = mnMajorB ? plan.tileK() : 16, mStep = 64;
  auto descA = nvgpu::WarpgroupMatrixDescriptorType::get(
      b.getContext(), sharedType({mStep, kStep}, plan.elementType));
  auto descB = nvgpu::WarpgroupMatrixDescriptorType::get(
      b.getContext(), sharedType({kStep, plan.tileN()}, plan.elementType));
  int64_t steps = plan.tileK() / kStep;
  // The consumer's rows of the slot's X tile start this many bytes in.
  Value aOffset = mul(consumer, cst(rows * plan.tileK() * plan.elementBytes));
  // Every op waits until at most the ops of one slot pend (and no more
  // than wait_group's range allows), so when a slot's last op is issued
  // the previous slot's have completed.
  IntegerAttr inFlight = b.getI64IntegerAttr(
      std::min(plan.mmaTilesM * steps, kHopperMaxPendingWgmmaGroups));
  return ring->forEachFullSlot(
      begin, end, tileBegin, inits, [&](Value slot, Value, ValueRange current) {
        SmallVector<Value> next(current);
        Value slotBase = add(sharedBase, mul(slot, cst(plan.stageBytes)));
        Value a = sharedView(aRows.getShape(), plan.elementType,
                             add(slotBase, aOffset));
        Value bTile = sharedView(bSlot.getShape(), plan.elementType,
                                 add(slotBase, cst(plan.aTileBytes())));
        for (int64_t j = 0; j < steps; ++j) {
          Value db = nvgpu::WarpgroupGenerateDescriptorOp::create(
              b, descB,
              mnMajorB ? bTile
                       : slice(bTile, 0, plan.tileN(), kStep * j, kStep),
              bMap);
          for (int64_t i = 0; i < plan.mmaTilesM; ++i) {
            Value da = nvgpu::WarpgroupGenerateDescriptorOp::create(
                b, descA, slice(a, mStep * i, mStep, kStep * j, kStep), aMap);
            next[i] =
                nvgpu::WarpgroupMmaOp::create(
                    b, accType, da, db, inFlight,
                    /*transposeA=*/UnitAttr(),
                    /*transposeB=*/mnMajorB ? b.getUnitAttr() : UnitAttr(),
                    next[i])
                    .getResult();
          }
        }
        return next;
      });
}

/// Every consumer thread adds its accumulators into init: rows below M,
/// the columns of the tile's real block rows. In wgmma's m64nN fragment,
/// lane l of warp w (of the warpgroup) holds registers 2p and 2p + 1 at
/// row 16 w + l / 4 + 8 (p mod 2) and columns 8 (p / 2) + 2 (l mod 4) and
/// the next; the registers are read from the accumulator as lowered (a
/// struct of one struct of f32 per 64-row tile), which upstream's
/// nvgpu.warpgroup.mma.store lowering reads the same way.
void WgmmaKernelBuilder::storeFragments(ValueRange accs, ValueRange panelAccs,
                                        Value consumer) {
  MLIRContext *ctx = b.getContext();
  Type f32 = b.getF32Type();
  int64_t registers = plan.tileN() / 2;
  auto tileStruct =
      LLVM::LLVMStructType::getLiteral(ctx, SmallVector<Type>(registers, f32));
  auto fragmentType = LLVM::LLVMStructType::getLiteral(ctx, {tileStruct});
  auto registersOf = [&](Value acc) {
    return UnrealizedConversionCastOp::create(b, fragmentType, acc)
        .getResult(0);
  };
  Value lane = rem(tid, 32);
  Value warp = rem(div(tid, 32), 4);
  Value consumerRow = add(m0, mul(consumer, cst(plan.mmaTilesM * 64)));
  Value laneRow = add(mul(warp, cst(16)), div(lane, 4));
  Value laneCol = mul(rem(lane, 4), cst(2));
  auto pairType = VectorType::get({2}, f32);
  // g(row) weighs linear's block part; the panel's first kernel scales T
  // by 1 - g(row), or with the caller's X V the epilogue does.
  const LowRankPanel *gammaSource = plan.gammaSource();
  bool scaled =
      (plan.panel && plan.hasBlocks()) || plan.epilogueGamma.has_value();
  bool scalePanel = plan.panel && plan.panel->xvType;
  auto oneMinus = [&](Value g) -> Value {
    return arith::SubFOp::create(
        b, arith::ConstantOp::create(b, b.getF32FloatAttr(1.0f)), g);
  };
  if (staging) {
    // Box k of a tile goes through buffer k mod 2: with an odd number of
    // boxes per tile, a persistent block's next tile starts on the buffer
    // its last store may still read.
    int64_t boxes = plan.mmaTilesM * plan.tileN() /
                    hopperStoreBoxColumns(plan.initType.getElementType());
    if (plan.hopperConfig().getPersistent() && boxes % 2 == 1)
      staging->reclaim();
  }
  for (int64_t i = 0; i < plan.mmaTilesM; ++i) {
    // low_rank_matmul has the panel's accumulators only.
    Value fragment = plan.hasBlocks() ? registersOf(accs[i]) : Value();
    Value panelFragment = plan.panel ? registersOf(panelAccs[i]) : Value();
    Value tileRow = add(consumerRow, add(laneRow, cst(64 * i)));
    // A thread's registers lie on two rows, 8 apart.
    Value rows[2] = {tileRow, add(tileRow, cst(8))};
    Value gammas[2], panelWeights[2];
    if (scaled)
      for (int64_t h = 0; h < 2; ++h) {
        // Rows past M read gamma's row 0; they are never stored.
        Value gammaRow = arith::SelectOp::create(b, ult(rows[h], numTokens),
                                                 rows[h], cst(0));
        gammas[h] = emitGamma(b, *gammaSource, gamma, gammaRow);
        if (plan.epilogueGamma)
          gammas[h] = oneMinus(gammas[h]);
        if (scalePanel)
          panelWeights[h] = oneMinus(gammas[h]);
      }
    // The f32 values of register pair p (columns 8 (p / 2) + laneCol and
    // the next, row rows[p % 2]). Registers are read outside any bounds
    // check, uniformly.
    auto pairValue = [&](int64_t p) -> Value {
      Value g = gammas[p % 2], panelWeight = panelWeights[p % 2];
      SmallVector<Value> pair;
      for (int64_t r : {2 * p, 2 * p + 1}) {
        auto reg = [&](Value from) {
          return LLVM::ExtractValueOp::create(b, from, ArrayRef<int64_t>{0, r})
              .getResult();
        };
        Value v;
        if (!plan.hasBlocks()) {
          v = reg(panelFragment);
        } else if (plan.panel) {
          Value panel = reg(panelFragment);
          if (panelWeight)
            panel = arith::MulFOp::create(b, panelWeight, panel);
          v = arith::AddFOp::create(
              b, arith::MulFOp::create(b, g, reg(fragment)), panel);
        } else if (scaled) {
          v = arith::MulFOp::create(b, g, reg(fragment));
        } else {
          v = reg(fragment);
        }
        pair.push_back(v);
      }
      return vector::FromElementsOp::create(b, pairType, pair);
    };
    if (staging) {
      stageBoxes(i, add(consumerRow, cst(64 * i)), rows, laneRow, laneCol,
                 pairValue);
      continue;
    }
    for (int64_t p = 0; p < registers / 2; ++p) {
      Value row = rows[p % 2];
      Value col = add(laneCol, cst(8 * (p / 2)));
      Value part = pairValue(p);
      auto ifOp = emitOutputGuard(b, row, numTokens, col,
                                  plan.allTilesFull ? Value() : validCols);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(ifOp.thenBlock());
      emitAccumulate(b, init, {row, add(n0, col)}, part, plan.zeroInit, &tail);
    }
  }
}

/// The sums of 64-row wgmma tile `tile` (rows from `tileRow0`; the thread's
/// two rows `rows`, laneRow and laneCol into the tile) through the staging
/// boxes, one box of columns after
/// another: init is read where the product adds to it (rows past M and
/// columns past a partial tile read row or column 0: TMA does not store
/// them), the fused tail runs on the stored sums in the bounds, and the
/// box is stored unless it lies past a partial tile's columns.
void WgmmaKernelBuilder::stageBoxes(int64_t tile, Value tileRow0,
                                    ArrayRef<Value> rows, Value laneRow,
                                    Value laneCol,
                                    function_ref<Value(int64_t)> pairValue) {
  int64_t columns = hopperStoreBoxColumns(plan.initType.getElementType());
  int64_t boxes = plan.tileN() / columns;
  // Whether each of the thread's rows is Y's (for reading init and the
  // tail).
  Value validRows[2];
  if (!plan.zeroInit || plan.fused)
    for (int64_t h = 0; h < 2; ++h)
      validRows[h] = ult(rows[h], numTokens);
  Value partial = plan.allTilesFull ? Value() : validCols;
  for (int64_t box = 0; box < boxes; ++box) {
    int64_t k = tile * boxes + box;
    // Register pairs p of the box: column groups 8 (p / 2) inside it.
    for (int64_t p = box * columns / 4; p < (box + 1) * columns / 4; ++p) {
      Value part = pairValue(p);
      Value row = rows[p % 2];
      Value col = add(laneCol, cst(8 * (p / 2)));
      // Whether the element is Y's (for reading init and the tail).
      Value inside;
      if (!plan.zeroInit || plan.fused) {
        inside = validRows[p % 2];
        if (partial)
          inside = arith::AndIOp::create(b, inside, ult(col, partial));
      }
      staging->writeSum(k, add(laneRow, cst(8 * (p % 2))),
                        sub(col, cst(box * columns)), part, init, row,
                        add(n0, col), inside, plan.zeroInit,
                        plan.fused ? &tail : nullptr);
    }
    Value valid = ult(tileRow0, numTokens);
    if (partial)
      valid = arith::AndIOp::create(b, valid, ult(cst(box * columns), partial));
    staging->store(k, tileRow0, add(n0, cst(box * columns)), valid);
  }
}

void WgmmaKernelBuilder::build() {
  auto arg = [&](KernelArg::Kind role) {
    return kernelArgument(func, signature, {role});
  };
  init = kernelArgument(func, signature, plan.initArg);
  gamma = arg(KernelArg::Gamma);
  b.setInsertionPointToStart(&func.getBody().front());
  for (const TensorMapArg &map : tensorMaps) {
    Value value = tensorMap(func, signature, map);
    switch (map.arg.kind) {
    case KernelArg::XMap:
      xMap = value;
      break;
    case KernelArg::WeightMap:
      wMap = value;
      break;
    case KernelArg::TMap:
      tMap = value;
      break;
    case KernelArg::InitMap:
      initMap = value;
      break;
    default:
      uMap = value;
    }
  }
  tid = gpu::ThreadIdOp::create(b, gpu::Dimension::x);
  constants.setInsertionPoint(tid.getDefiningOp());
  numTokens = memref::DimOp::create(b, init, cst(0));
  setUpRingMemory(names.shared, plan.sharedBytes);
  sharedBase = cst(0);

  Value warpgroup = warpgroupIndex(tid);
  ring.emplace(*this, plan.stages(), plan.stageBytes, plan.consumers * 128);
  ring->initialize(
      arith::CmpIOp::create(b, arith::CmpIPredicate::eq, tid, cst(0)));
  splitRoles(
      tid, warpgroup, plan.consumers, plan.producerRegisters,
      plan.consumerRegisters,
      [&] { forEachTile([&](Value kFirst) { produce(kFirst); }); },
      [&] {
        if (stagesOutput(plan))
          staging.emplace(*this, shared, plan.stagingOffset, initMap,
                          plan.initType.getElementType(), warpgroup, tid);
        forEachTile([&](Value kFirst) {
          Value blocksEnd = add(kFirst, numBlockKTiles);
          Value end = add(kFirst, numKTiles);
          SmallVector<Value> accs;
          if (plan.hasBlocks())
            accs = consume(warpgroup, kFirst, blocksEnd, kFirst, xMap, wMap);
          SmallVector<Value> panelAccs;
          if (plan.panel)
            panelAccs = consume(warpgroup, blocksEnd, end, kFirst, tMap, uMap);
          NVVM::WgmmaWaitGroupSyncOp::create(b, 0);
          // The tile's last slot, whose reads are done now.
          auto last =
              scf::IfOp::create(b, TypeRange{}, ult(kFirst, end), false);
          {
            OpBuilder::InsertionGuard guard(b);
            b.setInsertionPointToStart(last.thenBlock());
            ring->release(sub(end, cst(1)));
          }
          storeFragments(accs, panelAccs, warpgroup);
        });
        if (staging)
          staging->finish();
      });
  gpu::ReturnOp::create(b);
}

KernelLaunch mlir::pixelfly::buildWgmmaKernel(gpu::GPUModuleOp module,
                                              StringRef name,
                                              const WgmmaPlan &plan,
                                              Location loc) {
  MLIRContext *ctx = module.getContext();
  auto b = OpBuilder::atBlockEnd(module.getBody());
  KernelSymbols names(name);
  buildTileTables(b, loc, plan, names);
  declareRingMemory(b, loc, names.shared);
  auto mapType = [&](int64_t rows) {
    return swizzledBoxType(ctx, rows, plan.elementType);
  };
  KernelLaunch launch;
  // The blocks' boxes: bm x tile_k (forward) or tile_k x bk (input
  // gradient: the output columns of a block are one 128-byte row).
  Type xMap = mapType(plan.tileM()),
       wMap = mapType(plan.isInputGrad() ? plan.tileK() : plan.blockM());
  // A tensor map reaches the kernel as the address of its 128 bytes.
  auto ptr = LLVM::LLVMPointerType::get(ctx);
  if (plan.hasBlocks()) {
    launch.signature.add({KernelArg::XMap}, ptr);
    launch.signature.add({KernelArg::WeightMap}, ptr);
    // The blocks are one (blocks * bm) x bk matrix to TMA.
    launch.tensorMaps = {{{KernelArg::XMap}, {KernelArg::X}, xMap, false},
                         {{KernelArg::WeightMap}, plan.weightArg, wMap, true}};
  }
  if (plan.panel) {
    launch.signature.add({KernelArg::TMap}, ptr);
    launch.signature.add({KernelArg::UMap}, ptr);
    // T's boxes, or the caller's X V's (M x rank like T).
    KernelArg t{plan.panel->xvType ? KernelArg::XV : KernelArg::T};
    launch.tensorMaps.push_back(
        {{KernelArg::TMap}, t, mapType(plan.tileM()), false});
    launch.tensorMaps.push_back(
        {{KernelArg::UMap}, {KernelArg::U}, mapType(plan.tileN()), false});
  }
  if (stagesOutput(plan))
    TmaStoreStaging::addTensorMap(launch, plan.initArg,
                                  plan.initType.getElementType());
  if (const LowRankPanel *g = plan.gammaSource(); g && g->gammaType)
    launch.signature.add({KernelArg::Gamma}, g->gammaType);
  launch.signature.add(plan.initArg, plan.initType);
  addEpilogueArguments(launch.signature, plan.fused);
  launch.kernel =
      createKernelFunc(module, name, launch.signature, plan.numThreads, loc);
  markWarpSpecialized(launch.kernel, plan.producerRegisters);
  if (int64_t persistent = plan.hopperConfig().getPersistent()) {
    launch.gridX.count = persistent;
  } else {
    launch.gridX.count = plan.tiles.size();
    launch.gridY.perTokens = plan.tileM();
  }
  launch.threads = plan.numThreads;
  launch.dynamicSharedBytes = plan.sharedBytes;
  WgmmaKernelBuilder(plan, launch.kernel, launch.signature, launch.tensorMaps,
                     names)
      .build();
  return launch;
}
