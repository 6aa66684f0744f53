//===- CostModelTest.cpp - Cost model formulas ----------------------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Analysis/CostModel.h"

#include <gtest/gtest.h>

using namespace mlir::pixelfly;

namespace {

TargetProfile unitProfile() { return {"unit", 3.0, 0.5, 16}; }

TEST(CostModel, Presets) {
  std::optional<TargetProfile> a100 = getTargetProfile("sm_80");
  std::optional<TargetProfile> h100 = getTargetProfile("sm_90");
  ASSERT_TRUE(a100 && h100);
  EXPECT_EQ(a100->block, 32);
  EXPECT_EQ(h100->block, 64);
  // H100 does a multiply-add faster than A100.
  EXPECT_LT(h100->cFlop, a100->cFlop);
  EXPECT_FALSE(getTargetProfile("sm_70"));
  EXPECT_EQ(getTargetProfileNames().size(), 2u);
}

TEST(CostModel, Formulas) {
  CostModel model(unitProfile());
  LayerShape s{8, 64, 32};
  double blocks = 64.0 * 32 / (16 * 16);
  EXPECT_DOUBLE_EQ(model.dense(s), 3.0 * blocks + 0.5 * 8 * 64 * 32);
  // A block-sparse weight with every block costs what the dense one does.
  EXPECT_DOUBLE_EQ(model.blockSparse(s, 8), model.dense(s));
  EXPECT_DOUBLE_EQ(model.blockSparse(s, 3), 3.0 * 3 + 0.5 * 8 * 3 * 256);
  EXPECT_DOUBLE_EQ(model.lowRank(s, 16),
                   3.0 * (16.0 * 96 / 256) + 0.5 * 8 * 16 * 96);
  EXPECT_DOUBLE_EQ(model.lowRank(s, 0), 0.0);
  // 2:4: half the flops; half the values plus 1/16 of metadata.
  EXPECT_DOUBLE_EQ(model.twoFour(s), 3.0 * (2048.0 * (0.5 + 1.0 / 16) / 256) +
                                         0.5 * 8 * 1024);
  EXPECT_LT(model.twoFour(s), model.dense(s));
  EXPECT_GT(model.twoFour(s), model.dense(s) / 2);
}

TEST(CostModel, TrainingStepCostsItsProducts) {
  CostModel model(unitProfile());
  LayerShape one{8, 64, 32};
  // Forward, input gradient and weight gradient: three products.
  LayerShape step = one;
  step.products = 3;
  step.weightGradients = 1;
  step.inputGradients = 1;
  EXPECT_DOUBLE_EQ(model.dense(step), 3 * model.dense(one));
  EXPECT_DOUBLE_EQ(model.blockSparse(step, 3), 3 * model.blockSparse(one, 3));
  // The factors' gradients dY^T (X V) and X^T (dY U) reuse the forward's
  // X V and the input gradient's dY U: one more low-rank product.
  EXPECT_DOUBLE_EQ(model.lowRank(step, 16), 3 * model.lowRank(one, 16));
  // Without an input gradient (a first layer), the weight gradient also
  // computes dY U: 16 x 64 factor elements, 8 x 16 x 64 multiply-adds.
  LayerShape first = step;
  first.products = 2;
  first.inputGradients = 0;
  EXPECT_DOUBLE_EQ(model.lowRank(first, 16), 2 * model.lowRank(one, 16) +
                                                 3.0 * (16.0 * 64 / 256) +
                                                 0.5 * 8 * 16 * 64);
  // A weight gradient alone computes both X V and dY U.
  LayerShape alone = one;
  alone.weightGradients = 1;
  EXPECT_DOUBLE_EQ(model.lowRank(alone, 16), 2 * model.lowRank(one, 16));
  // 2:4 keeps the weight gradient dense.
  EXPECT_DOUBLE_EQ(model.twoFour(step),
                   2 * model.twoFour(one) + model.dense(one));
}

TEST(CostModel, BlockAndElementSizeScaleMemoryCost) {
  CostModel profileBlock(unitProfile());
  CostModel bigger(unitProfile(), 32);
  CostModel f32(unitProfile(), 16, 4);
  EXPECT_EQ(bigger.getBlock(), 32);
  EXPECT_DOUBLE_EQ(bigger.blockAccessCost(), 4 * profileBlock.blockAccessCost());
  EXPECT_DOUBLE_EQ(f32.blockAccessCost(), 2 * profileBlock.blockAccessCost());
  // Memory per weight element does not depend on the block size.
  LayerShape s{1, 64, 64};
  EXPECT_DOUBLE_EQ(bigger.dense(s), profileBlock.dense(s));
}

} // namespace
