//===- TwoFourTest.cpp - 2:4 selection and compressed format --------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Patterns/TwoFour.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <random>

using namespace mlir::pixelfly::patterns;

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

uint32_t bitsOf(float x) {
  uint32_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

float fromBits(uint32_t b) {
  float x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}

::testing::AssertionResult bitEqual(const Matrix &a, const Matrix &b) {
  if (a.rows != b.rows || a.cols != b.cols)
    return ::testing::AssertionFailure() << "shape " << a.rows << "x" << a.cols
                                         << " vs " << b.rows << "x" << b.cols;
  for (int64_t i = 0; i < a.rows; ++i)
    for (int64_t j = 0; j < a.cols; ++j)
      if (bitsOf(a(i, j)) != bitsOf(b(i, j)))
        return ::testing::AssertionFailure()
               << "entry (" << i << ", " << j << "): " << a(i, j) << " vs "
               << b(i, j);
  return ::testing::AssertionSuccess();
}

Matrix randomMatrix(int64_t rows, int64_t cols, std::mt19937 &rng) {
  Matrix m(rows, cols);
  std::normal_distribution<float> dist;
  for (float &x : m.data)
    x = dist(rng);
  return m;
}

// Small integers: many exact ties and zeros (of both signs).
Matrix tieHeavyMatrix(int64_t rows, int64_t cols, std::mt19937 &rng) {
  Matrix m(rows, cols);
  std::uniform_int_distribution<int> dist(-2, 2);
  for (float &x : m.data) {
    x = static_cast<float>(dist(rng));
    if (x == 0.0f && (rng() & 1))
      x = -0.0f;
  }
  return m;
}

// Sprinkles NaNs (with different payloads and signs) and +-infinity.
void injectSpecials(Matrix &m, std::mt19937 &rng, int percent) {
  std::uniform_int_distribution<int> pick(0, 99);
  for (float &x : m.data) {
    int p = pick(rng);
    if (p < percent)
      x = fromBits(0x7fc00000u | (rng() & 0x3fffffu) | (rng() & 1u) << 31);
    else if (p < 2 * percent)
      x = (rng() & 1) ? kInf : -kInf;
  }
}

// Reference selection: stable sort of the group (numbers before NaNs, larger
// magnitude first; stability sends ties to the lower index), keep the first
// two.
unsigned referenceGroup(const float *x) {
  int idx[4] = {0, 1, 2, 3};
  std::stable_sort(idx, idx + 4, [&](int a, int b) {
    bool nanA = std::isnan(x[a]), nanB = std::isnan(x[b]);
    if (nanA || nanB)
      return !nanA && nanB;
    return std::fabs(x[a]) > std::fabs(x[b]);
  });
  return (1u << idx[0]) | (1u << idx[1]);
}

Mask referenceSelect24(const Matrix &w) {
  Mask mask(w.data.size(), 0);
  for (int64_t r = 0; r < w.rows; ++r)
    for (int64_t c = 0; c < w.cols; c += 4) {
      unsigned bits = referenceGroup(w.row(r) + c);
      for (int i = 0; i < 4; ++i)
        mask[r * w.cols + c + i] = (bits >> i) & 1;
    }
  return mask;
}

// Brute force over all 2^16 masks of a tile. Bit 4r+c is entry (r, c).
bool isTileTransposable(unsigned mask) {
  for (int i = 0; i < 4; ++i) {
    int row = 0, col = 0;
    for (int j = 0; j < 4; ++j) {
      row += (mask >> (4 * i + j)) & 1;
      col += (mask >> (4 * j + i)) & 1;
    }
    if (row != 2 || col != 2)
      return false;
  }
  return true;
}

// The documented order: decreasing value of the word whose most significant
// bit is entry (0, 0), i.e. the bit-reversed mask.
unsigned reversed16(unsigned mask) {
  unsigned r = 0;
  for (int b = 0; b < 16; ++b)
    r |= ((mask >> b) & 1) << (15 - b);
  return r;
}

std::vector<unsigned> referenceTileMasks() {
  std::vector<unsigned> masks;
  for (unsigned m = 0; m < (1u << 16); ++m)
    if (isTileTransposable(m))
      masks.push_back(m);
  std::sort(masks.begin(), masks.end(), [](unsigned a, unsigned b) {
    return reversed16(a) > reversed16(b);
  });
  return masks;
}

struct TileScore {
  int nans = 0, infs = 0;
  double sum = 0.0;
};

TileScore scoreTile(const float *tile, unsigned mask) {
  TileScore s;
  for (int e = 0; e < 16; ++e) {
    if (!((mask >> e) & 1))
      continue;
    if (std::isnan(tile[e]))
      ++s.nans;
    else if (std::isinf(tile[e]))
      ++s.infs;
    else
      s.sum += std::fabs(static_cast<double>(tile[e]));
  }
  return s;
}

bool betterScore(const TileScore &a, const TileScore &b) {
  if (a.nans != b.nans)
    return a.nans < b.nans;
  if (a.infs != b.infs)
    return a.infs > b.infs;
  return a.sum > b.sum;
}

// Best tile mask by brute force; the first in the documented order on ties.
unsigned referenceTile(const float *tile) {
  static const std::vector<unsigned> masks = referenceTileMasks();
  unsigned best = masks.front();
  for (unsigned m : masks)
    if (betterScore(scoreTile(tile, m), scoreTile(tile, best)))
      best = m;
  return best;
}

void extractTile(const Matrix &w, int64_t r0, int64_t c0, float *tile) {
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 4; ++c)
      tile[4 * r + c] = w(r0 + r, c0 + c);
}

