//===- WeightUses.cpp - Every use of a layer's weight, by kind ------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Analysis/WeightUses.h"
#include "pixelfly/Analysis/BudgetAnalysis.h"
#include "pixelfly/Dialect/Pixelfly/IR/PixelflyOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace mlir::pixelfly;

StringRef mlir::pixelfly::stringifyWeightUseKind(WeightUseKind kind) {
  switch (kind) {
  case WeightUseKind::Forward:
    return "forward";
  case WeightUseKind::InputGrad:
    return "input-grad";
  case WeightUseKind::WeightGrad:
    return "weight-grad";
  case WeightUseKind::Elementwise:
    return "elementwise";
  case WeightUseKind::Reduction:
    return "reduction";
  case WeightUseKind::Return:
    return "return";
  case WeightUseKind::ShapeQuery:
    return "shape";
  case WeightUseKind::Unknown:
    return "unknown";
  }
  llvm_unreachable("unknown weight use kind");
}

const WeightUse *WeightGroup::firstUnknown() const {
  for (const WeightUse &use : uses)
    if (use.kind == WeightUseKind::Unknown)
      return &use;
  return nullptr;
}

bool WeightGroup::isTraining() const {
  return llvm::any_of(uses, [](const WeightUse &use) {
    return use.kind != WeightUseKind::Forward &&
           use.kind != WeightUseKind::ShapeQuery;
  });
}

bool WeightGroup::has(WeightUseKind kind) const {
  return llvm::any_of(uses,
                      [&](const WeightUse &use) { return use.kind == kind; });
}

/// Whether `op` only moves the entries of its first operand (the ops the
/// weight trace follows: transposes, casts, unit reshapes, a broadcast).
static bool isView(Operation *op) {
  if (op->getNumResults() != 1 ||
      !isa<RankedTensorType>(op->getResultTypes()[0]))
    return false;
  WeightTrace trace = traceWeight(op->getResult(0));
  return !trace.chain.empty() && trace.chain.front() == op;
}

/// `value` before the ops that only rearrange it, reshapes of any kind
/// included (a `B x T x K` activation collapsed to `BT x K` is still the
/// same activation).
static Value strip(Value value) {
  for (int depth = 0; depth < 16; ++depth) {
    Operation *def = value.getDefiningOp();
    if (!def || def->getNumOperands() == 0)
      return value;
    if (!isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(def) &&
        !isView(def))
      return value;
    value = def->getOperand(0);
  }
  return value;
}

bool mlir::pixelfly::isElementwiseOnTensors(Operation *op) {
  if (op->hasTrait<OpTrait::Elementwise>())
    return llvm::all_of(op->getResultTypes(),
                        [](Type t) { return isa<RankedTensorType>(t); });
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || !linalgOp.hasPureTensorSemantics() ||
      linalgOp.getNumLoops() == 0 ||
      linalgOp.getNumParallelLoops() != linalgOp.getNumLoops())
    return false;
  return llvm::all_of(linalgOp.getIndexingMapsArray(), [](AffineMap map) {
    return map.getNumResults() == 0 || map.isPermutation();
  });
}

/// A linalg op that reduces every entry of `operand` to one value.
static bool isFullReduction(Operation *op, OpOperand &operand) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || !linalgOp.hasPureTensorSemantics() ||
      linalgOp.getNumLoops() == 0 ||
      linalgOp.getNumReductionLoops() != linalgOp.getNumLoops() ||
      linalgOp.isDpsInit(&operand))
    return false;
  return linalgOp.getMatchingIndexingMap(&operand).isPermutation();
}

/// Calls `fn` for every use of `value` past the ops that only rearrange it.
static void forEachUse(Value value, llvm::function_ref<void(OpOperand &)> fn) {
  SmallVector<Value> worklist = {value};
  llvm::SmallPtrSet<Operation *, 8> seen;
  while (!worklist.empty()) {
    Value next = worklist.pop_back_val();
    for (OpOperand &use : next.getUses()) {
      Operation *user = use.getOwner();
      if (use.getOperandNumber() == 0 && isView(user)) {
        if (seen.insert(user).second)
          worklist.push_back(user->getResult(0));
        continue;
      }
      fn(use);
    }
  }
}

