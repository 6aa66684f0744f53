//===- WgmmaPlan.cpp - Hopper-family schedule of products -----------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "Hopper/WgmmaPlan.h"

#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::pixelfly;

static std::string str(int64_t v) { return std::to_string(v); }

/// f32 accumulator registers per consumer thread, leaving the rest of
/// the 255 for addresses, descriptors and the epilogue.
static constexpr int64_t kMaxAccumulatorsPerThread = 128;

/// Checks what the family supports today, filling the geometry of `plan`.
static LogicalResult checkSchedule(WgmmaPlan &plan, std::string &why) {
  HopperConfigAttr c = plan.hopperConfig();
  std::optional<GpuTarget> target = lookupGpuTarget(c.getChip());
  if (!target || !target->hasWgmma()) {
    why = "chip " + c.getChip().str() +
          " (the Hopper family's wgmma needs sm_90a)";
    return failure();
  }
  if (plan.kind != ProductKind::Forward || plan.panel || !plan.hasBlocks()) {
    why = "the Hopper family has no kernel for this product yet (forward "
          "block-sparse products only)";
    return failure();
  }
  if (!plan.elementType.isF16() && !plan.elementType.isBF16()) {
    llvm::raw_string_ostream(why) << "element type " << plan.elementType
                                  << " (the Hopper family takes f16 or bf16)";
    return failure();
  }
  // nvgpu.warpgroup.mma.store places rows by the raw thread index, so its
  // warpgroup must be threads 0-127: one consumer for now. Its accumulators
  // (tile_m x tile_n f32 over 128 threads) stay within 128 registers.
  if (c.getConsumers() != 1) {
    why = str(c.getConsumers()) +
          " consumers (the Hopper family has one consumer warpgroup for now)";
    return failure();
  }
  if (c.getTileM() * c.getTileN() > kMaxAccumulatorsPerThread * 128) {
    why = "a " + str(c.getTileM()) + " x " + str(c.getTileN()) +
          " tile (one consumer warpgroup holds at most " +
          str(kMaxAccumulatorsPerThread * 128) + " accumulators)";
    return failure();
  }
  if (c.getClusterM() != 1 || c.getClusterN() != 1) {
    why = "clusters of " + str(c.getClusterM()) + " x " + str(c.getClusterN()) +
          " (the Hopper family runs without clusters for now)";
    return failure();
  }
  if (failed(checkTileShape(plan, why)))
    return failure();
  // One k-tile is one 128-byte swizzled row of each operand tile.
  if (c.getTileK() * plan.elementBytes != 128 ||
      plan.blockK() % c.getTileK() != 0) {
    why = "tile_k " + str(c.getTileK()) + " (128 bytes of the operand type " +
          "dividing the block's " + str(plan.blockK()) + " columns is needed)";
    return failure();
  }
  // A TMA box is at most 256 rows; blocks start on whole swizzle atoms.
  int64_t bm = plan.blockM();
  if (c.getTileM() > 256 || bm > 256 || bm % 8 != 0) {
    why = "tile_m " + str(c.getTileM()) + " and " + str(bm) +
          "-row blocks (TMA boxes of at most 256 rows, blocks of whole "
          "8-row swizzle atoms)";
    return failure();
  }
  plan.consumers = c.getConsumers();
  plan.numThreads = c.getNumThreads();
  plan.mmaTilesM = c.getTileM() / c.getConsumers() / 64;
  plan.stepsPerBlock = plan.blockK() / c.getTileK();
  plan.stageBytes = plan.aTileBytes() + plan.bTileBytes();
  int64_t ring = c.getStages() * plan.stageBytes;
  int64_t epilogue = c.getTileM() * c.getTileN() * 4;
  plan.sharedBytes = std::max(ring, epilogue);
  bool dynamic = false;
  return checkSharedMemory(*target, plan.sharedBytes, dynamic, why);
}

FailureOr<WgmmaPlan> mlir::pixelfly::planWgmmaKernel(Operation *op,
                                                     HopperConfigAttr config,
                                                     std::string &why) {
  WgmmaPlan plan;
  if (failed(describeProduct(op, config, plan, why)) ||
      failed(checkSchedule(plan, why)) || failed(planTiles(plan, why)))
    return failure();
  return plan;
}
