//===- GpuTiling.cpp - Block-row grouping of GPU kernels ------------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Utils/GpuTiling.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::pixelfly;

/// Groups consecutive entries of `lists` that are equal.
static SmallVector<BlockRowGroup>
groupRuns(ArrayRef<SmallVector<int64_t>> lists) {
  SmallVector<BlockRowGroup> groups;
  for (auto [i, list] : llvm::enumerate(lists)) {
    if (!groups.empty() && groups.back().cols == list) {
      ++groups.back().numRows;
      continue;
    }
    groups.push_back({static_cast<int64_t>(i), 1, list});
  }
  return groups;
}

SmallVector<BlockRowGroup> mlir::pixelfly::groupBlockRows(BlockLayoutAttr layout) {
  SmallVector<SmallVector<int64_t>> lists;
  for (int64_t r = 0, e = layout.getNumBlockRows(); r < e; ++r)
    lists.push_back(llvm::to_vector(layout.getRowCols(r)));
  return groupRuns(lists);
}

SmallVector<BlockRowGroup> mlir::pixelfly::groupBlockCols(BlockLayoutAttr layout) {
  SmallVector<SmallVector<int64_t>> lists(layout.getNumBlockCols());
  for (int64_t r = 0, e = layout.getNumBlockRows(); r < e; ++r)
    for (int64_t c : layout.getRowCols(r))
      lists[c].push_back(r);
  return groupRuns(lists);
}

int64_t mlir::pixelfly::rowsPerTile(ArrayRef<BlockRowGroup> groups,
                                    int64_t rowSize, int64_t maxWidth) {
  int64_t total = 0;
  for (const BlockRowGroup &g : groups)
    if (!g.cols.empty())
      total += g.numRows;
  int64_t best = 1;
  // Bounded by division: k * rowSize would overflow for huge blocks.
  for (int64_t k = 2; rowSize > 0 && k <= maxWidth / rowSize; k *= 2) {
    int64_t computed = 0;
    for (const BlockRowGroup &g : groups)
      if (!g.cols.empty())
        computed += (g.numRows + k - 1) / k * k;
    // At most an eighth of the computed rows are padding.
    if (8 * (computed - total) <= computed)
      best = k;
  }
  return best;
}

int64_t mlir::pixelfly::numWeightGradTiles(ArrayRef<BlockRowGroup> groups,
                                           int64_t rowsPerTile,
                                           int64_t colsPerTile) {
  int64_t count = 0;
  for (const BlockRowGroup &g : groups)
    count += llvm::divideCeil(g.numRows, rowsPerTile) *
             llvm::divideCeil(static_cast<int64_t>(g.cols.size()), colsPerTile);
  return count;
}

SmallVector<WeightGradTile>
mlir::pixelfly::weightGradTiles(ArrayRef<BlockRowGroup> groups,
                                int64_t rowsPerTile, int64_t colsPerTile) {
  SmallVector<WeightGradTile> tiles;
  for (const BlockRowGroup &g : groups) {
    int64_t numCols = g.cols.size();
    for (int64_t r = 0; r < g.numRows; r += rowsPerTile)
      for (int64_t c = 0; c < numCols; c += colsPerTile) {
        int64_t n = std::min(colsPerTile, numCols - c);
        tiles.push_back({g.firstRow + r, std::min(rowsPerTile, g.numRows - r),
                         c, llvm::to_vector(ArrayRef(g.cols).slice(c, n))});
      }
  }
  return tiles;
}