unsigned tileOfMask(const Mask &mask, int64_t k, int64_t r0, int64_t c0) {
  unsigned bits = 0;
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 4; ++c)
      bits |= unsigned(mask[(r0 + r) * k + c0 + c] != 0) << (4 * r + c);
  return bits;
}

//===----------------------------------------------------------------------===//
// Plain 2:4 selection
//===----------------------------------------------------------------------===//

TEST(TwoFour, GroupSelectionRules) {
  auto sel = [](float a, float b, float c, float d) {
    float x[4] = {a, b, c, d};
    return select24Group(x);
  };
  EXPECT_EQ(sel(0, 5, 0, 7), 0b1010u);
  EXPECT_EQ(sel(1, 0, 0, 2), 0b1001u);
  EXPECT_EQ(sel(-3, 1, 2, -1), 0b0101u); // magnitude, not value
  // Ties go to the lower index.
  EXPECT_EQ(sel(2, 2, 2, 2), 0b0011u);
  EXPECT_EQ(sel(1, 3, 3, 3), 0b0110u);
  EXPECT_EQ(sel(0.0f, -0.0f, 0.0f, -0.0f), 0b0011u);
  EXPECT_EQ(sel(-2, 2, 1, 2), 0b0011u);
  // NaN never beats a number, zero included; a group of NaNs keeps its
  // first two.
  EXPECT_EQ(sel(kNaN, 1, kNaN, 0), 0b1010u);
  EXPECT_EQ(sel(kNaN, kNaN, kNaN, kNaN), 0b0011u);
  EXPECT_EQ(sel(kNaN, kNaN, kNaN, -0.0f), 0b1001u);
  EXPECT_EQ(sel(-kNaN, kNaN, 3, kNaN), 0b0101u);
  // Infinities are the largest magnitudes.
  EXPECT_EQ(sel(kInf, 1, -kInf, 2), 0b0101u);
  EXPECT_EQ(sel(1, -kInf, 1e30f, kNaN), 0b0110u);
  EXPECT_EQ(sel(kNaN, kInf, 0, kNaN), 0b0110u);
  EXPECT_EQ(sel(-kInf, kInf, kInf, kInf), 0b0011u);
}

// Property: random, tie-heavy and special-valued matrices select exactly
// what the sort-based reference selects, and the mask is 2:4.
TEST(TwoFour, SelectionMatchesSortReference) {
  std::mt19937 rng(1234);
  for (int trial = 0; trial < 60; ++trial) {
    int64_t n = std::uniform_int_distribution<int64_t>(1, 24)(rng);
    int64_t k = 4 * std::uniform_int_distribution<int64_t>(1, 20)(rng);
    Matrix w = trial % 3 == 0   ? randomMatrix(n, k, rng)
               : trial % 3 == 1 ? tieHeavyMatrix(n, k, rng)
                                : randomMatrix(n, k, rng);
    if (trial % 3 == 2)
      injectSpecials(w, rng, 15);
    if (trial % 6 == 1)
      injectSpecials(w, rng, 10);
    Mask mask = select24(w);
    ASSERT_TRUE(isValid24(mask, n, k)) << "trial " << trial;
    EXPECT_EQ(mask, referenceSelect24(w)) << "trial " << trial;
  }
}

