//===- PixelflyToLinalg.cpp - Pixelfly ops to linalg on tensors -----------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// The CPU lowering of the dialect. Structured weights are never densified:
// block-sparse products loop over the static block list with one small
// dense matmul per stored block, the 2:4 product gathers the activation
// columns its metadata names, and prune/densify work group by group.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Conversion/Passes.h"
#include "pixelfly/Dialect/Pixelfly/IR/PixelflyOps.h"
#include "pixelfly/Dialect/Pixelfly/Utils/CpuTarget.h"
#include "pixelfly/Dialect/Pixelfly/Utils/ProductBuilder.h"
#include "pixelfly/Dialect/Pixelfly/Utils/TransposedLayout.h"
#include "pixelfly/Patterns/TwoFour.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/TypeSwitch.h"

#include <limits>
#include <map>

namespace mlir::pixelfly {
#define GEN_PASS_DEF_CONVERTPIXELFLYTOLINALG
#include "pixelfly/Conversion/Passes.h.inc"
} // namespace mlir::pixelfly

using namespace mlir;
using namespace mlir::pixelfly;

//===----------------------------------------------------------------------===//
// Small builders
//===----------------------------------------------------------------------===//

namespace {
/// Emits IR at one insertion point (a pattern's, or a loop body's).
struct Emitter {
  OpBuilder &b;
  Location loc;

  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value i32(int64_t v) {
    return arith::ConstantIntOp::create(b, loc, b.getI32Type(), v);
  }

  Value indexTable(ArrayRef<int64_t> values) {
    return ProductBuilder(b, loc).indexTable(values);
  }

  Value extract(Value tensor, ValueRange indices) {
    return tensor::ExtractOp::create(b, loc, tensor, indices);
  }

  Value mul(Value a, int64_t c) {
    return arith::MulIOp::create(b, loc, a, index(c));
  }

  /// The `rows x cols` slice of a 2-D tensor at `(row, col)`.
  Value slice2(Value src, OpFoldResult row, OpFoldResult col,
               OpFoldResult rows, OpFoldResult cols) {
    SmallVector<OpFoldResult> strides(2, b.getIndexAttr(1));
    return tensor::ExtractSliceOp::create(b, loc, src, {row, col},
                                          {rows, cols}, strides);
  }
  Value insert2(Value tile, Value dst, OpFoldResult row, OpFoldResult col,
                OpFoldResult rows, OpFoldResult cols) {
    SmallVector<OpFoldResult> strides(2, b.getIndexAttr(1));
    return tensor::InsertSliceOp::create(b, loc, tile, dst, {row, col},
                                         {rows, cols}, strides);
  }

  /// Elements `c0 .. c0 + len` of row `r` of a 2-D tensor, as 1-D.
  Value row(Value src, Value r, OpFoldResult c0, OpFoldResult len) {
    SmallVector<OpFoldResult> strides(2, b.getIndexAttr(1));
    auto type = RankedTensorType::get(
        {getConstantIntValue(len).value_or(ShapedType::kDynamic)},
        cast<ShapedType>(src.getType()).getElementType());
    return tensor::ExtractSliceOp::create(b, loc, type, src, {r, c0},
                                          {b.getIndexAttr(1), len}, strides);
  }
  Value insertRow(Value piece, Value dst, Value r, OpFoldResult c0,
                  OpFoldResult len) {
    SmallVector<OpFoldResult> strides(2, b.getIndexAttr(1));
    return tensor::InsertSliceOp::create(b, loc, piece, dst, {r, c0},
                                         {b.getIndexAttr(1), len}, strides);
  }

  /// Block `p` of a `nnz x bm x bk` tensor, as `bm x bk`.
  Value block(Value blocks, Value p, int64_t bm, int64_t bk) {
    return blockRows(blocks, p, b.getIndexAttr(0), bm, bk);
  }
  /// Rows `r0` to `r0 + rows` of block `p`, as `rows x bk`.
  Value blockRows(Value blocks, Value p, OpFoldResult r0, int64_t rows,
                  int64_t bk) {
    auto type = RankedTensorType::get(
        {rows, bk}, cast<ShapedType>(blocks.getType()).getElementType());
    SmallVector<OpFoldResult> strides(3, b.getIndexAttr(1));
    return tensor::ExtractSliceOp::create(
        b, loc, type, blocks, {p, r0, b.getIndexAttr(0)},
        {b.getIndexAttr(1), b.getIndexAttr(rows), b.getIndexAttr(bk)}, strides);
  }
  Value insertBlock(Value tile, Value blocks, Value p, int64_t bm,
                    int64_t bk) {
    SmallVector<OpFoldResult> strides(3, b.getIndexAttr(1));
    return tensor::InsertSliceOp::create(
        b, loc, tile, blocks, {p, b.getIndexAttr(0), b.getIndexAttr(0)},
        {b.getIndexAttr(1), b.getIndexAttr(bm), b.getIndexAttr(bk)}, strides);
  }
};

/// Loop body callback of `forLoop`: gets the induction variable and the
/// carried value, returns the next carried value.
using LoopBody = llvm::function_ref<Value(Emitter &, Value iv, Value carried)>;

/// `scf.for iv = lb to ub step step` carrying one tensor.
Value forLoopStep(Emitter &e, Value lb, Value ub, int64_t step, Value init,
                  LoopBody body) {
  auto loop = scf::ForOp::create(
      e.b, e.loc, lb, ub, e.index(step), ValueRange{init},
      [&](OpBuilder &nb, Location nloc, Value iv, ValueRange args) {
        Emitter inner{nb, nloc};
        Value next = body(inner, iv, args[0]);
        scf::YieldOp::create(nb, nloc, next);
      });
  return loop.getResult(0);
}

/// `scf.for iv = lb to ub` carrying one tensor.
Value forLoop(Emitter &e, Value lb, Value ub, Value init, LoopBody body) {
  return forLoopStep(e, lb, ub, 1, init, body);
}

/// Body of `wholeThenRest`: gets the first index and the size of a piece
/// (static for whole pieces) and the carried value.
using PieceBody = llvm::function_ref<Value(Emitter &, Value first,
                                           OpFoldResult size, Value carried)>;

/// `[0, size)` in pieces of `step`, carrying one tensor: the whole pieces
/// (of static size) in one `scf.for`, then the rest, at most one piece of
/// dynamic size, in another.
Value wholeThenRest(Emitter &e, Value size, int64_t step, Value init,
                    PieceBody body) {
  Value whole =
      e.mul(arith::DivUIOp::create(e.b, e.loc, size, e.index(step)), step);
  auto pieces = [&](Value from, Value to, Value init, bool isWhole) {
    return forLoopStep(
        e, from, to, step, init, [&](Emitter &in, Value first, Value carried) {
          OpFoldResult len =
              isWhole ? OpFoldResult(in.b.getIndexAttr(step))
                      : OpFoldResult(
                            arith::SubIOp::create(in.b, in.loc, size, first)
                                .getResult());
          return body(in, first, len, carried);
        });
  };
  Value carried = pieces(e.index(0), whole, init, /*isWhole=*/true);
  return pieces(whole, size, carried, /*isWhole=*/false);
}

/// Where one iteration of parallelTiles puts its tile in the shared tensor.
struct ParallelTile {
  Value tile;
  SmallVector<OpFoldResult> offsets, sizes;
};

/// An `scf.forall` over `count` iterations that share `init`: `body` reads
/// the shared tensor and returns a tile that no other iteration writes.
static Value
parallelTiles(Emitter &e, int64_t count, Value init,
              function_ref<ParallelTile(Emitter &, Value, Value)> body) {
  auto forall = scf::ForallOp::create(
      e.b, e.loc, ArrayRef<OpFoldResult>{e.b.getIndexAttr(count)},
      ValueRange{init}, /*mapping=*/std::nullopt);
  OpBuilder::InsertionGuard guard(e.b);
  e.b.setInsertionPointToStart(forall.getBody());
  Emitter in{e.b, e.loc};
  Value shared = forall.getRegionIterArgs().front();
  ParallelTile t = body(in, forall.getInductionVars().front(), shared);
  e.b.setInsertionPointToEnd(forall.getTerminator().getBody());
  SmallVector<OpFoldResult> strides(t.offsets.size(), e.b.getIndexAttr(1));
  tensor::ParallelInsertSliceOp::create(e.b, e.loc, t.tile, shared, t.offsets,
                                        t.sizes, strides);
  return forall.getResult(0);
}

/// Body of `forEachBlock`: gets block `p`, the first row `n0` and column
/// `k0` it covers in the dense weight, and the carried value.
using BlockBody = llvm::function_ref<Value(Emitter &, Value p, Value n0,
                                           Value k0, Value carried)>;

/// `scf.for` over the stored blocks of `layout` in CSR order, carrying one
/// tensor; block positions come from constant tables.
Value forEachBlock(Emitter &e, BlockLayoutAttr layout, Value init,
                   BlockBody body) {
  Value rowOf = e.indexTable(blockRowsOf(layout.getRowPtr()));
  Value colIdx = e.indexTable(layout.getColIdx());
  return forLoop(e, e.index(0), e.index(layout.getNumBlocks()), init,
                 [&](Emitter &in, Value p, Value carried) {
                   Value n0 =
                       in.mul(in.extract(rowOf, p), layout.getBlockRows());
                   Value k0 =
                       in.mul(in.extract(colIdx, p), layout.getBlockCols());
                   return body(in, p, n0, k0, carried);
                 });
}
} // namespace

