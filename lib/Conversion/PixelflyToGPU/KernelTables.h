//===- KernelTables.h - The constant tables of product kernels -*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// Which block columns and blocks each output tile of a product reads, as
// constant globals next to its kernel (named by KernelSymbols), the same
// for every kernel family: nothing about the layout is decoded at run time.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_KERNELTABLES_H
#define PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_KERNELTABLES_H

#include "KernelBuilderBase.h"
#include "KernelLaunch.h"
#include "ProductPlan.h"

namespace mlir::pixelfly {

/// Builds the tables of `plan` at `b`: per tile (first block row, rows,
/// offset of its columns, number of columns) as `names.tiles`, the
/// columns as `names.cols`, and where each tile's blocks start as
/// `names.blocks` (per (tile, row) the CSR index of the row's block of the
/// tile's first column; for the input gradient per reduction block row).
void buildTileTables(OpBuilder &b, Location loc, const ProductPlan &plan,
                     const KernelSymbols &names);

/// The columns table and the blocks table of buildTileTables, read at the
/// builder's insertion point.
Value getColsTable(KernelBuilderBase &kb, const ProductPlan &plan,
                   const KernelSymbols &names);
Value getBlocksTable(KernelBuilderBase &kb, const ProductPlan &plan,
                     const KernelSymbols &names);

/// What a kernel reads from the tiles table for tile `tileId`: its first
/// row and rows (block rows, or block columns for the input gradient),
/// where its columns start in the columns table and how many there are,
/// and its first output column and the valid ones (a partial tile's rows
/// past its last are not stored; not for the weight gradient).
struct TileInfo {
  Value firstRow, numRows, colBegin, numCols, n0, validCols;
};
TileInfo loadTileInfo(KernelBuilderBase &kb, const ProductPlan &plan,
                      const KernelSymbols &names, Value tileId);

} // namespace mlir::pixelfly

#endif // PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_KERNELTABLES_H
