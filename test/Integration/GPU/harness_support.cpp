//===- harness_support.cpp - What compiled CPU modules call ---------------===//
//
// Part of the pixelfly-mlir project.
//
// The CPU reference half of a GPU test program is lowered by
// pixelfly-cpu-pipeline, whose code may call memrefCopy (for memref.copy
// between buffers). Debian's implementation lives in
// libmlir_c_runner_utils.so, which pulls in libMLIR and libLLVM; this one
// keeps the test programs free of them. It may also call __truncsfbf2:
// LLVM rounds a bf16 value that moves between vector lanes through f32
// with that compiler-rt builtin on hosts without bf16 conversion
// instructions (AVX2 machines such as Zen 3; the pipeline compiles for
// the host), and Debian 12's libgcc (GCC 12) does not have it.
//
//===----------------------------------------------------------------------===//

#include <cstdint>
#include <cstring>

namespace {
struct Unranked {
  int64_t rank;
  void *descriptor;
};

/// Copies `rank` dimensions of a strided descriptor, element by element.
void copyDims(int64_t elemSize, int64_t rank, const int64_t *sizes,
              const int64_t *srcStrides, const int64_t *dstStrides,
              const char *src, char *dst) {
  if (rank == 0) {
    std::memcpy(dst, src, elemSize);
    return;
  }
  for (int64_t i = 0; i < sizes[0]; ++i)
    copyDims(elemSize, rank - 1, sizes + 1, srcStrides + 1, dstStrides + 1,
             src + i * srcStrides[0] * elemSize,
             dst + i * dstStrides[0] * elemSize);
}
} // namespace

extern "C" void memrefCopy(int64_t elemSize, Unranked *src, Unranked *dst) {
  // {allocated, aligned, offset, sizes[rank], strides[rank]}
  auto fields = [](Unranked *m) {
    return static_cast<int64_t *>(m->descriptor);
  };
  int64_t rank = src->rank, *s = fields(src), *d = fields(dst);
  const char *from = reinterpret_cast<const char *>(s[1]) + s[2] * elemSize;
  char *to = reinterpret_cast<char *>(d[1]) + d[2] * elemSize;
  copyDims(elemSize, rank, s + 3, s + 3 + rank, d + 3 + rank, from, to);
}

/// f32 -> bf16, rounding to nearest even, NaNs kept quiet: compiler-rt's
/// __truncsfbf2. The result travels in xmm0 like a half-precision float
/// (x86-64 SysV), hence _Float16 as the carrier of its 16 bits. Weak, so a
/// runtime library that has it wins.
#if defined(__x86_64__)
extern "C" __attribute__((weak)) _Float16 __truncsfbf2(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  uint16_t result;
  if ((bits & 0x7fffffffu) > 0x7f800000u)
    result = static_cast<uint16_t>((bits >> 16) | 0x40u);
  else
    result = static_cast<uint16_t>(
        (bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
  _Float16 carrier;
  std::memcpy(&carrier, &result, sizeof(carrier));
  return carrier;
}
#endif
