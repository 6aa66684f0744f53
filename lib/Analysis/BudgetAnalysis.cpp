//===- BudgetAnalysis.cpp - Which matmuls are layers, and their plans -----===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Analysis/BudgetAnalysis.h"
#include "pixelfly/Dialect/Pixelfly/IR/ElementTypes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

using namespace mlir;
using namespace mlir::pixelfly;

StringRef mlir::pixelfly::stringifySkipKind(SkipKind kind) {
  switch (kind) {
  case SkipKind::DynamicShape:
    return "dynamic shape";
  case SkipKind::NotALayer:
    return "not a contraction on a rewritable weight";
  case SkipKind::TooSmall:
    return "too small";
  case SkipKind::TooLarge:
    return "too large";
  case SkipKind::Budget:
    return "budget exhausted";
  case SkipKind::ElementType:
    return "unsupported element type";
  case SkipKind::Shape:
    return "shape unsupported by the structure";
  case SkipKind::Options:
    return "excluded by mode or weights";
  case SkipKind::KeptDense:
    return "kept dense by its plan";
  case SkipKind::WeightData:
    return "unusable weight data";
  case SkipKind::Training:
    return "part of a training step";
  }
  llvm_unreachable("unknown skip kind");
}

//===----------------------------------------------------------------------===//
// Finding weights
//===----------------------------------------------------------------------===//

/// Whether `op` converts one float type to another (what a mixed-precision
/// step does to an f32 master weight before its products read it).
static bool isFloatConversion(Operation *op) {
  return isa<arith::TruncFOp, arith::ExtFOp>(op);
}

/// A `linalg.generic` that only copies its input with permuted indices, its
/// entries converted by at most one float conversion; sets `convert` to that
/// conversion (or null).
static bool isPermutationCopy(linalg::GenericOp op, Operation *&convert) {
  convert = nullptr;
  if (op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
      op.getNumReductionLoops() != 0)
    return false;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (!maps[0].isPermutation() || !maps[1].isPermutation())
    return false;
  Block &body = op.getRegion().front();
  auto yield = dyn_cast<linalg::YieldOp>(body.getTerminator());
  if (!yield || yield.getNumOperands() != 1)
    return false;
  Value yielded = yield.getOperand(0);
  if (body.getOperations().size() == 1)
    return yielded == body.getArgument(0);
  Operation *def = yielded.getDefiningOp();
  if (body.getOperations().size() != 2 || !def || !isFloatConversion(def) ||
      def->getOperand(0) != body.getArgument(0))
    return false;
  convert = def;
  return true;
}

/// Loads of a global variable (ml_program, IREE's util, ...): ops without
/// operands whose name says so.
static bool isGlobalLoad(Operation *op) {
  StringRef name = op->getName().getStringRef();
  return op->getNumOperands() == 0 && op->getNumResults() == 1 &&
         (name.ends_with("global_load") || name.ends_with("global_load_const") ||
          name.ends_with("global.load"));
}

/// For a `tensor.collapse_shape` or `tensor.expand_shape` whose every
/// reassociation group holds at most one dimension of size other than 1: the
/// input dimension each result dimension reads (-1 for a unit dimension that
/// has no counterpart). None for a reshape that moves entries.
static std::optional<SmallVector<int64_t>>
unitReshapeToInput(Operation *op) {
  auto collapse = dyn_cast<tensor::CollapseShapeOp>(op);
  auto expand = dyn_cast<tensor::ExpandShapeOp>(op);
  SmallVector<ReassociationIndices> groups =
      collapse ? collapse.getReassociationIndices()
               : expand.getReassociationIndices();
  // The side with the groups' members is the collapse's input or the
  // expand's result.
  RankedTensorType wide = collapse ? collapse.getSrcType()
                                   : expand.getResultType();
  if (!wide.hasStaticShape())
    return std::nullopt;
  SmallVector<int64_t> toInput(
      collapse ? groups.size() : wide.getRank(), -1);
  for (auto [g, group] : llvm::enumerate(groups)) {
    SmallVector<int64_t> nonUnit;
    for (int64_t d : group)
      if (wide.getDimSize(d) != 1)
        nonUnit.push_back(d);
    if (nonUnit.size() > 1)
      return std::nullopt;
    if (collapse) {
      // Result dimension g reads the group's one real dimension (or any of
      // its unit ones).
      toInput[g] = nonUnit.empty() ? group.front() : nonUnit.front();
    } else {
      // Result dimension d of the group reads input dimension g when it is
      // the group's real one; the unit ones read nothing.
      int64_t real = nonUnit.empty() ? group.front() : nonUnit.front();
      toInput[real] = g;
    }
  }
  return toInput;
}

