//===- TwoFour.cpp - 2:4 semi-structured sparsity -------------------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Patterns/TwoFour.h"

#include <cassert>
#include <cmath>

namespace mlir::pixelfly::patterns {

std::string verifyTwoFourShape(int64_t n, int64_t k, bool transposable,
                               bool compressed, bool withTranspose) {
  std::string shape = std::to_string(n) + "x" + std::to_string(k);
  if (n < 1 || k < 1)
    return "weight shape " + shape + " must be positive";
  int64_t kMultiple = compressed ? 16 : 4;
  if (k % kMultiple != 0)
    return "weight shape " + shape + ": K must be a multiple of " +
           std::to_string(kMultiple);
  if (withTranspose && !transposable)
    return "compressing W^T needs the transposable variant";
  int64_t nMultiple = withTranspose ? 16 : transposable ? 4 : 1;
  if (n % nMultiple != 0)
    return "weight shape " + shape + ": N must be a multiple of " +
           std::to_string(nMultiple) +
           (withTranspose ? " to compress W^T"
                          : " for the transposable variant");
  return {};
}

//===----------------------------------------------------------------------===//
// Selection
//===----------------------------------------------------------------------===//

unsigned select24Group(const float x[4]) {
  // Sort key: the magnitude, or -1 for NaN so a NaN ranks below every number
  // (including 0 and infinity).
  float key[4];
  for (int i = 0; i < 4; ++i)
    key[i] = std::isnan(x[i]) ? -1.0f : std::fabs(x[i]);
  // Rank = number of entries that beat entry i in the strict total order
  // (larger key first, then lower index). Exactly two entries have rank < 2.
  // No data-dependent branch, so a GPU kernel can do the same per group.
  unsigned bits = 0;
  for (int i = 0; i < 4; ++i) {
    int rank = 0;
    for (int j = 0; j < 4; ++j)
      rank += (key[j] > key[i]) | ((key[j] == key[i]) & (j < i));
    bits |= static_cast<unsigned>(rank < 2) << i;
  }
  return bits;
}

Mask select24(const Matrix &w) {
  assert(w.cols % 4 == 0 && "K must be a multiple of 4");
  Mask mask(static_cast<size_t>(w.size()), 0);
  for (int64_t r = 0; r < w.rows; ++r) {
    const float *row = w.row(r);
    uint8_t *out = mask.data() + r * w.cols;
    for (int64_t c = 0; c < w.cols; c += 4) {
      unsigned bits = select24Group(row + c);
      for (int i = 0; i < 4; ++i)
        out[c + i] = (bits >> i) & 1;
    }
  }
  return mask;
}

namespace {
// The six ways to keep two of four, in increasing lexicographic order of
// (i0, i1), which is decreasing order of the 4-bit word with entry 0 as its
// most significant bit.
constexpr int kPairs[6][2] = {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}};

struct TileMaskTable {
  std::array<uint16_t, kNumTransposableTileMasks> bits{};
  // Pair index (into kPairs) that row r of each mask keeps.
  std::array<std::array<uint8_t, 4>, kNumTransposableTileMasks> rowPair{};

  TileMaskTable() {
    int m = 0;
    for (int p0 = 0; p0 < 6; ++p0)
      for (int p1 = 0; p1 < 6; ++p1)
        for (int p2 = 0; p2 < 6; ++p2)
          for (int p3 = 0; p3 < 6; ++p3) {
            int p[4] = {p0, p1, p2, p3};
            int colCount[4] = {0, 0, 0, 0};
            uint16_t b = 0;
            for (int r = 0; r < 4; ++r)
              for (int e = 0; e < 2; ++e) {
                ++colCount[kPairs[p[r]][e]];
                b |= uint16_t(1u << (4 * r + kPairs[p[r]][e]));
              }
            if (colCount[0] != 2 || colCount[1] != 2 || colCount[2] != 2 ||
                colCount[3] != 2)
              continue;
            assert(m < kNumTransposableTileMasks);
            bits[m] = b;
            for (int r = 0; r < 4; ++r)
              rowPair[m][r] = static_cast<uint8_t>(p[r]);
            ++m;
          }
    assert(m == kNumTransposableTileMasks);
  }
};

const TileMaskTable &tileMaskTable() {
  static const TileMaskTable table;
  return table;
}
} // namespace

const std::array<uint16_t, kNumTransposableTileMasks> &transposableTileMasks() {
  return tileMaskTable().bits;
}

