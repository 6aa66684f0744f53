//===- ButterflyTest.cpp - Flat block butterfly layouts -------------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Patterns/Butterfly.h"

#include <gtest/gtest.h>

#include <random>

using namespace mlir::pixelfly::patterns;

namespace {

// Element-level reference straight from the definition: stretch the mask,
// make the global rows/columns dense, keep a block if any entry is set.
BlockLayout referenceLayout(const FlatButterflyParams &p, int64_t n,
                            int64_t k) {
  BlockLayout l;
  l.n = n;
  l.k = k;
  l.bm = l.bk = p.block;
  l.rowPtr.push_back(0);
  for (int64_t bi = 0; bi < n / p.block; ++bi) {
    for (int64_t bj = 0; bj < k / p.block; ++bj) {
      bool any = false;
      for (int64_t i = bi * p.block; i < (bi + 1) * p.block; ++i)
        for (int64_t j = bj * p.block; j < (bj + 1) * p.block; ++j)
          any |= i < p.globalSize || j < p.globalSize ||
                 butterflyMaskEntry(p.butterflySize, p.nFactors,
                                    i / (n / p.butterflySize),
                                    j / (k / p.butterflySize));
      if (any)
        l.colIdx.push_back(bj);
    }
    l.rowPtr.push_back(l.numBlocks());
  }
  return l;
}

TEST(Butterfly, MaskIsSumOfFactors) {
  // butterfly_size 8, 2 factors: strides 1 and 2.
  EXPECT_TRUE(butterflyMaskEntry(8, 2, 0, 0));
  EXPECT_TRUE(butterflyMaskEntry(8, 2, 0, 1));
  EXPECT_TRUE(butterflyMaskEntry(8, 2, 0, 2));
  EXPECT_FALSE(butterflyMaskEntry(8, 2, 0, 3));
  EXPECT_FALSE(butterflyMaskEntry(8, 2, 0, 4));
  EXPECT_TRUE(butterflyMaskEntry(8, 3, 0, 4));
  EXPECT_TRUE(butterflyMaskEntry(8, 2, 5, 7));
  EXPECT_FALSE(butterflyMaskEntry(8, 2, 5, 6));
}

TEST(Butterfly, BlockGranularityDensity) {
  // One butterfly entry per block: density is exactly (F + 1) / S.
  FlatButterflyParams p{8, 2, 32, 0};
  BlockLayout l = flatButterflyLayout(p, 256, 256);
  EXPECT_EQ(l.numBlocks(), 8 * 3);
  EXPECT_DOUBLE_EQ(l.density(), flatButterflyNominalDensity(p));
  // Row 0 keeps columns 0, 1, 2.
  EXPECT_EQ(l.rowPtr[1], 3);
  EXPECT_EQ(l.colIdx[0], 0);
  EXPECT_EQ(l.colIdx[1], 1);
  EXPECT_EQ(l.colIdx[2], 2);
}

TEST(Butterfly, GlobalRowsAndColumnsAreDense) {
  FlatButterflyParams p{8, 1, 32, 32};
  BlockLayout l = flatButterflyLayout(p, 256, 256);
  for (int64_t j = 0; j < 8; ++j)
    EXPECT_TRUE(l.contains(0, j));
  for (int64_t i = 0; i < 8; ++i)
    EXPECT_TRUE(l.contains(i, 0));
}

TEST(Butterfly, RejectsInvalidParameters) {
  EXPECT_NE(verifyFlatButterfly({6, 1, 32, 0}), "");
  EXPECT_NE(verifyFlatButterfly({1, 1, 32, 0}), "");
  EXPECT_NE(verifyFlatButterfly({8, 0, 32, 0}), "");
  EXPECT_NE(verifyFlatButterfly({8, 4, 32, 0}), "");
  EXPECT_NE(verifyFlatButterfly({8, 3, 0, 0}), "");
  EXPECT_NE(verifyFlatButterfly({8, 3, 32, -1}), "");
  EXPECT_EQ(verifyFlatButterfly({8, 3, 32, 0}), "");
  EXPECT_NE(verifyFlatButterflyShape({8, 3, 32, 0}, 250, 256), "");
  EXPECT_NE(verifyFlatButterflyShape({8, 3, 32, 0}, 64, 80), "");
  EXPECT_EQ(verifyFlatButterflyShape({8, 3, 32, 0}, 256, 512), "");
}

// Layouts too large to build are refused with a reason, without forming
// products that overflow.
TEST(Butterfly, RefusesLayoutsTooLargeToBuild) {
  int64_t huge = int64_t{1} << 62;
  EXPECT_NE(verifyFlatButterflyShape({16, 1, 32, 0}, huge, 1024).find(
                "more than the 16777216"),
            std::string::npos);
  EXPECT_NE(verifyFlatButterflyShape({16, 1, 1, 0}, 1 << 20, 1 << 20), "");
  // The grid itself is small, but every block covers 4097 x 4097 entries.
  EXPECT_NE(verifyFlatButterflyShape({1 << 20, 1, 4096, 0}, 1 << 20, 1 << 20)
                .find("too fine"),
            std::string::npos);
  // The largest grid is accepted: 4096 x 4096 blocks of 16.
  EXPECT_EQ(verifyFlatButterflyShape({256, 4, 16, 0}, 65536, 65536), "");
}

// Property: the block-granular construction equals the element-level
// definition, and its density is never below the nominal one.
TEST(Butterfly, MatchesElementLevelDefinition) {
  std::mt19937 rng(42);
  int checked = 0;
  for (int trial = 0; trial < 400 && checked < 60; ++trial) {
    int64_t size = int64_t{1} << std::uniform_int_distribution<int>(1, 4)(rng);
    int64_t factors = std::uniform_int_distribution<int64_t>(
        1, __builtin_ctzll(size))(rng);
    int64_t block = int64_t{8} << std::uniform_int_distribution<int>(0, 2)(rng);
    int64_t n = 16 * std::uniform_int_distribution<int64_t>(1, 12)(rng);
    int64_t k = 16 * std::uniform_int_distribution<int64_t>(1, 12)(rng);
    int64_t global = std::uniform_int_distribution<int64_t>(0, 1)(rng) * block;
    FlatButterflyParams p{size, factors, block, global};
    if (!verifyFlatButterflyShape(p, n, k).empty())
      continue;
    ++checked;
    BlockLayout fast = flatButterflyLayout(p, n, k);
    BlockLayout ref = referenceLayout(p, n, k);
    EXPECT_EQ(fast.rowPtr, ref.rowPtr) << n << "x" << k << " S=" << size;
    EXPECT_EQ(fast.colIdx, ref.colIdx) << n << "x" << k << " S=" << size;
    EXPECT_GE(fast.density() + 1e-12, flatButterflyNominalDensity(p));
  }
  EXPECT_GE(checked, 20);
}

} // namespace
