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
// cores: the project's own dense baseline. A batch of contractions (an
// attention's scores and context) is one product on a block-diagonal
// layout. This pass only reshapes: the products, their configuration and
// their kernels are the existing ones.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/IR/ElementTypes.h"
#include "pixelfly/Dialect/Pixelfly/IR/PixelflyOps.h"
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"
#include "pixelfly/Dialect/Pixelfly/Utils/ProductBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/Matchers.h"

#include <cstring>
#include <limits>

namespace mlir::pixelfly {
#define GEN_PASS_DEF_PIXELFLYDENSEPRODUCTS
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h.inc"
} // namespace mlir::pixelfly

using namespace mlir;
using namespace mlir::pixelfly;

namespace {

/// A contraction read as `C[m, n] = sum_k A[., .] B[., .]`, or a batch of
/// them, `C[t, m, n] = sum_k A[t, ., .] B[t, ., .]`: which operand plays
/// `A`, and whether each is stored transposed.
struct Form {
  Value a, b, c;
  /// `A` is `K x M` (else `M x K`); `B` is `N x K` (else `K x N`).
  bool aKM = false, bNK = false;
  /// Every operand has the batch `t` as its outermost dimension.
  bool batched = false;
  /// Transposes read through, erased when nothing else reads them.
  SmallVector<Operation *> peeled;
};

} // namespace

