//===- Butterfly.h - Flat block butterfly layouts ---------------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// Plain C++ (no MLIR types), shared by the dialect, the analyses and the
// command-line tools.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_PATTERNS_BUTTERFLY_H
#define PIXELFLY_PATTERNS_BUTTERFLY_H

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::pixelfly::patterns {

/// Parameters of a flat block butterfly (see DESIGN.md section 4).
struct FlatButterflyParams {
  int64_t butterflySize = 0;
  int64_t nFactors = 0;
  int64_t block = 0;
  /// Number of leading rows and columns (in elements) made dense.
  int64_t globalSize = 0;
};

/// A block-sparse layout in CSR order over an `n x k` matrix of `bm x bk`
/// blocks.
struct BlockLayout {
  int64_t n = 0, k = 0, bm = 0, bk = 0;
  std::vector<int64_t> rowPtr; // n / bm + 1 entries
  std::vector<int64_t> colIdx; // one per stored block

  int64_t numBlocks() const { return static_cast<int64_t>(colIdx.size()); }
  /// Fraction of the blocks (and so of the entries) that are stored.
  double density() const;
  /// Whether block (i, j) is stored.
  bool contains(int64_t i, int64_t j) const;
};

/// Returns an empty string when the parameters are valid, otherwise why they
/// are not.
std::string verifyFlatButterfly(const FlatButterflyParams &p);

/// Largest block grid a layout is materialized for (CSR arrays in memory).
constexpr int64_t kMaxLayoutBlocks = int64_t{1} << 24;
/// Largest number of butterfly mask entries materializing may test (a mask
/// much finer than the blocks tests many entries per block).
constexpr int64_t kMaxMaskLookups = int64_t{1} << 28;

/// Returns an empty string when the parameters can be materialized for an
/// `n x k` weight, otherwise why not: the shape must fit the generator and
/// stay within `kMaxLayoutBlocks` and `kMaxMaskLookups`. Includes
/// `verifyFlatButterfly`.
std::string verifyFlatButterflyShape(const FlatButterflyParams &p, int64_t n,
                                     int64_t k);

/// Entry (i, j) of the `butterflySize x butterflySize` mask: the sum of the
/// first `nFactors` butterfly factors (strides 1, 2, 4, ...).
bool butterflyMaskEntry(int64_t butterflySize, int64_t nFactors, int64_t i,
                        int64_t j);

/// Materializes the block layout of an `n x k` weight. The caller must have
/// checked `verifyFlatButterflyShape`. Works at block granularity: a block is
/// stored when any element of it is set in the stretched mask.
BlockLayout flatButterflyLayout(const FlatButterflyParams &p, int64_t n,
                                int64_t k);

/// Density of the butterfly mask before the block reduction:
/// `(nFactors + 1) / butterflySize`.
double flatButterflyNominalDensity(const FlatButterflyParams &p);

} // namespace mlir::pixelfly::patterns

#endif // PIXELFLY_PATTERNS_BUTTERFLY_H
