//===- TwoFourWgmmaKernel.cpp - Hopper-family 2:4 kernel ------------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Y = init + X W^T for W 2:4-sparse along K on sm_90a, with
// wgmma.mma_async.sp m64nNk32. The sparse operand of wgmma is A, so the
// kernel computes Y^T = W X^T as the Ampere family's mma.sp kernel does: A
// is 64 rows of W (16 compressed values per 32 columns), B is the tile's
// tokens of X (rows of X are a K-major B as stored) and the accumulators
// are written back transposed.
//
// The frame is the Hopper family's (WarpSpecialized.h): the producer
// thread fills a ring with TMA, per k-tile of 128 columns the tile_n x 64
// box of compressed values (one 128-byte row each) and the two tile_m x 64
// boxes of X (rows past M arrive as zeros), all 128-byte swizzled; each
// consumer warpgroup c owns weight rows [c tile_n / consumers, ...) in
// 64-row wgmma tiles. Per k32 step of a slot it loads each tile's metadata
// word (one 32-bit register per thread: warp w gives rows 16w .. 16w + 15
// in mma.sp m16n8k32's order, selector 0), then issues one sparse wgmma per
// tile: A's descriptor is the compressed 64 x 16 tile, laid out as a dense
// k16 A (32 bytes further per step), B's the 32 columns of X (64 bytes
// further per step, the second box after two). Descriptors come from
// upstream's nvgpu.warpgroup.generate.descriptor; MLIR 22 has no sparse
// wgmma op, so the instruction is inline PTX in the form upstream's
// lowering of the dense one takes (tied f32 accumulator registers, a
// predicate for scale-d). A slot's ops are one commit group, and the
// consumer then waits until only that group pends: the previous slot's
// reads are done and it is released. The epilogue stores each register
// to Y, or with tma_store writes it into boxes of 64 tokens staged for TMA
// stores (Hopper/TmaStore.h).
//
//===----------------------------------------------------------------------===//

#include "Hopper/TwoFourWgmmaKernel.h"
#include "Epilogue.h"
#include "Hopper/MbarrierRing.h"
#include "Hopper/TmaStore.h"
#include "Hopper/WarpSpecialized.h"

#include "pixelfly/Dialect/Pixelfly/Utils/GpuTarget.h"
#include "pixelfly/Dialect/Pixelfly/Utils/HopperSchedule.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::pixelfly;

FailureOr<TwoFourWgmmaPlan>
mlir::pixelfly::planTwoFourWgmma(TwoFourMatmulOp op, HopperConfigAttr config,
                                 std::string &why) {
  if (failed(checkHopperProduct(op, why)))
    return failure();
  FailureOr<TwoFourProduct> product =
      describeTwoFour(op, "wgmma.mma_async.sp m64nNk32", why);
  if (failed(product) ||
      failed(checkHopperTwoFourSchedule(config, product->elementType,
                                        product->n, product->k, why)))
    return failure();
  TwoFourWgmmaPlan plan;
  static_cast<TwoFourProduct &>(plan) = std::move(*product);
  plan.config = config;
  plan.consumers = config.getConsumers();
  plan.numThreads = config.getNumThreads();
  plan.mmaTilesF = plan.tileFeatures() / plan.consumers / 64;
  plan.stageBytes = plan.valuesBytes() + 2 * plan.xBoxBytes();
  plan.sharedBytes = plan.stages() * plan.stageBytes;
  if (config.getTmaStore())
    plan.stagingOffset =
        TmaStoreStaging::reserve(plan.sharedBytes, plan.consumers);
  if (plan.consumers > 1) {
    plan.producerRegisters = kHopperProducerRegisters;
    plan.consumerRegisters = hopperConsumerRegisters(plan.consumers);
  }
  bool dynamic = false;
  if (failed(checkSharedMemory(*lookupGpuTarget(config.getChip()),
                               plan.sharedBytes, dynamic, why)))
    return failure();
  return plan;
}

namespace {

class TwoFourWgmmaBuilder : public WarpSpecializedBuilder {
public:
  TwoFourWgmmaBuilder(const TwoFourWgmmaPlan &plan, gpu::GPUFuncOp func,
                      const KernelLaunch &launch, const KernelSymbols &names)
      : WarpSpecializedBuilder(func.getLoc(), func.getContext()), plan(plan),
        func(func), launch(launch), names(names) {}

