//===- PixelflyRuntime.cpp - mgpu* over a dlopen'd CUDA driver ------------===//
//
// Part of the pixelfly-mlir project.
//
// The CUDA driver API is declared here by hand (the few types and entry
// points used) and resolved with dlsym, so the library builds without a
// CUDA toolkit. Every entry point first makes the runtime's context current
// (calls may come from any host thread). Failures are recorded once
// (pixelflyRuntimeError) and reported on stderr; calls then do nothing.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Runtime/PixelflyRuntime.h"
#include "pixelfly/Runtime/TensorMapTypes.h"

#include <dlfcn.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <type_traits>

namespace {

// The driver's types, as in cuda.h (ABI-stable since CUDA 4).
using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;
using Handle = void *; // CUcontext, CUmodule, CUfunction, CUstream, CUevent
constexpr CUresult kSuccess = 0;
constexpr int kAttrComputeCapabilityMajor = 75;
constexpr int kAttrComputeCapabilityMinor = 76;
constexpr int kAttrMemoryPoolsSupported = 115;
constexpr int kMemPoolAttrReleaseThreshold = 4;
constexpr int kFuncAttrMaxDynamicSharedBytes = 8;
constexpr unsigned kMemHostRegisterPortable = 1;
constexpr unsigned kMemAttachGlobal = 1;
constexpr int kLaunchAttrClusterDimension = 4;

struct LaunchAttribute {
  int id;
  char pad[8 - sizeof(int)];
  union {
    char bytes[64];
    struct {
      unsigned x, y, z;
    } clusterDim;
  } value;
};
struct LaunchConfig {
  unsigned gridX, gridY, gridZ, blockX, blockY, blockZ, sharedMemBytes;
  Handle stream;
  LaunchAttribute *attrs;
  unsigned numAttrs;
};

/// The driver entry points the runtime uses, resolved by name.
struct Driver {
  CUresult (*cuInit)(unsigned);
  CUresult (*cuGetErrorString)(CUresult, const char **);
  CUresult (*cuDeviceGetCount)(int *);
  CUresult (*cuDeviceGet)(CUdevice *, int);
  CUresult (*cuDeviceGetName)(char *, int, CUdevice);
  CUresult (*cuDeviceGetAttribute)(int *, int, CUdevice);
  CUresult (*cuDevicePrimaryCtxRetain)(Handle *, CUdevice);
  CUresult (*cuCtxSetCurrent)(Handle);
  CUresult (*cuCtxSynchronize)();
  CUresult (*cuModuleLoadData)(Handle *, const void *);
  CUresult (*cuModuleUnload)(Handle);
  CUresult (*cuModuleGetFunction)(Handle *, Handle, const char *);
  CUresult (*cuFuncSetAttribute)(Handle, int, int);
  CUresult (*cuLaunchKernel)(Handle, unsigned, unsigned, unsigned, unsigned,
                             unsigned, unsigned, unsigned, Handle, void **,
                             void **);
  CUresult (*cuLaunchKernelEx)(const LaunchConfig *, Handle, void **,
                               void **);
  CUresult (*cuStreamCreate)(Handle *, unsigned);
  CUresult (*cuStreamDestroy)(Handle);
  CUresult (*cuStreamSynchronize)(Handle);
  CUresult (*cuStreamWaitEvent)(Handle, Handle, unsigned);
  CUresult (*cuEventCreate)(Handle *, unsigned);
  CUresult (*cuEventDestroy)(Handle);
  CUresult (*cuEventRecord)(Handle, Handle);
  CUresult (*cuEventSynchronize)(Handle);
  CUresult (*cuEventElapsedTime)(float *, Handle, Handle);
  CUresult (*cuMemAlloc)(CUdeviceptr *, size_t);
  CUresult (*cuMemAllocManaged)(CUdeviceptr *, size_t, unsigned);
  CUresult (*cuMemFree)(CUdeviceptr);
  CUresult (*cuMemAllocAsync)(CUdeviceptr *, size_t, Handle); // optional
  CUresult (*cuMemFreeAsync)(CUdeviceptr, Handle);            // optional
  CUresult (*cuMemcpyHtoD)(CUdeviceptr, const void *, size_t);
  CUresult (*cuDeviceGetDefaultMemPool)(Handle *, CUdevice); // optional
  CUresult (*cuMemPoolSetAttribute)(Handle, int, void *);   // optional
  // CUDA 12+, optional: TMA descriptors (sm_90).
  CUresult (*cuTensorMapEncodeTiled)(void *, int, unsigned, void *,
                                     const uint64_t *, const uint64_t *,
                                     const unsigned *, const unsigned *, int,
                                     int, int, int);
  CUresult (*cuMemcpyAsync)(CUdeviceptr, CUdeviceptr, size_t, Handle);
  CUresult (*cuMemsetD32Async)(CUdeviceptr, unsigned, size_t, Handle);
  CUresult (*cuMemsetD16Async)(CUdeviceptr, unsigned short, size_t, Handle);
  CUresult (*cuMemHostRegister)(void *, size_t, unsigned);
  CUresult (*cuMemHostUnregister)(void *);
};

/// The loaded driver, the device and its primary context.
struct Runtime {
  Driver driver{};
  bool usable = false;
  Handle context = nullptr;
  CUdevice device = 0;
  int capability = 0;
  char name[256] = "";
};

std::mutex errorMutex;
std::string firstError;
int defaultDevice = 0;

/// pixelflyUseSharedStream: every stream the compiled code asks for is this
/// one, so events recorded on it bracket all of a call's kernels.
std::mutex streamMutex;
bool sharedStreamMode = false;
Handle sharedStream = nullptr;
/// pixelflySetStream: the calling thread's stream, used stream-ordered (no
/// host waits on it); takes precedence over the shared stream. Per thread,
/// as frameworks' current streams are (PyTorch's autograd threads).
thread_local Handle externalStream = nullptr;
/// Streams mgpuStreamCreate made: the only ones mgpuStreamDestroy destroys
/// (never a caller's).
std::set<Handle> createdStreams;


void recordError(const std::string &message) {
  std::lock_guard<std::mutex> lock(errorMutex);
  if (!firstError.empty())
    return;
  firstError = message;
  std::fprintf(stderr, "pixelfly-runtime: %s\n", message.c_str());
}

/// Resolves every entry point of `driver` from `library`; false (with the
/// missing name in `missing`) if one is absent.
bool resolve(void *library, Driver &driver, std::string &missing) {
  bool ok = true;
  auto get = [&](auto &fn, const char *name) {
    fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(
        dlsym(library, name));
    if (!fn && ok) {
      ok = false;
      missing = name;
    }
  };
  get(driver.cuInit, "cuInit");
  get(driver.cuGetErrorString, "cuGetErrorString");
  get(driver.cuDeviceGetCount, "cuDeviceGetCount");
  get(driver.cuDeviceGet, "cuDeviceGet");
  get(driver.cuDeviceGetName, "cuDeviceGetName");
  get(driver.cuDeviceGetAttribute, "cuDeviceGetAttribute");
  get(driver.cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain");
  get(driver.cuCtxSetCurrent, "cuCtxSetCurrent");
  get(driver.cuCtxSynchronize, "cuCtxSynchronize");
  get(driver.cuModuleLoadData, "cuModuleLoadData");
  get(driver.cuModuleUnload, "cuModuleUnload");
  get(driver.cuModuleGetFunction, "cuModuleGetFunction");
  get(driver.cuFuncSetAttribute, "cuFuncSetAttribute");
  get(driver.cuLaunchKernel, "cuLaunchKernel");
  get(driver.cuStreamCreate, "cuStreamCreate");
  get(driver.cuStreamDestroy, "cuStreamDestroy_v2");
  get(driver.cuStreamSynchronize, "cuStreamSynchronize");
  get(driver.cuStreamWaitEvent, "cuStreamWaitEvent");
  get(driver.cuEventCreate, "cuEventCreate");
  get(driver.cuEventDestroy, "cuEventDestroy_v2");
  get(driver.cuEventRecord, "cuEventRecord");
  get(driver.cuEventSynchronize, "cuEventSynchronize");
  get(driver.cuEventElapsedTime, "cuEventElapsedTime");
  get(driver.cuMemAlloc, "cuMemAlloc_v2");
  get(driver.cuMemAllocManaged, "cuMemAllocManaged");
  get(driver.cuMemFree, "cuMemFree_v2");
  get(driver.cuMemcpyAsync, "cuMemcpyAsync");
  get(driver.cuMemcpyHtoD, "cuMemcpyHtoD_v2");
  get(driver.cuMemsetD32Async, "cuMemsetD32Async");
  get(driver.cuMemsetD16Async, "cuMemsetD16Async");
  get(driver.cuMemHostRegister, "cuMemHostRegister_v2");
  get(driver.cuMemHostUnregister, "cuMemHostUnregister");
  // Optional (CUDA 12+): only cluster launches need it.
  driver.cuLaunchKernelEx = reinterpret_cast<decltype(driver.cuLaunchKernelEx)>(
      dlsym(library, "cuLaunchKernelEx"));
  // Optional (CUDA 11.2+): stream-ordered allocation, used when both exist.
  driver.cuMemAllocAsync = reinterpret_cast<decltype(driver.cuMemAllocAsync)>(
      dlsym(library, "cuMemAllocAsync"));
  driver.cuMemFreeAsync = reinterpret_cast<decltype(driver.cuMemFreeAsync)>(
      dlsym(library, "cuMemFreeAsync"));
  if (!driver.cuMemAllocAsync || !driver.cuMemFreeAsync)
    driver.cuMemAllocAsync = nullptr, driver.cuMemFreeAsync = nullptr;
  driver.cuTensorMapEncodeTiled =
      reinterpret_cast<decltype(driver.cuTensorMapEncodeTiled)>(
          dlsym(library, "cuTensorMapEncodeTiled"));
  driver.cuDeviceGetDefaultMemPool =
      reinterpret_cast<decltype(driver.cuDeviceGetDefaultMemPool)>(
          dlsym(library, "cuDeviceGetDefaultMemPool"));
  driver.cuMemPoolSetAttribute =
      reinterpret_cast<decltype(driver.cuMemPoolSetAttribute)>(
          dlsym(library, "cuMemPoolSetAttribute"));
  return ok;
}

std::string describe(const Driver &driver, CUresult result) {
  const char *text = nullptr;
  if (driver.cuGetErrorString)
    driver.cuGetErrorString(result, &text);
  return "error " + std::to_string(result) + (text ? std::string(" (") + text + ")" : "");
}

void releaseTensorMaps();

/// Loads the driver and opens the device once; later calls reuse it.
Runtime &runtime() {
  static Runtime rt;
  static std::once_flag once;
  std::call_once(once, [] {
    const char *path = std::getenv("PIXELFLY_CUDA_DRIVER");
    if (!path || !*path)
      path = "libcuda.so.1";
    void *library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
      const char *why = dlerror();
      recordError(std::string("cannot load the CUDA driver (") + path +
                  "): " + (why ? why : "unknown reason") +
                  "; running GPU code needs an NVIDIA GPU and its driver");
      return;
    }
    std::string missing;
    if (!resolve(library, rt.driver, missing)) {
      recordError(std::string("the CUDA driver ") + path + " lacks " +
                  missing + " (driver too old?)");
      return;
    }
    Driver &d = rt.driver;
    CUresult r = d.cuInit(0);
    int count = 0;
    if (r == kSuccess)
      r = d.cuDeviceGetCount(&count);
    if (r != kSuccess || count == 0) {
      recordError("no CUDA device: " +
                  (r != kSuccess ? describe(d, r) : std::string("0 devices")));
      return;
    }
    if (defaultDevice >= count) {
      recordError("device " + std::to_string(defaultDevice) +
                  " requested, " + std::to_string(count) + " present");
      return;
    }
    int major = 0, minor = 0;
    r = d.cuDeviceGet(&rt.device, defaultDevice);
    if (r == kSuccess)
      r = d.cuDevicePrimaryCtxRetain(&rt.context, rt.device);
    if (r == kSuccess)
      r = d.cuDeviceGetName(rt.name, sizeof(rt.name), rt.device);
    if (r == kSuccess)
      r = d.cuDeviceGetAttribute(&major, kAttrComputeCapabilityMajor,
                                 rt.device);
    if (r == kSuccess)
      r = d.cuDeviceGetAttribute(&minor, kAttrComputeCapabilityMinor,
                                 rt.device);
    if (r != kSuccess) {
      recordError("cannot open device " + std::to_string(defaultDevice) +
                  ": " + describe(d, r));
      return;
    }
    rt.capability = major * 10 + minor;
    // Stream-ordered allocation needs memory pools on the device too.
    int pools = 0;
    if (d.cuMemAllocAsync &&
        (d.cuDeviceGetAttribute(&pools, kAttrMemoryPoolsSupported,
                                rt.device) != kSuccess ||
         !pools))
      d.cuMemAllocAsync = nullptr, d.cuMemFreeAsync = nullptr;
    // The default pool returns freed memory to the system at every
    // synchronization (release threshold 0), so each call would map its
    // temporaries afresh: keep what it holds instead.
    Handle pool = nullptr;
    uint64_t keepAll = ~uint64_t(0);
    if (d.cuMemAllocAsync && d.cuDeviceGetDefaultMemPool &&
        d.cuMemPoolSetAttribute &&
        d.cuDeviceGetDefaultMemPool(&pool, rt.device) == kSuccess)
      d.cuMemPoolSetAttribute(pool, kMemPoolAttrReleaseThreshold, &keepAll);
    rt.usable = true;
    // Registered now, after cuInit, so that it runs before the exit
    // handlers the driver registered (and, being registered from this
    // library, also when the library is unloaded).
    std::atexit(releaseTensorMaps);
  });
  return rt;
}

/// The runtime with its context current on this thread, or null.
Runtime *ready() {
  Runtime &rt = runtime();
  if (!rt.usable)
    return nullptr;
  CUresult r = rt.driver.cuCtxSetCurrent(rt.context);
  if (r != kSuccess) {
    recordError("cuCtxSetCurrent: " + describe(rt.driver, r));
    return nullptr;
  }
  return &rt;
}

/// Records a failed driver call; true when `result` is success.
bool check(Runtime &rt, CUresult result, const char *what) {
  if (result == kSuccess)
    return true;
  recordError(std::string(what) + ": " + describe(rt.driver, result));
  return false;
}

CUdeviceptr devicePtr(void *ptr) {
  return static_cast<CUdeviceptr>(reinterpret_cast<uintptr_t>(ptr));
}

/// The bytes a ranked memref descriptor spans: {allocated, aligned, offset,
/// sizes[rank], strides[rank]}; contiguous (identity layout) memrefs only.
void memrefSpan(int64_t rank, void *descriptor, int64_t elementSize,
                void *&begin, size_t &bytes) {
  auto *fields = static_cast<int64_t *>(descriptor);
  char *aligned = reinterpret_cast<char *>(fields[1]);
  int64_t count = 1;
  for (int64_t i = 0; i < rank; ++i)
    count *= fields[3 + i];
  begin = aligned + fields[2] * elementSize;
  bytes = static_cast<size_t>(count * elementSize);
}

/// Device copies of the tensor maps made so far, by content: compiled code
/// encodes its maps on every call, and the same buffers give the same map.
/// A process-lifetime cache: its copies are freed when the process exits or
/// this library is unloaded (releaseTensorMaps, registered with atexit when
/// the driver is opened), not when a GPU module is unloaded, as maps are
/// not tied to a module and kernels of other modules may still use them.
std::mutex tensorMapMutex;
std::map<std::array<unsigned char, 128>, void *> tensorMaps;
/// Beyond this many distinct maps (each new buffer address makes one) the
/// device copies are freed, after a synchronization, and the cache starts
/// over.
constexpr size_t kMaxTensorMaps = 4096;

/// Frees every cached device copy; the caller holds tensorMapMutex and has
/// synchronized the context.
void freeTensorMapsLocked(const Driver &driver) {
  for (auto &entry : tensorMaps)
    driver.cuMemFree(devicePtr(entry.second));
  tensorMaps.clear();
}

/// The cache's exit handler. Failures are ignored and not recorded: at exit
/// the driver may already be shutting down (its memory then goes with the
/// context anyway), and a late error message would only be noise.
void releaseTensorMaps() {
  std::lock_guard<std::mutex> lock(tensorMapMutex);
  if (tensorMaps.empty())
    return;
  Runtime &rt = runtime(); // opened: the handler is registered after that
  // Kernels may still read the maps.
  if (rt.driver.cuCtxSetCurrent(rt.context) == kSuccess)
    rt.driver.cuCtxSynchronize();
  freeTensorMapsLocked(rt.driver);
}

/// Managed (host_shared) allocations: freed with cuMemFree, never through
/// the stream-ordered pool.
std::mutex managedMutex;
std::set<CUdeviceptr> managedAllocations;

} // namespace

