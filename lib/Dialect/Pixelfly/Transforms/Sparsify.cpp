//===- Sparsify.cpp - Rewrite planned dense matmuls into pixelfly ops -----===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "Planning.h"
#include "StructuredStep.h"
#include "UpdateChain.h"

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyOps.h"
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"
#include "pixelfly/Dialect/Pixelfly/Utils/ProductBuilder.h"
#include "pixelfly/Dialect/Pixelfly/Utils/WeightData.h"
#include "pixelfly/Patterns/LowRank.h"
#include "pixelfly/Patterns/TwoFour.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <cmath>
#include <numeric>

namespace mlir::pixelfly {
#define GEN_PASS_DEF_PIXELFLYSPARSIFY
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h.inc"
} // namespace mlir::pixelfly

using namespace mlir;
using namespace mlir::pixelfly;

namespace {

/// The structured parameters that replace one weight.
struct WeightParams {
  Value blocks, u, v, values, metadata;
  /// Constant gamma of a butterfly plus low-rank plan, or a gamma operand.
  double gammaConst = 1.0;
  Value gamma;
  /// Or a per-token gate (see TrainedParams): its weight and bias.
  Value gateWeight, gateBias;
  BlockLayoutAttr layout;
};

/// A weight argument that was replaced, for the `_pack` function.
struct PackedArgument {
  unsigned originalIndex;
  Type originalType;
  /// The source is `K x N` (read transposed).
  bool transposed;
  PlanAttr plan;
  BlockLayoutAttr layout;
  int64_t n, k;
  /// A 2:4 training weight under a fixed mask: the pack function returns
  /// the mask (1 where a transposable prune keeps an entry, else 0).
  bool mask = false;
};

static SmallVector<int64_t> identity(int64_t rank) {
  SmallVector<int64_t> perm(rank);
  std::iota(perm.begin(), perm.end(), 0);
  return perm;
}

static bool isIdentity(ArrayRef<int64_t> perm) {
  return llvm::equal(perm, identity(perm.size()));
}

/// Sizes of `value` as fold results (constants or tensor.dim).
static SmallVector<OpFoldResult> sizesOf(OpBuilder &b, Location loc,
                                         Value value) {
  SmallVector<OpFoldResult> sizes;
  auto type = cast<RankedTensorType>(value.getType());
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if (type.isDynamicDim(d))
      sizes.push_back(tensor::DimOp::create(b, loc, value, d).getResult());
    else
      sizes.push_back(b.getIndexAttr(type.getDimSize(d)));
  }
  return sizes;
}

/// `value` with its dimensions permuted: result dimension i is input
/// dimension perm[i].
static Value permute(OpBuilder &b, Location loc, Value value,
                     ArrayRef<int64_t> perm) {
  if (isIdentity(perm))
    return value;
  // Undoing a transpose reads its input (torch-mlir's `dY^T` for `dY^T X`).
  if (auto transpose = value.getDefiningOp<linalg::TransposeOp>()) {
    ArrayRef<int64_t> inner = transpose.getPermutation();
    if (inner.size() == perm.size() &&
        llvm::all_of(llvm::seq<size_t>(0, perm.size()),
                     [&](size_t i) { return inner[perm[i]] == (int64_t)i; }))
      return transpose.getInput();
  }
  return ProductBuilder(b, loc).transpose(value, perm);
}

/// `value` with every entry converted by `converts` (a weight trace's
/// `arith.truncf` / `arith.extf`, the last applied first); `value` itself
/// when there are none. Parameters kept in a master weight's type are
/// converted this way to the type the products read.
static Value applyConversion(OpBuilder &b, Location loc, Value value,
                             ArrayRef<Operation *> converts) {
  if (!value)
    return value;
  for (Operation *convert : llvm::reverse(converts)) {
    Type to = getElementTypeOrSelf(convert->getResult(0).getType());
    int64_t rank = cast<RankedTensorType>(value.getType()).getRank();
    AffineMap identityMap =
        AffineMap::getMultiDimIdentityMap(rank, b.getContext());
    Value out = ProductBuilder(b, loc).empty(sizesOf(b, loc, value), to);
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    value = linalg::GenericOp::create(
                b, loc, TypeRange{out.getType()}, ValueRange{value},
                ValueRange{out},
                SmallVector<AffineMap>{identityMap, identityMap}, iterators,
                [&](OpBuilder &nb, Location nloc, ValueRange args) {
                  // The same op on one entry, its attributes (rounding
                  // mode, fastmath) kept.
                  OperationState state(nloc, convert->getName());
                  state.addOperands(args[0]);
                  state.addTypes(to);
                  state.addAttributes(convert->getAttrs());
                  Operation *entry = nb.create(state);
                  linalg::YieldOp::create(nb, nloc, entry->getResults());
                })
                .getResult(0);
  }
  return value;
}

/// `params` with `converts` applied to the tensors the products read as they
/// read the weight (not the 2:4 metadata, not gamma).
static WeightParams applyConversion(OpBuilder &b, Location loc,
                                    WeightParams params,
                                    ArrayRef<Operation *> converts) {
  for (Value *field : {&params.blocks, &params.u, &params.v, &params.values})
    *field = applyConversion(b, loc, *field, converts);
  return params;
}

/// The dimensions of `type` whose size is not 1.
static SmallVector<int64_t> nonUnitDims(RankedTensorType type) {
  SmallVector<int64_t> dims;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.getDimSize(d) != 1)
      dims.push_back(d);
  return dims;
}

/// A static tensor with two dimensions of size other than 1, as a 2-D one.
static Value dropUnitDims(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getRank() == 2)
    return value;
  SmallVector<int64_t> real = nonUnitDims(type);
  // Unit dimensions join the group of the next real one; trailing ones the
  // last group.
  SmallVector<ReassociationIndices> groups(2);
  for (int64_t d = 0; d < type.getRank(); ++d)
    groups[d <= real[0] ? 0 : 1].push_back(d);
  return tensor::CollapseShapeOp::create(b, loc, value, groups);
}

/// Collapses all leading dimensions of a tensor into one: rank r to 2. A
/// vector (a matrix-vector product has no token dimension) becomes one row.
static Value collapseTo2D(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t rank = type.getRank();
  if (rank == 2)
    return value;
  if (rank == 1)
    return tensor::ExpandShapeOp::create(
        b, loc, type.clone({1, type.getDimSize(0)}), value,
        SmallVector<ReassociationIndices>{{0, 1}});
  ReassociationIndices lead;
  for (int64_t d = 0; d + 1 < rank; ++d)
    lead.push_back(d);
  SmallVector<ReassociationIndices> reassociation = {lead, {rank - 1}};
  return tensor::CollapseShapeOp::create(b, loc, value, reassociation);
}

/// The element type of a tensor-typed value.
static Type elementTypeOf(Value v) {
  return cast<ShapedType>(v.getType()).getElementType();
}

/// The layout of a butterfly plan for an `n x k` weight, or why there is
/// none (checked first, so that materializing reports nothing).
static FailureOr<BlockLayoutAttr> layoutOf(PlanAttr plan, int64_t n, int64_t k,
                                           Location loc, std::string &reason) {
  FlatButterflyAttr pattern = plan.getPattern();
  reason = patterns::verifyFlatButterflyShape(
      {pattern.getButterflySize(), pattern.getNFactors(), pattern.getBlock(),
       pattern.getGlobalSize()},
      n, k);
  if (!reason.empty()) {
    reason = "its plan does not fit the weight: " + reason;
    return failure();
  }
  return pattern.materialize(n, k, [&] { return mlir::emitError(loc); });
}

/// The remark for a weight use no rewrite maps.
static SkipReason describeUnknownUse(const WeightUse &use) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "the weight has a use the rewrite cannot map: '" << use.op->getName()
     << "' at " << use.op->getLoc();
  return {SkipKind::Training, text};
}

/// Why the element types of `layer`'s operands and result do not fit a
/// product op (`prefix` starts the text), or an empty reason.
static SkipReason checkElementTypes(const LayerInfo &layer,
                                    const std::string &prefix = "") {
  linalg::LinalgOp op = layer.op;
  int w = layer.weightOperand;
  Type element = elementTypeOf(op.getDpsInputs()[w]);
  if (elementTypeOf(op.getDpsInputs()[1 - w]) != element)
    return {SkipKind::ElementType,
            prefix + "the activation's element type differs from the weight's"};
  Type initElement = elementTypeOf(op.getDpsInits()[0]);
  if (!initElement.isF32() && initElement != element)
    return {SkipKind::ElementType,
            prefix +
                "the result's element type is neither f32 nor the weight's"};
  return {};
}