/// The kind of a use that is not a product.
static WeightUseKind classifyOther(OpOperand &use) {
  Operation *op = use.getOwner();
  if (op->hasTrait<OpTrait::ReturnLike>())
    return WeightUseKind::Return;
  if (isa<tensor::DimOp>(op))
    return WeightUseKind::ShapeQuery;
  if (isElementwiseOnTensors(op))
    return WeightUseKind::Elementwise;
  if (isFullReduction(op, use))
    return WeightUseKind::Reduction;
  return WeightUseKind::Unknown;
}

namespace {
/// Builds the groups of one function.
class GroupBuilder {
public:
  GroupBuilder(ArrayRef<LayerInfo> layers,
               const llvm::DenseMap<Operation *, size_t> &layerOf,
               const llvm::DenseMap<Operation *, unsigned> &order)
      : layers(layers), layerOf(layerOf), order(order) {}

  /// The group's uses (products, elementwise ops, ...).
  WeightGroup build(Value weight);
  /// The weight gradient and what consumes it, then the optimizer state;
  /// `products` are the group's own uses, which are not its gradient.
  void complete(WeightGroup &group,
                const llvm::DenseSet<Operation *> &products);

private:
  void findUses(WeightGroup &group);
  void findWeightGradients(WeightGroup &group,
                           const llvm::DenseSet<Operation *> &products);
  void findState(WeightGroup &group);

  ArrayRef<LayerInfo> layers;
  const llvm::DenseMap<Operation *, size_t> &layerOf;
  const llvm::DenseMap<Operation *, unsigned> &order;
};
} // namespace

WeightGroup GroupBuilder::build(Value weight) {
  WeightGroup group;
  group.weight = weight;
  findUses(group);
  return group;
}

void GroupBuilder::complete(WeightGroup &group,
                            const llvm::DenseSet<Operation *> &products) {
  findWeightGradients(group, products);
  findState(group);
}

void GroupBuilder::findUses(WeightGroup &group) {
  // Products first with the dimension they reduce; the first in program
  // order is a forward product (a step computes the forward before the
  // backward), and so is every product reducing the same dimension.
  struct Product {
    OpOperand *use;
    size_t layer;
    int64_t reduced;
  };
  SmallVector<Product> products;
  forEachUse(group.weight, [&](OpOperand &use) {
    Operation *op = use.getOwner();
    if (auto it = layerOf.find(op); it != layerOf.end()) {
      const LayerInfo &layer = layers[it->second];
      auto linalgOp = cast<linalg::LinalgOp>(op);
      if (layer.weightSource == group.weight &&
          linalgOp.getDpsInputOperand(layer.weightOperand) == &use) {
        AffineMap map = linalgOp.getIndexingMapsArray()[layer.weightOperand];
        std::optional<unsigned> pos = map.getResultPosition(
            getAffineDimExpr(layer.kDim, op->getContext()));
        products.push_back(
            {&use, it->second, pos ? layer.weight.sourceDims[*pos] : -1});
        return;
      }
    }
    group.uses.push_back({classifyOther(use), op});
  });
  if (!products.empty()) {
    const Product *first = &products.front();
    for (const Product &p : products)
      if (order.lookup(p.use->getOwner()) <
          order.lookup(first->use->getOwner()))
        first = &p;
    group.forwardReducedDim = first->reduced;
    for (const Product &p : products) {
      WeightUseKind kind = WeightUseKind::Unknown;
      if (p.reduced >= 0 && p.reduced == group.forwardReducedDim)
        kind = WeightUseKind::Forward;
      else if (p.reduced >= 0)
        kind = WeightUseKind::InputGrad;
      group.uses.push_back(
          {kind, p.use->getOwner(), static_cast<int64_t>(p.layer)});
    }
  }
  llvm::stable_sort(group.uses, [&](const WeightUse &a, const WeightUse &b) {
    return order.lookup(a.op) < order.lookup(b.op);
  });
}

