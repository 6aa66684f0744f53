//===- UpdateChain.cpp - A weight's optimizer update, re-shaped -----------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "UpdateChain.h"

#include "pixelfly/Analysis/BudgetAnalysis.h"
#include "pixelfly/Analysis/WeightUses.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace mlir::pixelfly;

namespace {
class ChainCollector {
public:
  ChainCollector(ArrayRef<int64_t> shape,
                 const llvm::DenseSet<Operation *> &skip, std::string &reason)
      : skip(skip), reason(reason) {
    chain.shape.assign(shape.begin(), shape.end());
  }

  LogicalResult run(ArrayRef<Value> roots);
  UpdateChain take() { return std::move(chain); }

private:
  bool isWeightShaped(Type type) const {
    auto ranked = dyn_cast<RankedTensorType>(type);
    return ranked && ranked.getShape() == ArrayRef<int64_t>(chain.shape);
  }
  LogicalResult fail(Operation *op, StringRef why) {
    llvm::raw_string_ostream os(reason);
    os << "the update's '" << op->getName() << "' at " << op->getLoc()
       << " cannot be rebuilt at the parameters' shape: " << why;
    return failure();
  }
  /// Whether `op` only rearranges a root for the products (a transpose of
  /// the weight read by the forward product).
  bool onlyFeedsSkipped(Operation *op, int depth = 0) const;
  LogicalResult checkOp(Operation *op);
  LogicalResult add(Operation *op);
  LogicalResult addOperand(Value operand, Operation *user);

  const llvm::DenseSet<Operation *> &skip;
  std::string &reason;
  UpdateChain chain;
  Block *body = nullptr;
  llvm::SetVector<Operation *> ops;
  llvm::DenseSet<Value> known;
  SmallVector<Value> worklist;
  llvm::SetVector<BlockArgument> state;
};
} // namespace

bool ChainCollector::onlyFeedsSkipped(Operation *op, int depth) const {
  if (depth > 8 || op->getNumResults() != 1 ||
      !isa<RankedTensorType>(op->getResult(0).getType()))
    return false;
  WeightTrace trace = traceWeight(op->getResult(0));
  if (trace.chain.empty() || trace.chain.front() != op)
    return false;
  return llvm::all_of(op->getUsers(), [&](Operation *user) {
    return skip.contains(user) || onlyFeedsSkipped(user, depth + 1);
  });
}

LogicalResult ChainCollector::checkOp(Operation *op) {
  if (op->getBlock() != body)
    return fail(op, "not in the function's body block");
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp) {
    if (!isElementwiseOnTensors(op))
      return fail(op, "not elementwise");
    for (Value operand : op->getOperands())
      if (isa<ShapedType>(operand.getType()) &&
          !isWeightShaped(operand.getType()))
        return fail(op, "it mixes shapes");
    return success();
  }
  if (!linalgOp.hasPureTensorSemantics())
    return fail(op, "not on tensors");
  bool reduction = linalgOp.getNumReductionLoops() == linalgOp.getNumLoops() &&
                   llvm::all_of(op->getResultTypes(), [](Type t) {
                     return cast<RankedTensorType>(t).getRank() == 0;
                   });
  if (!reduction && !isElementwiseOnTensors(op))
    return fail(op, "neither elementwise nor a reduction of every entry");
  bool usesIndex = false;
  op->walk([&](linalg::IndexOp) { usesIndex = true; });
  if (usesIndex)
    return fail(op, "its body reads the iteration indices");
  for (OpOperand &operand : op->getOpOperands()) {
    AffineMap map = linalgOp.getMatchingIndexingMap(&operand);
    Type type = operand.get().getType();
    if (isWeightShaped(type)) {
      if (!map.isIdentity())
        return fail(op, "it reads a weight-shaped value transposed");
      continue;
    }
    if (map.getNumResults() != 0)
      return fail(op, "it mixes shapes");
  }
  return success();
}

