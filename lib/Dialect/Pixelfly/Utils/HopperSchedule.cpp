//===- HopperSchedule.cpp - What the Hopper kernel family runs ------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Utils/HopperSchedule.h"
#include "pixelfly/Dialect/Pixelfly/Utils/GpuTarget.h"

using namespace mlir;
using namespace mlir::pixelfly;

static std::string str(int64_t v) { return std::to_string(v); }

/// The family's operands are 16-bit floats.
static LogicalResult checkElementType(Type elt, std::string &why) {
  if (elt.isF16() || elt.isBF16())
    return success();
  llvm::raw_string_ostream(why)
      << "element type " << elt << " (the Hopper family takes f16 or bf16)";
  return failure();
}

LogicalResult mlir::pixelfly::checkHopperProduct(Operation *op,
                                                 std::string &why) {
  Value x;
  BlockLayoutAttr inputGradLayout, weightGradLayout;
  if (auto product = dyn_cast<BlockSparseMatmulOp>(op)) {
    x = product.getX();
  } else if (auto linear = dyn_cast<LinearOp>(op)) {
    x = linear.getX();
  } else if (auto grad = dyn_cast<BlockSparseInputGradOp>(op)) {
    x = grad.getDy();
    inputGradLayout = grad.getLayout();
  } else if (auto twoFour = dyn_cast<TwoFourMatmulOp>(op)) {
    x = twoFour.getX();
  } else if (auto wgrad = dyn_cast<BlockSparseWeightGradOp>(op)) {
    x = wgrad.getDy();
    weightGradLayout = wgrad.getLayout();
  } else if (auto lowRank = dyn_cast<LowRankMatmulOp>(op)) {
    x = lowRank.getX();
  }
  if (!x) {
    why = "the Hopper family has no kernel for this product";
    return failure();
  }
  if (failed(checkElementType(cast<ShapedType>(x.getType()).getElementType(),
                              why)))
    return failure();
  // dY W reads the blocks MN-major: a block's output columns are one
  // 128-byte swizzle row.
  if (inputGradLayout && inputGradLayout.getBlockCols() * 2 != 128 &&
      !isHopperColumnProduct(inputGradLayout)) {
    why = "blocks of " + str(inputGradLayout.getBlockRows()) + " x " +
          str(inputGradLayout.getBlockCols()) +
          " (the Hopper family's input gradient takes blocks 64 columns wide, "
          "or one dense block column)";
    return failure();
  }
  // dY^T X reads both operands MN-major, a block's rows (of dY) and
  // columns (of X) one 128-byte swizzle row each.
  if (weightGradLayout &&
      (weightGradLayout.getBlockRows() * 2 != 128 ||
       weightGradLayout.getBlockCols() * 2 != 128) &&
      !isHopperColumnProduct(weightGradLayout)) {
    why = "blocks of " + str(weightGradLayout.getBlockRows()) + " x " +
          str(weightGradLayout.getBlockCols()) +
          " (the Hopper family's weight gradient takes 64 x 64 blocks, or "
          "one dense block column)";
    return failure();
  }
  return success();
}

bool mlir::pixelfly::isHopperColumnProduct(BlockLayoutAttr layout) {
  if (layout.getNumBlockCols() != 1 || layout.getBlockCols() == 64 ||
      layout.getNumBlocks() != layout.getNumBlockRows())
    return false;
  // Every block row holds its block: block i is rows [i bm, (i + 1) bm).
  ArrayRef<int64_t> rowPtr = layout.getRowPtr();
  for (int64_t i = 0, e = layout.getNumBlockRows(); i <= e; ++i)
    if (rowPtr[i] != i)
      return false;
  return true;
}

BlockLayoutAttr
mlir::pixelfly::hopperColumnWeightGradLayout(BlockLayoutAttr layout) {
  int64_t n = layout.getNumRows(), w = layout.getBlockCols();
  if (n % 64 != 0)
    return {};
  SmallVector<int64_t> rowPtr, colIdx(n / 64, 0);
  for (int64_t i = 0; i <= n / 64; ++i)
    rowPtr.push_back(i);
  return BlockLayoutAttr::get(layout.getContext(), n, w, 64, w, rowPtr, colIdx,
                              FlatButterflyAttr());
}

