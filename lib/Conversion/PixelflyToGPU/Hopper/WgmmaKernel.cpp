//===- WgmmaKernel.cpp - Hopper-family block-sparse kernels ---------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Y = init + X W^T for a block-sparse W on sm_90a.
//
// A thread block computes rows [m0, m0 + tile_m) of one static tile (a run
// of block rows sharing their block columns, as in the Ampere family; the
// tile tables are the same). The last warpgroup is the producer: one thread
// walks the tile's k-tiles and, for each, waits until its ring slot is
// empty, announces the slot's bytes on the slot's full barrier and issues
// the TMA loads: the tile_m x tile_k box of X and, per block row of the
// tile, the bm x tile_k box of its block (blocks as a (blocks * bm) x bk
// matrix), all 128-byte swizzled. Rows of X past M arrive as zeros. The
// consumer warpgroup (threads 0-127) holds one accumulator per 64-row
// wgmma tile of its rows; it waits on the full barrier and multiplies the
// slot with nvgpu.warpgroup.mma, one op per 64-row tile and 16-wide k slice
// (within one op, upstream advances a K-major B by MN-major strides and A
// by K-wide rows), each op a commit group of its own. The ops of one slot
// stay in flight while the next slot's are issued: each waits until at
// most one slot's worth of groups is pending, so the previous slot's reads
// are done and the consumer releases that slot. Descriptors come from
// upstream's nvgpu.warpgroup.generate.descriptor and the accumulators reach
// shared memory through nvgpu.warpgroup.mma.store, so the descriptor, swizzle
// and fragment encodings are upstream's. The common epilogue adds the f32 tile
// into init.
//
//===----------------------------------------------------------------------===//

#include "Epilogue.h"
#include "Hopper/MbarrierRing.h"
#include "Hopper/WgmmaPlan.h"
#include "KernelBuilderBase.h"
#include "KernelTables.h"

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

class WgmmaKernelBuilder : public KernelBuilderBase {
public:
  WgmmaKernelBuilder(const WgmmaPlan &plan, gpu::GPUFuncOp func,
                     const KernelSignature &signature,
                     ArrayRef<TensorMapArg> tensorMaps,
                     const KernelSymbols &names)
      : KernelBuilderBase(func.getLoc(), func.getContext()), plan(plan),
        func(func), signature(signature), tensorMaps(tensorMaps), names(names) {
  }

  void build();

private:
  Value eq(Value x, Value y) {
    return arith::CmpIOp::create(b, arith::CmpIPredicate::eq, x, y);
  }
  MemRefType sharedType(ArrayRef<int64_t> shape, Type elt) {
    return MemRefType::get(shape, elt, MemRefLayoutAttrInterface(),
                           gpu::AddressSpaceAttr::get(
                               b.getContext(), gpu::AddressSpace::Workgroup));
  }
  /// A `shape` view of the dynamic shared memory at byte `offset` (the
  /// 1024-aligned base plus a static offset).
  Value sharedView(ArrayRef<int64_t> shape, Type elt, Value offset) {
    return memref::ViewOp::create(b, sharedType(shape, elt), shared, offset,
                                  ValueRange{});
  }
  void loadTileInfo();
  void produce();
  SmallVector<Value> consume();
  void storeAccumulators(ValueRange accs);
  void buildEpilogue();

  Type accumulatorType();

  const WgmmaPlan &plan;
  gpu::GPUFuncOp func;
  const KernelSignature &signature;
  ArrayRef<TensorMapArg> tensorMaps;
  const KernelSymbols &names;
  Value xMap, wMap, init;
  Value tid, tileId, m0, n0, numTokens, numRows, validCols, colBegin, numKTiles;
  Value shared, sharedBase; ///< dynamic shared memory; its 1024-aligned base
  Value colsTable, startsTable;
  std::optional<MbarrierRing> ring;
};

} // namespace

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
  int64_t totalCols = 0;
  for (const KernelTile &t : plan.tiles)
    totalCols += t.cols.size();
  colsTable = memref::GetGlobalOp::create(
      b, MemRefType::get({totalCols}, b.getI32Type()), names.cols);
  startsTable = memref::GetGlobalOp::create(
      b,
      MemRefType::get({static_cast<int64_t>(plan.tiles.size()),
                       plan.rowsPerTile},
                      b.getI32Type()),
      names.blocks);
  numKTiles = plan.stepsPerBlock == 1
                  ? info.numCols
                  : mul(info.numCols, cst(plan.stepsPerBlock));
}