LogicalResult ChainCollector::addOperand(Value operand, Operation *user) {
  if (!isWeightShaped(operand.getType()) || known.contains(operand))
    return success();
  if (auto arg = dyn_cast<BlockArgument>(operand)) {
    if (arg.getOwner() != body || !body->isEntryBlock())
      return fail(user, "it reads a block argument that is not the "
                        "function's");
    state.insert(arg);
    known.insert(arg);
    worklist.push_back(arg);
    return success();
  }
  Operation *def = operand.getDefiningOp();
  if (isa<tensor::EmptyOp>(def))
    return success();
  Attribute constant;
  if (matchPattern(operand, m_Constant(&constant))) {
    auto dense = dyn_cast<DenseElementsAttr>(constant);
    if (!dense || !dense.isSplat())
      return fail(user, "it reads a weight-shaped constant that is not a "
                        "splat");
    return success();
  }
  return add(def);
}

LogicalResult ChainCollector::add(Operation *op) {
  if (ops.contains(op))
    return success();
  if (failed(checkOp(op)))
    return failure();
  ops.insert(op);
  for (Value operand : op->getOperands())
    if (failed(addOperand(operand, op)))
      return failure();
  for (Value result : op->getResults())
    if (isWeightShaped(result.getType()) && known.insert(result).second)
      worklist.push_back(result);
  return success();
}

LogicalResult ChainCollector::run(ArrayRef<Value> roots) {
  Value first = roots.front();
  if (auto arg = dyn_cast<BlockArgument>(first))
    body = arg.getOwner();
  else
    body = first.getDefiningOp()->getBlock();
  for (Value root : roots) {
    known.insert(root);
    worklist.push_back(root);
  }
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    for (OpOperand &use : value.getUses()) {
      Operation *user = use.getOwner();
      // Shape queries need no values; the caller folds them.
      if (skip.contains(user) || onlyFeedsSkipped(user) ||
          isa<tensor::DimOp>(user))
        continue;
      if (user->hasTrait<OpTrait::ReturnLike>()) {
        chain.returned.push_back(&use);
        continue;
      }
      if (failed(add(user)))
        return failure();
    }
  }
  chain.ops = ops.takeVector();
  llvm::sort(chain.ops,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  chain.state = state.takeVector();
  llvm::sort(chain.state, [](BlockArgument a, BlockArgument b) {
    return a.getArgNumber() < b.getArgNumber();
  });
  return success();
}

FailureOr<UpdateChain> mlir::pixelfly::collectUpdateChain(
    ArrayRef<Value> roots, ArrayRef<int64_t> shape,
    const llvm::DenseSet<Operation *> &skip, std::string &reason) {
  ChainCollector collector(shape, skip, reason);
  if (failed(collector.run(roots)))
    return failure();
  return collector.take();
}