//===----------------------------------------------------------------------===//
// Block-sparse products
//===----------------------------------------------------------------------===//

/// How the block-sparse products are cut: rows (tokens) per tile of the
/// forward products (0: all at once), columns per slice of a block row
/// (0 or the block height: whole block rows), and whether block rows
/// (forward) or blocks (weight gradient) run in parallel.
struct ForwardTiling {
  int64_t tileM = 0;
  int64_t tileN = 0;
  bool parallel = false;
};

/// `acc += X * W^T` on the layout, `acc` f32 `M x N`: a loop over the block
/// rows, each accumulating its blocks into one `M x bm` slice of `acc`.
/// With `tileM`, the rows of each block row are taken `tileM` at a time
/// (whole tiles of static size, then the rest), and each tile runs over all
/// the row's blocks: its accumulator is reused across them instead of
/// streaming the whole `M x bm` slice once per block. With `tileN` below
/// the block height, each tile is split into column slices that run over
/// the blocks one after the other, so a register tile narrower than a block
/// stays in registers for the whole block row. With `parallel`, the block
/// rows are an `scf.forall` (they write disjoint column slices, so any
/// order gives the same bits). An `acc` made by `linalg.fill` is filled
/// slice by slice right before its blocks: the result is written once, and
/// inside the parallel loop.
static Value blockSparseForward(ProductBuilder &d, Value x, Value blocks,
                                BlockLayoutAttr layout, Value acc,
                                OpFoldResult m, ForwardTiling tiling) {
  int64_t tileM = tiling.tileM;
  Emitter e{d.getBuilder(), d.getLoc()};
  int64_t bm = layout.getBlockRows(), bk = layout.getBlockCols();
  int64_t cols = tiling.tileN > 0 && tiling.tileN < bm && bm % tiling.tileN == 0
                     ? tiling.tileN
                     : bm;
  Value fillValue;
  if (auto fill = acc.getDefiningOp<linalg::FillOp>();
      fill && fill.hasPureTensorSemantics()) {
    fillValue = fill.getInputs()[0];
    acc = fill.getOutputs()[0];
  }
  Value rowPtr = e.indexTable(layout.getRowPtr());
  Value colIdx = e.indexTable(layout.getColIdx());
  OpFoldResult zero = e.b.getIndexAttr(0);
  OpFoldResult bmAttr = e.b.getIndexAttr(bm);
  OpFoldResult bkAttr = e.b.getIndexAttr(bk);
  OpFoldResult colsAttr = e.b.getIndexAttr(cols);
  Value mValue = getValueOrCreateConstantIndexOp(e.b, e.loc, m);
  // The blocks `lo` to `hi` of a block row accumulated into `tile`, its
  // `rows x bm` slice at row `m0`: one column slice after the other.
  auto accumulate = [&](Emitter &at, Value lo, Value hi, Value tile,
                        OpFoldResult m0, OpFoldResult rows) {
    auto columns = [&](Emitter &in, OpFoldResult c0, Value t) {
      if (fillValue)
        t = linalg::FillOp::create(in.b, in.loc, fillValue, t).getResult(0);
      return forLoop(in, lo, hi, t, [&](Emitter &bl, Value p, Value t) {
        Value k0 = bl.mul(bl.extract(colIdx, p), bk);
        Value xs = bl.slice2(x, m0, k0, rows, bkAttr);
        Value w = bl.blockRows(blocks, p, c0, cols, bk);
        return ProductBuilder(bl.b, bl.loc).matmulNT(xs, w, t);
      });
    };
    if (cols == bm)
      return columns(at, zero, tile);
    return forLoop(at, at.index(0), at.index(bm / cols), tile,
                   [&](Emitter &in, Value c, Value t) {
                     Value c0 = in.mul(c, cols);
                     Value slice = in.slice2(t, zero, c0, rows, colsAttr);
                     slice = columns(in, c0, slice);
                     return in.insert2(slice, t, zero, c0, rows, colsAttr);
                   });
  };
  // Block row `r`'s `M x bm` strip of `acc`, its blocks accumulated, and
  // the strip's first column.
  auto rowStrip = [&](Emitter &row, Value r,
                      Value acc) -> std::pair<Value, Value> {
    Value lo = row.extract(rowPtr, r);
    Value hi = row.extract(
        rowPtr,
        arith::AddIOp::create(row.b, row.loc, r, row.index(1)).getResult());
    Value n0 = row.mul(r, bm);
    Value strip = row.slice2(acc, zero, n0, m, bmAttr);
    if (tileM <= 0)
      return {accumulate(row, lo, hi, strip, zero, m), n0};
    // Whole tiles of tileM rows, then at most one partial tile.
    return {wholeThenRest(
                row, mValue, tileM, strip,
                [&](Emitter &in, Value m0, OpFoldResult rows, Value strip) {
                  Value t = in.slice2(strip, m0, zero, rows, bmAttr);
                  t = accumulate(in, lo, hi, t, m0, rows);
                  return in.insert2(t, strip, m0, zero, rows, bmAttr);
                }),
            n0};
  };
  int64_t numRows = layout.getNumBlockRows();
  if (!tiling.parallel)
    return forLoop(e, e.index(0), e.index(numRows), acc,
                   [&](Emitter &row, Value r, Value acc) {
                     auto [strip, n0] = rowStrip(row, r, acc);
                     return row.insert2(strip, acc, zero, n0, m, bmAttr);
                   });
  return parallelTiles(e, numRows, acc,
                       [&](Emitter &row, Value r, Value shared) {
                         auto [strip, n0] = rowStrip(row, r, shared);
                         return ParallelTile{strip, {zero, n0}, {m, bmAttr}};
                       });
}

