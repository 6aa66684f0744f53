//===- PixelflyOps.cpp - Pixelfly operations ------------------------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyOps.h"
#include "pixelfly/Dialect/Pixelfly/IR/ElementTypes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::pixelfly;

//===----------------------------------------------------------------------===//
// Verification helpers
//===----------------------------------------------------------------------===//

namespace {
/// Checks operands of one op and reports problems against it, naming the
/// operand in the message.
class OperandChecker {
public:
  explicit OperandChecker(Operation *op) : op(op) {}

  /// Returns the shaped type of `value`, checking its rank.
  FailureOr<ShapedType> shaped(Value value, StringRef name, int64_t rank) {
    // ODS already restricts shaped operands to ranked tensors and memrefs.
    auto type = cast<ShapedType>(value.getType());
    if (type.getRank() != rank)
      return op->emitOpError()
             << "expected '" << name << "' to have rank " << rank << ", got "
             << type.getRank();
    return type;
  }

  /// Checks that dimension `d` of `type` (operand `name`) is `expected`
  /// when static; `why` says where the expectation comes from.
  LogicalResult dim(ShapedType type, unsigned d, int64_t expected,
                    StringRef name, const Twine &why) {
    int64_t actual = type.getDimSize(d);
    if (ShapedType::isDynamic(actual) || ShapedType::isDynamic(expected) ||
        actual == expected)
      return success();
    return op->emitOpError() << "expected dimension " << d << " of '" << name
                             << "' to be " << expected << " (" << why
                             << "), got " << actual;
  }

  /// Checks that two dimensions agree when both are static.
  LogicalResult sameDim(ShapedType a, unsigned da, StringRef na, ShapedType b,
                        unsigned db, StringRef nb) {
    int64_t x = a.getDimSize(da), y = b.getDimSize(db);
    if (ShapedType::isDynamic(x) || ShapedType::isDynamic(y) || x == y)
      return success();
    return op->emitOpError()
           << "dimension " << da << " of '" << na << "' (" << x
           << ") does not match dimension " << db << " of '" << nb << "' ("
           << y << ")";
  }

  /// Input element types: f16, bf16 or f32, the same for every input.
  LogicalResult inputElementTypes(ArrayRef<std::pair<ShapedType, StringRef>>
                                      inputs) {
    Type first = inputs.front().first.getElementType();
    if (!isProductElementType(first))
      return op->emitOpError() << "expected '" << inputs.front().second
                               << "' to have element type f16, bf16 or f32, "
                                  "got "
                               << first;
    for (auto [type, name] : inputs.drop_front())
      if (type.getElementType() != first)
        return op->emitOpError()
               << "expected '" << name << "' to have element type " << first
               << " like '" << inputs.front().second << "', got "
               << type.getElementType();
    return success();
  }

  /// Destination element type of a product: f32 (the accumulator) or the
  /// input element type.
  LogicalResult accumulatorType(ShapedType init, Type inputElement) {
    Type t = init.getElementType();
    if (t.isF32() || t == inputElement)
      return success();
    return op->emitOpError() << "expected 'init' to have element type f32 or "
                             << inputElement << ", got " << t;
  }

private:
  Operation *op;
};
} // namespace

/// Shaped operands are either all tensors or all memrefs.
static LogicalResult verifyOperandKinds(Operation *op) {
  bool sawTensor = false, sawMemRef = false;
  for (Type t : op->getOperandTypes()) {
    sawTensor |= isa<RankedTensorType>(t);
    sawMemRef |= isa<MemRefType>(t);
  }
  if (sawTensor && sawMemRef)
    return op->emitOpError("expected all shaped operands to be tensors or all "
                           "to be memrefs, not a mix");
  return success();
}

