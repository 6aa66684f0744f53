//===- GPUReductions.cpp - Reductions spread over many GPU threads --------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// The GPU pipeline maps the parallel loops of what is left of linalg to
// threads and keeps the reduction loops inside each thread. A training
// step's bias gradients, gradient norms and gate gradients reduce over
// thousands of tokens into few outputs: as written they would run on a few
// hundred threads, or one, and a reduction loop written outside a parallel
// one would even stay on the host around a kernel launch per iteration.
// Here a long reduction becomes partial results over chunks, computed by
// many threads, and a short op that combines them; every reduction op then
// runs its reduction loops innermost.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"

#include "llvm/Support/MathExtras.h"

namespace mlir::pixelfly {
#define GEN_PASS_DEF_PIXELFLYGPUREDUCTIONS
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h.inc"
} // namespace mlir::pixelfly

using namespace mlir;
using namespace mlir::pixelfly;

namespace {

/// How the reduction loop `loop` of an op is cut into `P` partial results
/// of `C` iterations each. Row-wise (the loop is an input's innermost
/// dimension), partial `p` reads iterations `c * P + p` and `P` is the
/// static `factor`; otherwise it reads `p * C + c` and `C` is `factor`
/// (for a dynamic size, `C` is at least `factor`).
struct SplitPlan {
  unsigned loop = 0;
  bool rowWise = false;
  int64_t factor = 0;
  /// For each input, the result position of the loop in its map, if any.
  SmallVector<std::optional<unsigned>> position;
  /// The op that yields each output from its block argument.
  SmallVector<Operation *> combiners;
};

/// Limits a split must respect.
struct SplitLimits {
  int64_t threads;
  int64_t minChunk;
};

/// Splits of ops whose reduction size is only known at run time nest at
/// most this deep (their combining op's size is dynamic too).
constexpr unsigned kMaxDynamicDepth = 2;
/// Partials per output of a row-wise split of a dynamic size.
constexpr int64_t kDynamicRowPartials = 256;

} // namespace

/// Output `i`'s combiner: the single user of its block argument, an
/// associative and commutative arith op with a neutral element whose other
/// operand depends on no output and whose result is only yielded as
/// output `i`.
static Operation *combinerOf(linalg::GenericOp op, unsigned i) {
  BlockArgument arg = op.getRegionOutputArgs()[i];
  if (!arg.hasOneUse())
    return nullptr;
  Operation *combiner = *arg.getUsers().begin();
  if (combiner->getBlock() != op.getBody() || combiner->getNumOperands() != 2 ||
      combiner->getNumResults() != 1 ||
      combiner->getOperand(0) == combiner->getOperand(1) ||
      !combiner->getResult(0).hasOneUse() ||
      !arith::getNeutralElement(combiner))
    return nullptr;
  auto yield = cast<linalg::YieldOp>(op.getBody()->getTerminator());
  if (yield.getOperand(i) != combiner->getResult(0))
    return nullptr;
  return combiner;
}

/// Product of the static sizes of the parallel loops (dynamic ones count 1),
/// at most `cap`: sizes near 2^62 would overflow it.
static int64_t parallelIterations(linalg::GenericOp op, int64_t cap) {
  int64_t count = 1;
  for (auto [size, kind] :
       llvm::zip(op.getStaticLoopRanges(), op.getIteratorTypesArray())) {
    if (kind != utils::IteratorType::parallel || ShapedType::isDynamic(size))
      continue;
    if (size == 0)
      return 0;
    if (count > cap / size)
      return cap;
    count *= size;
  }
  return std::min(count, cap);
}

