//===- TensorMapTypes.h - CUtensorMapDataType sizes -------------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// Bytes per element of the CUDA driver's CUtensorMapDataType values, for the
// runtime (which encodes memrefs as tensor maps) and the fake driver the
// tests load (which checks them as the real driver does). Plain C++: the
// runtime links nothing from LLVM.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_RUNTIME_TENSORMAPTYPES_H
#define PIXELFLY_RUNTIME_TENSORMAPTYPES_H

#include <cstdint>

namespace pixelfly {

/// Bytes per element of CUtensorMapDataType 0..12 (uint8, uint16, uint32,
/// int32, uint64, int64, f16, f32, f64, bf16, f32 ftz, tf32, tf32 ftz); 0
/// for others.
inline int64_t tensorMapElementBytes(int64_t type) {
  static const int64_t bytes[] = {1, 2, 4, 4, 8, 8, 2, 4, 8, 2, 4, 4, 4};
  return type >= 0 && type < 13 ? bytes[type] : 0;
}

} // namespace pixelfly

#endif // PIXELFLY_RUNTIME_TENSORMAPTYPES_H