extern "C" {

const char *pixelflyRuntimeError(void) {
  std::lock_guard<std::mutex> lock(errorMutex);
  return firstError.empty() ? nullptr : firstError.c_str();
}

void pixelflyRuntimeClearError(void) {
  std::lock_guard<std::mutex> lock(errorMutex);
  firstError.clear();
}

int pixelflyRuntimeAvailable(void) { return ready() ? 1 : 0; }

const char *pixelflyDeviceName(void) { return runtime().name; }

int pixelflyDeviceComputeCapability(void) { return runtime().capability; }

float pixelflyEventElapsedMs(void *start, void *stop) {
  Runtime *rt = ready();
  float ms = -1.0f;
  if (!rt || !check(*rt, rt->driver.cuEventSynchronize(stop),
                    "cuEventSynchronize"))
    return -1.0f;
  if (!check(*rt, rt->driver.cuEventElapsedTime(&ms, start, stop),
             "cuEventElapsedTime"))
    return -1.0f;
  return ms;
}

void pixelflyDeviceSynchronize(void) {
  if (Runtime *rt = ready())
    check(*rt, rt->driver.cuCtxSynchronize(), "cuCtxSynchronize");
}

void *mgpuModuleLoad(void *data, size_t /*size*/) {
  Runtime *rt = ready();
  Handle module = nullptr;
  if (rt)
    check(*rt, rt->driver.cuModuleLoadData(&module, data), "cuModuleLoadData");
  return module;
}

void *mgpuModuleLoadJIT(void *data, int /*optLevel*/) {
  // PTX text: the driver compiles it for the device (at its default level).
  return mgpuModuleLoad(data, 0);
}

void mgpuModuleUnload(void *module) {
  Runtime *rt = ready();
  if (rt && module)
    check(*rt, rt->driver.cuModuleUnload(module), "cuModuleUnload");
}

void *mgpuModuleGetFunction(void *module, const char *name) {
  Runtime *rt = ready();
  Handle function = nullptr;
  if (!rt)
    return nullptr;
  if (!module) {
    recordError(std::string("kernel ") + name + ": its module did not load");
    return nullptr;
  }
  check(*rt, rt->driver.cuModuleGetFunction(&function, module, name),
        "cuModuleGetFunction");
  return function;
}

/// Kernels asking for more than the default 48 KB of dynamic shared memory
/// must opt in first.
static bool allowSharedMemory(Runtime &rt, void *function, int32_t bytes) {
  if (bytes <= 48 * 1024)
    return true;
  return check(rt,
               rt.driver.cuFuncSetAttribute(
                   function, kFuncAttrMaxDynamicSharedBytes, bytes),
               "cuFuncSetAttribute(max dynamic shared memory)");
}

void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t sharedMemBytes, void *stream,
                      void **params, void **extra, size_t /*paramsCount*/) {
  Runtime *rt = ready();
  if (!rt || !function || !allowSharedMemory(*rt, function, sharedMemBytes))
    return;
  check(*rt,
        rt->driver.cuLaunchKernel(function, gridX, gridY, gridZ, blockX,
                                  blockY, blockZ, sharedMemBytes, stream,
                                  params, extra),
        "cuLaunchKernel");
}

