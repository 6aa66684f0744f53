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
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
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

namespace {
struct PixelflyCPUVectorizePass
    : public pixelfly::impl::PixelflyCPUVectorizeBase<
          PixelflyCPUVectorizePass> {
  using Base::Base;

  void runOnOperation() override {
    if (tileM < 1 || tileN < 1 || tileK < 1) {
      getOperation()->emitError()
          << "pixelfly-cpu-vectorize: tile sizes must be positive";
      return signalPassFailure();
    }
    SmallVector<linalg::MatmulOp> matmuls;
    getOperation()->walk([&](linalg::MatmulOp op) {
      if (op.hasPureTensorSemantics())
        matmuls.push_back(op);
    });
    IRRewriter rewriter(&getContext());
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
  }

  /// Tiles `op` and peels the partial tile of M.
  LogicalResult tile(IRRewriter &rewriter, linalg::MatmulOp op) {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    SmallVector<int64_t> sizes = tileSizes(ranges);
    if (ranges == sizes)
      return success();
    scf::SCFTilingOptions options;
    SmallVector<OpFoldResult> tileSizesAttr;
    for (int64_t t : sizes)
      tileSizesAttr.push_back(rewriter.getIndexAttr(t));
    options.setTileSizes(tileSizesAttr);
    rewriter.setInsertionPoint(op);
    FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(op.getOperation()), options);
    if (failed(tiled))
      return failure();
    rewriter.replaceOp(op, tiled->replacements);
    // The M loop (first) gets a main part with whole tiles only; the other
    // loops cover whole tiles by construction (tileFor).
    if (!tiled->loops.empty())
      if (auto mLoop =
              dyn_cast<scf::ForOp>(tiled->loops.front().getOperation())) {
        scf::ForOp partial;
        (void)scf::peelForLoopAndSimplifyBounds(rewriter, mLoop, partial);
      }
    return success();
  }

  SmallVector<int64_t> tileSizes(ArrayRef<int64_t> ranges) {
    return {tileFor(ranges[0], tileM), tileFor(ranges[1], tileN),
            tileFor(ranges[2], tileK)};
  }

  /// Vectorizes a matmul that is one whole tile: static, and no larger than
  /// the tile sizes (a matmul that could not be tiled stays scalar).
  LogicalResult vectorizeTile(IRRewriter &rewriter, linalg::MatmulOp op) {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    if (llvm::any_of(ranges, ShapedType::isDynamic) ||
        ranges[0] > tileM || ranges[1] > std::max<int64_t>(tileN, 1) ||
        ranges[2] > std::max<int64_t>(tileK, 1))
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