/// Why `layer` cannot be rewritten whatever its plan, or an empty string:
/// the checks that need no plan, so that planning can leave such layers out
/// of the budget.
static SkipReason precheck(const BudgetAnalysis &analysis, size_t index,
                           ModuleOp module, StringRef mode, StringRef weights) {
  const LayerInfo &layer = analysis.getLayers()[index];
  if (!layer.skipReason.empty())
    return layer.skipReason;
  const WeightGroup *group = analysis.getWeightUses().groupOfLayer(index);
  if (SkipReason reason = checkElementTypes(layer); !reason.empty())
    return reason;
  if (layer.op->getNumResults() != 1)
    return {SkipKind::NotALayer, "not on tensors"};

  Value source = layer.weight.source;
  if (auto arg = dyn_cast<BlockArgument>(source)) {
    if (weights == "project")
      return {SkipKind::Options,
              "the weight is a function argument (weights=project)"};
    auto func = dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp());
    if (!func)
      return {SkipKind::NotALayer,
              "the weight is an argument of a function that is not a "
              "func.func"};
    if (group && group->isTraining()) {
      // The weight's uses are rewritten together or not at all. The dense
      // weight stays an argument, so callers are unaffected.
      if (const WeightUse *unknown = group->firstUnknown())
        return describeUnknownUse(*unknown);
      return {};
    }
    if (!SymbolTable::symbolKnownUseEmpty(func, module))
      return {SkipKind::NotALayer,
              "the weight is an argument of a function called in the module"};
    // An inference weight replaced by its parameters must only feed this
    // layer, through ops that only feed it.
    if (!arg.hasOneUse())
      return {SkipKind::NotALayer, "the weight argument has other uses"};
    for (Operation *chainOp : layer.weight.chain)
      if (!chainOp->getResult(0).hasOneUse())
        return {SkipKind::NotALayer, "the weight argument has other uses"};
    return {};
  }
  Attribute constant;
  if (matchPattern(source, m_Constant(&constant)) &&
      isa<ElementsAttr>(constant)) {
    if (weights == "argument")
      return {SkipKind::Options, "the weight is a constant (weights=argument)"};
    if (group && group->isTraining()) {
      if (const WeightUse *unknown = group->firstUnknown())
        return describeUnknownUse(*unknown);
      return {SkipKind::Training,
              "the constant weight has uses other than forward products"};
    }
    return {};
  }
  // A global load: its value may change at run time, or be set elsewhere.
  return {SkipKind::NotALayer,
          "the weight is a global variable (only constants and function "
          "arguments are rewritten)"};
}

class Sparsifier {
public:
  Sparsifier(ModuleOp module, const BudgetAnalysis &analysis, bool remarks,
             StringRef mode, StringRef weights)
      : module(module), analysis(analysis), remarks(remarks), mode(mode),
        weights(weights) {}

  /// Rewrites every layer with a sparse plan; leaves the others with a
  /// remark (when `reasons` says why, or the plan keeps them dense).
  void run(const llvm::DenseMap<size_t, SkipReason> &reasons);

  /// Whether the plans are the pass's own (it ran the analysis): a layer
  /// left unchanged then loses its plan again.
  bool stripPlans = false;
  /// 2:4 training steps read a mask made once by the pack function
  /// (two-four-mask=fixed) instead of pruning the weight anew.
  bool fixedTwoFourMask = false;
  /// A butterfly plus low-rank weight that becomes arguments mixes its terms
  /// with a per-token gate (gamma=gate) instead of one learned gamma.
  bool gate = false;
  llvm::DenseMap<size_t, double> errors;
  unsigned converted = 0, skipped = 0, weightsRemoved = 0;
  unsigned skippedBy[kNumSkipKinds] = {};
  int64_t bytesSaved = 0;

private:
  /// Rewrites one layer; returns why not, or an empty string.
  SkipReason rewrite(size_t index, PlanAttr plan);
  /// Projects a constant weight onto `plan`, its parameters stored as
  /// `element`.
  SkipReason projectConstant(size_t index, PlanAttr plan, ElementsAttr data,
                             Type element, bool transposed,
                             WeightParams &params, int64_t &newBytes);
  SkipReason replaceArgument(const LayerInfo &layer, PlanAttr plan,
                             bool transposed, WeightParams &params);
  SkipReason rewriteTwoFourStep(const WeightGroup &group);
  SkipReason rewriteStructuredStep(size_t index, const WeightGroup &group,
                                   PlanAttr plan);
  void buildPackFunctions();

  /// Erases `op` and then every producer of its operands that became
  /// trivially dead (the transposes and the constant of a weight, the empty
  /// tensors they wrote into). Returns whether `watched` was among them.
  /// Values defined by erased ops must not be touched afterwards.
  bool eraseDeadProducers(Operation *op, Operation *watched) {
    // Pointers of erased ops are only compared, never dereferenced; the set
    // is local because freed addresses are reused by later ops.
    llvm::SmallPtrSet<Operation *, 8> erased;
    SmallVector<Operation *> worklist = {op};
    while (!worklist.empty()) {
      Operation *next = worklist.pop_back_val();
      llvm::SetVector<Operation *> producers;
      for (Value operand : next->getOperands())
        if (Operation *def = operand.getDefiningOp())
          producers.insert(def);
      erased.insert(next);
      next->erase();
      for (Operation *def : producers)
        if (!erased.contains(def) && isOpTriviallyDead(def))
          worklist.push_back(def);
    }
    return watched && erased.contains(watched);
  }

  void leave(const LayerInfo &layer, const SkipReason &reason) {
    if (stripPlans)
      layer.op->removeAttr(kPlanAttrName);
    ++skipped;
    ++skippedBy[static_cast<unsigned>(reason.kind)];
    if (remarks)
      layer.op->emitRemark() << "pixelfly-sparsify: " << layer.name
                             << " left unchanged: " << reason.text;
  }

  ModuleOp module;
  const BudgetAnalysis &analysis;
  bool remarks;
  StringRef mode, weights;
  /// Replaced weight arguments per function, in the order they were seen.
  llvm::MapVector<Operation *, SmallVector<PackedArgument>> packed;
  /// Positions of weight arguments before any signature was changed.
  llvm::DenseMap<Value, unsigned> originalArgIndex;
  /// Layers rewritten with their weight's group, and why a group's product
  /// that stays dense does.
  llvm::DenseSet<size_t> handled;
  llvm::DenseMap<size_t, std::string> groupReasons;
  /// Projections of constant weights by (source, plan, read transposed,
  /// stored type).
  struct Projection {
    WeightParams params;
    int64_t newBytes;
    double error;
  };
  llvm::DenseMap<std::tuple<Value, Attribute, unsigned, Type>, Projection>
      projected;
};
} // namespace

void Sparsifier::run(const llvm::DenseMap<size_t, SkipReason> &reasons) {
  ArrayRef<LayerInfo> layers = analysis.getLayers();
  // Argument positions before any signature changes, for the pack functions.
  for (const LayerInfo &layer : layers)
    if (auto arg = dyn_cast_or_null<BlockArgument>(layer.weight.source))
      originalArgIndex[arg] = arg.getArgNumber();
  for (const WeightGroup &group : analysis.getWeightUses().getGroups())
    for (Value state : group.state)
      originalArgIndex[state] = cast<BlockArgument>(state).getArgNumber();
  for (auto [i, layer] : llvm::enumerate(layers)) {
    if (handled.contains(i))
      continue;
    if (auto it = groupReasons.find(i); it != groupReasons.end()) {
      leave(layer, {SkipKind::Training, it->second});
      continue;
    }
    if (layer.trainingOf >= 0) {
      leave(layer, {SkipKind::Training,
                    layer.skipReason.text + ", which stays dense"});
      continue;
    }
    auto plan = layer.op->getAttrOfType<PlanAttr>(kPlanAttrName);
    if (!plan || plan.getStructure() == Structure::Dense) {
      SkipReason reason;
      if (auto it = reasons.find(i); it != reasons.end())
        reason = it->second;
      else if (!layer.skipReason.empty())
        reason = layer.skipReason;
      else if (plan)
        reason = {SkipKind::KeptDense, "the plan keeps it dense"};
      else
        reason = {SkipKind::Budget, "no plan (budget exhausted)"};
      leave(layer, reason);
      continue;
    }
    SkipReason reason = rewrite(i, plan);
    if (!reason.empty()) {
      leave(layer, reason);
      continue;
    }
    ++converted;
  }
  buildPackFunctions();
}

/// How a layer's operands map to the operands of a product op: the
/// permutations that bring the activation to `M x K` order and the
/// destination to `M x N` order, and the weight source's dimensions of the
/// output and the input features.
struct ProductForm {
  SmallVector<int64_t> actPerm, initPerm;
  int64_t sn = -1, sk = -1;
};

