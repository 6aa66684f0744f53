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
// Products accumulate in f32. When `init` is f32 the last matmul accumulates
// straight into it; otherwise the product goes to a zero-filled f32 tensor
// and a `linalg.generic` epilogue adds it to `init` (extf, add in f32,
// truncf), so that f16/bf16 destinations see exactly one rounding, like the
// tensor-core kernels.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyOps.h"
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"
#include "pixelfly/Dialect/Pixelfly/Transforms/Transforms.h"

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

//===----------------------------------------------------------------------===//
// Building blocks
//===----------------------------------------------------------------------===//

namespace {
/// One dimension of one operand, used to size temporaries.
struct DimOf {
  Value value;
  int64_t dim;
};

/// Emits the dense IR of one product in front of the op being replaced.
class DenseBuilder {
public:
  // Takes the pattern's rewriter as an OpBuilder: ops created through it
  // still reach the rewriter's listener.
  DenseBuilder(OpBuilder &b, Location loc)
      : b(b), loc(loc), ctx(b.getContext()) {}

  Type f32() { return b.getF32Type(); }

  /// Size of a dimension that several operands share: the first static size
  /// among `candidates`, else a `tensor.dim` of the first candidate (dynamic
  /// M, for instance, may be known from `init` but not from `x`).
  OpFoldResult size(ArrayRef<DimOf> candidates) {
    for (const DimOf &c : candidates) {
      int64_t s = cast<ShapedType>(c.value.getType()).getDimSize(c.dim);
      if (!ShapedType::isDynamic(s))
        return b.getIndexAttr(s);
    }
    const DimOf &first = candidates.front();
    Value &dim = dims[{first.value, first.dim}];
    if (!dim)
      dim = tensor::DimOp::create(b, loc, first.value, first.dim);
    return dim;
  }

  Value empty(ArrayRef<OpFoldResult> sizes, Type elementType) {
    return tensor::EmptyOp::create(b, loc, sizes, elementType);
  }

