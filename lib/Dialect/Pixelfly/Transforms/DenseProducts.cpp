//===- DenseProducts.cpp - Dense contractions as full-layout products -----===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// The GPU pipeline lowers what is left of linalg to one thread per output
// element. A dense contraction in a training step (a 2:4 step's weight
// gradient, the low-rank factors' products, layers the budget keeps dense)
// would then be far slower than the rest of the step. A layout that stores
// every block makes the block-sparse products dense GEMMs on the tensor
// cores: the project's own dense baseline. This pass only reshapes: the
// products, their configuration and their kernels are the existing ones.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/IR/ElementTypes.h"
#include "pixelfly/Dialect/Pixelfly/IR/PixelflyOps.h"
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"
#include "pixelfly/Dialect/Pixelfly/Utils/ProductBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/Matchers.h"

#include <cstring>

namespace mlir::pixelfly {
#define GEN_PASS_DEF_PIXELFLYDENSEPRODUCTS
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h.inc"
} // namespace mlir::pixelfly

using namespace mlir;
using namespace mlir::pixelfly;

namespace {

/// A contraction read as `C[m, n] = sum_k A[., .] B[., .]`: which operand
/// plays `A`, and whether each is stored transposed.
struct Form {
  Value a, b, c;
  /// `A` is `K x M` (else `M x K`); `B` is `N x K` (else `K x N`).
  bool aKM = false, bNK = false;
  /// Transposes read through, erased when nothing else reads them.
  SmallVector<Operation *> peeled;
};

} // namespace

/// Reads `op` as a 2-D product (through transposes of its operands), or
/// says why not.
static FailureOr<Form> formOf(linalg::LinalgOp op, std::string &why) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || op->getNumResults() != 1) {
    why = "not a product of two tensors into one";
    return failure();
  }
  if (!linalg::isaContractionOpInterface(op)) {
    why = "its body is not a multiply-accumulate";
    return failure();
  }
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || !dims->batch.empty()) {
    why = "it has a batch dimension";
    return failure();
  }
  if (dims->m.size() != 1 || dims->n.size() != 1 || dims->k.size() != 1 ||
      op.getNumLoops() != 3) {
    why = "it is not a product of 2-D operands";
    return failure();
  }
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  for (AffineMap map : maps)
    if (map.getNumResults() != 2 || !map.isProjectedPermutation()) {
      why = "it is not a product of 2-D operands";
      return failure();
    }
  unsigned m = dims->m.front(), n = dims->n.front(), k = dims->k.front();
  Form form;
  form.a = op.getDpsInputs()[0];
  form.b = op.getDpsInputs()[1];
  form.c = op.getDpsInits()[0];
  AffineMap aMap = maps[0], bMap = maps[1];
  // A result laid out N x M is the product with the operands swapped.
  if (maps[2].getDimPosition(0) != m) {
    std::swap(form.a, form.b);
    std::swap(aMap, bMap);
    std::swap(m, n);
  }
  form.aKM = aMap.getDimPosition(0) == k;
  form.bNK = bMap.getDimPosition(0) == n;
  // An operand that a transpose made (torch-mlir's `dY^T`, `W^T`) is read
  // from the transpose's input instead: no copy, and a weight gradient
  // keeps its dynamic token count off the layout.
  auto peel = [&](Value &v, bool &flipped) {
    auto transpose = v.getDefiningOp<linalg::TransposeOp>();
    if (transpose && transpose.getPermutation() == ArrayRef<int64_t>{1, 0}) {
      v = transpose.getInput();
      flipped = !flipped;
      if (!llvm::is_contained(form.peeled, transpose.getOperation()))
        form.peeled.push_back(transpose);
    }
  };
  peel(form.a, form.aKM);
  peel(form.b, form.bNK);
  return form;
}

/// The fewest static rows (tokens) a rewritten product has.
static constexpr int64_t kMinTokens = 64;
/// The most blocks a full layout lists (16384 x 16384 in 64 x 64 blocks).
static constexpr int64_t kMaxBlocks = 1 << 16;
/// The largest constant operand re-blocked at compile time (16 MB of f32);
/// a larger one is left to a transpose kernel.
static constexpr int64_t kMaxFoldedElements = 1 << 22;