static FailureOr<ProductForm> formOf(const LayerInfo &layer,
                                     std::string &reason) {
  linalg::LinalgOp op = layer.op;
  int w = layer.weightOperand;

  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  AffineMap actMap = maps[1 - w], initMap = maps[2];
  // Token dimensions in the order the result has them.
  SmallVector<unsigned> mDims;
  for (unsigned r = 0; r < initMap.getNumResults(); ++r)
    if (initMap.getDimPosition(r) != layer.nDim)
      mDims.push_back(initMap.getDimPosition(r));
  if (actMap.getNumResults() != mDims.size() + 1) {
    reason = "the activation is not indexed by the tokens and the reduction "
             "alone";
    return failure();
  }
  auto positionIn = [](AffineMap map, unsigned dim) -> std::optional<int64_t> {
    for (unsigned r = 0; r < map.getNumResults(); ++r)
      if (map.getDimPosition(r) == dim)
        return r;
    return std::nullopt;
  };
  ProductForm form;
  SmallVector<int64_t> &actPerm = form.actPerm, &initPerm = form.initPerm;
  for (unsigned d : mDims) {
    std::optional<int64_t> a = positionIn(actMap, d);
    if (!a) {
      reason = "the activation is not indexed by every token dimension";
      return failure();
    }
    actPerm.push_back(*a);
    initPerm.push_back(*positionIn(initMap, d));
  }
  actPerm.push_back(*positionIn(actMap, layer.kDim));
  initPerm.push_back(*positionIn(initMap, layer.nDim));

  // How the weight's source is laid out: `N x K` or `K x N`.
  const WeightTrace &trace = layer.weight;
  AffineMap weightMap = maps[w];
  form.sn = trace.sourceDims[*positionIn(weightMap, layer.nDim)];
  form.sk = trace.sourceDims[*positionIn(weightMap, layer.kDim)];
  return form;
}

/// Replaces the contraction of `layer` by the product op of `structure` on
/// `params`, with the activation and the destination brought to the op's
/// order and the result back to the contraction's.
/// Builds a product op from the `M x K` activation (or `M x N` output
/// gradient) and the 2-D destination; returns its result.
using ProductBuilderFn =
    llvm::function_ref<Value(OpBuilder &, Location, Type, Value, Value)>;

static void emitProduct(const LayerInfo &layer, const ProductForm &form,
                        ProductBuilderFn build) {
  linalg::LinalgOp op = layer.op;
  int w = layer.weightOperand;
  Value activation = op.getDpsInputs()[1 - w];
  Value init = op.getDpsInits()[0];
  ArrayRef<int64_t> actPerm = form.actPerm, initPerm = form.initPerm;
  OpBuilder b(op);
  Location loc = op.getLoc();
  // Bring the activation to M x K and the destination to M x N.
  Value x = collapseTo2D(b, loc, permute(b, loc, activation, actPerm));
  Value permutedInit = permute(b, loc, init, initPerm);
  Value init2D = collapseTo2D(b, loc, permutedInit);
  Type resultType = init2D.getType();

  Value result = build(b, loc, resultType, x, init2D);

  // Back to the contraction's result shape and order.
  if (cast<ShapedType>(permutedInit.getType()).getRank() == 1) {
    result = tensor::CollapseShapeOp::create(
        b, loc, result, SmallVector<ReassociationIndices>{{0, 1}});
  } else if (permutedInit != init2D) {
    SmallVector<ReassociationIndices> reassociation;
    int64_t rank = cast<ShapedType>(permutedInit.getType()).getRank();
    ReassociationIndices lead;
    for (int64_t d = 0; d + 1 < rank; ++d)
      lead.push_back(d);
    reassociation = {lead, {rank - 1}};
    result = tensor::ExpandShapeOp::create(
        b, loc, permutedInit.getType(), result, reassociation,
        sizesOf(b, loc, permutedInit));
  }
  SmallVector<int64_t> inverse(initPerm.size());
  for (auto [i, p] : llvm::enumerate(initPerm))
    inverse[p] = i;
  result = permute(b, loc, result, inverse);

  op->getResult(0).replaceAllUsesWith(result);
}

namespace {
/// `input * factor` (`X V` or `dY U`) for the products of a training step
/// that read it: the forward or input-gradient `pixelfly.linear` and the
/// parameters' gradients. Built once, where its first reader is; a reader
/// of another value, or one the product does not dominate, gets none.
class SharedFactorProduct {
public:
  SharedFactorProduct() = default;
  SharedFactorProduct(Value input, Value factor)
      : input(input), factor(factor) {}

  /// The product for a reader of `value` at `b`'s insertion point.
  Value readBy(OpBuilder &b, Location loc, Value value) {
    if (!input || value != input)
      return Value();
    if (!product) {
      product = buildFactorProduct(b, loc, input, factor);
      return product;
    }
    if (b.getInsertionPoint() == b.getInsertionBlock()->end() ||
        !DominanceInfo().properlyDominates(product, &*b.getInsertionPoint()))
      return Value();
    return product;
  }

private:
  Value input, factor, product;
};
} // namespace

/// The product of `structure` on `params` in place of `layer`. A gated
/// layer's per-token gamma is returned in `gateOut` when given; `xv`, when
/// given, is the `X V` a `pixelfly.linear` or a low-rank product shares with
/// the gradients.
static void emitProduct(const LayerInfo &layer, const ProductForm &form,
                        Structure structure, const WeightParams &params,
                        Value *gateOut = nullptr,
                        SharedFactorProduct *xv = nullptr) {
  auto build = [&](OpBuilder &b, Location loc, Type resultType, Value x,
                   Value init2D) -> Value {
    switch (structure) {
    case Structure::Butterfly:
      if (params.u) {
        Value gamma = params.gamma;
        if (params.gateWeight)
          gamma = buildGate(b, loc, x, params.gateWeight, params.gateBias);
        if (gateOut)
          *gateOut = gamma;
        return LinearOp::create(b, loc, resultType, x, params.blocks, params.u,
                                params.v, xv ? xv->readBy(b, loc, x) : Value(),
                                gamma, init2D, params.layout,
                                gamma ? FloatAttr()
                                      : b.getF64FloatAttr(params.gammaConst))
            .getResult();
      }
      return BlockSparseMatmulOp::create(b, loc, resultType, x, params.blocks,
                                         init2D, params.layout)
          .getResult();
    case Structure::LowRank:
      // In a training step X V is shared with the factors' gradients.
      if (Value t = xv ? xv->readBy(b, loc, x) : Value())
        return buildFactorPanel(b, loc, t, params.u, init2D);
      return LowRankMatmulOp::create(b, loc, resultType, x, params.u, params.v,
                                     init2D)
          .getResult();
    case Structure::TwoFour:
      return TwoFourMatmulOp::create(b, loc, resultType, x, params.values,
                                     params.metadata, init2D)
          .getResult();
    case Structure::Dense:
      break;
    }
    llvm_unreachable("dense plans are not rewritten");
  };
  emitProduct(layer, form, build);
}

/// A forward or input-gradient product of a training step's weight, read
/// for its rewrite.
struct GroupProduct {
  size_t layer;
  ProductForm form;
  WeightUseKind kind;
};

/// The forward and input-gradient products of `group`, each checked (element
/// types, form) before anything changes; fails with the first reason. Every
/// product reads the weight in one element type: `converts` are set to the
/// conversions from the weight's (the first product's trace; none when the
/// types are the same).
static FailureOr<SmallVector<GroupProduct>>
groupProducts(ArrayRef<LayerInfo> layers, const WeightGroup &group,
              SmallVector<Operation *> &converts, SkipReason &reason) {
  SmallVector<GroupProduct> products;
  converts.clear();
  Type read;
  for (const WeightUse &use : group.uses) {
    if (use.kind != WeightUseKind::Forward &&
        use.kind != WeightUseKind::InputGrad)
      continue;
    const LayerInfo &layer = layers[use.layer];
    reason = checkElementTypes(layer, layer.name + ": ");
    if (!reason.empty())
      return failure();
    if (read && layer.elementType != read) {
      reason = {SkipKind::ElementType,
                layer.name + ": the products read the weight in different "
                             "element types"};
      return failure();
    }
    if (!read)
      converts = layer.weight.converts;
    read = layer.elementType;
    std::string formError;
    FailureOr<ProductForm> form = formOf(layer, formError);
    if (failed(form)) {
      reason = {SkipKind::NotALayer, layer.name + ": " + formError};
      return failure();
    }
    products.push_back({static_cast<size_t>(use.layer), *form, use.kind});
  }
  return products;
}

