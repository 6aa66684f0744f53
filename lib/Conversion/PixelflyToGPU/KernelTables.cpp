//===- KernelTables.cpp - The constant tables of product kernels ----------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "KernelTables.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;
using namespace mlir::pixelfly;

/// The columns table: every tile's columns, in tile order.
static MemRefType colsTableType(const ProductPlan &plan) {
  int64_t total = 0;
  for (const KernelTile &t : plan.tiles)
    total += t.cols.size();
  return MemRefType::get({total},
                         IntegerType::get(plan.layout.getContext(), 32));
}

/// The blocks table: per tile and row (input gradient: per entry of the
/// columns table, a reduction block row).
static MemRefType blocksTableType(const ProductPlan &plan) {
  if (plan.isInputGrad())
    return colsTableType(plan);
  return MemRefType::get(
      {static_cast<int64_t>(plan.tiles.size()), plan.rowsPerTile},
      IntegerType::get(plan.layout.getContext(), 32));
}

// Rows past a partial tile point at its first row: the kernels read them
// (zeros or a repeated block) but never store their results.
void mlir::pixelfly::buildTileTables(OpBuilder &b, Location loc,
                                     const ProductPlan &plan,
                                     const KernelSymbols &names) {
  int64_t numTiles = plan.tiles.size();
  SmallVector<int32_t> info, cols, starts;
  ArrayRef<int64_t> rowPtr =
      plan.hasBlocks() ? plan.layout.getRowPtr() : ArrayRef<int64_t>();
  for (const KernelTile &t : plan.tiles) {
    info.append({static_cast<int32_t>(t.firstBlockRow),
                 static_cast<int32_t>(t.numRows),
                 static_cast<int32_t>(cols.size()),
                 static_cast<int32_t>(t.cols.size())});
    for (int64_t c : t.cols)
      cols.push_back(c);
    if (plan.isInputGrad()) {
      // Per reduction block row: the CSR index of (row, first column).
      ArrayRef<int64_t> colIdx = plan.layout.getColIdx();
      for (int64_t r : t.cols) {
        int64_t p = rowPtr[r];
        while (p + 1 < rowPtr[r + 1] && colIdx[p] != t.firstBlockRow)
          ++p;
        starts.push_back(p);
      }
      continue;
    }
    for (int64_t r = 0; r < plan.rowsPerTile && plan.hasBlocks(); ++r)
      starts.push_back(rowPtr[t.firstBlockRow + (r < t.numRows ? r : 0)] +
                       t.colOffset);
  }
  auto global = [&](StringRef name, MemRefType type, ArrayRef<int32_t> data) {
    auto tensor = RankedTensorType::get(type.getShape(), b.getI32Type());
    memref::GlobalOp::create(b, loc, name, b.getStringAttr("private"), type,
                             DenseIntElementsAttr::get(tensor, data),
                             /*constant=*/true,
                             /*alignment=*/IntegerAttr());
  };
  global(names.tiles, MemRefType::get({numTiles, 4}, b.getI32Type()), info);
  if (!plan.hasBlocks())
    return;
  global(names.cols, colsTableType(plan), cols);
  global(names.blocks, blocksTableType(plan), starts);
}

Value mlir::pixelfly::getColsTable(KernelBuilderBase &kb,
                                   const ProductPlan &plan,
                                   const KernelSymbols &names) {
  return memref::GetGlobalOp::create(kb.builder(), colsTableType(plan),
                                     names.cols);
}

Value mlir::pixelfly::getBlocksTable(KernelBuilderBase &kb,
                                     const ProductPlan &plan,
                                     const KernelSymbols &names) {
  return memref::GetGlobalOp::create(kb.builder(), blocksTableType(plan),
                                     names.blocks);
}

TileInfo mlir::pixelfly::loadTileInfo(KernelBuilderBase &kb,
                                      const ProductPlan &plan,
                                      const KernelSymbols &names,
                                      Value tileId) {
  ImplicitLocOpBuilder &b = kb.builder();
  auto type = MemRefType::get({static_cast<int64_t>(plan.tiles.size()), 4},
                              b.getI32Type());
  Value tiles = memref::GetGlobalOp::create(b, type, names.tiles);
  TileInfo info;
  Value firstRow = info.firstRow = kb.loadIndex(tiles, {tileId, kb.cst(0)});
  info.numRows = kb.loadIndex(tiles, {tileId, kb.cst(1)});
  info.colBegin = kb.loadIndex(tiles, {tileId, kb.cst(2)});
  info.numCols = kb.loadIndex(tiles, {tileId, kb.cst(3)});
  info.n0 = kb.mul(firstRow, kb.cst(plan.blockM()));
  info.validCols = kb.mul(info.numRows, kb.cst(plan.blockM()));
  return info;
}