  /// Zero-filled f32 tensor: the accumulator of a product.
  Value zeros(ArrayRef<OpFoldResult> sizes) {
    if (!zero)
      zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0));
    return linalg::FillOp::create(b, loc, ValueRange{zero},
                                  ValueRange{empty(sizes, f32())})
        .getResult(0);
  }

  /// Converts a float scalar to `to` (extf, truncf, or nothing).
  Value convert(Value v, Type to) {
    unsigned from = v.getType().getIntOrFloatBitWidth();
    unsigned width = to.getIntOrFloatBitWidth();
    if (v.getType() == to)
      return v;
    if (from < width)
      return arith::ExtFOp::create(b, loc, to, v);
    return arith::TruncFOp::create(b, loc, to, v);
  }

  /// Affine map over the three loops of a matmul.
  AffineMap map3(unsigned r, unsigned c) {
    return AffineMap::get(3, 0,
                          {getAffineDimExpr(r, ctx), getAffineDimExpr(c, ctx)},
                          ctx);
  }

  /// `acc[i, j] += sum_l lhs * rhs` with operand maps over loops (i, j, l)
  /// = (d0, d1, d2); the maps say which operand is transposed.
  Value matmul(Value lhs, AffineMap lhsMap, Value rhs, AffineMap rhsMap,
               Value acc) {
    auto op = linalg::MatmulOp::create(b, loc, TypeRange{acc.getType()},
                                       ValueRange{lhs, rhs}, ValueRange{acc});
    // Only the default maps have a builder; set ours afterwards (the region
    // does not depend on them).
    op.setIndexingMapsAttr(b.getAffineMapArrayAttr(
        {lhsMap, rhsMap, map3(0, 1)}));
    return op.getResult(0);
  }

  /// lhs (i x l) times rhs (l x j).
  Value matmulNN(Value lhs, Value rhs, Value acc) {
    return matmul(lhs, map3(0, 2), rhs, map3(2, 1), acc);
  }
  /// lhs (i x l) times rhs^T, rhs (j x l): `X * W^T` with a PyTorch weight.
  Value matmulNT(Value lhs, Value rhs, Value acc) {
    return matmul(lhs, map3(0, 2), rhs, map3(1, 2), acc);
  }
  /// lhs^T times rhs, lhs (l x i), rhs (l x j): `dY^T * X`.
  Value matmulTN(Value lhs, Value rhs, Value acc) {
    return matmul(lhs, map3(2, 0), rhs, map3(2, 1), acc);
  }

  /// Elementwise `init + sum` over identity maps, computed in f32 and
  /// rounded once to `init`'s element type.
  Value addInto(Value sum, Value init) {
    auto initType = cast<RankedTensorType>(init.getType());
    int64_t rank = initType.getRank();
    SmallVector<AffineMap> maps(2, b.getMultiDimIdentityMap(rank));
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    Type elementType = initType.getElementType();
    auto generic = linalg::GenericOp::create(
        b, loc, TypeRange{initType}, ValueRange{sum}, ValueRange{init}, maps,
        iterators, [&](OpBuilder &nb, Location nloc, ValueRange args) {
          DenseBuilder body(nb, nloc);
          Value acc = body.convert(args[1], body.f32());
          Value s = body.convert(args[0], body.f32());
          Value r = arith::AddFOp::create(nb, nloc, acc, s);
          linalg::YieldOp::create(nb, nloc,
                                  ValueRange{body.convert(r, elementType)});
        });
    return generic.getResult(0);
  }

  /// `init + sum_l lhs * rhs` (maps chosen by `mm`), accumulated in f32:
  /// straight into an f32 `init`, else through an f32 temporary.
  template <typename MatmulFn>
  Value productInto(Value lhs, Value rhs, Value init, ArrayRef<DimOf> rows,
                    ArrayRef<DimOf> cols, MatmulFn mm) {
    if (cast<ShapedType>(init.getType()).getElementType().isF32())
      return (this->*mm)(lhs, rhs, init);
    Value acc = zeros({size(rows), size(cols)});
    return addInto((this->*mm)(lhs, rhs, acc), init);
  }

  /// Dense `N x K` weight of `blocks` on `layout` (in the blocks' type).
  Value densify(Value blocks, BlockLayoutAttr layout) {
    auto type = RankedTensorType::get(
        {layout.getNumRows(), layout.getNumCols()},
        cast<ShapedType>(blocks.getType()).getElementType());
    Value init = empty({b.getIndexAttr(layout.getNumRows()),
                        b.getIndexAttr(layout.getNumCols())},
                       type.getElementType());
    return DensifyOp::create(b, loc, type, blocks, init, layout).getResult();
  }

  /// The Pixelfly epilogue `init + g * sparse + (1 - g) * lowRank` in f32.
  /// `gamma` is a scalar or a per-row tensor (converted to f32 in the body);
  /// without it `gammaConst` is used.
  Value mixInto(Value sparse, Value lowRank, Value gamma, double gammaConst,
                Value init) {
    auto initType = cast<RankedTensorType>(init.getType());
    AffineMap id = b.getMultiDimIdentityMap(2);
    SmallVector<Value> inputs = {sparse, lowRank};
    SmallVector<AffineMap> maps = {id, id};
    Value g, oneMinusG;
    if (gamma) {
      inputs.push_back(gamma);
      // A scalar is broadcast to every (m, n); a per-row gamma follows m.
      maps.push_back(isa<ShapedType>(gamma.getType())
                         ? AffineMap::get(2, 0, {b.getAffineDimExpr(0)}, ctx)
                         : AffineMap::get(2, 0, {}, ctx));
    } else {
      // Both factors rounded from double once, not 1 - round(g).
      g = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(gammaConst));
      oneMinusG = arith::ConstantOp::create(
          b, loc, b.getF32FloatAttr(1.0 - gammaConst));
    }
    maps.push_back(id);
    SmallVector<utils::IteratorType> iterators(2,
                                               utils::IteratorType::parallel);
    Type elementType = initType.getElementType();
    auto generic = linalg::GenericOp::create(
        b, loc, TypeRange{initType}, inputs, ValueRange{init}, maps, iterators,
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          DenseBuilder body(nb, nloc);
          Value gv = g, omg = oneMinusG;
          if (gamma) {
            gv = body.convert(args[2], body.f32());
            Value one =
                arith::ConstantOp::create(nb, nloc, nb.getF32FloatAttr(1.0));
            omg = arith::SubFOp::create(nb, nloc, one, gv);
          }
          Value acc = body.convert(args.back(), body.f32());
          Value s = arith::MulFOp::create(nb, nloc, gv, args[0]);
          Value l = arith::MulFOp::create(nb, nloc, omg, args[1]);
          acc = arith::AddFOp::create(nb, nloc, acc, s);
          acc = arith::AddFOp::create(nb, nloc, acc, l);
          linalg::YieldOp::create(nb, nloc,
                                  ValueRange{body.convert(acc, elementType)});
        });
    return generic.getResult(0);
  }

  OpBuilder &getBuilder() { return b; }
  Location getLoc() { return loc; }

private:
  OpBuilder &b;
  Location loc;
  MLIRContext *ctx;
  // Created once per expansion and reused: everything is inserted at the
  // same point, so the first ones dominate what follows.
  Value zero;
  llvm::DenseMap<std::pair<Value, int64_t>, Value> dims;
};
} // namespace

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
static Value expand(DenseBuilder &d, BlockSparseMatmulOp op) {
  Value w = d.densify(op.getBlocks(), op.getLayout());
  Value init = op.getInit();
  return d.productInto(op.getX(), w, init, {{init, 0}, {op.getX(), 0}},
                       {{init, 1}, {w, 0}}, &DenseBuilder::matmulNT);
}