SkipReason Sparsifier::rewrite(size_t index, PlanAttr plan) {
  const LayerInfo &layer = analysis.getLayers()[index];
  if (SkipReason reason = precheck(analysis, index, module, mode, weights);
      !reason.empty())
    return reason;
  Structure structure = plan.getStructure();
  if (mode == "2:4" && structure != Structure::TwoFour)
    return {SkipKind::Options, "plan is " +
                                   stringifyStructure(structure).str() +
                                   ", not 2:4 (mode=2:4)"};
  if (mode == "butterfly" && structure == Structure::TwoFour)
    return {SkipKind::Options, "plan is 2:4 (mode=butterfly)"};
  if (const WeightGroup *group = analysis.getWeightUses().groupOfLayer(index);
      group && group->isTraining()) {
    if (structure == Structure::TwoFour)
      return rewriteTwoFourStep(*group);
    return rewriteStructuredStep(index, *group, plan);
  }

  std::string formError;
  FailureOr<ProductForm> form = formOf(layer, formError);
  if (failed(form))
    return {SkipKind::NotALayer, formError};
  linalg::LinalgOp op = layer.op;
  const WeightTrace &trace = layer.weight;
  int64_t sn = form->sn, sk = form->sk;
  // The source may carry unit dimensions around its two real ones.
  auto sourceType = dyn_cast<RankedTensorType>(trace.source.getType());
  if (!sourceType || !sourceType.hasStaticShape() || sn < 0 || sk < 0 ||
      sn == sk || nonUnitDims(sourceType).size() != 2)
    return {SkipKind::NotALayer, "the weight is not a 2-D tensor"};
  // A rank beyond min(N, K) adds nothing, and its factors would not fit.
  int64_t minSide = std::min(layer.shape.n, layer.shape.k);
  if (plan.getRank() > minSide)
    return {SkipKind::Shape,
            "plan rank " + std::to_string(plan.getRank()) +
                " exceeds min(N, K) = " + std::to_string(minSide)};
  bool transposed = sn > sk;

  WeightParams params;
  int64_t newBytes = 0;
  Attribute constant;
  SkipReason reason;
  bool isArgument = isa<BlockArgument>(trace.source);
  // The conversions the product applies to the weight, applied to the
  // parameters below.
  ArrayRef<Operation *> converts = trace.converts;
  // precheck() leaves constants and arguments only.
  if (isArgument)
    reason = replaceArgument(layer, plan, transposed, params);
  else if (matchPattern(trace.source, m_Constant(&constant))) {
    // One plain conversion (rounding to nearest even, as the projection
    // stores values) is folded: the parameters are stored as the product
    // reads them, with no conversion kernel at run time.
    Type element = elementTypeOf(trace.source);
    if (converts.size() == 1 && converts.front()->getAttrs().empty()) {
      element = layer.elementType;
      converts = {};
    }
    // A constant read by several layers (tied weights) is projected once.
    auto key = std::make_tuple(trace.source, Attribute(plan),
                               static_cast<unsigned>(transposed), element);
    if (auto it = projected.find(key); it != projected.end()) {
      params = it->second.params;
      newBytes = it->second.newBytes;
      errors[index] = it->second.error;
    } else {
      reason = projectConstant(index, plan, cast<ElementsAttr>(constant),
                               element, transposed, params, newBytes);
      if (reason.empty())
        projected[key] = {params, newBytes, errors.lookup(index)};
    }
  }
  if (!reason.empty())
    return reason;

  // Parameters of a master weight's type are converted as the product
  // converted the weight.
  OpBuilder b(op);
  emitProduct(layer, *form, plan.getStructure(),
              applyConversion(b, op->getLoc(), params, converts));
  // Read the weight's source before erasing: its defining op may go.
  Operation *source = trace.source.getDefiningOp();
  auto arg = dyn_cast<BlockArgument>(trace.source);
  // The dense weight and what only moved it around are dead now.
  if (eraseDeadProducers(op, source) && constant) {
    bytesSaved += getElementsDataBytes(cast<ElementsAttr>(constant)) - newBytes;
    ++weightsRemoved;
  }
  if (arg && arg.use_empty()) {
    auto func = cast<FunctionOpInterface>(arg.getOwner()->getParentOp());
    (void)func.eraseArgument(arg.getArgNumber());
  }
  return {};
}

/// `pixelfly.prune_2_4 transposable` of the 2-D `w` (`rows x cols`): the
/// compressed `W` and `W^T`, values and metadata.
static Prune24Op buildTransposablePrune(OpBuilder &b, Location loc, Value w) {
  auto type = cast<RankedTensorType>(w.getType());
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  Type element = type.getElementType();
  Type i16 = b.getI16Type();
  SmallVector<Type> types = {RankedTensorType::get({rows, cols / 2}, element),
                             RankedTensorType::get({rows, cols / 16}, i16),
                             RankedTensorType::get({cols, rows / 2}, element),
                             RankedTensorType::get({cols, rows / 16}, i16)};
  SmallVector<Value> empties;
  for (Type t : types) {
    auto tensorType = cast<RankedTensorType>(t);
    empties.push_back(tensor::EmptyOp::create(b, loc, tensorType.getShape(),
                                              tensorType.getElementType()));
  }
  return Prune24Op::create(b, loc, types, w, empties, /*transposable=*/true);
}

SkipReason Sparsifier::rewriteTwoFourStep(const WeightGroup &group) {
  ArrayRef<LayerInfo> layers = analysis.getLayers();
  Value weight = group.weight;
  auto type = dyn_cast<RankedTensorType>(weight.getType());
  if (!type || !type.hasStaticShape() || nonUnitDims(type).size() != 2)
    return {SkipKind::NotALayer, "the weight is not a 2-D tensor"};
  SmallVector<int64_t> real = nonUnitDims(type);
  int64_t rows = type.getDimSize(real[0]), cols = type.getDimSize(real[1]);
  // The input gradient reads W^T, which only the transposable mask keeps
  // 2:4; the mask is the same for every product.
  if (std::string error = patterns::verifyTwoFourShape(
          rows, cols, /*transposable=*/true, /*compressed=*/true,
          /*withTranspose=*/true);
      !error.empty())
    return {SkipKind::Shape, error};

  // Every product is checked before anything changes.
  Type element = type.getElementType();
  SkipReason productError;
  SmallVector<Operation *> converts;
  FailureOr<SmallVector<GroupProduct>> products =
      groupProducts(layers, group, converts, productError);
  if (failed(products))
    return productError;

  // A fixed mask is an argument after the weight: the signature changes.
  auto arg = dyn_cast<BlockArgument>(weight);
  func::FuncOp func;
  if (fixedTwoFourMask) {
    func = arg ? dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp())
               : func::FuncOp();
    if (!func || !SymbolTable::symbolKnownUseEmpty(func, module))
      return {SkipKind::NotALayer,
              "a fixed 2:4 mask (two-four-mask=fixed) is an argument, and the "
              "weight is not an argument of a function that is not called "
              "in the module"};
    if (type.getRank() != 2)
      return {SkipKind::NotALayer,
              "a fixed 2:4 mask (two-four-mask=fixed) takes a 2-D weight"};
  }

  // One transposable prune per step, where the weight is defined: the
  // optimizer keeps updating the dense weight, the products read its 2:4
  // projection (and the weight gradient stays dense: straight-through).
  OpBuilder b(module.getContext());
  if (arg)
    b.setInsertionPointToStart(arg.getOwner());
  else
    b.setInsertionPointAfter(weight.getDefiningOp());
  Location loc = weight.getLoc();
  Value dense = dropUnitDims(b, loc, weight);
  if (fixedTwoFourMask) {
    // Masked, the weight has at most two entries per group of four along
    // both dimensions on the mask's places: the prune keeps those (ties
    // only among zeros, which change no product).
    (void)func.insertArgument(arg.getArgNumber() + 1, type, {}, arg.getLoc());
    Value mask = func.getArgument(arg.getArgNumber() + 1);
    Value empty = tensor::EmptyOp::create(b, loc, type.getShape(), element);
    dense = linalg::MulOp::create(b, loc, ValueRange{dense, mask},
                                  ValueRange{empty})
                .getResult(0);
    packed[func].push_back({originalArgIndex.lookup(arg), type, false,
                            PlanAttr(), BlockLayoutAttr(), rows, cols,
                            /*mask=*/true});
  }
  // A master weight is pruned in the type the products read it.
  Prune24Op prune =
      buildTransposablePrune(b, loc, applyConversion(b, loc, dense, converts));

  for (const GroupProduct &product : *products) {
    const LayerInfo &layer = layers[product.layer];
    const ProductForm &form = product.form;
    // The product's output features are the weight's rows (it reads W) or
    // its columns (it reads W^T).
    unsigned first = form.sn == real[0] ? 0 : 2;
    WeightParams params;
    params.values = prune.getResult(first);
    params.metadata = prune.getResult(first + 1);
    emitProduct(layer, form, Structure::TwoFour, params);
    eraseDeadProducers(layer.op, nullptr);
    handled.insert(product.layer);
  }
  // rewrite()'s caller counts the layer it was called for.
  converted += products->size() - 1;
  for (const WeightUse &use : group.gradientUses)
    if (use.kind == WeightUseKind::WeightGrad && use.layer >= 0)
      groupReasons[use.layer] =
          "the weight gradient of " + layers[products->front().layer].name +
          " stays dense (2:4 training is straight-through: dW = dY^T X on "
          "the dense operands)";
  return {};
}

/// The weight-gradient product `dW = dY^T X` in the operands a
/// block_sparse_weight_grad takes.
struct GradientForm {
  /// `M x N` and `M x K`, tokens first.
  Value dy, x;
  /// The product's result is `N x K` (else `K x N`).
  bool nk = true;
  /// The output gradient as the product reads it, and whether `dy` is its
  /// transpose.
  Value readDy;
  bool dyTransposed = false;
};

