//===- Butterfly.cpp - Flat block butterfly layouts -----------------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Patterns/Butterfly.h"

#include <algorithm>

namespace mlir::pixelfly::patterns {

static bool isPowerOf2(int64_t v) { return v > 0 && (v & (v - 1)) == 0; }

static int64_t log2Exact(int64_t v) {
  int64_t l = 0;
  while ((int64_t{1} << l) < v)
    ++l;
  return l;
}

double BlockLayout::density() const {
  int64_t total = (n / bm) * (k / bk);
  return total == 0 ? 0.0 : static_cast<double>(numBlocks()) / total;
}

bool BlockLayout::contains(int64_t i, int64_t j) const {
  auto first = colIdx.begin() + rowPtr[i];
  auto last = colIdx.begin() + rowPtr[i + 1];
  return std::binary_search(first, last, j);
}

std::string verifyFlatButterfly(const FlatButterflyParams &p) {
  if (p.butterflySize < 2 || !isPowerOf2(p.butterflySize))
    return "butterfly_size must be a power of 2 and at least 2, got " +
           std::to_string(p.butterflySize);
  int64_t maxFactors = log2Exact(p.butterflySize);
  if (p.nFactors < 1 || p.nFactors > maxFactors)
    return "n_factors must be between 1 and log2(butterfly_size) = " +
           std::to_string(maxFactors) + ", got " + std::to_string(p.nFactors);
  if (p.block < 1)
    return "block must be positive, got " + std::to_string(p.block);
  if (p.globalSize < 0)
    return "global_size must be non-negative, got " +
           std::to_string(p.globalSize);
  return {};
}

std::string verifyFlatButterflyShape(const FlatButterflyParams &p, int64_t n,
                                     int64_t k) {
  if (std::string err = verifyFlatButterfly(p); !err.empty())
    return err;
  std::string shape = std::to_string(n) + "x" + std::to_string(k);
  if (n < 1 || k < 1)
    return "weight shape " + shape + " must be positive";
  if (n % p.butterflySize != 0 || k % p.butterflySize != 0)
    return "weight shape " + shape + " is not a multiple of butterfly_size " +
           std::to_string(p.butterflySize);
  if (n % p.block != 0 || k % p.block != 0)
    return "weight shape " + shape + " is not a multiple of block " +
           std::to_string(p.block);
  // Every factor below is at least 1, so a bound on the product is checked
  // by division, which cannot overflow.
  int64_t blockRows = n / p.block, blockCols = k / p.block;
  if (blockRows > kMaxLayoutBlocks / blockCols)
    return "weight shape " + shape + " in blocks of " +
           std::to_string(p.block) + " has " + std::to_string(blockRows) +
           " x " + std::to_string(blockCols) + " blocks, more than the " +
           std::to_string(kMaxLayoutBlocks) + " a layout is built for";
  // Mask entries one block covers, at most, in each direction.
  auto span = [&](int64_t stretch) {
    return std::min(p.butterflySize, (p.block - 1) / stretch + 2);
  };
  int64_t rowSpan = span(n / p.butterflySize),
          colSpan = span(k / p.butterflySize);
  if (blockRows > kMaxMaskLookups / rowSpan / blockCols / colSpan)
    return "butterfly_size " + std::to_string(p.butterflySize) +
           " is too fine for weight shape " + shape + " in blocks of " +
           std::to_string(p.block) + ": materializing would test more than " +
           std::to_string(kMaxMaskLookups) + " mask entries";
  return {};
}

bool butterflyMaskEntry(int64_t butterflySize, int64_t nFactors, int64_t i,
                        int64_t j) {
  (void)butterflySize;
  int64_t x = i ^ j;
  // Diagonal, or a single differing bit below 2^nFactors (one factor's
  // stride).
  return x == 0 || (isPowerOf2(x) && x < (int64_t{1} << nFactors));
}

BlockLayout flatButterflyLayout(const FlatButterflyParams &p, int64_t n,
                                int64_t k) {
  BlockLayout layout;
  layout.n = n;
  layout.k = k;
  layout.bm = layout.bk = p.block;
  int64_t blockRows = n / p.block, blockCols = k / p.block;
  // Elements per butterfly entry in each direction (the stretch).
  int64_t rowStretch = n / p.butterflySize, colStretch = k / p.butterflySize;
  layout.rowPtr.reserve(blockRows + 1);
  layout.rowPtr.push_back(0);
  for (int64_t bi = 0; bi < blockRows; ++bi) {
    int64_t rowBegin = bi * p.block, rowEnd = rowBegin + p.block;
    int64_t r0 = rowBegin / rowStretch, r1 = (rowEnd - 1) / rowStretch;
    for (int64_t bj = 0; bj < blockCols; ++bj) {
      int64_t colBegin = bj * p.block, colEnd = colBegin + p.block;
      bool keep = rowBegin < p.globalSize || colBegin < p.globalSize;
      int64_t c0 = colBegin / colStretch, c1 = (colEnd - 1) / colStretch;
      for (int64_t r = r0; r <= r1 && !keep; ++r)
        for (int64_t c = c0; c <= c1 && !keep; ++c)
          keep = butterflyMaskEntry(p.butterflySize, p.nFactors, r, c);
      if (keep)
        layout.colIdx.push_back(bj);
    }
    layout.rowPtr.push_back(layout.numBlocks());
  }
  return layout;
}

double flatButterflyNominalDensity(const FlatButterflyParams &p) {
  return static_cast<double>(p.nFactors + 1) / p.butterflySize;
}

} // namespace mlir::pixelfly::patterns