  void build();

private:
  /// Registers of one 64-row accumulator: 64 x tile_m f32 over 128 threads.
  int64_t registers() const { return plan.tileTokens() / 2; }
  Type accumulatorType();
  void forEachTile(function_ref<void(Value kFirst)> body);
  void produce(Value kFirst);
  SmallVector<Value> consume(Value warpgroup, Value kFirst);
  Value sparseMma(Value acc, Value descA, Value descB, Value metadata);
  void storeFragments(ValueRange accs, Value warpgroup);
  void stageFragments(ValueRange accs, Value warpgroup);

  const TwoFourWgmmaPlan &plan;
  gpu::GPUFuncOp func;
  const KernelLaunch &launch;
  const KernelSymbols &names;
  Value xMap, valuesMap, yMap, metadata, init;
  Value tid, lane, warp, numTokens, n0, m0;
  std::optional<MbarrierRing> ring;
  /// With tma_store, the consumer warpgroup's staging of Y.
  std::optional<TmaStoreStaging> staging;
};

/// Whether the kernel of `plan` stores Y through the TMA-store staging.
static bool stagesOutput(const TwoFourWgmmaPlan &plan) {
  return TmaStoreStaging::stagesOutput(plan.config.getTmaStore(), plan.fused);
}

} // namespace

Type TwoFourWgmmaBuilder::accumulatorType() {
  return LLVM::LLVMStructType::getLiteral(
      b.getContext(), SmallVector<Type>(registers(), b.getF32Type()));
}

/// Calls `body(kFirst)` for each output tile the thread block computes
/// (forEachOutputTile over the tiles of features), with n0 and m0 set; its
/// k-tiles start at `kFirst` in the ring.
void TwoFourWgmmaBuilder::forEachTile(function_ref<void(Value kFirst)> body) {
  forEachOutputTile(plan.config.getPersistent(), plan.n / plan.tileFeatures(),
                    plan.tileTokens(), numTokens,
                    [&](Value tile, Value tileM0, Value kFirst) {
                      n0 = mul(tile, cst(plan.tileFeatures()));
                      m0 = tileM0;
                      body(kFirst);
                      return cst(plan.kTiles());
                    });
}

/// The producer thread: per k-tile, the compressed values of the tile's
/// weight rows and the two 64-column halves of X's k-tile.
void TwoFourWgmmaBuilder::produce(Value kFirst) {
  ring->forEachSlotToFill(
      kFirst, cst(plan.kTiles()), [&](Value slot, Value kTile) {
        Value slotBase = mul(slot, cst(plan.stageBytes));
        nvgpu::TmaAsyncLoadOp::create(
            b,
            sharedView({plan.tileFeatures(), 64}, plan.elementType, slotBase),
            ring->fullBarriers(), valuesMap,
            ValueRange{mul(kTile, cst(64)), n0}, slot, Value(), Value());
        for (int64_t h = 0; h < 2; ++h) {
          Value col = add(mul(kTile, cst(plan.tileK())), cst(64 * h));
          Value at =
              add(slotBase, cst(plan.valuesBytes() + h * plan.xBoxBytes()));
          nvgpu::TmaAsyncLoadOp::create(
              b, sharedView({plan.tileTokens(), 64}, plan.elementType, at),
              ring->fullBarriers(), xMap, ValueRange{col, m0}, slot, Value(),
              Value());
        }
      });
}

/// One wgmma.mma_async.sp m64nNk32 into `acc` (the f32 registers of a
/// 64-row tile), K-major A and B, selector 0, scale-d true.
Value TwoFourWgmmaBuilder::sparseMma(Value acc, Value descA, Value descB,
                                     Value meta) {
  int64_t regs = registers();
  SmallVector<Value> operands;
  for (int64_t r = 0; r < regs; ++r)
    operands.push_back(
        LLVM::ExtractValueOp::create(b, acc, ArrayRef<int64_t>{r}));
  Type i64 = b.getI64Type();
  for (Value desc : {descA, descB})
    operands.push_back(
        UnrealizedConversionCastOp::create(b, i64, desc).getResult(0));
  operands.push_back(meta);
  std::string type = plan.elementType.isBF16() ? "bf16" : "f16";
  std::string ptx = "{\n.reg .pred p;\nsetp.ne.b32 p, 1, 0;\n"
                    "wgmma.mma_async.sp.sync.aligned.m64n" +
                    std::to_string(plan.tileTokens()) + "k32.f32." + type +
                    "." + type + " {";
  std::string constraints;
  for (int64_t r = 0; r < regs; ++r) {
    ptx += (r ? ", $" : "$") + std::to_string(r);
    constraints += "=f,";
  }
  for (int64_t r = 0; r < regs; ++r)
    constraints += std::to_string(r) + ",";
  constraints += "l,l,r";
  ptx += "}, $" + std::to_string(2 * regs) + ", $" +
         std::to_string(2 * regs + 1) + ", $" + std::to_string(2 * regs + 2) +
         ", 0, p, 1, 1, 0, 0;\n}\n";
  return LLVM::InlineAsmOp::create(
             b, accumulatorType(), operands, ptx, constraints,
             /*has_side_effects=*/true, /*is_align_stack=*/false,
             LLVM::tailcallkind::TailCallKind::None,
             LLVM::AsmDialectAttr::get(b.getContext(),
                                       LLVM::AsmDialect::AD_ATT),
             /*operand_attrs=*/ArrayAttr())
      .getResult(0);
}

