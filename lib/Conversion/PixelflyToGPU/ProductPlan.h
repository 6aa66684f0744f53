//===- ProductPlan.h - What one product kernel computes ---------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// The family-neutral description of a product kernel of
// convert-pixelfly-to-gpu: which product (forward, input or weight
// gradient, with or without a low-rank panel), its operand types, its
// gamma, and the static tiles of the output that the block layout and the
// configuration's tile shape give. A kernel family (Ampere/, ...) extends
// it with its own schedule. Planning only reads the op; it fails with a
// reason for what the kernel cannot do.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_PRODUCTPLAN_H
#define PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_PRODUCTPLAN_H

#include "KernelLaunch.h"

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyOps.h"
#include "pixelfly/Dialect/Pixelfly/Utils/GpuTarget.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/SmallVector.h"

#include <string>

namespace mlir::pixelfly {

/// Largest operand (elements, static dimensions) a kernel takes: more than
/// any GPU holds, and small enough that address arithmetic cannot wrap.
constexpr int64_t kMaxOperandElements = int64_t{1} << 36;
/// Most tiles one kernel has (its tile tables are constants in the binary).
constexpr int64_t kMaxKernelTiles = int64_t{1} << 20;

/// Fails (with the reason in `why`) when the static dimensions of `type`
/// hold more than kMaxOperandElements elements.
LogicalResult checkOperandSize(llvm::StringRef name, ShapedType type,
                               std::string &why);

/// Operands are passed to kernels as they are: plain row-major device
/// buffers (the address arithmetic assumes unit inner strides).
bool isPlainDeviceMemRef(MemRefType type);

/// Fails (with the reason in `why`) when `bytes` of shared memory exceed
/// what `target` has; sets `dynamic` when they exceed the static 48 KB.
LogicalResult checkSharedMemory(const GpuTarget &target, int64_t bytes,
                                bool &dynamic, std::string &why);

/// Fails (with the reason in `why`) unless the accumulator element type is
/// f32, f16 or bf16.
LogicalResult checkInitElementType(Type type, std::string &why);

/// One thread-block column of the output: `numRows` consecutive block rows
/// from `firstBlockRow` that share the block columns `cols`. A weight
/// gradient's tile may hold a piece of those columns: it starts at position
/// `colOffset` of each row's list (0 for the other products).
struct KernelTile {
  int64_t firstBlockRow = 0;
  int64_t numRows = 0;
  llvm::SmallVector<int64_t> cols;
  int64_t colOffset = 0;
};

/// How pixelfly.linear's gamma reaches the kernels (None: low_rank_matmul,
/// no block part and T unscaled).
enum class GammaKind { None, Constant, Scalar, PerRow };

/// The low-rank panel of pixelfly.linear and pixelfly.low_rank_matmul:
/// T = (1 - g) (X V) is computed first (M x rank, the operand type), then
/// the main kernel reduces it against U after the block columns, if any.
struct LowRankPanel {
  MemRefType uType, vType, tType;
  /// The caller's X V (pixelfly.linear's xv): T only scales it. Null: the
  /// panel's first kernel computes X V.
  MemRefType xvType;
  int64_t rank = 0;
  int64_t kTiles = 0; ///< ceil(rank / tile_k) extra k-tiles per tile
  GammaKind gammaKind = GammaKind::None;
  double gammaConst = 1.0;
  Type gammaType; ///< f32 or memref<Mxf32> (scalar and per-row kinds)
};

/// Which product a kernel computes.
enum class ProductKind {
  /// Y = init + X W^T (block_sparse_matmul, linear, low_rank_matmul): a
  /// tile is a run of block rows sharing their block columns.
  Forward,
  /// dX = init + dY W (block_sparse_input_grad): a tile is a run of block
  /// columns, the reduction walks their block rows, and B is read as the
  /// blocks store it (reduction rows, output columns contiguous).
  InputGrad,
  /// dB_p = init_p + dY[:, r]^T X[:, c] (block_sparse_weight_grad): a tile
  /// is tile_m / bm block rows sharing their block columns times up to
  /// tile_n / bk of those columns (a family may take one block only),
  /// reducing over the tokens; both operands are token rows as stored.
  WeightGrad,
};

struct FusedEpilogue;

struct ProductPlan {
  ProductKind kind = ProductKind::Forward;
  GpuKernelConfig config; ///< of whichever family builds the kernel
  BlockLayoutAttr layout; ///< null for low_rank_matmul (no block part)
  MemRefType xType, blocksType, initType;
  Type elementType; ///< of x and blocks: f16, bf16, or f32 (as TF32)
  int64_t elementBytes = 2;
  int64_t copyElements = 8;          ///< elements in 16 bytes: one copy chunk
  std::optional<LowRankPanel> panel; ///< pixelfly.linear only
  /// init is known to be +0 (a zero fill the lowering folded): the epilogue
  /// adds the accumulators to a constant instead of loading init, so Y is
  /// only written. Set only when the tiles cover every element of Y.
  bool zeroInit = false;
  /// The first kernel of a low-rank panel, T = (1 - g) X V, planned as a
  /// dense input-gradient product (V is one K x rank block): the epilogue
  /// scales row m by 1 - g(m) of this gamma before rounding.
  std::optional<LowRankPanel> epilogueGamma;
  /// The panel's first kernel takes V as it is (K x rank) and views it as
  /// blocksType (1 x K x rank) inside the kernel, so the host passes the
  /// operand itself (a compile-time V stays recognizable to
  /// pixelfly-gpu-device-constants). Null otherwise.
  MemRefType blocksArgType;
  /// The weight is one K x width block read as stored (an input gradient:
  /// the panel's V, or a Hopper column product), in boxes of 64 columns
  /// whatever its width (zeros past it): viewAsOneBlock.
  bool oneBlock = false;
  /// The operands the kernel reads as its blocks and writes as its init:
  /// the product's own, or V and T for the panel's first kernel.
  KernelArg weightArg{KernelArg::Weight};
  KernelArg initArg{KernelArg::Init};
  /// Weight gradient: the tokens are cut into `splits` ranges of whole
  /// k-tiles (grid y). With more than one, the kernel writes range s's
  /// partial of block p as block s * numBlocks() + p of `Partials`
  /// (partialsType()) and a second kernel adds them to init.
  int64_t splits = 1;
  /// Elementwise consumers of Y the epilogue computes (FusedEpilogue.h),
  /// owned by the lowering; null for none.
  const FusedEpilogue *fused = nullptr;