/// Whether `value` reaches, through elementwise ops, an op that also reads
/// one of `targets` (a gradient flowing into the weight's update).
static bool reachesUser(Value value,
                        const llvm::SmallPtrSetImpl<Operation *> &targets) {
  SmallVector<Value> worklist = {value};
  llvm::SmallPtrSet<Operation *, 16> seen;
  while (!worklist.empty() && seen.size() < 64) {
    Value next = worklist.pop_back_val();
    for (Operation *user : next.getUsers()) {
      if (targets.contains(user))
        return true;
      if ((isElementwiseOnTensors(user) || isView(user)) &&
          seen.insert(user).second)
        for (Value result : user->getResults())
          worklist.push_back(result);
    }
  }
  return false;
}

/// Whether contraction `op` reduces its input `i`, which is the activation
/// of `forward` (as it is, or transposed), over that activation's features:
/// another layer reading the same activation, not a weight gradient, which
/// reduces over the tokens. Unknown (false) through other rearrangements.
static bool reducesFeatures(linalg::LinalgOp op, unsigned i,
                            const LayerInfo &forward) {
  linalg::LinalgOp forwardOp = forward.op;
  unsigned a = 1 - forward.weightOperand;
  Value x = forwardOp.getDpsInputs()[a];
  std::optional<unsigned> feature =
      forwardOp.getIndexingMapsArray()[a].getResultPosition(
          getAffineDimExpr(forward.kDim, op->getContext()));
  SmallVector<unsigned> reductions;
  op.getReductionDims(reductions);
  if (!feature || reductions.size() != 1)
    return false;
  Value operand = op.getDpsInputs()[i];
  AffineMap map = op.getIndexingMapsArray()[i];
  std::optional<unsigned> reduced = map.getResultPosition(
      getAffineDimExpr(reductions.front(), op->getContext()));
  if (!reduced)
    return false;
  if (operand == x)
    return *reduced == *feature;
  if (auto transpose = operand.getDefiningOp<linalg::TransposeOp>();
      transpose && transpose.getInput() == x)
    return transpose.getPermutation()[*reduced] ==
           static_cast<int64_t>(*feature);
  return false;
}