/// Consumer warpgroup `warpgroup`: its weight rows of every k-tile of the
/// tile whose k-tiles start at `kFirst` into zeroed accumulators.
SmallVector<Value> TwoFourWgmmaBuilder::consume(Value warpgroup, Value kFirst) {
  Value zero = LLVM::ZeroOp::create(b, accumulatorType());
  SmallVector<Value> inits(plan.mmaTilesF, zero);
  int64_t rows = plan.mmaTilesF * 64;
  Value rowBase = mul(warpgroup, cst(rows));
  auto descA = nvgpu::WarpgroupMatrixDescriptorType::get(
      b.getContext(), sharedType({64, 16}, plan.elementType));
  auto descB = nvgpu::WarpgroupMatrixDescriptorType::get(
      b.getContext(), sharedType({plan.tileTokens(), 32}, plan.elementType));
  int64_t steps = plan.tileK() / 32;
  return ring->forEachFullSlot(
      kFirst, add(kFirst, cst(plan.kTiles())), kFirst, inits,
      [&](Value slot, Value k, ValueRange current) {
        Value kTile = sub(k, kFirst);
        SmallVector<Value> next(current);
        Value slotBase = mul(slot, cst(plan.stageBytes));
        // The consumer's rows of the values, 128 bytes each.
        Value values = sharedView({rows, 64}, plan.elementType,
                                  add(slotBase, mul(rowBase, cst(128))));
        Value halves[2];
        for (int64_t h = 0; h < 2; ++h)
          halves[h] = sharedView(
              {plan.tileTokens(), 64}, plan.elementType,
              add(slotBase, cst(plan.valuesBytes() + h * plan.xBoxBytes())));
        // The metadata words first: their registers stay untouched while
        // the slot's wgmmas run.
        SmallVector<Value> meta;
        Value firstRow = add(add(n0, rowBase), mul(warp, cst(16)));
        for (int64_t j = 0; j < steps; ++j)
          for (int64_t i = 0; i < plan.mmaTilesF; ++i)
            meta.push_back(loadMmaMetadata(
                *this, plan, metadata, add(firstRow, cst(64 * i)),
                add(mul(kTile, cst(steps)), cst(j)), lane));
        NVVM::WgmmaFenceAlignedOp::create(b);
        for (int64_t j = 0; j < steps; ++j) {
          Value db = nvgpu::WarpgroupGenerateDescriptorOp::create(
              b, descB,
              slice(halves[j / 2], 0, plan.tileTokens(), 32 * (j % 2), 32),
              xMap);
          for (int64_t i = 0; i < plan.mmaTilesF; ++i) {
            Value da = nvgpu::WarpgroupGenerateDescriptorOp::create(
                b, descA, slice(values, 64 * i, 64, 16 * j, 16), valuesMap);
            next[i] = sparseMma(next[i], da, db, meta[j * plan.mmaTilesF + i]);
          }
        }
        // The slot's ops are one group; the previous slot's group is then
        // waited for, so that slot can be released.
        NVVM::WgmmaGroupSyncAlignedOp::create(b);
        NVVM::WgmmaWaitGroupSyncOp::create(b, 1);
        return next;
      });
}

