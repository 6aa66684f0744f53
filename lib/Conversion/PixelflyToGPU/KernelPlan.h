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

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyOps.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/SmallVector.h"

#include <string>

namespace mlir::pixelfly {

/// One thread-block column of the output: `numRows` consecutive block rows
/// from `firstBlockRow` that share the block columns `cols`.
struct KernelTile {
  int64_t firstBlockRow = 0;
  int64_t numRows = 0;
  llvm::SmallVector<int64_t> cols;
};

struct KernelPlan {
  GpuConfigAttr config;
  BlockLayoutAttr layout;
  MemRefType xType, blocksType, initType;
  Type elementType; ///< of x and blocks: f16 or bf16

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

  int64_t tileM() const { return config.getTileM(); }
  int64_t tileN() const { return config.getTileN(); }
  int64_t tileK() const { return config.getTileK(); }
  int64_t stages() const { return config.getStages(); }
  int64_t blockM() const { return layout.getBlockRows(); }
  int64_t blockK() const { return layout.getBlockCols(); }
};

/// Plans the kernel of `op` (memref form, with a configuration), or returns
/// failure with the reason in `why`.
FailureOr<KernelPlan> planKernel(BlockSparseMatmulOp op, GpuConfigAttr config,
                                 std::string &why);

/// Builds the kernel of `plan` as `name` into `module`, with its constant
/// tables next to it.
gpu::GPUFuncOp buildKernel(gpu::GPUModuleOp module, llvm::StringRef name,
                           const KernelPlan &plan, Location loc);

} // namespace mlir::pixelfly

#endif // PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_KERNELPLAN_H
