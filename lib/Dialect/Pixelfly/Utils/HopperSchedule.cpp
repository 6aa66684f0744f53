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

LogicalResult mlir::pixelfly::checkHopperProduct(Operation *op,
                                                 std::string &why) {
  Value x;
  BlockLayoutAttr inputGradLayout;
  if (auto product = dyn_cast<BlockSparseMatmulOp>(op)) {
    x = product.getX();
  } else if (auto linear = dyn_cast<LinearOp>(op)) {
    x = linear.getX();
  } else if (auto grad = dyn_cast<BlockSparseInputGradOp>(op)) {
    x = grad.getDy();
    inputGradLayout = grad.getLayout();
  }
  if (!x) {
    why = "the Hopper family has no kernel for this product yet (forward "
          "block-sparse products, pixelfly.linear and input gradients only)";
    return failure();
  }
  Type elt = cast<ShapedType>(x.getType()).getElementType();
  if (!elt.isF16() && !elt.isBF16()) {
    llvm::raw_string_ostream(why)
        << "element type " << elt << " (the Hopper family takes f16 or bf16)";
    return failure();
  }
  // dY W reads the blocks MN-major: a block's output columns are one
  // 128-byte swizzle row.
  if (inputGradLayout && inputGradLayout.getBlockCols() * 2 != 128) {
    why = "blocks of " + str(inputGradLayout.getBlockRows()) + " x " +
          str(inputGradLayout.getBlockCols()) +
          " (the Hopper family's input gradient takes blocks 64 columns wide)";
    return failure();
  }
  return success();
}

int64_t mlir::pixelfly::hopperAccumulatorSets(Operation *op) {
  return isa<LinearOp>(op) ? 2 : 1;
}

LogicalResult
mlir::pixelfly::checkHopperSchedule(HopperConfigAttr c, Type elementType,
                                    int64_t blockM, int64_t blockK,
                                    int64_t accumulatorSets, std::string &why) {
  std::optional<GpuTarget> target = lookupGpuTarget(c.getChip());
  if (!target || !target->hasWgmma()) {
    why = "chip " + c.getChip().str() +
          " (the Hopper family's wgmma needs sm_90a)";
    return failure();
  }
  // Each consumer's accumulators: its tile_m / consumers rows by tile_n
  // f32 over the warpgroup's 128 threads, per accumulator set.
  int64_t rowsPerConsumer = c.getTileM() / c.getConsumers();
  if (rowsPerConsumer * c.getTileN() * accumulatorSets >
      kHopperMaxAccumulatorsPerThread * 128) {
    why = "a " + str(c.getTileM()) + " x " + str(c.getTileN()) + " tile over " +
          str(c.getConsumers()) + " consumer warpgroup(s)" +
          (accumulatorSets > 1
               ? " with " + str(accumulatorSets) + " accumulator sets"
               : std::string()) +
          " (each holds at most " + str(kHopperMaxAccumulatorsPerThread * 128) +
          " accumulators)";
    return failure();
  }
  if (c.getClusterM() != 1 || c.getClusterN() != 1) {
    why = "clusters of " + str(c.getClusterM()) + " x " + str(c.getClusterN()) +
          " (the Hopper family runs without clusters for now)";
    return failure();
  }
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