WeightTrace mlir::pixelfly::traceWeight(Value value) {
  WeightTrace trace;
  int64_t rank = cast<ShapedType>(value.getType()).getRank();
  for (int64_t d = 0; d < rank; ++d)
    trace.sourceDims.push_back(d);
  // Maps every traced dimension through `toInput` (a dimension of the op's
  // result to one of its input, or -1).
  auto remap = [&](ArrayRef<int64_t> toInput) {
    for (int64_t &d : trace.sourceDims)
      if (d >= 0)
        d = toInput[d];
  };
  // Bounded: a weight is never behind more than a few layout changes.
  for (int depth = 0; depth < 16; ++depth) {
    if (auto arg = dyn_cast<BlockArgument>(value)) {
      Block *block = arg.getOwner();
      Operation *parent = block->getParentOp();
      if (parent && isa<FunctionOpInterface>(parent) && block->isEntryBlock())
        trace.source = value;
      return trace;
    }
    Operation *def = value.getDefiningOp();
    if (def->hasTrait<OpTrait::ConstantLike>() || isGlobalLoad(def)) {
      trace.source = value;
      return trace;
    }
    if (auto op = dyn_cast<linalg::TransposeOp>(def)) {
      remap(op.getPermutation());
      value = op.getInput();
    } else if (auto op = dyn_cast<linalg::BroadcastOp>(def)) {
      SmallVector<int64_t> toInput;
      int64_t next = 0;
      for (int64_t r = 0, e = op.getInit().getType().getRank(); r < e; ++r)
        toInput.push_back(llvm::is_contained(op.getDimensions(), r) ? -1
                                                                    : next++);
      remap(toInput);
      value = op.getInput();
    } else if (auto op = dyn_cast<tensor::CastOp>(def)) {
      value = op.getSource();
    } else if (isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(def)) {
      // Reshapes that only add or drop unit dimensions keep the entries in
      // place (a `1 x N x K` weight seen as `N x K`); others are not traced.
      std::optional<SmallVector<int64_t>> toInput =
          unitReshapeToInput(def);
      if (!toInput)
        return trace;
      remap(*toInput);
      value = def->getOperand(0);
    } else if (isFloatConversion(def) &&
               isa<RankedTensorType>(def->getResult(0).getType())) {
      // A conversion of the whole tensor (arith on tensors).
      trace.converts.push_back(def);
      value = def->getOperand(0);
    } else if (Operation *convert = nullptr;
               isa<linalg::GenericOp>(def) &&
               isPermutationCopy(cast<linalg::GenericOp>(def), convert)) {
      auto op = cast<linalg::GenericOp>(def);
      if (convert)
        trace.converts.push_back(convert);
      // Result dimension r is loop `out[r]`, which the input reads at the
      // position of that loop in its map.
      SmallVector<AffineMap> maps = op.getIndexingMapsArray();
      SmallVector<int64_t> toInput;
      for (unsigned r = 0; r < maps[1].getNumResults(); ++r)
        toInput.push_back(
            *maps[0].getResultPosition(getAffineDimExpr(
                maps[1].getDimPosition(r), op.getContext())));
      remap(toInput);
      value = op.getDpsInputs()[0];
    } else {
      return trace;
    }
    trace.chain.push_back(def);
  }
  return trace;
}

//===----------------------------------------------------------------------===//
// Finding layers
//===----------------------------------------------------------------------===//