/// Every consumer thread adds its registers into init, transposed: register
/// r of 64-row tile i is weight row (feature) 16 w + l / 4 + 8 ((r / 2) mod
/// 2) of the tile and token 8 (r / 4) + 2 (l mod 4) + r mod 2 (wgmma's
/// accumulator fragment, as in the block-sparse kernel). Tokens past M are
/// not stored.
void TwoFourWgmmaBuilder::storeFragments(ValueRange accs, Value warpgroup) {
  Value featureBase = add(add(n0, mul(warpgroup, cst(plan.mmaTilesF * 64))),
                          add(mul(warp, cst(16)), div(lane, 4)));
  Value tokenBase = add(m0, mul(rem(lane, 4), cst(2)));
  EpilogueTail tail(plan.fused, func, launch.signature);
  for (auto [i, acc] : llvm::enumerate(accs))
    for (int64_t r = 0; r < registers(); ++r) {
      Value feature = add(
          featureBase, cst(64 * static_cast<int64_t>(i) + 8 * ((r / 2) % 2)));
      Value token = add(tokenBase, cst(8 * (r / 4) + r % 2));
      // Registers are read outside the bounds check, uniformly.
      Value v = LLVM::ExtractValueOp::create(b, acc, ArrayRef<int64_t>{r});
      auto ifOp = emitOutputGuard(b, token, numTokens, feature, Value());
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(ifOp.thenBlock());
      emitAccumulate(b, init, {token, feature}, v, plan.zeroInit, &tail);
    }
}

/// storeFragments through the staging: per 64-row wgmma tile, boxes of 64
/// tokens by 128 bytes of features (one box for 16-bit Y; two for f32,
/// warps 0-1 writing the first and warps 2-3 the second). Registers hold
/// Y transposed, so neighbouring registers are neighbouring rows of a box:
/// one element per write. init is read where the product adds to it
/// (tokens past M read element (0, 0): TMA does not store them), and the
/// fused tail runs on the stored sums of tokens below M.
void TwoFourWgmmaBuilder::stageFragments(ValueRange accs, Value warpgroup) {
  int64_t columns = hopperStoreBoxColumns(plan.initType.getElementType());
  // tile_m is a multiple of 64 (the configuration's verifier).
  int64_t tokenBoxes = plan.tileTokens() / TmaStoreStaging::kBoxRows;
  int64_t featureBoxes = 64 / columns;
  // The thread's feature in a 64-row tile, and its first token.
  Value laneFeature = add(mul(warp, cst(16)), div(lane, 4));
  Value laneToken = mul(rem(lane, 4), cst(2));
  Value tileFeature0 = add(n0, mul(warpgroup, cst(plan.mmaTilesF * 64)));
  // Which of a 64-row tile's feature boxes the thread's warp writes.
  Value warpBox = featureBoxes > 1 ? div(warp, 2) : Value();
  EpilogueTail tail(plan.fused, func, launch.signature);
  // Box k goes through buffer k mod 2: with an odd number of boxes per
  // tile, a persistent block's next tile starts on the buffer its last
  // store may still read.
  if (plan.config.getPersistent() &&
      (plan.mmaTilesF * tokenBoxes * featureBoxes) % 2 == 1)
    staging->reclaim();
  for (auto [i, acc] : llvm::enumerate(accs)) {
    for (int64_t t = 0; t < tokenBoxes; ++t) {
      Value row0 = add(m0, cst(t * TmaStoreStaging::kBoxRows));
      // The box's registers, read outside any branch, uniformly.
      SmallVector<Value> regs;
      for (int64_t r = 32 * t; r < 32 * (t + 1); ++r)
        regs.push_back(
            LLVM::ExtractValueOp::create(b, acc, ArrayRef<int64_t>{r}));
      for (int64_t f = 0; f < featureBoxes; ++f) {
        int64_t box =
            (static_cast<int64_t>(i) * tokenBoxes + t) * featureBoxes + f;
        Value col0 =
            add(tileFeature0, cst(64 * static_cast<int64_t>(i) + f * columns));
        {
          // The warps whose features lie in the box (a uniform branch).
          OpBuilder::InsertionGuard guard(b);
          if (warpBox) {
            Value mine = arith::CmpIOp::create(b, arith::CmpIPredicate::eq,
                                               warpBox, cst(f));
            b.setInsertionPointToStart(
                scf::IfOp::create(b, TypeRange{}, mine, false).thenBlock());
          }
          for (auto [j, v] : llvm::enumerate(regs)) {
            int64_t r = 32 * t + static_cast<int64_t>(j);
            Value boxRow = add(laneToken, cst(8 * (r / 4) - 64 * t + r % 2));
            Value boxCol =
                add(laneFeature, cst(8 * ((r / 2) % 2) - f * columns));
            Value token = add(row0, boxRow);
            Value feature = add(col0, boxCol);
            Value inside;
            if (!plan.zeroInit || plan.fused)
              inside = ult(token, numTokens);
            staging->writeSum(box, boxRow, boxCol, v, init, token, feature,
                              inside, plan.zeroInit,
                              plan.fused ? &tail : nullptr);
          }
        }
        staging->store(box, row0, col0, ult(row0, numTokens));
      }
    }
  }
}

