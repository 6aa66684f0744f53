//===- GPUAccumulators.cpp - Reductions accumulate in registers -----------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// convert-linalg-to-parallel-loops writes a reduction as a parallel loop over
// its outputs around sequential loops that load and store the output element
// at every iteration, after a loop that fills the output. On the GPU each of
// those loops is a kernel, and the loads and stores stay global memory
// accesses: kernel arguments carry no aliasing facts. Here the element
// becomes the sequential loop's iteration argument and the fill becomes the
// value the reduction starts from, so a split reduction's partials (a bias
// gradient, a norm) cost one kernel each, accumulating in registers.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"
#include "pixelfly/Dialect/Pixelfly/Utils/BufferEffects.h"
#include "pixelfly/Dialect/Pixelfly/Utils/LoopSpace.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::pixelfly {
#define GEN_PASS_DEF_PIXELFLYGPUACCUMULATORS
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h.inc"
} // namespace mlir::pixelfly

using namespace mlir;
using namespace mlir::pixelfly;

//===----------------------------------------------------------------------===//
// Accumulators in registers
//===----------------------------------------------------------------------===//

namespace {
/// An element a sequential loop's body loads and later stores.
struct Accumulator {
  memref::LoadOp load;
  memref::StoreOp store;
};
} // namespace

/// The elements of `loop` that can live in registers across its iterations:
/// loaded and then stored by ops directly in its body, at the same indices
/// defined outside it, in a buffer nothing else in the body may touch.
static SmallVector<Accumulator> accumulatorsOf(scf::ForOp loop) {
  SmallVector<Accumulator> found;
  Block *body = loop.getBody();
  for (Operation &op : *body) {
    auto store = dyn_cast<memref::StoreOp>(op);
    if (!store)
      continue;
    Value buffer = store.getMemRef();
    if (!loop.isDefinedOutsideOfLoop(buffer) ||
        !llvm::all_of(store.getIndices(), [&](Value index) {
          return loop.isDefinedOutsideOfLoop(index);
        }))
      continue;
    memref::LoadOp load;
    bool alone = true;
    for (Operation &other : *body) {
      if (&other == store.getOperation())
        continue;
      auto candidate = dyn_cast<memref::LoadOp>(other);
      if (!load && candidate && candidate.getMemRef() == buffer &&
          llvm::equal(candidate.getIndices(), store.getIndices()) &&
          candidate->isBeforeInBlock(store)) {
        load = candidate;
        continue;
      }
      if (mayTouch(&other, buffer)) {
        alone = false;
        break;
      }
    }
    if (load && alone)
      found.push_back({load, store});
  }
  return found;
}

/// Keeps `loop`'s accumulators in iteration arguments: loaded before the
/// loop, stored after it. Returns how many.
static unsigned promoteAccumulators(RewriterBase &rewriter, scf::ForOp loop) {
  SmallVector<Accumulator> accumulators = accumulatorsOf(loop);
  if (accumulators.empty())
    return 0;
  rewriter.setInsertionPoint(loop);
  SmallVector<Value> inits;
  for (Accumulator &acc : accumulators)
    inits.push_back(memref::LoadOp::create(rewriter, acc.load.getLoc(),
                                           acc.load.getMemRef(),
                                           acc.load.getIndices()));
  unsigned first = loop.getNumRegionIterArgs();
  FailureOr<LoopLikeOpInterface> promoted = loop.replaceWithAdditionalYields(
      rewriter, inits, /*replaceInitOperandUsesInLoop=*/false,
      [&](OpBuilder &, Location, ArrayRef<BlockArgument>) {
        SmallVector<Value> yielded;
        for (Accumulator &acc : accumulators)
          yielded.push_back(acc.store.getValueToStore());
        return yielded;
      });
  if (failed(promoted))
    return 0;
  auto newLoop = cast<scf::ForOp>(promoted->getOperation());
  rewriter.setInsertionPointAfter(newLoop);
  for (auto [i, acc] : llvm::enumerate(accumulators)) {
    rewriter.replaceAllUsesWith(acc.load.getResult(),
                                newLoop.getRegionIterArgs()[first + i]);
    memref::StoreOp::create(rewriter, acc.store.getLoc(),
                            newLoop.getResult(first + i), acc.store.getMemRef(),
                            acc.store.getIndices());
    rewriter.eraseOp(acc.store);
    rewriter.eraseOp(acc.load);
  }
  return accumulators.size();
}

//===----------------------------------------------------------------------===//
// Fills
//===----------------------------------------------------------------------===//

