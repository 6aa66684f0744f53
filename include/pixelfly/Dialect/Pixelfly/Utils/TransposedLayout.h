//===- TransposedLayout.h - A block layout read by block column -*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_DIALECT_PIXELFLY_UTILS_TRANSPOSEDLAYOUT_H
#define PIXELFLY_DIALECT_PIXELFLY_UTILS_TRANSPOSEDLAYOUT_H

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyAttrs.h"

#include "llvm/ADT/SmallVector.h"

namespace mlir::pixelfly {

/// The layout of `W^T` for a layout of `W`, and where its blocks come from.
struct TransposedLayout {
  /// `K x N` in `bk x bm` blocks; block row `c` holds the block rows of
  /// `W`'s block column `c`, increasing. It keeps `W`'s generator when the
  /// generator makes the same layout at the transposed shape (a flat
  /// butterfly with square blocks: its mask is symmetric).
  BlockLayoutAttr layout;
  /// For each block of `layout` (CSR order), the index of the block of `W`
  /// that it is the transpose of.
  llvm::SmallVector<int64_t> sourceBlock;
};

TransposedLayout transposeLayout(BlockLayoutAttr layout);

} // namespace mlir::pixelfly

#endif // PIXELFLY_DIALECT_PIXELFLY_UTILS_TRANSPOSEDLAYOUT_H