/// Loop dimensions an operand is indexed by, less those along which it is
/// only a broadcast (a weight shared across a batch) and those of size 1.
static SmallVector<unsigned> weightDims(linalg::LinalgOp op, unsigned input,
                                        const WeightTrace &trace) {
  AffineMap map = op.getIndexingMapsArray()[input];
  auto type = cast<ShapedType>(op.getDpsInputs()[input].getType());
  SmallVector<unsigned> dims;
  for (auto [pos, expr] : llvm::enumerate(map.getResults())) {
    auto dim = dyn_cast<AffineDimExpr>(expr);
    if (!dim)
      return {};
    if (trace.sourceDims[pos] >= 0 && type.getDimSize(pos) != 1)
      dims.push_back(dim.getPosition());
  }
  return dims;
}

/// Fills `info` for one contraction; sets `skipReason` when it is not an
/// eligible layer.
static void analyzeContraction(linalg::LinalgOp op, LayerInfo &info) {
  info.op = op;
  if (!op.hasPureTensorSemantics()) {
    info.skipReason = {SkipKind::NotALayer,
                       "not on tensors (run before bufferization)"};
    return;
  }
  SmallVector<unsigned> reductions;
  op.getReductionDims(reductions);
  if (reductions.size() != 1) {
    info.skipReason = {SkipKind::NotALayer,
                       "not a contraction over a single dimension"};
    return;
  }
  unsigned k = reductions.front();
  SmallVector<unsigned> parallel;
  op.getParallelDims(parallel);

  // Try the right-hand operand first: front ends put the weight there.
  WeightTrace traces[2] = {traceWeight(op.getDpsInputs()[0]),
                           traceWeight(op.getDpsInputs()[1])};
  // A constant or a global is the weight before a function argument, which
  // may as well be an activation.
  int weight = -1;
  unsigned n = 0;
  for (auto [w, wantArgument] : {std::pair{1, false}, std::pair{0, false},
                                 std::pair{1, true}, std::pair{0, true}}) {
    if (weight >= 0)
      break;
    if (!traces[w].source ||
        isa<BlockArgument>(traces[w].source) != wantArgument)
      continue;
    SmallVector<unsigned> dims = weightDims(op, w, traces[w]);
    if (dims.size() != 2 || !llvm::is_contained(dims, k))
      continue;
    unsigned p = dims[0] == k ? dims[1] : dims[0];
    AffineMap other = op.getIndexingMapsArray()[1 - w];
    // `p` must be the output features: not indexing the activation.
    if (other.isFunctionOfDim(p) || !llvm::is_contained(parallel, p))
      continue;
    weight = w;
    n = p;
    info.weightNK = dims[0] == p;
    break;
  }
  if (weight < 0) {
    info.skipReason = {SkipKind::NotALayer,
                       "not a contraction of an activation with a weight"};
    return;
  }
  info.weightOperand = weight;
  info.weight = traces[weight];
  info.weightSource = info.weight.source;
  info.nDim = n;
  info.kDim = k;
  info.elementType = getElementTypeOrSelf(op.getDpsInputs()[weight].getType());

  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  info.shape.n = ranges[n];
  info.shape.k = ranges[k];
  info.shape.m = 1;
  for (unsigned d : parallel) {
    if (d == n)
      continue;
    if (ShapedType::isDynamic(ranges[d])) {
      info.shape.m = ShapedType::kDynamic;
      break;
    }
    std::optional<int64_t> m = llvm::checkedMul(info.shape.m, ranges[d]);
    if (!m) {
      info.skipReason = {SkipKind::TooLarge,
                         "too many tokens (their count overflows 64 bits)"};
      return;
    }
    info.shape.m = *m;
  }
  if (ShapedType::isDynamic(info.shape.n) ||
      ShapedType::isDynamic(info.shape.k))
    info.skipReason = {SkipKind::DynamicShape, "dynamic shape of the weight"};
  else if (!isProductElementType(info.elementType)) {
    info.skipReason.kind = SkipKind::ElementType;
    llvm::raw_string_ostream os(info.skipReason.text);
    os << "unsupported element type " << info.elementType
       << " (expected f16, bf16 or f32)";
  }
}

