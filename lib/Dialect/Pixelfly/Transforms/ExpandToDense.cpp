//===- ExpandToDense.cpp - Pixelfly products as dense linalg --------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Rewrites every pixelfly product (tensor form) into dense linalg on the
// densified weight. This is the numerical reference of the dialect: it
// follows the op descriptions literally and favours obviousness over speed.
//
// Products accumulate in f32 (see ProductBuilder.h).
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyOps.h"
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"
#include "pixelfly/Dialect/Pixelfly/Transforms/Transforms.h"
#include "pixelfly/Dialect/Pixelfly/Utils/ProductBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"

namespace mlir::pixelfly {
#define GEN_PASS_DEF_PIXELFLYEXPANDTODENSE
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h.inc"
} // namespace mlir::pixelfly

using namespace mlir;
using namespace mlir::pixelfly;

/// Dense `N x K` weight of `blocks` on `layout` (in the blocks' type).
static Value densify(ProductBuilder &d, Value blocks, BlockLayoutAttr layout) {
  OpBuilder &b = d.getBuilder();
  auto type = RankedTensorType::get(
      {layout.getNumRows(), layout.getNumCols()},
      cast<ShapedType>(blocks.getType()).getElementType());
  Value init = d.empty({b.getIndexAttr(layout.getNumRows()),
                        b.getIndexAttr(layout.getNumCols())},
                       type.getElementType());
  return DensifyOp::create(b, d.getLoc(), type, blocks, init, layout)
      .getResult();
}

//===----------------------------------------------------------------------===//
// Expansion of each product
//===----------------------------------------------------------------------===//

/// Only the tensor form is expanded: on memrefs the products would need
/// buffers for the dense weight, and the pass is meant to run before
/// bufferization anyway.
static bool isTensorForm(Operation *op) {
  auto dps = cast<DestinationStyleOpInterface>(op);
  return dps.getNumDpsInits() == 1 &&
         isa<RankedTensorType>(dps.getDpsInits()[0].getType()) &&
         op->getNumResults() == 1;
}

static constexpr StringLiteral kMemRefReason =
    "op is in memref form; pixelfly-expand-to-dense only rewrites the tensor "
    "form (run it before bufferization)";

// Y = init + X * W^T with W densified.
static Value expand(ProductBuilder &d, BlockSparseMatmulOp op) {
  Value w = densify(d, op.getBlocks(), op.getLayout());
  Value init = op.getInit();
  return d.finish(d.matmulNT(op.getX(), w, d.accumulator(init)), init);
}

// dX = init + dY * W with W densified.
static Value expand(ProductBuilder &d, BlockSparseInputGradOp op) {
  Value w = densify(d, op.getBlocks(), op.getLayout());
  Value init = op.getInit();
  return d.finish(d.matmulNN(op.getDy(), w, d.accumulator(init)), init);
}

// dW = init + dY^T * X sampled on the layout: the full dense gradient, then
// its stored blocks gathered (in CSR order) and added to init.
static Value expand(ProductBuilder &d, BlockSparseWeightGradOp op) {
  OpBuilder &b = d.getBuilder();
  BlockLayoutAttr layout = op.getLayout();
  int64_t bm = layout.getBlockRows(), bk = layout.getBlockCols();
  Value full = d.zeros({b.getIndexAttr(layout.getNumRows()),
                        b.getIndexAttr(layout.getNumCols())});
  full = d.matmulTN(op.getDy(), op.getX(), full);

  Value gathered =
      d.gatherBlocks(full, layout.getRowPtr(), layout.getColIdx(), bm, bk);
  return d.addInto(gathered, op.getInit());
}

// Y = init + (X * V) * U^T.
static Value expand(ProductBuilder &d, LowRankMatmulOp op) {
  Value x = op.getX(), u = op.getU(), v = op.getV(), init = op.getInit();
  OpFoldResult m = d.size({{init, 0}, {x, 0}});
  Value t = d.zeros({m, d.size({{u, 1}, {v, 1}})});
  t = d.matmulNN(x, v, t);
  return d.finish(d.matmulNT(t, u, d.accumulator(init)), init);
}

