//===- TransposedLayout.cpp - A block layout read by block column ---------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Utils/TransposedLayout.h"

#include "pixelfly/Patterns/Butterfly.h"

using namespace mlir;
using namespace mlir::pixelfly;

TransposedLayout mlir::pixelfly::transposeLayout(BlockLayoutAttr layout) {
  int64_t numCols = layout.getNumBlockCols();
  ArrayRef<int64_t> cols = layout.getColIdx();
  // Counting sort of the blocks by column; within a column the CSR walk
  // meets them by increasing row.
  SmallVector<int64_t> rowPtr(numCols + 1, 0);
  for (int64_t c : cols)
    ++rowPtr[c + 1];
  for (int64_t c = 0; c < numCols; ++c)
    rowPtr[c + 1] += rowPtr[c];
  TransposedLayout result;
  SmallVector<int64_t> colIdx(cols.size(), 0);
  result.sourceBlock.assign(cols.size(), 0);
  SmallVector<int64_t> next(rowPtr.begin(), rowPtr.end() - 1);
  for (int64_t r = 0, e = layout.getNumBlockRows(); r < e; ++r) {
    for (int64_t p = layout.getRowPtr()[r]; p < layout.getRowPtr()[r + 1];
         ++p) {
      int64_t q = next[cols[p]]++;
      colIdx[q] = r;
      result.sourceBlock[q] = p;
    }
  }

  MLIRContext *ctx = layout.getContext();
  int64_t n = layout.getNumRows(), k = layout.getNumCols();
  if (FlatButterflyAttr source = layout.getSource();
      source && layout.getBlockRows() == layout.getBlockCols()) {
    // The generator at the transposed shape, built without diagnostics: a
    // shape it refuses is not an error here, the layout is spelled out.
    patterns::FlatButterflyParams params{
        source.getButterflySize(), source.getNFactors(), source.getBlock(),
        source.getGlobalSize()};
    if (patterns::verifyFlatButterflyShape(params, k, n).empty()) {
      patterns::BlockLayout regenerated =
          patterns::flatButterflyLayout(params, k, n);
      if (ArrayRef<int64_t>(regenerated.rowPtr) == ArrayRef<int64_t>(rowPtr) &&
          ArrayRef<int64_t>(regenerated.colIdx) == ArrayRef<int64_t>(colIdx)) {
        result.layout = BlockLayoutAttr::get(
            ctx, k, n, regenerated.bm, regenerated.bk, rowPtr, colIdx, source);
        return result;
      }
    }
  }
  result.layout =
      BlockLayoutAttr::get(ctx, k, n, layout.getBlockCols(),
                           layout.getBlockRows(), rowPtr, colIdx, nullptr);
  return result;
}
