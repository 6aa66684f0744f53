//===- KernelPlan.h - What one block-sparse GPU kernel computes -*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// The compile-time description of one convert-pixelfly-to-gpu kernel: the
// static tiles of the output (from the block layout and the configuration)
// and the derived thread, warp and shared-memory geometry. Planning only
// reads the op; it fails with a reason for what the kernel cannot do.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_KERNELPLAN_H
#define PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_KERNELPLAN_H

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

/// The target of `chip` when it is known and has the warp-level tensor-core
/// instructions (`what`, for the diagnostic); otherwise none, with the
/// reason in `why`.
std::optional<GpuTarget> mmaSyncTarget(llvm::StringRef chip,
                                       llvm::StringRef what, std::string &why);

/// Fails (with the reason in `why`) when `bytes` of shared memory exceed
/// what `target` has; sets `dynamic` when they exceed the static 48 KB.
LogicalResult checkSharedMemory(const GpuTarget &target, int64_t bytes,
                                bool &dynamic, std::string &why);

/// Fails (with the reason in `why`) unless the accumulator element type is
/// f32, f16 or bf16.
LogicalResult checkInitElementType(Type type, std::string &why);

/// One thread-block column of the output: `numRows` consecutive block rows
/// from `firstBlockRow` that share the block columns `cols`.
struct KernelTile {
  int64_t firstBlockRow = 0;
  int64_t numRows = 0;
  llvm::SmallVector<int64_t> cols;
};

/// How pixelfly.linear's gamma reaches the kernels (None: low_rank_matmul,
/// no block part and T unscaled).
enum class GammaKind { None, Constant, Scalar, PerRow };

/// The low-rank panel of pixelfly.linear and pixelfly.low_rank_matmul:
/// T = (1 - g) (X V) is computed first (M x rank, the operand type), then
/// the main kernel reduces it against U after the block columns, if any.
struct LowRankPanel {
  MemRefType uType, vType, tType;
  int64_t rank = 0;
  int64_t kTiles = 0; ///< ceil(rank / tile_k) extra k-tiles per tile
  GammaKind gammaKind = GammaKind::None;
  double gammaConst = 1.0;
  Type gammaType; ///< f32 or memref<Mxf32> (scalar and per-row kinds)
};

struct KernelPlan {
  GpuConfigAttr config;
  BlockLayoutAttr layout; ///< null for low_rank_matmul (no block part)
  MemRefType xType, blocksType, initType;
  Type elementType; ///< of x and blocks: f16, bf16, or f32 (as TF32)
  int64_t elementBytes = 2;
  int64_t copyElements = 8; ///< elements in one 16-byte cp.async chunk
  std::optional<LowRankPanel> panel; ///< pixelfly.linear only
  /// block_sparse_input_grad: tiles are runs of block columns, the
  /// reduction walks their block rows, and B is staged as stored (reduction
  /// rows, output columns contiguous) for ldmatrix .trans.
  bool transposedB = false;
  /// block_sparse_weight_grad: one thread block per stored block (tile_m x
  /// tile_n = bm x bk), reducing over the tokens; A (dY) and B (X) are both
  /// staged as stored (token rows) and read with ldmatrix .trans.
  bool weightGrad = false;
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
  /// The operands the kernel reads as its blocks and writes as its init:
  /// the product's own, or V and T for the panel's first kernel.
  KernelArg weightArg{KernelArg::Weight};
  KernelArg initArg{KernelArg::Init};

  /// Where g comes from: the panel of the main kernel, or the epilogue
  /// scale of the panel's first kernel (null if neither).
  const LowRankPanel *gammaSource() const {
    if (panel)
      return &*panel;
    return epilogueGamma ? &*epilogueGamma : nullptr;
  }

  /// Tiles that compute something (block rows without columns keep init).
  llvm::SmallVector<KernelTile> tiles;
  int64_t rowsPerTile = 0; ///< block rows per tile: tile_n / bm
  bool allTilesFull = true;

  int64_t numThreads = 0;
  int64_t warpTileM = 0, warpTileN = 0;
  int64_t mmaTilesM = 0, mmaTilesN = 0; ///< m16 and n8 tiles per warp
  int64_t stepsPerBlock = 0;            ///< tile_k steps in one bk
  int64_t chunksPerRow = 0;             ///< 16-byte chunks per tile_k row
  int64_t sharedBytes = 0;
  bool dynamicShared = false;

  /// The reduction depth of one mma: m16n8k16 for f16/bf16, m16n8k8 for
  /// TF32; either way the 32 bytes of two chunks that an x4 ldmatrix of A
  /// covers.
  int64_t kPerStep() const { return 2 * copyElements; }
  bool isTF32() const { return elementBytes == 4; }
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
    return transposedB || weightGrad ? layout.getBlockCols()
                                     : layout.getBlockRows();
  }
  int64_t blockK() const {
    if (!layout)
      return tileK();
    return transposedB ? layout.getBlockRows() : layout.getBlockCols();
  }
};

/// Plans the kernel of `op` (block_sparse_matmul, block_sparse_input_grad,
/// linear or low_rank_matmul, memref form, with a configuration), or
/// returns failure with the reason in `why`.
FailureOr<KernelPlan> planKernel(Operation *op, GpuConfigAttr config,
                                 std::string &why);

/// Builds the kernel of `plan` as `name` into `module`, with its constant
/// tables next to it. Arguments: x, blocks, init; with a panel x, blocks
/// (unless low-rank only), t, u, init and the gamma operand if any. Grid:
/// (tiles, ceil(M / tile_m)), or (blocks, 1) for the weight gradient.
KernelLaunch buildKernel(gpu::GPUModuleOp module, llvm::StringRef name,
                         const KernelPlan &plan, Location loc);

/// Plans T = (1 - g) X V of `main`'s panel on the tensor cores: a dense
/// input-gradient product of X with V seen as one K x rank block (the
/// kernel views its K x rank argument as memref<1 x K x rank>), 64-token
/// tiles, T written without being read.
/// Fails (with the reason in `why`) for shapes it does not fit; the scalar
/// kernel (buildLowRankKernel) serves those.
FailureOr<KernelPlan> planPanelKernel(const KernelPlan &main,
                                      std::string &why);

/// Threads per block of the low-rank kernel.
constexpr int64_t kLowRankThreads = 256;

/// Builds the kernel computing T[m, j] = (1 - g(m)) * sum_k X[m, k] V[k, j]
/// (f32 accumulation, rounded to T's type) for the panel of `plan`, one
/// element per thread. Arguments: x, v, t and the gamma operand if any.
KernelLaunch buildLowRankKernel(gpu::GPUModuleOp module, llvm::StringRef name,
                                const KernelPlan &plan, Location loc);

} // namespace mlir::pixelfly

#endif // PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_KERNELPLAN_H