// Y = init + X * W^T.
static Value lower(ProductBuilder &d, BlockSparseMatmulOp op,
                   ForwardTiling tiling) {
  Value init = op.getInit();
  OpFoldResult m = d.size({{init, 0}, {op.getX(), 0}});
  Value acc = blockSparseForward(d, op.getX(), op.getBlocks(), op.getLayout(),
                                 d.accumulator(init), m, tiling);
  return d.finish(acc, init);
}

// dX = init + dY * W: block (r, c) adds dY[:, r] * B into dX[:, c].
// With `parallel`, the block columns are an scf.forall, each adding its
// blocks in increasing block row: the order in which the CSR loop reaches
// them, so the bits are those of the sequential loop.
static Value lower(ProductBuilder &d, BlockSparseInputGradOp op,
                   ForwardTiling tiling) {
  Emitter e{d.getBuilder(), d.getLoc()};
  BlockLayoutAttr layout = op.getLayout();
  int64_t bm = layout.getBlockRows(), bk = layout.getBlockCols();
  Value init = op.getInit(), dy = op.getDy(), blocks = op.getBlocks();
  OpFoldResult m = d.size({{init, 0}, {dy, 0}});
  OpFoldResult zero = e.b.getIndexAttr(0);
  OpFoldResult bkAttr = e.b.getIndexAttr(bk);
  // Block p, at block row n0 / bm, added into a column strip.
  auto addBlock = [&](Emitter &in, Value p, Value n0, Value strip) {
    Value dys = in.slice2(dy, zero, n0, m, in.b.getIndexAttr(bm));
    ProductBuilder pb(in.b, in.loc);
    return pb.matmulNN(dys, in.block(blocks, p, bm, bk), strip);
  };
  if (!tiling.parallel) {
    Value acc =
        forEachBlock(e, layout, d.accumulator(init),
                     [&](Emitter &in, Value p, Value n0, Value k0, Value acc) {
                       Value tile = in.slice2(acc, zero, k0, m, bkAttr);
                       tile = addBlock(in, p, n0, tile);
                       return in.insert2(tile, acc, zero, k0, m, bkAttr);
                     });
    return d.finish(acc, init);
  }
  // The layout by block column (CSC): each column's blocks, by block row.
  int64_t numCols = layout.getNumBlockCols();
  TransposedLayout byColumn = transposeLayout(layout);
  Value ptrTable = e.indexTable(byColumn.layout.getRowPtr());
  Value blockTable = e.indexTable(byColumn.sourceBlock);
  Value rowTable = e.indexTable(byColumn.layout.getColIdx());
  Value acc = parallelTiles(
      e, numCols, d.accumulator(init),
      [&](Emitter &col, Value c, Value shared) {
        Value k0 = col.mul(c, bk);
        Value lo = col.extract(ptrTable, c);
        Value hi = col.extract(
            ptrTable,
            arith::AddIOp::create(col.b, col.loc, c, col.index(1)).getResult());
        Value strip = col.slice2(shared, zero, k0, m, bkAttr);
        strip = forLoop(col, lo, hi, strip, [&](Emitter &in, Value q, Value t) {
          Value p = in.extract(blockTable, q);
          Value n0 = in.mul(in.extract(rowTable, q), bm);
          return addBlock(in, p, n0, t);
        });
        return ParallelTile{strip, {zero, k0}, {m, bkAttr}};
      });
  return d.finish(acc, init);
}

// dB[p] = init[p] + dY[:, r]^T * X[:, c] for every stored block p = (r, c).
// Each block is its own result, so with `parallel` the blocks are an
// scf.forall (same bits in any order).
static Value lower(ProductBuilder &d, BlockSparseWeightGradOp op,
                   ForwardTiling tiling) {
  Emitter e{d.getBuilder(), d.getLoc()};
  BlockLayoutAttr layout = op.getLayout();
  int64_t bm = layout.getBlockRows(), bk = layout.getBlockCols();
  Value init = op.getInit(), dy = op.getDy(), x = op.getX();
  OpFoldResult m = d.size({{dy, 0}, {x, 0}});
  OpFoldResult zero = e.b.getIndexAttr(0);
  // Block p of `acc` plus its product.
  auto blockGradient = [&](Emitter &in, Value n0, Value k0, Value acc,
                           Value p) {
    Value dys = in.slice2(dy, zero, n0, m, in.b.getIndexAttr(bm));
    Value xs = in.slice2(x, zero, k0, m, in.b.getIndexAttr(bk));
    ProductBuilder pb(in.b, in.loc);
    return pb.matmulTN(dys, xs, in.block(acc, p, bm, bk));
  };
  if (!tiling.parallel) {
    Value acc =
        forEachBlock(e, layout, d.accumulator(init),
                     [&](Emitter &in, Value p, Value n0, Value k0, Value acc) {
                       Value tile = blockGradient(in, n0, k0, acc, p);
                       return in.insertBlock(tile, acc, p, bm, bk);
                     });
    return d.finish(acc, init);
  }
  Value rowOf = e.indexTable(blockRowsOf(layout.getRowPtr()));
  Value colIdx = e.indexTable(layout.getColIdx());
  Value acc = parallelTiles(e, layout.getNumBlocks(), d.accumulator(init),
                            [&](Emitter &in, Value p, Value shared) {
                              Value n0 = in.mul(in.extract(rowOf, p), bm);
                              Value k0 = in.mul(in.extract(colIdx, p), bk);
                              Value tile = blockGradient(in, n0, k0, shared, p);
                              OpFoldResult zeroIndex = in.b.getIndexAttr(0);
                              return ParallelTile{tile,
                                                  {p, zeroIndex, zeroIndex},
                                                  {in.b.getIndexAttr(1),
                                                   in.b.getIndexAttr(bm),
                                                   in.b.getIndexAttr(bk)}};
                            });
  return d.finish(acc, init);
}