void mlir::pixelfly::rebuildUpdateChain(const UpdateChain &chain,
                                        MutableArrayRef<ChainTarget> targets) {
  if ((chain.ops.empty() && chain.returned.empty()) || targets.empty())
    return;
  auto isWeightShaped = [&](Type type) {
    auto ranked = dyn_cast<RankedTensorType>(type);
    return ranked && ranked.getShape() == ArrayRef<int64_t>(chain.shape);
  };
  auto reshaped = [&](Type type, ArrayRef<int64_t> shape) -> Type {
    if (!isWeightShaped(type))
      return type;
    return RankedTensorType::get(shape,
                                 cast<RankedTensorType>(type).getElementType());
  };
  // An operand at the target's shape: mapped, or an empty tensor or a splat
  // made anew; other operands (scalars) as they are.
  auto operandFor = [&](OpBuilder &b, Value value,
                        ChainTarget &target) -> Value {
    if (Value mapped = target.mapping.lookupOrNull(value))
      return mapped;
    if (!isWeightShaped(value.getType()))
      return value;
    auto type = cast<RankedTensorType>(reshaped(value.getType(), target.shape));
    Location loc = value.getLoc();
    Value fresh;
    if (value.getDefiningOp<tensor::EmptyOp>()) {
      fresh = tensor::EmptyOp::create(b, loc, type.getShape(),
                                      type.getElementType());
    } else {
      Attribute constant;
      (void)matchPattern(value, m_Constant(&constant));
      auto splat = cast<DenseElementsAttr>(constant);
      fresh = arith::ConstantOp::create(
          b, loc, type,
          DenseElementsAttr::get(type, splat.getSplatValue<Attribute>()));
    }
    target.mapping.map(value, fresh);
    return fresh;
  };

  // Op by op, then target by target: an op after a reduction reads the
  // reduction over every target, which must exist by then.
  MLIRContext *ctx =
      chain.ops.empty() ? nullptr : chain.ops.front()->getContext();
  for (Operation *original : chain.ops) {
    OpBuilder b(original);
    Location loc = original->getLoc();
    auto linalgOp = dyn_cast<linalg::LinalgOp>(original);
    bool reduction = linalgOp && linalgOp.getNumReductionLoops() != 0;
    SmallVector<Value> previous;
    for (ChainTarget &target : targets) {
      int64_t rank = target.shape.size();
      SmallVector<Type> resultTypes;
      for (Type t : original->getResultTypes())
        resultTypes.push_back(reshaped(t, target.shape));
      Operation *rebuilt = nullptr;
      if (linalgOp) {
        // Elementwise maps are identities (or scalar broadcasts), reductions
        // of every entry read the value whole: both are rebuilt at the new
        // rank.
        SmallVector<AffineMap> maps;
        for (OpOperand &operand : original->getOpOperands()) {
          AffineMap map = linalgOp.getMatchingIndexingMap(&operand);
          maps.push_back(map.getNumResults() == 0
                             ? AffineMap::get(rank, 0, ctx)
                             : AffineMap::getMultiDimIdentityMap(rank, ctx));
        }
        SmallVector<utils::IteratorType> iterators(
            rank, reduction ? utils::IteratorType::reduction
                            : utils::IteratorType::parallel);
        SmallVector<Value> inputs, outputs;
        for (Value v : linalgOp.getDpsInputs())
          inputs.push_back(operandFor(b, v, target));
        if (!previous.empty())
          outputs = previous;
        else
          for (Value v : linalgOp.getDpsInits())
            outputs.push_back(operandFor(b, v, target));
        auto generic = linalg::GenericOp::create(b, loc, resultTypes, inputs,
                                                 outputs, maps, iterators);
        // Named ops have their body as a region too (an implicit one is
        // built on demand by generalization); clone whichever exists.
        Region &region = original->getRegion(0);
        IRMapping bodyMapping;
        region.cloneInto(&generic.getRegion(), bodyMapping);
        rebuilt = generic;
      } else {
        SmallVector<Value> operands;
        for (Value v : original->getOperands())
          operands.push_back(operandFor(b, v, target));
        OperationState state(loc, original->getName(), operands, resultTypes,
                             original->getAttrs());
        rebuilt = b.create(state);
      }
      for (auto [old, now] :
           llvm::zip_equal(original->getResults(), rebuilt->getResults()))
        target.mapping.map(old, now);
      if (reduction)
        previous.assign(rebuilt->result_begin(), rebuilt->result_end());
    }
    if (!reduction)
      continue;
    // Every reader of the reduction, old or rebuilt, sees the whole sum.
    for (auto [old, total] :
         llvm::zip_equal(original->getResults(), previous)) {
      for (ChainTarget &target : targets)
        target.mapping.map(old, total);
      old.replaceAllUsesWith(total);
    }
  }

  // A returned weight-shaped value becomes one result per target.
  llvm::MapVector<Operation *, llvm::DenseSet<unsigned>> returns;
  for (OpOperand *use : chain.returned)
    returns[use->getOwner()].insert(use->getOperandNumber());
  for (auto &[op, numbers] : returns) {
    SmallVector<Value> operands;
    for (OpOperand &operand : op->getOpOperands()) {
      if (!numbers.contains(operand.getOperandNumber())) {
        operands.push_back(operand.get());
        continue;
      }
      for (ChainTarget &target : targets)
        operands.push_back(target.mapping.lookup(operand.get()));
    }
    op->setOperands(operands);
  }
}