// Y = init + g * (X * B^T) + (1 - g) * ((X * V) * U^T), with the caller's
// X V when given.
static Value expand(ProductBuilder &d, LinearOp op) {
  Value x = op.getX(), u = op.getU(), v = op.getV(), init = op.getInit();
  OpFoldResult m = d.size({{init, 0}, {x, 0}});
  Value w = densify(d, op.getBlocks(), op.getLayout());
  OpFoldResult n = d.size({{init, 1}, {w, 0}, {u, 0}});
  Value sparse = d.matmulNT(x, w, d.zeros({m, n}));
  Value t = op.getXv()
                ? op.getXv()
                : d.matmulNN(x, v, d.zeros({m, d.size({{u, 1}, {v, 1}})}));
  Value lowRank = d.matmulNT(t, u, d.zeros({m, n}));
  double gammaConst = 0.0;
  if (FloatAttr attr = op.getGammaConstAttr())
    gammaConst = attr.getValueAsDouble();
  return d.mixInto(sparse, lowRank, op.getGamma(), gammaConst, init);
}

// Y = init + X * W^T with W decompressed from 2:4.
static Value expand(ProductBuilder &d, TwoFourMatmulOp op) {
  OpBuilder &b = d.getBuilder();
  Value x = op.getX(), values = op.getValues(), init = op.getInit();
  auto valuesType = cast<ShapedType>(values.getType());
  auto metaType = cast<ShapedType>(op.getMetadata().getType());
  OpFoldResult n = d.size({{init, 1}, {values, 0}, {op.getMetadata(), 0}});
  // K is x's columns, or recovered from the compressed operands.
  OpFoldResult k;
  if (int64_t s = cast<ShapedType>(x.getType()).getDimSize(1);
      !ShapedType::isDynamic(s))
    k = b.getIndexAttr(s);
  else if (!valuesType.isDynamicDim(1))
    k = b.getIndexAttr(2 * valuesType.getDimSize(1));
  else if (!metaType.isDynamicDim(1))
    k = b.getIndexAttr(16 * metaType.getDimSize(1));
  else
    k = d.size({{x, 1}});
  Value empty = d.empty({n, k}, valuesType.getElementType());
  Value w = Densify24Op::create(b, d.getLoc(), empty.getType(), values,
                                op.getMetadata(), empty)
                .getResult();
  return d.finish(d.matmulNT(x, w, d.accumulator(init)), init);
}

/// Replaces a tensor-form product by its dense expansion.
template <typename OpTy>
static LogicalResult expandToDense(RewriterBase &rewriter, OpTy op) {
  if (!isTensorForm(op))
    return rewriter.notifyMatchFailure(op, kMemRefReason);
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  ProductBuilder d(rewriter, op.getLoc());
  Value result = expand(d, op);
  rewriter.replaceOp(op, result);
  return success();
}

namespace {
template <typename OpTy>
struct ExpandProductToDense : public OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    return expandToDense(rewriter, op);
  }
};
} // namespace

void mlir::pixelfly::populateExpandToDensePatterns(
    RewritePatternSet &patterns) {
  patterns.add<ExpandProductToDense<BlockSparseMatmulOp>,
               ExpandProductToDense<BlockSparseInputGradOp>,
               ExpandProductToDense<BlockSparseWeightGradOp>,
               ExpandProductToDense<LowRankMatmulOp>,
               ExpandProductToDense<LinearOp>,
               ExpandProductToDense<TwoFourMatmulOp>>(patterns.getContext());
}

LogicalResult mlir::pixelfly::expandProductToDense(RewriterBase &rewriter,
                                                   Operation *op) {
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case<BlockSparseMatmulOp, BlockSparseInputGradOp,
            BlockSparseWeightGradOp, LowRankMatmulOp, LinearOp,
            TwoFourMatmulOp>(
          [&](auto product) { return expandToDense(rewriter, product); })
      .Default([](Operation *) { return failure(); });
}

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

namespace {
// A walk rather than the greedy driver: every product is visited exactly
// once (so it can be counted and remarked on), and unrelated IR is left
// untouched (no folding or dead-code removal on the side).
struct PixelflyExpandToDensePass
    : public pixelfly::impl::PixelflyExpandToDenseBase<
          PixelflyExpandToDensePass> {
  void runOnOperation() override {
    SmallVector<Operation *> products;
    getOperation()->walk([&](Operation *op) {
      if (isa<BlockSparseMatmulOp, BlockSparseInputGradOp,
              BlockSparseWeightGradOp, LowRankMatmulOp, LinearOp,
              TwoFourMatmulOp>(op))
        products.push_back(op);
    });

    IRRewriter rewriter(&getContext());
    for (Operation *op : products) {
      if (!isTensorForm(op)) {
        op->emitRemark() << "left unchanged: " << kMemRefReason;
        ++numSkipped;
        continue;
      }
      if (succeeded(expandProductToDense(rewriter, op)))
        ++numExpanded;
      else
        ++numSkipped;
    }
  }
};
} // namespace