/// `T = X * V` in f32, `M x r`.
static Value lowRankInput(ProductBuilder &d, Value x, Value v,
                          OpFoldResult m) {
  return d.matmulNN(x, v, d.zeros({m, d.size({{v, 1}})}));
}

// Y = init + (X * V) * U^T.
static Value lower(ProductBuilder &d, LowRankMatmulOp op) {
  Value init = op.getInit();
  OpFoldResult m = d.size({{init, 0}, {op.getX(), 0}});
  Value t = lowRankInput(d, op.getX(), op.getV(), m);
  return d.finish(d.matmulNT(t, op.getU(), d.accumulator(init)), init);
}

// Y = init + g * (X * B^T) + (1 - g) * ((X * V) * U^T), as
// acc = init + g * (X * B^T), then acc += ((1 - g) * (X * V)) * U^T: gamma
// scales the small M x r panel instead of a second M x N product. The
// caller's X V, when given, is the panel's input.
static Value lower(ProductBuilder &d, LinearOp op, ForwardTiling tiling) {
  Value init = op.getInit(), x = op.getX(), gamma = op.getGamma();
  OpFoldResult m = d.size({{init, 0}, {x, 0}});
  OpFoldResult n = d.size({{init, 1}, {op.getU(), 0}});
  double gammaConst = 0.0;
  if (FloatAttr attr = op.getGammaConstAttr())
    gammaConst = attr.getValueAsDouble();
  Value sparse = blockSparseForward(d, x, op.getBlocks(), op.getLayout(),
                                    d.zeros({m, n}), m, tiling);
  Value acc = d.gammaInto({{sparse, false}}, gamma, gammaConst,
                          d.accumulator(init));
  Value t = op.getXv() ? op.getXv() : lowRankInput(d, x, op.getV(), m);
  Value scaledT = d.gammaInto({{t, true}}, gamma, gammaConst,
                              d.zeros({m, d.size({{op.getV(), 1}})}));
  return d.finish(d.matmulNT(scaledT, op.getU(), acc), init);
}

//===----------------------------------------------------------------------===//
// 2:4
//===----------------------------------------------------------------------===//

/// The 2-bit index of value `j` of a compressed row: bits `2 * (j % 8)` of
/// `metadata[n, j / 8]`, as an index.
static Value keptIndex(Emitter &e, Value metadata, Value n, Value j) {
  Value word = e.extract(
      metadata, {n, arith::DivUIOp::create(e.b, e.loc, j, e.index(8))});
  Value w32 = arith::ExtUIOp::create(e.b, e.loc, e.b.getI32Type(), word);
  Value slot = arith::RemUIOp::create(e.b, e.loc, j, e.index(8));
  Value shift = arith::MulIOp::create(
      e.b, e.loc,
      arith::IndexCastOp::create(e.b, e.loc, e.b.getI32Type(), slot),
      e.i32(2));
  Value bits = arith::AndIOp::create(
      e.b, e.loc, arith::ShRUIOp::create(e.b, e.loc, w32, shift), e.i32(3));
  return arith::IndexCastOp::create(e.b, e.loc, e.b.getIndexType(), bits);
}

/// A `linalg.generic` over `loops` with identity-free maps, whose body
/// computes from `linalg.index` values and captured tensors.
static Value indexedGeneric(
    OpBuilder &b, Location loc, ArrayRef<Value> inputs,
    ArrayRef<AffineMap> inputMaps, Value init, AffineMap initMap,
    ArrayRef<utils::IteratorType> iterators,
    llvm::function_ref<Value(Emitter &, ValueRange idx, ValueRange args)>
        body) {
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(initMap);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps,
      iterators, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Emitter in{nb, nloc};
        SmallVector<Value> idx;
        for (unsigned i = 0; i < iterators.size(); ++i)
          idx.push_back(linalg::IndexOp::create(nb, nloc, i));
        linalg::YieldOp::create(nb, nloc, body(in, idx, args));
      });
  return generic.getResult(0);
}

/// Tokens per piece of a row of Y^T in the 2:4 product: eight 256-bit
/// vectors of f32 accumulators.
static constexpr int64_t kTwoFourTokens = 64;
/// Rows of Y^T per iteration of the 2:4 product's parallel loop (a divisor
/// of N up to this).
static constexpr int64_t kTwoFourRows = 64;
/// Kept values per chunk of the 2:4 product's reduction: the rows of X^T
/// a piece reads (twice as many, 128 KB for 64 f32 tokens) stay in L2
/// while the block's rows of W use them.
static constexpr int64_t kTwoFourChunk = 256;