// Property: no NaN is kept while a number of its group is dropped, and every
// kept magnitude is at least every dropped one.
TEST(TwoFour, KeptDominatesDropped) {
  std::mt19937 rng(99);
  Matrix w = randomMatrix(64, 128, rng);
  injectSpecials(w, rng, 8);
  Mask mask = select24(w);
  for (int64_t r = 0; r < w.rows; ++r)
    for (int64_t c = 0; c < w.cols; c += 4)
      for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j) {
          if (!mask[r * w.cols + c + i] || mask[r * w.cols + c + j])
            continue;
          float kept = w(r, c + i), dropped = w(r, c + j);
          if (std::isnan(kept)) {
            EXPECT_TRUE(std::isnan(dropped)) << r << "," << c;
          } else if (!std::isnan(dropped)) {
            EXPECT_GE(std::fabs(kept), std::fabs(dropped)) << r << "," << c;
          }
        }
}

//===----------------------------------------------------------------------===//
// Transposable selection
//===----------------------------------------------------------------------===//

TEST(TwoFour, TileMaskEnumeration) {
  std::vector<unsigned> ref = referenceTileMasks();
  ASSERT_EQ(ref.size(), 90u);
  const auto &masks = transposableTileMasks();
  ASSERT_EQ(masks.size(), ref.size());
  for (size_t i = 0; i < ref.size(); ++i)
    EXPECT_EQ(masks[i], ref[i]) << "position " << i;
  // First: rows keep (0,1), (0,1), (2,3), (2,3).
  EXPECT_EQ(masks[0], 0xCC33u);
}

// Property: the chosen mask is transposable and scores as well as the best
// of the 90 by brute force; on exactly representable sums (small integers,
// many ties) it is the very mask the documented tie order picks.
TEST(TwoFour, TransposableIsOptimal) {
  std::mt19937 rng(2024);
  for (int trial = 0; trial < 40; ++trial) {
    int64_t n = 4 * std::uniform_int_distribution<int64_t>(1, 8)(rng);
    int64_t k = 4 * std::uniform_int_distribution<int64_t>(1, 8)(rng);
    bool exactSums = trial % 2 == 1;
    Matrix w = exactSums ? tieHeavyMatrix(n, k, rng) : randomMatrix(n, k, rng);
    if (trial % 4 >= 2)
      injectSpecials(w, rng, 12);
    Mask mask = selectTransposable24(w);
    ASSERT_TRUE(isTransposable24(mask, n, k)) << "trial " << trial;
    ASSERT_TRUE(isTransposable24(transposeMask(mask, n, k), k, n));
    float tile[16];
    for (int64_t r0 = 0; r0 < n; r0 += 4)
      for (int64_t c0 = 0; c0 < k; c0 += 4) {
        extractTile(w, r0, c0, tile);
        unsigned got = tileOfMask(mask, k, r0, c0);
        unsigned want = referenceTile(tile);
        TileScore gotScore = scoreTile(tile, got);
        TileScore bestScore = scoreTile(tile, want);
        EXPECT_EQ(gotScore.nans, bestScore.nans);
        EXPECT_EQ(gotScore.infs, bestScore.infs);
        EXPECT_NEAR(gotScore.sum, bestScore.sum, 1e-12 * bestScore.sum);
        if (exactSums) {
          EXPECT_EQ(got, want)
              << "trial " << trial << " tile " << r0 << "," << c0;
        }
      }
  }
}

// Why the selection is exhaustive: on this tile, taking entries greedily in
// decreasing magnitude (each when its row and column still have room)
// dead-ends -- a row ends with one entry and no column left with room.
TEST(TwoFour, TransposableHandlesGreedyDeadEnd) {
  const float values[16] = {1, 9,  13, 7,  //
                            6, 14, 10, 16, //
                            8, 15, 12, 2,  //
                            5, 11, 3,  4};
  // The greedy pick, to show that it really dead-ends here.
  int order[16];
  std::iota(order, order + 16, 0);
  std::stable_sort(order, order + 16,
                   [&](int a, int b) { return values[a] > values[b]; });
  int rowCount[4] = {0, 0, 0, 0}, colCount[4] = {0, 0, 0, 0};
  for (int e : order)
    if (rowCount[e / 4] < 2 && colCount[e % 4] < 2) {
      ++rowCount[e / 4];
      ++colCount[e % 4];
    }
  EXPECT_NE(std::count(rowCount, rowCount + 4, 2), 4);

  Matrix w(4, 4, std::vector<float>(values, values + 16));
  Mask mask = selectTransposable24(w);
  ASSERT_TRUE(isTransposable24(mask, 4, 4));
  // The unique optimum (86; the runner-up scores 85).
  Mask want = {0, 0, 1, 1, //
               0, 1, 0, 1, //
               1, 0, 1, 0, //
               1, 1, 0, 0};
  EXPECT_EQ(mask, want);
  EXPECT_EQ(tileOfMask(mask, 4, 0, 0), referenceTile(values));
  EXPECT_EQ(scoreTile(values, tileOfMask(mask, 4, 0, 0)).sum, 86.0);
}

