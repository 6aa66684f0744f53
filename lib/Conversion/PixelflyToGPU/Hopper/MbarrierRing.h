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

  /// Producer: for each of `numKTiles` k-tiles, waits until its slot is
  /// empty, arrives on the slot's full barrier expecting `slotBytes`, and
  /// calls `fill(slot, kTile)` to issue the loads that complete it.
  void forEachSlotToFill(Value numKTiles,
                         function_ref<void(Value slot, Value kTile)> fill);

  /// Consumers: for each k-tile, waits until its slot is full, computes
  /// `acc = compute(slot, kTile, acc)` (its reads of the slot finished),
  /// and arrives on the slot's empty barrier. Returns the final `acc`.
  Value forEachFullSlot(
      Value numKTiles, Value init,
      function_ref<Value(Value slot, Value kTile, Value acc)> compute);

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
