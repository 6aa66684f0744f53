//===- MbarrierRing.h - The Hopper family's TMA pipeline --------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// A `stages`-deep ring of shared-memory slots filled by TMA and emptied by
// warpgroup MMA, each slot guarded by two mbarriers: "full" completes when
// the producer has arrived and the slot's bytes have landed (arrive with
// expect_tx, TMA complete_tx), "empty" when every consumer thread has
// arrived after its last read. Round r of a slot waits for parity r % 2 on
// full and (r + 1) % 2 on empty, which a fresh barrier passes: the first
// round finds every slot empty. The Ampere family's cp.async ring is the
// other pipeline helper.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_HOPPER_MBARRIERRING_H
#define PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_HOPPER_MBARRIERRING_H

#include "KernelBuilderBase.h"

namespace mlir::pixelfly {

class MbarrierRing {
public:
  MbarrierRing(KernelBuilderBase &kb, int64_t stages, int64_t slotBytes,
               int64_t consumerThreads)
      : kb(kb), stages(stages), slotBytes(slotBytes),
        consumerThreads(consumerThreads) {}

  /// Creates the barriers; the thread where `leader` holds initializes
  /// them, then the whole block synchronizes.
  void initialize(Value leader);

  /// The full barriers, which the producer's TMA loads complete.
  Value fullBarriers() const { return full; }

  // K-tiles are numbered across everything a thread block computes (one
  // tile, or a persistent block's sequence of tiles): k-tile k uses slot
  // k mod stages in round k / stages.

  /// Producer: for each k-tile of [first, first + count), waits until its
  /// slot is empty, arrives on the slot's full barrier expecting
  /// `slotBytes`, and calls `fill(slot, k - first)` to issue the loads that
  /// complete it.
  void forEachSlotToFill(Value first, Value count,
                         function_ref<void(Value slot, Value kTile)> fill);

  /// Consumers: for each k-tile k of [begin, end), waits until its slot is
  /// full and computes `accs = compute(slot, k, accs)`, then releases the slot
  /// of k - 1 if k > `tileBegin` (so the MMAs reading a slot may still run
  /// while the next slot's are issued; `compute` must have retired the
  /// older slot's reads). The last k-tile of a tile is released with
  /// `release` once its reads are done. Returns the final `accs`.
  SmallVector<Value> forEachFullSlot(
      Value begin, Value end, Value tileBegin, ValueRange inits,
      function_ref<SmallVector<Value>(Value slot, Value kTile, ValueRange accs)>
          compute);

  /// Consumers: arrive on the empty barrier of k-tile `kTile`'s slot.
  void release(Value kTile);

private:
  /// Waits until barrier `slot` of `barriers` completes the phase of
  /// parity `parity` (an index, 0 or 1).
  void wait(Value barriers, Value slot, Value parity);

  KernelBuilderBase &kb;
  int64_t stages, slotBytes, consumerThreads;
  Value full, empty;
};

} // namespace mlir::pixelfly

#endif // PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_HOPPER_MBARRIERRING_H