void mgpuLaunchClusterKernel(void *function, intptr_t clusterX,
                             intptr_t clusterY, intptr_t clusterZ,
                             intptr_t gridX, intptr_t gridY, intptr_t gridZ,
                             intptr_t blockX, intptr_t blockY, intptr_t blockZ,
                             int32_t sharedMemBytes, void *stream,
                             void **params, void **extra) {
  Runtime *rt = ready();
  if (!rt || !function || !allowSharedMemory(*rt, function, sharedMemBytes))
    return;
  if (!rt->driver.cuLaunchKernelEx) {
    recordError("cluster launch needs cuLaunchKernelEx (CUDA 12 driver)");
    return;
  }
  LaunchAttribute cluster{};
  cluster.id = kLaunchAttrClusterDimension;
  cluster.value.clusterDim = {static_cast<unsigned>(clusterX),
                              static_cast<unsigned>(clusterY),
                              static_cast<unsigned>(clusterZ)};
  LaunchConfig config{};
  config.gridX = gridX;
  config.gridY = gridY;
  config.gridZ = gridZ;
  config.blockX = blockX;
  config.blockY = blockY;
  config.blockZ = blockZ;
  config.sharedMemBytes = sharedMemBytes;
  config.stream = stream;
  config.attrs = &cluster;
  config.numAttrs = 1;
  check(*rt, rt->driver.cuLaunchKernelEx(&config, function, params, extra),
        "cuLaunchKernelEx");
}