// Y = init + X * W^T with W compressed, computed transposed: Y^T = W X^T.
// Row n of Y^T, kTwoFourTokens tokens at a time, adds values[n, j] times
// row col(n, j) of X^T for j in order: contiguous rows scaled by one value,
// which pixelfly-cpu-vectorize turns into vector code. The sums and their
// order are those of Y[m, n] += X[m, col(n, j)] * values[n, j]; the skipped
// entries of X are never read (an infinity or NaN there stays out).
static Value lower(ProductBuilder &d, TwoFourMatmulOp op,
                   ForwardTiling tiling) {
  Emitter e{d.getBuilder(), d.getLoc()};
  Value x = op.getX(), values = op.getValues(), metadata = op.getMetadata();
  Value init = op.getInit();
  Type f32 = d.f32();
  OpFoldResult m = d.size({{init, 0}, {x, 0}});
  OpFoldResult n = d.size({{init, 1}, {values, 0}});
  OpFoldResult kept = d.size({{values, 1}});
  Value acc = d.accumulator(init);
  // Y^T starts as the fill when the accumulator is one, else as acc^T; its
  // sizes are the accumulator's own (static or not), so that Y comes back
  // with the accumulator's type.
  Value accT;
  if (auto fill = acc.getDefiningOp<linalg::FillOp>();
      fill && fill.hasPureTensorSemantics()) {
    Value dest = fill.getOutputs()[0];
    accT = linalg::FillOp::create(
               e.b, e.loc, fill.getInputs()[0],
               d.empty({tensor::getMixedSize(e.b, e.loc, dest, 1),
                        tensor::getMixedSize(e.b, e.loc, dest, 0)},
                       f32))
               .getResult(0);
  } else {
    accT = d.transpose(acc, {1, 0});
  }
  Value xT = d.transpose(x, {1, 0});
  Value mValue = getValueOrCreateConstantIndexOp(e.b, e.loc, m);
  OpFoldResult zero = e.b.getIndexAttr(0);
  MLIRContext *ctx = e.b.getContext();
  AffineMap id = AffineMap::getMultiDimIdentityMap(1, ctx);
  AffineMap scalar = AffineMap::get(1, 0, {}, ctx);

  // `piece += w * xs`, elementwise over the piece's tokens.
  auto axpy = [&](Emitter &in, Value piece, Value xs, Value w) {
    return linalg::GenericOp::create(
               in.b, in.loc, TypeRange{piece.getType()}, ValueRange{xs, w},
               ValueRange{piece}, ArrayRef<AffineMap>{id, scalar, id},
               ArrayRef<utils::IteratorType>{utils::IteratorType::parallel},
               [&](OpBuilder &nb, Location nloc, ValueRange args) {
                 ProductBuilder pb(nb, nloc);
                 Value prod = arith::MulFOp::create(
                     nb, nloc, pb.convert(args[0], f32), args[1]);
                 linalg::YieldOp::create(nb, nloc,
                                         ValueRange{arith::AddFOp::create(
                                             nb, nloc, args[2], prod)});
               })
        .getResult(0);
  };
  // Tokens `m0 .. m0 + len` of row `r` of Y^T (the 1-D `piece`): the
  // kept values in order.
  auto pieceSum = [&](Emitter &in, Value r, Value piece, OpFoldResult m0,
                      OpFoldResult len, Value jLo, Value jHi) {
    return forLoop(
        in, jLo, jHi, piece, [&](Emitter &jl, Value j, Value piece) {
          // Column 4 * (j / 2) + the j-th 2-bit index.
          Value group = arith::DivUIOp::create(jl.b, jl.loc, j, jl.index(2));
          Value col = arith::AddIOp::create(jl.b, jl.loc, jl.mul(group, 4),
                                            keptIndex(jl, metadata, r, j));
          Value w = ProductBuilder(jl.b, jl.loc)
                        .convert(jl.extract(values, {r, j}), f32);
          return axpy(jl, piece, jl.row(xT, col, m0, len), w);
        });
  };
  // `rows`, the `count` rows of Y^T from row `r0`: chunks of
  // kTwoFourChunk kept values; in each, whole pieces of kTwoFourTokens
  // tokens then the rest, each piece for every row (the rows of X^T that
  // the chunk and piece read stay in cache across the rows of W). Every
  // element still adds its kept values in order.
  Value half = getValueOrCreateConstantIndexOp(e.b, e.loc, kept);
  auto blockSum = [&](Emitter &in, Value r0, Value count, Value rows) {
    return forLoopStep(
        in, in.index(0), half, kTwoFourChunk, rows,
        [&](Emitter &ce, Value jLo, Value rows) {
          Value jHi = arith::MinUIOp::create(
              ce.b, ce.loc,
              arith::AddIOp::create(ce.b, ce.loc, jLo, ce.index(kTwoFourChunk)),
              half);
          return wholeThenRest(
              ce, mValue, kTwoFourTokens, rows,
              [&](Emitter &pe, Value m0, OpFoldResult len, Value rows) {
                return forLoop(
                    pe, pe.index(0), count, rows,
                    [&](Emitter &re, Value r, Value rows) {
                      Value global = arith::AddIOp::create(re.b, re.loc, r0, r);
                      Value piece = re.row(rows, r, m0, len);
                      piece = pieceSum(re, global, piece, m0, len, jLo, jHi);
                      return re.insertRow(piece, rows, r, m0, len);
                    });
              });
        });
  };
  // Blocks of up to kTwoFourRows rows of Y^T (a divisor of a static N; all
  // of a dynamic one), each its own tile: with `parallel`, an scf.forall.
  std::optional<int64_t> staticN = getConstantIntValue(n);
  if (staticN && *staticN > 0) {
    int64_t block = 1;
    for (int64_t b = std::min(*staticN, kTwoFourRows); b > 1; --b)
      if (*staticN % b == 0) {
        block = b;
        break;
      }
    OpFoldResult blockAttr = e.b.getIndexAttr(block);
    auto blockTile = [&](Emitter &bl, Value i, Value all) {
      Value r0 = bl.mul(i, block);
      Value rows = bl.slice2(all, r0, zero, blockAttr, m);
      return std::make_pair(blockSum(bl, r0, bl.index(block), rows), r0);
    };
    if (tiling.parallel)
      accT = parallelTiles(
          e, *staticN / block, accT, [&](Emitter &bl, Value i, Value shared) {
            auto [rows, r0] = blockTile(bl, i, shared);
            return ParallelTile{rows, {r0, zero}, {blockAttr, m}};
          });
    else
      accT = forLoop(e, e.index(0), e.index(*staticN / block), accT,
                     [&](Emitter &bl, Value i, Value all) {
                       auto [rows, r0] = blockTile(bl, i, all);
                       return bl.insert2(rows, all, r0, zero, blockAttr, m);
                     });
  } else {
    Value nValue = getValueOrCreateConstantIndexOp(e.b, e.loc, n);
    accT = blockSum(e, e.index(0), nValue, accT);
  }
  return d.finish(d.transpose(accT, {1, 0}), init);
}

// Dense W from values and metadata: entry (n, c) of group g = c / 4 is the
// value whose index is c % 4 (both, added, when the two indices are equal),
// else +0.0.
static Value lower(ProductBuilder &d, Densify24Op op) {
  OpBuilder &b = d.getBuilder();
  Location loc = d.getLoc();
  Value values = op.getValues(), metadata = op.getMetadata();
  Value init = op.getInit();
  Type element = cast<ShapedType>(init.getType()).getElementType();
  AffineMap id = b.getMultiDimIdentityMap(2);
  return indexedGeneric(
      b, loc, {}, {}, init, id,
      {utils::IteratorType::parallel, utils::IteratorType::parallel},
      [&](Emitter &in, ValueRange idx, ValueRange) -> Value {
        Value n = idx[0], c = idx[1];
        Value group = arith::DivUIOp::create(in.b, in.loc, c, in.index(4));
        Value i = arith::RemUIOp::create(in.b, in.loc, c, in.index(4));
        Value j0 = in.mul(group, 2);
        Value j1 = arith::AddIOp::create(in.b, in.loc, j0, in.index(1));
        Value i0 = keptIndex(in, metadata, n, j0);
        Value i1 = keptIndex(in, metadata, n, j1);
        Value v0 = in.extract(values, {n, j0});
        Value v1 = in.extract(values, {n, j1});
        ProductBuilder pb(in.b, in.loc);
        Value zero = arith::ConstantOp::create(
            in.b, in.loc, element, in.b.getFloatAttr(element, 0.0));
        auto eq = [&](Value a, Value c2) {
          return arith::CmpIOp::create(in.b, in.loc, arith::CmpIPredicate::eq,
                                       a, c2);
        };
        Value is0 = eq(i, i0), is1 = eq(i, i1);
        Value both = arith::AndIOp::create(in.b, in.loc, is0, is1);
        Value sum = pb.convert(
            arith::AddFOp::create(in.b, in.loc, pb.convert(v0, d.f32()),
                                  pb.convert(v1, d.f32())),
            element);
        Value r = arith::SelectOp::create(in.b, in.loc, is1, v1, zero);
        r = arith::SelectOp::create(in.b, in.loc, is0, v0, r);
        return arith::SelectOp::create(in.b, in.loc, both, sum, r);
      });
}