/// One thread of the producer warpgroup issues every load.
void WgmmaKernelBuilder::produce() {
  auto xBox = sharedType({plan.tileM(), plan.tileK()}, plan.elementType);
  auto wBox = sharedType({plan.blockM(), plan.tileK()}, plan.elementType);
  ring->forEachSlotToFill(numKTiles, [&](Value slot, Value kTile) {
    Value block = kTile, kOffset = cst(0);
    if (plan.stepsPerBlock > 1) {
      block = div(kTile, plan.stepsPerBlock);
      kOffset = mul(rem(kTile, plan.stepsPerBlock), cst(plan.tileK()));
    }
    Value blockCol = loadIndex(colsTable, {add(colBegin, block)});
    Value xCol = add(mul(blockCol, cst(plan.blockK())), kOffset);
    // TMA coordinates run innermost dimension first.
    Value slotBase = add(sharedBase, mul(slot, cst(plan.stageBytes)));
    nvgpu::TmaAsyncLoadOp::create(
        b, sharedView(xBox.getShape(), plan.elementType, slotBase),
        ring->fullBarriers(), xMap, ValueRange{xCol, m0}, slot, Value(),
        Value());
    // Block rows past a partial tile load its first block row again: the
    // slot's byte count stays the same, and the epilogue never stores them.
    for (int64_t r = 0; r < plan.rowsPerTile; ++r) {
      Value first = loadIndex(startsTable, {tileId, cst(r)});
      Value row = mul(add(first, block), cst(plan.blockM()));
      Value dst =
          sharedView(wBox.getShape(), plan.elementType,
                     add(slotBase, cst(plan.aTileBytes() +
                                       r * plan.blockM() * plan.tileK() *
                                           plan.elementBytes)));
      nvgpu::TmaAsyncLoadOp::create(b, dst, ring->fullBarriers(), wMap,
                                    ValueRange{kOffset, row}, slot, Value(),
                                    Value());
    }
  });
}

/// The consumer warpgroup multiplies every slot of the ring into its
/// accumulators, one wgmma op per 64-row tile and 16-wide k slice, and
/// retires them all at the end.
SmallVector<Value> WgmmaKernelBuilder::consume() {
  Type accType = accumulatorType();
  SmallVector<Value> inits;
  for (int64_t i = 0; i < plan.mmaTilesM; ++i)
    inits.push_back(
        nvgpu::WarpgroupMmaInitAccumulatorOp::create(b, accType).getResult());
  auto aSlot = sharedType({plan.tileM(), plan.tileK()}, plan.elementType);
  auto bSlot = sharedType({plan.tileN(), plan.tileK()}, plan.elementType);
  constexpr int64_t kStep = 16, mStep = 64;
  auto descA = nvgpu::WarpgroupMatrixDescriptorType::get(
      b.getContext(), sharedType({mStep, kStep}, plan.elementType));
  auto descB = nvgpu::WarpgroupMatrixDescriptorType::get(
      b.getContext(), sharedType({kStep, plan.tileN()}, plan.elementType));
  int64_t steps = plan.tileK() / kStep;
  // Every op waits until the ops of one slot are pending at most, so when
  // a slot's last op is issued the previous slot's have completed.
  IntegerAttr inFlight = b.getI64IntegerAttr(plan.mmaTilesM * steps);
  SmallVector<Value> accs = ring->forEachFullSlot(
      numKTiles, inits, /*lag=*/1,
      [&](Value slot, Value kTile, ValueRange current) {
        SmallVector<Value> next(current);
        Value slotBase = add(sharedBase, mul(slot, cst(plan.stageBytes)));
        Value a = sharedView(aSlot.getShape(), plan.elementType, slotBase);
        Value bTile = sharedView(bSlot.getShape(), plan.elementType,
                                 add(slotBase, cst(plan.aTileBytes())));
        auto slice = [&](Value tile, int64_t row, int64_t rows, int64_t col) {
          return memref::SubViewOp::create(
              b, tile,
              ArrayRef<OpFoldResult>{b.getIndexAttr(row), b.getIndexAttr(col)},
              ArrayRef<OpFoldResult>{b.getIndexAttr(rows),
                                     b.getIndexAttr(kStep)},
              ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1)});
        };
        for (int64_t j = 0; j < steps; ++j) {
          Value db = nvgpu::WarpgroupGenerateDescriptorOp::create(
              b, descB, slice(bTile, 0, plan.tileN(), kStep * j), wMap);
          for (int64_t i = 0; i < plan.mmaTilesM; ++i) {
            Value da = nvgpu::WarpgroupGenerateDescriptorOp::create(
                b, descA, slice(a, mStep * i, mStep, kStep * j), xMap);
            next[i] = nvgpu::WarpgroupMmaOp::create(
                          b, accType, da, db, inFlight,
                          /*transposeA=*/UnitAttr(), /*transposeB=*/UnitAttr(),
                          next[i])
                          .getResult();
          }
        }
        return next;
      });
  NVVM::WgmmaWaitGroupSyncOp::create(b, 0);
  return accs;
}

