//===- GpuTilingTest.cpp - Weight-gradient tiles of block layouts ---------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Utils/GpuTiling.h"

#include <gtest/gtest.h>

using namespace mlir::pixelfly;

namespace {

/// Block rows 0 and 1 store columns 0-3, block row 2 columns 0, 1 and 3,
/// block row 3 none (11 blocks).
llvm::SmallVector<BlockRowGroup> exampleGroups() {
  return {{0, 2, {0, 1, 2, 3}}, {2, 1, {0, 1, 3}}, {3, 1, {}}};
}

struct Expected {
  int64_t firstRow, numRows, colOffset;
  std::vector<int64_t> cols;
};

void expectTiles(llvm::ArrayRef<BlockRowGroup> groups, int64_t rows,
                 int64_t cols, const std::vector<Expected> &expected) {
  llvm::SmallVector<WeightGradTile> tiles =
      weightGradTiles(groups, rows, cols);
  EXPECT_EQ(numWeightGradTiles(groups, rows, cols),
            static_cast<int64_t>(expected.size()));
  ASSERT_EQ(tiles.size(), expected.size());
  for (size_t i = 0; i < tiles.size(); ++i) {
    SCOPED_TRACE("tile " + std::to_string(i));
    EXPECT_EQ(tiles[i].firstRow, expected[i].firstRow);
    EXPECT_EQ(tiles[i].numRows, expected[i].numRows);
    EXPECT_EQ(tiles[i].colOffset, expected[i].colOffset);
    EXPECT_EQ(std::vector<int64_t>(tiles[i].cols.begin(), tiles[i].cols.end()),
              expected[i].cols);
  }
}

// Tiles of 2 x 2 blocks: a run cut along both ways; a run of one row gives
// one-row tiles, the last of them one column wide.
TEST(GpuTilingTest, TwoByTwo) {
  expectTiles(exampleGroups(), 2, 2,
              {{0, 2, 0, {0, 1}},
               {0, 2, 2, {2, 3}},
               {2, 1, 0, {0, 1}},
               {2, 1, 2, {3}}});
}

// One block per tile: every stored block, in CSR order.
TEST(GpuTilingTest, OneBlockEach) {
  expectTiles(exampleGroups(), 1, 1,
              {{0, 1, 0, {0}},
               {0, 1, 1, {1}},
               {0, 1, 2, {2}},
               {0, 1, 3, {3}},
               {1, 1, 0, {0}},
               {1, 1, 1, {1}},
               {1, 1, 2, {2}},
               {1, 1, 3, {3}},
               {2, 1, 0, {0}},
               {2, 1, 1, {1}},
               {2, 1, 2, {3}}});
}

// Wider than a run's columns and taller than a run: one tile per run.
TEST(GpuTilingTest, WholeRuns) {
  expectTiles(exampleGroups(), 4, 8,
              {{0, 2, 0, {0, 1, 2, 3}}, {2, 1, 0, {0, 1, 3}}});
}

// A run of three rows in tiles of two: a full tile, then one of one row.
TEST(GpuTilingTest, RaggedRun) {
  llvm::SmallVector<BlockRowGroup> groups = {{5, 3, {7}}};
  expectTiles(groups, 2, 4, {{5, 2, 0, {7}}, {7, 1, 0, {7}}});
}

} // namespace