// Dense W from blocks: zeros, then each block inserted at its place.
static Value lower(ProductBuilder &d, DensifyOp op) {
  Emitter e{d.getBuilder(), d.getLoc()};
  BlockLayoutAttr layout = op.getLayout();
  int64_t bm = layout.getBlockRows(), bk = layout.getBlockCols();
  Value init = op.getInit(), blocks = op.getBlocks();
  Type element = cast<ShapedType>(init.getType()).getElementType();
  Value zero = arith::ConstantOp::create(e.b, e.loc, element,
                                         e.b.getFloatAttr(element, 0.0));
  Value dense =
      linalg::FillOp::create(e.b, e.loc, ValueRange{zero}, ValueRange{init})
          .getResult(0);
  return forEachBlock(e, layout, dense,
                      [&](Emitter &in, Value p, Value n0, Value k0,
                          Value dense) {
                        return in.insert2(in.block(blocks, p, bm, bk), dense,
                                          n0, k0, in.b.getIndexAttr(bm),
                                          in.b.getIndexAttr(bk));
                      });
}

//===----------------------------------------------------------------------===//
// Pruning
//===----------------------------------------------------------------------===//

namespace {
/// The two kept positions (`first < second`, each 0..3) of a group or tile
/// line, as index values.
struct KeptPair {
  Value first, second;
};
} // namespace

/// The selection rule of the pattern library for one group of four: the
/// two entries that are beaten by fewer than two others, where `j` beats
/// `i` if its key (magnitude, -1 for NaN) is larger, or equal with `j < i`.
/// Branch-free: compares and selects.
static KeptPair selectGroup(Emitter &e, ArrayRef<Value> x) {
  Type f32 = e.b.getF32Type();
  ProductBuilder pb(e.b, e.loc);
  Value minusOne = arith::ConstantOp::create(e.b, e.loc, f32,
                                             e.b.getF32FloatAttr(-1.0));
  Value key[4];
  for (int i = 0; i < 4; ++i) {
    Value v = pb.convert(x[i], f32);
    Value isNan = arith::CmpFOp::create(e.b, e.loc, arith::CmpFPredicate::UNO,
                                        v, v);
    Value mag = math::AbsFOp::create(e.b, e.loc, v);
    key[i] = arith::SelectOp::create(e.b, e.loc, isNan, minusOne, mag);
  }
  Value kept[4];
  for (int i = 0; i < 4; ++i) {
    Value rank = e.i32(0);
    for (int j = 0; j < 4; ++j) {
      if (j == i)
        continue;
      // Keys are never NaN, so ordered compares are exact.
      Value beats = arith::CmpFOp::create(
          e.b, e.loc,
          j < i ? arith::CmpFPredicate::OGE : arith::CmpFPredicate::OGT,
          key[j], key[i]);
      rank = arith::AddIOp::create(
          e.b, e.loc, rank,
          arith::ExtUIOp::create(e.b, e.loc, e.b.getI32Type(), beats));
    }
    kept[i] = arith::CmpIOp::create(e.b, e.loc, arith::CmpIPredicate::ult,
                                    rank, e.i32(2));
  }
  // Exactly two are kept: the first is at most 2, the second at least 1.
  Value first = arith::SelectOp::create(
      e.b, e.loc, kept[0], e.index(0),
      arith::SelectOp::create(e.b, e.loc, kept[1], e.index(1), e.index(2)));
  Value second = arith::SelectOp::create(
      e.b, e.loc, kept[3], e.index(3),
      arith::SelectOp::create(e.b, e.loc, kept[2], e.index(2), e.index(1)));
  return {first, second};
}