/// The split of `op`, or why there is none (`why` empty: not worth it).
static FailureOr<SplitPlan> planSplit(linalg::GenericOp op,
                                      const SplitLimits &limits, unsigned depth,
                                      std::string &why) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<utils::IteratorType> kinds = op.getIteratorTypesArray();
  // The loop to split: a dynamic one (the tokens), else the longest.
  std::optional<unsigned> loop;
  for (auto [i, kind] : llvm::enumerate(kinds)) {
    if (kind != utils::IteratorType::reduction)
      continue;
    if (!loop || ShapedType::isDynamic(ranges[i]) ||
        (!ShapedType::isDynamic(ranges[*loop]) && ranges[i] > ranges[*loop]))
      loop = i;
  }
  if (!loop)
    return failure();
  int64_t size = ranges[*loop];
  // No parallel iteration at all: no result element to spread over threads.
  int64_t parallel = parallelIterations(op, limits.threads);
  if (parallel == 0)
    return failure();
  int64_t wanted = llvm::divideCeil(limits.threads, parallel);
  bool dynamic = ShapedType::isDynamic(size);
  if (wanted < 2 || (dynamic && depth >= kMaxDynamicDepth) ||
      (!dynamic && (size < 4 * limits.minChunk ||
                    std::min(wanted, size / limits.minChunk) < 2)))
    return failure();

  SplitPlan plan;
  plan.loop = *loop;
  if (!op.hasPureTensorSemantics() || op.getNumDpsInits() == 0) {
    why = "it is not on tensors";
    return failure();
  }
  if (!op.getBody()->getOps<linalg::IndexOp>().empty()) {
    why = "its body reads linalg.index";
    return failure();
  }
  for (OpOperand &init : op.getDpsInitsMutable()) {
    if (!op.getMatchingIndexingMap(&init).isProjectedPermutation()) {
      why = "an output is not read through a projected permutation";
      return failure();
    }
    Operation *combiner = combinerOf(op, plan.combiners.size());
    if (!combiner) {
      why = "output #" + std::to_string(plan.combiners.size()) +
            " is not one associative arith op of the output and a value "
            "that depends on no output";
      return failure();
    }
    plan.combiners.push_back(combiner);
  }
  bool anyInput = false;
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    std::optional<unsigned> at;
    for (auto [pos, expr] : llvm::enumerate(map.getResults())) {
      if (!expr.isFunctionOfDim(*loop))
        continue;
      if (at || expr != getAffineDimExpr(*loop, op.getContext())) {
        why = "the reduction reaches an input other than as one plain "
              "dimension";
        return failure();
      }
      at = pos;
    }
    if (at && *at + 1 == map.getNumResults())
      plan.rowWise = true;
    anyInput |= at.has_value();
    plan.position.push_back(at);
  }
  if (!anyInput) {
    why = "no input is read along the reduction";
    return failure();
  }

  if (dynamic) {
    plan.factor =
        plan.rowWise ? std::min(wanted, kDynamicRowPartials) : limits.minChunk;
    return plan;
  }
  int64_t partials = std::min(wanted, size / limits.minChunk);
  plan.factor = plan.rowWise ? partials : size / partials;
  return plan;
}

namespace {
/// The ops a split made, for the worklist, and the values that replace the
/// op's results.
struct SplitOps {
  SmallVector<linalg::GenericOp> combining;
  linalg::GenericOp rest;
  SmallVector<Value> results;
};
} // namespace