/// Reads `op` as a 2-D product or a batch of them (through transposes of
/// its operands), or says why not.
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
  if (failed(dims)) {
    why = "it is not a product of 2-D operands";
    return failure();
  }
  if (dims->batch.size() > 1) {
    why = "it has more than one batch dimension";
    return failure();
  }
  Form form;
  form.batched = dims->batch.size() == 1;
  // The position of an operand's first dimension that is not the batch.
  unsigned first = form.batched ? 1 : 0;
  std::string what = form.batched ? "it is not a batch of products of 2-D "
                                    "operands"
                                  : "it is not a product of 2-D operands";
  if (dims->m.size() != 1 || dims->n.size() != 1 || dims->k.size() != 1 ||
      op.getNumLoops() != first + 3) {
    why = what;
    return failure();
  }
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  for (AffineMap map : maps)
    if (map.getNumResults() != first + 2 || !map.isProjectedPermutation()) {
      why = what;
      return failure();
    }
  if (form.batched && llvm::any_of(maps, [&](AffineMap map) {
        return map.getDimPosition(0) != dims->batch.front();
      })) {
    why = "its batch dimension is not the outermost of every operand";
    return failure();
  }
  unsigned m = dims->m.front(), n = dims->n.front(), k = dims->k.front();
  form.a = op.getDpsInputs()[0];
  form.b = op.getDpsInputs()[1];
  form.c = op.getDpsInits()[0];
  AffineMap aMap = maps[0], bMap = maps[1];
  // A result laid out N x M is the product with the operands swapped.
  if (maps[2].getDimPosition(first) != m) {
    std::swap(form.a, form.b);
    std::swap(aMap, bMap);
    std::swap(m, n);
  }
  form.aKM = aMap.getDimPosition(first) == k;
  form.bNK = bMap.getDimPosition(first) == n;
  // An operand that a transpose made (torch-mlir's `dY^T`, `W^T`, an
  // attention's `K^T`) is read from the transpose's input instead: no
  // copy, and a weight gradient keeps its dynamic token count off the
  // layout.
  SmallVector<int64_t> swapLast =
      form.batched ? SmallVector<int64_t>{0, 2, 1} : SmallVector<int64_t>{1, 0};
  auto peel = [&](Value &v, bool &flipped) {
    auto transpose = v.getDefiningOp<linalg::TransposeOp>();
    if (transpose &&
        transpose.getPermutation() == ArrayRef<int64_t>(swapLast)) {
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

/// The layout that stores every `b x b` block of `batch` weights of `rows x
/// cols` on its diagonal (`batch` = 1: a dense weight): block row `i` of
/// weight `t` reads the block columns of weight `t`. A batch of products is
/// one block-diagonal product, each weight's blocks in row-major order.
static BlockLayoutAttr fullLayout(MLIRContext *ctx, int64_t batch, int64_t rows,
                                  int64_t cols, int64_t b) {
  int64_t blockRows = rows / b, blockCols = cols / b;
  SmallVector<int64_t> rowPtr, colIdx;
  for (int64_t i = 0; i <= batch * blockRows; ++i)
    rowPtr.push_back(i * blockCols);
  for (int64_t t = 0; t < batch; ++t)
    for (int64_t i = 0; i < blockRows; ++i)
      for (int64_t j = 0; j < blockCols; ++j)
        colIdx.push_back(t * blockCols + j);
  return BlockLayoutAttr::get(ctx, batch * rows, batch * cols, b, b, rowPtr,
                              colIdx, FlatButterflyAttr());
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

/// Erases the fill that made `c` where the rewrite made a new one in the
/// shape its product writes and left this one unused.
static void eraseUnusedFill(Value c) {
  if (auto fill = c.getDefiningOp<linalg::FillOp>(); fill && fill->use_empty())
    eraseWithInit(fill, fill.getOutputs()[0]);
}

/// Size `d` of `v`, from the tensor.empty it was written into where there
/// is one: a tensor.dim of `v` would be another use of its producer, which
/// elementwise fusion then leaves alone, and keeps a replaced fill alive.
static OpFoldResult sizeOf(OpBuilder &b, Location loc, Value v, int64_t d) {
  Value origin = v;
  while (auto dps = origin.getDefiningOp<DestinationStyleOpInterface>())
    origin = dps.getTiedOpOperand(cast<OpResult>(origin))->get();
  if (auto empty = origin.getDefiningOp<tensor::EmptyOp>())
    return empty.getMixedSizes()[d];
  return tensor::getMixedSize(b, loc, v, d);
}

/// `v` with its dimensions permuted as a `linalg.generic`, not a
/// `linalg.transpose`: upstream's elementwise fusion merges it into an
/// elementwise producer or consumer (an attention's softmax between the
/// scores and the context) rather than leaving a copy kernel of its own.
static Value permuted(OpBuilder &b, Location loc, Value v,
                      ArrayRef<int64_t> perm) {
  SmallVector<OpFoldResult> sizes;
  for (int64_t d : perm)
    sizes.push_back(sizeOf(b, loc, v, d));
  Value init =
      tensor::EmptyOp::create(b, loc, sizes, getElementTypeOrSelf(v.getType()));
  Value moved =
      linalg::TransposeOp::create(b, loc, v, init, perm).getResult()[0];
  IRRewriter rewriter(b);
  rewriter.setInsertionPointAfterValue(moved);
  FailureOr<linalg::GenericOp> generic = linalg::generalizeNamedOp(
      rewriter, cast<linalg::LinalgOp>(moved.getDefiningOp()));
  return succeeded(generic) ? generic->getResult(0) : moved;
}

/// `v` (`t x p x q` after `perm`) as `p x (t q)`: the batch moved inside the
/// columns, a transpose.
static Value batchInColumns(OpBuilder &b, Location loc, Value v,
                            ArrayRef<int64_t> perm) {
  Value moved = permuted(b, loc, v, perm);
  return tensor::CollapseShapeOp::create(
      b, loc, moved, SmallVector<ReassociationIndices>{{0}, {1, 2}});
}

/// `v` (`t x p x q`) as the `(t p) x q` rows it stores: a view, or for a
/// constant the same data, so that toBlocks re-blocks it at compile time.
static Value stackedRows(OpBuilder &b, Location loc, Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  auto flat = RankedTensorType::get(
      {type.getDimSize(0) * type.getDimSize(1), type.getDimSize(2)},
      type.getElementType());
  DenseElementsAttr constant;
  if (matchPattern(v, m_Constant(&constant)))
    return arith::ConstantOp::create(b, loc, flat, constant.reshape(flat));
  return tensor::CollapseShapeOp::create(
      b, loc, flat, v, SmallVector<ReassociationIndices>{{0, 1}, {2}});
}

/// A fill of `c`, made anew with `sizes`, or null where `c` is no fill: a zero
/// fill stays one, which the lowering folds into the product.
static Value refill(OpBuilder &b, Location loc, Value c,
                    ArrayRef<OpFoldResult> sizes) {
  auto fill = c.getDefiningOp<linalg::FillOp>();
  if (!fill)
    return {};
  Value empty =
      tensor::EmptyOp::create(b, loc, sizes, getElementTypeOrSelf(c.getType()));
  return linalg::FillOp::create(b, loc, fill.getInputs()[0], empty)
      .getResult(0);
}

/// A batch of products `C[t] = A[t] B[t]` (in `form`'s orientation) as one
/// product on the block-diagonal `layout`: the batch moves inside the
/// columns of A and C (`M x (t K)`, `M x (t N)`), B's weights are stacked
/// rows re-blocked as one (so weight `t`'s blocks are the layout's block
/// rows of `t`), and the result moves back. A weight gradient
/// `C[t] = A[t]^T B[t]` reduces over the rows of `T x (t M)` and
/// `T x (t N)` into C's stacked blocks.
static Value buildBatched(OpBuilder &b, Location loc, const Form &form,
                          BlockLayoutAttr layout, int64_t bs) {
  auto cType = cast<RankedTensorType>(form.c.getType());
  int64_t batch = cType.getDimSize(0);
  if (form.aKM && !form.bNK) {
    // Token-major A and B: t x T x M and t x T x N.
    Value a = batchInColumns(b, loc, form.a, {1, 0, 2});
    Value x = batchInColumns(b, loc, form.b, {1, 0, 2});
    int64_t rows = batch * cType.getDimSize(1), cols = cType.getDimSize(2);
    Value init = refill(b, loc, form.c,
                        {b.getIndexAttr(layout.getNumBlocks()),
                         b.getIndexAttr(bs), b.getIndexAttr(bs)});
    if (!init)
      init = toBlocks(b, loc, stackedRows(b, loc, form.c), bs);
    Value blocks = BlockSparseWeightGradOp::create(b, loc, init.getType(), a, x,
                                                   init, layout)
                       .getResult();
    return tensor::ExpandShapeOp::create(
        b, loc, cType, fromBlocks(b, loc, blocks, rows, cols, bs),
        SmallVector<ReassociationIndices>{{0, 1}, {2}});
  }
  Value a = batchInColumns(b, loc, form.a,
                           form.aKM ? ArrayRef<int64_t>{2, 0, 1}
                                    : ArrayRef<int64_t>{1, 0, 2});
  Value blocks = toBlocks(b, loc, stackedRows(b, loc, form.b), bs);
  Value c = form.c.getDefiningOp<linalg::FillOp>()
                ? refill(b, loc, form.c,
                         {sizeOf(b, loc, form.c, 1),
                          b.getIndexAttr(batch * cType.getDimSize(2))})
                : batchInColumns(b, loc, form.c, {1, 0, 2});
  auto flatType = cast<RankedTensorType>(c.getType());
  Value flat = form.bNK ? BlockSparseMatmulOp::create(b, loc, flatType, a,
                                                      blocks, c, layout)
                              .getResult()
                        : BlockSparseInputGradOp::create(b, loc, flatType, a,
                                                         blocks, c, layout)
                              .getResult();
  auto split = RankedTensorType::get(
      {flatType.getDimSize(0), batch, cType.getDimSize(2)},
      cType.getElementType());
  Value unflat = tensor::ExpandShapeOp::create(
      b, loc, split, flat, SmallVector<ReassociationIndices>{{0}, {1, 2}});
  return permuted(b, loc, unflat, {1, 0, 2});
}

/// Weights re-blocked in this run, by weight and block size.
using BlocksCache = DenseMap<std::pair<Value, int64_t>, Value>;

static LogicalResult rewrite(linalg::LinalgOp op, std::string &why,
                             BlocksCache &cache, DominanceInfo &dominance);

/// A batch of products whose B is one 2-D weight broadcast over the batch
/// (a matmul of 3-d activations, as torch-mlir lowers aten.linear) is one
/// 2-D product over all the batch's rows: A and C fold their batch into M
/// (views), the weight is re-blocked once and not once per batch. Fails
/// (changing nothing) where `form` is no such batch or the 2-D product is
/// not rewritten either.
static LogicalResult rewriteBroadcastWeight(linalg::LinalgOp op,
                                            const Form &form, std::string &why,
                                            BlocksCache &cache,
                                            DominanceInfo &dominance) {
  auto broadcast = form.b.getDefiningOp<linalg::BroadcastOp>();
  if (!form.batched || form.aKM || !broadcast ||
      broadcast.getDimensions() != ArrayRef<int64_t>{0})
    return failure();
  // The batch times the rows must not wrap (fuzzed shapes of 2^62), and one
  // of them must be static: upstream's expand-strided-metadata crashes on
  // an expand_shape with two dynamic sizes in one group.
  auto aType = cast<RankedTensorType>(form.a.getType());
  int64_t batch = aType.getDimSize(0), rows = aType.getDimSize(1);
  if (ShapedType::isDynamic(batch) && ShapedType::isDynamic(rows))
    return failure();
  if (!ShapedType::isDynamic(batch) && !ShapedType::isDynamic(rows) &&
      rows > 0 && batch > std::numeric_limits<int64_t>::max() / rows)
    return failure();
  Operation *before = op->getPrevNode();
  OpBuilder b(op);
  Location loc = op.getLoc();
  ProductBuilder pb(b, loc);
  auto cType = cast<RankedTensorType>(form.c.getType());
  SmallVector<ReassociationIndices> batchIntoRows = {{0, 1}, {2}};
  Value a = tensor::CollapseShapeOp::create(b, loc, form.a, batchIntoRows);
  // A fill stays one (the product folds a zero fill).
  Value c = form.c.getDefiningOp<linalg::FillOp>()
                ? refill(b, loc, form.c,
                         {tensor::getMixedSize(b, loc, a, 0),
                          b.getIndexAttr(cType.getDimSize(2))})
                : tensor::CollapseShapeOp::create(b, loc, form.c, batchIntoRows)
                      .getResult();
  Value w = broadcast.getInput();
  Value flat = form.bNK ? pb.matmulNT(a, w, c) : pb.matmulNN(a, w, c);
  Value result =
      tensor::ExpandShapeOp::create(b, loc, cType, flat, batchIntoRows);
  auto matmul = flat.getDefiningOp<linalg::LinalgOp>();
  if (failed(rewrite(matmul, why, cache, dominance))) {
    // Everything made here, last first (the matmul is unchanged).
    for (Operation *o = op->getPrevNode(); o && o != before;) {
      Operation *prev = o->getPrevNode();
      o->erase();
      o = prev;
    }
    return failure();
  }
  op->getResult(0).replaceAllUsesWith(result);
  op->erase();
  eraseUnusedFill(form.c);
  if (broadcast->use_empty()) {
    // The transpose the 2-D rewrite read through was the broadcast's input.
    auto transpose = broadcast.getInput().getDefiningOp<linalg::TransposeOp>();
    eraseWithInit(broadcast, broadcast.getInit());
    if (transpose && transpose->use_empty())
      eraseWithInit(transpose, transpose.getInit());
  }
  return success();
}

/// Rewrites `op`; says why not, before changing anything, otherwise.
static LogicalResult rewrite(linalg::LinalgOp op, std::string &why,
                             BlocksCache &cache, DominanceInfo &dominance) {
  FailureOr<Form> form = formOf(op, why);
  if (failed(form))
    return failure();
  if (form->batched &&
      succeeded(rewriteBroadcastWeight(op, *form, why, cache, dominance)))
    return success();
  why.clear();
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
  // A batch of products is one product on a block-diagonal layout.
  unsigned first = form->batched ? 1 : 0;
  int64_t batch = form->batched ? layoutType.getDimSize(0) : 1;
  int64_t rows = layoutType.getDimSize(first),
          cols = layoutType.getDimSize(first + 1);
  if (batch == 0 || rows == 0 || cols == 0) {
    why = "a dimension the layout would cover is 0 (nothing to compute)";
    return failure();
  }
  int64_t bs = blockFor(rows, cols);
  if (bs == 0) {
    why = "the dimensions a layout would cover (" + std::to_string(rows) +
          " x " + std::to_string(cols) + ") are not multiples of 16";
    return failure();
  }
  // The layout lists its blocks: a bound keeps it (and the IR) small.
  if (batch > kMaxBlocks || cols / bs > kMaxBlocks ||
      rows / bs > kMaxBlocks / std::max<int64_t>(batch * (cols / bs), 1)) {
    why = "a layout of " +
          (form->batched ? std::to_string(batch) + " x " : std::string()) +
          std::to_string(rows) + " x " + std::to_string(cols) +
          " would list more than " + std::to_string(kMaxBlocks) + " blocks";
    return failure();
  }

  // Re-blocking the layout's operand moves it once per call; the product
  // reads it once per row tile. Few rows (a decoder's one token) are
  // memory-bound, and the copy would triple their traffic.
  int64_t tokens =
      weightGrad ? aType.getDimSize(first) : cType.getDimSize(first);
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
  BlockLayoutAttr layout = fullLayout(ctx, batch, rows, cols, bs);
  Value originalC = form->c;
  if (form->batched) {
    Value result = buildBatched(b, loc, *form, layout, bs);
    op->getResult(0).replaceAllUsesWith(result);
    op->erase();
    eraseUnusedFill(originalC);
    for (Operation *transpose : form->peeled)
      if (transpose->use_empty())
        eraseWithInit(transpose, transpose->getOperand(1));
    return success();
  }
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
    Value init = refill(b, loc, form->c,
                        {b.getIndexAttr(layout.getNumBlocks()),
                         b.getIndexAttr(bs), b.getIndexAttr(bs)});
    if (!init)
      init = toBlocks(b, loc, form->c, bs);
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
