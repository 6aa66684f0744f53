/*===- PixelflyRuntime.h - GPU runtime of pixelfly programs -------*- C -*-===//
//
// Part of the pixelfly-mlir project.
//
// libpixelfly_runtime.so implements the `mgpu*` functions that MLIR's
// gpu-to-llvm conversion and gpu.binary translation call (module load, kernel
// launch, streams, events, memory), over the CUDA driver API loaded with
// dlopen at run time: it builds without a CUDA toolkit and needs only libc,
// libstdc++ and, on a GPU machine, the NVIDIA driver (libcuda.so.1).
//
// When no driver or no GPU is found, the first call prints one line saying
// so to stderr and every call does nothing (null handles): programs check
// pixelflyRuntimeError() before trusting results. PIXELFLY_CUDA_DRIVER
// names another driver library (tests use a fake one).
//
// The functions below are the runtime's own API, for test and benchmark
// programs: errors, device queries and event timing.
//
//===----------------------------------------------------------------------===*/

#ifndef PIXELFLY_RUNTIME_PIXELFLYRUNTIME_H
#define PIXELFLY_RUNTIME_PIXELFLYRUNTIME_H

#include <stddef.h>
#include <stdint.h>
#ifndef __cplusplus
#include <stdbool.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/// The first error any runtime call met (no driver, no device, a failed
/// driver call, with the driver's message), or null if none.
const char *pixelflyRuntimeError(void);

/// Forgets the recorded error (tests that provoke one).
void pixelflyRuntimeClearError(void);

/// 1 when the driver loaded and a device is usable, 0 otherwise (and
/// pixelflyRuntimeError() says why). Initializes the runtime.
int pixelflyRuntimeAvailable(void);

/// Name and compute capability (e.g. 90 for sm_90) of the current device;
/// empty and 0 without one.
const char *pixelflyDeviceName(void);
int pixelflyDeviceComputeCapability(void);

/// Milliseconds between two events recorded with mgpuEventRecord (waits for
/// `stop`); a negative value on error.
float pixelflyEventElapsedMs(void *start, void *stop);

/// Waits for all work on the device.
void pixelflyDeviceSynchronize(void);

/// With `enable`, every stream compiled code creates (mgpuStreamCreate) is
/// one shared stream, never destroyed, so that events recorded on
/// pixelflySharedStream() before and after a call bracket its kernels (GPU
/// time, no host overhead). Off by default: each launch gets its own.
void pixelflyUseSharedStream(int enable);

/// The shared stream (created on first use; null without a device).
void *pixelflySharedStream(void);

/// Runs compiled code on the caller's `stream` (a CUstream, e.g. PyTorch's
/// current stream), stream-ordered: every stream the code asks for is
/// `stream`, never destroyed, and its host waits (stream and event
/// synchronization) return at once, so a call only enqueues its work, like
/// any CUDA library call. Results are ready for work enqueued later on
/// `stream`; the host must synchronize before reading them. Null restores
/// the default (a stream per call, or the shared one); to order calls with
/// the legacy default stream (PyTorch's default, handle 0) pass
/// CU_STREAM_LEGACY ((void *)1). Takes precedence over
/// pixelflyUseSharedStream.
void pixelflySetStream(void *stream);

/* The mgpu* entry points (signatures of MLIR 22's gpu-to-llvm). */
void *mgpuModuleLoad(void *data, size_t size);
void *mgpuModuleLoadJIT(void *data, int optLevel);
void mgpuModuleUnload(void *module);
void *mgpuModuleGetFunction(void *module, const char *name);
void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t sharedMemBytes, void *stream,
                      void **params, void **extra, size_t paramsCount);
void mgpuLaunchClusterKernel(void *function, intptr_t clusterX,
                             intptr_t clusterY, intptr_t clusterZ,
                             intptr_t gridX, intptr_t gridY, intptr_t gridZ,
                             intptr_t blockX, intptr_t blockY, intptr_t blockZ,
                             int32_t sharedMemBytes, void *stream,
                             void **params, void **extra);
void *mgpuStreamCreate(void);
void mgpuStreamDestroy(void *stream);
void mgpuStreamSynchronize(void *stream);
void mgpuStreamWaitEvent(void *stream, void *event);
void *mgpuEventCreate(void);
void mgpuEventDestroy(void *event);
void mgpuEventSynchronize(void *event);
void mgpuEventRecord(void *event, void *stream);
void *mgpuMemAlloc(uint64_t sizeBytes, void *stream, bool isHostShared);
void mgpuMemFree(void *ptr, void *stream);
void mgpuMemcpy(void *dst, void *src, size_t sizeBytes, void *stream);
void mgpuMemset32(void *dst, uint32_t value, size_t count, void *stream);
void mgpuMemset16(void *dst, uint16_t value, size_t count, void *stream);
void mgpuMemHostRegister(void *ptr, uint64_t sizeBytes);
void mgpuMemHostUnregister(void *ptr);
void mgpuMemHostRegisterMemRef(int64_t rank, void *descriptor,
                               int64_t elementSizeBytes);
void mgpuMemHostUnregisterMemRef(int64_t rank, void *descriptor,
                                 int64_t elementSizeBytes);
void mgpuSetDefaultDevice(int32_t device);
/// A TMA descriptor (CUtensorMap, sm_90) of a ranked memref (its
/// descriptor, `rank` sizes and strides), boxes of `boxDims` elements
/// (outermost first), in device memory, as nvgpu.tma.create.descriptor's
/// lowering expects. Identical maps share one device copy, kept for the
/// life of the process. Null on failure (pixelflyRuntimeError says why).
void *mgpuTensorMapEncodeTiledMemref(int64_t rank, void *descriptor,
                                     int64_t dataType, int64_t interleave,
                                     int64_t swizzle, int64_t l2Promotion,
                                     int64_t oobFill, int64_t *boxDims);

#ifdef __cplusplus
} // extern "C"
#endif

#endif /* PIXELFLY_RUNTIME_PIXELFLYRUNTIME_H */
