//===- LowRankTest.cpp - Truncated SVD and block + low-rank fits ----------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Patterns/LowRank.h"

#include <Eigen/Dense>
#include <Eigen/SVD>
#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace mlir::pixelfly::patterns;

namespace {

using MatD = Eigen::MatrixXd;

MatD toEigen(const Matrix &w) {
  MatD a(w.rows, w.cols);
  for (int64_t i = 0; i < w.rows; ++i)
    for (int64_t j = 0; j < w.cols; ++j)
      a(i, j) = w(i, j);
  return a;
}

Matrix fromEigen(const MatD &a) {
  Matrix w(a.rows(), a.cols());
  for (int64_t i = 0; i < w.rows; ++i)
    for (int64_t j = 0; j < w.cols; ++j)
      w(i, j) = static_cast<float>(a(i, j));
  return w;
}

MatD gaussian(int64_t rows, int64_t cols, std::mt19937 &rng) {
  std::normal_distribution<double> dist;
  MatD a(rows, cols);
  for (int64_t j = 0; j < cols; ++j)
    for (int64_t i = 0; i < rows; ++i)
      a(i, j) = dist(rng);
  return a;
}

MatD randomOrthonormal(int64_t rows, int64_t cols, std::mt19937 &rng) {
  Eigen::HouseholderQR<MatD> qr(gaussian(rows, cols, rng));
  return qr.householderQ() * MatD::Identity(rows, cols);
}

// ||W - U V^T||_F with the returned float factors, computed here.
double fitError(const Matrix &w, const Matrix &u, const Matrix &v) {
  MatD e = toEigen(w);
  if (u.cols > 0)
    e -= toEigen(u) * toEigen(v).transpose();
  return e.norm();
}

// Optimal rank-r error from an independent SVD (one-sided Jacobi).
double optimalError(const MatD &a, int64_t rank) {
  Eigen::JacobiSVD<MatD> svd(a);
  const auto &s = svd.singularValues();
  double tail = 0;
  for (int64_t i = rank; i < s.size(); ++i)
    tail += s(i) * s(i);
  return std::sqrt(tail);
}

// Optimal error of a matrix built with known singular values.
double tailNorm(const std::vector<double> &s, int64_t rank) {
  double tail = 0;
  for (size_t i = rank; i < s.size(); ++i)
    tail += s[i] * s[i];
  return std::sqrt(tail);
}

// A float matrix with singular values s (approximately, after rounding).
Matrix withSpectrum(int64_t m, int64_t n, const std::vector<double> &s,
                    std::mt19937 &rng) {
  int64_t p = static_cast<int64_t>(s.size());
  MatD u = randomOrthonormal(m, p, rng), v = randomOrthonormal(n, p, rng);
  Eigen::VectorXd sv = Eigen::Map<const Eigen::VectorXd>(s.data(), p);
  return fromEigen(u * sv.asDiagonal() * v.transpose());
}

LowRankOptions withMethod(LowRankMethod method) {
  LowRankOptions o;
  o.method = method;
  return o;
}

// Property: the exact path's error is the singular-value tail.
TEST(LowRank, ExactErrorIsSingularValueTail) {
  std::mt19937 rng(11);
  struct Case {
    int64_t m, n, r;
  } cases[] = {{40, 30, 1}, {40, 30, 7}, {30, 50, 12}, {64, 64, 16},
               {17, 5, 4},  {1, 9, 1},   {33, 21, 21}};
  for (const Case &c : cases) {
    Matrix w = fromEigen(gaussian(c.m, c.n, rng));
    LowRankFactors f = lowRankApprox(w, c.r, withMethod(LowRankMethod::Exact));
    EXPECT_FALSE(f.randomized);
    ASSERT_EQ(f.u.rows, c.m);
    ASSERT_EQ(f.u.cols, c.r);
    ASSERT_EQ(f.v.rows, c.n);
    ASSERT_EQ(f.v.cols, c.r);
    MatD a = toEigen(w);
    double norm = a.norm();
    double want = optimalError(a, c.r);
    double got = fitError(w, f.u, f.v);
    EXPECT_NEAR(got, want, 1e-5 * norm) << c.m << "x" << c.n << " r=" << c.r;
    EXPECT_NEAR(f.residualNorm, got, 1e-9 * norm);
    EXPECT_NEAR(f.relativeError(), got / norm, 1e-9);
    // All singular values, matching the independent SVD.
    Eigen::JacobiSVD<MatD> ref(a);
    ASSERT_EQ(int64_t(f.singularValues.size()), std::min(c.m, c.n));
    for (size_t i = 0; i < f.singularValues.size(); ++i)
      EXPECT_NEAR(f.singularValues[i], ref.singularValues()(i), 1e-9 * norm);
  }
}

// Property: on Gaussian matrices (flat spectrum, the hard case for sketching)
// the randomized path is never better than optimal and close to it.
TEST(LowRank, RandomizedErrorNearTail) {
  std::mt19937 rng(12);
  struct Case {
    int64_t m, n, r;
  } cases[] = {{120, 90, 8}, {90, 150, 16}, {200, 200, 30}};
  for (const Case &c : cases) {
    Matrix w = fromEigen(gaussian(c.m, c.n, rng));
    LowRankFactors f =
        lowRankApprox(w, c.r, withMethod(LowRankMethod::Randomized));
    EXPECT_TRUE(f.randomized);
    EXPECT_EQ(int64_t(f.singularValues.size()), c.r + 10);
    double want = optimalError(toEigen(w), c.r);
    double got = fitError(w, f.u, f.v);
    EXPECT_GE(got, want * (1 - 1e-6)) << c.m << "x" << c.n << " r=" << c.r;
    EXPECT_LE(got, want * 1.05) << c.m << "x" << c.n << " r=" << c.r;
  }
}

// Property: with a decaying spectrum the randomized error is within a few
// percent of optimal, also on a matrix large enough for Auto to sketch.
TEST(LowRank, RandomizedOnDecayingSpectrum) {
  std::mt19937 rng(13);
  struct Case {
    int64_t m, n, r;
    double decay;
  } cases[] = {{300, 200, 20, 0.9}, {200, 260, 10, 0.8}, {700, 600, 32, 0.95}};
  for (const Case &c : cases) {
    std::vector<double> s;
    for (int64_t i = 0; i < std::min(c.m, c.n); ++i)
      s.push_back(10.0 * std::pow(c.decay, double(i)));
    Matrix w = withSpectrum(c.m, c.n, s, rng);
    LowRankOptions o; // Auto
    if (std::min(c.m, c.n) <= o.randomizedMinDim)
      o.method = LowRankMethod::Randomized;
    LowRankFactors f = lowRankApprox(w, c.r, o);
    EXPECT_TRUE(f.randomized) << c.m << "x" << c.n;
    double want = tailNorm(s, c.r);
    double got = fitError(w, f.u, f.v);
    double norm = toEigen(w).norm();
    EXPECT_GE(got, want - 1e-5 * norm);
    EXPECT_LE(got, want * 1.03 + 1e-5 * norm) << c.m << "x" << c.n;
    // Leading singular values are found accurately.
    for (int64_t i = 0; i < c.r; ++i)
      EXPECT_NEAR(f.singularValues[i], s[i], 1e-3 * s[0]) << i;
  }
}

TEST(LowRank, AutoChoosesMethod) {
  std::mt19937 rng(14);
  // Small: exact.
  EXPECT_FALSE(lowRankApprox(fromEigen(gaussian(64, 48, rng)), 8).randomized);
  // Rank much smaller than the matrix: randomized.
  EXPECT_TRUE(lowRankApprox(fromEigen(gaussian(400, 320, rng)), 4).randomized);
  // A sketch as wide as the matrix: exact.
  EXPECT_FALSE(lowRankApprox(fromEigen(gaussian(64, 20, rng)), 16).randomized);
}

// A rank-r matrix is recovered (to f32 rounding) by both methods.
TEST(LowRank, ExactRecoveryOfRankR) {
  std::mt19937 rng(15);
  for (LowRankMethod method :
       {LowRankMethod::Exact, LowRankMethod::Randomized}) {
    for (int64_t r : {1, 3, 7}) {
      Matrix w = fromEigen(gaussian(60, r, rng) * gaussian(r, 45, rng));
      LowRankFactors f = lowRankApprox(w, r, withMethod(method));
      EXPECT_LT(f.relativeError(), 1e-6) << "r=" << r;
      EXPECT_LT(fitError(w, f.u, f.v) / toEigen(w).norm(), 1e-6);
      // A higher rank adds nothing and stays exact.
      EXPECT_LT(lowRankApprox(w, r + 2, withMethod(method)).relativeError(),
                1e-6);
    }
  }
}

TEST(LowRank, RankDeficientLargeMatrixStaysFinite) {
  // A constant weight (rank 1) of the size where the randomized sketch is a
  // wide 74 x 2048 matrix: Eigen's divide-and-conquer SVD returns NaNs for
  // it, so the fit must not rely on it alone.
  Matrix w(1024, 2048, std::vector<float>(1024 * 2048, 1.111111f));
  LowRankFactors f = lowRankApprox(w, 64);
  EXPECT_TRUE(f.randomized);
  for (float x : f.u.data)
    ASSERT_TRUE(std::isfinite(x));
  for (float x : f.v.data)
    ASSERT_TRUE(std::isfinite(x));
  for (double s : f.singularValues)
    ASSERT_TRUE(std::isfinite(s));
  EXPECT_LT(f.relativeError(), 1e-6);
}

TEST(LowRank, RankZeroAndOversizedRank) {
  std::mt19937 rng(16);
  Matrix w = fromEigen(gaussian(6, 4, rng));
  LowRankFactors zero = lowRankApprox(w, 0);
  EXPECT_EQ(zero.u.rows, 6);
  EXPECT_EQ(zero.u.cols, 0);
  EXPECT_EQ(zero.v.rows, 4);
  EXPECT_EQ(zero.v.cols, 0);
  EXPECT_TRUE(zero.u.data.empty());
  EXPECT_DOUBLE_EQ(zero.relativeError(), 1.0);
  EXPECT_DOUBLE_EQ(lowRankApprox(Matrix(3, 3), 0).relativeError(), 0.0);
  EXPECT_EQ(lowRankProduct(zero.u, zero.v), Matrix(6, 4));

  // Rank above min(m, n): padded with zero columns, exact.
  LowRankFactors big = lowRankApprox(w, 6);
  EXPECT_EQ(big.u.cols, 6);
  EXPECT_EQ(big.v.cols, 6);
  for (int64_t j = 4; j < 6; ++j) {
    for (int64_t i = 0; i < 6; ++i)
      EXPECT_EQ(big.u(i, j), 0.0f);
    for (int64_t i = 0; i < 4; ++i)
      EXPECT_EQ(big.v(i, j), 0.0f);
  }
  EXPECT_LT(big.relativeError(), 1e-6);

  // A zero matrix.
  LowRankFactors z = lowRankApprox(Matrix(5, 7), 2);
  EXPECT_EQ(z.relativeError(), 0.0);
  EXPECT_EQ(lowRankProduct(z.u, z.v), Matrix(5, 7));
}

TEST(LowRank, SingularValueSplit) {
  std::mt19937 rng(17);
  Matrix w = fromEigen(gaussian(30, 20, rng));
  LowRankOptions intoU;
  intoU.split = SingularValueSplit::IntoU;
  LowRankFactors a = lowRankApprox(w, 5, intoU);
  LowRankFactors b = lowRankApprox(w, 5); // Balanced
  MatD va = toEigen(a.v), ua = toEigen(a.u), vb = toEigen(b.v),
       ub = toEigen(b.u);
  // IntoU: V orthonormal, |u_j| = sigma_j.
  EXPECT_TRUE((va.transpose() * va).isApprox(MatD::Identity(5, 5), 1e-5));
  for (int j = 0; j < 5; ++j) {
    EXPECT_NEAR(ua.col(j).norm(), a.singularValues[j],
                1e-5 * a.singularValues[0]);
    // Balanced: |u_j| = |v_j| = sqrt(sigma_j).
    EXPECT_NEAR(ub.col(j).norm(), std::sqrt(b.singularValues[j]), 1e-5);
    EXPECT_NEAR(vb.col(j).norm(), std::sqrt(b.singularValues[j]), 1e-5);
  }
  // Same product either way.
  EXPECT_TRUE((ua * va.transpose()).isApprox(ub * vb.transpose(), 1e-5));
  EXPECT_NEAR(lowRankProduct(a.u, a.v)(3, 4), (ua * va.transpose())(3, 4),
              1e-5);
}

TEST(LowRank, Deterministic) {
  std::mt19937 rng(18);
  Matrix w = fromEigen(gaussian(150, 120, rng));
  for (LowRankMethod method :
       {LowRankMethod::Exact, LowRankMethod::Randomized}) {
    LowRankFactors a = lowRankApprox(w, 6, withMethod(method));
    LowRankFactors b = lowRankApprox(w, 6, withMethod(method));
    EXPECT_EQ(a.u, b.u);
    EXPECT_EQ(a.v, b.v);
    EXPECT_EQ(a.singularValues, b.singularValues);
  }
  // Signs are canonical: the largest |entry| of each column of U is
  // positive.
  LowRankFactors f = lowRankApprox(w, 6);
  for (int64_t j = 0; j < 6; ++j) {
    float top = 0;
    for (int64_t i = 0; i < f.u.rows; ++i)
      if (std::fabs(f.u(i, j)) > std::fabs(top))
        top = f.u(i, j);
    EXPECT_GT(top, 0.0f);
  }
}

//===----------------------------------------------------------------------===//
// Blocks plus low rank
//===----------------------------------------------------------------------===//

TEST(LowRank, BlockExtraction) {
  std::mt19937 rng(19);
  BlockLayout layout = flatButterflyLayout({4, 1, 8, 0}, 32, 64);
  Matrix w = fromEigen(gaussian(32, 64, rng));
  std::vector<float> blocks = extractBlocks(w, layout);
  ASSERT_EQ(int64_t(blocks.size()), layout.numBlocks() * 8 * 8);
  // Block b of block row bi, column colIdx[b]: entry (i, j) at
  // ((b * bm) + i) * bk + j.
  for (int64_t bi = 0; bi < 4; ++bi)
    for (int64_t b = layout.rowPtr[bi]; b < layout.rowPtr[bi + 1]; ++b)
      for (int64_t i = 0; i < 8; ++i)
        for (int64_t j = 0; j < 8; ++j)
          EXPECT_EQ(blocks[(b * 8 + i) * 8 + j],
                    w(bi * 8 + i, layout.colIdx[b] * 8 + j));
  Matrix dense = blocksToDense(blocks, layout);
  Matrix rest = zeroBlocks(w, layout);
  for (int64_t i = 0; i < 32; ++i)
    for (int64_t j = 0; j < 64; ++j) {
      bool in = layout.contains(i / 8, j / 8);
      EXPECT_EQ(dense(i, j), in ? w(i, j) : 0.0f);
      EXPECT_EQ(rest(i, j), in ? 0.0f : w(i, j));
    }
}

// Property: the reported error is ||R - best_r(R)|| / ||W|| with R the
// remainder, computed independently, and matches the definition.
TEST(LowRank, ResidualFitError) {
  std::mt19937 rng(20);
  BlockLayout layout = flatButterflyLayout({8, 2, 8, 8}, 64, 96);
  Matrix w = fromEigen(gaussian(64, 96, rng));
  for (int64_t r : {0, 4, 16}) {
    BlockLowRankFit fit = fitBlocksPlusLowRank(w, layout, r);
    MatD a = toEigen(w);
    MatD rest = a;
    for (int64_t i = 0; i < 64; ++i)
      for (int64_t j = 0; j < 96; ++j)
        if (layout.contains(i / 8, j / 8))
          rest(i, j) = 0;
    EXPECT_NEAR(fit.relativeError, optimalError(rest, r) / a.norm(), 1e-5)
        << "r=" << r;
    // ||W - (B_dense + U V^T)|| / ||W|| from the returned pieces.
    MatD approx = toEigen(blocksToDense(fit.blocks, layout));
    if (r > 0)
      approx += toEigen(fit.lowRank.u) * toEigen(fit.lowRank.v).transpose();
    EXPECT_NEAR(fit.relativeError, (a - approx).norm() / a.norm(), 1e-6);
    EXPECT_EQ(fit.lowRank.u.cols, r);
  }
}

// A low-rank part living off the layout's block rows plus block-sparse
// entries on the layout: recovered exactly.
TEST(LowRank, ResidualFitRecoversDisjointParts) {
  std::mt19937 rng(21);
  // Blocks only in block rows 0 and 1 of a 64 x 64 matrix of 16 x 16 blocks.
  BlockLayout layout;
  layout.n = layout.k = 64;
  layout.bm = layout.bk = 16;
  layout.rowPtr = {0, 2, 3, 3, 3};
  layout.colIdx = {0, 3, 2};
  MatD sparse = MatD::Zero(64, 64);
  sparse.block(0, 0, 16, 16) = gaussian(16, 16, rng);
  sparse.block(0, 48, 16, 16) = gaussian(16, 16, rng);
  sparse.block(16, 32, 16, 16) = gaussian(16, 16, rng);
  MatD left = gaussian(64, 5, rng);
  left.topRows(32).setZero();
  MatD low = left * gaussian(5, 64, rng);
  Matrix w = fromEigen(sparse + low);
  BlockLowRankFit fit = fitBlocksPlusLowRank(w, layout, 5);
  EXPECT_LT(fit.relativeError, 1e-6);
  EXPECT_EQ(fit.blocks, extractBlocks(fromEigen(sparse), layout));
}

// Low rank plus block-sparse on a butterfly layout: the low-rank term
// captures most of what the blocks leave out (the remainder is the low-rank
// part with the blocks cut out, so its rank is higher than 4).
TEST(LowRank, ResidualFitOnLowRankPlusButterfly) {
  std::mt19937 rng(22);
  int64_t n = 128, k = 256;
  BlockLayout layout = flatButterflyLayout({8, 2, 16, 0}, n, k);
  MatD sparse = toEigen(blocksToDense(
      extractBlocks(fromEigen(gaussian(n, k, rng)), layout), layout));
  MatD low = gaussian(n, 4, rng) * gaussian(4, k, rng) * 0.5;
  Matrix w = fromEigen(sparse + low);
  double blocksOnly = fitBlocksPlusLowRank(w, layout, 0).relativeError;
  BlockLowRankFit fit = fitBlocksPlusLowRank(w, layout, 16);
  EXPECT_LT(fit.relativeError, 0.5 * blocksOnly);
  EXPECT_LT(fit.relativeError, 0.25);
  // Each of the 8 block rows of the remainder is rows of the rank-4 part
  // with some columns cut out, so the remainder has rank <= 32: rank 32
  // recovers W.
  EXPECT_LT(fitBlocksPlusLowRank(w, layout, 32).relativeError, 1e-5);
  // The reported error is the error of the returned pieces.
  MatD approx = toEigen(blocksToDense(fit.blocks, layout)) +
                toEigen(fit.lowRank.u) * toEigen(fit.lowRank.v).transpose();
  EXPECT_NEAR((toEigen(w) - approx).norm() / toEigen(w).norm(),
              fit.relativeError, 1e-6);
}

// The Pixelfly mix of the scaled weights reproduces the fit exactly, and
// so its error against W is the fit's (the singular-value tail of the
// remainder).
TEST(LowRank, PixelflyWeightsReproduceTheFit) {
  std::mt19937 rng(31);
  int64_t n = 96, k = 160;
  BlockLayout layout = flatButterflyLayout({4, 1, 16, 0}, n, k);
  MatD w = toEigen(blocksToDense(
               extractBlocks(fromEigen(gaussian(n, k, rng)), layout), layout)) +
           gaussian(n, 8, rng) * gaussian(8, k, rng) * 0.3 +
           gaussian(n, k, rng) * 0.01;
  BlockLowRankFit fit = fitBlocksPlusLowRank(fromEigen(w), layout, 16);
  PixelflyWeights p = toPixelflyWeights(fit);
  ASSERT_GT(p.gamma, 0.0);
  ASSERT_LT(p.gamma, 1.0);
  MatD fitted = toEigen(blocksToDense(fit.blocks, layout)) +
                toEigen(fit.lowRank.u) * toEigen(fit.lowRank.v).transpose();
  MatD mixed = p.gamma * toEigen(blocksToDense(p.blocks, layout)) +
               (1 - p.gamma) * toEigen(p.u) * toEigen(p.v).transpose();
  EXPECT_LT((mixed - fitted).norm(), 1e-5 * fitted.norm());
  // Both stored terms have the same norm.
  double b = toEigen(blocksToDense(p.blocks, layout)).norm();
  double l = (toEigen(p.u) * toEigen(p.v).transpose()).norm();
  EXPECT_NEAR(b, l, 1e-4 * b);
  // The error against W is the tail of the remainder's singular values.
  MatD rest = w - toEigen(blocksToDense(fit.blocks, layout));
  Eigen::JacobiSVD<MatD> svd(rest);
  double tail = 0;
  for (int64_t i = 16; i < svd.singularValues().size(); ++i)
    tail += svd.singularValues()(i) * svd.singularValues()(i);
  EXPECT_NEAR((w - mixed).norm(), std::sqrt(tail), 1e-4 * w.norm());

  // Without a low-rank term gamma is 1 and the blocks stay as they are.
  PixelflyWeights blocksOnly =
      toPixelflyWeights(fitBlocksPlusLowRank(fromEigen(w), layout, 0));
  EXPECT_EQ(blocksOnly.gamma, 1.0);
  EXPECT_EQ(blocksOnly.blocks, fit.blocks);
}

} // namespace