TEST(TwoFour, TransposableNaNAndInfinity) {
  // All NaN: the first mask of the order.
  Matrix nan(4, 4, std::vector<float>(16, kNaN));
  EXPECT_EQ(tileOfMask(selectTransposable24(nan), 4, 0, 0),
            unsigned(transposableTileMasks()[0]));
  // A NaN diagonal and tiny numbers elsewhere: no NaN kept.
  Matrix d(4, 4, std::vector<float>(16, 1e-30f));
  for (int i = 0; i < 4; ++i)
    d(i, i) = kNaN;
  Mask md = selectTransposable24(d);
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(md[i * 4 + i], 0);
  // Infinities win over any finite sum when they fit a valid mask.
  Matrix inf(4, 4, std::vector<float>(16, 1e30f));
  inf(0, 3) = -kInf;
  inf(3, 0) = kInf;
  inf(1, 1) = kInf;
  Mask mi = selectTransposable24(inf);
  EXPECT_TRUE(mi[3] && mi[12] && mi[5]);
}

//===----------------------------------------------------------------------===//
// Checks
//===----------------------------------------------------------------------===//

TEST(TwoFour, MaskChecks) {
  Mask ok = {1, 1, 0, 0, 0, 1, 0, 1};
  EXPECT_TRUE(isValid24(ok, 2, 4));
  EXPECT_TRUE(isValid24(ok, 1, 8));
  EXPECT_FALSE(isValid24(ok, 2, 8)); // size mismatch
  EXPECT_FALSE(isValid24({1, 1, 1, 0}, 1, 4));
  EXPECT_FALSE(isValid24({1, 0, 0, 0}, 1, 4));
  EXPECT_FALSE(isValid24({1, 1, 0}, 1, 3));
  // 2:4 in rows but column 0 of the tile holds 4.
  Mask rowsOnly = {1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0};
  EXPECT_TRUE(isValid24(rowsOnly, 4, 4));
  EXPECT_FALSE(isTransposable24(rowsOnly, 4, 4));
  Mask both = {1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1};
  EXPECT_TRUE(isTransposable24(both, 4, 4));
  EXPECT_FALSE(isTransposable24(Mask(8, 1), 2, 4));
}

TEST(TwoFour, VerifyShape) {
  EXPECT_EQ(verifyTwoFourShape(3, 16, false), "");
  EXPECT_EQ(verifyTwoFourShape(3, 4, false, /*compressed=*/false), "");
  EXPECT_NE(verifyTwoFourShape(3, 8, false), "");
  EXPECT_NE(verifyTwoFourShape(3, 16, true), "");
  EXPECT_EQ(verifyTwoFourShape(4, 16, true), "");
  EXPECT_NE(verifyTwoFourShape(4, 16, true, true, true), "");
  EXPECT_EQ(verifyTwoFourShape(16, 16, true, true, true), "");
  EXPECT_NE(verifyTwoFourShape(16, 16, false, true, true), "");
  EXPECT_NE(verifyTwoFourShape(0, 16, false), "");
}

//===----------------------------------------------------------------------===//
// Compressed format
//===----------------------------------------------------------------------===//

// The example of TwoFourFormatDoc, extended to a full 16-column row.
TEST(TwoFour, HandWorkedMetadata) {
  Matrix w(1, 16,
           {0, 5, 0, 7,  //
            1, 0, 0, 2,  //
            0, 9, -8, 0, //
            6, 0, 0, 0});
  Mask mask = select24(w);
  Compressed24 c = compress24(w, mask);
  ASSERT_EQ(c.values.size(), 8u);
  ASSERT_EQ(c.metadata.size(), 1u);
  // Groups keep (1,3), (0,3), (1,2) and (0,1): nibbles 0xD, 0xC, 0x9, 0x4.
  std::vector<float> values = {5, 7, 1, 2, 9, -8, 6, 0};
  EXPECT_EQ(c.values, values);
  EXPECT_EQ(c.metadata[0] & 0xFF, 0xCD);
  EXPECT_EQ(c.metadata[0], 0x49CD);
}

