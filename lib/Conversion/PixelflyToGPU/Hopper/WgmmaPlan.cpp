//===- WgmmaPlan.cpp - Hopper-family schedule of products -----------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "Hopper/WgmmaPlan.h"
#include "Hopper/TmaStore.h"

#include "pixelfly/Dialect/Pixelfly/Utils/HopperSchedule.h"

using namespace mlir;
using namespace mlir::pixelfly;

/// Fills the warpgroup and ring geometry of `plan` from its configuration
/// and checks that the ring fits the shared memory.
static LogicalResult planGeometry(WgmmaPlan &plan, std::string &why) {
  HopperConfigAttr c = plan.hopperConfig();
  plan.consumers = c.getConsumers();
  plan.numThreads = c.getNumThreads();
  plan.mmaTilesM = c.getTileM() / c.getConsumers() / 64;
  plan.stepsPerBlock = plan.blockK() / c.getTileK();
  plan.stageBytes = plan.aTileBytes() + plan.bTileBytes();
  plan.sharedBytes = c.getStages() * plan.stageBytes;
  if (c.getTmaStore())
    plan.stagingOffset =
        TmaStoreStaging::reserve(plan.sharedBytes, plan.consumers);
  if (plan.consumers > 1) {
    // A producer thread needs few registers; the consumers take the rest.
    plan.producerRegisters = kHopperProducerRegisters;
    plan.consumerRegisters = hopperConsumerRegisters(plan.consumers);
  }
  bool dynamic = false;
  return checkSharedMemory(*lookupGpuTarget(c.getChip()), plan.sharedBytes,
                           dynamic, why);
}

/// Whether the output of `plan` can go through TMA stores (tma_store):
/// tiles of whole boxes, and block rows (columns) of whole boxes where a
/// partial tile stops among them. The operand checks made Y a plain 2-D
/// memref of f32, f16 or bf16 whose rows (whole 8-row blocks, or tiles of
/// a multiple of 8 columns) are whole 16-byte units, as a tensor map needs.
static LogicalResult checkTmaStore(const WgmmaPlan &plan, std::string &why) {
  return checkHopperTmaStore(
      plan.hopperConfig(), plan.initType.getElementType(), plan.isWeightGrad(),
      plan.blockM(), !plan.allTilesFull && plan.hasBlocks(), why);
}

/// The weight gradient's grid is its tiles (times token ranges).
static LogicalResult checkWeightGradGrid(const WgmmaPlan &plan,
                                         std::string &why) {
  if (plan.hopperConfig().getPersistent() == 0)
    return success();
  why = "a persistent grid (the weight gradient runs one thread block per "
        "tile of blocks)";
  return failure();
}

/// Checks what the family supports today, filling the geometry of `plan`.
static LogicalResult checkSchedule(Operation *op, WgmmaPlan &plan,
                                   std::string &why) {
  HopperConfigAttr c = plan.hopperConfig();
  if (failed(checkHopperProduct(op, why)) ||
      failed(checkHopperSchedule(c, plan.elementType, plan.blockM(),
                                 plan.blockK(), hopperAccumulatorSets(op),
                                 why)) ||
      failed(checkTileShape(plan, why)))
    return failure();
  if (plan.isWeightGrad() && failed(checkWeightGradGrid(plan, why)))
    return failure();
  return planGeometry(plan, why);
}

/// Plans the product of `plan`, whose weight is one `k x width` block
/// (viewAsOneBlock), as the panel's first kernel: one tile of tile_n
/// columns, the block's width the first of them (the rest are zeros in
/// shared memory, never stored).
static LogicalResult planOneBlock(WgmmaPlan &plan, std::string &why) {
  int64_t width = plan.layout.getBlockCols();
  if (failed(checkHopperOneBlockSchedule(plan.hopperConfig(), plan.elementType,
                                         plan.layout.getNumRows(), width,
                                         why)) ||
      failed(planGeometry(plan, why)))
    return failure();
  plan.tiles.push_back(KernelTile{0, 1, {0}, 0});
  plan.rowsPerTile = 1;
  plan.allTilesFull = width == plan.tileN();
  return success();
}

/// Plans the weight gradient of `plan`, a column product, through its
/// output viewed as 64-row blocks of the column's width: init (and the
/// split partials) take that shape, which the host gives init as a view
/// of the same bytes.
static LogicalResult planColumnWeightGrad(WgmmaPlan &plan, std::string &why) {
  if (failed(checkHopperColumnWeightGrad(plan.hopperConfig(), plan.elementType,
                                         plan.layout, why)) ||
      failed(checkWeightGradGrid(plan, why)))
    return failure();
  plan.columnWidth = plan.layout.getBlockCols();
  plan.layout = hopperColumnWeightGradLayout(plan.layout);
  plan.initType = MemRefType::get({plan.numBlocks(), 64, plan.columnWidth},
                                  plan.initType.getElementType());
  if (failed(planGeometry(plan, why)))
    return failure();
  return planWeightGradTiles(plan, /*colsPerTile=*/1, why);
}

FailureOr<WgmmaPlan> mlir::pixelfly::planWgmmaKernel(Operation *op,
                                                     HopperConfigAttr config,
                                                     std::string &why) {
  WgmmaPlan plan;
  if (failed(describeProduct(op, config, plan, why)))
    return failure();
  // A column product's blocks are one dense N x w matrix as stored.
  if (plan.isInputGrad() && isHopperColumnProduct(plan.layout)) {
    viewAsOneBlock(plan, plan.layout.getNumRows(), plan.layout.getBlockCols());
    if (failed(planOneBlock(plan, why)))
      return failure();
    return plan;
  }
  if (plan.isWeightGrad() && isHopperColumnProduct(plan.layout)) {
    if (failed(planColumnWeightGrad(plan, why)))
      return failure();
    return plan;
  }
  if (failed(checkSchedule(op, plan, why)) || failed(planTiles(plan, why)))
    return failure();
  if (config.getTmaStore() && failed(checkTmaStore(plan, why)))
    return failure();
  return plan;
}

FailureOr<WgmmaPlan> mlir::pixelfly::planWgmmaPanelKernel(
    const ProductPlan &main, HopperConfigAttr config, std::string &why) {
  WgmmaPlan plan;
  static_cast<ProductPlan &>(plan) = describePanelProduct(main, config);
  if (failed(planOneBlock(plan, why)))
    return failure();
  return plan;
}
