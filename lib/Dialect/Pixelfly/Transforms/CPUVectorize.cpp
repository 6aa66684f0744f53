//===- CPUVectorize.cpp - Tile and vectorize matmuls for the CPU ----------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Tiles every `linalg.matmul` (any indexing maps) of a function into
// `tile-m x tile-n x tile-k` pieces, peels the partial tiles of M (the token
// count, often dynamic or ragged), and vectorizes the full tiles into
// `vector.contract`. The block matmuls of convert-pixelfly-to-linalg and the
// dense ones of the reference then run through the same kernel shape, so
// their speeds compare fairly. Partial tiles stay scalar.
//
// Weights come in PyTorch's (n, k) orientation (`Y = X * W^T`). The
// outer-product kernel wants the right operand as k x n rows; reading an
// n x k tile would transpose it element by element on every K step. So a
// right operand that is loop-invariant (a function-level value, or a slice
// of one) is transposed once, at its definition, and the matmul rewritten
// to the plain (m, k) x (k, n) form.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"
#include "pixelfly/Dialect/Pixelfly/Utils/CpuTarget.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <numeric>

namespace mlir::pixelfly {
#define GEN_PASS_DEF_PIXELFLYCPUVECTORIZE
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h.inc"
} // namespace mlir::pixelfly

using namespace mlir;
using namespace mlir::pixelfly;

/// Largest register tile (tile-m x tile-n accumulators) and unrolled work
/// of one tile (tile-m x tile-n x tile-k) the pass accepts.
static constexpr int64_t kMaxTileAccumulators =
    CpuConfigAttr::kMaxTileAccumulators;
static constexpr int64_t kMaxTileWork = CpuConfigAttr::kMaxTileWork;

/// The tile of a static dimension: the largest divisor of `size` that is at
/// most `preferred` (whole tiles only); `preferred` for a dynamic one.
static int64_t tileFor(int64_t size, int64_t preferred) {
  if (ShapedType::isDynamic(size))
    return preferred;
  for (int64_t t = std::min(size, preferred); t > 1; --t)
    if (size % t == 0)
      return t;
  return 1;
}

/// Whether `op` is `Y = X * W^T`: maps (m, k), (n, k), (m, n).
static bool hasTransposedRhs(linalg::MatmulOp op) {
  MLIRContext *ctx = op.getContext();
  AffineExpr m, n, k;
  bindDims(ctx, m, n, k);
  SmallVector<AffineMap> expected = {AffineMap::get(3, 0, {m, k}, ctx),
                                     AffineMap::get(3, 0, {n, k}, ctx),
                                     AffineMap::get(3, 0, {m, n}, ctx)};
  return op.getIndexingMapsArray() == expected;
}

/// Whether `value` is computed once per call of `func`: an argument or a
/// value of the function's entry block (not inside a loop or branch).
static bool isFunctionLevel(Value value, func::FuncOp func) {
  return !func.getBody().empty() &&
         value.getParentBlock() == &func.getBody().front();
}

/// The widest piece of a row an elementwise op is vectorized in (eight
/// 256-bit vectors of f32).
static constexpr int64_t kElementwiseWidth = 64;

/// Elements per iteration of the parallel loop of a 1-D elementwise op
/// that is not vectorized.
static constexpr int64_t kParallelPiece = 1024;

/// The largest square tile of a vectorized transpose.
static constexpr int64_t kTransposeTile = 8;

namespace {
/// Transposed copies of loop-invariant tensors, made once per source.
class Transposer {
public:
  explicit Transposer(func::FuncOp func) : func(func) {}

  /// `value` (rank >= 2) with dimensions `a` and `b` swapped, computed right
  /// after `value`'s definition.
  Value get(IRRewriter &rewriter, Value value, int64_t a, int64_t b) {
    Value &cached = copies[{value, a, b}];
    if (cached)
      return cached;
    OpBuilder::InsertionGuard guard(rewriter);
    if (Operation *def = value.getDefiningOp())
      rewriter.setInsertionPointAfter(def);
    else
      rewriter.setInsertionPointToStart(&func.getBody().front());
    auto type = cast<RankedTensorType>(value.getType());
    SmallVector<int64_t> perm =
        llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
    std::swap(perm[a], perm[b]);
    Location loc = value.getLoc();
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, value);
    std::swap(sizes[a], sizes[b]);
    Value init = tensor::EmptyOp::create(rewriter, loc, sizes,
                                         type.getElementType());
    cached = linalg::TransposeOp::create(rewriter, loc, value, init, perm)
                 ->getResult(0);
    return cached;
  }

private:
  func::FuncOp func;
  DenseMap<std::tuple<Value, int64_t, int64_t>, Value> copies;
};
} // namespace