void *pixelflySharedStream(void) {
  Runtime *rt = ready();
  std::lock_guard<std::mutex> lock(streamMutex);
  if (rt && !sharedStream)
    check(*rt, rt->driver.cuStreamCreate(&sharedStream, /*non-blocking*/ 1),
          "cuStreamCreate");
  return sharedStream;
}

void pixelflyUseSharedStream(int enable) {
  std::lock_guard<std::mutex> lock(streamMutex);
  sharedStreamMode = enable != 0;
}

void pixelflySetStream(void *stream) { externalStream = stream; }

void *mgpuStreamCreate(void) {
  if (externalStream)
    return externalStream;
  bool shared;
  {
    std::lock_guard<std::mutex> lock(streamMutex);
    shared = sharedStreamMode;
  }
  if (shared)
    return pixelflySharedStream();
  Runtime *rt = ready();
  Handle stream = nullptr;
  if (rt && check(*rt, rt->driver.cuStreamCreate(&stream, /*non-blocking*/ 1),
                  "cuStreamCreate")) {
    std::lock_guard<std::mutex> lock(streamMutex);
    createdStreams.insert(stream);
  }
  return stream;
}

void mgpuStreamDestroy(void *stream) {
  {
    // The shared stream lives as long as the process; a caller's stream
    // belongs to the caller.
    std::lock_guard<std::mutex> lock(streamMutex);
    if (!createdStreams.erase(stream))
      return;
  }
  if (Runtime *rt = ready())
    check(*rt, rt->driver.cuStreamDestroy(stream), "cuStreamDestroy");
}

