//===- GPUFuseElementwise.cpp - Elementwise chains with shared values -----===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Upstream's elementwise fusion fuses a producer into its consumer only
// when the consumer is the producer's one user. An optimizer update is not
// such a chain: AdamW's new moments feed the weight's update and are
// returned as the new state, so the three ops stay three kernels that read
// the gradient twice and write and reread both moments. Fused, the
// consumer also yields the producer's values: one kernel, each tensor read
// or written once. A producer that another linalg op also reads is left
// alone (fusing it into both would compute it twice).
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::pixelfly {
#define GEN_PASS_DEF_PIXELFLYGPUFUSEELEMENTWISE
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h.inc"
} // namespace mlir::pixelfly

using namespace mlir;

namespace {

/// Whether `op` is an elementwise generic on tensors this pass can merge:
/// every loop parallel, no linalg.index (no loop renumbering needed).
bool isMergeable(linalg::GenericOp op) {
  return op.hasPureTensorSemantics() &&
         op.getNumLoops() == op.getNumParallelLoops() &&
         op.getBody()->getOps<linalg::IndexOp>().empty();
}

/// Whether `user` runs after `consumer`: in its block, or inside an op of
/// its block, after it.
bool runsAfter(Operation *consumer, Operation *user) {
  Operation *ancestor = consumer->getBlock()->findAncestorOpInBlock(*user);
  return ancestor && ancestor != consumer &&
         consumer->isBeforeInBlock(ancestor);
}

/// The generic producing one of `consumer`'s inputs that can be merged
/// into it: a single result, read by `consumer` through permutations,
/// whose other users are not linalg ops and run after `consumer` (they
/// read the merged op's extra result, defined where `consumer` was).
linalg::GenericOp producerToMerge(linalg::GenericOp consumer) {
  for (OpOperand *input : consumer.getDpsInputOperands()) {
    auto producer = input->get().getDefiningOp<linalg::GenericOp>();
    if (!producer || !isMergeable(producer) || producer->getNumResults() != 1 ||
        producer.getNumLoops() != consumer.getNumLoops() ||
        !producer.getIndexingMapMatchingResult(producer->getResult(0))
             .isPermutation())
      continue;
    Value result = producer->getResult(0);
    bool ok = llvm::all_of(result.getUsers(), [&](Operation *user) {
      return user == consumer.getOperation() ||
             (!isa<linalg::LinalgOp>(user) && runsAfter(consumer, user));
    });
    // Every read of it through one permutation: the merged body computes
    // the producer's value at one position per iteration.
    std::optional<AffineMap> read;
    ok &= llvm::all_of(consumer.getDpsInputOperands(), [&](OpOperand *use) {
      if (use->get() != result)
        return true;
      AffineMap map = consumer.getMatchingIndexingMap(use);
      if (!read)
        read = map;
      return map.isPermutation() && map == *read;
    });
    // Not as the consumer's init (which the merged op could not read).
    ok &= !llvm::is_contained(consumer.getDpsInits(), result);
    // A producer that only `consumer` reads is upstream fusion's case.
    if (ok && llvm::any_of(result.getUsers(), [&](Operation *user) {
          return user != consumer.getOperation();
        }))
      return producer;
  }
  return nullptr;
}

/// `consumer` with `producer` computed inside it: the producer's inputs
/// become the merged op's, its value replaces every read of its result,
/// and the merged op also yields it, as an extra result.
struct MergeProducer : public OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp consumer,
                                PatternRewriter &rewriter) const override {
    if (!isMergeable(consumer))
      return failure();
    linalg::GenericOp producer = producerToMerge(consumer);
    if (!producer)
      return failure();
    Value result = producer->getResult(0);
    // Producer loops in terms of consumer loops, through the tensor both
    // index: inverse(producer's output map) o consumer's map of it.
    AffineMap toProducer;
    SmallVector<Value> inputs;
    SmallVector<AffineMap> maps;
    for (OpOperand *input : consumer.getDpsInputOperands()) {
      if (input->get() == result) {
        toProducer = inversePermutation(producer.getIndexingMapMatchingResult(
                                            cast<OpResult>(result)))
                         .compose(consumer.getMatchingIndexingMap(input));
        continue;
      }
      inputs.push_back(input->get());
      maps.push_back(consumer.getMatchingIndexingMap(input));
    }
    for (OpOperand *input : producer.getDpsInputOperands()) {
      inputs.push_back(input->get());
      maps.push_back(
          producer.getMatchingIndexingMap(input).compose(toProducer));
    }
    SmallVector<Value> inits = consumer.getDpsInits();
    for (OpOperand &init : consumer.getDpsInitsMutable())
      maps.push_back(consumer.getMatchingIndexingMap(&init));
    OpOperand &producerInit = producer.getDpsInitsMutable()[0];
    inits.push_back(producerInit.get());
    maps.push_back(
        producer.getMatchingIndexingMap(&producerInit).compose(toProducer));
    SmallVector<Type> types(consumer->getResultTypes());
    types.push_back(result.getType());

    auto merged = linalg::GenericOp::create(rewriter, consumer.getLoc(), types,
                                            inputs, inits, maps,
                                            consumer.getIteratorTypesArray());
    Block *body = rewriter.createBlock(&merged.getRegion());
    Location loc = consumer.getLoc();
    auto argOf = [&](Value v) {
      return body->addArgument(getElementTypeOrSelf(v.getType()), loc);
    };
    // Block arguments in the merged op's operand order.
    IRMapping mapping;
    for (OpOperand *input : consumer.getDpsInputOperands())
      if (input->get() != result)
        mapping.map(consumer.getMatchingBlockArgument(input),
                    argOf(input->get()));
    for (OpOperand *input : producer.getDpsInputOperands())
      mapping.map(producer.getMatchingBlockArgument(input),
                  argOf(input->get()));
    for (OpOperand &init : consumer.getDpsInitsMutable())
      mapping.map(consumer.getMatchingBlockArgument(&init), argOf(init.get()));
    mapping.map(producer.getMatchingBlockArgument(&producerInit),
                argOf(producerInit.get()));
    rewriter.setInsertionPointToEnd(body);
    for (Operation &op : producer.getBody()->without_terminator())
      rewriter.clone(op, mapping);
    Value produced = mapping.lookupOrDefault(
        producer.getBody()->getTerminator()->getOperand(0));
    for (OpOperand *input : consumer.getDpsInputOperands())
      if (input->get() == result)
        mapping.map(consumer.getMatchingBlockArgument(input), produced);
    for (Operation &op : consumer.getBody()->without_terminator())
      rewriter.clone(op, mapping);
    SmallVector<Value> yielded;
    for (Value v : consumer.getBody()->getTerminator()->getOperands())
      yielded.push_back(mapping.lookupOrDefault(v));
    yielded.push_back(produced);
    linalg::YieldOp::create(rewriter, loc, yielded);

    rewriter.replaceAllUsesExcept(result, merged->getResults().back(),
                                  consumer);
    rewriter.replaceOp(consumer, merged->getResults().drop_back());
    rewriter.eraseOp(producer);
    return success();
  }
};

struct PixelflyGPUFuseElementwisePass
    : public pixelfly::impl::PixelflyGPUFuseElementwiseBase<
          PixelflyGPUFuseElementwisePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<MergeProducer>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      getOperation().emitRemark()
          << "pixelfly-gpu-fuse-elementwise: did not converge";
  }
};
} // namespace
