//===- GpuTiling.h - Block-row grouping of GPU kernels ----------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// Shared by pixelfly-gpu-config (which chooses tiles) and
// convert-pixelfly-to-gpu (which builds kernels from them): both must see
// the same grouping of a layout's block rows.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_DIALECT_PIXELFLY_UTILS_GPUTILING_H
#define PIXELFLY_DIALECT_PIXELFLY_UTILS_GPUTILING_H

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyAttrs.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

namespace mlir::pixelfly {

/// The discardable attribute holding a product's #pixelfly.gpu_config.
inline constexpr llvm::StringLiteral kGpuConfigAttrName = "pixelfly.gpu_config";

/// The discardable attribute holding the #pixelfly.gpu_config of the first
/// kernel of a low-rank panel (T = (1 - g) X V on the tensor cores); the
/// panel runs one thread per element of T without it.
inline constexpr llvm::StringLiteral kGpuPanelConfigAttrName =
    "pixelfly.gpu_panel_config";

/// A run of consecutive block rows (of the weight, i.e. output features)
/// that store the same list of block columns: one kernel tile as wide as
/// the run computes them like a dense GEMM over those columns.
struct BlockRowGroup {
  int64_t firstRow = 0;
  int64_t numRows = 0;
  llvm::SmallVector<int64_t> cols;
};

/// The runs of `layout`'s block rows (CSR order). Empty block rows form
/// groups with no columns.
llvm::SmallVector<BlockRowGroup> groupBlockRows(BlockLayoutAttr layout);

/// The same over block columns (the layout transposed), for the input
/// gradient `dX = dY * W`, whose output tiles follow the weight's columns.
llvm::SmallVector<BlockRowGroup> groupBlockCols(BlockLayoutAttr layout);

/// A tile of the weight gradient `dY^T X`: `numRows` block rows from
/// `firstRow` of one run (so they store the same block columns) and `cols`,
/// a consecutive piece of those columns starting at position `colOffset`
/// of each row's list. Its blocks are those rows' blocks of those columns.
struct WeightGradTile {
  int64_t firstRow = 0;
  int64_t numRows = 0;
  int64_t colOffset = 0;
  llvm::SmallVector<int64_t> cols;
};

/// How many tiles weightGradTiles makes, without making them.
int64_t numWeightGradTiles(llvm::ArrayRef<BlockRowGroup> groups,
                           int64_t rowsPerTile, int64_t colsPerTile);

/// The weight gradient's tiles of at most `rowsPerTile` block rows and
/// `colsPerTile` block columns: each run of `groups` cut along its rows and
/// its columns, in CSR order of the tiles' first blocks. Runs without
/// columns have none.
llvm::SmallVector<WeightGradTile>
weightGradTiles(llvm::ArrayRef<BlockRowGroup> groups, int64_t rowsPerTile,
                int64_t colsPerTile);

/// The largest power of two `k` (with `k * rowSize <= maxWidth`) such that
/// tiles of `k` rows waste at most an eighth of the rows they compute when
/// each group is cut into `ceil(numRows / k)` tiles; at least 1.
int64_t rowsPerTile(llvm::ArrayRef<BlockRowGroup> groups, int64_t rowSize,
                    int64_t maxWidth);

} // namespace mlir::pixelfly

#endif // PIXELFLY_DIALECT_PIXELFLY_UTILS_GPUTILING_H