/// Builds at the insertion point what replaces `op` by `plan`: partials
/// into a new parallel dimension, one op per output that combines them into
/// the output's init, and the original op on the iterations past `P * C`
/// (if any may exist). `size` is the split loop's size.
static SplitOps buildSplit(RewriterBase &rewriter, linalg::GenericOp op,
                           const SplitPlan &plan, OpFoldResult size) {
  MLIRContext *ctx = op.getContext();
  Location loc = op.getLoc();
  unsigned numLoops = op.getNumLoops();
  unsigned r = plan.loop;
  // P, C and the split part's length.
  std::optional<int64_t> staticSize = getConstantIntValue(size);
  OpFoldResult partials, chunk, length;
  if (staticSize) {
    int64_t p = plan.rowWise ? plan.factor : *staticSize / plan.factor;
    int64_t c = plan.rowWise ? *staticSize / plan.factor : plan.factor;
    partials = rewriter.getIndexAttr(p);
    chunk = rewriter.getIndexAttr(c);
    length = rewriter.getIndexAttr(p * c);
  } else {
    // Row-wise: P partials (a static grid dimension) of S / P iterations
    // (none when S < P: the rest does it all). Column: S / C partials of C
    // (at least one: applySplit guards S >= C).
    Value factor = arith::ConstantIndexOp::create(rewriter, loc, plan.factor);
    Value quotient =
        arith::DivUIOp::create(rewriter, loc, cast<Value>(size), factor);
    OpFoldResult fixed = rewriter.getIndexAttr(plan.factor);
    partials = plan.rowWise ? fixed : OpFoldResult(quotient);
    chunk = plan.rowWise ? OpFoldResult(quotient) : fixed;
    length = arith::MulIOp::create(rewriter, loc, quotient, factor).getResult();
  }
  // Iterations past P * C exist (or may, at run time).
  bool hasRest = !staticSize || *getConstantIntValue(length) != *staticSize;

  // New loops: the parallel ones, the partials' (last if row-wise, else
  // first), the chunk's, the other reductions.
  SmallVector<unsigned> newPos(numLoops);
  SmallVector<utils::IteratorType> kinds = op.getIteratorTypesArray();
  unsigned next = plan.rowWise ? 0 : 1;
  for (unsigned d = 0; d < numLoops; ++d)
    if (kinds[d] == utils::IteratorType::parallel)
      newPos[d] = next++;
  unsigned pPos = plan.rowWise ? next++ : 0;
  unsigned cPos = next++;
  for (unsigned d = 0; d < numLoops; ++d)
    if (kinds[d] == utils::IteratorType::reduction && d != r)
      newPos[d] = next++;
  newPos[r] = cPos;
  SmallVector<AffineExpr> renamed;
  for (unsigned d = 0; d < numLoops; ++d)
    renamed.push_back(getAffineDimExpr(newPos[d], ctx));
  AffineExpr pExpr = getAffineDimExpr(pPos, ctx);
  AffineExpr cExpr = getAffineDimExpr(cPos, ctx);

  // Inputs: the split part of the reduced dimension, as (C, P) or (P, C).
  SmallVector<Value> inputs, restInputs;
  SmallVector<AffineMap> maps;
  for (auto [operand, at] :
       llvm::zip(op.getDpsInputOperands(), plan.position)) {
    Value input = operand->get();
    AffineMap map = op.getMatchingIndexingMap(operand);
    if (!at) {
      inputs.push_back(input);
      restInputs.push_back(input);
      maps.push_back(map.replaceDimsAndSymbols(renamed, {}, numLoops + 1,
                                               map.getNumSymbols()));
      continue;
    }
    auto type = cast<RankedTensorType>(input.getType());
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> offsets(type.getRank(), rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> strides(type.getRank(), rewriter.getIndexAttr(1));
    OpFoldResult full = sizes[*at];
    Value split = input;
    if (hasRest) {
      sizes[*at] = length;
      split = tensor::ExtractSliceOp::create(rewriter, loc, input, offsets,
                                             sizes, strides);
      // The rest: iterations from P * C on.
      SmallVector<OpFoldResult> restSizes = sizes;
      SmallVector<OpFoldResult> restOffsets = offsets;
      restOffsets[*at] = length;
      std::optional<int64_t> fullSize = getConstantIntValue(full);
      std::optional<int64_t> splitSize = getConstantIntValue(length);
      restSizes[*at] =
          fullSize && splitSize
              ? OpFoldResult(rewriter.getIndexAttr(*fullSize - *splitSize))
              : OpFoldResult(
                    arith::SubIOp::create(
                        rewriter, loc,
                        getValueOrCreateConstantIndexOp(rewriter, loc, full),
                        getValueOrCreateConstantIndexOp(rewriter, loc, length))
                        .getResult());
      restInputs.push_back(tensor::ExtractSliceOp::create(
          rewriter, loc, input, restOffsets, restSizes, strides));
    } else {
      restInputs.push_back(Value());
    }
    SmallVector<OpFoldResult> expanded;
    SmallVector<ReassociationIndices> groups;
    SmallVector<AffineExpr> results;
    for (auto [pos, expr] : llvm::enumerate(map.getResults())) {
      ReassociationIndices group = {static_cast<int64_t>(expanded.size())};
      if (pos != *at) {
        expanded.push_back(sizes[pos]);
        results.push_back(expr.replaceDims(renamed));
      } else {
        OpFoldResult outer = plan.rowWise ? chunk : partials;
        OpFoldResult inner = plan.rowWise ? partials : chunk;
        expanded.append({outer, inner});
        group.push_back(group.front() + 1);
        results.append(
            {plan.rowWise ? cExpr : pExpr, plan.rowWise ? pExpr : cExpr});
      }
      groups.push_back(group);
    }
    SmallVector<int64_t> shape;
    for (OpFoldResult s : expanded)
      shape.push_back(getConstantIntValue(s).value_or(ShapedType::kDynamic));
    inputs.push_back(tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get(shape, type.getElementType()),
        split, groups, expanded));
    maps.push_back(AffineMap::get(numLoops + 1, 0, results, ctx));
  }

  // Partial results, from the neutral element.
  SmallVector<Value> partialInits;
  SmallVector<Type> partialTypes;
  for (auto [i, init] : llvm::enumerate(op.getDpsInitsMutable())) {
    auto type = cast<RankedTensorType>(init.get().getType());
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, init.get());
    SmallVector<AffineExpr> results;
    for (AffineExpr expr : op.getMatchingIndexingMap(&init).getResults())
      results.push_back(expr.replaceDims(renamed));
    if (plan.rowWise) {
      sizes.push_back(partials);
      results.push_back(pExpr);
    } else {
      sizes.insert(sizes.begin(), partials);
      results.insert(results.begin(), pExpr);
    }
    maps.push_back(AffineMap::get(numLoops + 1, 0, results, ctx));
    Value empty =
        tensor::EmptyOp::create(rewriter, loc, sizes, type.getElementType());
    auto neutral = *arith::getNeutralElement(plan.combiners[i]);
    Value identity = arith::ConstantOp::create(rewriter, loc, neutral);
    partialInits.push_back(
        linalg::FillOp::create(rewriter, loc, identity, empty).getResult(0));
    partialTypes.push_back(empty.getType());
  }
  SmallVector<utils::IteratorType> newKinds(numLoops + 1,
                                            utils::IteratorType::reduction);
  for (unsigned d = 0; d < numLoops; ++d)
    if (kinds[d] == utils::IteratorType::parallel)
      newKinds[newPos[d]] = utils::IteratorType::parallel;
  newKinds[pPos] = utils::IteratorType::parallel;
  auto partial = linalg::GenericOp::create(rewriter, loc, partialTypes, inputs,
                                           partialInits, maps, newKinds);
  rewriter.cloneRegionBefore(op.getRegion(), partial.getRegion(),
                             partial.getRegion().end());

  // One combining op per output: its partials folded into its init.
  SplitOps made;
  SmallVector<Value> combined;
  for (auto [i, init] : llvm::enumerate(op.getDpsInits())) {
    unsigned rank = cast<RankedTensorType>(init.getType()).getRank();
    SmallVector<AffineExpr> dims;
    for (unsigned d = 0; d < rank; ++d)
      dims.push_back(getAffineDimExpr(d, ctx));
    SmallVector<AffineExpr> partialDims = dims;
    AffineExpr last = getAffineDimExpr(rank, ctx);
    if (plan.rowWise)
      partialDims.push_back(last);
    else
      partialDims.insert(partialDims.begin(), last);
    SmallVector<AffineMap> combineMaps = {
        AffineMap::get(rank + 1, 0, partialDims, ctx),
        AffineMap::get(rank + 1, 0, dims, ctx)};
    SmallVector<utils::IteratorType> combineKinds(
        rank, utils::IteratorType::parallel);
    combineKinds.push_back(utils::IteratorType::reduction);
    Operation *combiner = plan.combiners[i];
    BlockArgument out = op.getRegionOutputArgs()[i];
    auto combine = linalg::GenericOp::create(
        rewriter, loc, init.getType(), partial.getResult(i), init, combineMaps,
        combineKinds, [&](OpBuilder &b, Location, ValueRange args) {
          IRMapping mapping;
          for (Value operand : combiner->getOperands())
            mapping.map(operand, operand == out ? args[1] : args[0]);
          Operation *clone = b.clone(*combiner, mapping);
          linalg::YieldOp::create(b, loc, clone->getResult(0));
        });
    made.combining.push_back(combine);
    combined.push_back(combine.getResult(0));
  }

  // The rest of the iterations, into the combined results.
  if (!hasRest) {
    made.results = combined;
    return made;
  }
  IRMapping mapping;
  for (auto [input, rest] : llvm::zip(op.getDpsInputs(), restInputs))
    mapping.map(input, rest ? rest : input);
  for (auto [init, value] : llvm::zip(op.getDpsInits(), combined))
    mapping.map(init, value);
  auto rest = cast<linalg::GenericOp>(rewriter.clone(*op, mapping));
  made.rest = rest;
  made.results = rest->getResults();
  return made;
}