/// The accumulators to the f32 tile in shared memory (which reuses the
/// ring), 64 rows each.
void WgmmaKernelBuilder::storeAccumulators(ValueRange accs) {
  for (auto [i, acc] : llvm::enumerate(accs)) {
    int64_t offset = i * 64 * plan.tileN() * 4;
    Value tile = sharedView({64, plan.tileN()}, b.getF32Type(),
                            add(sharedBase, cst(offset)));
    nvgpu::WarpgroupMmaStoreOp::create(b, acc, tile);
  }
}

/// Every thread adds pairs of the f32 tile into init: rows below M, the
/// columns of the tile's real block rows.
void WgmmaKernelBuilder::buildEpilogue() {
  Value tile =
      sharedView({plan.tileM(), plan.tileN()}, b.getF32Type(), sharedBase);
  int64_t pairsPerRow = plan.tileN() / 2;
  auto loop = scf::ForOp::create(b, tid, cst(plan.tileM() * pairsPerRow),
                                 cst(plan.numThreads));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value pair = loop.getInductionVar();
  Value rowInTile = div(pair, pairsPerRow);
  Value colInTile = mul(rem(pair, pairsPerRow), cst(2));
  Value row = add(m0, rowInTile);
  Value ok = ult(row, numTokens);
  if (!plan.allTilesFull)
    ok = arith::AndIOp::create(b, ok, ult(colInTile, validCols));
  auto ifOp = scf::IfOp::create(b, TypeRange{}, ok, false);
  b.setInsertionPointToStart(ifOp.thenBlock());
  auto load = vector::LoadOp::create(b, VectorType::get({2}, b.getF32Type()),
                                     tile, ValueRange{rowInTile, colInTile});
  emitAccumulate(b, init, {row, add(n0, colInTile)}, load, plan.zeroInit);
}