void mgpuStreamSynchronize(void *stream) {
  // Stream-ordered: the caller orders later work after this call on its
  // stream, as with any library call enqueued there.
  if (stream && stream == externalStream)
    return;
  if (Runtime *rt = ready())
    check(*rt, rt->driver.cuStreamSynchronize(stream), "cuStreamSynchronize");
}

void mgpuStreamWaitEvent(void *stream, void *event) {
  if (Runtime *rt = ready())
    check(*rt, rt->driver.cuStreamWaitEvent(stream, event, 0),
          "cuStreamWaitEvent");
}

void *mgpuEventCreate(void) {
  Runtime *rt = ready();
  Handle event = nullptr;
  // Timing enabled (flags 0): the same events serve dependencies and timing.
  if (rt)
    check(*rt, rt->driver.cuEventCreate(&event, 0), "cuEventCreate");
  return event;
}

void mgpuEventDestroy(void *event) {
  Runtime *rt = ready();
  if (rt && event)
    check(*rt, rt->driver.cuEventDestroy(event), "cuEventDestroy");
}

void mgpuEventSynchronize(void *event) {
  // With an external stream all of a call's work is on it, so its events
  // are already ordered before whatever the caller enqueues next.
  if (externalStream)
    return;
  if (Runtime *rt = ready())
    check(*rt, rt->driver.cuEventSynchronize(event), "cuEventSynchronize");
}