// dX = init + dY * W with W densified.
static Value expand(DenseBuilder &d, BlockSparseInputGradOp op) {
  Value w = d.densify(op.getBlocks(), op.getLayout());
  Value init = op.getInit();
  return d.productInto(op.getDy(), w, init, {{init, 0}, {op.getDy(), 0}},
                       {{init, 1}, {w, 1}}, &DenseBuilder::matmulNN);
}

// dW = init + dY^T * X sampled on the layout: the full dense gradient, then
// its stored blocks gathered (in CSR order) and added to init.
static Value expand(DenseBuilder &d, BlockSparseWeightGradOp op) {
  OpBuilder &b = d.getBuilder();
  Location loc = d.getLoc();
  BlockLayoutAttr layout = op.getLayout();
  int64_t bm = layout.getBlockRows(), bk = layout.getBlockCols();
  Value full = d.zeros({b.getIndexAttr(layout.getNumRows()),
                        b.getIndexAttr(layout.getNumCols())});
  full = d.matmulTN(op.getDy(), op.getX(), full);

  Value gathered =
      d.empty({b.getIndexAttr(layout.getNumBlocks()), b.getIndexAttr(bm),
               b.getIndexAttr(bk)},
              d.f32());
  SmallVector<OpFoldResult> strides2(2, b.getIndexAttr(1));
  SmallVector<OpFoldResult> strides3(3, b.getIndexAttr(1));
  int64_t block = 0;
  for (int64_t r = 0, e = layout.getNumBlockRows(); r < e; ++r) {
    for (int64_t c : layout.getRowCols(r)) {
      Value tile = tensor::ExtractSliceOp::create(
          b, loc, full, {b.getIndexAttr(r * bm), b.getIndexAttr(c * bk)},
          {b.getIndexAttr(bm), b.getIndexAttr(bk)}, strides2);
      gathered = tensor::InsertSliceOp::create(
          b, loc, tile, gathered,
          {b.getIndexAttr(block), b.getIndexAttr(0), b.getIndexAttr(0)},
          {b.getIndexAttr(1), b.getIndexAttr(bm), b.getIndexAttr(bk)},
          strides3);
      ++block;
    }
  }
  return d.addInto(gathered, op.getInit());
}

// Y = init + (X * V) * U^T.
static Value expand(DenseBuilder &d, LowRankMatmulOp op) {
  Value x = op.getX(), u = op.getU(), v = op.getV(), init = op.getInit();
  OpFoldResult m = d.size({{init, 0}, {x, 0}});
  Value t = d.zeros({m, d.size({{u, 1}, {v, 1}})});
  t = d.matmulNN(x, v, t);
  return d.productInto(t, u, init, {{init, 0}, {x, 0}}, {{init, 1}, {u, 0}},
                       &DenseBuilder::matmulNT);
}

// Y = init + g * (X * B^T) + (1 - g) * ((X * V) * U^T).
static Value expand(DenseBuilder &d, LinearOp op) {
  Value x = op.getX(), u = op.getU(), v = op.getV(), init = op.getInit();
  OpFoldResult m = d.size({{init, 0}, {x, 0}});
  Value w = d.densify(op.getBlocks(), op.getLayout());
  OpFoldResult n = d.size({{init, 1}, {w, 0}, {u, 0}});
  Value sparse = d.matmulNT(x, w, d.zeros({m, n}));
  Value t = d.matmulNN(x, v, d.zeros({m, d.size({{u, 1}, {v, 1}})}));
  Value lowRank = d.matmulNT(t, u, d.zeros({m, n}));
  double gammaConst = 0.0;
  if (FloatAttr attr = op.getGammaConstAttr())
    gammaConst = attr.getValueAsDouble();
  return d.mixInto(sparse, lowRank, op.getGamma(), gammaConst, init);
}

// Y = init + X * W^T with W decompressed from 2:4.
static Value expand(DenseBuilder &d, TwoFourMatmulOp op) {
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
  return d.productInto(x, w, init, {{init, 0}, {x, 0}}, {{init, 1}, {w, 0}},
                       &DenseBuilder::matmulNT);
}

/// Replaces a tensor-form product by its dense expansion.
template <typename OpTy>
static LogicalResult expandToDense(RewriterBase &rewriter, OpTy op) {
  if (!isTensorForm(op))
    return rewriter.notifyMatchFailure(op, kMemRefReason);
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  DenseBuilder d(rewriter, op.getLoc());
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
      LogicalResult expanded =
          llvm::TypeSwitch<Operation *, LogicalResult>(op)
              .Case<BlockSparseMatmulOp, BlockSparseInputGradOp,
                    BlockSparseWeightGradOp, LowRankMatmulOp, LinearOp,
                    TwoFourMatmulOp>([&](auto product) {
                return expandToDense(rewriter, product);
              })
              .Default([](Operation *) { return failure(); });
      if (succeeded(expanded))
        ++numExpanded;
      else
        ++numSkipped;
    }
  }
};
} // namespace