static int64_t blockFor(int64_t rows, int64_t cols) {
  for (int64_t b : {64, 32, 16})
    if (rows % b == 0 && cols % b == 0)
      return b;
  return 0;
}

/// The layout that stores every `b x b` block of a `rows x cols` weight.
static BlockLayoutAttr fullLayout(MLIRContext *ctx, int64_t rows, int64_t cols,
                                  int64_t b) {
  int64_t blockRows = rows / b, blockCols = cols / b;
  SmallVector<int64_t> rowPtr, colIdx;
  for (int64_t i = 0; i <= blockRows; ++i)
    rowPtr.push_back(i * blockCols);
  for (int64_t i = 0; i < blockRows; ++i)
    for (int64_t j = 0; j < blockCols; ++j)
      colIdx.push_back(j);
  return BlockLayoutAttr::get(ctx, rows, cols, b, b, rowPtr, colIdx,
                              FlatButterflyAttr());
}

/// The data of `dense` (`rows x cols`, f16/bf16/f32, not a splat) as
/// `blocksType`, its `bs x bs` blocks in row-major order; null when it is
/// too large to rewrite at compile time.
static DenseElementsAttr reblock(DenseElementsAttr dense,
                                 RankedTensorType blocksType, int64_t bs) {
  auto type = cast<RankedTensorType>(dense.getType());
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  if (rows * cols > kMaxFoldedElements)
    return {};
  int64_t bytes = type.getElementTypeBitWidth() / 8;
  ArrayRef<char> raw = dense.getRawData();
  if (static_cast<int64_t>(raw.size()) != rows * cols * bytes)
    return {};
  std::vector<char> data(raw.size());
  int64_t blockCols = cols / bs;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; j += bs) {
      int64_t block = (i / bs) * blockCols + j / bs;
      int64_t to = (block * bs * bs + (i % bs) * bs) * bytes;
      std::memcpy(&data[to], &raw[(i * cols + j) * bytes], bs * bytes);
    }
  return DenseElementsAttr::getFromRawBuffer(blocksType, data);
}

/// `w` (`rows x cols`, static) as its `b x b` blocks in row-major order.
static Value toBlocks(OpBuilder &b, Location loc, Value w, int64_t bs) {
  auto type = cast<RankedTensorType>(w.getType());
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  Type element = type.getElementType();
  // A constant is re-blocked now, not by a kernel at every call.
  auto blocksType =
      RankedTensorType::get({(rows / bs) * (cols / bs), bs, bs}, element);
  DenseElementsAttr constant;
  if (matchPattern(w, m_Constant(&constant))) {
    if (constant.isSplat())
      return arith::ConstantOp::create(
          b, loc, blocksType,
          DenseElementsAttr::get(blocksType,
                                 constant.getSplatValue<Attribute>()));
    if (DenseElementsAttr blocks = reblock(constant, blocksType, bs))
      return arith::ConstantOp::create(b, loc, blocksType, blocks);
  }
  // One block column (a low-rank factor as wide as a block): the blocks
  // are the rows as they are, a view rather than a transpose kernel.
  if (cols == bs)
    return tensor::ExpandShapeOp::create(
        b, loc, blocksType, w, SmallVector<ReassociationIndices>{{0, 1}, {2}});
  Value split = tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get({rows / bs, bs, cols / bs, bs}, element), w,
      SmallVector<ReassociationIndices>{{0, 1}, {2, 3}});
  Value grouped = ProductBuilder(b, loc).transpose(split, {0, 2, 1, 3});
  return tensor::CollapseShapeOp::create(
      b, loc, grouped, SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}});
}

/// The inverse of toBlocks.
static Value fromBlocks(OpBuilder &b, Location loc, Value blocks, int64_t rows,
                        int64_t cols, int64_t bs) {
  Type element = cast<RankedTensorType>(blocks.getType()).getElementType();
  if (cols == bs)
    return tensor::CollapseShapeOp::create(
        b, loc, blocks, SmallVector<ReassociationIndices>{{0, 1}, {2}});
  Value split = tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get({rows / bs, cols / bs, bs, bs}, element),
      blocks, SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}});
  Value grouped = ProductBuilder(b, loc).transpose(split, {0, 2, 1, 3});
  return tensor::CollapseShapeOp::create(
      b, loc, grouped, SmallVector<ReassociationIndices>{{0, 1}, {2, 3}});
}