/// Replaces `op` by its split. A column split of a dynamic size S runs
/// only where S >= C (else the op as it is): S / C partials would be an
/// empty grid, an invalid launch, for fewer iterations.
static SplitOps applySplit(RewriterBase &rewriter, linalg::GenericOp op,
                           const SplitPlan &plan) {
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  OpFoldResult size;
  for (auto [input, at] : llvm::zip(op.getDpsInputs(), plan.position))
    if (at) {
      size = tensor::getMixedSize(rewriter, loc, input, *at);
      break;
    }
  if (plan.rowWise || getConstantIntValue(size)) {
    SplitOps made = buildSplit(rewriter, op, plan, size);
    rewriter.replaceOp(op, made.results);
    return made;
  }
  Value enough = arith::CmpIOp::create(
      rewriter, loc, arith::CmpIPredicate::uge, cast<Value>(size),
      arith::ConstantIndexOp::create(rewriter, loc, plan.factor));
  auto guard = scf::IfOp::create(rewriter, loc, op->getResultTypes(), enough,
                                 /*withElseRegion=*/true);
  rewriter.setInsertionPointToStart(guard.elseBlock());
  Operation *whole = rewriter.clone(*op);
  scf::YieldOp::create(rewriter, loc, whole->getResults());
  rewriter.setInsertionPointToStart(guard.thenBlock());
  SplitOps made = buildSplit(rewriter, op, plan, size);
  scf::YieldOp::create(rewriter, loc, made.results);
  rewriter.replaceOp(op, guard.getResults());
  return made;
}