void mgpuEventRecord(void *event, void *stream) {
  if (Runtime *rt = ready())
    check(*rt, rt->driver.cuEventRecord(event, stream), "cuEventRecord");
}

void *mgpuMemAlloc(uint64_t sizeBytes, void *stream, bool isHostShared) {
  Runtime *rt = ready();
  CUdeviceptr ptr = 0;
  if (!rt || sizeBytes == 0)
    return nullptr;
  if (isHostShared) {
    if (check(*rt,
              rt->driver.cuMemAllocManaged(&ptr, sizeBytes, kMemAttachGlobal),
              "cuMemAllocManaged")) {
      std::lock_guard<std::mutex> lock(managedMutex);
      managedAllocations.insert(ptr);
    }
  } else if (stream && rt->driver.cuMemAllocAsync)
    // From the device's memory pool, in stream order: no device-wide
    // synchronization, and the memory is reused by the next call.
    check(*rt, rt->driver.cuMemAllocAsync(&ptr, sizeBytes, stream),
          "cuMemAllocAsync");
  else
    check(*rt, rt->driver.cuMemAlloc(&ptr, sizeBytes), "cuMemAlloc");
  return reinterpret_cast<void *>(static_cast<uintptr_t>(ptr));
}

void mgpuMemFree(void *ptr, void *stream) {
  Runtime *rt = ready();
  if (!rt || !ptr)
    return;
  bool managed;
  {
    std::lock_guard<std::mutex> lock(managedMutex);
    managed = managedAllocations.erase(devicePtr(ptr)) != 0;
  }
  // Pool memory must go back through cuMemFreeAsync; an async free is
  // valid for cuMemAlloc'd memory too, not documented for managed memory.
  if (stream && rt->driver.cuMemFreeAsync && !managed)
    check(*rt, rt->driver.cuMemFreeAsync(devicePtr(ptr), stream),
          "cuMemFreeAsync");
  else
    check(*rt, rt->driver.cuMemFree(devicePtr(ptr)), "cuMemFree");
}

