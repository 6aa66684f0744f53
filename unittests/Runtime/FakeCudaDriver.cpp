//===- FakeCudaDriver.cpp - A CUDA driver stand-in for runtime tests ------===//
//
// Part of the pixelfly-mlir project.
//
// Implements the driver entry points libpixelfly_runtime resolves, on host
// memory: device memory is malloc'd, copies and memsets run at once,
// launches and module loads are recorded (not executed). The tests load it
// through PIXELFLY_CUDA_DRIVER and read the records with fakeCuda*().
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Utils/GpuTarget.h"
#include "pixelfly/Runtime/TensorMapTypes.h"

#include <cstdio>
#include <cstdlib>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace {
using CUresult = int;
using Handle = void *;
using CUdeviceptr = unsigned long long;

struct Launch {
  std::string kernel;
  unsigned grid[3], block[3], sharedMem;
  void **params;
  void *stream;
};

int initialized = 0;
int context = 0, moduleTag = 0, stream = 0, event = 0;
std::vector<std::string> loadedPrefixes;
std::vector<std::string> functionNames;
std::vector<Launch> launches;
int maxDynamicShared = 0;
int failNextLaunch = 0;

/// With FAKE_CUDA_TRACE set, every load and launch is also printed to
/// stderr (for end-to-end tests of compiled host code).
bool tracing() { return std::getenv("FAKE_CUDA_TRACE") != nullptr; }

/// Whether a real driver would refuse the geometry, as CUDA does: an empty
/// grid, a grid or a block past the bounds along some dimension, more
/// threads than a block holds, or more than 48 KB of dynamic shared memory
/// the kernel was not given.
bool invalidLaunch(const unsigned grid[3], const unsigned block[3],
                   unsigned shared) {
  using namespace mlir::pixelfly;
  int64_t threads = 1;
  for (int i = 0; i < 3; ++i) {
    if (grid[i] == 0 || grid[i] > kMaxGridDims[i] || block[i] == 0 ||
        block[i] > kMaxBlockDims[i])
      return true;
    threads *= block[i];
  }
  return threads > kMaxThreadsPerBlock ||
         (shared > kStaticSharedLimit &&
          shared > static_cast<unsigned>(maxDynamicShared));
}

/// Why a real driver would refuse the tensor map (the documented
/// requirements of cuTensorMapEncodeTiled for an interleave-free map), or
/// null: a rank of 1 to 5, a 16-byte aligned address, dimensions of 1 to
/// 2^32, strides multiples of 16 bytes below 2^40, boxes of 1 to 256
/// elements whose rows are multiples of 16 bytes and, swizzled, at most the
/// swizzle's span (32, 64 or 128 bytes), element strides of 1 to 8.
const char *invalidTensorMap(int type, unsigned rank, void *address,
                             const uint64_t *dims, const uint64_t *strides,
                             const unsigned *box,
                             const unsigned *elementStrides, int interleave,
                             int swizzle) {
  uint64_t bytes = pixelfly::tensorMapElementBytes(type);
  if (bytes == 0)
    return "unknown data type";
  if (rank < 1 || rank > 5)
    return "rank";
  if (interleave != 0)
    return "interleave (not modelled)";
  if (reinterpret_cast<uintptr_t>(address) % 16 != 0)
    return "address not 16-byte aligned";
  for (unsigned i = 0; i < rank; ++i) {
    if (dims[i] == 0 || dims[i] > (uint64_t(1) << 32))
      return "dimension";
    if (i > 0 &&
        (strides[i - 1] % 16 != 0 || strides[i - 1] >= (uint64_t(1) << 40)))
      return "stride not a multiple of 16 bytes";
    if (box[i] == 0 || box[i] > 256)
      return "box";
    if (elementStrides[i] == 0 || elementStrides[i] > 8)
      return "element stride";
  }
  uint64_t rowBytes = uint64_t(box[0]) * bytes;
  if (rowBytes % 16 != 0)
    return "box row not a multiple of 16 bytes";
  static const uint64_t span[] = {0, 32, 64, 128};
  if (swizzle < 0 || swizzle > 3)
    return "swizzle";
  if (swizzle != 0 && rowBytes > span[swizzle])
    return "box row wider than the swizzle span";
  return nullptr;
}
} // namespace