/// Collapses runs of adjacent reduction loops that every operand reads as
/// one contiguous run, so that the split sees one long reduction.
static linalg::GenericOp collapseReductions(RewriterBase &rewriter,
                                            linalg::GenericOp op) {
  if (!op.hasPureTensorSemantics() ||
      !op.getBody()->getOps<linalg::IndexOp>().empty())
    return op;
  SmallVector<utils::IteratorType> kinds = op.getIteratorTypesArray();
  SmallVector<ReassociationIndices> groups;
  for (unsigned d = 0; d < kinds.size(); ++d) {
    if (kinds[d] != utils::IteratorType::reduction)
      continue;
    if (!groups.empty() && groups.back().back() + 1 == d)
      groups.back().push_back(d);
    else
      groups.push_back({static_cast<int64_t>(d)});
  }
  llvm::erase_if(groups, [&](const ReassociationIndices &group) {
    return group.size() < 2 ||
           !linalg::areDimSequencesPreserved(op.getIndexingMapsArray(), group);
  });
  if (groups.empty())
    return op;
  rewriter.setInsertionPoint(op);
  FailureOr<linalg::CollapseResult> collapsed =
      linalg::collapseOpIterationDims(op, groups, rewriter);
  if (failed(collapsed))
    return op;
  rewriter.replaceOp(op, collapsed->results);
  return cast<linalg::GenericOp>(collapsed->collapsedOp.getOperation());
}