/// The op that only rounds `op`'s f32 result to a 16-bit type, when that
/// is its one use: an identity-mapped `linalg.generic` whose body is one
/// `arith.truncf` without a rounding mode (round to nearest even, as the
/// products' epilogues round).
static linalg::GenericOp roundingUser(Operation *op) {
  if (!op->getResult(0).hasOneUse())
    return nullptr;
  auto generic = dyn_cast<linalg::GenericOp>(*op->getUsers().begin());
  if (!generic || generic.getNumDpsInputs() != 1 ||
      generic.getNumDpsInits() != 1 || !generic.hasPureTensorSemantics() ||
      !llvm::all_of(generic.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isIdentity(); }))
    return nullptr;
  Block &body = generic.getRegion().front();
  if (!llvm::hasSingleElement(body.without_terminator()))
    return nullptr;
  auto trunc = dyn_cast<arith::TruncFOp>(body.front());
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  if (!trunc || trunc.getRoundingmodeAttr() ||
      trunc.getIn() != body.getArgument(0) ||
      yield.getValues().front() != trunc.getResult())
    return nullptr;
  return generic;
}

/// Erases `op`, then the `tensor.empty` it wrote into (its operand
/// `init`) when nothing else reads it.
static void eraseWithInit(Operation *op, Value init) {
  Operation *empty = init.getDefiningOp();
  op->erase();
  if (empty && isa<tensor::EmptyOp>(empty) && empty->use_empty())
    empty->erase();
}

/// Weights re-blocked in this run, by weight and block size.
using BlocksCache = DenseMap<std::pair<Value, int64_t>, Value>;

