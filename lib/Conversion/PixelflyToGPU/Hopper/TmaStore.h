//===- TmaStore.h - A warpgroup's output through TMA stores -----*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// The epilogue of `tma_store` (#pixelfly.hopper_config): a consumer
// warpgroup writes its values into a 64-row box of 128 bytes per row of Y
// in shared memory, 128-byte swizzled (the 8 rows a warp writes at once
// fall in 8 different 16-byte chunks, so the writes do not conflict), and
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

#include "mlir/IR/BuiltinTypes.h"

namespace mlir::pixelfly {

class TmaStoreStaging {
public:
  /// Rows of one box: a 64-row wgmma tile.
  static constexpr int64_t kBoxRows = 64;
  /// Bytes of one box (one 128-byte swizzled row per Y row).
  static constexpr int64_t kBoxBytes = kBoxRows * 128;
  /// Shared memory one consumer warpgroup stages through: two boxes.
  static constexpr int64_t kBytesPerConsumer = 2 * kBoxBytes;
  /// Columns of Y of type `elt` in one box.
  static int64_t boxColumns(Type elt) {
    return 128 / (elt.getIntOrFloatBitWidth() / 8);
  }

  /// The staging of consumer warpgroup `consumer` (thread `tid`), whose
  /// two boxes start at byte `base` (a multiple of 1024) of the kernel's
  /// shared memory `shared` (1-D i8), storing through the tensor map `yMap`
  /// of Y (element type `elt`).
  TmaStoreStaging(KernelBuilderBase &kb, Value shared, Value base, Value yMap,
                  Type elt, Value consumer, Value tid);

  /// Writes `values` (Y's type; one element or a vector of neighbouring
  /// columns) at row `row` and column `col` of box `box`'s buffer.
  void write(int64_t box, Value row, Value col, Value values);
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