/// Reads `product` as `dY^T X` with `x` the forward activation and the
/// result `N x K` (`nk`) or `K x N`; fails with a reason, before changing
/// anything, otherwise. The transposes it needs are built before `at`.
static FailureOr<GradientForm> gradientFormOf(linalg::LinalgOp product,
                                              Value activation, bool nk,
                                              Operation *at,
                                              std::string &reason) {
  SmallVector<unsigned> reductions;
  product.getReductionDims(reductions);
  if (product.getNumDpsInputs() != 2 || reductions.size() != 1 ||
      product->getNumResults() != 1) {
    reason = "the weight gradient is not a product over one token dimension";
    return failure();
  }
  unsigned m = reductions.front();
  SmallVector<AffineMap> maps = product.getIndexingMapsArray();
  for (AffineMap map : maps)
    if (map.getNumResults() != 2 || !map.isProjectedPermutation()) {
      reason = "the weight gradient's operands are not 2-D";
      return failure();
    }
  int xi = product.getDpsInputs()[0] == activation ? 0 : 1;
  if (product.getDpsInputs()[xi] != activation) {
    reason = "the weight gradient does not read the forward activation as it "
             "is";
    return failure();
  }
  AffineMap xMap = maps[xi], dyMap = maps[1 - xi], outMap = maps[2];
  unsigned k = xMap.getDimPosition(0) == m ? xMap.getDimPosition(1)
                                           : xMap.getDimPosition(0);
  unsigned n = dyMap.getDimPosition(0) == m ? dyMap.getDimPosition(1)
                                            : dyMap.getDimPosition(0);
  if (!xMap.isFunctionOfDim(m) || !dyMap.isFunctionOfDim(m) || k == n) {
    reason = "the weight gradient does not contract the tokens";
    return failure();
  }
  if ((outMap.getDimPosition(0) == n) != nk) {
    reason = "the weight gradient is laid out unlike the weight";
    return failure();
  }
  OpBuilder b(at);
  Location loc = product.getLoc();
  GradientForm form;
  form.x = xMap.getDimPosition(0) == m
               ? product.getDpsInputs()[xi]
               : permute(b, loc, product.getDpsInputs()[xi], {1, 0});
  form.readDy = product.getDpsInputs()[1 - xi];
  form.dyTransposed = dyMap.getDimPosition(0) != m;
  form.dy =
      form.dyTransposed ? permute(b, loc, form.readDy, {1, 0}) : form.readDy;
  form.nk = nk;
  return form;
}

/// `value` with 2-D transposes stripped; `transposed` flips with each.
static Value sourceOf(Value value, bool &transposed) {
  while (auto op = value.getDefiningOp<linalg::TransposeOp>()) {
    if (op.getPermutation().size() != 2)
      break;
    value = op.getInput();
    transposed = !transposed;
  }
  return value;
}

/// Whether `value` is all zeros (a zero fill or a zero splat).
static bool isZeroTensor(Value value) {
  if (auto fill = value.getDefiningOp<linalg::FillOp>())
    return matchPattern(fill.getInputs()[0], m_AnyZeroFloat());
  return matchPattern(value, m_AnyZeroFloat());
}

