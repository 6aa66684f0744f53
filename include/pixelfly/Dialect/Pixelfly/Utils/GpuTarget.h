//===- GpuTarget.h - Which chip, which instructions -------------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// The one place that knows the GPU targets: what each chip has (shared
// memory, pipeline depth, first PTX ISA) and which instruction families
// its kernels may use. pixelfly-gpu-config, convert-pixelfly-to-gpu and the
// GPU pipeline ask here instead of parsing chip names themselves.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_DIALECT_PIXELFLY_UTILS_GPUTARGET_H
#define PIXELFLY_DIALECT_PIXELFLY_UTILS_GPUTARGET_H

#include "llvm/ADT/StringRef.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

namespace mlir::pixelfly {

/// Static shared memory a kernel may declare without an opt-in.
inline constexpr int64_t kStaticSharedLimit = 48 * 1024;

/// CUDA's bounds on a launch, the same on every known target: threads of a
/// block along x, y and z (and kMaxThreadsPerBlock in all), thread blocks
/// of a grid along x, y and z.
inline constexpr int64_t kMaxBlockDims[3] = {1024, 1024, 64};
inline constexpr int64_t kMaxThreadsPerBlock = 1024;
inline constexpr int64_t kMaxGridDims[3] = {2147483647, 65535, 65535};

/// One known target chip.
struct GpuTarget {
  llvm::StringRef chip;
  unsigned smVersion;        ///< 80 for sm_80, 90 for sm_90 and sm_90a
  bool archSpecific;         ///< the `a` targets: sm_90a
  int64_t sharedMemoryBytes; ///< dynamic shared memory per thread block
  int64_t defaultStages;     ///< cp.async pipeline depth
  int64_t minPtxVersion;     ///< first PTX ISA with the target, x10 (7.0: 70)
  /// Streaming multiprocessors of the chip's reference part (A100, RTX
  /// 3090 Ti, RTX 4090, H100/H200 SXM): what a grid should fill.
  int64_t multiprocessors;

  /// mma.sync m16n8k16 (f16, bf16, tf32), mma.sp m16n8k32, cp.async and
  /// ldmatrix: every known target.
  bool hasMmaSync() const { return smVersion >= 80; }
  /// Tensor memory access (cp.async.bulk.tensor) and mbarrier transaction
  /// counts: sm_90 on.
  bool hasTma() const { return smVersion >= 90; }
  /// Warpgroup mma (wgmma.mma_async, dense and sparse) and setmaxnreg exist
  /// only in the architecture-specific sm_90a, not in sm_90.
  bool hasWgmma() const { return smVersion == 90 && archSpecific; }
  /// The oldest PTX ISA (x10) with every instruction the kernels for this
  /// chip use: `mma.sp` on bf16 came with PTX 7.1, sparse wgmma on 16-bit
  /// types with 8.2.
  int64_t kernelsPtxVersion() const {
    return std::max<int64_t>(minPtxVersion, hasWgmma() ? 82 : 71);
  }
};

/// The known target `chip` (sm_80, sm_86, sm_89, sm_90, sm_90a), or none.
std::optional<GpuTarget> lookupGpuTarget(llvm::StringRef chip);

/// The known chips for a diagnostic: "sm_80, sm_86, ... or sm_90a".
std::string knownGpuChips();

} // namespace mlir::pixelfly

#endif // PIXELFLY_DIALECT_PIXELFLY_UTILS_GPUTARGET_H
