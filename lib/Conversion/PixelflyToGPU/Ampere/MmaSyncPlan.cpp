//===- MmaSyncPlan.cpp - Ampere-family schedule of products ---------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "Ampere/MmaSyncPlan.h"

#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::pixelfly;

static std::string str(int64_t v) { return std::to_string(v); }

std::optional<GpuTarget> mlir::pixelfly::mmaSyncTarget(StringRef chip,
                                                       StringRef what,
                                                       std::string &why) {
  std::optional<GpuTarget> target = lookupGpuTarget(chip);
  if (target && target->hasMmaSync())
    return target;
  why = "chip " + chip.str() + " (" + what.str() + " needs one of " +
        knownGpuChips() + ")";
  return std::nullopt;
}

/// Checks the configuration against what the kernel supports, filling the
/// derived geometry of `plan`.
static LogicalResult checkSchedule(MmaSyncPlan &plan, std::string &why) {
  GpuConfigAttr c = plan.mmaConfig();
  std::optional<GpuTarget> target =
      mmaSyncTarget(c.getChip(), "mma.sync m16n8k16", why);
  if (!target || failed(checkTileShape(plan, why)))
    return failure();
  // The weight gradient's tile is the block.
  if (plan.isWeightGrad() && (c.getTileM() != plan.layout.getBlockRows() ||
                              c.getTileN() != plan.layout.getBlockCols())) {
    why = "tile_m x tile_n " + str(c.getTileM()) + " x " + str(c.getTileN()) +
          " (the weight gradient's tile is one " +
          str(plan.layout.getBlockRows()) + " x " +
          str(plan.layout.getBlockCols()) + " block)";
    return failure();
  }
  int64_t tk = c.getTileK();
  // The weight gradient's reduction runs over the tokens, tile_k at a time.
  int64_t bk = plan.isWeightGrad() ? tk : plan.blockK();
  int64_t step = plan.kPerStep();
  if (tk % step != 0 || bk % tk != 0 ||
      !llvm::isPowerOf2_64(tk / plan.copyElements)) {
    why = "tile_k " + str(tk) + " (a power-of-two multiple of " + str(step) +
          " dividing the block's " + str(bk) + " columns is needed)";
    return failure();
  }
  // Tiles staged as stored (rows of output columns) are swizzled over
  // their 16-byte chunks, which must be a power of two per row.
  auto storedRowsFit = [&](int64_t width, const char *what) {
    if (llvm::isPowerOf2_64(width / plan.copyElements))
      return true;
    why = std::string(what) + " " + str(width) +
          " (a power-of-two number of 16-byte chunks is needed: " +
          str(plan.copyElements) + " elements each)";
    return false;
  };
  if (plan.kind != ProductKind::Forward &&
      !storedRowsFit(c.getTileN(), "tile_n"))
    return failure();
  if (plan.isWeightGrad() && !storedRowsFit(c.getTileM(), "tile_m"))
    return failure();
  plan.numThreads = c.getNumThreads();
  plan.warpTileM = c.getTileM() / c.getWarpsM();
  plan.warpTileN = c.getTileN() / c.getWarpsN();
  if (plan.warpTileN % 16 != 0) {
    why = "warp tile width " + str(plan.warpTileN) +
          " (ldmatrix x4 loads B in pairs of n8 tiles: a multiple of 16)";
    return failure();
  }
  plan.mmaTilesM = plan.warpTileM / 16;
  plan.mmaTilesN = plan.warpTileN / 8;
  plan.chunksPerRow = tk / plan.copyElements;
  plan.stepsPerBlock = bk / tk;
  plan.sharedBytes =
      c.getStages() * (c.getTileM() + c.getTileN()) * tk * plan.elementBytes;
  return checkSharedMemory(*target, plan.sharedBytes, plan.dynamicShared, why);
}

FailureOr<MmaSyncPlan> mlir::pixelfly::planMmaSyncKernel(Operation *op,
                                                         GpuConfigAttr config,
                                                         std::string &why) {
  MmaSyncPlan plan;
  if (failed(describeProduct(op, config, plan, why)) ||
      failed(checkSchedule(plan, why)) || failed(planTiles(plan, why)))
    return failure();
  return plan;
}

FailureOr<MmaSyncPlan> mlir::pixelfly::planPanelKernel(const ProductPlan &main,
                                                       GpuConfigAttr config,
                                                       std::string &why) {
  MmaSyncPlan plan;
  static_cast<ProductPlan &>(plan) = describePanelProduct(main, config);
  if (failed(checkSchedule(plan, why)) || failed(planTiles(plan, why)))
    return failure();
  return plan;
}
