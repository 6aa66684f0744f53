//===- GPUFuseLoops.cpp - Adjacent loops over one space, one kernel -------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Each parallel loop the GPU pipeline maps to threads is a kernel. A training
// step's small ops come in runs over one space: a split reduction's sum and
// the rest added to it, a gate's row sums and its sigmoid, elementwise ops
// that linalg's fusion left apart because an intermediate is a result too.
// Upstream's scf-parallel-loop-fusion joins such loops only when their
// bounds are the same values and nothing with a side effect sits between
// them; in this pipeline the bounds are `memref.dim`s of different views of
// one size, and the device allocation of the second loop's output (with its
// `gpu.wait`s) sits between. Here the first loop moves down to the second
// past ops that cannot see its buffers, and bounds are compared by the size
// they resolve to.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"
#include "pixelfly/Dialect/Pixelfly/Utils/BufferEffects.h"
#include "pixelfly/Dialect/Pixelfly/Utils/LoopSpace.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir::pixelfly {
#define GEN_PASS_DEF_PIXELFLYGPUFUSELOOPS
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h.inc"
} // namespace mlir::pixelfly

using namespace mlir;
using namespace mlir::pixelfly;

namespace {
/// A memory access in a loop's body.
struct Access {
  Value buffer;
  bool write;
  /// At the loop's induction variables, in order: iteration `i` touches
  /// element `i` only.
  bool atPoint;
};
} // namespace

/// The accesses in `loop`'s body, or nothing if one is not a
/// `memref.load`/`memref.store` (a call, a copy: unknown extent).
static std::optional<SmallVector<Access>> accessesOf(scf::ParallelOp loop) {
  SmallVector<Access> accesses;
  ValueRange ivs = loop.getInductionVars();
  WalkResult result = loop.getBody()->walk([&](Operation *op) {
    if (auto load = dyn_cast<memref::LoadOp>(op)) {
      accesses.push_back(
          {load.getMemRef(), false, llvm::equal(load.getIndices(), ivs)});
      return WalkResult::advance();
    }
    if (auto store = dyn_cast<memref::StoreOp>(op)) {
      accesses.push_back(
          {store.getMemRef(), true, llvm::equal(store.getIndices(), ivs)});
      return WalkResult::advance();
    }
    if (isa<scf::ParallelOp>(op))
      return WalkResult::interrupt(); // A block of threads already.
    if (auto iface = dyn_cast<MemoryEffectOpInterface>(op))
      return iface.hasNoEffect() ? WalkResult::advance()
                                 : WalkResult::interrupt();
    // Loops and branches: their nested ops are visited.
    return op->hasTrait<OpTrait::HasRecursiveMemoryEffects>()
               ? WalkResult::advance()
               : WalkResult::interrupt();
  });
  if (result.wasInterrupted())
    return std::nullopt;
  return accesses;
}

/// Whether `first`'s body can run before `second`'s in the same iteration:
/// where one writes a buffer the other may touch, both touch it at the
/// iteration point only.
static bool independentAcrossIterations(ArrayRef<Access> first,
                                        ArrayRef<Access> second) {
  for (const Access &a : first)
    for (const Access &b : second) {
      if (!a.write && !b.write)
        continue;
      if (!mayAlias(a.buffer, b.buffer))
        continue;
      if (a.buffer != b.buffer || !a.atPoint || !b.atPoint)
        return false;
    }
  return true;
}

/// Whether an op with `accesses` can move past `op` (either way): `op`
/// neither changes what they read nor sees what they write.
static bool movesPast(ArrayRef<Access> accesses, Operation *op) {
  return llvm::none_of(accesses, [&](const Access &access) {
    return mayTouch(op, access.buffer, /*writesOnly=*/!access.write);
  });
}

/// The accesses of `first` if its body can run at the start of `second`'s:
/// the same space, and the bodies depend on each other element by element.
static std::optional<SmallVector<Access>> fusable(scf::ParallelOp first,
                                                  scf::ParallelOp second) {
  if (first.getNumResults() != 0 || second.getNumResults() != 0 ||
      !sameIterationSpace(first, second))
    return std::nullopt;
  std::optional<SmallVector<Access>> firstAccesses = accessesOf(first);
  std::optional<SmallVector<Access>> secondAccesses = accessesOf(second);
  if (!firstAccesses || !secondAccesses ||
      !independentAcrossIterations(*firstAccesses, *secondAccesses))
    return std::nullopt;
  return firstAccesses;
}