void mgpuMemcpy(void *dst, void *src, size_t sizeBytes, void *stream) {
  if (Runtime *rt = ready())
    check(*rt,
          rt->driver.cuMemcpyAsync(devicePtr(dst), devicePtr(src), sizeBytes,
                                   stream),
          "cuMemcpyAsync");
}

void mgpuMemset32(void *dst, uint32_t value, size_t count, void *stream) {
  if (Runtime *rt = ready())
    check(*rt, rt->driver.cuMemsetD32Async(devicePtr(dst), value, count, stream),
          "cuMemsetD32Async");
}

void mgpuMemset16(void *dst, uint16_t value, size_t count, void *stream) {
  if (Runtime *rt = ready())
    check(*rt, rt->driver.cuMemsetD16Async(devicePtr(dst), value, count, stream),
          "cuMemsetD16Async");
}

void mgpuMemHostRegister(void *ptr, uint64_t sizeBytes) {
  Runtime *rt = ready();
  if (rt && ptr && sizeBytes)
    check(*rt,
          rt->driver.cuMemHostRegister(ptr, sizeBytes,
                                       kMemHostRegisterPortable),
          "cuMemHostRegister");
}

void mgpuMemHostUnregister(void *ptr) {
  Runtime *rt = ready();
  if (rt && ptr)
    check(*rt, rt->driver.cuMemHostUnregister(ptr), "cuMemHostUnregister");
}

void mgpuMemHostRegisterMemRef(int64_t rank, void *descriptor,
                               int64_t elementSizeBytes) {
  void *begin = nullptr;
  size_t bytes = 0;
  memrefSpan(rank, descriptor, elementSizeBytes, begin, bytes);
  mgpuMemHostRegister(begin, bytes);
}

void mgpuMemHostUnregisterMemRef(int64_t rank, void *descriptor,
                                 int64_t elementSizeBytes) {
  void *begin = nullptr;
  size_t bytes = 0;
  memrefSpan(rank, descriptor, elementSizeBytes, begin, bytes);
  mgpuMemHostUnregister(begin);
}