BudgetAnalysis::BudgetAnalysis(Operation *root) {
  root->walk([&](FunctionOpInterface func) {
    int index = 0;
    func.walk([&](linalg::LinalgOp op) {
      if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
          !linalg::isaContractionOpInterface(op))
        return;
      LayerInfo info;
      info.name = ("@" + func.getName() + "#" + Twine(index++)).str();
      analyzeContraction(op, info);
      layers.push_back(std::move(info));
    });
  });
  // A training step's gradient products belong to their weight's layer.
  weightUses.emplace(layers);
  for (LayerInfo &layer : layers)
    if (layer.skipReason.empty() && layer.weightSource &&
        weightUses->isActivation(layer.weightSource))
      layer.skipReason = {SkipKind::NotALayer,
                          "not a layer: the operand taken for its weight is "
                          "another product's activation"};
  for (const WeightGroup &group : weightUses->getGroups()) {
    const WeightUse *forward = nullptr;
    for (const std::vector<WeightUse> *uses :
         {&group.uses, &group.gradientUses}) {
      for (const WeightUse &use : *uses) {
        if (use.layer < 0)
          continue;
        if (use.kind == WeightUseKind::Forward) {
          forward = forward ? forward : &use;
          continue;
        }
        if (!forward || (use.kind != WeightUseKind::InputGrad &&
                         use.kind != WeightUseKind::WeightGrad))
          continue;
        LayerInfo &layer = layers[use.layer];
        layer.trainingOf = forward->layer;
        // The layer's cost is that of all its products.
        LayerShape &shape = layers[forward->layer].shape;
        ++shape.products;
        if (use.kind == WeightUseKind::WeightGrad)
          ++shape.weightGradients;
        else
          ++shape.inputGradients;
        layer.skipReason = {
            SkipKind::Training,
            (Twine(use.kind == WeightUseKind::InputGrad ? "the input"
                                                        : "the weight") +
             " gradient of " + layers[forward->layer].name +
             " (planned with that layer)")
                .str()};
      }
    }
  }
}

//===----------------------------------------------------------------------===//
// Allocation
//===----------------------------------------------------------------------===//

FailureOr<BudgetAnalysis::Allocation> BudgetAnalysis::allocate(
    const BudgetAnalysisOptions &options, std::string &error,
    llvm::function_ref<SkipReason(const LayerInfo &)> exclude) const {
  std::optional<TargetProfile> profile = getTargetProfile(options.target);
  if (!profile) {
    error = "unknown target '" + options.target + "' (expected one of " +
            llvm::join(getTargetProfileNames(), ", ") + ")";
    return failure();
  }
  if (options.cMem > 0)
    profile->cMem = options.cMem;
  if (options.cFlop > 0)
    profile->cFlop = options.cFlop;
  if (!(options.budget.budget > 0 && options.budget.budget <= 1)) {
    error = "budget must be in (0, 1], got " +
            llvm::formatv("{0}", llvm::format("%g", options.budget.budget))
                .str();
    return failure();
  }
  if (!(options.budget.lowRankFraction >= 0 &&
        options.budget.lowRankFraction < 1)) {
    error = "low-rank fraction must be in [0, 1), got " +
            llvm::formatv("{0}",
                          llvm::format("%g", options.budget.lowRankFraction))
                .str();
    return failure();
  }
  if (options.budget.rankMultiple <= 0) {
    error = "rank-multiple must be positive, got " +
            std::to_string(options.budget.rankMultiple);
    return failure();
  }
  if (options.block < 0 || options.minWeightElements < 0 ||
      options.tokens < 0) {
    error = "block, min-weight-size and tokens must be non-negative";
    return failure();
  }

  Allocation allocation{CostModel(*profile, options.block), {}, {}, {}};
  const CostModel &model = allocation.model;
  std::vector<LayerShape> shapes;
  for (auto [i, layer] : llvm::enumerate(layers)) {
    SkipReason reason = layer.skipReason;
    LayerShape shape = layer.shape;
    if (reason.empty() && ShapedType::isDynamic(shape.m)) {
      if (options.tokens > 0)
        shape.m = options.tokens;
      else
        reason = {SkipKind::DynamicShape,
                  "dynamic number of tokens (set the 'tokens' option to plan "
                  "it)"};
    }
    // Compared without forming n * k, which may not fit (a larger layer is
    // refused by isEligibleLayer).
    auto tooSmall = [&] {
      if (shape.n <= 0 || shape.k <= 0)
        return shape.n * shape.k < options.minWeightElements;
      return shape.n < static_cast<int64_t>(llvm::divideCeil(
                           options.minWeightElements, shape.k));
    };
    if (reason.empty() && tooSmall())
      reason = {SkipKind::TooSmall,
                "too small: " + std::to_string(shape.n * shape.k) +
                    " weights, fewer than min-weight-size " +
                    std::to_string(options.minWeightElements)};
    if (reason.empty() &&
        !isEligibleLayer(shape, model, options.budget, reason.text))
      reason.kind = shape.k > 0 && shape.n > kMaxPlannedWeightElements / shape.k
                        ? SkipKind::TooLarge
                        : SkipKind::Shape;
    if (reason.empty() && exclude)
      reason = exclude(layer);
    if (!reason.empty()) {
      allocation.skipped.emplace_back(i, reason);
      continue;
    }
    allocation.planned.push_back(i);
    shapes.push_back(shape);
  }
  if (shapes.empty())
    return allocation;
  allocation.result = allocateBudget(shapes, model, options.budget);
  return allocation;
}

