//===- KernelPlan.cpp - Static geometry of block-sparse GPU kernels -------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "KernelPlan.h"

#include "pixelfly/Dialect/Pixelfly/Utils/GpuTiling.h"
#include "pixelfly/Dialect/Pixelfly/Utils/ShapeBounds.h"

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

LogicalResult mlir::pixelfly::checkSharedMemory(const GpuTarget &target,
                                               int64_t bytes, bool &dynamic,
                                               std::string &why) {
  int64_t limit = target.sharedMemoryBytes;
  if (bytes > limit) {
    why = str(bytes) + " bytes of shared memory (" + target.chip.str() +
          " has " + str(limit) + ")";
    return failure();
  }
  dynamic = bytes > kStaticSharedLimit;
  return success();
}

LogicalResult mlir::pixelfly::checkOperandSize(StringRef name,
                                               ShapedType type,
                                               std::string &why) {
  if (staticElementsWithin(type.getShape(), kMaxOperandElements))
    return success();
  llvm::raw_string_ostream(why)
      << name << " of type " << type << " is too large (more than "
      << kMaxOperandElements << " elements)";
  return failure();
}

LogicalResult mlir::pixelfly::checkInitElementType(Type type,
                                                  std::string &why) {
  if (type.isF32() || type.isF16() || type.isBF16())
    return success();
  llvm::raw_string_ostream(why)
      << "init element type " << type << " (f32, f16 or bf16)";
  return failure();
}

bool mlir::pixelfly::isPlainDeviceMemRef(MemRefType type) {
  if (!type.getLayout().isIdentity())
    return false;
  Attribute space = type.getMemorySpace();
  if (!space)
    return true;
  auto gpuSpace = dyn_cast<gpu::AddressSpaceAttr>(space);
  return gpuSpace && gpuSpace.getValue() == gpu::AddressSpace::Global;
}

/// Checks what the operand types must be, filling the types of `plan`.
static LogicalResult checkOperands(Value xValue, Value blocksValue,
                                   Value initValue, KernelPlan &plan,
                                   std::string &why) {
  auto x = dyn_cast<MemRefType>(xValue.getType());
  auto init = dyn_cast<MemRefType>(initValue.getType());
  // Without a block part (low_rank_matmul) x stands in for the blocks.
  auto blocks = blocksValue ? dyn_cast<MemRefType>(blocksValue.getType()) : x;
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
  if (failed(checkOperandSize("x", x, why)) ||
      failed(checkOperandSize("the second operand", blocks, why)) ||
      failed(checkOperandSize("init", init, why)))
    return failure();
  Type elt = x.getElementType();
  if (!elt.isF16() && !elt.isBF16() && !elt.isF32()) {
    llvm::raw_string_ostream(why)
        << "element type " << elt << " (the kernel takes f16, bf16 or f32)";
    return failure();
  }
  plan.elementBytes = elt.getIntOrFloatBitWidth() / 8;
  plan.copyElements = 16 / plan.elementBytes;
  if (blocks.getElementType() != elt) {
    why = "x and blocks must have the same element type";
    return failure();
  }
  if (failed(checkInitElementType(init.getElementType(), why)))
    return failure();
  // The weight gradient's second operand is X (M x K) and its init the
  // blocks.
  bool staticBlocks = plan.weightGrad
                          ? init.hasStaticShape() && !blocks.isDynamicDim(1)
                          : blocks.hasStaticShape();
  if ((blocksValue && !staticBlocks) || x.isDynamicDim(1) ||
      init.isDynamicDim(1)) {
    why = "K, N and the blocks must have static shapes";
    return failure();
  }
  plan.xType = x;
  if (blocksValue)
    plan.blocksType = blocks;
  plan.initType = init;
  plan.elementType = elt;
  return success();
}

/// Checks the low-rank operands (u: N x r, v: K x r, both of the operand
/// type) and records the panel of `plan`, without gamma.
static LogicalResult checkPanel(Value uValue, Value vValue, KernelPlan &plan,
                                std::string &why) {
  auto u = dyn_cast<MemRefType>(uValue.getType());
  auto v = dyn_cast<MemRefType>(vValue.getType());
  if (!u || !v || !isPlainDeviceMemRef(u) || !isPlainDeviceMemRef(v) ||
      !u.hasStaticShape() || !v.hasStaticShape()) {
    why = "u and v must be static identity-layout device memrefs";
    return failure();
  }
  if (failed(checkOperandSize("u", u, why)) ||
      failed(checkOperandSize("v", v, why)))
    return failure();
  if (u.getElementType() != plan.elementType ||
      v.getElementType() != plan.elementType) {
    why = "u and v must have the element type of x";
    return failure();
  }
  LowRankPanel panel;
  panel.uType = u;
  panel.vType = v;
  panel.rank = u.getDimSize(1);
  if (panel.rank == 0 || panel.rank % plan.copyElements != 0) {
    why = "rank " + str(panel.rank) + " (a positive multiple of " +
          str(plan.copyElements) + " is needed: whole 16-byte chunks)";
    return failure();
  }
  panel.kTiles = llvm::divideCeil(panel.rank, plan.tileK());
  panel.tType =
      MemRefType::get({plan.xType.getDimSize(0), panel.rank}, plan.elementType);
  plan.panel = panel;
  return success();
}

