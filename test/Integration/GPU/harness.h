//===- harness.h - Self-checking GPU test programs ---------------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// Shared by the mains gen_harness.py writes: memref descriptors, buffers
// with a host and a device copy, deterministic fills, f16/bf16 encoding,
// timing and the PASS/FAIL line. Depends only on the C++ standard library
// and libpixelfly_runtime (so the programs run on a machine with nothing
// but the NVIDIA driver).
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_TEST_INTEGRATION_GPU_HARNESS_H
#define PIXELFLY_TEST_INTEGRATION_GPU_HARNESS_H

#include "pixelfly/Runtime/PixelflyRuntime.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <type_traits>
#include <vector>

/// A ranked memref descriptor as MLIR's C interface passes it.
template <typename T, int N> struct Memref {
  T *allocated;
  T *aligned;
  int64_t offset;
  int64_t sizes[N];
  int64_t strides[N];
};

namespace harness {

enum class Elt { F16, BF16, F32, I16, I32 };

inline uint16_t toF16(float f) {
  // Exact for the small multiples of 1/8 the fills use; round to nearest
  // even otherwise (normal range only).
  uint32_t x;
  std::memcpy(&x, &f, 4);
  uint32_t sign = (x >> 16) & 0x8000u;
  int32_t exp = static_cast<int32_t>((x >> 23) & 0xff) - 127 + 15;
  uint32_t mant = x & 0x7fffffu;
  if (f == 0.0f)
    return static_cast<uint16_t>(sign);
  if (std::isnan(f))
    return static_cast<uint16_t>(sign | 0x7e00u);
  if (std::isinf(f))
    return static_cast<uint16_t>(sign | 0x7c00u);
  uint32_t half = (static_cast<uint32_t>(exp) << 10) | (mant >> 13);
  uint32_t rest = mant & 0x1fffu;
  if (rest > 0x1000u || (rest == 0x1000u && (half & 1u)))
    ++half;
  return static_cast<uint16_t>(sign | half);
}

inline float fromF16(uint16_t h) {
  uint32_t sign = (h & 0x8000u) << 16, exp = (h >> 10) & 0x1fu,
           mant = h & 0x3ffu;
  uint32_t x;
  if (exp == 0 && mant == 0)
    x = sign;
  else if (exp == 0x1f)
    x = sign | 0x7f800000u | (mant << 13);
  else if (exp == 0) { // subnormal
    int e = -1;
    do {
      ++e;
      mant <<= 1;
    } while (!(mant & 0x400u));
    x = sign | ((127 - 15 - e) << 23) | ((mant & 0x3ffu) << 13);
  } else
    x = sign | ((exp - 15 + 127) << 23) | (mant << 13);
  float f;
  std::memcpy(&f, &x, 4);
  return f;
}

inline uint16_t toBF16(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  x += 0x7fffu + ((x >> 16) & 1u); // round to nearest even
  return static_cast<uint16_t>(x >> 16);
}

inline float fromBF16(uint16_t h) {
  uint32_t x = static_cast<uint32_t>(h) << 16;
  float f;
  std::memcpy(&f, &x, 4);
  return f;
}

/// One argument: a host copy, a device copy and a descriptor for each.
template <typename T, int N> class Buffer {
public:
  /// `specials`: some float entries become NaN, +-inf and -0 (for the
  /// selection rules of 2:4 pruning).
  Buffer(std::array<int64_t, N> shape, Elt elt, int seed,
         bool specials = false)
      : shape(shape), elt(elt) {
    size_t count = 1;
    for (int64_t d : shape)
      count *= static_cast<size_t>(d);
    data.resize(count);
    // Small multiples of 1/8 in [-1, 1]: exact in every element type, and
    // f32 sums of their products are exact in any order.
    for (size_t i = 0; i < count; ++i) {
      float v = static_cast<float>(
                    static_cast<int64_t>((i * 7 + seed * 13) % 17) - 8) /
                8.0f;
      if (specials && i % 7 == 3)
        v = NAN;
      else if (specials && i % 11 == 5)
        v = (i / 11) % 2 ? INFINITY : -INFINITY;
      else if (specials && i % 13 == 6)
        v = -0.0f;
      data[i] = elt == Elt::I16 ? static_cast<T>(metadataWord(i, seed))
                                : encode(v);
    }
    devicePtr = static_cast<T *>(
        mgpuMemAlloc(std::max<size_t>(count, 1) * sizeof(T), nullptr, false));
    host = describe(data.data());
    device = describe(devicePtr);
  }
  ~Buffer() { mgpuMemFree(devicePtr, nullptr); }

  void upload() {
    mgpuMemcpy(devicePtr, data.data(), data.size() * sizeof(T), nullptr);
    pixelflyDeviceSynchronize();
  }
  void download() {
    downloaded.resize(data.size());
    mgpuMemcpy(downloaded.data(), devicePtr, data.size() * sizeof(T), nullptr);
    pixelflyDeviceSynchronize();
  }
  /// Largest |host - downloaded| (the CPU result against the GPU's).
  double maxAbsDiffFromDownloaded() const {
    double worst = 0.0;
    for (size_t i = 0; i < data.size(); ++i) {
      double d = std::fabs(decode(data[i]) - decode(downloaded[i]));
      if (std::isnan(d))
        return INFINITY;
      worst = std::max(worst, d);
    }
    return worst;
  }

  /// Largest |host| (the scale of a relative comparison).
  double maxAbs() const {
    double worst = 0.0;
    for (const T &v : data)
      worst = std::max(worst, std::fabs(static_cast<double>(decode(v))));
    return worst;
  }

  /// Entries whose bits differ between the CPU result and the GPU's.
  size_t bitMismatchesWithDownloaded() const {
    size_t bad = 0;
    for (size_t i = 0; i < data.size(); ++i)
      bad += std::memcmp(&data[i], &downloaded[i], sizeof(T)) != 0;
    return bad;
  }

  Memref<T, N> host, device;

private:
  Memref<T, N> describe(T *ptr) const {
    Memref<T, N> d{ptr, ptr, 0, {}, {}};
    int64_t stride = 1;
    for (int i = N - 1; i >= 0; --i) {
      d.sizes[i] = shape[i];
      d.strides[i] = stride;
      stride *= shape[i];
    }
    return d;
  }
  /// i16 arguments are 2:4 metadata: four nibbles i0 | i1 << 2 with
  /// i0 < i1 (the six ways to keep 2 of 4), varied along the buffer.
  static uint16_t metadataWord(size_t i, int seed) {
    static const uint16_t nibbles[6] = {0x4, 0x8, 0xC, 0x9, 0xD, 0xE};
    uint16_t word = 0;
    for (unsigned q = 0; q < 4; ++q)
      word |= nibbles[(i * 5 + q * 3 + static_cast<size_t>(seed)) % 6]
              << (4 * q);
    return word;
  }
  T encode(float v) const {
    if constexpr (std::is_same_v<T, uint16_t>)
      return elt == Elt::BF16 ? toBF16(v) : toF16(v);
    else
      return static_cast<T>(elt == Elt::F32 ? v : std::round(v * 8));
  }
  double decode(T v) const {
    if constexpr (std::is_same_v<T, uint16_t>)
      return elt == Elt::BF16 ? fromBF16(v) : fromF16(v);
    else
      return static_cast<double>(v);
  }

  std::array<int64_t, N> shape;
  Elt elt;
  std::vector<T> data, downloaded;
  T *devicePtr = nullptr;
};

/// Whether a GPU is usable; says why not (the program then exits 2).
inline bool gpuAvailable() {
  if (pixelflyRuntimeAvailable()) {
    std::printf("device: %s (sm_%d)\n", pixelflyDeviceName(),
                pixelflyDeviceComputeCapability());
    // Every launch on one stream, so events time whole calls.
    pixelflyUseSharedStream(1);
    return true;
  }
  std::printf("SKIP: no usable GPU: %s\n", pixelflyRuntimeError());
  return false;
}

/// Median GPU time in milliseconds of `reps` runs of `fn`, each after an
/// untimed `setup`: events recorded on the shared stream (every launch of
/// the compiled code goes there) before and after the call, so the figure
/// is the device's time for the call's kernels, without the host's launch
/// and synchronization costs (for several kernels, the gaps between them
/// count: calls are synchronous).
inline float timeMedian(int reps, const std::function<void()> &setup,
                        const std::function<void()> &fn) {
  std::vector<double> times;
  void *stream = pixelflySharedStream();
  void *start = mgpuEventCreate(), *stop = mgpuEventCreate();
  // One untimed run first: first-launch costs stay out of the figure.
  for (int i = 0; i <= std::max(reps, 1); ++i) {
    setup();
    pixelflyDeviceSynchronize();
    mgpuEventRecord(start, stream);
    fn();
    mgpuEventRecord(stop, stream);
    float ms = pixelflyEventElapsedMs(start, stop);
    if (i > 0)
      times.push_back(ms);
  }
  mgpuEventDestroy(start);
  mgpuEventDestroy(stop);
  std::sort(times.begin(), times.end());
  return static_cast<float>(times[times.size() / 2]);
}

/// Prints the case's line; 1 for a failure (including a runtime error).
inline int report(const char *name, int64_t m, double err, double tolerance,
                  float ms, const char *baseline) {
  const char *error = pixelflyRuntimeError();
  bool ok = !error && err <= tolerance;
  if (ok)
    std::printf("PASS %s m=%lld max_err=%g gpu_ms=%.4f%s%s\n", name,
                static_cast<long long>(m), err, ms,
                *baseline ? " baseline=" : "", baseline);
  else
    std::printf("FAIL %s m=%lld max_err=%g (tolerance %g)%s%s\n", name,
                static_cast<long long>(m), err, tolerance,
                error ? " runtime error: " : "", error ? error : "");
  std::fflush(stdout);
  return ok ? 0 : 1;
}

} // namespace harness

#endif // PIXELFLY_TEST_INTEGRATION_GPU_HARNESS_H