/// Rewrites `op`; says why not, before changing anything, otherwise.
static LogicalResult rewrite(linalg::LinalgOp op, std::string &why,
                             BlocksCache &cache, DominanceInfo &dominance) {
  FailureOr<Form> form = formOf(op, why);
  if (failed(form))
    return failure();
  auto aType = cast<RankedTensorType>(form->a.getType());
  auto bType = cast<RankedTensorType>(form->b.getType());
  auto cType = cast<RankedTensorType>(form->c.getType());
  Type element = aType.getElementType();
  if (bType.getElementType() != element || !isProductElementType(element)) {
    why = "its operands are not both f16, bf16 or f32";
    return failure();
  }
  if (!cType.getElementType().isF32() && cType.getElementType() != element) {
    why = "its result is neither f32 nor the operands' type";
    return failure();
  }
  // A splat operand makes each output a scaled row sum: no GEMM to run, and
  // its blocks would be a weight-sized constant where the plain loop reads
  // one value.
  for (Value operand : {form->a, form->b}) {
    DenseElementsAttr constant;
    if (matchPattern(operand, m_Constant(&constant)) && constant.isSplat()) {
      why = "an operand is a splat constant";
      return failure();
    }
  }
  // The layout's operand (rows x cols): B as stored, or C for `A^T B`.
  bool weightGrad = form->aKM && !form->bNK;

  RankedTensorType layoutType = weightGrad ? cType : bType;
  if (!layoutType.hasStaticShape()) {
    why = "the dimensions a layout would cover are not static";
    return failure();
  }
  int64_t rows = layoutType.getDimSize(0), cols = layoutType.getDimSize(1);
  int64_t bs = blockFor(rows, cols);
  if (bs == 0) {
    why = "the dimensions a layout would cover (" + std::to_string(rows) +
          " x " + std::to_string(cols) + ") are not multiples of 16";
    return failure();
  }
  // The layout lists its blocks: a bound keeps it (and the IR) small.
  if ((rows / bs) > kMaxBlocks / std::max<int64_t>(cols / bs, 1)) {
    why = "a layout of " + std::to_string(rows) + " x " + std::to_string(cols) +
          " would list more than " + std::to_string(kMaxBlocks) + " blocks";
    return failure();
  }

  // Re-blocking the layout's operand moves it once per call; the product
  // reads it once per row tile. Few rows (a decoder's one token) are
  // memory-bound, and the copy would triple their traffic.
  int64_t tokens = weightGrad
                       ? cast<RankedTensorType>(form->a.getType()).getDimSize(0)
                       : cType.getDimSize(0);
  if (!ShapedType::isDynamic(tokens) && tokens < kMinTokens) {
    why = "it has " + std::to_string(tokens) +
          " rows to share the layout "
          "(fewer than " +
          std::to_string(kMinTokens) +
          ", memory-bound: re-blocking would cost more than it saves)";
    return failure();
  }

  OpBuilder b(op);
  Location loc = op.getLoc();
  MLIRContext *ctx = op.getContext();
  BlockLayoutAttr layout = fullLayout(ctx, rows, cols, bs);
  Value a = form->a;
  Value result;
  // An f32 product from +0 that is only rounded to the operands' 16-bit
  // type (a training step's X V, rounded for the next product) writes that
  // type itself: the products round once from their f32 accumulators, so
  // the bits are the same, and the rounding kernel goes.
  linalg::GenericOp rounding;
  auto zeroFill = form->c.getDefiningOp<linalg::FillOp>();
  if (zeroFill && cType.getElementType().isF32() && !element.isF32() &&
      matchPattern(zeroFill.getInputs()[0], m_PosZeroFloat())) {
    rounding = roundingUser(op);
    if (rounding &&
        getElementTypeOrSelf(rounding->getResult(0).getType()) == element) {
      auto f32Empty = zeroFill.getOutputs()[0].getDefiningOp<tensor::EmptyOp>();
      Value empty = tensor::EmptyOp::create(
          b, loc,
          f32Empty ? f32Empty.getMixedSizes()
                   : tensor::getMixedSizes(b, loc, form->c),
          element);
      Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(element));
      form->c = linalg::FillOp::create(b, loc, zero, empty).getResult(0);
      cType = cast<RankedTensorType>(form->c.getType());
    } else {
      rounding = nullptr;
    }
  }
  if (weightGrad) {
    // Tokens are the rows of both operands: dW = dY^T X on every block.
    Value init;
    if (auto fill = form->c.getDefiningOp<linalg::FillOp>()) {
      Value empty = tensor::EmptyOp::create(
          b, loc, {layout.getNumBlocks(), bs, bs}, cType.getElementType());
      init = linalg::FillOp::create(b, loc, fill.getInputs()[0], empty)
                 .getResult(0);
    } else {
      init = toBlocks(b, loc, form->c, bs);
    }
    Value blocks = BlockSparseWeightGradOp::create(b, loc, init.getType(), a,
                                                   form->b, init, layout)
                       .getResult();
    result = fromBlocks(b, loc, blocks, rows, cols, bs);
  } else {
    if (form->aKM)
      a = ProductBuilder(b, loc).transpose(a, {1, 0});
    // A weight several products read (a dense step's forward and input
    // gradient) is re-blocked once.
    Value &cached = cache[{form->b, bs}];
    if (!cached || !dominance.properlyDominates(cached, op))
      cached = toBlocks(b, loc, form->b, bs);
    Value blocks = cached;
    if (form->bNK)
      result =
          BlockSparseMatmulOp::create(b, loc, cType, a, blocks, form->c, layout)
              .getResult();
    else
      result = BlockSparseInputGradOp::create(b, loc, cType, a, blocks, form->c,
                                              layout)
                   .getResult();
  }
  if (rounding) {
    rounding->getResult(0).replaceAllUsesWith(result);
    eraseWithInit(rounding, rounding.getDpsInits().front());
  }
  op->getResult(0).replaceAllUsesWith(result);
  op->erase();
  if (rounding && zeroFill->use_empty())
    eraseWithInit(zeroFill, zeroFill.getOutputs()[0]);
  for (Operation *transpose : form->peeled)
    if (transpose->use_empty())
      eraseWithInit(transpose, transpose->getOperand(1));
  return success();
}

namespace {
struct PixelflyDenseProductsPass
    : public pixelfly::impl::PixelflyDenseProductsBase<
          PixelflyDenseProductsPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> candidates;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op.getNumReductionLoops() > 0 && op.getNumDpsInputs() == 2)
        candidates.push_back(op);
    });
    BlocksCache cache;
    DominanceInfo dominance(getOperation());
    for (linalg::LinalgOp op : candidates) {
      std::string why;
      Operation *raw = op;
      Location loc = raw->getLoc();
      if (succeeded(rewrite(op, why, cache, dominance)))
        continue;
      if (remarks)
        emitRemark(loc) << "pixelfly-dense-products: left '" << raw->getName()
                        << "' alone: " << why;
    }
  }
};
} // namespace
