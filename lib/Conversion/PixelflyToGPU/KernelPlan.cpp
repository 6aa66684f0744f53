//===- KernelPlan.cpp - Static geometry of block-sparse GPU kernels -------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "KernelPlan.h"

#include "pixelfly/Dialect/Pixelfly/Utils/GpuTiling.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::pixelfly;

/// Static shared memory a kernel may declare without an opt-in.
static constexpr int64_t kStaticSharedLimit = 48 * 1024;

static std::string str(int64_t v) { return std::to_string(v); }

/// Operands are passed to the kernel as they are: plain row-major device
/// buffers (the address arithmetic assumes unit inner strides).
static bool isPlainDeviceMemRef(MemRefType type) {
  if (!type.getLayout().isIdentity())
    return false;
  Attribute space = type.getMemorySpace();
  if (!space)
    return true;
  auto gpuSpace = dyn_cast<gpu::AddressSpaceAttr>(space);
  return gpuSpace && gpuSpace.getValue() == gpu::AddressSpace::Global;
}

/// Checks what the operand types must be, filling the types of `plan`.
static LogicalResult checkOperands(BlockSparseMatmulOp op, KernelPlan &plan,
                                   std::string &why) {
  auto x = dyn_cast<MemRefType>(op.getX().getType());
  auto blocks = dyn_cast<MemRefType>(op.getBlocks().getType());
  auto init = dyn_cast<MemRefType>(op.getInit().getType());
  if (!x || !blocks || !init) {
    why = "tensor form (bufferize first)";
    return failure();
  }
  if (!isPlainDeviceMemRef(x) || !isPlainDeviceMemRef(blocks) ||
      !isPlainDeviceMemRef(init)) {
    why = "operands must be identity-layout memrefs in the default or "
          "global memory space";
    return failure();
  }
  Type elt = x.getElementType();
  if (!elt.isF16() && !elt.isBF16()) {
    llvm::raw_string_ostream(why)
        << "element type " << elt << " (the kernel takes f16 or bf16)";
    return failure();
  }
  if (blocks.getElementType() != elt) {
    why = "x and blocks must have the same element type";
    return failure();
  }
  Type initElt = init.getElementType();
  if (!initElt.isF32() && !initElt.isF16() && !initElt.isBF16()) {
    llvm::raw_string_ostream(why)
        << "init element type " << initElt << " (f32, f16 or bf16)";
    return failure();
  }
  if (!blocks.hasStaticShape() || x.isDynamicDim(1) || init.isDynamicDim(1)) {
    why = "K, N and the blocks must have static shapes";
    return failure();
  }
  plan.xType = x;
  plan.blocksType = blocks;
  plan.initType = init;
  plan.elementType = elt;
  return success();
}

/// Checks the configuration against what the kernel supports, filling the
/// derived geometry of `plan`.
static LogicalResult checkConfig(KernelPlan &plan, std::string &why) {
  GpuConfigAttr c = plan.config;
  unsigned sm = 0;
  if (!c.getChip().starts_with("sm_") ||
      c.getChip()
          .drop_front(3)
          .take_while(llvm::isDigit)
          .getAsInteger(10, sm) ||
      sm < 80) {
    why = "chip " + c.getChip().str() + " (mma.sync m16n8k16 needs sm_80+)";
    return failure();
  }
  int64_t bm = plan.blockM(), bk = plan.blockK();
  if (c.getTileN() % bm != 0) {
    why = "tile_n " + str(c.getTileN()) + " is not a multiple of the " +
          str(bm) + "-row blocks";
    return failure();
  }
  int64_t tk = c.getTileK();
  if (tk % 16 != 0 || bk % tk != 0 || !llvm::isPowerOf2_64(tk / 8)) {
    why = "tile_k " + str(tk) +
          " (a power-of-two multiple of 16 dividing the block's " + str(bk) +
          " columns is needed)";
    return failure();
  }
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
  plan.chunksPerRow = tk / 8;
  plan.stepsPerBlock = bk / tk;
  if ((c.getTileM() * plan.chunksPerRow) % plan.numThreads != 0 ||
      (c.getTileN() * plan.chunksPerRow) % plan.numThreads != 0) {
    why = "tiles of " + str(c.getTileM()) + " x " + str(tk) + " and " +
          str(c.getTileN()) + " x " + str(tk) +
          " do not split into 16-byte "
          "copies evenly over " +
          str(plan.numThreads) + " threads";
    return failure();
  }
  plan.sharedBytes = c.getStages() * (c.getTileM() + c.getTileN()) * tk * 2;
  std::optional<GpuTarget> target = lookupGpuTarget(c.getChip());
  int64_t limit = target ? target->sharedMemoryBytes : kStaticSharedLimit;
  if (plan.sharedBytes > limit) {
    why = str(plan.sharedBytes) + " bytes of shared memory (" +
          c.getChip().str() + " has " + str(limit) + ")";
    return failure();
  }
  plan.dynamicShared = plan.sharedBytes > kStaticSharedLimit;
  return success();
}

/// Cuts the runs of block rows into tiles of at most `rowsPerTile` rows.
static void planTiles(KernelPlan &plan) {
  plan.rowsPerTile = plan.tileN() / plan.blockM();
  for (const BlockRowGroup &group : groupBlockRows(plan.layout)) {
    if (group.cols.empty())
      continue;
    for (int64_t r = 0; r < group.numRows; r += plan.rowsPerTile) {
      KernelTile tile;
      tile.firstBlockRow = group.firstRow + r;
      tile.numRows = std::min(plan.rowsPerTile, group.numRows - r);
      tile.cols.assign(group.cols.begin(), group.cols.end());
      plan.allTilesFull &= tile.numRows == plan.rowsPerTile;
      plan.tiles.push_back(std::move(tile));
    }
  }
}

FailureOr<KernelPlan> mlir::pixelfly::planKernel(BlockSparseMatmulOp op,
                                                 GpuConfigAttr config,
                                                 std::string &why) {
  KernelPlan plan;
  plan.config = config;
  plan.layout = op.getLayout();
  if (failed(checkOperands(op, plan, why)) || failed(checkConfig(plan, why)))
    return failure();
  planTiles(plan);
  return plan;
}