// Why exhaustive: the issue suggests sorting the 16 magnitudes and picking
// greedily, but a greedy pick can dead-end (a row still needing an entry
// whose only free columns are already full) and, even when it completes, is
// not optimal. Scoring all 90 valid masks is cheap (per row, 6 pair scores;
// per mask, 4 additions), has no data-dependent branch, and gives the
// optimal, deterministic choice; a GPU thread per tile can run it as is.
int selectTransposableTile(const float tile[16]) {
  const TileMaskTable &table = tileMaskTable();
  // Per entry: NaN flag, infinity flag, finite magnitude (0 for NaN/inf).
  int isNan[16], isInf[16];
  double mag[16];
  for (int e = 0; e < 16; ++e) {
    float x = tile[e];
    isNan[e] = std::isnan(x);
    isInf[e] = std::isinf(x);
    mag[e] = (isNan[e] | isInf[e]) ? 0.0 : std::fabs(static_cast<double>(x));
  }
  // Per row and pair: the three score components of keeping that pair.
  int pairNan[4][6], pairInf[4][6];
  double pairMag[4][6];
  for (int r = 0; r < 4; ++r)
    for (int p = 0; p < 6; ++p) {
      int a = 4 * r + kPairs[p][0], b = 4 * r + kPairs[p][1];
      pairNan[r][p] = isNan[a] + isNan[b];
      pairInf[r][p] = isInf[a] + isInf[b];
      pairMag[r][p] = mag[a] + mag[b];
    }
  // Lexicographic score: fewest NaNs, then most infinities (magnitudes that
  // dominate any finite sum), then the largest finite sum. A strict "better"
  // keeps the earliest mask on ties. Selects, no branches.
  int best = 0, bestNan = 0, bestInf = 0;
  double bestMag = 0.0;
  for (int m = 0; m < kNumTransposableTileMasks; ++m) {
    const auto &rp = table.rowPair[m];
    int nan = pairNan[0][rp[0]] + pairNan[1][rp[1]] + pairNan[2][rp[2]] +
              pairNan[3][rp[3]];
    int inf = pairInf[0][rp[0]] + pairInf[1][rp[1]] + pairInf[2][rp[2]] +
              pairInf[3][rp[3]];
    double sum = ((pairMag[0][rp[0]] + pairMag[1][rp[1]]) + pairMag[2][rp[2]]) +
                 pairMag[3][rp[3]];
    bool better = (m == 0) | (nan < bestNan) |
                  ((nan == bestNan) &
                   ((inf > bestInf) | ((inf == bestInf) & (sum > bestMag))));
    best = better ? m : best;
    bestNan = better ? nan : bestNan;
    bestInf = better ? inf : bestInf;
    bestMag = better ? sum : bestMag;
  }
  return best;
}

Mask selectTransposable24(const Matrix &w) {
  assert(w.rows % 4 == 0 && w.cols % 4 == 0 &&
         "N and K must be multiples of 4");
  const auto &masks = transposableTileMasks();
  Mask mask(static_cast<size_t>(w.size()), 0);
  float tile[16];
  for (int64_t r0 = 0; r0 < w.rows; r0 += 4)
    for (int64_t c0 = 0; c0 < w.cols; c0 += 4) {
      for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 4; ++c)
          tile[4 * r + c] = w(r0 + r, c0 + c);
      uint16_t bits = masks[selectTransposableTile(tile)];
      for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 4; ++c)
          mask[(r0 + r) * w.cols + c0 + c] = (bits >> (4 * r + c)) & 1;
    }
  return mask;
}

//===----------------------------------------------------------------------===//
// Checks and helpers
//===----------------------------------------------------------------------===//

bool isValid24(const Mask &mask, int64_t n, int64_t k) {
  if (n < 0 || k < 0 || k % 4 != 0 ||
      static_cast<int64_t>(mask.size()) != n * k)
    return false;
  for (int64_t r = 0; r < n; ++r)
    for (int64_t c = 0; c < k; c += 4) {
      const uint8_t *g = mask.data() + r * k + c;
      if ((g[0] != 0) + (g[1] != 0) + (g[2] != 0) + (g[3] != 0) != 2)
        return false;
    }
  return true;
}

bool isTransposable24(const Mask &mask, int64_t n, int64_t k) {
  if (n % 4 != 0 || !isValid24(mask, n, k))
    return false;
  // Rows are 2:4 already; check every column of every tile.
  for (int64_t r0 = 0; r0 < n; r0 += 4)
    for (int64_t c = 0; c < k; ++c) {
      int kept = 0;
      for (int r = 0; r < 4; ++r)
        kept += mask[(r0 + r) * k + c] != 0;
      if (kept != 2)
        return false;
    }
  return true;
}

Mask transposeMask(const Mask &mask, int64_t n, int64_t k) {
  assert(static_cast<int64_t>(mask.size()) == n * k);
  Mask t(mask.size());
  for (int64_t r = 0; r < n; ++r)
    for (int64_t c = 0; c < k; ++c)
      t[c * n + r] = mask[r * k + c];
  return t;
}