/// Per 4x4 tile of `input`, the index (into patterns::transposableTileMasks)
/// of the mask the pattern library picks: the fewest NaNs kept, then the
/// most infinities, then the largest sum of finite magnitudes (in f64, in
/// the library's order of additions), earliest mask on ties. Each entry's
/// score components are computed once and each row's six pairs summed once;
/// the 90 masks are unrolled, each adding the pair sums of its four rows (a
/// loop over masks re-reading the tile made this 10x slower).
static Value selectTiles(ProductBuilder &d, Value input, OpFoldResult tileRows,
                         OpFoldResult tileCols) {
  OpBuilder &b = d.getBuilder();
  Location loc = d.getLoc();
  const auto &masks = patterns::transposableTileMasks();
  Value init = d.empty({tileRows, tileCols}, b.getIndexType());
  Type f64 = b.getF64Type(), i32 = b.getI32Type();
  return indexedGeneric(
      b, loc, {}, {}, init, b.getMultiDimIdentityMap(2),
      {utils::IteratorType::parallel, utils::IteratorType::parallel},
      [&](Emitter &in, ValueRange idx, ValueRange) -> Value {
        OpBuilder &ib = in.b;
        Location il = in.loc;
        Value r0 = in.mul(idx[0], 4), c0 = in.mul(idx[1], 4);
        ProductBuilder pb(ib, il);
        auto f64c = [&](double v) {
          return arith::ConstantOp::create(ib, il, f64, ib.getF64FloatAttr(v));
        };
        Value inf = f64c(std::numeric_limits<double>::infinity());
        Value zero = f64c(0.0);
        // Score components of each entry: NaN (i32), infinite (i32), finite
        // magnitude (f64, 0 for NaN and infinities).
        Value nan[4][4], isInf[4][4], mag[4][4];
        for (int r = 0; r < 4; ++r)
          for (int c = 0; c < 4; ++c) {
            Value v = pb.convert(
                in.extract(input,
                           {arith::AddIOp::create(ib, il, r0, in.index(r)),
                            arith::AddIOp::create(ib, il, c0, in.index(c))}),
                d.f32());
            Value wide = arith::ExtFOp::create(ib, il, f64, v);
            Value isNan = arith::CmpFOp::create(
                ib, il, arith::CmpFPredicate::UNO, wide, wide);
            Value abs = math::AbsFOp::create(ib, il, wide);
            Value infinite = arith::CmpFOp::create(
                ib, il, arith::CmpFPredicate::OEQ, abs, inf);
            nan[r][c] = arith::ExtUIOp::create(ib, il, i32, isNan);
            isInf[r][c] = arith::ExtUIOp::create(ib, il, i32, infinite);
            Value special = arith::OrIOp::create(ib, il, isNan, infinite);
            mag[r][c] = arith::SelectOp::create(ib, il, special, zero, abs);
          }
        // Each row's pairs (a < b): the two kept entries' components, the
        // magnitudes added first then second, as the library does.
        struct Pair {
          Value nan, inf, mag;
        };
        std::map<std::tuple<int, int, int>, Pair> pairs;
        auto pairOf = [&](int r, int a, int c) -> Pair & {
          auto [it, fresh] = pairs.try_emplace({r, a, c});
          if (fresh)
            it->second = {
                arith::AddIOp::create(ib, il, nan[r][a], nan[r][c]),
                arith::AddIOp::create(ib, il, isInf[r][a], isInf[r][c]),
                arith::AddFOp::create(ib, il, mag[r][a], mag[r][c])};
          return it->second;
        };
        Value bestIndex, bestNan, bestInf, bestSum;
        for (auto [m, bits] : llvm::enumerate(masks)) {
          Value nanSum, infSum, sum;
          for (int r = 0; r < 4; ++r) {
            int cols[2], k = 0;
            for (int c = 0; c < 4; ++c)
              if ((bits >> (4 * r + c)) & 1)
                cols[k++] = c;
            Pair &p = pairOf(r, cols[0], cols[1]);
            if (r == 0) {
              nanSum = p.nan;
              infSum = p.inf;
              sum = p.mag;
              continue;
            }
            nanSum = arith::AddIOp::create(ib, il, nanSum, p.nan);
            infSum = arith::AddIOp::create(ib, il, infSum, p.inf);
            sum = arith::AddFOp::create(ib, il, sum, p.mag);
          }
          Value index = in.index(static_cast<int64_t>(m));
          if (m == 0) {
            std::tie(bestIndex, bestNan, bestInf, bestSum) =
                std::make_tuple(index, nanSum, infSum, sum);
            continue;
          }
          auto cmpI = [&](arith::CmpIPredicate pred, Value x, Value y) {
            return arith::CmpIOp::create(ib, il, pred, x, y).getResult();
          };
          Value fewerNan = cmpI(arith::CmpIPredicate::slt, nanSum, bestNan);
          Value sameNan = cmpI(arith::CmpIPredicate::eq, nanSum, bestNan);
          Value moreInf = cmpI(arith::CmpIPredicate::sgt, infSum, bestInf);
          Value sameInf = cmpI(arith::CmpIPredicate::eq, infSum, bestInf);
          Value larger = arith::CmpFOp::create(
              ib, il, arith::CmpFPredicate::OGT, sum, bestSum);
          Value tail = arith::OrIOp::create(
              ib, il, moreInf, arith::AndIOp::create(ib, il, sameInf, larger));
          Value better = arith::OrIOp::create(
              ib, il, fewerNan, arith::AndIOp::create(ib, il, sameNan, tail));
          auto pick = [&](Value now, Value best) {
            return arith::SelectOp::create(ib, il, better, now, best)
                .getResult();
          };
          bestIndex = pick(index, bestIndex);
          bestNan = pick(nanSum, bestNan);
          bestInf = pick(infSum, bestInf);
          bestSum = pick(sum, bestSum);
        }
        return bestIndex;
      });
}

/// The kept pair of line `line` (a row of the tile, or with `columns` a
/// column) of tile mask `mask`.
static KeptPair tilePair(Emitter &e, Value table, Value mask, Value line) {
  Value base = arith::AddIOp::create(e.b, e.loc, e.mul(mask, 8),
                                     e.mul(line, 2));
  return {e.extract(table, base),
          e.extract(table, arith::AddIOp::create(e.b, e.loc, base,
                                                 e.index(1))
                               .getResult())};
}

/// For every mask and tile row (or column, with `columns`) the two kept
/// positions, at [m * 8 + line * 2 + {0, 1}].
static SmallVector<int64_t> tileLineTable(bool columns) {
  SmallVector<int64_t> table;
  for (uint16_t bits : patterns::transposableTileMasks())
    for (int line = 0; line < 4; ++line)
      for (int i = 0; i < 4; ++i) {
        int bit = columns ? 4 * i + line : 4 * line + i;
        if ((bits >> bit) & 1)
          table.push_back(i);
      }
  return table;
}

/// Compresses rows of `source` (`R x C`, read as `source[row, col]`, or
/// transposed when `transposed`): values `R x C/2` and metadata `R x C/16`.
/// `pairOf(e, row, group)` gives the kept pair of a group.
static std::pair<Value, Value>
compress(ProductBuilder &d, Value source, bool transposed, Value valuesInit,
         Value metaInit,
         llvm::function_ref<KeptPair(Emitter &, Value row, Value group)>
             pairOf) {
  OpBuilder &b = d.getBuilder();
  Location loc = d.getLoc();
  auto read = [&](Emitter &e, Value row, Value col) {
    return transposed ? e.extract(source, {col, row})
                      : e.extract(source, {row, col});
  };
  AffineMap id = b.getMultiDimIdentityMap(2);
  SmallVector<utils::IteratorType> par(2, utils::IteratorType::parallel);
  Value values = indexedGeneric(
      b, loc, {}, {}, valuesInit, id, par,
      [&](Emitter &in, ValueRange idx, ValueRange) -> Value {
        Value row = idx[0], j = idx[1];
        Value group = arith::DivUIOp::create(in.b, in.loc, j, in.index(2));
        Value odd = arith::CmpIOp::create(
            in.b, in.loc, arith::CmpIPredicate::ne,
            arith::RemUIOp::create(in.b, in.loc, j, in.index(2)), in.index(0));
        KeptPair pair = pairOf(in, row, group);
        Value at = arith::SelectOp::create(in.b, in.loc, odd, pair.second,
                                           pair.first);
        return read(in, row,
                    arith::AddIOp::create(in.b, in.loc, in.mul(group, 4), at));
      });
  Value metadata = indexedGeneric(
      b, loc, {}, {}, metaInit, id, par,
      [&](Emitter &in, ValueRange idx, ValueRange) -> Value {
        Type i32 = in.b.getI32Type();
        Value word = in.i32(0);
        for (int g = 0; g < 4; ++g) {
          Value group =
              arith::AddIOp::create(in.b, in.loc, in.mul(idx[1], 4),
                                    in.index(g));
          KeptPair pair = pairOf(in, idx[0], group);
          Value lo = arith::IndexCastOp::create(in.b, in.loc, i32, pair.first);
          Value hi =
              arith::IndexCastOp::create(in.b, in.loc, i32, pair.second);
          Value nibble = arith::OrIOp::create(
              in.b, in.loc, lo,
              arith::ShLIOp::create(in.b, in.loc, hi, in.i32(2)));
          word = arith::OrIOp::create(
              in.b, in.loc, word,
              arith::ShLIOp::create(in.b, in.loc, nibble, in.i32(4 * g)));
        }
        return arith::TruncIOp::create(in.b, in.loc, in.b.getI16Type(), word);
      });
  return {values, metadata};
}

