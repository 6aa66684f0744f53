//===- ProductPlan.cpp - Static geometry of block-sparse GPU kernels ------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "ProductPlan.h"

#include "pixelfly/Dialect/Pixelfly/IR/ElementTypes.h"
#include "pixelfly/Dialect/Pixelfly/Utils/GpuTiling.h"
#include "pixelfly/Dialect/Pixelfly/Utils/ShapeBounds.h"

#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::pixelfly;

static std::string str(int64_t v) { return std::to_string(v); }

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

LogicalResult mlir::pixelfly::checkOperandSize(StringRef name, ShapedType type,
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
  if (isProductElementType(type))
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
                                   Value initValue, ProductPlan &plan,
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
  if (!isProductElementType(elt)) {
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
  bool staticBlocks = plan.isWeightGrad()
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
static LogicalResult checkPanel(Value uValue, Value vValue, ProductPlan &plan,
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

/// Records the caller's X V, if `xvValue` is set: a plain device memref of
/// T's type (a dynamic M as X's).
static LogicalResult checkCallersXv(Value xvValue, LowRankPanel &panel,
                                    std::string &why) {
  if (!xvValue)
    return success();
  auto xv = dyn_cast<MemRefType>(xvValue.getType());
  if (!xv || !isPlainDeviceMemRef(xv) || xv != panel.tType) {
    llvm::raw_string_ostream os(why);
    os << "xv must be an identity-layout device memref of type " << panel.tType;
    return failure();
  }
  panel.xvType = xv;
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
    // A 16-bit gate (a bf16 model's learned gamma) reaches the kernels as
    // f32, extended at the launch.
    auto g = dyn_cast<FloatType>(op.getGamma().getType());
    if (!g || g.getWidth() > 32) {
      why = "scalar gamma must be f32, f16 or bf16";
      return failure();
    }
    panel.gammaKind = GammaKind::Scalar;
    panel.gammaType = Float32Type::get(op.getContext());
  }
  return success();
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
static LogicalResult planRunTiles(ProductPlan &plan,
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

/// Weight gradient: runs of block rows cut into tiles of rowsPerTile rows
/// and colsPerTile of their columns (one stored block each for 1 x 1).
LogicalResult mlir::pixelfly::planWeightGradTiles(ProductPlan &plan,
                                                  int64_t colsPerTile,
                                                  std::string &why) {
  plan.rowsPerTile = plan.tileM() / plan.layout.getBlockRows();
  plan.colsPerTile = colsPerTile;
  SmallVector<BlockRowGroup> groups = groupBlockRows(plan.layout);
  if (failed(checkTileCount(
          numWeightGradTiles(groups, plan.rowsPerTile, plan.colsPerTile), why)))
    return failure();
  for (WeightGradTile &t :
       weightGradTiles(groups, plan.rowsPerTile, plan.colsPerTile))
    plan.tiles.push_back(
        KernelTile{t.firstRow, t.numRows, std::move(t.cols), t.colOffset});
  return success();
}

LogicalResult mlir::pixelfly::planTiles(ProductPlan &plan, std::string &why) {
  plan.rowsPerTile = plan.tileN() / plan.blockM();
  if (plan.isWeightGrad())
    return planWeightGradTiles(plan, plan.tileN() / plan.layout.getBlockCols(),
                               why);
  if (plan.isInputGrad())
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

LogicalResult mlir::pixelfly::checkSplits(GpuKernelConfig config,
                                          bool weightGrad, std::string &why) {
  if (config.getSplits() == 1 || weightGrad)
    return success();
  why = "splits = " + str(config.getSplits()) +
        " (only a weight gradient splits its tokens)";
  return failure();
}

MemRefType ProductPlan::partialsType() const {
  return MemRefType::get(
      {splits * numBlocks(), layout.getBlockRows(), layout.getBlockCols()},
      Float32Type::get(xType.getContext()));
}

void ProductPlan::writePartials() {
  initArg = {KernelArg::Partials};
  initType = partialsType();
  zeroInit = true; // each range's partial is written whole
}

LogicalResult mlir::pixelfly::checkTileShape(const ProductPlan &plan,
                                             std::string &why) {
  GpuKernelConfig c = plan.config;
  int64_t bm = plan.blockM();
  if (c.getTileN() % bm != 0) {
    why = "tile_n " + str(c.getTileN()) + " is not a multiple of the " +
          str(bm) + "-row blocks";
    return failure();
  }
  // The weight gradient's tile is whole blocks; it reduces over the tokens.
  if (plan.isWeightGrad() && c.getTileM() % plan.layout.getBlockRows() != 0) {
    why = "tile_m " + str(c.getTileM()) + " is not a multiple of the " +
          str(plan.layout.getBlockRows()) + "-row blocks";
    return failure();
  }
  return success();
}

LogicalResult mlir::pixelfly::describeProduct(Operation *op,
                                              GpuKernelConfig config,
                                              ProductPlan &plan,
                                              std::string &why) {
  plan.config = config;
  plan.splits = config.getSplits();
  if (auto matmul = dyn_cast<BlockSparseMatmulOp>(op)) {
    plan.layout = matmul.getLayout();
    return checkOperands(matmul.getX(), matmul.getBlocks(), matmul.getInit(),
                         plan, why);
  }
  if (auto linear = dyn_cast<LinearOp>(op)) {
    plan.layout = linear.getLayout();
    return success(
        succeeded(checkOperands(linear.getX(), linear.getBlocks(),
                                linear.getInit(), plan, why)) &&
        succeeded(checkPanel(linear.getU(), linear.getV(), plan, why)) &&
        succeeded(checkCallersXv(linear.getXv(), *plan.panel, why)) &&
        succeeded(checkGamma(linear, *plan.panel, why)));
  }
  if (auto grad = dyn_cast<BlockSparseInputGradOp>(op)) {
    plan.layout = grad.getLayout();
    plan.kind = ProductKind::InputGrad;
    return checkOperands(grad.getDy(), grad.getBlocks(), grad.getInit(), plan,
                         why);
  }
  if (auto wgrad = dyn_cast<BlockSparseWeightGradOp>(op)) {
    plan.layout = wgrad.getLayout();
    plan.kind = ProductKind::WeightGrad;
    if (failed(checkOperands(wgrad.getDy(), wgrad.getX(), wgrad.getInit(), plan,
                             why)))
      return failure();
    if (plan.xType.getDimSize(1) != plan.layout.getNumRows() ||
        plan.blocksType.getDimSize(1) != plan.layout.getNumCols()) {
      why = "dy and x must have N and K columns";
      return failure();
    }
    return success();
  }
  if (auto lowRank = dyn_cast<LowRankMatmulOp>(op))
    return success(
        succeeded(checkOperands(lowRank.getX(), Value(), lowRank.getInit(),
                                plan, why)) &&
        succeeded(checkPanel(lowRank.getU(), lowRank.getV(), plan, why)));
  why = "no GPU kernel for '" + op->getName().getStringRef().str() + "' yet";
  return failure();
}

void mlir::pixelfly::viewAsOneBlock(ProductPlan &plan, int64_t k,
                                    int64_t width) {
  plan.layout = BlockLayoutAttr::get(plan.elementType.getContext(), k, width, k,
                                     width, {0, 1}, {0}, FlatButterflyAttr());
  plan.blocksType = MemRefType::get({1, k, width}, plan.elementType);
  plan.oneBlock = true;
}

ProductPlan mlir::pixelfly::describePanelProduct(const ProductPlan &main,
                                                 GpuKernelConfig config) {
  const LowRankPanel &panel = *main.panel;
  int64_t k = main.xType.getDimSize(1), rank = panel.rank;
  ProductPlan plan;
  plan.kind = ProductKind::InputGrad;
  plan.config = config;
  plan.elementType = main.elementType;
  plan.elementBytes = main.elementBytes;
  plan.copyElements = main.copyElements;
  plan.zeroInit = true; // T is allocated for the call and written whole
  plan.xType = main.xType;
  viewAsOneBlock(plan, k, rank);
  plan.blocksArgType = panel.vType;
  plan.weightArg = {KernelArg::V};
  plan.initArg = {KernelArg::T};
  plan.initType = panel.tType;
  if (panel.gammaKind != GammaKind::None)
    plan.epilogueGamma = panel;
  return plan;
}
