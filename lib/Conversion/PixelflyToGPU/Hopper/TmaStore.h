//===- TmaStore.h - A warpgroup's output through TMA stores -----*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// The epilogue of `tma_store` (#pixelfly.hopper_config): a consumer
// warpgroup writes its values into a 64-row box of 128 bytes per row of Y
// in shared memory, 128-byte swizzled (rows up to 8 apart fall in
// different 16-byte chunks, so a warp's writes to several rows at once do
// not conflict), and
// one of its threads stores the box with TMA, which writes whole rows of
// Y and clips rows past M. Two buffers alternate: the threads fill one
// while the previous box is still being read out of the other.
//
// Per box: every thread writes its elements and fences them for the async
// proxy (fence.proxy.async: TMA reads shared memory through it); the
// issuing thread waits until the previous box's store has read its buffer
// (cp.async.bulk.wait_group.read 0), which the next box writes; then the
// warpgroup meets at a named barrier of its own (the other warpgroups do
// not take part), and the issuing thread stores the box and commits it as
// a bulk group, whose read overlaps the writes of the next box.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_HOPPER_TMASTORE_H
#define PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_HOPPER_TMASTORE_H

#include "KernelBuilderBase.h"
#include "KernelLaunch.h"

#include "pixelfly/Dialect/Pixelfly/Utils/HopperSchedule.h"

#include "mlir/IR/BuiltinTypes.h"

namespace mlir::pixelfly {

class EpilogueTail;
struct FusedEpilogue;

class TmaStoreStaging {
public:
  /// Rows of one box: a 64-row wgmma tile.
  static constexpr int64_t kBoxRows = 64;
  /// Bytes of one box (one 128-byte swizzled row per Y row).
  static constexpr int64_t kBoxBytes = kBoxRows * 128;
  // A consumer warpgroup stages through two boxes; their columns of Y are
  // hopperStoreBoxColumns (HopperSchedule.h, which the heuristic reads too).
  static_assert(kHopperStagingBytesPerConsumer == 2 * kBoxBytes);

  /// Whether a kernel whose configuration sets tma_store to `tmaStore`
  /// stages Y: not when its fused tail `fused` (null: none) leaves nothing
  /// of Y to store.
  static bool stagesOutput(bool tmaStore, const FusedEpilogue *fused);
  /// Places the boxes of `consumers` warpgroups after the `sharedBytes`
  /// bytes a kernel uses already, on the swizzle's 1024-byte period, and
  /// grows `sharedBytes` by them. Returns where they start.
  static int64_t reserve(int64_t &sharedBytes, int64_t consumers);
  /// Adds the tensor map of Y (argument `init`, element type `elt`; boxes
  /// of 64 rows of 128 bytes) to `launch`'s arguments and host prologue.
  static void addTensorMap(KernelLaunch &launch, KernelArg init, Type elt);

  /// The staging of consumer warpgroup `consumer` (thread `tid`) in the
  /// kernel's shared memory `shared` (1-D i8), whose consumers' boxes start
  /// at byte `offset` (reserve()), storing through the tensor map `yMap` of
  /// Y (element type `elt`).
  TmaStoreStaging(KernelBuilderBase &kb, Value shared, int64_t offset,
                  Value yMap, Type elt, Value consumer, Value tid);

  /// Writes `values` (Y's type; one element or a vector of neighbouring
  /// columns) at row `row` and column `col` of box `box`'s buffer.
  void write(int64_t box, Value row, Value col, Value values);
  /// Writes init + `part` (emitSum: one f32, or a vector<2xf32> of
  /// neighbouring columns) for Y's element (yRow, yCol) at (row, col) of
  /// box `box`. `inside` (null where nothing needs it) says whether the
  /// element is Y's: outside, init is read at (0, 0) instead (TMA does not
  /// store it) and `tail` (null: none) is not run. With `zeroInit` init is
  /// +0 and not read.
  void writeSum(int64_t box, Value row, Value col, Value part, Value init,
                Value yRow, Value yCol, Value inside, bool zeroInit,
                const EpilogueTail *tail);
  /// Stores box `box`, written by every thread of the warpgroup, at Y's
  /// (row0, col0) when `valid` (null: always).
  void store(int64_t box, Value row0, Value col0, Value valid);
  /// The issuing thread waits until the stores have read their buffers,
  /// then the warpgroup meets at its named barrier: before every store
  /// (for the buffer the next box writes), and before a tile's first box
  /// when the previous tile's last store may still read it (an odd number
  /// of boxes per tile on a persistent grid).
  void reclaim();
  /// Waits until the warpgroup's stores are complete (before the kernel
  /// ends).
  void finish();

private:
  Value boxView(int64_t box, ArrayRef<int64_t> shape);
  /// Moves the insertion point into an scf.if on the issuing thread (and
  /// `also`, if set).
  void ifIssuer(Value also);

  KernelBuilderBase &kb;
  Value shared, base, yMap, issuer, barrierId;
  Type elt;
};

} // namespace mlir::pixelfly

#endif // PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_HOPPER_TMASTORE_H
