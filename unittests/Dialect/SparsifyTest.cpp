//===- SparsifyTest.cpp - Numerics of pixelfly-sparsify's projection ------===//
//
// Part of the pixelfly-mlir project.
//
// Runs pixelfly-sparsify on modules with random constant weights, reads the
// constants it wrote back, rebuilds the dense weight they stand for and
// compares it with references computed here: the optimal error of the
// butterfly + low-rank fit (the singular-value tail of the remainder, by
// Eigen's Jacobi SVD, not the pass's solver) and the 2:4 selection rule.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyDialect.h"
#include "pixelfly/Dialect/Pixelfly/IR/PixelflyOps.h"
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/APFloat.h"

#include <Eigen/Dense>
#include <Eigen/SVD>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

using namespace mlir;
using namespace mlir::pixelfly;

namespace {

using MatD = Eigen::MatrixXd;

class SparsifyTest : public ::testing::Test {
protected:
  SparsifyTest() {
    ctx.loadDialect<arith::ArithDialect, func::FuncDialect,
                    linalg::LinalgDialect, tensor::TensorDialect,
                    PixelflyDialect>();
  }

  /// Parses `text`, gives its one `arith.constant` of tensor type the
  /// values of `w` (row-major, in the constant's own shape), and runs
  /// pixelfly-sparsify on it.
  OwningOpRef<ModuleOp> sparsify(const std::string &text, const MatD &w) {
    OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(text, &ctx);
    EXPECT_TRUE(module);
    if (!module)
      return module;
    module->walk([&](arith::ConstantOp op) {
      auto type = dyn_cast<RankedTensorType>(op.getType());
      if (!type)
        return;
      const llvm::fltSemantics &sem =
          cast<FloatType>(type.getElementType()).getFloatSemantics();
      std::vector<APFloat> values;
      for (int64_t i = 0; i < w.rows(); ++i)
        for (int64_t j = 0; j < w.cols(); ++j) {
          APFloat v(w(i, j));
          bool lost;
          v.convert(sem, APFloat::rmNearestTiesToEven, &lost);
          values.push_back(v);
        }
      op.setValueAttr(DenseElementsAttr::get(type, values));
    });
    PassManager pm(&ctx);
    pm.addPass(createPixelflySparsify());
    EXPECT_TRUE(succeeded(pm.run(*module)));
    return module;
  }