/// Runs `first`'s body at the start of `second`'s, and erases `first`.
static void fuse(RewriterBase &rewriter, scf::ParallelOp first,
                 scf::ParallelOp second) {
  Block *body = first.getBody();
  rewriter.eraseOp(body->getTerminator());
  rewriter.inlineBlockBefore(body, &second.getBody()->front(),
                             second.getInductionVars());
  rewriter.eraseOp(first);
}

/// Fuses `first` into the next parallel loop of its block, if it can move
/// down to it. Returns the fused loop.
static scf::ParallelOp fuseWithNext(RewriterBase &rewriter,
                                    scf::ParallelOp first) {
  Operation *next = first->getNextNode();
  while (next && !isa<scf::ParallelOp>(next) &&
         !next->hasTrait<OpTrait::IsTerminator>())
    next = next->getNextNode();
  auto second = dyn_cast_or_null<scf::ParallelOp>(next);
  if (!second)
    return {};
  std::optional<SmallVector<Access>> accesses = fusable(first, second);
  if (!accesses ||
      !llvm::all_of(llvm::make_range(std::next(first->getIterator()),
                                     second->getIterator()),
                    [&](Operation &op) { return movesPast(*accesses, &op); }))
    return {};
  fuse(rewriter, first, second);
  return second;
}

/// Moves `loop`, which follows an `scf.if`, into both of its branches, right
/// after each branch's last parallel loop, when it can fuse with both (a
/// split reduction's rest after the branches that combine its partials).
/// Returns whether it did.
static bool sinkIntoBranches(RewriterBase &rewriter, DominanceInfo &dominance,
                             scf::ParallelOp loop) {
  auto branch = dyn_cast_or_null<scf::IfOp>(loop->getPrevNode());
  if (!branch || branch.getNumResults() != 0 || branch.getElseRegion().empty())
    return false;
  // What the loop reads must be there before the branch.
  SetVector<Value> used;
  used.insert(loop->getOperands().begin(), loop->getOperands().end());
  getUsedValuesDefinedAbove(loop.getRegion(), used);
  if (!llvm::all_of(used, [&](Value v) {
        return dominance.properlyDominates(v, branch);
      }))
    return false;
  std::optional<SmallVector<Access>> accesses = accessesOf(loop);
  if (!accesses)
    return false;
  SmallVector<scf::ParallelOp> lasts;
  for (Region *region : {&branch.getThenRegion(), &branch.getElseRegion()}) {
    scf::ParallelOp last;
    for (Operation &op : llvm::reverse(region->front().without_terminator())) {
      if ((last = dyn_cast<scf::ParallelOp>(op)))
        break;
      // The loop moves up past what follows the branch's last loop.
      if (!movesPast(*accesses, &op))
        return false;
    }
    if (!last || !fusable(last, loop))
      return false;
    lasts.push_back(last);
  }
  for (scf::ParallelOp last : lasts) {
    rewriter.setInsertionPointAfter(last);
    auto copy = cast<scf::ParallelOp>(rewriter.clone(*loop));
    fuse(rewriter, last, copy);
  }
  rewriter.eraseOp(loop);
  return true;
}

namespace {
struct PixelflyGPUFuseLoopsPass
    : public pixelfly::impl::PixelflyGPUFuseLoopsBase<
          PixelflyGPUFuseLoopsPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    SmallVector<scf::ParallelOp> loops;
    getOperation().walk([&](scf::ParallelOp loop) {
      if (!loop->getParentOfType<scf::ParallelOp>())
        loops.push_back(loop);
    });
    // In order: a fused loop may take the next one too.
    DenseSet<Operation *> gone;
    for (scf::ParallelOp loop : loops) {
      if (gone.contains(loop))
        continue;
      while (scf::ParallelOp fused = fuseWithNext(rewriter, loop)) {
        gone.insert(loop);
        ++numFused;
        loop = fused;
      }
    }
    // Then loops after branches (inner ones first: post-order).
    DominanceInfo dominance(getOperation());
    SmallVector<scf::ParallelOp> afterBranches;
    getOperation().walk([&](scf::ParallelOp loop) {
      if (isa_and_nonnull<scf::IfOp>(loop->getPrevNode()))
        afterBranches.push_back(loop);
    });
    for (scf::ParallelOp loop : afterBranches)
      numSunk += sinkIntoBranches(rewriter, dominance, loop);
  }
};
} // namespace