// Values and metadata of W (and of W^T with four outs), with the library's
// selection rule.
static SmallVector<Value> lower(ProductBuilder &d, Prune24Op op) {
  Value input = op.getInput();
  ValueRange outs = op.getOutputs();
  Emitter e{d.getBuilder(), d.getLoc()};
  SmallVector<Value> results;
  if (!op.getTransposable()) {
    auto [values, metadata] = compress(
        d, input, /*transposed=*/false, outs[0], outs[1],
        [&](Emitter &in, Value row, Value group) {
          SmallVector<Value> x;
          for (int i = 0; i < 4; ++i)
            x.push_back(in.extract(
                input, {row, arith::AddIOp::create(in.b, in.loc,
                                                   in.mul(group, 4),
                                                   in.index(i))
                                 .getResult()}));
          return selectGroup(in, x);
        });
    return {values, metadata};
  }
  OpFoldResult n = d.size({{input, 0}}), k = d.size({{input, 1}});
  auto quarter = [&](OpFoldResult s) -> OpFoldResult {
    if (auto attr = dyn_cast<Attribute>(s))
      return e.b.getIndexAttr(cast<IntegerAttr>(attr).getInt() / 4);
    return arith::DivUIOp::create(e.b, e.loc, cast<Value>(s), e.index(4))
        .getResult();
  };
  Value tiles = selectTiles(d, input, quarter(n), quarter(k));
  // The tile of (row, group) is (row / 4, group); its line is row % 4.
  auto linePair = [&](Value table) {
    return [&, table](Emitter &in, Value row, Value group) {
      Value mask = in.extract(
          tiles, {arith::DivUIOp::create(in.b, in.loc, row, in.index(4))
                      .getResult(),
                  group});
      Value line = arith::RemUIOp::create(in.b, in.loc, row, in.index(4));
      return tilePair(in, table, mask, line);
    };
  };
  Value rowTable = e.indexTable(tileLineTable(/*columns=*/false));
  auto [values, metadata] =
      compress(d, input, false, outs[0], outs[1], linePair(rowTable));
  results = {values, metadata};
  if (outs.size() == 4) {
    // Row `row` of W^T is column `row` of W: its groups run down W's rows,
    // tile (group, row / 4), line row % 4 of the tile's columns.
    Value colTable = e.indexTable(tileLineTable(/*columns=*/true));
    auto columnPair = [&](Emitter &in, Value row, Value group) {
      Value mask = in.extract(
          tiles, {group, arith::DivUIOp::create(in.b, in.loc, row, in.index(4))
                             .getResult()});
      Value line = arith::RemUIOp::create(in.b, in.loc, row, in.index(4));
      return tilePair(in, colTable, mask, line);
    };
    auto [tValues, tMetadata] =
        compress(d, input, /*transposed=*/true, outs[2], outs[3], columnPair);
    results.push_back(tValues);
    results.push_back(tMetadata);
  }
  return results;
}

//===----------------------------------------------------------------------===//
// Patterns and pass
//===----------------------------------------------------------------------===//

/// Only the tensor form is lowered.
static bool isTensorForm(Operation *op) {
  return op->getNumResults() > 0 &&
         llvm::all_of(op->getOperands(), [](Value v) {
           return !isa<MemRefType>(v.getType());
         });
}

static LogicalResult lowerOp(RewriterBase &rewriter, Operation *op,
                             ForwardTiling tiling) {
  if (!isTensorForm(op))
    return rewriter.notifyMatchFailure(op, "not in tensor form");
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  ProductBuilder d(rewriter, op->getLoc());
  SmallVector<Value> results =
      llvm::TypeSwitch<Operation *, SmallVector<Value>>(op)
          .Case<BlockSparseMatmulOp, LinearOp, BlockSparseInputGradOp,
                BlockSparseWeightGradOp, TwoFourMatmulOp>([&](auto typed) {
            return SmallVector<Value>{lower(d, typed, tiling)};
          })
          .Case<LowRankMatmulOp, DensifyOp, Densify24Op>(
              [&](auto typed) { return SmallVector<Value>{lower(d, typed)}; })
          .Case<Prune24Op>([&](Prune24Op typed) { return lower(d, typed); })
          .Default([](Operation *) { return SmallVector<Value>{}; });
  if (results.empty())
    return failure();
  rewriter.replaceOp(op, results);
  return success();
}

namespace {
template <typename OpTy>
struct LowerToLinalg : public OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    return lowerOp(rewriter, op, ForwardTiling{});
  }
};
} // namespace

void mlir::pixelfly::populatePixelflyToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerToLinalg<BlockSparseMatmulOp>,
               LowerToLinalg<BlockSparseInputGradOp>,
               LowerToLinalg<BlockSparseWeightGradOp>,
               LowerToLinalg<LowRankMatmulOp>, LowerToLinalg<LinearOp>,
               LowerToLinalg<TwoFourMatmulOp>, LowerToLinalg<DensifyOp>,
               LowerToLinalg<Densify24Op>, LowerToLinalg<Prune24Op>>(
      patterns.getContext());
}

void mlir::pixelfly::populateDensifyToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerToLinalg<DensifyOp>, LowerToLinalg<Densify24Op>>(
      patterns.getContext());
}

namespace {
// A walk rather than the greedy driver: each op is lowered exactly once and
// the surrounding IR is not folded on the side.
struct ConvertPixelflyToLinalgPass
    : public pixelfly::impl::ConvertPixelflyToLinalgBase<
          ConvertPixelflyToLinalgPass> {
  using Base::Base;

  void runOnOperation() override {
    if (tileM < 0 || tileN < 0) {
      getOperation()->emitError()
          << "convert-pixelfly-to-linalg: tile-m and tile-n must be "
             "non-negative";
      return signalPassFailure();
    }
    SmallVector<Operation *> ops;
    getOperation()->walk([&](Operation *op) {
      // Unregistered ops have no dialect.
      if (isa_and_nonnull<PixelflyDialect>(op->getDialect()))
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (Operation *op : ops) {
      if (!isTensorForm(op)) {
        op->emitRemark() << "left unchanged: op is in memref form; "
                            "convert-pixelfly-to-linalg lowers the tensor "
                            "form (run it before bufferization)";
        ++numSkipped;
        continue;
      }
      // Token tiles follow the CPU register tile unless tile-m says.
      ForwardTiling tiling{tileM, tileN, parallel};
      if (CpuConfigAttr config = lookupCpuConfig(op)) {
        if (tiling.tileM == 0)
          tiling.tileM = config.getTileM();
        if (tiling.tileN == 0)
          tiling.tileN = config.getTileN();
      }
      if (succeeded(lowerOp(rewriter, op, tiling)))
        ++numConverted;
      else
        ++numSkipped;
    }
  }
};
} // namespace