TEST(TwoFour, MetadataLayoutAcrossWords) {
  // Every pair in every nibble position of two words per row: build the
  // expected words from the documented bit positions.
  static const unsigned pairs[6][2] = {{0, 1}, {0, 2}, {0, 3},
                                       {1, 2}, {1, 3}, {2, 3}};
  Matrix w(2, 32);
  Mask mask(64, 0);
  std::vector<uint16_t> want(4, 0);
  for (int r = 0; r < 2; ++r)
    for (int g = 0; g < 8; ++g) {
      const unsigned *p = pairs[(g + 3 * r) % 6];
      for (int e = 0; e < 2; ++e) {
        w(r, 4 * g + p[e]) = float(100 * r + 10 * g + e + 1);
        mask[r * 32 + 4 * g + p[e]] = 1;
      }
      want[r * 2 + g / 4] |= uint16_t((p[0] | p[1] << 2) << (4 * (g % 4)));
    }
  Compressed24 c = compress24(w, mask);
  EXPECT_EQ(c.metadata, want);
  for (int r = 0; r < 2; ++r)
    for (int g = 0; g < 8; ++g) {
      EXPECT_EQ(c.values[r * 16 + 2 * g], float(100 * r + 10 * g + 1));
      EXPECT_EQ(c.values[r * 16 + 2 * g + 1], float(100 * r + 10 * g + 2));
    }
}

// Property: decompress(compress(w, mask)) is w masked, bit for bit (NaN
// payloads, -0.0 and infinities included), for both variants and for W^T.
TEST(TwoFour, CompressRoundTripIsBitExact) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 24; ++trial) {
    int64_t n = 16 * std::uniform_int_distribution<int64_t>(1, 4)(rng);
    int64_t k = 16 * std::uniform_int_distribution<int64_t>(1, 6)(rng);
    Matrix w = trial % 2 ? tieHeavyMatrix(n, k, rng) : randomMatrix(n, k, rng);
    injectSpecials(w, rng, trial % 3 * 5);
    for (bool transposable : {false, true}) {
      Pruned24 p = prune24(w, transposable, /*withTranspose=*/transposable);
      ASSERT_TRUE(isValid24(p.mask, n, k));
      EXPECT_EQ(p.weight.rows, n);
      EXPECT_EQ(p.weight.cols, k);
      EXPECT_EQ(int64_t(p.weight.values.size()), n * k / 2);
      EXPECT_EQ(int64_t(p.weight.metadata.size()), n * k / 16);
      Matrix masked = applyMask(w, p.mask);
      EXPECT_TRUE(bitEqual(decompress24(p.weight), masked));
      // Every nibble names two distinct indices in increasing order.
      for (uint16_t word : p.weight.metadata)
        for (int g = 0; g < 4; ++g) {
          unsigned nib = (word >> (4 * g)) & 0xF;
          EXPECT_LT(nib & 3, nib >> 2);
        }
      if (!transposable) {
        EXPECT_EQ(p.transposed.values.size(), 0u);
        continue;
      }
      EXPECT_EQ(p.transposed.rows, k);
      EXPECT_EQ(p.transposed.cols, n);
      EXPECT_TRUE(bitEqual(decompress24(p.transposed), masked.transposed()));
    }
  }
}

TEST(TwoFour, DecompressAddsOnEqualIndices) {
  // Group 0: i0 = i1 = 2 (nibble 0b1010); other groups keep (0, 1).
  std::vector<float> values(8, 0.0f);
  values[0] = 1.5f;
  values[1] = 2.0f;
  std::vector<uint16_t> meta = {uint16_t(0x444A)};
  Matrix d = decompress24(values, meta, 1, 16);
  EXPECT_EQ(d(0, 2), 3.5f);
  EXPECT_EQ(d(0, 0), 0.0f);
  EXPECT_EQ(d(0, 1), 0.0f);
  EXPECT_EQ(d(0, 3), 0.0f);
}