void WgmmaKernelBuilder::build() {
  auto arg = [&](KernelArg::Kind role) {
    return kernelArgument(func, signature, {role});
  };
  init = arg(KernelArg::Init);
  b.setInsertionPointToStart(&func.getBody().front());
  for (const TensorMapArg &map : tensorMaps) {
    Value value =
        UnrealizedConversionCastOp::create(b, map.type, arg(map.arg.kind))
            .getResult(0);
    (map.arg.kind == KernelArg::XMap ? xMap : wMap) = value;
  }
  tid = gpu::ThreadIdOp::create(b, gpu::Dimension::x);
  constants.setInsertionPoint(tid.getDefiningOp());
  tileId = gpu::BlockIdOp::create(b, gpu::Dimension::x);
  Value mTile = gpu::BlockIdOp::create(b, gpu::Dimension::y);
  m0 = mul(mTile, cst(plan.tileM()));
  numTokens = memref::DimOp::create(b, init, cst(0));
  loadTileInfo();

  // The dynamic shared memory, through a zero-sized workgroup global
  // aligned to the 128-byte swizzle's period (1024 bytes).
  Value global = memref::GetGlobalOp::create(b, sharedType({0}, b.getI8Type()),
                                             names.shared);
  shared = memref::ReinterpretCastOp::create(
      b, sharedType({plan.sharedBytes}, b.getI8Type()), global, 0,
      ArrayRef<int64_t>{plan.sharedBytes}, ArrayRef<int64_t>{1});
  sharedBase = cst(0);

  // The warpgroup index broadcast from lane 0: ptxas then knows the role
  // branch is warp-uniform; otherwise it serializes the wgmma in it
  // (C7520: "serialized due to ... WG.AR in divergent path").
  Type i32 = b.getI32Type();
  Value ownWarpgroup =
      arith::IndexCastOp::create(b, i32, div(tid, 128)).getResult();
  Value warpgroup = arith::IndexCastOp::create(
      b, b.getIndexType(),
      gpu::ShuffleOp::create(b, ownWarpgroup, /*offset=*/0, /*width=*/32,
                             gpu::ShuffleMode::IDX)
          .getShuffleResult());
  Value isProducer = eq(warpgroup, cst(plan.consumers));
  Value issuer = cst(128 * plan.consumers);
  ring.emplace(*this, plan.stages(), plan.stageBytes, plan.consumers * 128);
  ring->initialize(eq(tid, cst(0)));

  SmallVector<Type> accTypes(plan.mmaTilesM, accumulatorType());
  auto roles = scf::IfOp::create(b, accTypes, isProducer,
                                 /*withElseRegion=*/true);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(roles.thenBlock());
    auto issuing = scf::IfOp::create(b, TypeRange{}, eq(tid, issuer), false);
    b.setInsertionPointToStart(issuing.thenBlock());
    produce();
    b.setInsertionPointAfter(issuing);
    SmallVector<Value> unused;
    for (Type type : accTypes)
      unused.push_back(
          nvgpu::WarpgroupMmaInitAccumulatorOp::create(b, type).getResult());
    scf::YieldOp::create(b, unused);
    b.setInsertionPointToStart(roles.elseBlock());
    scf::YieldOp::create(b, consume());
  }
  // Every consumer is done with the ring before it holds accumulators.
  gpu::BarrierOp::create(b);
  auto store = scf::IfOp::create(
      b, TypeRange{},
      arith::XOrIOp::create(b, isProducer,
                            arith::ConstantIntOp::create(b, b.getI1Type(), 1)),
      false);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(store.thenBlock());
    storeAccumulators(roles.getResults());
  }
  gpu::BarrierOp::create(b);
  buildEpilogue();
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
  // The ring's dynamic shared memory, 1024-byte aligned. (A
  // gpu.dynamic_shared_memory base is demoted to a 16-byte-aligned static
  // variable by the NVPTX backend.)
  memref::GlobalOp::create(
      b, loc, names.shared, /*sym_visibility=*/StringAttr(),
      MemRefType::get(
          {0}, b.getI8Type(), MemRefLayoutAttrInterface(),
          gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup)),
      /*initial_value=*/Attribute(), /*constant=*/false,
      b.getI64IntegerAttr(1024));
  // Boxes of tile_k columns (128 bytes) by `rows`, swizzled as wgmma reads
  // them; out-of-bounds rows (X past M) arrive as zeros.
  auto mapType = [&](int64_t rows) {
    auto box = MemRefType::get(
        {rows, plan.tileK()}, plan.elementType, MemRefLayoutAttrInterface(),
        gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup));
    return nvgpu::TensorMapDescriptorType::get(
        ctx, box, nvgpu::TensorMapSwizzleKind::SWIZZLE_128B,
        nvgpu::TensorMapL2PromoKind::L2PROMO_NONE,
        nvgpu::TensorMapOOBKind::OOB_ZERO,
        nvgpu::TensorMapInterleaveKind::INTERLEAVE_NONE);
  };
  KernelLaunch launch;
  Type xMap = mapType(plan.tileM()), wMap = mapType(plan.blockM());
  // A tensor map reaches the kernel as the address of its 128 bytes.
  auto ptr = LLVM::LLVMPointerType::get(ctx);
  launch.signature.add({KernelArg::XMap}, ptr);
  launch.signature.add({KernelArg::WeightMap}, ptr);
  launch.signature.add({KernelArg::Init}, plan.initType);
  // The blocks are one (blocks * bm) x bk matrix to TMA.
  launch.tensorMaps = {
      {{KernelArg::XMap}, {KernelArg::X}, xMap, false},
      {{KernelArg::WeightMap}, {KernelArg::Weight}, wMap, true}};
  launch.kernel =
      createKernelFunc(module, name, launch.signature, plan.numThreads, loc);
  launch.gridX.count = plan.tiles.size();
  launch.gridY.perTokens = plan.tileM();
  launch.threads = plan.numThreads;
  launch.dynamicSharedBytes = plan.sharedBytes;
  WgmmaKernelBuilder(plan, launch.kernel, launch.signature, launch.tensorMaps,
                     names)
      .build();
  return launch;
}