SkipReason Sparsifier::rewriteStructuredStep(size_t index,
                                             const WeightGroup &group,
                                             PlanAttr plan) {
  ArrayRef<LayerInfo> layers = analysis.getLayers();
  const LayerInfo &forward = layers[index];
  auto arg = dyn_cast<BlockArgument>(group.weight);
  if (!arg)
    return {SkipKind::NotALayer,
            "the weight of a training step is not a function argument"};
  auto func = cast<func::FuncOp>(arg.getOwner()->getParentOp());
  if (!SymbolTable::symbolKnownUseEmpty(func, module))
    return {SkipKind::NotALayer,
            "the weight is an argument of a function called in the module "
            "(its parameters would change the signature)"};
  auto type = dyn_cast<RankedTensorType>(arg.getType());
  if (!type || type.getRank() != 2 || !type.hasStaticShape())
    return {SkipKind::NotALayer, "the weight is not a 2-D tensor"};
  int64_t n = forward.shape.n, k = forward.shape.k;
  bool transposed = type.getDimSize(0) != n || type.getDimSize(1) != k;
  std::string reason;
  int64_t rank = plan.getRank();
  if (rank > std::min(n, k))
    return {SkipKind::Shape,
            "plan rank " + std::to_string(rank) +
                " exceeds min(N, K) = " + std::to_string(std::min(n, k))};
  bool butterfly = plan.getStructure() == Structure::Butterfly;
  BlockLayoutAttr layout;
  if (butterfly) {
    FailureOr<BlockLayoutAttr> materialized =
        layoutOf(plan, n, k, forward.op->getLoc(), reason);
    if (failed(materialized))
      return {SkipKind::Shape, reason};
    layout = *materialized;
  }

  // Every product and the weight gradient, checked before anything changes.
  SkipReason productError;
  SmallVector<Operation *> converts;
  FailureOr<SmallVector<GroupProduct>> products =
      groupProducts(layers, group, converts, productError);
  if (failed(products))
    return productError;
  // What the products read: the weight's type, or a master weight's
  // conversion (the parameters are then converted the same way).
  Type element =
      converts.empty()
          ? type.getElementType()
          : getElementTypeOrSelf(converts.front()->getResult(0).getType());
  llvm::DenseSet<Operation *> skip;
  for (const GroupProduct &product : *products)
    skip.insert(layers[product.layer].op);
  const WeightUse *gradient = nullptr;
  for (const WeightUse &use : group.gradientUses)
    if (use.kind == WeightUseKind::WeightGrad)
      gradient = &use;
  bool updated = group.has(WeightUseKind::Elementwise) ||
                 group.has(WeightUseKind::Reduction);
  if (updated && !gradient)
    return {SkipKind::Training,
            "the weight is updated but its gradient product was not "
            "identified (" +
                group.gradientNote + ")"};
  std::optional<GradientForm> gradientForm;
  SmallVector<Value> roots = {arg};
  if (gradient) {
    auto product = cast<linalg::LinalgOp>(gradient->op);
    if (!isZeroTensor(product.getDpsInits()[0]))
      return {SkipKind::Training,
              "the weight gradient accumulates into a value that is not zero"};
    if (elementTypeOf(product.getDpsInputs()[0]) != element ||
        elementTypeOf(product.getDpsInputs()[1]) != element)
      return {SkipKind::ElementType,
              "the weight gradient's operands differ from the element type "
              "the products read the weight in"};
    roots.push_back(product->getResult(0));
    skip.insert(product);
  }
  FailureOr<UpdateChain> chain =
      collectUpdateChain(roots, type.getShape(), skip, reason);
  if (failed(chain))
    return {SkipKind::Training, reason};
  // The dense weight and state go: their shape queries become constants.
  SmallVector<Value> removed = {arg};
  removed.append(chain->state.begin(), chain->state.end());
  for (Value value : removed)
    for (Operation *user : value.getUsers())
      if (auto dim = dyn_cast<tensor::DimOp>(user);
          dim && !dim.getConstantIndex())
        return {SkipKind::Training, "the shape of the weight or its state is "
                                    "queried with an index that is not a "
                                    "constant"};
  // A gated layer's gradients all read the forward's gate and the output
  // gradient: one forward product, the weight gradient and at most one
  // input gradient, in one block after the forward (which the plan on the
  // group's first product and the update chain imply today; checked so
  // that a change there cannot break dominance); the gate's backward is
  // built before the first of the gradients.
  bool gated = gate && butterfly && rank > 0;
  Operation *gradientSite = gradient ? gradient->op : nullptr;
  const GroupProduct *gatedInputGrad = nullptr;
  if (gated) {
    const GroupProduct *gatedForward = nullptr;
    unsigned forwards = 0, inputGrads = 0;
    for (const GroupProduct &product : *products) {
      if (product.kind == WeightUseKind::Forward) {
        ++forwards;
        gatedForward = &product;
      } else {
        ++inputGrads;
        gatedInputGrad = &product;
      }
    }
    if (forwards != 1 || inputGrads > 1 || !gradient)
      return {SkipKind::Training,
              "a gated gamma is trained from one forward product, the weight "
              "gradient and at most one input gradient (found " +
                  std::to_string(forwards) + " forward, " +
                  std::to_string(inputGrads) + " input-gradient and " +
                  std::to_string(gradient ? 1 : 0) +
                  " weight-gradient products)"};
    Operation *forwardOp = layers[gatedForward->layer].op;
    SmallVector<Operation *> backward = {gradient->op};
    if (gatedInputGrad)
      backward.push_back(layers[gatedInputGrad->layer].op);
    for (Operation *op : backward)
      if (op->getBlock() != forwardOp->getBlock() ||
          !forwardOp->isBeforeInBlock(op))
        return {SkipKind::Training,
                "a gated gamma needs the forward product before its "
                "gradients, in one block"};
    if (gatedInputGrad && backward[1]->isBeforeInBlock(gradient->op))
      gradientSite = backward[1];
  }
  if (gradient) {
    // Last check: reading the product may add the transposes it needs.
    auto product = cast<linalg::LinalgOp>(gradient->op);
    linalg::LinalgOp forwardOp = forward.op;
    Value activation = forwardOp.getDpsInputs()[1 - forward.weightOperand];
    FailureOr<GradientForm> form =
        gradientFormOf(product, activation, !transposed, gradientSite, reason);
    if (failed(form))
      return {SkipKind::Training, reason};
    gradientForm = *form;
  }
  // The gate's term of dX needs the dY the weight gradient reads. The
  // analysis pairs them today; checked so that a change there cannot give
  // wrong gradients.
  if (gatedInputGrad) {
    const LayerInfo &layer = layers[gatedInputGrad->layer];
    linalg::LinalgOp op = layer.op;
    bool inputTransposed = !isIdentity(gatedInputGrad->form.actPerm);
    bool weightTransposed = gradientForm->dyTransposed;
    if (sourceOf(op.getDpsInputs()[1 - layer.weightOperand], inputTransposed) !=
            sourceOf(gradientForm->readDy, weightTransposed) ||
        inputTransposed != weightTransposed) {
      for (Value built : {gradientForm->dy, gradientForm->x})
        if (Operation *def = built.getDefiningOp(); def && built.use_empty())
          eraseDeadProducers(def, nullptr);
      return {SkipKind::Training,
              layer.name + ": a gated gamma needs the input gradient to read "
                           "the output gradient the weight gradient reads"};
    }
  }

  // The parameters take the weight's place, in the order blocks, U, V,
  // gamma (a 0-d tensor, so that the optimizer updates it as it does the
  // others); each state argument is instantiated once per parameter.
  TrainedParams params;
  params.layout = layout;
  SmallVector<ChainTarget> targets;
  // Which field of `params` each target's parameter is, in target order.
  SmallVector<Value *> fields;
  auto addTarget = [&](ArrayRef<int64_t> shape, Value &field) {
    targets.push_back({llvm::to_vector(shape), {}});
    fields.push_back(&field);
  };
  if (butterfly)
    addTarget(
        {layout.getNumBlocks(), layout.getBlockRows(), layout.getBlockCols()},
        params.blocks);
  if (rank > 0) {
    addTarget({n, rank}, params.u);
    addTarget({k, rank}, params.v);
  }
  if (butterfly && rank > 0 && gated) {
    addTarget({k}, params.gateWeight);
    addTarget({}, params.gateBias);
  } else if (butterfly && rank > 0) {
    addTarget({}, params.gamma);
  }
  auto replace = [&](BlockArgument dense) {
    Type denseElement = cast<ShapedType>(dense.getType()).getElementType();
    SmallVector<Type> types;
    for (const ChainTarget &target : targets)
      types.push_back(RankedTensorType::get(target.shape, denseElement));
    unsigned position = dense.getArgNumber();
    SmallVector<unsigned> indices(types.size(), position);
    SmallVector<DictionaryAttr> attrs(types.size(), DictionaryAttr());
    SmallVector<Location> locs(types.size(), dense.getLoc());
    (void)func.insertArguments(indices, types, attrs, locs);
    for (auto [target, value] : llvm::zip_equal(
             targets, func.getArguments().slice(position, types.size())))
      target.mapping.map(dense, value);
    packed[func].push_back({originalArgIndex.lookup(dense), dense.getType(),
                            transposed, plan, layout, n, k});
  };
  replace(arg);
  for (BlockArgument state : chain->state)
    replace(state);
  for (auto [target, field] : llvm::zip_equal(targets, fields))
    *field = target.mapping.lookup(arg);
  // The products read the parameters as they read the weight: a master
  // weight's are converted once, at the start of the step; the optimizer
  // updates them in their own type.
  OpBuilder start = OpBuilder::atBlockBegin(&func.getBody().front());
  TrainedParams read = params;
  for (Value *field : {&read.blocks, &read.u, &read.v})
    *field = applyConversion(start, arg.getLoc(), *field, converts);
  WeightParams forwardParams;
  forwardParams.blocks = read.blocks;
  forwardParams.layout = layout;
  forwardParams.u = read.u;
  forwardParams.v = read.v;
  if (params.gamma)
    forwardParams.gamma = tensor::ExtractOp::create(start, arg.getLoc(),
                                                    params.gamma, ValueRange{});
  forwardParams.gateWeight = params.gateWeight;
  forwardParams.gateBias = params.gateBias;

  // X V and dY U, which the parameters' gradients read, are computed once
  // for them and the products (each pixelfly.linear would compute its own
  // inside, reading X or dY once more).
  SharedFactorProduct xv, dyu;
  if (gradient && read.u) {
    xv = SharedFactorProduct(gradientForm->x, read.v);
    dyu = SharedFactorProduct(gradientForm->dy, read.u);
  }
  // The forward products first: a gated layer's gradients read its gate.
  Value gateGamma;
  for (const GroupProduct &product : *products) {
    if (product.kind != WeightUseKind::Forward)
      continue;
    emitProduct(layers[product.layer], product.form, plan.getStructure(),
                forwardParams, &gateGamma, &xv);
    handled.insert(product.layer);
  }
  std::optional<GateBackward> gateBackward;
  if (gated) {
    OpBuilder b(gradientSite);
    Location loc = gradient->op->getLoc();
    gateBackward =
        buildGateBackward(b, loc, read, gateGamma, gradientForm->dy,
                          gradientForm->x, xv.readBy(b, loc, gradientForm->x));
  } else if (gradient && llvm::any_of(*products, [&](const GroupProduct &p) {
               Operation *op = layers[p.layer].op;
               return p.kind != WeightUseKind::Forward &&
                      op->getBlock() == gradient->op->getBlock() &&
                      gradient->op->isBeforeInBlock(op);
             })) {
    // The weight gradient comes first (as JAX orders them): dY U is built
    // there, for the input gradients after it.
    OpBuilder b(gradientSite);
    (void)dyu.readBy(b, gradient->op->getLoc(), gradientForm->dy);
  }
  for (const GroupProduct &product : *products) {
    if (product.kind == WeightUseKind::Forward)
      continue;
    emitProduct(layers[product.layer], product.form,
                [&](OpBuilder &b, Location loc, Type resultType, Value dy,
                    Value init) -> Value {
                  if (!gateBackward)
                    return buildInputGradient(
                        b, loc, read, dy,
                        [&] { return dyu.readBy(b, loc, dy); }, init,
                        resultType);
                  Value result = buildGatedInputGradient(
                      b, loc, read, *gateBackward, init, resultType);
                  // The gate's backward read dY already.
                  if (Operation *def = dy.getDefiningOp();
                      def && dy.use_empty())
                    eraseDeadProducers(def, nullptr);
                  return result;
                });
    handled.insert(product.layer);
  }
  if (gradient) {
    Operation *product = gradient->op;
    OpBuilder b(product);
    Location loc = product->getLoc();
    Type gradElement = getElementTypeOrSelf(product->getResult(0).getType());
    SmallVector<Value> grads;
    if (gateBackward) {
      grads = buildGatedParameterGradients(b, loc, read, *gateBackward,
                                           gradientForm->dy, gradientForm->x,
                                           gradElement);
    } else {
      // X V before dY U, where they are built here.
      Value sharedXv = xv.readBy(b, loc, gradientForm->x);
      Value sharedDyu = dyu.readBy(b, loc, gradientForm->dy);
      grads = buildParameterGradients(b, loc, read, gradientForm->dy,
                                      gradientForm->x, sharedXv, sharedDyu,
                                      gradElement);
    }
    for (auto [target, grad] : llvm::zip_equal(targets, grads))
      target.mapping.map(product->getResult(0), grad);
    if (gradient->layer >= 0)
      handled.insert(gradient->layer);
  }
  rebuildUpdateChain(*chain, targets);

  // The dense computation is dead now: the update, the products, the
  // weight gradient, then the dense weight and state arguments.
  for (Operation *op : llvm::reverse(chain->ops))
    op->erase();
  for (const GroupProduct &product : *products)
    eraseDeadProducers(layers[product.layer].op, nullptr);
  if (gradient)
    eraseDeadProducers(gradient->op, nullptr);
  for (Value value : removed)
    for (Operation *user : llvm::make_early_inc_range(value.getUsers()))
      if (auto dim = dyn_cast<tensor::DimOp>(user)) {
        std::optional<int64_t> index = dim.getConstantIndex();
        if (!index)
          continue;
        OpBuilder b(dim);
        dim.replaceAllUsesWith(
            arith::ConstantIndexOp::create(
                b, dim.getLoc(),
                cast<ShapedType>(value.getType()).getDimSize(*index))
                .getResult());
        dim.erase();
      }
  // Empty tensors and splats the old update read, now unused.
  for (Operation &op : llvm::make_early_inc_range(func.getBody().front()))
    if (isa<tensor::EmptyOp, arith::ConstantOp>(op) && op.use_empty())
      op.erase();
  for (BlockArgument state : llvm::reverse(chain->state))
    (void)func.eraseArgument(state.getArgNumber());
  (void)func.eraseArgument(arg.getArgNumber());
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  func.setFunctionType(FunctionType::get(
      module.getContext(), func.getArgumentTypes(), ret.getOperandTypes()));
  // rewrite()'s caller counts the layer it was called for.
  converted += products->size() + (gradient ? 1 : 0) - 1;
  return {};
}

