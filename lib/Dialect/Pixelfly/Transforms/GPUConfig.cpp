//===- GPUConfig.cpp - Choose the GPU tiling of pixelfly products ---------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// The decision half of GPU code generation: every product gets a
// #pixelfly.gpu_config that convert-pixelfly-to-gpu only reads. Keeping the
// choice in an attribute lets stacks and autotuners override it and keeps
// the lowering free of heuristics.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/IR/ElementTypes.h"
#include "pixelfly/Dialect/Pixelfly/IR/PixelflyOps.h"
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"
#include "pixelfly/Dialect/Pixelfly/Utils/GpuTarget.h"
#include "pixelfly/Dialect/Pixelfly/Utils/GpuTiling.h"
#include "pixelfly/Dialect/Pixelfly/Utils/HopperSchedule.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "llvm/Support/MathExtras.h"

namespace mlir::pixelfly {
#define GEN_PASS_DEF_PIXELFLYGPUCONFIG
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h.inc"
} // namespace mlir::pixelfly

using namespace mlir;
using namespace mlir::pixelfly;

/// Thread blocks of the Ampere family's kernels a multiprocessor is assumed
/// to hold at once (small rings, 128 threads or fewer).
static constexpr int64_t kAmpereBlocksPerMultiprocessor = 2;