/// Checks the 2-D weight shape `n x k` implied by a layout against the block
/// operand `nnz x bm x bk`.
static LogicalResult verifyBlocks(OperandChecker &check, ShapedType blocks,
                                  BlockLayoutAttr layout) {
  if (failed(check.dim(blocks, 0, layout.getNumBlocks(), "blocks",
                       "number of blocks in the layout")) ||
      failed(check.dim(blocks, 1, layout.getBlockRows(), "blocks",
                       "block rows of the layout")) ||
      failed(check.dim(blocks, 2, layout.getBlockCols(), "blocks",
                       "block columns of the layout")))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// Memory effects
//===----------------------------------------------------------------------===//

/// Memref operands are read; destinations are written, and read too when the
/// op accumulates into them. The tensor form has no memory effects.
static void
getPixelflyEffects(Operation *op, bool readsInits,
                   SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
                       &effects) {
  auto dps = cast<DestinationStyleOpInterface>(op);
  for (OpOperand &operand : op->getOpOperands()) {
    if (!isa<MemRefType>(operand.get().getType()))
      continue;
    bool isInit = dps.isDpsInit(&operand);
    if (!isInit || readsInits)
      effects.emplace_back(MemoryEffects::Read::get(), &operand,
                           SideEffects::DefaultResource::get());
    if (isInit)
      effects.emplace_back(MemoryEffects::Write::get(), &operand,
                           SideEffects::DefaultResource::get());
  }
}

#define PIXELFLY_EFFECTS(OP, READS_INITS)                                      \
  void OP::getEffects(                                                         \
      SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>      \
          &effects) {                                                          \
    getPixelflyEffects(getOperation(), READS_INITS, effects);                  \
  }

PIXELFLY_EFFECTS(BlockSparseMatmulOp, true)
PIXELFLY_EFFECTS(BlockSparseInputGradOp, true)
PIXELFLY_EFFECTS(BlockSparseWeightGradOp, true)
PIXELFLY_EFFECTS(LowRankMatmulOp, true)
PIXELFLY_EFFECTS(LinearOp, true)
PIXELFLY_EFFECTS(TwoFourMatmulOp, true)
PIXELFLY_EFFECTS(Prune24Op, false)
PIXELFLY_EFFECTS(DensifyOp, false)
PIXELFLY_EFFECTS(Densify24Op, false)
#undef PIXELFLY_EFFECTS

//===----------------------------------------------------------------------===//
// Block-sparse products
//===----------------------------------------------------------------------===//

/// Checks `lhs (M x A)` times the block-sparse weight on `layout` into
/// `init (M x B)`: the forward product multiplies by `W^T` (A = K, B = N),
/// the input gradient by `W` (A = N, B = K).
static LogicalResult verifyBlockSparseProduct(Operation *op, Value lhsValue,
                                              StringRef lhsName,
                                              Value blocksValue,
                                              Value initValue,
                                              BlockLayoutAttr layout,
                                              bool byTranspose) {
  OperandChecker check(op);
  if (failed(verifyOperandKinds(op)))
    return failure();
  FailureOr<ShapedType> lhs = check.shaped(lhsValue, lhsName, 2);
  FailureOr<ShapedType> blocks = check.shaped(blocksValue, "blocks", 3);
  FailureOr<ShapedType> init = check.shaped(initValue, "init", 2);
  if (failed(lhs) || failed(blocks) || failed(init))
    return failure();
  int64_t rows = layout.getNumRows(), cols = layout.getNumCols();
  StringRef rowsWhy = "N, the rows of the layout";
  StringRef colsWhy = "K, the columns of the layout";
  if (failed(check.inputElementTypes({{*lhs, lhsName}, {*blocks, "blocks"}})) ||
      failed(check.accumulatorType(*init, lhs->getElementType())) ||
      failed(verifyBlocks(check, *blocks, layout)) ||
      failed(check.dim(*lhs, 1, byTranspose ? cols : rows, lhsName,
                       byTranspose ? colsWhy : rowsWhy)) ||
      failed(check.dim(*init, 1, byTranspose ? rows : cols, "init",
                       byTranspose ? rowsWhy : colsWhy)) ||
      failed(check.sameDim(*lhs, 0, lhsName, *init, 0, "init")))
    return failure();
  return success();
}

LogicalResult BlockSparseMatmulOp::verify() {
  return verifyBlockSparseProduct(*this, getX(), "x", getBlocks(), getInit(),
                                  getLayout(), /*byTranspose=*/true);
}

LogicalResult BlockSparseInputGradOp::verify() {
  return verifyBlockSparseProduct(*this, getDy(), "dy", getBlocks(),
                                  getInit(), getLayout(),
                                  /*byTranspose=*/false);
}

LogicalResult BlockSparseWeightGradOp::verify() {
  OperandChecker check(*this);
  if (failed(verifyOperandKinds(*this)))
    return failure();
  FailureOr<ShapedType> dy = check.shaped(getDy(), "dy", 2);
  FailureOr<ShapedType> x = check.shaped(getX(), "x", 2);
  FailureOr<ShapedType> init = check.shaped(getInit(), "init", 3);
  if (failed(dy) || failed(x) || failed(init))
    return failure();
  BlockLayoutAttr layout = getLayout();
  if (failed(check.inputElementTypes({{*dy, "dy"}, {*x, "x"}})) ||
      failed(check.accumulatorType(*init, dy->getElementType())) ||
      failed(check.dim(*init, 0, layout.getNumBlocks(), "init",
                       "number of blocks in the layout")) ||
      failed(check.dim(*init, 1, layout.getBlockRows(), "init",
                       "block rows of the layout")) ||
      failed(check.dim(*init, 2, layout.getBlockCols(), "init",
                       "block columns of the layout")) ||
      failed(check.dim(*dy, 1, layout.getNumRows(), "dy",
                       "N, the rows of the layout")) ||
      failed(check.dim(*x, 1, layout.getNumCols(), "x",
                       "K, the columns of the layout")) ||
      failed(check.sameDim(*dy, 0, "dy", *x, 0, "x")))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// Low-rank and linear
//===----------------------------------------------------------------------===//

/// Checks `u: N x r` and `v: K x r` against `x: M x K` and `init: M x N`.
static LogicalResult verifyLowRankOperands(OperandChecker &check, ShapedType x,
                                           ShapedType u, ShapedType v,
                                           ShapedType init) {
  if (failed(check.sameDim(u, 1, "u", v, 1, "v")) ||
      failed(check.sameDim(v, 0, "v", x, 1, "x")) ||
      failed(check.sameDim(u, 0, "u", init, 1, "init")) ||
      failed(check.sameDim(x, 0, "x", init, 0, "init")))
    return failure();
  return success();
}

LogicalResult LowRankMatmulOp::verify() {
  OperandChecker check(*this);
  if (failed(verifyOperandKinds(*this)))
    return failure();
  FailureOr<ShapedType> x = check.shaped(getX(), "x", 2);
  FailureOr<ShapedType> u = check.shaped(getU(), "u", 2);
  FailureOr<ShapedType> v = check.shaped(getV(), "v", 2);
  FailureOr<ShapedType> init = check.shaped(getInit(), "init", 2);
  if (failed(x) || failed(u) || failed(v) || failed(init))
    return failure();
  if (failed(check.inputElementTypes({{*x, "x"}, {*u, "u"}, {*v, "v"}})) ||
      failed(check.accumulatorType(*init, x->getElementType())) ||
      failed(verifyLowRankOperands(check, *x, *u, *v, *init)))
    return failure();
  return success();
}

LogicalResult LinearOp::verify() {
  // The sparse term is a forward block-sparse product; the low-rank term
  // shares `x` and `init`.
  if (failed(verifyBlockSparseProduct(*this, getX(), "x", getBlocks(),
                                      getInit(), getLayout(),
                                      /*byTranspose=*/true)))
    return failure();
  OperandChecker check(*this);
  auto x = cast<ShapedType>(getX().getType());
  auto init = cast<ShapedType>(getInit().getType());
  FailureOr<ShapedType> u = check.shaped(getU(), "u", 2);
  FailureOr<ShapedType> v = check.shaped(getV(), "v", 2);
  if (failed(u) || failed(v))
    return failure();
  if (failed(check.inputElementTypes({{x, "x"}, {*u, "u"}, {*v, "v"}})) ||
      failed(verifyLowRankOperands(check, x, *u, *v, init)))
    return failure();
  // The caller's X V stands for the product it replaces: M x r.
  if (Value xvValue = getXv()) {
    FailureOr<ShapedType> xv = check.shaped(xvValue, "xv", 2);
    if (failed(xv) ||
        failed(check.inputElementTypes({{x, "x"}, {*xv, "xv"}})) ||
        failed(check.sameDim(*xv, 0, "xv", x, 0, "x")) ||
        failed(check.sameDim(*xv, 1, "xv", *u, 1, "u")))
      return failure();
  }

  Value gamma = getGamma();
  std::optional<double> gammaConst;
  if (FloatAttr attr = getGammaConstAttr())
    gammaConst = attr.getValueAsDouble();
  if (gamma && gammaConst)
    return emitOpError("expected either a gamma operand or a constant gamma, "
                       "not both");
  if (!gamma && !gammaConst)
    return emitOpError("expected a gamma operand or a constant gamma");
  if (gammaConst && !std::isfinite(*gammaConst))
    return emitOpError("expected a finite constant gamma, got ")
           << *gammaConst;
  if (!gamma)
    return success();
  Type gammaType = gamma.getType();
  if (isa<FloatType>(gammaType))
    return success();
  auto shaped = dyn_cast<ShapedType>(gammaType);
  if (!shaped || !isa<RankedTensorType, MemRefType>(shaped) ||
      !isa<FloatType>(shaped.getElementType()))
    return emitOpError("expected gamma to be a float scalar or a 1-D "
                       "tensor/memref of floats, got ")
           << gammaType;
  if (shaped.getRank() != 1)
    return emitOpError("expected a per-row gamma of rank 1 (one value per "
                       "row of 'x'), got rank ")
           << shaped.getRank();
  return check.sameDim(shaped, 0, "gamma", x, 0, "x");
}

// Syntax: `%operand : type` or a float literal.
static ParseResult
parseGamma(OpAsmParser &parser,
           std::optional<OpAsmParser::UnresolvedOperand> &gamma,
           Type &gammaType, FloatAttr &gammaConst) {
  OpAsmParser::UnresolvedOperand operand;
  OptionalParseResult result = parser.parseOptionalOperand(operand);
  if (result.has_value()) {
    if (failed(*result) || parser.parseColonType(gammaType))
      return failure();
    gamma = operand;
    return success();
  }
  double value;
  if (parser.parseFloat(value))
    return failure();
  gammaConst = parser.getBuilder().getF64FloatAttr(value);
  return success();
}

static void printGamma(OpAsmPrinter &p, Operation *, Value gamma,
                       Type gammaType, FloatAttr gammaConst) {
  if (gamma) {
    p << gamma << " : " << gammaType;
    return;
  }
  p.printFloat(gammaConst.getValue());
}

//===----------------------------------------------------------------------===//
// 2:4
//===----------------------------------------------------------------------===//

/// Checks a compressed 2:4 weight `values: n x k/2`, `metadata: n x k/16`
/// of i16, against an expected `n x k` (either may be dynamic).
static LogicalResult verifyCompressed(Operation *op, OperandChecker &check,
                                      ShapedType values, StringRef valuesName,
                                      ShapedType metadata, StringRef metaName,
                                      int64_t n, int64_t k, StringRef what) {
  if (!metadata.getElementType().isInteger(16))
    return op->emitOpError() << "expected '" << metaName
                             << "' to have element type i16, got "
                             << metadata.getElementType();
  if (!ShapedType::isDynamic(k) && k % 16 != 0)
    return op->emitOpError() << "expected the reduction size of " << what
                             << " (" << k
                             << ") to be a multiple of 16 for 2:4 sparsity";
  int64_t half = ShapedType::isDynamic(k) ? k : k / 2;
  int64_t sixteenth = ShapedType::isDynamic(k) ? k : k / 16;
  if (failed(check.dim(values, 0, n, valuesName, "rows of " + what)) ||
      failed(check.dim(values, 1, half, valuesName,
                       "half the reduction size of " + what)) ||
      failed(check.dim(metadata, 0, n, metaName, "rows of " + what)) ||
      failed(check.dim(metadata, 1, sixteenth, metaName,
                       "one i16 per 16 columns of " + what)))
    return failure();
  // Without a static K the two compressed operands must still agree.
  if (!ShapedType::isDynamic(values.getDimSize(1)) &&
      !ShapedType::isDynamic(metadata.getDimSize(1)) &&
      values.getDimSize(1) != 8 * metadata.getDimSize(1))
    return op->emitOpError() << "expected '" << valuesName << "' to have 8 "
                             << "columns per column of '" << metaName
                             << "', got " << values.getDimSize(1) << " and "
                             << metadata.getDimSize(1);
  return success();
}

/// K recovered from the compressed operands when the dense one is dynamic.
static int64_t denseColumns(ShapedType values) {
  int64_t half = values.getDimSize(1);
  return ShapedType::isDynamic(half) ? half : 2 * half;
}

LogicalResult TwoFourMatmulOp::verify() {
  OperandChecker check(*this);
  if (failed(verifyOperandKinds(*this)))
    return failure();
  FailureOr<ShapedType> x = check.shaped(getX(), "x", 2);
  FailureOr<ShapedType> values = check.shaped(getValues(), "values", 2);
  FailureOr<ShapedType> meta = check.shaped(getMetadata(), "metadata", 2);
  FailureOr<ShapedType> init = check.shaped(getInit(), "init", 2);
  if (failed(x) || failed(values) || failed(meta) || failed(init))
    return failure();
  int64_t k = x->getDimSize(1);
  if (ShapedType::isDynamic(k))
    k = denseColumns(*values);
  if (failed(check.inputElementTypes({{*x, "x"}, {*values, "values"}})) ||
      failed(check.accumulatorType(*init, x->getElementType())) ||
      failed(verifyCompressed(*this, check, *values, "values", *meta,
                              "metadata", init->getDimSize(1), k,
                              "the weight")) ||
      failed(check.sameDim(*x, 0, "x", *init, 0, "init")))
    return failure();
  return success();
}

LogicalResult Prune24Op::verify() {
  OperandChecker check(*this);
  if (failed(verifyOperandKinds(*this)))
    return failure();
  size_t numOutputs = getOutputs().size();
  if (numOutputs != 2 && numOutputs != 4)
    return emitOpError("expected 2 outs operands (values, metadata), or 4 "
                       "with 'transposable' (and those of the transpose), "
                       "got ")
           << numOutputs;
  if (numOutputs == 4 && !getTransposable())
    return emitOpError("expected 'transposable' to produce the compressed "
                       "transpose (4 outs operands)");
  FailureOr<ShapedType> w = check.shaped(getInput(), "input", 2);
  FailureOr<ShapedType> values = check.shaped(getOutputs()[0], "values", 2);
  FailureOr<ShapedType> meta = check.shaped(getOutputs()[1], "metadata", 2);
  if (failed(w) || failed(values) || failed(meta))
    return failure();
  int64_t n = w->getDimSize(0), k = w->getDimSize(1);
  if (failed(check.inputElementTypes({{*w, "input"}, {*values, "values"}})) ||
      failed(verifyCompressed(*this, check, *values, "values", *meta,
                              "metadata", n, k, "the weight")))
    return failure();
  if (getTransposable() && !ShapedType::isDynamic(n) && n % 4 != 0)
    return emitOpError("expected the rows of a transposable weight (")
           << n << ") to be a multiple of 4";
  if (numOutputs == 2)
    return success();
  FailureOr<ShapedType> valuesT =
      check.shaped(getOutputs()[2], "transposed values", 2);
  FailureOr<ShapedType> metaT =
      check.shaped(getOutputs()[3], "transposed metadata", 2);
  if (failed(valuesT) || failed(metaT))
    return failure();
  if (failed(check.inputElementTypes(
          {{*w, "input"}, {*valuesT, "transposed values"}})) ||
      failed(verifyCompressed(*this, check, *valuesT, "transposed values",
                              *metaT, "transposed metadata", k, n,
                              "the transposed weight")))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// Densify
//===----------------------------------------------------------------------===//

LogicalResult DensifyOp::verify() {
  OperandChecker check(*this);
  if (failed(verifyOperandKinds(*this)))
    return failure();
  FailureOr<ShapedType> blocks = check.shaped(getBlocks(), "blocks", 3);
  FailureOr<ShapedType> init = check.shaped(getInit(), "init", 2);
  if (failed(blocks) || failed(init))
    return failure();
  BlockLayoutAttr layout = getLayout();
  if (failed(check.inputElementTypes({{*blocks, "blocks"}, {*init, "init"}})) ||
      failed(verifyBlocks(check, *blocks, layout)) ||
      failed(check.dim(*init, 0, layout.getNumRows(), "init",
                       "N, the rows of the layout")) ||
      failed(check.dim(*init, 1, layout.getNumCols(), "init",
                       "K, the columns of the layout")))
    return failure();
  return success();
}

LogicalResult Densify24Op::verify() {
  OperandChecker check(*this);
  if (failed(verifyOperandKinds(*this)))
    return failure();
  FailureOr<ShapedType> values = check.shaped(getValues(), "values", 2);
  FailureOr<ShapedType> meta = check.shaped(getMetadata(), "metadata", 2);
  FailureOr<ShapedType> init = check.shaped(getInit(), "init", 2);
  if (failed(values) || failed(meta) || failed(init))
    return failure();
  int64_t k = init->getDimSize(1);
  if (ShapedType::isDynamic(k))
    k = denseColumns(*values);
  if (failed(check.inputElementTypes({{*values, "values"}, {*init, "init"}})) ||
      failed(verifyCompressed(*this, check, *values, "values", *meta,
                              "metadata", init->getDimSize(0), k,
                              "the weight")))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// Canonicalization
//===----------------------------------------------------------------------===//

/// Replaces a product that adds nothing to its destination by the
/// destination (tensor form) or erases it (memref form).
static LogicalResult replaceByInit(PatternRewriter &rewriter, Operation *op,
                                   Value init) {
  if (op->getNumResults() == 0)
    rewriter.eraseOp(op);
  else
    rewriter.replaceOp(op, init);
  return success();
}

/// True when dimension `d` of `value`'s shape is statically 0.
static bool hasZeroDim(Value value, unsigned d) {
  return cast<ShapedType>(value.getType()).getDimSize(d) == 0;
}

namespace {
/// A block-sparse product over a layout without blocks adds nothing.
template <typename OpTy>
struct FoldEmptyLayout : public OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    if (op.getLayout().getNumBlocks() != 0)
      return rewriter.notifyMatchFailure(op, "layout has blocks");
    return replaceByInit(rewriter, op, op.getInit());
  }
};

/// A low-rank product of rank 0 adds nothing.
struct FoldRankZeroLowRank : public OpRewritePattern<LowRankMatmulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LowRankMatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (!hasZeroDim(op.getU(), 1))
      return rewriter.notifyMatchFailure(op, "rank is not statically 0");
    return replaceByInit(rewriter, op, op.getInit());
  }
};

/// Turns a gamma operand defined by a constant (a scalar, or a splat per-row
/// tensor) into a constant gamma, which the other patterns can then use.
struct FoldConstantGammaOperand : public OpRewritePattern<LinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LinearOp op,
                                PatternRewriter &rewriter) const override {
    Value gamma = op.getGamma();
    if (!gamma)
      return rewriter.notifyMatchFailure(op, "gamma is already constant");
    std::optional<APFloat> value;
    FloatAttr scalar;
    DenseFPElementsAttr elements;
    if (matchPattern(gamma, m_Constant(&scalar)))
      value = scalar.getValue();
    else if (matchPattern(gamma, m_Constant(&elements)) &&
             elements.isSplat())
      value = elements.getSplatValue<APFloat>();
    if (!value)
      return rewriter.notifyMatchFailure(op, "gamma is not a constant");
    // A constant gamma must be finite; leave NaN and infinity as operands.
    if (!value->isFinite())
      return rewriter.notifyMatchFailure(op, "gamma is not finite");
    double v = value->convertToDouble();
    rewriter.modifyOpInPlace(op, [&] {
      op.getGammaMutable().clear();
      op.setGammaConstAttr(rewriter.getF64FloatAttr(v));
    });
    return success();
  }
};