void GroupBuilder::findWeightGradients(
    WeightGroup &group, const llvm::DenseSet<Operation *> &products) {
  llvm::SmallPtrSet<Value, 4> activations, outputGrads;
  const LayerInfo *forward = nullptr;
  for (const WeightUse &use : group.uses) {
    if (use.kind != WeightUseKind::Forward &&
        use.kind != WeightUseKind::InputGrad)
      continue;
    const LayerInfo &layer = layers[use.layer];
    linalg::LinalgOp op = layer.op;
    Value other = op.getDpsInputs()[1 - layer.weightOperand];
    if (use.kind == WeightUseKind::Forward) {
      activations.insert(strip(other));
      forward = forward ? forward : &layer;
    } else {
      outputGrads.insert(strip(other));
    }
  }
  // An inference weight has no gradient to look for.
  if (!forward || !group.isTraining())
    return;
  // Ops that read the weight elementwise: where its gradient is applied.
  llvm::SmallPtrSet<Operation *, 4> updates;
  for (const WeightUse &use : group.uses)
    if (use.kind == WeightUseKind::Elementwise)
      updates.insert(use.op);

  // `dY^T X`: a contraction over the tokens of a forward activation with the
  // output gradient (the input gradient's operand, when there is one) whose
  // result has the weight's two sizes.
  int64_t n = forward->shape.n, k = forward->shape.k;
  linalg::LinalgOp forwardOp = forward->op;
  SmallVector<Operation *> candidates;
  Operation *func = forwardOp->getParentOfType<FunctionOpInterface>();
  func->walk([&](linalg::LinalgOp op) {
    // A step computes the weight gradient after the forward product.
    if (products.contains(op) || order.lookup(op) < order.lookup(forwardOp))
      return;
    if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
        op->getNumResults() != 1 || !linalg::isaContractionOpInterface(op))
      return;
    auto type = dyn_cast<RankedTensorType>(op->getResultTypes()[0]);
    if (!type || !type.hasStaticShape() || type.getRank() != 2)
      return;
    ArrayRef<int64_t> shape = type.getShape();
    if (!((shape[0] == n && shape[1] == k) || (shape[0] == k && shape[1] == n)))
      return;
    Value a = strip(op.getDpsInputs()[0]), b = strip(op.getDpsInputs()[1]);
    for (auto [i, x, dy] : {std::tuple{0, a, b}, std::tuple{1, b, a}}) {
      if (!activations.contains(x) || reducesFeatures(op, i, *forward))
        continue;
      if (!outputGrads.empty() && !outputGrads.contains(dy))
        continue;
      candidates.push_back(op);
      return;
    }
  });
  if (candidates.size() > 1) {
    // Several layers read the same activation (query, key and value
    // projections): the gradient is the one applied to this weight.
    SmallVector<Operation *> applied;
    for (Operation *c : candidates)
      if (reachesUser(c->getResult(0), updates))
        applied.push_back(c);
    if (applied.size() == 1)
      candidates = applied;
  }
  if (candidates.empty()) {
    if (group.isTraining())
      group.gradientNote = "no product of a forward activation with the "
                           "output gradient has the weight's shape";
    return;
  }
  if (candidates.size() > 1) {
    group.gradientNote = std::to_string(candidates.size()) +
                         " products could be the weight gradient";
    return;
  }
  Operation *product = candidates.front();
  auto it = layerOf.find(product);
  group.gradientUses.push_back(
      {WeightUseKind::WeightGrad, product,
       it == layerOf.end() ? -1 : static_cast<int64_t>(it->second)});
  forEachUse(product->getResult(0), [&](OpOperand &use) {
    group.gradientUses.push_back({classifyOther(use), use.getOwner()});
  });
  std::stable_sort(group.gradientUses.begin() + 1, group.gradientUses.end(),
                   [&](const WeightUse &a, const WeightUse &b) {
                     return order.lookup(a.op) < order.lookup(b.op);
                   });
}

void GroupBuilder::findState(WeightGroup &group) {
  auto weightType = cast<ShapedType>(group.weight.getType());
  Block *entry = nullptr;
  if (auto arg = dyn_cast<BlockArgument>(group.weight))
    entry = arg.getOwner();
  else
    entry = &group.weight.getParentRegion()->front();
  // Every elementwise op connected to the weight's and the gradient's
  // elementwise uses, in either direction, bounded.
  SmallVector<Operation *> worklist;
  for (const std::vector<WeightUse> *uses : {&group.uses, &group.gradientUses})
    for (const WeightUse &use : *uses)
      if (use.kind == WeightUseKind::Elementwise)
        worklist.push_back(use.op);
  llvm::SmallPtrSet<Operation *, 16> seen(worklist.begin(), worklist.end());
  llvm::SetVector<Value> state;
  while (!worklist.empty() && seen.size() < 64) {
    Operation *op = worklist.pop_back_val();
    for (Value operand : op->getOperands()) {
      auto arg = dyn_cast<BlockArgument>(strip(operand));
      if (arg && arg.getOwner() == entry && arg != group.weight) {
        auto type = dyn_cast<ShapedType>(arg.getType());
        if (type && type.hasRank() && type.getShape() == weightType.getShape())
          state.insert(arg);
        continue;
      }
      Operation *def = operand.getDefiningOp();
      if (def && isElementwiseOnTensors(def) && seen.insert(def).second)
        worklist.push_back(def);
    }
    for (Operation *user : op->getUsers())
      if (isElementwiseOnTensors(user) && seen.insert(user).second)
        worklist.push_back(user);
  }
  group.state.assign(state.begin(), state.end());
  llvm::sort(group.state, [](Value a, Value b) {
    return cast<BlockArgument>(a).getArgNumber() <
           cast<BlockArgument>(b).getArgNumber();
  });
}