/// The store of a fill loop: a parallel loop whose body only stores a value
/// defined outside it at its induction variables, in order.
static memref::StoreOp fillStore(scf::ParallelOp loop) {
  Block *body = loop.getBody();
  if (loop.getNumResults() != 0 || body->getOperations().size() != 2)
    return {};
  auto store = dyn_cast<memref::StoreOp>(body->front());
  if (!store || !loop.isDefinedOutsideOfLoop(store.getValueToStore()) ||
      !loop.isDefinedOutsideOfLoop(store.getMemRef()) ||
      !llvm::equal(store.getIndices(), loop.getInductionVars()))
    return {};
  return store;
}

/// Moves `fill` (a fill loop writing `buffer`) down its block to the first
/// op that may touch the buffer; into both branches of an `scf.if`, where
/// it goes on moving. Adds the fills, where they end, to `placed`.
static void sinkFill(RewriterBase &rewriter, scf::ParallelOp fill, Value buffer,
                     SmallVectorImpl<scf::ParallelOp> &placed) {
  Operation *next = fill->getNextNode();
  while (next && !next->hasTrait<OpTrait::IsTerminator>() &&
         !mayTouch(next, buffer))
    next = next->getNextNode();
  auto branch = dyn_cast_or_null<scf::IfOp>(next);
  if (!branch) {
    if (next && next != fill->getNextNode())
      rewriter.moveOpBefore(fill, next);
    placed.push_back(fill);
    return;
  }
  // The condition was computed before the fill moved: it cannot read it.
  if (branch.getElseRegion().empty()) {
    rewriter.setInsertionPointToStart(&branch.getElseRegion().emplaceBlock());
    scf::YieldOp::create(rewriter, branch.getLoc());
  }
  for (Region *region : {&branch.getThenRegion(), &branch.getElseRegion()}) {
    rewriter.setInsertionPointToStart(&region->front());
    auto copy = cast<scf::ParallelOp>(rewriter.clone(*fill));
    sinkFill(rewriter, copy, buffer, placed);
  }
  rewriter.eraseOp(fill);
}

/// Folds `fill` into the parallel loop right after it, if that loop runs
/// over the same space and, touching the buffer nowhere else, loads the
/// element at its induction variables before storing it there: the load
/// becomes the fill's value and the fill goes.
static bool foldFill(RewriterBase &rewriter, scf::ParallelOp fill,
                     memref::StoreOp filling) {
  auto consumer = dyn_cast_or_null<scf::ParallelOp>(fill->getNextNode());
  if (!consumer || !sameIterationSpace(fill, consumer))
    return false;
  Value buffer = filling.getMemRef();
  ValueRange ivs = consumer.getInductionVars();
  memref::LoadOp load;
  memref::StoreOp store;
  for (Operation &op : consumer.getBody()->without_terminator()) {
    auto asLoad = dyn_cast<memref::LoadOp>(op);
    auto asStore = dyn_cast<memref::StoreOp>(op);
    if (!load && !store && asLoad && asLoad.getMemRef() == buffer &&
        llvm::equal(asLoad.getIndices(), ivs)) {
      load = asLoad;
      continue;
    }
    if (!store && asStore && asStore.getMemRef() == buffer &&
        llvm::equal(asStore.getIndices(), ivs)) {
      store = asStore;
      continue;
    }
    if (mayTouch(&op, buffer))
      return false;
  }
  if (!store)
    return false;
  // Without the load, the consumer overwrites every element: the fill is
  // dead.
  if (load) {
    rewriter.replaceAllUsesWith(load.getResult(), filling.getValueToStore());
    rewriter.eraseOp(load);
  }
  rewriter.eraseOp(fill);
  return true;
}

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

namespace {
struct PixelflyGPUAccumulatorsPass
    : public pixelfly::impl::PixelflyGPUAccumulatorsBase<
          PixelflyGPUAccumulatorsPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    // Innermost loops first: an outer loop then sees the inner one's
    // accumulator as a load before it and a store after it.
    SmallVector<scf::ForOp> loops;
    getOperation().walk<WalkOrder::PostOrder>(
        [&](scf::ForOp loop) { loops.push_back(loop); });
    for (scf::ForOp loop : loops)
      numAccumulators += promoteAccumulators(rewriter, loop);

    SmallVector<scf::ParallelOp> fills;
    getOperation().walk([&](scf::ParallelOp loop) {
      if (fillStore(loop))
        fills.push_back(loop);
    });
    SmallVector<scf::ParallelOp> placed;
    for (scf::ParallelOp fill : fills)
      sinkFill(rewriter, fill, fillStore(fill).getMemRef(), placed);
    for (scf::ParallelOp fill : placed)
      numFillsFolded += foldFill(rewriter, fill, fillStore(fill));
  }
};
} // namespace