TEST(TwoFour, PruneMatchesSelectAndCompress) {
  std::mt19937 rng(3);
  Matrix w = randomMatrix(32, 64, rng);
  Pruned24 plain = prune24(w, false);
  EXPECT_EQ(plain.mask, select24(w));
  Compressed24 c = compress24(w, plain.mask);
  EXPECT_EQ(plain.weight.values, c.values);
  EXPECT_EQ(plain.weight.metadata, c.metadata);
  Pruned24 t = prune24(w, true, true);
  EXPECT_EQ(t.mask, selectTransposable24(w));
  Compressed24 ct = compress24(w.transposed(), transposeMask(t.mask, 32, 64));
  EXPECT_EQ(t.transposed.values, ct.values);
  EXPECT_EQ(t.transposed.metadata, ct.metadata);
  // The transposable mask gives up some magnitude against the plain one.
  double plainSum = 0, transSum = 0;
  for (size_t i = 0; i < w.data.size(); ++i) {
    plainSum += plain.mask[i] * std::fabs(w.data[i]);
    transSum += t.mask[i] * std::fabs(w.data[i]);
  }
  EXPECT_LE(transSum, plainSum);
  EXPECT_GT(transSum, 0.9 * plainSum);
}

} // namespace

// The mma.sp m16n8k32 metadata order: lane 4g + h of a warp finds in word
// 2g + h of its 16 x 32 tile the metadata of rows g (low half) and g + 8
// (high half) over the tile's columns 16h .. 16h + 15.
TEST(TwoFour, MetadataForMmaWorkedExample) {
  // 32 x 64: two tiles down, two across; metadata[r, j] = 0x100 r + j.
  int64_t n = 32, k = 64;
  std::vector<uint16_t> meta(static_cast<size_t>(n * (k / 16)));
  for (int64_t r = 0; r < n; ++r)
    for (int64_t j = 0; j < k / 16; ++j)
      meta[r * (k / 16) + j] = static_cast<uint16_t>(0x100 * r + j);
  std::vector<uint32_t> words = metadataForMma16832(meta, n, k);
  ASSERT_EQ(words.size(), 2u * 2u * 16u);
  // Tile (0, 0), lane 0: row 0 and row 8, columns 0-15.
  EXPECT_EQ(words[0], 0x0000u | (0x0800u << 16));
  // Tile (0, 0), lane 1 (word 1): columns 16-31 of rows 0 and 8.
  EXPECT_EQ(words[1], 0x0001u | (0x0801u << 16));
  // Tile (0, 1) (words 16..31), lane 4 * 3 + 1 (word 7): rows 3 and 11,
  // metadata column 2 * 1 + 1.
  EXPECT_EQ(words[16 + 7], 0x0303u | (0x0B03u << 16));
  // Tile (1, 0) (words 32..47), word 14 (g = 7, h = 0): rows 23 and 31.
  EXPECT_EQ(words[32 + 14], 0x1700u | (0x1F00u << 16));
}

// Decoding the words as the hardware does gives back the dense weight.
TEST(TwoFour, MetadataForMmaDecodesToTheWeight) {
  Matrix w(16, 64);
  for (int64_t i = 0; i < 16 * 64; ++i)
    w.data[i] = static_cast<float>((i * 37) % 23) - 11.0f;
  Pruned24 p = prune24(w, /*transposable=*/false);
  std::vector<uint32_t> words =
      metadataForMma16832(p.weight.metadata, w.rows, w.cols);
  Matrix dense = decompress24(p.weight);
  for (int64_t c = 0; c < 2; ++c)
    for (int64_t g = 0; g < 8; ++g)
      for (int64_t h = 0; h < 2; ++h)
        for (int64_t half = 0; half < 2; ++half) {
          int64_t row = g + 8 * half;
          uint32_t bits = words[c * 16 + 2 * g + h] >> (16 * half);
          for (int64_t grp = 0; grp < 4; ++grp) {
            unsigned nibble = (bits >> (4 * grp)) & 0xF;
            int64_t col0 = 32 * c + 16 * h + 4 * grp;
            // Compressed values of this group: 2 per group, in order.
            int64_t v = row * 32 + (col0 / 4) * 2;
            EXPECT_EQ(dense.data[row * 64 + col0 + (nibble & 3)],
                      p.weight.values[v]);
            EXPECT_EQ(dense.data[row * 64 + col0 + (nibble >> 2)],
                      p.weight.values[v + 1]);
          }
        }
}