WeightUseAnalysis::WeightUseAnalysis(ArrayRef<LayerInfo> layers) {
  llvm::DenseMap<Operation *, size_t> layerOf;
  llvm::MapVector<Value, Operation *> weights;
  for (auto [i, layer] : llvm::enumerate(layers)) {
    layerOf[layer.op] = i;
    if (layer.weightOperand >= 0 && layer.weightSource)
      weights.insert({layer.weightSource, layer.op});
  }
  // Program order within each function, numbered once per function.
  llvm::DenseMap<Operation *, unsigned> order;
  llvm::SmallPtrSet<Operation *, 4> numbered;
  for (auto &[weight, firstUser] : weights) {
    Operation *func = firstUser->getParentOfType<FunctionOpInterface>();
    if (!func || !numbered.insert(func).second)
      continue;
    unsigned next = 0;
    func->walk<WalkOrder::PreOrder>([&](Operation *op) { order[op] = next++; });
  }
  // A value some layer reads as its activation is no weight, even where
  // the budget analysis took it for one (the X or the dY of `dY^T X`).
  for (const LayerInfo &layer : layers) {
    if (layer.weightOperand < 0)
      continue;
    linalg::LinalgOp op = layer.op;
    activations.insert(strip(op.getDpsInputs()[1 - layer.weightOperand]));
  }
  // So are the activations of products already rewritten (a second run).
  for (auto &[weight, firstUser] : weights) {
    Operation *func = firstUser->getParentOfType<FunctionOpInterface>();
    func->walk([&](Operation *op) {
      SmallVector<Value, 2> read;
      if (auto p = dyn_cast<BlockSparseMatmulOp>(op))
        read = {p.getX()};
      else if (auto p = dyn_cast<BlockSparseInputGradOp>(op))
        read = {p.getDy()};
      else if (auto p = dyn_cast<BlockSparseWeightGradOp>(op))
        read = {p.getDy(), p.getX()};
      else if (auto p = dyn_cast<LowRankMatmulOp>(op))
        read = {p.getX()};
      else if (auto p = dyn_cast<LinearOp>(op))
        read = p.getXv() ? SmallVector<Value, 2>{p.getX(), p.getXv()}
                         : SmallVector<Value, 2>{p.getX()};
      else if (auto p = dyn_cast<TwoFourMatmulOp>(op))
        read = {p.getX()};
      for (Value v : read)
        activations.insert(strip(v));
    });
  }
  GroupBuilder builder(layers, layerOf, order);
  std::vector<WeightGroup> built;
  llvm::DenseSet<int64_t> gradientProducts;
  for (auto &[weight, firstUser] : weights) {
    if (activations.contains(weight))
      continue;
    built.push_back(builder.build(weight));
    WeightGroup &group = built.back();
    llvm::DenseSet<Operation *> own;
    for (const WeightUse &use : group.uses)
      own.insert(use.op);
    builder.complete(group, own);
    for (const WeightUse &use : group.gradientUses)
      if (use.kind == WeightUseKind::WeightGrad && use.layer >= 0)
        gradientProducts.insert(use.layer);
  }
  // Without an input gradient, the analysis may take the dY of `dY^T X` for
  // a weight: a "weight" whose every product is another weight's gradient
  // is none.
  for (WeightGroup &group : built) {
    bool onlyGradients = llvm::all_of(group.uses, [&](const WeightUse &use) {
      return use.layer < 0 || gradientProducts.contains(use.layer);
    });
    if (!onlyGradients)
      groups.push_back(std::move(group));
  }
  for (auto [g, group] : llvm::enumerate(groups))
    for (const std::vector<WeightUse> *uses :
         {&group.uses, &group.gradientUses})
      for (const WeightUse &use : *uses)
        if (use.layer >= 0)
          layerRoles.try_emplace(static_cast<size_t>(use.layer), g, use.kind);
}

const WeightGroup *WeightUseAnalysis::groupOfLayer(size_t index) const {
  auto it = layerRoles.find(index);
  return it == layerRoles.end() ? nullptr : &groups[it->second.first];
}

WeightUseKind WeightUseAnalysis::roleOfLayer(size_t index) const {
  auto it = layerRoles.find(index);
  return it == layerRoles.end() ? WeightUseKind::Unknown : it->second.second;
}