/// Records how pixelfly.linear's gamma is given.
static LogicalResult checkGamma(LinearOp op, LowRankPanel &panel,
                                std::string &why) {
  if (op.hasConstantGamma()) {
    panel.gammaKind = GammaKind::Constant;
    panel.gammaConst = op.getGammaConst()->convertToDouble();
  } else if (!op.getGamma()) {
    why = "no gamma";
    return failure();
  } else if (op.hasPerRowGamma()) {
    auto g = dyn_cast<MemRefType>(op.getGamma().getType());
    if (!g || !isPlainDeviceMemRef(g) || !g.getElementType().isF32()) {
      why = "per-row gamma must be an identity-layout memref of f32";
      return failure();
    }
    panel.gammaKind = GammaKind::PerRow;
    panel.gammaType = g;
  } else {
    if (!op.getGamma().getType().isF32()) {
      why = "scalar gamma must be f32";
      return failure();
    }
    panel.gammaKind = GammaKind::Scalar;
    panel.gammaType = op.getGamma().getType();
  }
  return success();
}

/// Checks the configuration against what the kernel supports, filling the
/// derived geometry of `plan`.
static LogicalResult checkConfig(KernelPlan &plan, std::string &why) {
  GpuConfigAttr c = plan.config;
  std::optional<GpuTarget> target =
      mmaSyncTarget(c.getChip(), "mma.sync m16n8k16", why);
  if (!target)
    return failure();
  int64_t bm = plan.blockM(), bk = plan.blockK();
  if (c.getTileN() % bm != 0) {
    why = "tile_n " + str(c.getTileN()) + " is not a multiple of the " +
          str(bm) + "-row blocks";
    return failure();
  }
  int64_t tk = c.getTileK();
  if (plan.weightGrad) {
    // The tile is the block; the reduction runs over the tokens.
    bk = tk;
    if (c.getTileM() != plan.layout.getBlockRows() ||
        c.getTileN() != plan.layout.getBlockCols()) {
      why = "tile_m x tile_n " + str(c.getTileM()) + " x " + str(c.getTileN()) +
            " (the weight gradient's tile is one " +
            str(plan.layout.getBlockRows()) + " x " +
            str(plan.layout.getBlockCols()) + " block)";
      return failure();
    }
  }
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
  if ((plan.transposedB || plan.weightGrad) &&
      !storedRowsFit(c.getTileN(), "tile_n"))
    return failure();
  if (plan.weightGrad && !storedRowsFit(c.getTileM(), "tile_m"))
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

/// Fails (with the reason in `why`) when a kernel would have more than
/// kMaxKernelTiles tiles; checked before any tile is built.
static LogicalResult checkTileCount(int64_t tiles, std::string &why) {
  if (tiles <= kMaxKernelTiles)
    return success();
  why = str(tiles) + " tiles (a kernel takes at most " + str(kMaxKernelTiles) +
        ")";
  return failure();
}

/// Cuts runs of block rows (or, for the input gradient, of block columns)
/// into tiles of at most `rowsPerTile`. With a low-rank panel, runs without
/// columns still get tiles.
static LogicalResult planRunTiles(KernelPlan &plan,
                                  ArrayRef<BlockRowGroup> groups,
                                  std::string &why) {
  int64_t count = 0;
  for (const BlockRowGroup &group : groups)
    if (!group.cols.empty() || plan.panel)
      count += llvm::divideCeil(group.numRows, plan.rowsPerTile);
  if (failed(checkTileCount(count, why)))
    return failure();
  for (const BlockRowGroup &group : groups) {
    if (group.cols.empty() && !plan.panel)
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
  return success();
}

/// Weight gradient: one tile per stored block, (block row, {block column}).
static LogicalResult planBlockTiles(KernelPlan &plan, std::string &why) {
  ArrayRef<int64_t> rowPtr = plan.layout.getRowPtr();
  ArrayRef<int64_t> colIdx = plan.layout.getColIdx();
  if (failed(checkTileCount(colIdx.size(), why)))
    return failure();
  for (int64_t r = 0; r + 1 < static_cast<int64_t>(rowPtr.size()); ++r)
    for (int64_t p = rowPtr[r]; p < rowPtr[r + 1]; ++p)
      plan.tiles.push_back(KernelTile{r, 1, {colIdx[p]}});
  return success();
}

/// Fills the tiles of `plan`; without blocks every tile_n rows of the
/// output are one tile.
static LogicalResult planTiles(KernelPlan &plan, std::string &why) {
  plan.rowsPerTile = plan.tileN() / plan.blockM();
  if (plan.weightGrad)
    return planBlockTiles(plan, why);
  if (plan.transposedB)
    return planRunTiles(plan, groupBlockCols(plan.layout), why);
  if (plan.hasBlocks())
    return planRunTiles(plan, groupBlockRows(plan.layout), why);
  int64_t n = plan.initType.getDimSize(1);
  if (n % plan.tileN() != 0) {
    why = "N = " + str(n) + " is not a multiple of tile_n " + str(plan.tileN());
    return failure();
  }
  if (n / plan.tileN() > kMaxKernelTiles) {
    why = "N = " + str(n) + " in tiles of " + str(plan.tileN()) +
          " is more than " + str(kMaxKernelTiles) + " tiles";
    return failure();
  }
  for (int64_t r = 0; r < n / plan.tileN(); ++r)
    plan.tiles.push_back(KernelTile{r, 1, {}});
  return success();
}

FailureOr<KernelPlan> mlir::pixelfly::planKernel(Operation *op,
                                                 GpuConfigAttr config,
                                                 std::string &why) {
  KernelPlan plan;
  plan.config = config;
  if (auto matmul = dyn_cast<BlockSparseMatmulOp>(op)) {
    plan.layout = matmul.getLayout();
    if (failed(checkOperands(matmul.getX(), matmul.getBlocks(),
                             matmul.getInit(), plan, why)))
      return failure();
  } else if (auto linear = dyn_cast<LinearOp>(op)) {
    plan.layout = linear.getLayout();
    if (failed(checkOperands(linear.getX(), linear.getBlocks(),
                             linear.getInit(), plan, why)) ||
        failed(checkPanel(linear.getU(), linear.getV(), plan, why)) ||
        failed(checkGamma(linear, *plan.panel, why)))
      return failure();
  } else if (auto grad = dyn_cast<BlockSparseInputGradOp>(op)) {
    plan.layout = grad.getLayout();
    plan.transposedB = true;
    if (failed(checkOperands(grad.getDy(), grad.getBlocks(), grad.getInit(),
                             plan, why)))
      return failure();
  } else if (auto wgrad = dyn_cast<BlockSparseWeightGradOp>(op)) {
    plan.layout = wgrad.getLayout();
    plan.weightGrad = true;
    if (failed(checkOperands(wgrad.getDy(), wgrad.getX(), wgrad.getInit(), plan,
                             why)))
      return failure();
    if (plan.xType.getDimSize(1) != plan.layout.getNumRows() ||
        plan.blocksType.getDimSize(1) != plan.layout.getNumCols()) {
      why = "dy and x must have N and K columns";
      return failure();
    }
  } else if (auto lowRank = dyn_cast<LowRankMatmulOp>(op)) {
    if (failed(checkOperands(lowRank.getX(), Value(), lowRank.getInit(), plan,
                             why)) ||
        failed(checkPanel(lowRank.getU(), lowRank.getV(), plan, why)))
      return failure();
  } else {
    why = "no GPU kernel for '" + op->getName().getStringRef().str() + "' yet";
    return failure();
  }
  if (failed(checkConfig(plan, why)) || failed(planTiles(plan, why)))
    return failure();
  return plan;
}

FailureOr<KernelPlan> mlir::pixelfly::planPanelKernel(const KernelPlan &main,
                                                      std::string &why) {
  const LowRankPanel &panel = *main.panel;
  MLIRContext *ctx = main.xType.getContext();
  int64_t k = main.xType.getDimSize(1), rank = panel.rank;
  KernelPlan plan;
  plan.elementType = main.elementType;
  plan.elementBytes = main.elementBytes;
  plan.copyElements = main.copyElements;
  plan.transposedB = true;
  plan.zeroInit = true; // T is allocated for the call and written whole
  plan.xType = main.xType;
  plan.blocksType = MemRefType::get({1, k, rank}, main.elementType);
  plan.blocksArgType = panel.vType;
  plan.weightArg = {KernelArg::V};
  plan.initArg = {KernelArg::T};
  plan.initType = panel.tType;
  plan.layout = BlockLayoutAttr::get(ctx, k, rank, k, rank, {0, 1}, {0},
                                     FlatButterflyAttr());
  if (panel.gammaKind != GammaKind::None)
    plan.epilogueGamma = panel;
  // 64 tokens by the whole rank per thread block: warps of 16 tokens, one
  // more warp column per 64 of rank. The reduction over K is what costs;
  // the tile keeps X's rows streaming through a 3-stage ring.
  int64_t warpsN = rank % 64 == 0 ? std::min<int64_t>(rank / 64, 4) : 1;
  int64_t warpsM = warpsN > 2 ? 2 : 4;
  int64_t tileK = k % 64 == 0 ? 64 : 32;
  // Warp tiles are whole pairs of n8 mma tiles (checked here: the
  // configuration attribute itself must verify).
  if (rank % (16 * warpsN) != 0 || rank > GpuConfigAttr::kMaxTile) {
    why = "rank " + str(rank) + " (a multiple of 16, at most " +
          str(GpuConfigAttr::kMaxTile) + ", is needed)";
    return failure();
  }
  plan.config = GpuConfigAttr::get(ctx, main.config.getChip(), 16 * warpsM,
                                   rank, tileK, warpsM, warpsN, 3);
  if (k % tileK != 0) {
    why = "K = " + str(k) + " is not a multiple of 32";
    return failure();
  }
  if (failed(checkConfig(plan, why)) || failed(planTiles(plan, why)))
    return failure();
  return plan;
}