  /// Where g comes from: the panel of the main kernel, or the epilogue
  /// scale of the panel's first kernel (null if neither).
  const LowRankPanel *gammaSource() const {
    if (panel)
      return &*panel;
    return epilogueGamma ? &*epilogueGamma : nullptr;
  }

  /// Tiles that compute something (block rows without columns keep init).
  llvm::SmallVector<KernelTile> tiles;
  /// Block rows per tile: tile_n / bm (weight gradient: tile_m / bm).
  int64_t rowsPerTile = 0;
  /// Weight gradient: block columns per tile, tile_n / bk.
  int64_t colsPerTile = 1;
  bool allTilesFull = true;

  /// The f32 partial blocks of a split weight gradient, range-major.
  MemRefType partialsType() const;
  /// The layout's stored blocks (0 without blocks).
  int64_t numBlocks() const {
    return layout ? static_cast<int64_t>(layout.getColIdx().size()) : 0;
  }
  /// Makes the kernel of this plan write the partials instead of init.
  void writePartials();

  bool isInputGrad() const { return kind == ProductKind::InputGrad; }
  bool isWeightGrad() const { return kind == ProductKind::WeightGrad; }
  int64_t tileM() const { return config.getTileM(); }
  int64_t tileN() const { return config.getTileN(); }
  int64_t tileK() const { return config.getTileK(); }
  int64_t stages() const { return config.getStages(); }
  bool hasBlocks() const { return static_cast<bool>(layout); }
  /// A block's extent along the output columns (blockM) and along the
  /// reduction (blockK): (bm, bk), or (bk, bm) for the input gradient.
  /// Without blocks a tile is one tile_n-row "block row" of the output.
  int64_t blockM() const {
    if (!layout)
      return tileN();
    return kind == ProductKind::Forward ? layout.getBlockRows()
                                        : layout.getBlockCols();
  }
  int64_t blockK() const {
    if (!layout)
      return tileK();
    return isInputGrad() ? layout.getBlockRows() : layout.getBlockCols();
  }
};

/// Describes the product `op` (block_sparse_matmul, block_sparse_input_grad,
/// block_sparse_weight_grad, linear or low_rank_matmul, memref form) under
/// `config` into `plan`: kind, operand types, panel and gamma. Fails with
/// the reason in `why` for operands no kernel takes.
LogicalResult describeProduct(Operation *op, GpuKernelConfig config,
                              ProductPlan &plan, std::string &why);

/// Checks that `config` splits the tokens only of a weight gradient
/// (`weightGrad`), whatever the family or product.
LogicalResult checkSplits(GpuKernelConfig config, bool weightGrad,
                          std::string &why);

/// Checks the configuration's tile shape against the product: tile_n a
/// whole number of blocks, and the weight gradient's tile_m too.
LogicalResult checkTileShape(const ProductPlan &plan, std::string &why);

/// Fills the tiles of `plan` (from its layout and tile_n); without blocks
/// every tile_n rows of the output are one tile.
LogicalResult planTiles(ProductPlan &plan, std::string &why);

/// Fills the tiles of the weight-gradient `plan`: tile_m / bm block rows
/// sharing their block columns times up to `colsPerTile` of those columns
/// (planTiles takes tile_n / bk).
LogicalResult planWeightGradTiles(ProductPlan &plan, int64_t colsPerTile,
                                  std::string &why);

/// Makes the weight of the input-gradient `plan` one `k x width` block
/// (its layout and blocksType; oneBlock): the panel's V, or the blocks of
/// a layout of one dense block column, which are that matrix as stored.
void viewAsOneBlock(ProductPlan &plan, int64_t k, int64_t width);

/// The panel's first product, T = (1 - g) X V, as a dense input-gradient
/// product of X with V seen as one K x rank block (the kernel views its
/// K x rank argument as memref<1 x K x rank>) under `config`, T written
/// without being read. Its tiles are left to plan.
ProductPlan describePanelProduct(const ProductPlan &main,
                                 GpuKernelConfig config);

} // namespace mlir::pixelfly

#endif // PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_PRODUCTPLAN_H
