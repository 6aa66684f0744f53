//===- TwoFour.h - 2:4 semi-structured sparsity -----------------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// Plain C++ (no MLIR types), shared by the dialect's folders, the
// sparsification pass and the command-line tools. Implements the selection
// rules of `pixelfly.prune_2_4` and the compressed format documented on it
// (`TwoFourFormatDoc` in PixelflyOps.td).
//
// Weights are `N x K` (PyTorch Linear layout); groups of four run along `K`
// (the columns).
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_PATTERNS_TWOFOUR_H
#define PIXELFLY_PATTERNS_TWOFOUR_H

#include "pixelfly/Patterns/Matrix.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace mlir::pixelfly::patterns {

/// A 0/1 mask of an `N x K` matrix, row-major (entry (i, j) at `i * K + j`).
/// A nonzero byte means "kept".
using Mask = std::vector<uint8_t>;

//===----------------------------------------------------------------------===//
// Selection
//===----------------------------------------------------------------------===//

/// Returns an empty string when an `n x k` weight can be pruned (and, with
/// `compressed`, compressed), otherwise why not: `k % 4 == 0` to select,
/// `k % 16 == 0` to compress, plus `n % 4 == 0` with `transposable` and
/// `n % 16 == 0` when the transposed weight is compressed too
/// (`withTranspose`).
std::string verifyTwoFourShape(int64_t n, int64_t k, bool transposable,
                               bool compressed = true,
                               bool withTranspose = false);

/// The entries kept in one group of four: bit `i` of the result is set when
/// `x[i]` is kept. Keeps the two of largest magnitude; ties go to the lower
/// index; a NaN ranks below every number (so a group of NaNs keeps its first
/// two); infinities are numbers of infinite magnitude. Exactly two bits are
/// always set.
unsigned select24Group(const float x[4]);

/// The 2:4 mask of `w` along its columns (`w.cols % 4 == 0`), group by group
/// with `select24Group`.
Mask select24(const Matrix &w);

/// Number of 4x4 masks with exactly two entries in each row and each column.
constexpr int kNumTransposableTileMasks = 90;

/// The 90 transposable 4x4 tile masks, in the tie-breaking order of
/// `selectTransposable24`. Bit `4 * r + c` of a mask is tile entry (r, c).
/// Order: each row picks one of the pairs (0,1), (0,2), (0,3), (1,2), (1,3),
/// (2,3), in that order; row 0's pick varies slowest; combinations whose
/// columns do not all hold two entries are skipped. Equivalently: decreasing
/// order of the 16-bit word whose most significant bit is entry (0, 0) and
/// least significant bit entry (3, 3), so an earlier mask keeps the first
/// (row-major) entry where two masks differ -- "ties to the lower index".
const std::array<uint16_t, kNumTransposableTileMasks> &transposableTileMasks();

/// The transposable 2:4 mask of `w` (`w.rows % 4 == 0`, `w.cols % 4 == 0`):
/// every aligned 4x4 tile keeps exactly two entries per row and per column,
/// so both the mask and its transpose are 2:4. Each tile takes, among the
/// 90 masks of `transposableTileMasks()`, the one that keeps the fewest
/// NaNs, then the most infinities, then the largest sum of the remaining
/// (finite) kept magnitudes (summed in double); remaining ties go to the
/// first mask in the documented order.
Mask selectTransposable24(const Matrix &w);

/// Index of the mask of `transposableTileMasks()` chosen for one 4x4 tile
/// given row-major in `tile` (16 entries).
int selectTransposableTile(const float tile[16]);

//===----------------------------------------------------------------------===//
// Checks and helpers
//===----------------------------------------------------------------------===//

/// Whether `mask` (n x k) keeps exactly two entries in every group of four
/// along `k`. False when the size does not match or `k % 4 != 0`.
bool isValid24(const Mask &mask, int64_t n, int64_t k);

/// Whether `mask` (n x k) keeps exactly two entries per row and per column
/// of every aligned 4x4 tile. False when the size does not match or a
/// dimension is not a multiple of 4.
bool isTransposable24(const Mask &mask, int64_t n, int64_t k);

