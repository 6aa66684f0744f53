//===- WarpSpecialized.h - What the Hopper kernels share --------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// The frame of every Hopper-family kernel: a ring of 128-byte-swizzled TMA
// boxes in 1024-byte-aligned dynamic shared memory, a producer warpgroup
// (the last) of which one thread issues the loads, and consumer
// warpgroups that multiply with wgmma; setmaxnreg moves registers from the
// producer to the consumers.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_HOPPER_WARPSPECIALIZED_H
#define PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_HOPPER_WARPSPECIALIZED_H

#include "KernelBuilderBase.h"
#include "KernelLaunch.h"

#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"

namespace mlir::pixelfly {

/// A TMA box of `rows` rows of one 128-byte row of `elt` each, 128-byte
/// swizzled as wgmma reads it; rows and columns past the tensor arrive as
/// zeros.
nvgpu::TensorMapDescriptorType swizzledBoxType(MLIRContext *ctx, int64_t rows,
                                               Type elt);

/// Declares the zero-sized workgroup global `name`, aligned to the 128-byte
/// swizzle's period (1024 bytes), through which a kernel reaches its ring.
/// (A gpu.dynamic_shared_memory base is demoted to a 16-byte-aligned static
/// variable by the NVPTX backend.)
void declareRingMemory(OpBuilder &b, Location loc, llvm::StringRef name);

/// Sets up the kernel's launch attributes for warp roles: with setmaxnreg
/// (`producerRegisters` non-zero) ptxas needs minctasm beside maxntid.
void markWarpSpecialized(gpu::GPUFuncOp kernel, int64_t producerRegisters);

class WarpSpecializedBuilder : public KernelBuilderBase {
public:
  using KernelBuilderBase::KernelBuilderBase;

protected:
  MemRefType sharedType(ArrayRef<int64_t> shape, Type elt);
  /// The kernel's `bytes` of dynamic shared memory, through the global
  /// `name` (declareRingMemory); views are taken at byte offsets of it.
  void setUpRingMemory(llvm::StringRef name, int64_t bytes);
  /// A `shape` view of the ring memory at byte `offset`.
  Value sharedView(ArrayRef<int64_t> shape, Type elt, Value offset);
  /// Rows [row, row + rows) and columns [col, col + cols) of the 2-D view
  /// `tile` (what a wgmma descriptor is made of).
  Value slice(Value tile, int64_t row, int64_t rows, int64_t col, int64_t cols);
  /// The tensor map argument `map` of `func`, as its nvgpu type.
  Value tensorMap(gpu::GPUFuncOp func, const KernelSignature &signature,
                  const TensorMapArg &map);
  /// The warpgroup index of thread `tid`, broadcast from lane 0: ptxas then
  /// knows a branch on it is warp-uniform; otherwise it serializes the
  /// wgmma behind it (C7520: "serialized due to ... WG.AR in divergent
  /// path").
  Value warpgroupIndex(Value tid);
  /// Runs `produce` on thread 128 x `consumers` (of the producer
  /// warpgroup, index `consumers`) and `consume` on the consumer
  /// warpgroups, with setmaxnreg to the given counts (0: none).
  void splitRoles(Value tid, Value warpgroup, int64_t consumers,
                  int64_t producerRegisters, int64_t consumerRegisters,
                  function_ref<void()> produce, function_ref<void()> consume);
  /// Runs `body(tile, m0, kFirst)` for each output tile the thread block
  /// computes; `body` returns the tile's number of k-tiles. Without a
  /// persistent grid (`persistent` 0) that is tile blockIdx.x at rows from
  /// m0 = blockIdx.y x tileM, from k-tile 0. With one, tiles t =
  /// blockIdx.x, + persistent, ... below `tiles` x ceil(numTokens / tileM),
  /// tile-major over the m-tiles (tile t mod `tiles` at m0 = (t / tiles) x
  /// tileM), the ring's k-tiles numbered on from tile to tile.
  void forEachOutputTile(
      int64_t persistent, int64_t tiles, int64_t tileM, Value numTokens,
      function_ref<Value(Value tile, Value m0, Value kFirst)> body);

  Value shared; ///< the ring memory, bytes
};

} // namespace mlir::pixelfly

#endif // PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_HOPPER_WARPSPECIALIZED_H