LogicalResult mlir::pixelfly::checkHopperColumnWeightGrad(
    HopperConfigAttr c, Type elementType, BlockLayoutAttr layout,
    std::string &why) {
  int64_t n = layout.getNumRows(), w = layout.getBlockCols();
  if (failed(checkElementType(elementType, why)))
    return failure();
  if (n % 64 != 0) {
    why = "a column of " + str(n) +
          " rows (the Hopper weight gradient writes a column product in "
          "64-row blocks)";
    return failure();
  }
  if (w > 256 || w * elementType.getIntOrFloatBitWidth() % 128 != 0 ||
      c.getTileN() != hopperOneBlockTileN(w)) {
    why = "tile_n " + str(c.getTileN()) + " for a column " + str(w) +
          " wide (the Hopper weight gradient's tile of a column product is "
          "its width rounded up to 64, at most 256, of whole 16-byte rows)";
    return failure();
  }
  if (c.getTileM() != 64 * c.getConsumers() || c.getConsumers() > 2) {
    why = "tile_m " + str(c.getTileM()) + " over " + str(c.getConsumers()) +
          " consumer warpgroup(s) (a column product's tile is one 64-row "
          "block per consumer, at most two)";
    return failure();
  }
  // The boxes are 64 x 64 whatever the width, as for 64 x 64 blocks.
  return checkHopperSchedule(c, elementType, 64, 64, 1, why);
}

LogicalResult
mlir::pixelfly::checkHopperTmaStore(HopperConfigAttr c, Type outputElementType,
                                    bool weightGrad, int64_t blockM,
                                    bool partialTiles, std::string &why) {
  if (weightGrad) {
    why = "tma_store (the weight-gradient kernel adds into blocks)";
    return failure();
  }
  int64_t box = hopperStoreBoxColumns(outputElementType);
  if (c.getTileN() % box != 0 || (partialTiles && blockM % box != 0)) {
    why = "tma_store with tile_n " + str(c.getTileN()) + " and " + str(blockM) +
          "-column blocks (whole boxes of " + str(box) + " columns are needed)";
    return failure();
  }
  return success();
}

int64_t mlir::pixelfly::hopperAccumulatorSets(Operation *op) {
  return isa<LinearOp>(op) ? 2 : 1;
}

/// The chip has wgmma and the configuration no clusters.
static LogicalResult checkHopperTarget(HopperConfigAttr c, std::string &why) {
  std::optional<GpuTarget> target = lookupGpuTarget(c.getChip());
  if (!target || !target->hasWgmma()) {
    why = "chip " + c.getChip().str() +
          " (the Hopper family's wgmma needs sm_90a)";
    return failure();
  }
  if (c.getClusterM() != 1 || c.getClusterN() != 1) {
    why = "clusters of " + str(c.getClusterM()) + " x " + str(c.getClusterN()) +
          " (the Hopper family runs without clusters for now)";
    return failure();
  }
  return success();
}

/// A consumer's accumulators, `rows x cols` f32 per accumulator set over
/// its warpgroup's 128 threads, fit.
static LogicalResult checkAccumulators(HopperConfigAttr c, int64_t rows,
                                       int64_t cols, int64_t accumulatorSets,
                                       std::string &why) {
  if (rows * cols * accumulatorSets <= kHopperMaxAccumulatorsPerThread * 128)
    return success();
  why = "a " + str(c.getTileM()) + " x " + str(c.getTileN()) + " tile over " +
        str(c.getConsumers()) + " consumer warpgroup(s)" +
        (accumulatorSets > 1
             ? " with " + str(accumulatorSets) + " accumulator sets"
             : std::string()) +
        " (each holds at most " + str(kHopperMaxAccumulatorsPerThread * 128) +
        " accumulators)";
  return failure();
}