namespace {
struct PixelflyCPUVectorizePass
    : public pixelfly::impl::PixelflyCPUVectorizeBase<
          PixelflyCPUVectorizePass> {
  using Base::Base;

  /// The tiling in effect: the options where given, else the enclosing
  /// #pixelfly.cpu_config, else the defaults of the pass.
  CpuTiles tiles;

  void runOnOperation() override {
    tiles = {8, 32, 8, 128};
    if (CpuConfigAttr config = lookupCpuConfig(getOperation()))
      tiles = {config.getTileM(), config.getTileN(), config.getTileK(),
               config.getPanelM()};
    for (auto [given, chosen] :
         {std::pair<int64_t, int64_t *>{tileM, &tiles.tileM},
          {tileN, &tiles.tileN},
          {tileK, &tiles.tileK},
          {panelM, &tiles.panelM}})
      if (given != 0)
        *chosen = given;
    if (tiles.tileM < 1 || tiles.tileN < 1 || tiles.tileK < 1 ||
        tiles.panelM < 1) {
      getOperation()->emitError()
          << "pixelfly-cpu-vectorize: tile sizes must be positive";
      return signalPassFailure();
    }
    // A tile is unrolled into straight-line vector code: its accumulators
    // belong in registers (a few hundred values on any CPU), and larger
    // tiles only make compile time explode.
    int64_t m = tiles.tileM, n = tiles.tileN, k = tiles.tileK;
    if (m > kMaxTileAccumulators || n > kMaxTileAccumulators ||
        m * n > kMaxTileAccumulators || k > kMaxTileWork / (m * n)) {
      getOperation()->emitError()
          << "pixelfly-cpu-vectorize: the tile " << m << " x " << n << " x "
          << k << " is too large (at most " << kMaxTileAccumulators
          << " accumulators, tile-m x tile-n, and " << kMaxTileWork
          << " multiply-adds)";
      return signalPassFailure();
    }
    SmallVector<linalg::MatmulOp> matmuls;
    getOperation()->walk([&](linalg::MatmulOp op) {
      if (op.hasPureTensorSemantics())
        matmuls.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    if (transposeRhs) {
      Transposer transposer(getOperation());
      for (linalg::MatmulOp &op : matmuls)
        if (FailureOr<linalg::MatmulOp> plain =
                transposeSlicedRhs(rewriter, transposer, op);
            succeeded(plain))
          op = *plain;
    }
    for (linalg::MatmulOp op : matmuls)
      (void)tile(rewriter, op);

    // Peeling leaves the whole tiles' sizes as folded constants; the
    // canonical form has them in the types, which vectorization needs.
    RewritePatternSet patterns(&getContext());
    for (Dialect *dialect : getContext().getLoadedDialects())
      dialect->getCanonicalizationPatterns(patterns);
    for (RegisteredOperationName op : getContext().getRegisteredOperations())
      op.getCanonicalizationPatterns(patterns, &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();

    SmallVector<linalg::MatmulOp> tiles;
    getOperation()->walk([&](linalg::MatmulOp op) {
      if (op.hasPureTensorSemantics())
        tiles.push_back(op);
    });
    for (linalg::MatmulOp op : tiles)
      if (succeeded(vectorizeTile(rewriter, op)))
        ++numVectorized;

    // Fills and elementwise ops: the fills of accumulator tiles that
    // convert-pixelfly-to-linalg puts before each tile's blocks (as vector
    // stores, no scalar store through a view of the result keeps the
    // accumulator transfers from leaving the reduction loops), and the
    // whole-tensor ones around the products (a result's zero fill, the
    // epilogues of `linear` and of 16-bit results), which would otherwise
    // be scalar loops outside the parallel region.
    // Other elementwise generics (gathers, index arithmetic: the prune and
    // densify lowerings) stay scalar, but their rows run in parallel too.
    SmallVector<linalg::LinalgOp> elementwise;
    getOperation()->walk([&](linalg::LinalgOp op) {
      if (isElementwise(op))
        elementwise.push_back(op);
    });
    for (linalg::LinalgOp op : elementwise) {
      if (isVectorizable(op))
        (void)vectorizeElementwise(rewriter, op);
      else if (parallel && !op->getParentOfType<LoopLikeOpInterface>())
        (void)parallelRows(rewriter, op);
    }

    // The packing copies: square tiles of the two swapped dimensions, as
    // register transposes (scalar copies would cost as much as a product
    // on few rows).
    SmallVector<linalg::TransposeOp> transposes;
    getOperation()->walk([&](linalg::TransposeOp op) {
      if (op.hasPureTensorSemantics())
        transposes.push_back(op);
    });
    for (linalg::TransposeOp op : transposes)
      (void)vectorizeTranspose(rewriter, op);
  }

  /// Fills and generics on tensors with one result written through the
  /// identity map (each iteration its own element: rows are independent),
  /// all loops parallel and no empty dimension.
  static bool isElementwise(linalg::LinalgOp op) {
    if (!isa<linalg::FillOp, linalg::GenericOp>(op) ||
        !op.hasPureTensorSemantics() || op->getNumResults() != 1 ||
        op.getNumLoops() == 0 || op.getNumParallelLoops() != op.getNumLoops() ||
        !op.getIndexingMapMatchingResult(op->getResult(0)).isIdentity())
      return false;
    auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    return type && !llvm::is_contained(type.getShape(), 0);
  }

  /// Elementwise ops that vector code computes directly: fills, and
  /// generics whose bodies only compute (arith, math: no gathers, no
  /// indices) through projected permutations, with a static last
  /// dimension.
  static bool isVectorizable(linalg::LinalgOp op) {
    auto type = cast<RankedTensorType>(op->getResult(0).getType());
    if (ShapedType::isDynamic(type.getShape().back()))
      return false;
    if (isa<linalg::FillOp>(op))
      return true;
    if (!llvm::all_of(op.getIndexingMapsArray(), [](AffineMap map) {
          return map.isProjectedPermutation();
        }))
      return false;
    return llvm::all_of(op.getBlock()->without_terminator(), [](Operation &o) {
      return isa<arith::ArithDialect, math::MathDialect>(o.getDialect());
    });
  }

  /// Tile sizes taking the outermost of `rank` dimensions one at a time.
  static SmallVector<int64_t> rowTiles(int64_t rank) {
    SmallVector<int64_t> rows(rank, 0);
    rows.front() = 1;
    return rows;
  }

  /// The rows (outermost dimension) of an elementwise op as an scf.forall;
  /// a 1-D op in pieces of kParallelPiece elements (not one per iteration).
  LogicalResult parallelRows(IRRewriter &rewriter, linalg::LinalgOp op) {
    SmallVector<int64_t> sizes = rowTiles(op.getNumLoops());
    if (sizes.size() == 1)
      sizes.front() = kParallelPiece;
    return tileOnce(rewriter, op, sizes, /*forall=*/true);
  }

  /// Vectorizes an elementwise op in pieces of at most kElementwiseWidth
  /// elements of the last dimension, with all of the outer ones where that
  /// fits in a register tile (the fill of an accumulator tile is one
  /// piece), else one row at a time; with `parallel` outside loops, the
  /// rows are an scf.forall.
  LogicalResult vectorizeElementwise(IRRewriter &rewriter,
                                     linalg::LinalgOp op) {
    ArrayRef<int64_t> shape =
        cast<RankedTensorType>(op->getResult(0).getType()).getShape();
    int64_t rank = shape.size();
    // The piece: a divisor of the last dimension up to kElementwiseWidth,
    // with the whole outer dimensions when they are static and the piece
    // stays within a register tile's accumulators, else one of each.
    SmallVector<int64_t> piece(rank, 1);
    piece.back() = tileFor(shape.back(), kElementwiseWidth);
    int64_t elements = piece.back();
    // -1 once unknown or past a register tile (the product could wrap).
    for (int64_t size : shape.drop_back())
      elements = ShapedType::isDynamic(size) || elements < 0 ||
                         size > kMaxTileAccumulators / elements
                     ? -1
                     : elements * size;
    if (elements > 0 && elements <= kMaxTileAccumulators)
      llvm::copy(shape.drop_back(), piece.begin());
    Operation *tileOp = op;
    if (ArrayRef<int64_t>(piece) != shape) {
      SmallVector<int64_t> sizes(piece);
      for (int64_t d = 0; d < rank; ++d)
        if (sizes[d] == shape[d])
          sizes[d] = 0;
      bool forall = parallel && rank > 1 && shape.front() != 1 &&
                    !op->getParentOfType<LoopLikeOpInterface>();
      rewriter.setInsertionPoint(op);
      if (forall) {
        // Rows in parallel, then the pieces of each row in order.
        FailureOr<scf::SCFTilingResult> outer =
            tileOnce(rewriter, op, rowTiles(rank), /*forall=*/true);
        if (failed(outer))
          return failure();
        tileOp = outer->tiledOps.back();
        sizes.front() = 0;
        piece.front() = 1;
      }
      if (llvm::any_of(sizes, [](int64_t s) { return s != 0; })) {
        FailureOr<scf::SCFTilingResult> inner =
            tileOnce(rewriter, tileOp, sizes);
        if (failed(inner))
          return failure();
        tileOp = inner->tiledOps.back();
      }
    }
    rewriter.setInsertionPoint(tileOp);
    SmallVector<bool> scalable(rank, false);
    FailureOr<linalg::VectorizationResult> result =
        linalg::vectorize(rewriter, tileOp, /*inputVectorSizes=*/piece,
                          /*inputScalableVecDims=*/scalable);
    if (failed(result))
      return failure();
    rewriter.replaceOp(tileOp, result->replacements);
    return success();
  }

  /// Tiles a static transpose into `1 x ... x t x t` pieces (t up to 8, the
  /// largest divisor of the sizes) and vectorizes them.
  LogicalResult vectorizeTranspose(IRRewriter &rewriter,
                                   linalg::TransposeOp op) {
    auto type = cast<RankedTensorType>(op.getInit().getType());
    // Nothing to move when a dimension is empty (and upstream's tiling
    // cannot tile a zero-sized loop).
    if (!type.hasStaticShape() || llvm::is_contained(type.getShape(), 0))
      return failure();
    SmallVector<int64_t> sizes;
    for (int64_t d = 0, e = type.getRank(); d < e; ++d)
      sizes.push_back(op.getPermutation()[d] == d
                          ? 1
                          : tileFor(type.getDimSize(d), kTransposeTile));
    rewriter.setInsertionPoint(op);
    Operation *tileOp = op;
    if (ArrayRef<int64_t>(sizes) != type.getShape()) {
      scf::SCFTilingOptions options;
      // The once-per-call transposition of a block list (outside loops)
      // would be the serial part of a parallel product.
      if (parallel && !op->getParentOfType<LoopLikeOpInterface>())
        options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
      options.setTileSizes(getAsIndexOpFoldResult(&getContext(), sizes));
      FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
          rewriter, cast<TilingInterface>(op.getOperation()), options);
      if (failed(tiled))
        return failure();
      rewriter.replaceOp(op, tiled->replacements);
      tileOp = tiled->tiledOps.back();
    }
    // The tile's operands are static slices once the loops' bounds are
    // folded into them; vectorize with the sizes given explicitly.
    // Upstream reads one scalable flag per size: pass them (an empty list
    // made it read past the end, and vectors came out scalable at random).
    rewriter.setInsertionPoint(tileOp);
    SmallVector<bool> scalable(sizes.size(), false);
    FailureOr<linalg::VectorizationResult> result = linalg::vectorize(
        rewriter, tileOp, /*inputVectorSizes=*/sizes,
        /*inputScalableVecDims=*/scalable);
    if (failed(result))
      return failure();
    rewriter.replaceOp(tileOp, result->replacements);
    return success();
  }

  /// Rewrites `Y = X * W^T`, `W` a slice of a function-level tensor (the
  /// blocks of a block list, read in loops), into `Y = X * T` with `T` the
  /// same slice of the source transposed once per call.
  FailureOr<linalg::MatmulOp> transposeSlicedRhs(IRRewriter &rewriter,
                                                 Transposer &transposer,
                                                 linalg::MatmulOp op) {
    if (!hasTransposedRhs(op))
      return failure();
    auto slice = op.getDpsInputs()[1].getDefiningOp<tensor::ExtractSliceOp>();
    if (!slice || slice.getType().getRank() != 2 ||
        !isFunctionLevel(slice.getSource(), getOperation()))
      return failure();
    // The two dimensions the slice keeps are swapped in the source.
    llvm::SmallBitVector dropped = slice.getDroppedDims();
    SmallVector<int64_t> kept;
    for (int64_t d = 0, e = slice.getSourceType().getRank(); d < e; ++d)
      if (!dropped.test(d))
        kept.push_back(d);
    if (kept.size() != 2)
      return failure();
    Value source =
        transposer.get(rewriter, slice.getSource(), kept[0], kept[1]);
    SmallVector<OpFoldResult> offsets = slice.getMixedOffsets(),
                              sizes = slice.getMixedSizes(),
                              strides = slice.getMixedStrides();
    for (SmallVector<OpFoldResult> *v : {&offsets, &sizes, &strides})
      std::swap((*v)[kept[0]], (*v)[kept[1]]);
    RankedTensorType type = slice.getType();
    auto resultType = RankedTensorType::get(
        {type.getDimSize(1), type.getDimSize(0)}, type.getElementType());
    rewriter.setInsertionPoint(op);
    Value plain = tensor::ExtractSliceOp::create(
        rewriter, slice.getLoc(), resultType, source, offsets, sizes, strides);
    return replaceRhs(rewriter, op, plain);
  }

  /// `op` with `rhs` in the plain (k, n) orientation.
  static linalg::MatmulOp replaceRhs(IRRewriter &rewriter, linalg::MatmulOp op,
                                     Value rhs) {
    rewriter.setInsertionPoint(op);
    auto matmul = linalg::MatmulOp::create(
        rewriter, op.getLoc(), op.getResultTypes(),
        ValueRange{op.getDpsInputs()[0], rhs}, op.getDpsInits());
    rewriter.replaceOp(op, matmul->getResults());
    return matmul;
  }

  /// Tiles `op` and peels the partial tile of M. Loops, outermost first:
  /// panels of `panel-m` rows (the left operand's panel stays in cache
  /// across the N slices); slices of `tile-n` columns, where an (n, k)
  /// right operand's `tile-n x K` slice is packed (transposed) to `K x
  /// tile-n` rows once for the whole panel; then row tiles and K tiles
  /// around the vectorized tile.
  LogicalResult tile(IRRewriter &rewriter, linalg::MatmulOp op) {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    // An empty loop (K = 0: the result is the init) has no work to tile,
    // and upstream's tiling cannot tile a zero-sized loop.
    if (llvm::is_contained(ranges, 0))
      return failure();
    // With `parallel`, the column slices of a product outside loops
    // (disjoint outputs, each packing its own slice of the right operand)
    // are an scf.forall. Products inside loops (a block of a block row,
    // which may itself be a forall) stay sequential: a parallel region per
    // block would cost more than it brings. Decided before tiling replaces
    // `op`.
    bool forall = parallel && !op->getParentOfType<LoopLikeOpInterface>();
    linalg::MatmulOp inner = op;
    auto tileLevel = [&](ArrayRef<int64_t> sizes,
                         bool asForall = false) -> LogicalResult {
      FailureOr<scf::SCFTilingResult> tiled =
          tileOnce(rewriter, inner, sizes, asForall);
      if (failed(tiled))
        return failure();
      inner = dyn_cast<linalg::MatmulOp>(tiled->tiledOps.back());
      return success(inner != nullptr);
    };
    int64_t panel = roundPanel(tiles.panelM, tiles.tileM);
    if (ShapedType::isDynamic(ranges[0]) || ranges[0] > panel)
      if (failed(tileLevel({panel, 0, 0})))
        return failure();
    int64_t n = tileFor(ranges[1], tiles.tileN);
    if (ranges[1] > n)
      if (failed(tileLevel({0, n, 0}, forall)))
        return failure();
    // Packing costs K x tile-n moves per panel; worth it from two row tiles.
    int64_t m = inner.getStaticLoopRanges()[0];
    if (transposeRhs && hasTransposedRhs(inner) &&
        (ShapedType::isDynamic(m) || m >= 2 * tiles.tileM)) {
      Value rhs = inner.getDpsInputs()[1];
      rewriter.setInsertionPoint(inner);
      Location loc = inner.getLoc();
      SmallVector<OpFoldResult> sizes =
          tensor::getMixedSizes(rewriter, loc, rhs);
      Value init = tensor::EmptyOp::create(
          rewriter, loc, {sizes[1], sizes[0]}, getElementTypeOrSelf(rhs));
      Value packed =
          linalg::TransposeOp::create(rewriter, loc, rhs, init, {1, 0})
              ->getResult(0);
      inner = replaceRhs(rewriter, inner, packed);
    }
    // Rows first, so that the ragged rest of M gets a loop nest of its own.
    ranges = inner.getStaticLoopRanges();
    int64_t tn = tileFor(ranges[1], tiles.tileN);
    int64_t tk = tileFor(ranges[2], tiles.tileK);
    auto tileNK = [&](linalg::MatmulOp matmul, int64_t rows) -> LogicalResult {
      SmallVector<int64_t> sizes = {rows, ranges[1] > tn ? tn : 0,
                                    ranges[2] > tk ? tk : 0};
      if (llvm::all_of(sizes, [](int64_t s) { return s == 0; }))
        return success();
      return tileOnce(rewriter, matmul, sizes);
    };
    bool dynamicM = ShapedType::isDynamic(ranges[0]);
    if (!dynamicM && ranges[0] <= tiles.tileM)
      return tileNK(inner, 0);
    FailureOr<scf::SCFTilingResult> rows =
        tileOnce(rewriter, inner, {tiles.tileM, 0, 0});
    if (failed(rows) || rows->loops.size() != 1)
      return failure();
    auto whole = dyn_cast<linalg::MatmulOp>(rows->tiledOps.back());
    auto loop = dyn_cast<scf::ForOp>(rows->loops.front().getOperation());
    if (!whole || !loop)
      return failure();
    scf::ForOp partial;
    (void)scf::peelForLoopAndSimplifyBounds(rewriter, loop, partial);
    linalg::MatmulOp rest;
    if (partial)
      partial.walk([&](linalg::MatmulOp op) { rest = op; });
    if (failed(tileNK(whole, 0)))
      return failure();
    // The rest of a static M is a static tile, vectorized as it is; of a
    // dynamic one, it runs row by row (a 1-row tile is static).
    if (rest && failed(tileNK(rest, dynamicM ? 1 : 0)))
      return failure();
    return success();
  }

  /// Tiles `op` by `sizes` (0: not tiled), replacing it; with `forall`, in
  /// an scf.forall instead of scf.for loops.
  FailureOr<scf::SCFTilingResult> tileOnce(IRRewriter &rewriter, Operation *op,
                                           ArrayRef<int64_t> sizes,
                                           bool forall = false) {
    scf::SCFTilingOptions options;
    if (forall)
      options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
    SmallVector<OpFoldResult> tileSizesAttr;
    for (int64_t t : sizes)
      tileSizesAttr.push_back(rewriter.getIndexAttr(t));
    options.setTileSizes(tileSizesAttr);
    rewriter.setInsertionPoint(op);
    FailureOr<scf::SCFTilingResult> tiled =
        scf::tileUsingSCF(rewriter, cast<TilingInterface>(op), options);
    if (succeeded(tiled))
      rewriter.replaceOp(op, tiled->replacements);
    return tiled;
  }

  /// Vectorizes a matmul that is one whole tile: static, and no larger than
  /// the tile sizes (a matmul that could not be tiled stays scalar).
  LogicalResult vectorizeTile(IRRewriter &rewriter, linalg::MatmulOp op) {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    if (llvm::any_of(ranges, ShapedType::isDynamic) ||
        llvm::is_contained(ranges, 0) ||
        ranges[0] > tiles.tileM || ranges[1] > tiles.tileN ||
        ranges[2] > tiles.tileK)
      return failure();
    rewriter.setInsertionPoint(op);
    // Straight to vector.contract (lowered to outer products later) when
    // the operands have one element type, which vector.contract requires;
    // else multiplies and a reduction.
    bool sameTypes = getElementTypeOrSelf(op.getDpsInputs()[0].getType()) ==
                     getElementTypeOrSelf(op.getDpsInputs()[1].getType());
    FailureOr<linalg::VectorizationResult> result = linalg::vectorize(
        rewriter, op, /*inputVectorSizes=*/{}, /*inputScalableVecDims=*/{},
        /*vectorizeNDExtract=*/false, /*flatten1DDepthwiseConv=*/false,
        /*assumeDynamicDimsMatchVecSizes=*/false,
        /*createNamedContraction=*/sameTypes);
    if (failed(result))
      return failure();
    rewriter.replaceOp(op, result->replacements);
    return success();
  }
};
} // namespace