/// The `k x n` transpose of the `n x k` mask.
Mask transposeMask(const Mask &mask, int64_t n, int64_t k);

/// `w` with the entries outside `mask` set to +0.0 (kept entries are copied
/// bit for bit).
Matrix applyMask(const Matrix &w, const Mask &mask);

//===----------------------------------------------------------------------===//
// Compressed format
//===----------------------------------------------------------------------===//

/// A 2:4 weight in the compressed format of `pixelfly.two_four_matmul`:
/// for an `n x k` weight (`k % 16 == 0`), `values` is `n x k/2` and
/// `metadata` is `n x k/16`, both row-major. Group `g` of row `r` stores its
/// kept entries at columns `4g + i0` and `4g + i1` (`i0 < i1`) as
/// `values[r, 2g]` and `values[r, 2g + 1]`; nibble `i0 | (i1 << 2)` is bits
/// `[4 * (g % 4), 4 * (g % 4) + 4)` of `metadata[r, g / 4]`.
struct Compressed24 {
  /// Shape of the dense weight.
  int64_t rows = 0, cols = 0;
  std::vector<float> values;
  std::vector<uint16_t> metadata;

  int64_t valueCols() const { return cols / 2; }
  int64_t metadataCols() const { return cols / 16; }
};

/// Compresses `w` (`w.cols % 16 == 0`) on `mask`, which must satisfy
/// `isValid24(mask, w.rows, w.cols)`. Kept values are copied bit for bit.
Compressed24 compress24(const Matrix &w, const Mask &mask);

/// The dense `n x k` weight described by compressed `values` (`n x k/2`) and
/// `metadata` (`n x k/16`). Unkept entries are +0.0. Accepts any metadata:
/// a group whose two indices are equal stores the sum of its two values
/// there. `decompress24(compress24(w, m))` equals `applyMask(w, m)` bit for
/// bit.
Matrix decompress24(const std::vector<float> &values,
                    const std::vector<uint16_t> &metadata, int64_t n,
                    int64_t k);
Matrix decompress24(const Compressed24 &c);

/// The compressed `W^T` (`k x n`, needs `w.rows % 16 == 0`) for the backward
/// product: `compress24(W^T, mask^T)`. `mask` must be transposable
/// (`isTransposable24`), which makes its transpose 2:4.
Compressed24 compressTransposed24(const Matrix &w, const Mask &mask);

/// The metadata of a compressed `n x k` weight (`n % 16 == 0`,
/// `k % 32 == 0`) in the order the sparse tensor cores read it: `mma.sp`
/// m16n8k32 on 16-bit types with sparsity selector 0, where lanes `4g` and
/// `4g + 1` of a warp hold the metadata of a 16 x 32 tile of `W`. The
/// result is `n/16 x k/32 x 16` words, row-major: word `2g + h` of tile
/// `(r, c)` holds, in its low 16 bits, the metadata of row `16r + g` over
/// columns `[32c + 16h, 32c + 16h + 16)` (that is `metadata[16r + g, 2c +
/// h]`) and in its high 16 bits the same columns of row `16r + g + 8`. Lane
/// `4g + h` loads word `2g + h`: one 64-byte line per tile.
std::vector<uint32_t> metadataForMma16832(const std::vector<uint16_t> &metadata,
                                          int64_t n, int64_t k);

/// The result of `prune24`.
struct Pruned24 {
  Mask mask;
  /// The compressed `W`.
  Compressed24 weight;
  /// The compressed `W^T`; empty (0 x 0) unless requested.
  Compressed24 transposed;
};

/// Selects the mask of `w` (`select24`, or `selectTransposable24` when
/// `transposable`) and compresses `w` on it; with `withTranspose` (which
/// needs `transposable`) also compresses `W^T`. The shape must pass
/// `verifyTwoFourShape(w.rows, w.cols, transposable, true, withTranspose)`.
Pruned24 prune24(const Matrix &w, bool transposable,
                 bool withTranspose = false);

} // namespace mlir::pixelfly::patterns

#endif // PIXELFLY_PATTERNS_TWOFOUR_H
