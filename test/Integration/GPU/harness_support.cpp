//===- harness_support.cpp - What compiled CPU modules call ---------------===//
//
// Part of the pixelfly-mlir project.
//
// The CPU reference half of a GPU test program is lowered by
// pixelfly-cpu-pipeline, whose code may call memrefCopy (for memref.copy
// between buffers). Debian's implementation lives in
// libmlir_c_runner_utils.so, which pulls in libMLIR and libLLVM; this one
// keeps the test programs free of them.
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