/// Puts `op`'s parallel loops before its reduction loops.
static void reductionsLast(RewriterBase &rewriter, linalg::GenericOp op) {
  SmallVector<utils::IteratorType> kinds = op.getIteratorTypesArray();
  SmallVector<unsigned> order;
  for (auto [d, kind] : llvm::enumerate(kinds))
    if (kind == utils::IteratorType::parallel)
      order.push_back(d);
  for (auto [d, kind] : llvm::enumerate(kinds))
    if (kind != utils::IteratorType::parallel)
      order.push_back(d);
  if (llvm::equal(order, llvm::seq<unsigned>(0, kinds.size())))
    return;
  rewriter.setInsertionPoint(op);
  (void)linalg::interchangeGenericOp(rewriter, op, order);
}

namespace {
struct PixelflyGPUReductionsPass
    : public pixelfly::impl::PixelflyGPUReductionsBase<
          PixelflyGPUReductionsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (threads < 1 || minChunk < 1) {
      getOperation().emitError()
          << "pixelfly-gpu-reductions: threads and min-chunk must be "
             "positive";
      return signalPassFailure();
    }
    SplitLimits limits{threads, minChunk};
    IRRewriter rewriter(&getContext());
    SmallVector<std::pair<linalg::GenericOp, unsigned>> worklist;
    SmallVector<linalg::ReduceOp> reduces;
    getOperation().walk([&](Operation *op) {
      if (auto reduce = dyn_cast<linalg::ReduceOp>(op)) {
        if (reduce.hasPureTensorSemantics())
          reduces.push_back(reduce);
      } else if (auto generic = dyn_cast<linalg::GenericOp>(op)) {
        if (generic.getNumReductionLoops() > 0)
          worklist.push_back({generic, 0});
      }
    });
    for (linalg::ReduceOp reduce : reduces) {
      rewriter.setInsertionPoint(reduce);
      FailureOr<linalg::GenericOp> generic =
          linalg::generalizeNamedOp(rewriter, reduce);
      if (succeeded(generic))
        worklist.push_back({*generic, 0});
    }

    while (!worklist.empty()) {
      auto [op, depth] = worklist.pop_back_val();
      op = collapseReductions(rewriter, op);
      std::string why;
      FailureOr<SplitPlan> plan = planSplit(op, limits, depth, why);
      if (failed(plan)) {
        if (remarks && !why.empty())
          op->emitRemark() << "pixelfly-gpu-reductions: left a long "
                              "reduction whole: "
                           << why;
        continue;
      }
      bool dynamic =
          ShapedType::isDynamic(op.getStaticLoopRanges()[plan->loop]);
      SplitOps made = applySplit(rewriter, op, *plan);
      // A combining op of a dynamic column split is dynamic again: one
      // level deeper. A dynamic split's rest is shorter than its factor.
      for (linalg::GenericOp combine : made.combining)
        worklist.push_back({combine, dynamic ? depth + 1 : depth});
      if (made.rest && !dynamic)
        worklist.push_back({made.rest, depth});
    }
    getOperation().walk([&](linalg::GenericOp op) {
      if (op.hasPureTensorSemantics() && op.getNumReductionLoops() > 0)
        reductionsLast(rewriter, op);
    });
  }
};
} // namespace