namespace {
/// What the heuristics need from one product.
struct Problem {
  int64_t m;              ///< rows of the result tile space (dynamic ok)
  int64_t n;              ///< columns of the result
  int64_t tileN;          ///< chosen from the layout (0: from n)
  int64_t reductionStep;  ///< the tile_k must divide this (a block's K)
  Type elementType;
  bool twoFour = false;   ///< mma.sp: W compressed to half, k32 steps
  /// Weight gradient: its thread blocks (one per tile, a stored block for
  /// the Ampere family) and the tokens it reduces over (dynamic ok); 0
  /// blocks for other products.
  int64_t blocks = 0;
  int64_t tokens = 0;
};

/// Token ranges of a weight gradient (see Problem::blocks) whose thread
/// blocks fill less than half of what the multiprocessors hold at once
/// (`perMultiprocessor` thread blocks each): the fewest, a power of two up
/// to 16, that fill it, each range keeping at least four k-tiles of `tileK`
/// tokens of a static count. 1 otherwise: adding the partials costs a
/// launch and a pass over them.
static int64_t chooseSplits(const Problem &p, int64_t tileK,
                            const GpuTarget &target,
                            int64_t perMultiprocessor) {
  int64_t resident = perMultiprocessor * target.multiprocessors;
  if (p.blocks == 0 || 2 * p.blocks >= resident)
    return 1;
  int64_t splits = 1;
  while (
      splits < 16 && p.blocks * splits < resident &&
      (ShapedType::isDynamic(p.tokens) || p.tokens >= 2 * splits * 4 * tileK))
    splits *= 2;
  return splits;
}

/// Whether 128-row tiles of `tileN` columns leave multiprocessors idle
/// (then 64-row tiles): a product one tile wide whatever M (M / 128 thread
/// blocks, 64 at 8192 tokens: dY U of a low-rank term), or a static M with
/// fewer tiles than multiprocessors. Every row of X is still read once;
/// the weight tile, by twice as many thread blocks. Not for a weight
/// gradient, whose tile is one block.
static bool fewTiles(const Problem &p, int64_t tileN, const GpuTarget &target) {
  if (p.blocks > 0 || ShapedType::isDynamic(p.n))
    return false;
  int64_t columns = llvm::divideCeil(p.n, tileN);
  // rows x columns < multiprocessors, without a product that could wrap.
  return columns == 1 ||
         (!ShapedType::isDynamic(p.m) &&
          llvm::divideCeil(p.m, 128) <
              llvm::divideCeil(target.multiprocessors, columns));
}

/// Stages of a Hopper-family ring of `stageBytes` per slot (with
/// `tmaStore`, beside the staging of `consumers` warpgroups): up to 4,
/// fewer (at least 2) where they would not fit the shared memory.
static int64_t hopperStages(int64_t stageBytes, const GpuTarget &target,
                            int64_t consumers = 0, bool tmaStore = false) {
  int64_t stages = 4;
  while (stages > 2 && hopperSharedBytes(stages * stageBytes, consumers,
                                         tmaStore) > target.sharedMemoryBytes)
    --stages;
  return stages;
}

/// Rows of the Ampere family's tile: the fewest of 16, 32 and 64 that hold
/// a static M, else 128, or 64 where that leaves multiprocessors idle.
static int64_t chooseTileM(const Problem &p, int64_t tileN,
                           const GpuTarget &target) {
  if (!ShapedType::isDynamic(p.m))
    for (int64_t t : {16, 32, 64})
      if (p.m <= t)
        return t;
  return fewTiles(p, tileN, target) ? 64 : 128;
}

struct PixelflyGPUConfigPass
    : public pixelfly::impl::PixelflyGPUConfigBase<PixelflyGPUConfigPass> {
  using Base::Base;

  void runOnOperation() override {
    std::optional<GpuTarget> target = lookupGpuTarget(chip);
    if (!target) {
      getOperation()->emitError()
          << "pixelfly-gpu-config: unknown chip '" << chip
          << "' (expected " << knownGpuChips() << ")";
      return signalPassFailure();
    }
    if (maxTileN < 8 || maxTileN > GpuConfigAttr::kMaxTile) {
      getOperation()->emitError()
          << "pixelfly-gpu-config: max-tile-n must be in [8, "
          << GpuConfigAttr::kMaxTile << "], got "
          << static_cast<int64_t>(maxTileN);
      return signalPassFailure();
    }
    if (persistent < 0 || persistent > HopperConfigAttr::kMaxPersistent) {
      getOperation()->emitError()
          << "pixelfly-gpu-config: persistent must be in [0, "
          << HopperConfigAttr::kMaxPersistent << "] thread blocks, got "
          << static_cast<int64_t>(persistent);
      return signalPassFailure();
    }
    bool wgmmaWanted = false;
    getOperation()->walk([&](Operation *op) {
      if (op->getDialect() == nullptr ||
          !isa<PixelflyDialect>(op->getDialect()))
        return;
      // A configuration the op has is kept; a missing panel one is added,
      // for the chip of the op's own.
      if (Attribute existing = op->getAttr(kGpuConfigAttrName)) {
        auto config = dyn_cast<GpuKernelConfig>(existing);
        if (config && !op->hasAttr(kGpuPanelConfigAttrName))
          if (std::optional<GpuKernelConfig> panel =
                  choosePanel(op, config.getChip()))
            op->setAttr(kGpuPanelConfigAttrName, *panel);
        return;
      }
      // A column product is the Hopper one-block kernel's where it fits,
      // whatever the Ampere family's limits (which describe states).
      if (std::optional<HopperConfigAttr> column =
              chooseHopperColumn(op, *target)) {
        op->setAttr(kGpuConfigAttrName, *column);
        return;
      }
      std::string why;
      std::optional<Problem> problem = describe(op, why);
      if (!problem) {
        if (!why.empty())
          op->emitRemark() << "pixelfly-gpu-config: left without a GPU "
                              "configuration: "
                           << why;
        return;
      }
      std::string noHopper;
      bool hopperProduct = succeeded(checkHopperProduct(op, noHopper));
      wgmmaWanted |= hopperProduct && target->hasTma() && !target->hasWgmma();
      Attribute config;
      if (hopperProduct && target->hasWgmma())
        if (std::optional<HopperConfigAttr> hopper =
                chooseHopper(op, *problem, *target))
          config = *hopper;
      op->setAttr(kGpuConfigAttrName,
                  config ? config : choose(*problem, *target));
      // The low-rank panel's first kernel (T = (1 - g) X V): the Hopper
      // family's where the chip has wgmma and the panel fits it.
      if (std::optional<GpuKernelConfig> panel = choosePanel(op, target->chip))
        op->setAttr(kGpuPanelConfigAttrName, *panel);
    });
    // sm_90 is Hopper without the architecture-specific instructions.
    if (wgmmaWanted)
      getOperation()->emitRemark()
          << "pixelfly-gpu-config: chip " << chip
          << " has no wgmma (sm_90a has): the Ampere family's kernels";
  }

  /// The Hopper family's schedule of a product it has a kernel for: the
  /// tile_n of the Ampere choice (whole runs of block rows); 128 rows over
  /// two consumer warpgroups of 64 (for at most 64 tokens, or where 128-row
  /// tiles leave multiprocessors idle: 64 rows, one consumer), a k-tile of
  /// one 128-byte row, up to 4 stages that fit the shared memory. None
  /// where the family cannot run it (then the Ampere family's).
  std::optional<HopperConfigAttr> chooseHopper(Operation *op, const Problem &p,
                                               const GpuTarget &target) {
    if (p.twoFour)
      return chooseHopperTwoFour(p, target);
    if (auto wgrad = dyn_cast<BlockSparseWeightGradOp>(op))
      return chooseHopperWeightGrad(wgrad, p, target);
    int64_t tileN = p.tileN;
    // low_rank_matmul has no blocks: tiles of up to 128 output columns.
    if (isa<LowRankMatmulOp>(op))
      for (int64_t t : {128, 64, 32, 16, 8})
        if (p.n % t == 0) {
          tileN = t;
          break;
        }
    if (tileN < 8 || tileN > HopperConfigAttr::kMaxTileN || tileN % 8 != 0)
      return std::nullopt;
    bool fewTokens = !ShapedType::isDynamic(p.m) && p.m <= 64;
    int64_t consumers = fewTokens || fewTiles(p, tileN, target) ? 1 : 2;
    int64_t tileM = 64 * consumers;
    int64_t bytes = p.elementType.getIntOrFloatBitWidth() / 8;
    int64_t tileK = 128 / bytes;
    // A tile's rows are blocks' rows (forward) or columns (input gradient),
    // its reduction the other side.
    int64_t blockM, blockK;
    if (auto grad = dyn_cast<BlockSparseInputGradOp>(op)) {
      blockM = grad.getLayout().getBlockCols();
      blockK = grad.getLayout().getBlockRows();
    } else if (isa<LowRankMatmulOp>(op)) {
      // A tile is tile_n output rows; the panel's k-tiles are 64 wide.
      blockM = tileN;
      blockK = tileK;
    } else {
      BlockLayoutAttr layout = isa<LinearOp>(op)
                                   ? cast<LinearOp>(op).getLayout()
                                   : cast<BlockSparseMatmulOp>(op).getLayout();
      blockM = layout.getBlockRows();
      blockK = layout.getBlockCols();
    }
    int64_t stageBytes = (tileM + tileN) * tileK * bytes;
    auto get = [&](bool tmaStore) {
      return HopperConfigAttr::get(
          &getContext(), target.chip, tileM, tileN, tileK, consumers,
          hopperStages(stageBytes, target, consumers, tmaStore),
          /*cluster_m=*/1, /*cluster_n=*/1, persistent, /*splits=*/1, tmaStore);
    };
    HopperConfigAttr config = get(false);
    std::string why;
    if (failed(checkHopperSchedule(config, p.elementType, blockM, blockK,
                                   hopperAccumulatorSets(op), why)))
      return std::nullopt;
    // Only where the kernel takes it: tiles (and, where a tile of blocks may
    // be partial, blocks) of whole boxes of Y, and the staging fits.
    if (tmaStore) {
      HopperConfigAttr staged = get(true);
      Type y = getElementTypeOrSelf(
          cast<DestinationStyleOpInterface>(op).getDpsInits()[0].getType());
      if (succeeded(checkHopperTmaStore(staged, y, /*weightGrad=*/false, blockM,
                                        !isa<LowRankMatmulOp>(op), why)) &&
          fitsHopper(staged, stageBytes, target))
        config = staged;
    }
    return config;
  }

  /// The Hopper family's schedule of a column product (a product over one
  /// dense block column, isHopperColumnProduct): an input gradient's is the
  /// panel kernel's, whose T = X V it is in form; a weight gradient's,
  /// chooseHopperWeightGrad's. None on other chips and where the family
  /// cannot run it.
  std::optional<HopperConfigAttr> chooseHopperColumn(Operation *op,
                                                     const GpuTarget &target) {
    if (!target.hasWgmma())
      return std::nullopt;
    if (auto grad = dyn_cast<BlockSparseInputGradOp>(op)) {
      BlockLayoutAttr layout = grad.getLayout();
      if (!isHopperColumnProduct(layout))
        return std::nullopt;
      return chooseHopperPanel(getElementTypeOrSelf(grad.getDy().getType()),
                               layout.getNumRows(), layout.getBlockCols(),
                               target);
    }
    auto wgrad = dyn_cast<BlockSparseWeightGradOp>(op);
    if (!wgrad || !isHopperColumnProduct(wgrad.getLayout()))
      return std::nullopt;
    auto dy = cast<ShapedType>(wgrad.getDy().getType());
    Problem p{};
    p.elementType = dy.getElementType();
    p.tokens = dy.getDimSize(0);
    return chooseHopperWeightGrad(wgrad, p, target);
  }

  /// Whether `config`'s ring of `stageBytes` slots and its staging fit the
  /// shared memory.
  static bool fitsHopper(HopperConfigAttr config, int64_t stageBytes,
                         const GpuTarget &target) {
    return hopperSharedBytes(config.getStages() * stageBytes,
                             config.getConsumers(),
                             config.getTmaStore()) <= target.sharedMemoryBytes;
  }

  /// The Hopper family's schedule of a weight gradient (64 x 64 blocks): the
  /// largest tile of 2 x 4, 2 x 2, 1 x 4 or 1 x 2 blocks (block rows, each
  /// a consumer warpgroup, times block columns) whose partial tiles add at
  /// most an eighth to the blocks computed and that leaves at most half the
  /// multiprocessors without a tile, else one block; k-tiles of one
  /// 128-byte row of tokens, up to 4 stages that fit, the tokens split
  /// where the tiles are few. Wider tiles read each token row of dY and X
  /// once for more blocks and issue wgmma with N up to 256.
  std::optional<HopperConfigAttr>
  chooseHopperWeightGrad(BlockSparseWeightGradOp op, const Problem &p,
                         const GpuTarget &target) {
    BlockLayoutAttr layout = op.getLayout();
    // A column product's output is written as 64-row blocks of its width:
    // a tile is one or two of them, its X boxes the width rounded up.
    bool column = isHopperColumnProduct(layout);
    if (column && !(layout = hopperColumnWeightGradLayout(layout)))
      return std::nullopt;
    int64_t bytes = p.elementType.getIntOrFloatBitWidth() / 8;
    int64_t tileK = 128 / bytes;
    SmallVector<BlockRowGroup> groups = groupBlockRows(layout);
    int64_t stored = layout.getNumBlocks();
    int64_t rows = 1, cols = 1, tiles = stored;
    SmallVector<std::pair<int64_t, int64_t>> candidates = {
        {2, 4}, {2, 2}, {1, 4}, {1, 2}};
    if (column)
      candidates = {{2, 1}};
    for (auto [r, c] : candidates) {
      int64_t n = numWeightGradTiles(groups, r, c);
      int64_t computed = n * r * c;
      if (8 * (computed - stored) <= computed &&
          2 * n >= target.multiprocessors) {
        rows = r;
        cols = c;
        tiles = n;
        break;
      }
    }
    int64_t tileM = rows * layout.getBlockRows();
    int64_t tileN = column ? hopperOneBlockTileN(layout.getBlockCols())
                           : cols * layout.getBlockCols();
    int64_t stageBytes = (tileM + tileN) * tileK * bytes;
    int64_t stages = hopperStages(stageBytes, target);
    // Thread blocks a multiprocessor holds: as many rings as its shared
    // memory has room for and, with one consumer, register files of 256
    // threads of accumulators plus 64 (two consumers take every register
    // with setmaxnreg).
    int64_t perMultiprocessor =
        std::max<int64_t>(1, target.sharedMemoryBytes / (stages * stageBytes));
    perMultiprocessor =
        rows == 1 ? std::clamp<int64_t>(kHopperRegisterFile /
                                            (256 * (tileM * tileN / 128 + 64)),
                                        1, perMultiprocessor)
                  : 1;
    Problem grid = p;
    grid.blocks = tiles;
    auto config = HopperConfigAttr::get(
        &getContext(), target.chip, tileM, tileN, tileK,
        /*consumers=*/rows, stages, /*cluster_m=*/1, /*cluster_n=*/1,
        /*persistent=*/0, chooseSplits(grid, tileK, target, perMultiprocessor),
        /*tma_store=*/false);
    std::string why;
    if (column ? failed(checkHopperColumnWeightGrad(config, p.elementType,
                                                    op.getLayout(), why))
               : failed(checkHopperSchedule(config, p.elementType,
                                            layout.getBlockRows(),
                                            layout.getBlockCols(), 1, why)))
      return std::nullopt;
    return config;
  }

  /// The Hopper family's schedule of a 2:4 product, whose consumers split
  /// the weight rows (wgmma's M) and whose tokens are wgmma's N: 128 tokens
  /// over two consumers of 64 or 128 weight rows each (for at most 64
  /// tokens: 64 tokens, one consumer of up to 256 rows), the widest tile_n
  /// dividing N, a k-tile of one 128-byte row of compressed values, up to
  /// 4 stages that fit the shared memory.
  std::optional<HopperConfigAttr> chooseHopperTwoFour(const Problem &p,
                                                      const GpuTarget &target) {
    bool fewTokens = !ShapedType::isDynamic(p.m) && p.m <= 64;
    int64_t consumers = fewTokens ? 1 : 2;
    int64_t tileM = 64 * consumers;
    int64_t bytes = p.elementType.getIntOrFloatBitWidth() / 8;
    int64_t tileK = 256 / bytes;
    // With tma_store the output's boxes are whole (tile_m and a consumer's
    // rows are multiples of 64); without it where the staging fits no tile.
    for (bool staged : {bool(tmaStore), false}) {
      for (int64_t tileN : {256, 128, 64}) {
        // Per stage: tile_n rows of compressed values and two boxes of X,
        // 128 bytes each.
        int64_t stageBytes = (tileN + 2 * tileM) * 128;
        auto config = HopperConfigAttr::get(
            &getContext(), target.chip, tileM, tileN, tileK, consumers,
            hopperStages(stageBytes, target, consumers, staged),
            /*cluster_m=*/1, /*cluster_n=*/1, persistent, /*splits=*/1, staged);
        std::string why;
        if (fitsHopper(config, stageBytes, target) &&
            succeeded(checkHopperTwoFourSchedule(config, p.elementType, p.n,
                                                 p.reductionStep, why)))
          return config;
      }
      if (!staged)
        break;
    }
    return std::nullopt;
  }

  /// The product's tiling problem, or why it has none (empty: not a
  /// product at all).
  std::optional<Problem> describe(Operation *op, std::string &why) {
    auto shaped = [](Value v) { return cast<ShapedType>(v.getType()); };
    Problem p{};
    BlockLayoutAttr layout;
    Value input;
    if (auto fwd = dyn_cast<BlockSparseMatmulOp>(op)) {
      layout = fwd.getLayout();
      input = fwd.getX();
    } else if (auto linear = dyn_cast<LinearOp>(op)) {
      layout = linear.getLayout();
      input = linear.getX();
    } else if (auto grad = dyn_cast<BlockSparseInputGradOp>(op)) {
      layout = grad.getLayout();
      input = grad.getDy();
    } else if (auto wgrad = dyn_cast<BlockSparseWeightGradOp>(op)) {
      layout = wgrad.getLayout();
      input = wgrad.getX();
    } else if (auto lowRank = dyn_cast<LowRankMatmulOp>(op)) {
      input = lowRank.getX();
      p.m = shaped(input).getDimSize(0);
      p.n = shaped(lowRank.getU()).getDimSize(0);
      p.reductionStep = shaped(lowRank.getU()).getDimSize(1);
    } else if (auto twoFour = dyn_cast<TwoFourMatmulOp>(op)) {
      input = twoFour.getX();
      p.m = shaped(input).getDimSize(0);
      p.n = shaped(twoFour.getValues()).getDimSize(0);
      p.reductionStep = shaped(input).getDimSize(1);
      p.twoFour = true;
      Type elt = shaped(input).getElementType();
      if (!elt.isF16() && !elt.isBF16()) {
        llvm::raw_string_ostream(why)
            << "element type " << elt
            << " (the sparse tensor cores, mma.sp m16n8k32, take f16 or bf16)";
        return std::nullopt;
      }
      if (ShapedType::isDynamic(p.reductionStep) ||
          p.reductionStep % 32 != 0 || ShapedType::isDynamic(p.n) ||
          p.n % 16 != 0) {
        why = "N x K = " + std::to_string(p.n) + " x " +
              std::to_string(p.reductionStep) +
              " (mma.sp m16n8k32 needs N a multiple of 16 and K of 32)";
        return std::nullopt;
      }
    } else {
      return std::nullopt; // prune, densify: not products
    }
    p.elementType = shaped(input).getElementType();
    if (!isProductElementType(p.elementType)) {
      llvm::raw_string_ostream os(why);
      os << "element type " << p.elementType
         << " (tensor cores take f16, bf16 or f32 as TF32)";
      return std::nullopt;
    }
    if (layout) {
      int64_t bm = layout.getBlockRows(), bk = layout.getBlockCols();
      if (bm % 16 != 0 || bk % 16 != 0) {
        why = "blocks of " + std::to_string(bm) + " x " + std::to_string(bk) +
              " (a multiple of 16 both ways is needed)";
        return std::nullopt;
      }
      if (isa<BlockSparseWeightGradOp>(op)) {
        if (bm > GpuConfigAttr::kMaxTile || bk > GpuConfigAttr::kMaxTile) {
          why = "blocks of " + std::to_string(bm) + " x " +
                std::to_string(bk) + " (the weight gradient's tile is one "
                "block, at most " + std::to_string(GpuConfigAttr::kMaxTile) +
                " each way)";
          return std::nullopt;
        }
        // One block per thread block, reducing over the tokens.
        p.m = bm;
        p.tileN = bk;
        p.n = bk;
        p.reductionStep = 0;
        p.blocks = layout.getNumBlocks();
        p.tokens = shaped(input).getDimSize(0);
      } else if (isa<BlockSparseInputGradOp>(op)) {
        p.m = shaped(input).getDimSize(0);
        p.n = layout.getNumCols();
        p.tileN = bk * rowsPerTile(groupBlockCols(layout), bk, maxTileN);
        p.reductionStep = bm;
      } else {
        p.m = shaped(input).getDimSize(0);
        p.n = layout.getNumRows();
        p.tileN = bm * rowsPerTile(groupBlockRows(layout), bm, maxTileN);
        p.reductionStep = bk;
      }
      if (p.tileN > GpuConfigAttr::kMaxTile) {
        why = "blocks of " + std::to_string(bm) + " x " + std::to_string(bk) +
              " (a tile is a whole number of blocks, at most " +
              std::to_string(GpuConfigAttr::kMaxTile) + " wide)";
        return std::nullopt;
      }
      // The gradients stage tiles as stored, swizzled over 16-byte chunks:
      // a power-of-two number of them per row.
      int64_t chunk = 128 / p.elementType.getIntOrFloatBitWidth();
      bool weightGrad = isa<BlockSparseWeightGradOp>(op);
      if ((weightGrad || isa<BlockSparseInputGradOp>(op)) &&
          (!llvm::isPowerOf2_64(p.tileN / chunk) ||
           (weightGrad && !llvm::isPowerOf2_64(bm / chunk)))) {
        why = "blocks of " + std::to_string(bm) + " x " + std::to_string(bk) +
              " (the gradient kernels stage tiles as stored: a power-of-two "
              "number of 16-byte chunks per row is needed)";
        return std::nullopt;
      }
    } else if (!p.twoFour && p.reductionStep % 16 != 0) {
      why = "rank " + std::to_string(p.reductionStep) +
            " (a multiple of 16 is needed)";
      return std::nullopt;
    }
    return p;
  }

  /// The tensor-core configuration of the first kernel of a low-rank
  /// panel, T = (1 - g) X V: a dense input-gradient product over K with one
  /// K x rank block, the Hopper family's where it can (chooseHopperPanel).
  /// Else 64 tokens by the whole rank per thread block: warps of
  /// 16 tokens, one more warp column per 64 of rank; the reduction over K
  /// is what costs, so X's rows stream through a 3-stage ring. None (the
  /// scalar panel kernel) where that schedule does not fit: V is staged
  /// as stored, so its rows must be a power-of-two number of 16-byte
  /// chunks, and warp tiles whole pairs of n8 mma tiles.
  std::optional<GpuKernelConfig> choosePanel(Operation *op, StringRef chip) {
    Value x, v;
    if (auto linear = dyn_cast<LinearOp>(op)) {
      // The caller's X V: no panel product to configure.
      if (linear.getXv())
        return std::nullopt;
      x = linear.getX();
      v = linear.getV();
    } else if (auto lowRank = dyn_cast<LowRankMatmulOp>(op)) {
      x = lowRank.getX();
      v = lowRank.getV();
    } else {
      return std::nullopt;
    }
    auto vType = cast<ShapedType>(v.getType());
    if (!vType.hasStaticShape())
      return std::nullopt;
    int64_t k = vType.getDimSize(0), rank = vType.getDimSize(1);
    std::optional<GpuTarget> target = lookupGpuTarget(chip);
    if (target && target->hasWgmma())
      if (std::optional<HopperConfigAttr> hopper =
              chooseHopperPanel(vType.getElementType(), k, rank, *target))
        return *hopper;
    int64_t chunk = 128 / vType.getElementType().getIntOrFloatBitWidth();
    int64_t warpsN = rank % 64 == 0 ? std::min<int64_t>(rank / 64, 4) : 1;
    int64_t warpsM = warpsN > 2 ? 2 : 4;
    int64_t tileK = k % 64 == 0 ? 64 : 32;
    if (rank == 0 || rank % (16 * warpsN) != 0 ||
        rank > GpuConfigAttr::kMaxTile || !llvm::isPowerOf2_64(rank / chunk) ||
        k % tileK != 0)
      return std::nullopt;
    return GpuConfigAttr::get(&getContext(), chip, 16 * warpsM, rank, tileK,
                              warpsM, warpsN, 3, /*splits=*/1);
  }

  /// The Hopper family's panel kernel: 64 tokens (one consumer warpgroup)
  /// by the rank rounded up to 64, a k-tile of one 128-byte row, up to 4
  /// stages. T = X V reads X once for 2 x rank operations per element: it
  /// is bound by memory, so small tiles make thread blocks enough to keep
  /// loads in flight. None where the family cannot run it.
  std::optional<HopperConfigAttr> chooseHopperPanel(Type elementType, int64_t k,
                                                    int64_t rank,
                                                    const GpuTarget &target) {
    // 16-bit operands (checkHopperOneBlockSchedule rejects any other type):
    // a k-tile of one 128-byte row is 64 wide.
    int64_t tileN = hopperOneBlockTileN(rank), tileK = 64, bytes = 2;
    auto config = HopperConfigAttr::get(
        &getContext(), target.chip, /*tile_m=*/64, tileN, tileK,
        /*consumers=*/1, hopperStages((64 + tileN) * tileK * bytes, target),
        /*cluster_m=*/1, /*cluster_n=*/1, /*persistent=*/0, /*splits=*/1,
        /*tma_store=*/false);
    std::string why;
    if (failed(checkHopperOneBlockSchedule(config, elementType, k, rank, why)))
      return std::nullopt;
    return config;
  }

  GpuConfigAttr choose(const Problem &p, const GpuTarget &target) {
    int64_t tileN = p.tileN;
    if (tileN == 0) {
      tileN = 8;
      for (int64_t t = 16; t <= maxTileN; t *= 2)
        if (p.n % t == 0)
          tileN = t;
    }
    int64_t tileM = chooseTileM(p, tileN, target);
    // 2:4: 64 columns (32 compressed values, 64-byte rows) when K allows.
    int64_t tileK = p.twoFour && p.reductionStep % 64 == 0 ? 64 : 32;
    if (p.reductionStep > 0)
      while (p.reductionStep % tileK != 0)
        tileK /= 2;
    int64_t warpsN = tileN >= 64 ? 2 : 1;
    int64_t warpsM = std::max<int64_t>(1, std::min(tileM / 16, 4 / warpsN));
    int64_t bytes = p.elementType.getIntOrFloatBitWidth() / 8;
    int64_t stages = target.defaultStages;
    // A 2:4 weight tile holds half the columns.
    int64_t rowsPerStage = p.twoFour ? tileM * 2 + tileN : (tileM + tileN) * 2;
    while (stages > 2 && stages * rowsPerStage * tileK * bytes / 2 >
                             target.sharedMemoryBytes)
      --stages;
    return GpuConfigAttr::get(
        &getContext(), target.chip, tileM, tileN, tileK, warpsM, warpsN, stages,
        chooseSplits(p, tileK, target, kAmpereBlocksPerMultiprocessor));
  }
};
} // namespace