extern "C" {
// Records, for the tests.
int fakeCudaLaunchCount() { return static_cast<int>(launches.size()); }
const char *fakeCudaLaunchKernel(int i) { return launches[i].kernel.c_str(); }
unsigned fakeCudaLaunchDim(int i, int which) {
  return which < 3 ? launches[i].grid[which] : launches[i].block[which - 3];
}
unsigned fakeCudaLaunchSharedMem(int i) { return launches[i].sharedMem; }
void **fakeCudaLaunchParams(int i) { return launches[i].params; }
void *fakeCudaLaunchStream(int i) { return launches[i].stream; }
const char *fakeCudaLoadedPrefix(int i) { return loadedPrefixes[i].c_str(); }
int fakeCudaMaxDynamicShared() { return maxDynamicShared; }
void fakeCudaFailNextLaunch() { failNextLaunch = 1; }

// The driver API (the subset the runtime uses).
CUresult cuInit(unsigned) {
  initialized = 1;
  return 0;
}
CUresult cuGetErrorString(CUresult, const char **text) {
  *text = "fake failure";
  return 0;
}
CUresult cuDeviceGetCount(int *count) {
  *count = initialized ? 1 : 0;
  return initialized ? 0 : 3; // CUDA_ERROR_NOT_INITIALIZED
}
CUresult cuDeviceGet(int *device, int ordinal) {
  *device = ordinal;
  return 0;
}
CUresult cuDeviceGetName(char *name, int length, int) {
  std::strncpy(name, "Fake GPU", length);
  return 0;
}
CUresult cuDeviceGetAttribute(int *value, int attribute, int) {
  // Compute capability 9.0, memory pools supported.
  *value = attribute == 75 ? 9 : attribute == 115 ? 1 : 0;
  return 0;
}
CUresult cuDevicePrimaryCtxRetain(Handle *ctx, int) {
  *ctx = &context;
  return 0;
}
CUresult cuCtxSetCurrent(Handle ctx) { return ctx == &context ? 0 : 201; }
CUresult cuCtxSynchronize() { return 0; }
CUresult cuModuleLoadData(Handle *module, const void *image) {
  loadedPrefixes.emplace_back(static_cast<const char *>(image), 4);
  if (tracing())
    std::fprintf(stderr, "fake-cuda: load %s\n",
                 std::strncmp(static_cast<const char *>(image), "\x7f" "ELF", 4) == 0
                     ? "cubin"
                     : "ptx");
  *module = &moduleTag;
  return 0;
}
CUresult cuModuleUnload(Handle) { return 0; }
CUresult cuModuleGetFunction(Handle *function, Handle, const char *name) {
  functionNames.emplace_back(name);
  *function = reinterpret_cast<Handle>(functionNames.size());
  return 0;
}
/// The fake device is an sm_90 part: what its kernels may opt into.
constexpr int kFakeSharedMemoryOptIn = 227 * 1024;
CUresult cuFuncSetAttribute(Handle, int attribute, int value) {
  if (attribute == 8) { // CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES
    if (value < 0 || value > kFakeSharedMemoryOptIn)
      return 1; // CUDA_ERROR_INVALID_VALUE
    maxDynamicShared = value;
  }
  return 0;
}
CUresult cuLaunchKernel(Handle function, unsigned gx, unsigned gy,
                        unsigned gz, unsigned bx, unsigned by, unsigned bz,
                        unsigned shared, Handle stream, void **params,
                        void **) {
  if (failNextLaunch) {
    failNextLaunch = 0;
    return 1; // CUDA_ERROR_INVALID_VALUE
  }
  size_t index = reinterpret_cast<size_t>(function) - 1;
  unsigned grid[3] = {gx, gy, gz}, block[3] = {bx, by, bz};
  if (invalidLaunch(grid, block, shared)) {
    if (tracing())
      std::fprintf(stderr,
                   "fake-cuda: invalid launch %s grid (%u, %u, %u) block "
                   "(%u, %u, %u) shared %u\n",
                   functionNames.at(index).c_str(), gx, gy, gz, bx, by, bz,
                   shared);
    return 1; // CUDA_ERROR_INVALID_VALUE
  }
  launches.push_back({functionNames.at(index), {gx, gy, gz}, {bx, by, bz},
                      shared, params, stream});
  if (tracing())
    std::fprintf(stderr,
                 "fake-cuda: launch %s grid (%u, %u, %u) block (%u, %u, %u) "
                 "shared %u stream %p\n",
                 functionNames.at(index).c_str(), gx, gy, gz, bx, by, bz,
                 shared, stream);
  return 0;
}
int streamCreates = 0, streamDestroys = 0;
CUresult cuStreamCreate(Handle *s, unsigned) {
  *s = &stream;
  ++streamCreates;
  return 0;
}
CUresult cuStreamDestroy_v2(Handle) {
  ++streamDestroys;
  return 0;
}
int fakeCudaStreamCreates() { return streamCreates; }
int fakeCudaStreamDestroys() { return streamDestroys; }
int streamSyncs = 0, eventSyncs = 0, asyncAllocs = 0, asyncFrees = 0;
Handle lastAllocStream = nullptr;
int fakeCudaStreamSyncs() { return streamSyncs; }
int fakeCudaEventSyncs() { return eventSyncs; }
int fakeCudaAsyncAllocs() { return asyncAllocs; }
int fakeCudaAsyncFrees() { return asyncFrees; }
void *fakeCudaLastAllocStream() { return lastAllocStream; }
CUresult cuStreamSynchronize(Handle) {
  ++streamSyncs;
  if (tracing())
    std::fprintf(stderr, "fake-cuda: stream synchronize\n");
  return 0;
}
CUresult cuStreamWaitEvent(Handle, Handle, unsigned) { return 0; }
CUresult cuEventCreate(Handle *e, unsigned) {
  *e = &event;
  return 0;
}
CUresult cuEventDestroy_v2(Handle) { return 0; }
CUresult cuEventRecord(Handle, Handle) { return 0; }
CUresult cuEventSynchronize(Handle) {
  ++eventSyncs;
  return 0;
}
CUresult cuEventElapsedTime(float *ms, Handle, Handle) {
  *ms = 1.5f;
  return 0;
}
/// Device allocations not yet freed (every allocation entry point counts).
int liveAllocations = 0;
int fakeCudaLiveAllocations() { return liveAllocations; }
/// With FAKE_CUDA_REPORT_LIVE set, the number left when the library is
/// finalized, after the process's exit handlers (the runtime frees its
/// caches in one), is printed to stderr.
__attribute__((destructor)) static void reportLiveAllocations() {
  if (std::getenv("FAKE_CUDA_REPORT_LIVE"))
    std::fprintf(stderr, "fake-cuda: %d device allocations live at exit\n",
                 liveAllocations);
}
CUresult cuMemAlloc_v2(CUdeviceptr *ptr, size_t bytes) {
  *ptr = reinterpret_cast<CUdeviceptr>(std::malloc(bytes));
  ++liveAllocations;
  return 0;
}
CUresult cuMemAllocAsync(CUdeviceptr *ptr, size_t bytes, Handle stream) {
  ++asyncAllocs;
  lastAllocStream = stream;
  if (tracing())
    std::fprintf(stderr, "fake-cuda: stream-ordered alloc %zu bytes\n", bytes);
  return cuMemAlloc_v2(ptr, bytes);
}
CUresult cuMemFreeAsync(CUdeviceptr ptr, Handle) {
  ++asyncFrees;
  if (ptr)
    --liveAllocations;
  std::free(reinterpret_cast<void *>(ptr));
  return 0;
}
CUresult cuMemAllocManaged(CUdeviceptr *ptr, size_t bytes, unsigned) {
  return cuMemAlloc_v2(ptr, bytes);
}
CUresult cuMemFree_v2(CUdeviceptr ptr) {
  if (ptr)
    --liveAllocations;
  std::free(reinterpret_cast<void *>(ptr));
  return 0;
}
CUresult cuMemcpyAsync(CUdeviceptr dst, CUdeviceptr src, size_t bytes,
                       Handle) {
  std::memcpy(reinterpret_cast<void *>(dst), reinterpret_cast<void *>(src),
              bytes);
  return 0;
}
CUresult cuMemsetD32Async(CUdeviceptr dst, unsigned value, size_t count,
                          Handle) {
  auto *p = reinterpret_cast<unsigned *>(dst);
  for (size_t i = 0; i < count; ++i)
    p[i] = value;
  return 0;
}
CUresult cuMemsetD16Async(CUdeviceptr dst, unsigned short value, size_t count,
                          Handle) {
  auto *p = reinterpret_cast<unsigned short *>(dst);
  for (size_t i = 0; i < count; ++i)
    p[i] = value;
  return 0;
}
CUresult cuMemcpyHtoD_v2(CUdeviceptr dst, const void *src, size_t bytes) {
  std::memcpy(reinterpret_cast<void *>(dst), src, bytes);
  return 0;
}
int tensorMapEncodes = 0;
int fakeCudaTensorMapEncodes() { return tensorMapEncodes; }
/// Records the arguments in the map (type, rank, then per dimension the
/// size, box and byte stride as 64-bit words) and prints them when
/// tracing; fails like the driver on a box of more than 256 elements.
CUresult cuTensorMapEncodeTiled(void *map, int type, unsigned rank,
                                void *address, const uint64_t *dims,
                                const uint64_t *strides, const unsigned *box,
                                const unsigned *elementStrides, int interleave,
                                int swizzle, int l2, int oob) {
  if (const char *why =
          invalidTensorMap(type, rank, address, dims, strides, box,
                           elementStrides, interleave, swizzle)) {
    if (tracing())
      std::fprintf(stderr, "fake-cuda: invalid tensor map: %s\n", why);
    return 1; // CUDA_ERROR_INVALID_VALUE
  }
  ++tensorMapEncodes;
  auto *words = static_cast<uint64_t *>(map);
  std::memset(map, 0, 128);
  words[0] = static_cast<uint64_t>(type) | (uint64_t(rank) << 8) |
             (uint64_t(swizzle) << 16);
  words[1] = reinterpret_cast<uint64_t>(address);
  for (unsigned i = 0; i < rank; ++i) {
    words[2 + 3 * i] = dims[i];
    words[3 + 3 * i] = box[i];
    words[4 + 3 * i] = i ? strides[i - 1] : 0;
  }
  if (tracing()) {
    std::fprintf(stderr, "fake-cuda: tensor map type %d rank %u dims", type,
                 rank);
    for (unsigned i = 0; i < rank; ++i)
      std::fprintf(stderr, " %llu", (unsigned long long)dims[i]);
    std::fprintf(stderr, " strides");
    for (unsigned i = 1; i < rank; ++i)
      std::fprintf(stderr, " %llu", (unsigned long long)strides[i - 1]);
    std::fprintf(stderr, " box");
    for (unsigned i = 0; i < rank; ++i)
      std::fprintf(stderr, " %u", box[i]);
    std::fprintf(stderr, " interleave %d swizzle %d l2 %d oob %d\n",
                 interleave, swizzle, l2, oob);
  }
  return 0;
}
CUresult cuMemHostRegister_v2(void *, size_t, unsigned) { return 0; }
CUresult cuMemHostUnregister(void *) { return 0; }
} // extern "C"