//===----------------------------------------------------------------------===//
// Reports
//===----------------------------------------------------------------------===//

/// The shape a layer was planned with (its tokens possibly assumed).
static LayerShape plannedShape(const LayerInfo &layer,
                               const BudgetAnalysisOptions &options) {
  LayerShape s = layer.shape;
  if (ShapedType::isDynamic(s.m))
    s.m = options.tokens;
  return s;
}

static std::string shapeString(LayerShape s) {
  auto dim = [](int64_t d) {
    return ShapedType::isDynamic(d) ? std::string("?") : std::to_string(d);
  };
  return dim(s.m) + "x" + dim(s.n) + "x" + dim(s.k);
}

void BudgetAnalysis::printReport(
    const Allocation &a, const BudgetAnalysisOptions &options,
    llvm::raw_ostream &os, const llvm::DenseMap<size_t, double> *errors) const {
  const BudgetResult &r = a.result;
  os << "pixelfly-budget: target " << a.model.getProfile().name << ", block "
     << a.model.getBlock() << ", budget "
     << llvm::format("%g", options.budget.budget)
     << " of the dense cost, low-rank fraction "
     << llvm::format("%g", options.budget.lowRankFraction) << "\n";
  os << llvm::formatv("{0,-14} {1,-16} {2,-10} {3,12} {4,12} {5,12} {6,8} "
                      "{7,5} {8,10} {9,7}",
                      "layer", "MxNxK", "structure", "dense", "allocated",
                      "achieved", "density", "rank", "butterfly", "blocks");
  if (errors)
    os << llvm::formatv(" {0,9}", "error");
  os << "\n";
  for (auto [i, layerIndex] : llvm::enumerate(a.planned)) {
    const LayerInfo &layer = layers[layerIndex];
    const LayerPlan &p = r.plans[i];
    std::string butterfly = "-";
    std::string blocks = "-";
    if (p.structure == LayerStructure::Butterfly) {
      butterfly = std::to_string(p.butterfly.butterflySize) + "/" +
                  std::to_string(p.butterfly.nFactors);
      blocks = std::to_string(p.numBlocks);
    }
    os << llvm::formatv("{0,-14} {1,-16} {2,-10} {3,12:e3} {4,12:e3} "
                        "{5,12:e3} {6,8:f4} {7,5} {8,10} {9,7}",
                        layer.name, shapeString(plannedShape(layer, options)),
                        getLayerStructureName(p.structure), p.denseCost,
                        p.allocatedCost, p.achievedCost, p.density, p.rank,
                        butterfly, blocks);
    if (errors) {
      auto it = errors->find(layerIndex);
      if (it == errors->end())
        os << llvm::formatv(" {0,9}", "-");
      else
        os << llvm::formatv(" {0,9:f4}", it->second);
    }
    os << "\n";
  }
  os << llvm::formatv("total: dense {0:e3}, budget {1:e3}, achieved {2:e3} "
                      "({3:f4} of dense)\n",
                      r.totalDenseCost, r.budgetCost, r.totalAchievedCost,
                      r.totalDenseCost > 0
                          ? r.totalAchievedCost / r.totalDenseCost
                          : 0.0);
  for (size_t layerIndex : a.planned) {
    const LayerShape &s = layers[layerIndex].shape;
    if (s.products > 1)
      os << "training step: " << layers[layerIndex].name << " costs "
         << s.products << " products of its size ("
         << s.products - s.inputGradients - s.weightGradients << " forward, "
         << s.inputGradients << " input gradient"
         << (s.inputGradients == 1 ? "" : "s") << ", " << s.weightGradients
         << " weight gradient" << (s.weightGradients == 1 ? "" : "s") << ")\n";
  }
  for (auto &[layerIndex, reason] : a.skipped) {
    const LayerInfo &layer = layers[layerIndex];
    os << (layer.trainingOf >= 0 ? "planned with its layer: " : "kept dense: ")
       << layer.name;
    if (layer.weightOperand >= 0)
      os << " (" << shapeString(layer.shape) << ")";
    os << ": " << reason.text << "\n";
  }
}