Matrix applyMask(const Matrix &w, const Mask &mask) {
  assert(static_cast<int64_t>(mask.size()) == w.size());
  Matrix out(w.rows, w.cols);
  for (size_t i = 0; i < mask.size(); ++i)
    if (mask[i])
      out.data[i] = w.data[i];
  return out;
}

//===----------------------------------------------------------------------===//
// Compressed format
//===----------------------------------------------------------------------===//

Compressed24 compress24(const Matrix &w, const Mask &mask) {
  assert(w.cols % 16 == 0 && "K must be a multiple of 16");
  assert(isValid24(mask, w.rows, w.cols) && "mask must be 2:4");
  Compressed24 c;
  c.rows = w.rows;
  c.cols = w.cols;
  c.values.assign(static_cast<size_t>(w.rows * (w.cols / 2)), 0.0f);
  c.metadata.assign(static_cast<size_t>(w.rows * (w.cols / 16)), 0);
  int64_t groups = w.cols / 4;
  for (int64_t r = 0; r < w.rows; ++r) {
    const float *row = w.row(r);
    const uint8_t *maskRow = mask.data() + r * w.cols;
    float *values = c.values.data() + r * (w.cols / 2);
    uint16_t *meta = c.metadata.data() + r * (w.cols / 16);
    for (int64_t g = 0; g < groups; ++g) {
      // The two kept indices in increasing order.
      unsigned idx[2] = {0, 0};
      int found = 0;
      for (unsigned i = 0; i < 4; ++i)
        if (maskRow[4 * g + i] && found < 2)
          idx[found++] = i;
      values[2 * g] = row[4 * g + idx[0]];
      values[2 * g + 1] = row[4 * g + idx[1]];
      unsigned nibble = idx[0] | (idx[1] << 2);
      meta[g / 4] |= static_cast<uint16_t>(nibble << (4 * (g % 4)));
    }
  }
  return c;
}

Matrix decompress24(const std::vector<float> &values,
                    const std::vector<uint16_t> &metadata, int64_t n,
                    int64_t k) {
  assert(k % 16 == 0 && "K must be a multiple of 16");
  assert(static_cast<int64_t>(values.size()) == n * (k / 2));
  assert(static_cast<int64_t>(metadata.size()) == n * (k / 16));
  Matrix w(n, k);
  for (int64_t r = 0; r < n; ++r) {
    float *row = w.row(r);
    const float *v = values.data() + r * (k / 2);
    const uint16_t *meta = metadata.data() + r * (k / 16);
    for (int64_t g = 0; g < k / 4; ++g) {
      unsigned nibble = (meta[g / 4] >> (4 * (g % 4))) & 0xF;
      unsigned i0 = nibble & 3, i1 = nibble >> 2;
      // Assign rather than add to the zero fill, so -0.0 survives the round
      // trip; equal indices accumulate, as the product would.
      row[4 * g + i0] = v[2 * g];
      row[4 * g + i1] = i0 == i1 ? v[2 * g] + v[2 * g + 1] : v[2 * g + 1];
    }
  }
  return w;
}

Matrix decompress24(const Compressed24 &c) {
  return decompress24(c.values, c.metadata, c.rows, c.cols);
}

Compressed24 compressTransposed24(const Matrix &w, const Mask &mask) {
  assert(isTransposable24(mask, w.rows, w.cols) &&
         "mask must be transposable 2:4");
  return compress24(w.transposed(), transposeMask(mask, w.rows, w.cols));
}

Pruned24 prune24(const Matrix &w, bool transposable, bool withTranspose) {
  assert(verifyTwoFourShape(w.rows, w.cols, transposable, true, withTranspose)
             .empty());
  Pruned24 p;
  p.mask = transposable ? selectTransposable24(w) : select24(w);
  p.weight = compress24(w, p.mask);
  if (withTranspose)
    p.transposed = compressTransposed24(w, p.mask);
  return p;
}

std::vector<uint32_t> metadataForMma16832(const std::vector<uint16_t> &metadata,
                                          int64_t n, int64_t k) {
  assert(n % 16 == 0 && k % 32 == 0 &&
         static_cast<int64_t>(metadata.size()) == n * (k / 16));
  int64_t metaCols = k / 16, tileCols = k / 32;
  std::vector<uint32_t> words(static_cast<size_t>(n / 16 * tileCols * 16));
  for (int64_t r = 0; r < n / 16; ++r)
    for (int64_t c = 0; c < tileCols; ++c)
      for (int64_t g = 0; g < 8; ++g)
        for (int64_t h = 0; h < 2; ++h) {
          uint32_t low = metadata[(16 * r + g) * metaCols + 2 * c + h];
          uint32_t high = metadata[(16 * r + g + 8) * metaCols + 2 * c + h];
          words[((r * tileCols + c) * 16) + 2 * g + h] = low | (high << 16);
        }
  return words;
}

} // namespace mlir::pixelfly::patterns