SkipReason Sparsifier::projectConstant(size_t index, PlanAttr plan,
                                       ElementsAttr data, Type element,
                                       bool transposed, WeightParams &params,
                                       int64_t &newBytes) {
  const LayerInfo &layer = analysis.getLayers()[index];
  std::string error;
  FailureOr<patterns::Matrix> w = readWeightMatrix(data, transposed, error);
  if (failed(w))
    return {data.getNumElements() > kMaxReadWeightElements
                ? SkipKind::TooLarge
                : SkipKind::WeightData,
            error};
  if (!llvm::all_of(w->data, [](float v) { return std::isfinite(v); }))
    return {SkipKind::WeightData, "the weight has non-finite entries"};
  int64_t n = w->rows, k = w->cols;
  Operation *op = layer.op;
  // Next to the dense constant, so that every layer reading it sees them.
  OpBuilder b(op);
  if (Operation *def = layer.weight.source.getDefiningOp())
    b.setInsertionPointAfter(def);
  Location loc = op->getLoc();
  auto constantOf = [&](ArrayRef<int64_t> shape,
                        ArrayRef<float> values) -> Value {
    auto type = RankedTensorType::get(shape, element);
    DenseElementsAttr attr = makeFloatElements(type, values);
    newBytes += getElementsDataBytes(attr);
    return arith::ConstantOp::create(b, loc, type, attr);
  };
  double sumSq = 0;
  for (float v : w->data)
    sumSq += static_cast<double>(v) * v;
  double norm = std::sqrt(sumSq);

  switch (plan.getStructure()) {
  case Structure::Butterfly: {
    std::string reason;
    FailureOr<BlockLayoutAttr> layout = layoutOf(plan, n, k, loc, reason);
    if (failed(layout))
      return {SkipKind::Shape, reason};
    patterns::BlockLayout blockLayout;
    blockLayout.n = n;
    blockLayout.k = k;
    blockLayout.bm = layout->getBlockRows();
    blockLayout.bk = layout->getBlockCols();
    blockLayout.rowPtr.assign(layout->getRowPtr().begin(),
                              layout->getRowPtr().end());
    blockLayout.colIdx.assign(layout->getColIdx().begin(),
                              layout->getColIdx().end());
    patterns::BlockLowRankFit fit =
        patterns::fitBlocksPlusLowRank(*w, blockLayout, plan.getRank());
    errors[index] = fit.relativeError;
    params.layout = *layout;
    SmallVector<int64_t> blockShape = {layout->getNumBlocks(),
                                       layout->getBlockRows(),
                                       layout->getBlockCols()};
    // gamma * B' + (1 - gamma) * U' V'^T reproduces the fit.
    patterns::PixelflyWeights weights = patterns::toPixelflyWeights(fit);
    if (weights.gamma == 0)
      return {SkipKind::WeightData,
              "the weight has no entries on the butterfly layout"};
    if (!std::isfinite(weights.gamma))
      return {SkipKind::WeightData,
              "the projection of the weight is non-finite"};
    params.blocks = constantOf(blockShape, weights.blocks);
    if (weights.gamma == 1.0)
      return {};
    params.u = constantOf({n, plan.getRank()}, weights.u.data);
    params.v = constantOf({k, plan.getRank()}, weights.v.data);
    params.gammaConst = weights.gamma;
    return {};
  }
  case Structure::LowRank: {
    patterns::LowRankFactors fit =
        patterns::lowRankApprox(*w, plan.getRank());
    errors[index] = fit.relativeError();
    params.u = constantOf({n, plan.getRank()}, fit.u.data);
    params.v = constantOf({k, plan.getRank()}, fit.v.data);
    return {};
  }
  case Structure::TwoFour: {
    std::string shapeError = patterns::verifyTwoFourShape(
        n, k, plan.getTransposable(), /*compressed=*/true);
    if (!shapeError.empty())
      return {SkipKind::Shape, shapeError};
    patterns::Pruned24 pruned = patterns::prune24(*w, plan.getTransposable());
    patterns::Matrix kept = patterns::applyMask(*w, pruned.mask);
    double diff = 0;
    for (size_t i = 0; i < kept.data.size(); ++i) {
      double d = static_cast<double>(w->data[i]) - kept.data[i];
      diff += d * d;
    }
    errors[index] =
        norm > 0 ? std::sqrt(diff) / norm : 0.0;
    params.values = constantOf({n, k / 2}, pruned.weight.values);
    auto metaType = RankedTensorType::get({n, k / 16}, b.getI16Type());
    DenseElementsAttr meta = makeI16Elements(metaType, pruned.weight.metadata);
    newBytes += getElementsDataBytes(meta);
    params.metadata = arith::ConstantOp::create(b, loc, metaType, meta);
    return {};
  }
  case Structure::Dense:
    break;
  }
  return {SkipKind::KeptDense, "the plan keeps it dense"};
}

SkipReason Sparsifier::replaceArgument(const LayerInfo &layer, PlanAttr plan,
                                       bool transposed, WeightParams &params) {
  // precheck() made sure the argument only feeds this layer.
  auto arg = cast<BlockArgument>(layer.weight.source);
  auto func = cast<func::FuncOp>(arg.getOwner()->getParentOp());

  int64_t n = layer.shape.n, k = layer.shape.k;
  Type element = elementTypeOf(arg);
  MLIRContext *ctx = module.getContext();
  SmallVector<Type> types;
  BlockLayoutAttr layout;
  switch (plan.getStructure()) {
  case Structure::Butterfly: {
    std::string reason;
    FailureOr<BlockLayoutAttr> materialized =
        layoutOf(plan, n, k, arg.getLoc(), reason);
    if (failed(materialized))
      return {SkipKind::Shape, reason};
    layout = *materialized;
    types.push_back(RankedTensorType::get(
        {layout.getNumBlocks(), layout.getBlockRows(), layout.getBlockCols()},
        element));
    if (plan.getRank() > 0) {
      types.push_back(RankedTensorType::get({n, plan.getRank()}, element));
      types.push_back(RankedTensorType::get({k, plan.getRank()}, element));
      // gamma, or the gate's weight and bias.
      if (gate)
        types.push_back(RankedTensorType::get({k}, element));
      types.push_back(Float32Type::get(ctx));
    }
    break;
  }
  case Structure::LowRank:
    types.push_back(RankedTensorType::get({n, plan.getRank()}, element));
    types.push_back(RankedTensorType::get({k, plan.getRank()}, element));
    break;
  case Structure::TwoFour: {
    std::string shapeError = patterns::verifyTwoFourShape(
        n, k, plan.getTransposable(), /*compressed=*/true);
    if (!shapeError.empty())
      return {SkipKind::Shape, shapeError};
    types.push_back(RankedTensorType::get({n, k / 2}, element));
    types.push_back(
        RankedTensorType::get({n, k / 16}, IntegerType::get(ctx, 16)));
    break;
  }
  case Structure::Dense:
    return {SkipKind::KeptDense, "the plan keeps it dense"};
  }

  // The parameters take the weight's place; the weight goes once unused.
  unsigned position = arg.getArgNumber();
  SmallVector<unsigned> indices(types.size(), position);
  SmallVector<DictionaryAttr> attrs(types.size(), DictionaryAttr());
  SmallVector<Location> locs(types.size(), arg.getLoc());
  if (failed(func.insertArguments(indices, types, attrs, locs)))
    return {SkipKind::NotALayer, "the function's signature cannot be changed"};
  auto newArgs = func.getArguments().slice(position, types.size());
  switch (plan.getStructure()) {
  case Structure::Butterfly:
    params.blocks = newArgs[0];
    params.layout = layout;
    if (plan.getRank() > 0) {
      params.u = newArgs[1];
      params.v = newArgs[2];
      if (gate) {
        params.gateWeight = newArgs[3];
        params.gateBias = newArgs[4];
      } else {
        params.gamma = newArgs[3];
      }
    }
    break;
  case Structure::LowRank:
    params.u = newArgs[0];
    params.v = newArgs[1];
    break;
  case Structure::TwoFour:
    params.values = newArgs[0];
    params.metadata = newArgs[1];
    break;
  case Structure::Dense:
    break;
  }
  packed[func].push_back({originalArgIndex.lookup(arg), arg.getType(),
                          transposed, plan, layout, n, k});
  return {};
}

/// The transposable 2:4 mask of the 2-D `w`: 1 where the prune keeps an
/// entry, 0 elsewhere, of `w`'s type.
static Value buildTwoFourMask(OpBuilder &b, Location loc, Value w) {
  auto type = cast<RankedTensorType>(w.getType());
  Prune24Op prune = buildTransposablePrune(b, loc, w);
  auto valuesType = cast<RankedTensorType>(prune.getResult(0).getType());
  Value ones = arith::ConstantOp::create(
      b, loc, valuesType,
      DenseElementsAttr::get(valuesType,
                             b.getFloatAttr(type.getElementType(), 1.0)));
  Value init =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  return Densify24Op::create(b, loc, type, ones, prune.getResult(1), init)
      .getResult();
}

