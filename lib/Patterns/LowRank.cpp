//===- LowRank.cpp - Truncated SVD and block-sparse + low-rank fits -------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Patterns/LowRank.h"

#include <Eigen/Dense>
#include <Eigen/SVD>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <random>

namespace mlir::pixelfly::patterns {

namespace {

using MatD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic>;
using VecD = Eigen::Matrix<double, Eigen::Dynamic, 1>;
using RowMajorF =
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// All arithmetic in double: weights are f32 (or narrower), and the error we
// report should not be dominated by the SVD's own rounding.
MatD toEigen(const Matrix &w) {
  return Eigen::Map<const RowMajorF>(w.data.data(), w.rows, w.cols)
      .cast<double>();
}

// Orthonormal basis of the columns of y (thin Q of a Householder QR).
MatD orthonormalize(const MatD &y) {
  Eigen::HouseholderQR<MatD> qr(y);
  return qr.householderQ() * MatD::Identity(y.rows(), y.cols());
}

// Thin SVD of `a`. Eigen 3.4.0's divide-and-conquer SVD returns NaNs for
// some rank-deficient inputs (e.g. a constant 74 x 2048 matrix); the
// one-sided Jacobi SVD, slower but robust, takes over then.
void thinSvd(const MatD &a, MatD &leftVecs, MatD &rightVecs, VecD &sigma) {
  Eigen::BDCSVD<MatD> svd(a, Eigen::ComputeThinU | Eigen::ComputeThinV);
  if (svd.singularValues().allFinite() && svd.matrixU().allFinite() &&
      svd.matrixV().allFinite()) {
    leftVecs = svd.matrixU();
    rightVecs = svd.matrixV();
    sigma = svd.singularValues();
    return;
  }
  Eigen::JacobiSVD<MatD, Eigen::ColPivHouseholderQRPreconditioner> jacobi(
      a, Eigen::ComputeThinU | Eigen::ComputeThinV);
  leftVecs = jacobi.matrixU();
  rightVecs = jacobi.matrixV();
  sigma = jacobi.singularValues();
}

// Gaussian test matrix by Box-Muller on raw mt19937_64 draws:
// std::normal_distribution is not specified exactly, so using it would make
// the factors depend on the standard library.
MatD gaussian(Eigen::Index rows, Eigen::Index cols, uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto uniform = [&rng] {
    // 53 random bits in (0, 1]: never 0, so the logarithm is finite.
    return (static_cast<double>(rng() >> 11) + 1.0) * 0x1.0p-53;
  };
  MatD g(rows, cols);
  double *data = g.data();
  Eigen::Index size = g.size();
  constexpr double kTwoPi = 6.283185307179586476925286766559;
  for (Eigen::Index i = 0; i < size; i += 2) {
    double radius = std::sqrt(-2.0 * std::log(uniform()));
    double angle = kTwoPi * uniform();
    data[i] = radius * std::cos(angle);
    if (i + 1 < size)
      data[i + 1] = radius * std::sin(angle);
  }
  return g;
}

bool useRandomized(int64_t minDim, int64_t rank, const LowRankOptions &o) {
  int64_t sketch = rank + o.oversampling;
  switch (o.method) {
  case LowRankMethod::Exact:
    return false;
  case LowRankMethod::Randomized:
    return true;
  case LowRankMethod::Auto:
    // A sketch as wide as the matrix saves nothing.
    return sketch < minDim &&
           (minDim > o.randomizedMinDim ||
            static_cast<double>(sketch) <=
                o.randomizedMaxSketchFraction * static_cast<double>(minDim));
  }
  return false;
}

} // namespace

LowRankFactors lowRankApprox(const Matrix &w, int64_t rank,
                             const LowRankOptions &options) {
  assert(rank >= 0 && "rank must be non-negative");
  assert(static_cast<int64_t>(w.data.size()) == w.size());
  int64_t m = w.rows, n = w.cols, minDim = std::min(m, n);
  LowRankFactors result;
  result.u = Matrix(m, rank);
  result.v = Matrix(n, rank);
  MatD a = toEigen(w);
  result.norm = a.norm();
  int64_t used = std::min(rank, minDim);
  if (used == 0) {
    // Rank 0 (or an empty matrix): no SVD, the whole matrix is the residual.
    result.residualNorm = result.norm;
    return result;
  }

  // Leading singular triplets: leftVecs (m x p), rightVecs (n x p), sigma.
  MatD leftVecs, rightVecs;
  VecD sigma;
  result.randomized = useRandomized(minDim, rank, options);
  if (result.randomized) {
    // Halko, Martinsson, Tropp: sample the range with a Gaussian sketch,
    // sharpen it with power iterations (re-orthonormalizing each time, or
    // the small singular directions drown in rounding), then take the exact
    // SVD of the small projection Q^T A.
    int64_t sketch =
        std::min(rank + std::max<int64_t>(options.oversampling, 0), minDim);
    MatD q = orthonormalize(a * gaussian(n, sketch, options.seed));
    for (int64_t it = 0; it < options.powerIterations; ++it) {
      MatD z = orthonormalize(a.transpose() * q);
      q = orthonormalize(a * z);
    }
    MatD small = q.transpose() * a; // sketch x n
    MatD smallLeft;
    thinSvd(small, smallLeft, rightVecs, sigma);
    leftVecs = q * smallLeft;
  } else {
    thinSvd(a, leftVecs, rightVecs, sigma);
  }
  result.singularValues.assign(sigma.data(), sigma.data() + sigma.size());

  for (int64_t j = 0; j < used; ++j) {
    // Fix the sign ambiguity of the SVD so the factors do not depend on the
    // solver's internals: the largest |entry| of u_j is positive.
    Eigen::Index top = 0;
    leftVecs.col(j).cwiseAbs().maxCoeff(&top);
    double sign = leftVecs(top, j) < 0 ? -1.0 : 1.0;
    double s = sigma(j);
    double uScale =
        options.split == SingularValueSplit::IntoU ? s : std::sqrt(s);
    double vScale =
        options.split == SingularValueSplit::IntoU ? 1.0 : std::sqrt(s);
    for (int64_t i = 0; i < m; ++i)
      result.u(i, j) = static_cast<float>(sign * uScale * leftVecs(i, j));
    for (int64_t i = 0; i < n; ++i)
      result.v(i, j) = static_cast<float>(sign * vScale * rightVecs(i, j));
  }

  // Error of the factors actually returned (rounded to f32).
  MatD u = Eigen::Map<const RowMajorF>(result.u.data.data(), m, rank)
               .leftCols(used)
               .cast<double>();
  MatD v = Eigen::Map<const RowMajorF>(result.v.data.data(), n, rank)
               .leftCols(used)
               .cast<double>();
  result.residualNorm = (a - u * v.transpose()).norm();
  return result;
}

Matrix lowRankProduct(const Matrix &u, const Matrix &v) {
  assert(u.cols == v.cols && "factors must have the same rank");
  Matrix out(u.rows, v.rows);
  if (u.cols == 0 || out.empty())
    return out;
  RowMajorF prod =
      Eigen::Map<const RowMajorF>(u.data.data(), u.rows, u.cols) *
      Eigen::Map<const RowMajorF>(v.data.data(), v.rows, v.cols).transpose();
  std::copy(prod.data(), prod.data() + prod.size(), out.data.begin());
  return out;
}

// Calls f(blockIndex, blockRow, blockCol) for every stored block, in CSR
// order.
template <typename F> static void forEachBlock(const BlockLayout &layout, F f) {
  for (int64_t bi = 0; bi + 1 < static_cast<int64_t>(layout.rowPtr.size());
       ++bi)
    for (int64_t b = layout.rowPtr[bi]; b < layout.rowPtr[bi + 1]; ++b)
      f(b, bi, layout.colIdx[b]);
}

std::vector<float> extractBlocks(const Matrix &w, const BlockLayout &layout) {
  assert(w.rows == layout.n && w.cols == layout.k);
  int64_t bm = layout.bm, bk = layout.bk;
  std::vector<float> blocks(static_cast<size_t>(layout.numBlocks() * bm * bk));
  forEachBlock(layout, [&](int64_t b, int64_t bi, int64_t bj) {
    for (int64_t i = 0; i < bm; ++i)
      std::copy_n(w.row(bi * bm + i) + bj * bk, bk,
                  blocks.begin() + (b * bm + i) * bk);
  });
  return blocks;
}

Matrix blocksToDense(const std::vector<float> &blocks,
                     const BlockLayout &layout) {
  int64_t bm = layout.bm, bk = layout.bk;
  assert(static_cast<int64_t>(blocks.size()) == layout.numBlocks() * bm * bk);
  Matrix out(layout.n, layout.k);
  forEachBlock(layout, [&](int64_t b, int64_t bi, int64_t bj) {
    for (int64_t i = 0; i < bm; ++i)
      std::copy_n(blocks.begin() + (b * bm + i) * bk, bk,
                  out.row(bi * bm + i) + bj * bk);
  });
  return out;
}

Matrix zeroBlocks(const Matrix &w, const BlockLayout &layout) {
  assert(w.rows == layout.n && w.cols == layout.k);
  Matrix out = w;
  forEachBlock(layout, [&](int64_t, int64_t bi, int64_t bj) {
    for (int64_t i = 0; i < layout.bm; ++i)
      std::fill_n(out.row(bi * layout.bm + i) + bj * layout.bk, layout.bk,
                  0.0f);
  });
  return out;
}

BlockLowRankFit fitBlocksPlusLowRank(const Matrix &w, const BlockLayout &layout,
                                     int64_t rank,
                                     const LowRankOptions &options) {
  BlockLowRankFit fit;
  fit.blocks = extractBlocks(w, layout);
  fit.lowRank = lowRankApprox(zeroBlocks(w, layout), rank, options);
  // B_dense holds W's entries exactly on the blocks and R = W - B_dense is
  // zero there, so W - (B_dense + U V^T) = R - U V^T, whose norm
  // lowRankApprox measured.
  double norm = Eigen::Map<const Eigen::VectorXf>(w.data.data(), w.size())
                    .cast<double>()
                    .norm();
  fit.relativeError = norm == 0.0 ? 0.0 : fit.lowRank.residualNorm / norm;
  return fit;
}

PixelflyWeights toPixelflyWeights(const BlockLowRankFit &fit) {
  PixelflyWeights out;
  out.blocks = fit.blocks;
  out.u = fit.lowRank.u;
  out.v = fit.lowRank.v;
  double blockNorm = 0, lowRankNorm = 0;
  for (float x : fit.blocks)
    blockNorm += static_cast<double>(x) * x;
  for (double s : fit.lowRank.singularValues)
    lowRankNorm += s * s;
  blockNorm = std::sqrt(blockNorm);
  lowRankNorm = std::sqrt(lowRankNorm);
  if (lowRankNorm == 0 || out.u.cols == 0) {
    out.gamma = 1.0;
    return out;
  }
  if (blockNorm == 0) {
    out.gamma = 0.0;
    return out;
  }
  out.gamma = blockNorm / (blockNorm + lowRankNorm);
  for (float &x : out.blocks)
    x = static_cast<float>(x / out.gamma);
  // Each factor takes the square root of 1 / (1 - gamma).
  double scale = 1.0 / std::sqrt(1.0 - out.gamma);
  for (float &x : out.u.data)
    x = static_cast<float>(x * scale);
  for (float &x : out.v.data)
    x = static_cast<float>(x * scale);
  return out;
}

} // namespace mlir::pixelfly::patterns