  MLIRContext ctx;
};

/// A function with one `M x K` by weight matmul, the weight an `N x K`
/// constant read through transposed-B maps (`nkLayout`) or a `K x N` one,
/// elements `t`, accumulation in f32, planned by `plan`.
std::string matmulModule(int64_t m, int64_t n, int64_t k, const std::string &t,
                         const std::string &plan, bool nkLayout = true) {
  auto tensor = [&](int64_t a, int64_t b, const std::string &e) {
    return "tensor<" + std::to_string(a) + "x" + std::to_string(b) + "x" + e +
           ">";
  };
  std::string x = tensor(m, k, t), acc = tensor(m, n, "f32");
  std::string w = nkLayout ? tensor(n, k, t) : tensor(k, n, t);
  std::string maps =
      nkLayout ? "indexing_maps = [affine_map<(m, n, k) -> (m, k)>, "
                 "affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> "
                 "(m, n)>] "
               : "";
  return "func.func @f(%x: " + x + ", %a: " + acc + ") -> " + acc + " {\n" +
         "  %w = arith.constant dense<0.0> : " + w + "\n" +
         "  %y = linalg.matmul " + maps + "{pixelfly.plan = " + plan +
         "} ins(%x, %w : " + x + ", " + w + ") outs(%a : " + acc + ") -> " +
         acc + "\n  return %y : " + acc + "\n}\n";
}

/// The values of a float constant as doubles, row-major, and its shape.
MatD constantMatrix(Value v, int64_t rows, int64_t cols) {
  DenseElementsAttr attr;
  EXPECT_TRUE(matchPattern(v, m_Constant(&attr)));
  MatD m(rows, cols);
  if (!attr)
    return m;
  EXPECT_EQ(attr.getNumElements(), rows * cols);
  int64_t i = 0;
  for (APFloat a : attr.getValues<APFloat>()) {
    bool lost;
    a.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
    m(i / cols, i % cols) = a.convertToDouble();
    ++i;
  }
  return m;
}

/// The weight rounded to the element type the module stores it in.
MatD rounded(const MatD &w, const llvm::fltSemantics &sem) {
  MatD r = w;
  for (int64_t i = 0; i < w.size(); ++i) {
    APFloat v(w.data()[i]);
    bool lost;
    v.convert(sem, APFloat::rmNearestTiesToEven, &lost);
    v.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
    r.data()[i] = v.convertToDouble();
  }
  return r;
}

MatD gaussian(int64_t rows, int64_t cols, std::mt19937 &rng) {
  std::normal_distribution<double> dist;
  MatD m(rows, cols);
  for (int64_t i = 0; i < m.size(); ++i)
    m.data()[i] = dist(rng);
  return m;
}

/// `sqrt(sum_{i >= r} s_i^2)` of `a`.
double tailNorm(const MatD &a, int64_t r) {
  Eigen::JacobiSVD<MatD> svd(a);
  const Eigen::VectorXd &s = svd.singularValues();
  double sum = 0;
  for (int64_t i = r; i < s.size(); ++i)
    sum += s(i) * s(i);
  return std::sqrt(sum);
}

/// The dense `N x K` matrix of `pixelfly.linear`'s weight operands.
MatD linearWeight(LinearOp op, int64_t n, int64_t k, int64_t rank,
                  double &gamma) {
  BlockLayoutAttr layout = op.getLayout();
  int64_t bm = layout.getBlockRows(), bk = layout.getBlockCols();
  MatD blocks =
      constantMatrix(op->getOperand(1), layout.getNumBlocks() * bm, bk);
  MatD u = constantMatrix(op->getOperand(2), n, rank);
  MatD v = constantMatrix(op->getOperand(3), k, rank);
  std::optional<APFloat> g = op.getGammaConst();
  EXPECT_TRUE(g.has_value());
  gamma = g ? g->convertToDouble() : 0.0;
  MatD b = MatD::Zero(n, k);
  int64_t index = 0;
  for (int64_t r = 0; r < layout.getNumBlockRows(); ++r)
    for (int64_t c : layout.getRowCols(r)) {
      b.block(r * bm, c * bk, bm, bk) = blocks.block(index * bm, 0, bm, bk);
      ++index;
    }
  return gamma * b + (1 - gamma) * u * v.transpose();
}

/// W with the layout's blocks cleared.
MatD offLayout(const MatD &w, BlockLayoutAttr layout) {
  MatD rest = w;
  int64_t bm = layout.getBlockRows(), bk = layout.getBlockCols();
  for (int64_t r = 0; r < layout.getNumBlockRows(); ++r)
    for (int64_t c : layout.getRowCols(r))
      rest.block(r * bm, c * bk, bm, bk).setZero();
  return rest;
}

// A 96 x 160 weight (blocks of 16; the 4-way butterfly stretched over 6 x 10
// blocks is not block-aligned, so the block reduction matters) made of
// block-sparse entries, a rank-6 part and noise, stored in both layouts: the
// pixelfly.linear the pass writes stands for a weight whose error is the
// optimal one, the singular-value tail of W minus its blocks.
TEST_F(SparsifyTest, ButterflyPlusLowRankIsTheOptimalFit) {
  const int64_t n = 96, k = 160, rank = 16;
  std::mt19937 rng(41);
  MatD w = gaussian(n, k, rng) * 0.05 +
           gaussian(n, 6, rng) * gaussian(6, k, rng) * 0.3;
  for (bool nkLayout : {true, false}) {
    SCOPED_TRACE(nkLayout ? "N x K weight" : "K x N weight");
    std::string plan =
        "#pixelfly.plan<structure = butterfly, pattern = "
        "#pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, "
        "block = 16>, rank = 16>";
    std::string text = matmulModule(7, n, k, "f32", plan, nkLayout);
    MatD stored = nkLayout ? MatD(w) : MatD(w.transpose());
    OwningOpRef<ModuleOp> module = sparsify(text, stored);
    ASSERT_TRUE(module);
    LinearOp linear;
    module->walk([&](LinearOp op) { linear = op; });
    ASSERT_TRUE(linear);
    int64_t dense = 0;
    module->walk([&](arith::ConstantOp op) {
      if (op.getType() == RankedTensorType::get(
                              nkLayout ? ArrayRef<int64_t>{n, k}
                                       : ArrayRef<int64_t>{k, n},
                              Float32Type::get(&ctx)))
        ++dense;
    });
    EXPECT_EQ(dense, 0) << "the dense weight is still there";

    double gamma = 0;
    MatD approx = linearWeight(linear, n, k, rank, gamma);
    EXPECT_GT(gamma, 0.0);
    EXPECT_LT(gamma, 1.0);
    double optimal = tailNorm(offLayout(w, linear.getLayout()), rank);
    double got = (w - approx).norm();
    EXPECT_NEAR(got / w.norm(), optimal / w.norm(), 1e-4);
    // Far better than the blocks alone: the rank-6 part is captured.
    EXPECT_LT(got, 0.5 * offLayout(w, linear.getLayout()).norm());
  }
}

// 2:4 on f16 and bf16 constants of a 24 x 48 weight: the values are W's
// entries at the two largest magnitudes of every group of four (ties to the
// lower index), the metadata nibble says which, exactly.
TEST_F(SparsifyTest, TwoFourKeepsTheLargestOfEachGroup) {
  const int64_t n = 24, k = 48;
  std::mt19937 rng(42);
  MatD w = gaussian(n, k, rng);
  // Some ties: equal magnitudes in a few groups.
  w(0, 1) = -w(0, 2);
  w(3, 8) = w(3, 9) = w(3, 10) = w(3, 11) = 0.5;
  for (const char *element : {"f16", "bf16"}) {
    SCOPED_TRACE(element);
    std::string t = element;
    std::string text = matmulModule(
        5, n, k, t, "#pixelfly.plan<structure = two_four>");
    OwningOpRef<ModuleOp> module = sparsify(text, w);
    ASSERT_TRUE(module);
    TwoFourMatmulOp op;
    module->walk([&](TwoFourMatmulOp o) { op = o; });
    ASSERT_TRUE(op);
    const llvm::fltSemantics &sem = t == "f16" ? APFloat::IEEEhalf()
                                               : APFloat::BFloat();
    MatD stored = rounded(w, sem);
    MatD values = constantMatrix(op->getOperand(1), n, k / 2);
    DenseIntElementsAttr meta;
    ASSERT_TRUE(matchPattern(op->getOperand(2), m_Constant(&meta)));
    std::vector<uint16_t> metadata;
    for (APInt v : meta.getValues<APInt>())
      metadata.push_back(static_cast<uint16_t>(v.getZExtValue()));
    ASSERT_EQ(metadata.size(), static_cast<size_t>(n * k / 16));
    for (int64_t r = 0; r < n; ++r) {
      for (int64_t g = 0; g < k / 4; ++g) {
        unsigned nibble = (metadata[r * (k / 16) + g / 4] >> (4 * (g % 4))) & 0xF;
        int64_t i0 = nibble & 3, i1 = nibble >> 2;
        // The two largest magnitudes, ties to the lower index.
        std::vector<int64_t> order = {0, 1, 2, 3};
        std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
          return std::abs(stored(r, 4 * g + a)) > std::abs(stored(r, 4 * g + b));
        });
        int64_t want0 = std::min(order[0], order[1]);
        int64_t want1 = std::max(order[0], order[1]);
        EXPECT_EQ(i0, want0) << "row " << r << " group " << g;
        EXPECT_EQ(i1, want1) << "row " << r << " group " << g;
        EXPECT_EQ(values(r, 2 * g), stored(r, 4 * g + i0));
        EXPECT_EQ(values(r, 2 * g + 1), stored(r, 4 * g + i1));
      }
    }
  }
}

// A low-rank plan on a constant: U V^T is the best rank-r approximation.
TEST_F(SparsifyTest, LowRankIsTheTruncatedSvd) {
  const int64_t n = 40, k = 56, rank = 16;
  std::mt19937 rng(43);
  MatD w = gaussian(n, 10, rng) * gaussian(10, k, rng) +
           gaussian(n, k, rng) * 0.1;
  std::string text = matmulModule(
      3, n, k, "f32", "#pixelfly.plan<structure = low_rank, rank = 16>");
  OwningOpRef<ModuleOp> module = sparsify(text, w);
  ASSERT_TRUE(module);
  LowRankMatmulOp op;
  module->walk([&](LowRankMatmulOp o) { op = o; });
  ASSERT_TRUE(op);
  MatD u = constantMatrix(op->getOperand(1), n, rank);
  MatD v = constantMatrix(op->getOperand(2), k, rank);
  double got = (w - u * v.transpose()).norm();
  EXPECT_NEAR(got / w.norm(), tailNorm(w, rank) / w.norm(), 1e-5);
}

} // namespace
