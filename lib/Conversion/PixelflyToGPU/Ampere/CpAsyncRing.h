//===- CpAsyncRing.h - The Ampere family's cp.async pipeline ----*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// A `stages`-deep ring of shared-memory slots that every thread fills with
// cp.async copies, one commit group per k-tile, drained with
// cp.async.wait_group and a block barrier. The Hopper family's ring of TMA
// loads guarded by mbarriers is the other pipeline helper.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_AMPERE_CPASYNCRING_H
#define PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_AMPERE_CPASYNCRING_H

#include "KernelBuilderBase.h"

namespace mlir::pixelfly {

class CpAsyncRing {
public:
  /// Issues the copies of k-tile `kTile` into ring slot `stage`; returns
  /// the token of their cp.async group.
  using IssueFn = function_ref<Value(Value stage, Value kTile)>;
  /// One k-tile's fragment loads and mma on slot `stage`: the new
  /// accumulators.
  using ComputeFn = function_ref<SmallVector<Value>(Value stage, Value kTile,
                                                    ValueRange acc)>;

  CpAsyncRing(KernelBuilderBase &kb, int64_t stages) : kb(kb), stages(stages) {}

  /// The loop over `numKTiles` k-tiles through the ring: a prologue issues
  /// k-tiles 0 .. stages - 2; each iteration waits for the oldest, issues
  /// the k-tile `stages - 1` ahead into the slot read in the previous
  /// iteration, and computes. Returns the final accumulators.
  SmallVector<Value> loop(Value numKTiles, ValueRange inits, IssueFn issue,
                          ComputeFn compute);

  /// Commits the copies of `issue` as one cp.async group when `cond` holds,
  /// an empty group otherwise: one group per step keeps
  /// "wait_group(stages - 2)" meaning "the oldest k-tile has landed"
  /// through the tail of the loop.
  Value issueIf(Value cond, Value stage, Value kTile, IssueFn issue);

private:
  KernelBuilderBase &kb;
  int64_t stages;
};

} // namespace mlir::pixelfly

#endif // PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_AMPERE_CPASYNCRING_H