LogicalResult
mlir::pixelfly::checkHopperSchedule(HopperConfigAttr c, Type elementType,
                                    int64_t blockM, int64_t blockK,
                                    int64_t accumulatorSets, std::string &why) {
  if (failed(checkHopperTarget(c, why)) ||
      failed(checkAccumulators(c, c.getTileM() / c.getConsumers(), c.getTileN(),
                               accumulatorSets, why)))
    return failure();
  // One k-tile is one 128-byte swizzled row of each operand tile.
  int64_t bytes = elementType.getIntOrFloatBitWidth() / 8;
  if (c.getTileK() * bytes != 128 || blockK % c.getTileK() != 0) {
    why = "tile_k " + str(c.getTileK()) + " (128 bytes of the operand type " +
          "dividing the block's " + str(blockK) + " columns is needed)";
    return failure();
  }
  // A TMA box is at most 256 rows; blocks start on whole swizzle atoms.
  if (c.getTileM() > 256 || blockM > 256 || blockM % 8 != 0) {
    why = "tile_m " + str(c.getTileM()) + " and " + str(blockM) +
          "-row blocks (TMA boxes of at most 256 rows, blocks of whole "
          "8-row swizzle atoms)";
    return failure();
  }
  return success();
}

LogicalResult mlir::pixelfly::checkHopperOneBlockSchedule(HopperConfigAttr c,
                                                          Type elementType,
                                                          int64_t k,
                                                          int64_t width,
                                                          std::string &why) {
  if (failed(checkElementType(elementType, why)))
    return failure();
  if (width <= 0 || width > 256 || c.getTileN() != hopperOneBlockTileN(width)) {
    why = "tile_n " + str(c.getTileN()) + " for a weight " + str(width) +
          " columns wide (the Hopper one-block kernel's tile is the width "
          "rounded up to 64, at most 256)";
    return failure();
  }
  if (width * elementType.getIntOrFloatBitWidth() % 128 != 0) {
    why = "a weight " + str(width) +
          " columns wide (the Hopper one-block kernel's tensor map needs rows "
          "of whole 16-byte units)";
    return failure();
  }
  if (c.getPersistent() != 0) {
    why = "a persistent grid (the Hopper one-block kernel runs one thread "
          "block per tile_m tokens)";
    return failure();
  }
  if (c.getTmaStore()) {
    why = "tma_store (the Hopper one-block kernel stores from its registers)";
    return failure();
  }
  // The weight's boxes are 64 columns wide whatever its width: blockM is
  // the tile.
  return checkHopperSchedule(c, elementType, c.getTileN(), k, 1, why);
}

LogicalResult mlir::pixelfly::checkHopperTwoFourSchedule(HopperConfigAttr c,
                                                         Type elementType,
                                                         int64_t n, int64_t k,
                                                         std::string &why) {
  int64_t features = c.getTileN() / c.getConsumers();
  if (failed(checkHopperTarget(c, why)) ||
      failed(checkAccumulators(c, features, c.getTileM(), 1, why)))
    return failure();
  if (c.getTileN() % (64 * c.getConsumers()) != 0 || n % c.getTileN() != 0) {
    why = "tile_n " + str(c.getTileN()) + " over " + str(c.getConsumers()) +
          " consumer warpgroup(s) for N = " + str(n) +
          " (the 2:4 kernel's consumers take whole 64-row wgmma tiles of W, "
          "and tile_n must divide N)";
    return failure();
  }
  // tile_k / 2 compressed values are one 128-byte swizzled row.
  int64_t bytes = elementType.getIntOrFloatBitWidth() / 8;
  if (c.getTileK() * bytes != 256 || k % c.getTileK() != 0) {
    why = "tile_k " + str(c.getTileK()) + " (the 2:4 kernel's k-tile is one " +
          "128-byte row of compressed values, dividing K = " + str(k) + ")";
    return failure();
  }
  if (c.getTileM() > 256) {
    why = "tile_m " + str(c.getTileM()) +
          " (tokens are the 2:4 kernel's wgmma N, at most 256)";
    return failure();
  }
  return success();
}
