//===- TransposedLayoutTest.cpp - Block layouts read by block column ------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Utils/TransposedLayout.h"

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyDialect.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

#include <set>
#include <utility>

using namespace mlir;
using namespace mlir::pixelfly;

namespace {

/// (block row, block column) of every block of `layout`, in CSR order.
std::vector<std::pair<int64_t, int64_t>> positions(BlockLayoutAttr layout) {
  std::vector<std::pair<int64_t, int64_t>> result;
  for (int64_t r = 0; r < layout.getNumBlockRows(); ++r)
    for (int64_t c : layout.getRowCols(r))
      result.push_back({r, c});
  return result;
}

/// Every block of the transposed layout sits at the mirrored position of
/// the block it names, each block of `layout` is named once, and the
/// shapes are swapped.
void expectTranspose(BlockLayoutAttr layout, const TransposedLayout &t) {
  EXPECT_EQ(t.layout.getNumRows(), layout.getNumCols());
  EXPECT_EQ(t.layout.getNumCols(), layout.getNumRows());
  EXPECT_EQ(t.layout.getBlockRows(), layout.getBlockCols());
  EXPECT_EQ(t.layout.getBlockCols(), layout.getBlockRows());
  auto original = positions(layout);
  auto transposed = positions(t.layout);
  ASSERT_EQ(transposed.size(), original.size());
  ASSERT_EQ(t.sourceBlock.size(), original.size());
  std::set<int64_t> named;
  for (size_t p = 0; p < transposed.size(); ++p) {
    int64_t q = t.sourceBlock[p];
    ASSERT_GE(q, 0);
    ASSERT_LT(q, static_cast<int64_t>(original.size()));
    named.insert(q);
    EXPECT_EQ(transposed[p].first, original[q].second) << "block " << p;
    EXPECT_EQ(transposed[p].second, original[q].first) << "block " << p;
  }
  EXPECT_EQ(named.size(), original.size());
}

class TransposedLayoutTest : public ::testing::Test {
protected:
  TransposedLayoutTest() { ctx.loadDialect<PixelflyDialect>(); }
  MLIRContext ctx;
};

TEST_F(TransposedLayoutTest, ExplicitRectangularBlocks) {
  // 3 block rows of 16 x 8 blocks over 6 block columns; an empty block row
  // and an empty block column.
  auto layout = BlockLayoutAttr::get(&ctx, 48, 48, 16, 8, {0, 3, 3, 5},
                                     {0, 2, 5, 1, 2}, nullptr);
  TransposedLayout t = transposeLayout(layout);
  expectTranspose(layout, t);
  EXPECT_FALSE(t.layout.getSource());
  EXPECT_EQ(t.layout.getRowPtr(), ArrayRef<int64_t>({0, 1, 2, 4, 4, 4, 5}));
  EXPECT_EQ(t.layout.getColIdx(), ArrayRef<int64_t>({0, 2, 0, 2, 0}));
  EXPECT_EQ(t.sourceBlock, SmallVector<int64_t>({0, 3, 1, 4, 2}));
  // Transposing twice gives the layout back, each block its own source.
  TransposedLayout back = transposeLayout(t.layout);
  EXPECT_EQ(back.layout, layout);
  for (size_t p = 0; p < back.sourceBlock.size(); ++p)
    EXPECT_EQ(t.sourceBlock[back.sourceBlock[p]], static_cast<int64_t>(p));
}

TEST_F(TransposedLayoutTest, FlatButterflyKeepsItsGenerator) {
  // The GPT-2-medium MLP's layouts (4096 x 1024 and 1024 x 4096), with
  // and without dense leading rows and columns.
  for (int64_t global : {0, 64})
    for (auto [n, k] :
         {std::pair<int64_t, int64_t>{4096, 1024}, {1024, 4096}, {256, 256}}) {
      SCOPED_TRACE(std::to_string(n) + "x" + std::to_string(k) + " global " +
                   std::to_string(global));
      auto butterfly = FlatButterflyAttr::get(&ctx, 16, 2, 64, global);
      FailureOr<BlockLayoutAttr> layout = butterfly.materialize(
          n, k, [&] { return emitError(UnknownLoc::get(&ctx)); });
      ASSERT_TRUE(succeeded(layout));
      TransposedLayout t = transposeLayout(*layout);
      expectTranspose(*layout, t);
      EXPECT_EQ(t.layout.getSource(), butterfly);
    }
}

} // namespace