void TwoFourWgmmaBuilder::build() {
  b.setInsertionPointToStart(&func.getBody().front());
  for (const TensorMapArg &map : launch.tensorMaps) {
    Value value = tensorMap(func, launch.signature, map);
    if (map.arg.kind == KernelArg::XMap)
      xMap = value;
    else if (map.arg.kind == KernelArg::WeightMap)
      valuesMap = value;
    else if (map.arg.kind == KernelArg::InitMap)
      yMap = value;
  }
  init = kernelArgument(func, launch.signature, {KernelArg::Init});
  tid = gpu::ThreadIdOp::create(b, gpu::Dimension::x);
  constants.setInsertionPoint(tid.getDefiningOp());
  metadata =
      plan.mmaMetadata.empty()
          ? kernelArgument(func, launch.signature, {KernelArg::Metadata})
          : memref::GetGlobalOp::create(
                b, plan.metadataTableType(b.getContext()), names.metadata)
                .getResult();
  numTokens = memref::DimOp::create(b, init, cst(0));
  lane = rem(tid, 32);
  warp = rem(div(tid, 32), 4);
  setUpRingMemory(names.shared, plan.sharedBytes);
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
          staging.emplace(*this, shared, plan.stagingOffset, yMap,
                          plan.initType.getElementType(), warpgroup, tid);
        forEachTile([&](Value kFirst) {
          SmallVector<Value> accs = consume(warpgroup, kFirst);
          NVVM::WgmmaWaitGroupSyncOp::create(b, 0);
          // The tile's last slot, whose reads are done now.
          ring->release(add(kFirst, cst(plan.kTiles() - 1)));
          if (staging)
            stageFragments(accs, warpgroup);
          else
            storeFragments(accs, warpgroup);
        });
        if (staging)
          staging->finish();
      });
  gpu::ReturnOp::create(b);
}

KernelLaunch
mlir::pixelfly::buildTwoFourWgmmaKernel(gpu::GPUModuleOp module, StringRef name,
                                        const TwoFourWgmmaPlan &plan,
                                        Location loc) {
  MLIRContext *ctx = module.getContext();
  auto b = OpBuilder::atBlockEnd(module.getBody());
  KernelSymbols names(name);
  if (!plan.mmaMetadata.empty())
    buildMetadataTable(b, loc, plan, names.metadata);
  declareRingMemory(b, loc, names.shared);
  KernelLaunch launch;
  // A tensor map reaches the kernel as the address of its 128 bytes.
  auto ptr = LLVM::LLVMPointerType::get(ctx);
  launch.signature.add({KernelArg::XMap}, ptr);
  launch.signature.add({KernelArg::WeightMap}, ptr);
  launch.tensorMaps = {
      {{KernelArg::XMap},
       {KernelArg::X},
       swizzledBoxType(ctx, plan.tileTokens(), plan.elementType),
       false},
      {{KernelArg::WeightMap},
       {KernelArg::Weight},
       swizzledBoxType(ctx, plan.tileFeatures(), plan.elementType),
       false}};
  // Compile-time metadata lives in the kernel's table, in mma order.
  if (plan.mmaMetadata.empty())
    launch.signature.add({KernelArg::Metadata}, plan.metadataType);
  if (stagesOutput(plan))
    TmaStoreStaging::addTensorMap(launch, {KernelArg::Init},
                                  plan.initType.getElementType());
  launch.signature.add({KernelArg::Init}, plan.initType);
  addEpilogueArguments(launch.signature, plan.fused);
  launch.kernel =
      createKernelFunc(module, name, launch.signature, plan.numThreads, loc);
  markWarpSpecialized(launch.kernel, plan.producerRegisters);
  if (int64_t persistent = plan.config.getPersistent()) {
    launch.gridX.count = persistent;
  } else {
    launch.gridX.count = plan.n / plan.tileFeatures();
    launch.gridY.perTokens = plan.tileTokens();
  }
  launch.threads = plan.numThreads;
  launch.dynamicSharedBytes = plan.sharedBytes;
  TwoFourWgmmaBuilder(plan, launch.kernel, launch, names).build();
  return launch;
}
