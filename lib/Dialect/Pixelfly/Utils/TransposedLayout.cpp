//===- TransposedLayout.cpp - A block layout read by block column ---------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Utils/TransposedLayout.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"

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
    // A generator that cannot make the transposed shape says why; that is
    // not an error here, the layout is then spelled out.
    ScopedDiagnosticHandler quiet(ctx, [](Diagnostic &) { return success(); });
    FailureOr<BlockLayoutAttr> regenerated = source.materialize(
        k, n, [&] { return emitError(UnknownLoc::get(ctx)); });
    if (succeeded(regenerated) &&
        regenerated->getRowPtr() == ArrayRef<int64_t>(rowPtr) &&
        regenerated->getColIdx() == ArrayRef<int64_t>(colIdx)) {
      result.layout = *regenerated;
      return result;
    }
  }
  result.layout =
      BlockLayoutAttr::get(ctx, k, n, layout.getBlockCols(),
                           layout.getBlockRows(), rowPtr, colIdx, nullptr);
  return result;
}
