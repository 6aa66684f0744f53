//===- LowRank.h - Truncated SVD and block-sparse + low-rank fits -*- C++ -*-=//
//
// Part of the pixelfly-mlir project.
//
// Plain C++ (no MLIR types; Eigen is used only inside the implementation).
// Used by the sparsification pass to project a compile-time weight onto
// `B + U V^T` (DESIGN.md section 6).
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_PATTERNS_LOWRANK_H
#define PIXELFLY_PATTERNS_LOWRANK_H

#include "pixelfly/Patterns/Butterfly.h"
#include "pixelfly/Patterns/Matrix.h"

#include <cstdint>
#include <vector>

namespace mlir::pixelfly::patterns {

enum class LowRankMethod {
  /// Randomized when the matrix is large or the rank small (see
  /// `LowRankOptions`), exact otherwise.
  Auto,
  /// Full thin SVD (Eigen's divide-and-conquer BDCSVD), optimal.
  Exact,
  /// Randomized range finder (Halko, Martinsson, Tropp 2011), near-optimal.
  Randomized,
};

/// How the singular values are shared between the factors.
enum class SingularValueSplit {
  /// `U = U_svd * S`, `V = V_svd` (V has orthonormal columns).
  IntoU,
  /// `U = U_svd * sqrt(S)`, `V = V_svd * sqrt(S)`: both factors have the
  /// same column norms, which suits training both.
  Balanced,
};

struct LowRankOptions {
  LowRankMethod method = LowRankMethod::Auto;
  SingularValueSplit split = SingularValueSplit::Balanced;
  /// Auto: randomized when the sketch is narrower than `min(m, n)` and
  /// `min(m, n)` exceeds this...
  int64_t randomizedMinDim = 512;
  /// ...or when the sketch (`rank + oversampling`) is at most this fraction
  /// of `min(m, n)` (rank much smaller than the matrix).
  double randomizedMaxSketchFraction = 1.0 / 16;
  /// Extra sketch columns of the randomized method.
  int64_t oversampling = 10;
  /// Power (subspace) iterations of the randomized method, each followed by
  /// a QR re-orthonormalization.
  int64_t powerIterations = 2;
  /// Seed of the Gaussian test matrix; the result is a deterministic
  /// function of the input, rank and options.
  uint64_t seed = 0x9e3779b97f4a7c15ull;
};

/// `W ~= U * V^T`.
struct LowRankFactors {
  /// `m x rank` and `n x rank`. Columns past `min(m, n)` (when the rank
  /// exceeds it) are zero. Column j's sign makes the largest-magnitude entry
  /// of the corresponding left singular vector positive.
  Matrix u, v;
  /// The singular values found, in decreasing order: all `min(m, n)` of
  /// them with the exact method; with the randomized method the sketch's
  /// `min(rank + oversampling, min(m, n))`, approximations of the leading
  /// ones. Empty when no SVD was needed (rank 0, empty matrix).
  std::vector<double> singularValues;
  /// Whether the randomized method was used.
  bool randomized = false;
  /// `||W - U V^T||_F` and `||W||_F`, computed explicitly (in double).
  double residualNorm = 0.0, norm = 0.0;

  /// `||W - U V^T||_F / ||W||_F`, 0 when `W` is 0.
  double relativeError() const {
    return norm == 0.0 ? 0.0 : residualNorm / norm;
  }
};

/// Best rank-`rank` approximation of `w` (`rank >= 0`; 0 gives empty
/// factors and a relative error of 1, or 0 for a zero matrix).
LowRankFactors lowRankApprox(const Matrix &w, int64_t rank,
                             const LowRankOptions &options = {});

/// `u * v^T` (`u`: m x r, `v`: n x r).
Matrix lowRankProduct(const Matrix &u, const Matrix &v);

/// The blocks of `w` on `layout` (`layout.n == w.rows`, `layout.k ==
/// w.cols`): a `numBlocks x bm x bk` row-major array in the layout's CSR
/// order.
std::vector<float> extractBlocks(const Matrix &w, const BlockLayout &layout);

/// The dense `layout.n x layout.k` matrix of `blocks` on `layout` (zero
/// outside the stored blocks).
Matrix blocksToDense(const std::vector<float> &blocks,
                     const BlockLayout &layout);

/// `w` with the blocks of `layout` set to zero.
Matrix zeroBlocks(const Matrix &w, const BlockLayout &layout);

/// Projection of a weight onto `B + U V^T` (the sparsification of a
/// compile-time weight).
struct BlockLowRankFit {
  /// `numBlocks x bm x bk`: the entries of `W` on the layout.
  std::vector<float> blocks;
  /// Best rank-r fit of the remainder `R` (`W` with the blocks zeroed);
  /// `lowRank.relativeError()` is relative to `R`.
  LowRankFactors lowRank;
  /// `||W - (B_dense + U V^T)||_F / ||W||_F` (0 when `W` is 0).
  double relativeError = 0.0;
};

/// Fits `w` as its blocks on `layout` plus the best rank-`rank` fit of what
/// the blocks leave out.
BlockLowRankFit fitBlocksPlusLowRank(const Matrix &w, const BlockLayout &layout,
                                     int64_t rank,
                                     const LowRankOptions &options = {});

/// Weights of a Pixelfly layer `gamma * B + (1 - gamma) * U V^T` that
/// reproduce a blocks-plus-low-rank fit: with `gamma = |B| / (|B| + |L|)`
/// (Frobenius norms of the blocks and of the low-rank product), the blocks
/// are divided by `gamma` and `U`, `V` by `sqrt(1 - gamma)` each, so both
/// stored terms have the same norm. With no low-rank term (rank 0 or a zero
/// remainder) gamma is 1 and the blocks are unchanged; with zero blocks
/// gamma is 0 and the factors are unchanged.
struct PixelflyWeights {
  std::vector<float> blocks;
  Matrix u, v;
  double gamma = 1.0;
};
PixelflyWeights toPixelflyWeights(const BlockLowRankFit &fit);

} // namespace mlir::pixelfly::patterns

#endif // PIXELFLY_PATTERNS_LOWRANK_H