void Sparsifier::buildPackFunctions() {
  SymbolTable symbols(module);
  for (auto &[funcOp, args] : packed) {
    auto func = cast<func::FuncOp>(funcOp);
    SmallVector<PackedArgument> inputs;
    for (const PackedArgument &a : args)
      if (a.mask || a.plan.getStructure() != Structure::LowRank)
        inputs.push_back(a);
    if (inputs.empty())
      continue;
    llvm::stable_sort(inputs, [](const PackedArgument &a,
                                 const PackedArgument &b) {
      return a.originalIndex < b.originalIndex;
    });
    OpBuilder b(module.getContext());
    b.setInsertionPointAfter(func);
    Location loc = func.getLoc();
    SmallVector<Type> inputTypes;
    for (const PackedArgument &a : inputs)
      inputTypes.push_back(a.originalType);
    auto pack = func::FuncOp::create(
        b, loc, (func.getSymName() + "_pack").str(),
        b.getFunctionType(inputTypes, {}));
    Block *entry = pack.addEntryBlock();
    b.setInsertionPointToStart(entry);
    SmallVector<Value> results;
    for (auto [i, a] : llvm::enumerate(inputs)) {
      Value w = dropUnitDims(b, loc, entry->getArgument(i));
      if (a.transposed)
        w = permute(b, loc, w, {1, 0});
      Type element = elementTypeOf(w);
      if (a.mask) {
        results.push_back(buildTwoFourMask(b, loc, w));
      } else if (a.plan.getStructure() == Structure::Butterfly) {
        // Gather the layout's blocks in CSR order.
        BlockLayoutAttr layout = a.layout;
        ProductBuilder pb(b, loc);
        Value gathered =
            pb.gatherBlocks(w, layout.getRowPtr(), layout.getColIdx(),
                            layout.getBlockRows(), layout.getBlockCols());
        results.push_back(gathered);
      } else {
        auto valuesType = RankedTensorType::get({a.n, a.k / 2}, element);
        auto metaType =
            RankedTensorType::get({a.n, a.k / 16}, b.getI16Type());
        Value values = tensor::EmptyOp::create(b, loc, valuesType.getShape(),
                                               element);
        Value meta = tensor::EmptyOp::create(b, loc, metaType.getShape(),
                                             b.getI16Type());
        auto prune = Prune24Op::create(
            b, loc, TypeRange{valuesType, metaType}, w,
            ValueRange{values, meta}, a.plan.getTransposable());
        results.append(prune.getResults().begin(), prune.getResults().end());
      }
    }
    func::ReturnOp::create(b, loc, results);
    pack.setFunctionType(
        b.getFunctionType(inputTypes, ValueRange(results).getTypes()));
    symbols.insert(pack);
  }
}

namespace {
struct PixelflySparsifyPass
    : public pixelfly::impl::PixelflySparsifyBase<PixelflySparsifyPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (mode != "auto" && mode != "butterfly" && mode != "2:4") {
      module.emitError() << "pixelfly-sparsify: unknown mode '" << mode
                         << "' (expected auto, butterfly or 2:4)";
      return signalPassFailure();
    }
    if (weights != "all" && weights != "project" && weights != "argument") {
      module.emitError() << "pixelfly-sparsify: unknown weights '" << weights
                         << "' (expected all, project or argument)";
      return signalPassFailure();
    }
    if (twoFourMask != "step" && twoFourMask != "fixed") {
      module.emitError() << "pixelfly-sparsify: unknown two-four-mask '"
                         << twoFourMask << "' (expected step or fixed)";
      return signalPassFailure();
    }
    if (gammaKind != "scalar" && gammaKind != "gate") {
      module.emitError() << "pixelfly-sparsify: unknown gamma '" << gammaKind
                         << "' (expected scalar or gate)";
      return signalPassFailure();
    }
    BudgetAnalysisOptions options;
    if (failed(parseBudgetOptions(PIXELFLY_BUDGET_PASS_OPTIONS(), options,
                                  module, getArgument())) ||
        failed(checkReportFormat(module, getArgument(), reportFormat)))
      return signalPassFailure();
    if (mode == "butterfly") {
      options.budget.allowTwoFour = false;
      if (!options.budget.allowButterfly && !options.budget.allowLowRank)
        options.budget.allowButterfly = options.budget.allowLowRank = true;
    }

    // Plans already present (from pixelfly-budget or by hand) are used as
    // they are; otherwise the analysis decides now.
    BudgetAnalysis analysis(module);
    bool hasPlans = llvm::any_of(analysis.getLayers(), [](const LayerInfo &l) {
      return l.op->hasAttr(kPlanAttrName);
    });
    std::optional<BudgetAnalysis::Allocation> allocation;
    llvm::DenseMap<size_t, SkipReason> reasons;
    if (!hasPlans) {
      // Layers this pass would leave anyway take no share of the budget.
      auto exclude = [&](const LayerInfo &layer) {
        return precheck(analysis, &layer - analysis.getLayers().data(), module,
                        mode, weights);
      };
      if (failed(planModule(module, analysis, options, getArgument(),
                            /*remarks=*/false, allocation, exclude,
                            /*allTwoFour=*/mode == "2:4")))
        return signalPassFailure();
      if (allocation)
        for (auto &[index, reason] : allocation->skipped)
          reasons[index] = reason;
    }

    Sparsifier sparsifier(module, analysis, /*remarks=*/true, mode, weights);
    sparsifier.stripPlans = !hasPlans;
    sparsifier.fixedTwoFourMask = twoFourMask == "fixed";
    sparsifier.gate = gammaKind == "gate";
    sparsifier.run(reasons);
    numConverted += sparsifier.converted;
    numSkipped += sparsifier.skipped;
    numWeightsRemoved += sparsifier.weightsRemoved;
    numBytesSaved += std::max<int64_t>(sparsifier.bytesSaved, 0);

    if (report.empty())
      return;
    // The counts are in the report too: Debian's LLVM is built without
    // statistics, so -mlir-pass-statistics shows nothing there.
    int64_t bytesSaved = sparsifier.bytesSaved;
    auto print = [&](llvm::raw_ostream &os, bool json) {
      ArrayRef<LayerInfo> layers = analysis.getLayers();
      if (json) {
        llvm::json::Object skipped;
        for (unsigned k = 0; k < kNumSkipKinds; ++k)
          if (sparsifier.skippedBy[k])
            skipped[stringifySkipKind(static_cast<SkipKind>(k))] =
                sparsifier.skippedBy[k];
        llvm::json::Object counts{
            {"converted", sparsifier.converted},
            {"skipped", sparsifier.skipped},
            {"skipped_by_reason", std::move(skipped)},
            {"weights_removed", sparsifier.weightsRemoved},
            {"bytes_saved", bytesSaved}};
        std::string budget;
        if (allocation) {
          llvm::raw_string_ostream bos(budget);
          analysis.printReportJSON(*allocation, options, bos,
                                   &sparsifier.errors);
        }
        llvm::json::Object root;
        if (!budget.empty()) {
          llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(budget);
          if (parsed && parsed->getAsObject())
            root = std::move(*parsed->getAsObject());
          else
            llvm::consumeError(parsed.takeError());
        } else {
          // Plans came with the module: the projection errors alone.
          llvm::json::Array entries;
          for (auto [i, layer] : llvm::enumerate(layers))
            if (auto it = sparsifier.errors.find(i);
                it != sparsifier.errors.end())
              entries.push_back(llvm::json::Object{
                  {"name", layer.name}, {"relative_error", it->second}});
          root["layers"] = std::move(entries);
        }
        root["sparsify"] = std::move(counts);
        os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root)))
           << "\n";
        return;
      }
      if (allocation) {
        analysis.printReport(*allocation, options, os, &sparsifier.errors);
      } else {
        os << "pixelfly-sparsify: relative Frobenius error of the projected "
              "weights\n";
        for (auto [i, layer] : llvm::enumerate(layers))
          if (auto it = sparsifier.errors.find(i);
              it != sparsifier.errors.end())
            os << llvm::formatv("{0,-14} {1:f4}\n", layer.name, it->second);
      }
      os << llvm::formatv("sparsify: {0} converted, {1} skipped",
                          sparsifier.converted, sparsifier.skipped);
      StringRef separator = " (";
      for (unsigned k = 0; k < kNumSkipKinds; ++k) {
        if (!sparsifier.skippedBy[k])
          continue;
        os << separator << stringifySkipKind(static_cast<SkipKind>(k)) << ": "
           << sparsifier.skippedBy[k];
        separator = ", ";
      }
      if (sparsifier.skipped)
        os << ")";
      os << llvm::formatv(", {0} dense weights removed, {1} bytes saved\n",
                          sparsifier.weightsRemoved, bytesSaved);
    };
    if (failed(writeReport(module, getArgument(), report, reportFormat, print)))
      return signalPassFailure();
  }
};
} // namespace