/// With a constant gamma of 1 only the sparse term remains, with 0 only the
/// low-rank term (unless it reads the caller's X V); with neither blocks nor
/// rank nothing remains.
struct SimplifyLinear : public OpRewritePattern<LinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LinearOp op,
                                PatternRewriter &rewriter) const override {
    bool noBlocks = op.getLayout().getNumBlocks() == 0;
    bool noRank = hasZeroDim(op.getU(), 1);
    if (noBlocks && noRank)
      return replaceByInit(rewriter, op, op.getInit());
    FloatAttr gammaAttr = op.getGammaConstAttr();
    if (!gammaAttr)
      return rewriter.notifyMatchFailure(op, "gamma is not constant");
    std::optional<double> gamma = gammaAttr.getValueAsDouble();
    if (*gamma == 1.0) {
      rewriter.replaceOpWithNewOp<BlockSparseMatmulOp>(
          op, op->getResultTypes(), op.getX(), op.getBlocks(), op.getInit(),
          op.getLayout());
      return success();
    }
    // The low-rank product would compute the caller's X V again.
    if (*gamma == 0.0 && !op.getXv()) {
      rewriter.replaceOpWithNewOp<LowRankMatmulOp>(
          op, op->getResultTypes(), op.getX(), op.getU(), op.getV(),
          op.getInit());
      return success();
    }
    return rewriter.notifyMatchFailure(op, "both terms contribute");
  }
};
} // namespace

void BlockSparseMatmulOp::getCanonicalizationPatterns(
    RewritePatternSet &results, MLIRContext *context) {
  results.add<FoldEmptyLayout<BlockSparseMatmulOp>>(context);
}

void BlockSparseInputGradOp::getCanonicalizationPatterns(
    RewritePatternSet &results, MLIRContext *context) {
  results.add<FoldEmptyLayout<BlockSparseInputGradOp>>(context);
}

void BlockSparseWeightGradOp::getCanonicalizationPatterns(
    RewritePatternSet &results, MLIRContext *context) {
  results.add<FoldEmptyLayout<BlockSparseWeightGradOp>>(context);
}

void LowRankMatmulOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                                  MLIRContext *context) {
  results.add<FoldRankZeroLowRank>(context);
}

void LinearOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                           MLIRContext *context) {
  results.add<FoldConstantGammaOperand, SimplifyLinear>(context);
}

#define GET_OP_CLASSES
#include "pixelfly/Dialect/Pixelfly/IR/PixelflyOps.cpp.inc"