void BudgetAnalysis::printReportJSON(
    const Allocation &a, const BudgetAnalysisOptions &options,
    llvm::raw_ostream &os, const llvm::DenseMap<size_t, double> *errors) const {
  const BudgetResult &r = a.result;
  llvm::json::Array planned, skipped;
  for (auto [i, layerIndex] : llvm::enumerate(a.planned)) {
    const LayerInfo &layer = layers[layerIndex];
    const LayerPlan &p = r.plans[i];
    LayerShape s = plannedShape(layer, options);
    llvm::json::Object o{
        {"name", layer.name},
        {"m", s.m},
        {"n", s.n},
        {"k", s.k},
        {"structure", getLayerStructureName(p.structure)},
        {"dense_cost", p.denseCost},
        {"allocated_cost", p.allocatedCost},
        {"achieved_cost", p.achievedCost},
        {"density", p.density},
        {"rank", p.rank},
    };
    if (errors) {
      auto it = errors->find(layerIndex);
      if (it != errors->end())
        o["relative_error"] = it->second;
    }
    if (s.products > 1) {
      o["products"] = s.products;
      o["weight_gradients"] = s.weightGradients;
      o["input_gradients"] = s.inputGradients;
    }
    if (p.structure == LayerStructure::Butterfly) {
      o["butterfly_size"] = p.butterfly.butterflySize;
      o["n_factors"] = p.butterfly.nFactors;
      o["block"] = p.butterfly.block;
      o["num_blocks"] = p.numBlocks;
    }
    planned.push_back(std::move(o));
  }
  for (auto &[layerIndex, reason] : a.skipped) {
    const LayerInfo &layer = layers[layerIndex];
    llvm::json::Object o{{"name", layer.name}, {"reason", reason.text}};
    if (layer.weightOperand >= 0) {
      auto dim = [](int64_t d) -> llvm::json::Value {
        if (ShapedType::isDynamic(d))
          return nullptr;
        return d;
      };
      o["m"] = dim(layer.shape.m);
      o["n"] = dim(layer.shape.n);
      o["k"] = dim(layer.shape.k);
    }
    skipped.push_back(std::move(o));
  }
  llvm::json::Object root{
      {"target", a.model.getProfile().name},
      {"block", a.model.getBlock()},
      {"budget", options.budget.budget},
      {"low_rank_fraction", options.budget.lowRankFraction},
      {"rank_multiple", options.budget.rankMultiple},
      {"total_dense_cost", r.totalDenseCost},
      {"budget_cost", r.budgetCost},
      {"total_achieved_cost", r.totalAchievedCost},
      {"layers", std::move(planned)},
      {"kept_dense", std::move(skipped)},
  };
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
}