void mgpuSetDefaultDevice(int32_t device) { defaultDevice = device; }

void *mgpuTensorMapEncodeTiledMemref(int64_t rank, void *descriptor,
                                     int64_t dataType, int64_t interleave,
                                     int64_t swizzle, int64_t l2Promotion,
                                     int64_t oobFill, int64_t *boxDims) {
  Runtime *rt = ready();
  if (!rt)
    return nullptr;
  if (!rt->driver.cuTensorMapEncodeTiled) {
    recordError("TMA descriptors need cuTensorMapEncodeTiled (CUDA 12 "
                "driver or later)");
    return nullptr;
  }
  int64_t elementBytes = pixelfly::tensorMapElementBytes(dataType);
  if (rank < 1 || rank > 5 || !descriptor || !boxDims || elementBytes == 0) {
    recordError("mgpuTensorMapEncodeTiledMemref: rank " +
                std::to_string(rank) + ", data type " +
                std::to_string(dataType) +
                " (a rank 1 to 5 memref of a CUtensorMapDataType is needed)");
    return nullptr;
  }
  // The memref descriptor {allocated, aligned, offset, sizes[rank],
  // strides[rank]} is outermost-first; the driver wants innermost first,
  // strides in bytes for all but the innermost (contiguous) dimension.
  auto *fields = static_cast<int64_t *>(descriptor);
  char *base = reinterpret_cast<char *>(fields[1]) + fields[2] * elementBytes;
  const int64_t *sizes = fields + 3, *strides = fields + 3 + rank;
  if (strides[rank - 1] != 1) {
    recordError("mgpuTensorMapEncodeTiledMemref: innermost stride " +
                std::to_string(strides[rank - 1]) +
                " (TMA needs a contiguous innermost dimension)");
    return nullptr;
  }
  uint64_t globalDim[5], globalStrides[4];
  unsigned box[5], elementStrides[5];
  for (int64_t i = 0; i < rank; ++i) {
    int64_t d = rank - 1 - i;
    globalDim[i] = static_cast<uint64_t>(sizes[d]);
    box[i] = static_cast<unsigned>(boxDims[d]);
    elementStrides[i] = 1;
    if (i > 0)
      globalStrides[i - 1] = static_cast<uint64_t>(strides[d] * elementBytes);
  }
  alignas(64) std::array<unsigned char, 128> map{};
  if (!check(*rt,
             rt->driver.cuTensorMapEncodeTiled(
                 map.data(), static_cast<int>(dataType),
                 static_cast<unsigned>(rank), base, globalDim, globalStrides,
                 box, elementStrides, static_cast<int>(interleave),
                 static_cast<int>(swizzle), static_cast<int>(l2Promotion),
                 static_cast<int>(oobFill)),
             "cuTensorMapEncodeTiled"))
    return nullptr;
  std::lock_guard<std::mutex> lock(tensorMapMutex);
  if (auto it = tensorMaps.find(map); it != tensorMaps.end())
    return it->second;
  if (tensorMaps.size() >= kMaxTensorMaps) {
    // Kernels may still read the old copies: wait for them first.
    check(*rt, rt->driver.cuCtxSynchronize(), "cuCtxSynchronize");
    freeTensorMapsLocked(rt->driver);
  }
  // Kernels read the map from global memory (a kernel parameter holds its
  // address). The copy from pageable memory may still be in flight when
  // cuMemcpyHtoD returns, and the kernels' streams do not wait for the
  // legacy stream: synchronize (once per distinct map).
  CUdeviceptr copy = 0;
  if (!check(*rt, rt->driver.cuMemAlloc(&copy, map.size()), "cuMemAlloc"))
    return nullptr;
  if (!check(*rt, rt->driver.cuMemcpyHtoD(copy, map.data(), map.size()),
             "cuMemcpyHtoD") ||
      !check(*rt, rt->driver.cuCtxSynchronize(), "cuCtxSynchronize")) {
    rt->driver.cuMemFree(copy);
    return nullptr;
  }
  void *device = reinterpret_cast<void *>(static_cast<uintptr_t>(copy));
  tensorMaps.emplace(map, device);
  return device;
}

} // extern "C"
