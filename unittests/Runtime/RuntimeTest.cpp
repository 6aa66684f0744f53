//===- RuntimeTest.cpp - libpixelfly_runtime without a GPU ----------------===//
//
// Part of the pixelfly-mlir project.
//
// Two configurations, one per ctest entry (the runtime opens the driver
// once per process): NoDriver.* runs with PIXELFLY_CUDA_DRIVER naming a
// library that does not exist; FakeDriver.* with the fake driver built next
// to this test (FakeCudaDriver.cpp).
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Runtime/PixelflyRuntime.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <string>
#include <thread>
#include <vector>

namespace {

TEST(NoDriver, CallsReportOneClearErrorAndDoNothing) {
  EXPECT_EQ(pixelflyRuntimeAvailable(), 0);
  const char *error = pixelflyRuntimeError();
  ASSERT_NE(error, nullptr);
  EXPECT_NE(std::string(error).find("cannot load the CUDA driver"),
            std::string::npos)
      << error;
  EXPECT_NE(std::string(error).find("needs an NVIDIA GPU"), std::string::npos)
      << error;
  // Every entry point is a no-op with null handles, never a crash.
  char image[] = "// ptx";
  void *module = mgpuModuleLoadJIT(image, 2);
  EXPECT_EQ(module, nullptr);
  EXPECT_EQ(mgpuModuleGetFunction(module, "k"), nullptr);
  mgpuLaunchKernel(nullptr, 1, 1, 1, 1, 1, 1, 0, nullptr, nullptr, nullptr, 0);
  EXPECT_EQ(mgpuMemAlloc(64, nullptr, false), nullptr);
  EXPECT_EQ(mgpuStreamCreate(), nullptr);
  int64_t desc[5] = {0, 0, 0, 16, 1}, box[1] = {16};
  EXPECT_EQ(mgpuTensorMapEncodeTiledMemref(1, desc, 6, 0, 0, 0, 0, box),
            nullptr);
  EXPECT_LT(pixelflyEventElapsedMs(nullptr, nullptr), 0.0f);
  EXPECT_STREQ(pixelflyDeviceName(), "");
  EXPECT_EQ(pixelflyDeviceComputeCapability(), 0);
}

/// The fake driver's record accessors, from the library the runtime loaded.
template <typename Fn> Fn fake(const char *name) {
  void *library = dlopen(std::getenv("PIXELFLY_CUDA_DRIVER"), RTLD_NOW);
  EXPECT_NE(library, nullptr);
  return reinterpret_cast<Fn>(dlsym(library, name));
}

TEST(FakeDriver, DeviceAndMemory) {
  ASSERT_EQ(pixelflyRuntimeAvailable(), 1) << pixelflyRuntimeError();
  EXPECT_STREQ(pixelflyDeviceName(), "Fake GPU");
  EXPECT_EQ(pixelflyDeviceComputeCapability(), 90);

  void *stream = mgpuStreamCreate();
  ASSERT_NE(stream, nullptr);
  std::vector<float> host = {1, 2, 3, 4}, back(4, 0);
  void *device = mgpuMemAlloc(host.size() * sizeof(float), stream, false);
  ASSERT_NE(device, nullptr);
  mgpuMemcpy(device, host.data(), host.size() * sizeof(float), stream);
  mgpuMemcpy(back.data(), device, host.size() * sizeof(float), stream);
  mgpuStreamSynchronize(stream);
  EXPECT_EQ(back, host);
  mgpuMemset32(device, 0x3f800000u, 4, stream); // 1.0f
  mgpuMemcpy(back.data(), device, host.size() * sizeof(float), stream);
  EXPECT_EQ(back, std::vector<float>(4, 1.0f));
  mgpuMemFree(device, stream);

  // A ranked memref descriptor {allocated, aligned, offset, sizes, strides}.
  int64_t descriptor[7] = {reinterpret_cast<int64_t>(host.data()),
                           reinterpret_cast<int64_t>(host.data()), 0, 2, 2,
                           2, 1};
  mgpuMemHostRegisterMemRef(2, descriptor, sizeof(float));
  mgpuMemHostUnregisterMemRef(2, descriptor, sizeof(float));

  void *start = mgpuEventCreate(), *stop = mgpuEventCreate();
  mgpuEventRecord(start, stream);
  mgpuEventRecord(stop, stream);
  EXPECT_FLOAT_EQ(pixelflyEventElapsedMs(start, stop), 1.5f);
  mgpuStreamWaitEvent(stream, stop);
  mgpuEventDestroy(start);
  mgpuEventDestroy(stop);
  mgpuStreamDestroy(stream);
  EXPECT_EQ(pixelflyRuntimeError(), nullptr) << pixelflyRuntimeError();
}

TEST(FakeDriver, LaunchPassesGeometryAndParameters) {
  ASSERT_EQ(pixelflyRuntimeAvailable(), 1) << pixelflyRuntimeError();
  char cubin[] = "\x7f" "ELF....";
  void *module = mgpuModuleLoad(cubin, sizeof(cubin));
  ASSERT_NE(module, nullptr);
  void *function = mgpuModuleGetFunction(module, "block_sparse_kernel");
  ASSERT_NE(function, nullptr);
  int64_t m = 37;
  void *params[] = {&m};
  int before = fake<int (*)()>("fakeCudaLaunchCount")();
  mgpuLaunchKernel(function, 4, 2, 1, 128, 1, 1, 64 * 1024, nullptr, params,
                   nullptr, 1);
  ASSERT_EQ(fake<int (*)()>("fakeCudaLaunchCount")(), before + 1);
  auto dim = fake<unsigned (*)(int, int)>("fakeCudaLaunchDim");
  EXPECT_EQ(dim(before, 0), 4u);
  EXPECT_EQ(dim(before, 1), 2u);
  EXPECT_EQ(dim(before, 3), 128u);
  EXPECT_STREQ(fake<const char *(*)(int)>("fakeCudaLaunchKernel")(before),
               "block_sparse_kernel");
  EXPECT_EQ(fake<void **(*)(int)>("fakeCudaLaunchParams")(before), params);
  // More than 48 KB of dynamic shared memory is opted into first.
  EXPECT_EQ(fake<int (*)()>("fakeCudaMaxDynamicShared")(), 64 * 1024);
  EXPECT_STREQ(fake<const char *(*)(int)>("fakeCudaLoadedPrefix")(0),
               std::string(cubin, 4).c_str());
  mgpuModuleUnload(module);
  EXPECT_EQ(pixelflyRuntimeError(), nullptr) << pixelflyRuntimeError();
}

// Timing mode: the streams compiled code creates are one shared stream,
// never destroyed, so events on it bracket a whole call.
TEST(FakeDriver, SharedStreamServesEveryLaunch) {
  ASSERT_EQ(pixelflyRuntimeAvailable(), 1) << pixelflyRuntimeError();
  auto creates = fake<int (*)()>("fakeCudaStreamCreates");
  auto destroys = fake<int (*)()>("fakeCudaStreamDestroys");
  // Off: each request is a new stream, destroyed after use.
  int created = creates(), destroyed = destroys();
  mgpuStreamDestroy(mgpuStreamCreate());
  EXPECT_EQ(creates(), created + 1);
  EXPECT_EQ(destroys(), destroyed + 1);
  // On: one stream, created once, kept.
  pixelflyUseSharedStream(1);
  void *shared = pixelflySharedStream();
  ASSERT_NE(shared, nullptr);
  created = creates();
  destroyed = destroys();
  for (int i = 0; i < 3; ++i) {
    void *stream = mgpuStreamCreate();
    EXPECT_EQ(stream, shared);
    mgpuStreamSynchronize(stream);
    mgpuStreamDestroy(stream);
  }
  EXPECT_EQ(creates(), created);
  EXPECT_EQ(destroys(), destroyed);
  void *start = mgpuEventCreate(), *stop = mgpuEventCreate();
  mgpuEventRecord(start, shared);
  mgpuEventRecord(stop, shared);
  EXPECT_FLOAT_EQ(pixelflyEventElapsedMs(start, stop), 1.5f);
  pixelflyUseSharedStream(0);
  EXPECT_EQ(pixelflyRuntimeError(), nullptr) << pixelflyRuntimeError();
}

// Embedding mode: the caller's stream serves every request, is never
// destroyed, host waits on it return at once, and temporaries come from the
// stream-ordered pool on it.
TEST(FakeDriver, ExternalStreamIsStreamOrdered) {
  ASSERT_EQ(pixelflyRuntimeAvailable(), 1) << pixelflyRuntimeError();
  auto creates = fake<int (*)()>("fakeCudaStreamCreates");
  auto destroys = fake<int (*)()>("fakeCudaStreamDestroys");
  auto streamSyncs = fake<int (*)()>("fakeCudaStreamSyncs");
  auto eventSyncs = fake<int (*)()>("fakeCudaEventSyncs");
  auto asyncAllocs = fake<int (*)()>("fakeCudaAsyncAllocs");
  auto asyncFrees = fake<int (*)()>("fakeCudaAsyncFrees");
  auto allocStream = fake<void *(*)()>("fakeCudaLastAllocStream");
  auto launchCount = fake<int (*)()>("fakeCudaLaunchCount");
  auto launchStream = fake<void *(*)(int)>("fakeCudaLaunchStream");

  int callerStream = 0; // any handle: the fake driver never dereferences it
  void *caller = &callerStream;
  pixelflyUseSharedStream(1); // the external stream takes precedence
  pixelflySetStream(caller);
  int created = creates(), destroyed = destroys();
  int syncs = streamSyncs(), events = eventSyncs();
  int allocs = asyncAllocs(), frees = asyncFrees();
  char ptx[] = "//\n.version 7.0";
  void *function =
      mgpuModuleGetFunction(mgpuModuleLoadJIT(ptx, 2), "kernel");
  void *stream = mgpuStreamCreate();
  EXPECT_EQ(stream, caller);
  void *temp = mgpuMemAlloc(256, stream, false);
  EXPECT_NE(temp, nullptr);
  EXPECT_EQ(allocStream(), caller);
  int before = launchCount();
  mgpuLaunchKernel(function, 1, 1, 1, 32, 1, 1, 0, stream, nullptr, nullptr,
                   0);
  ASSERT_EQ(launchCount(), before + 1);
  EXPECT_EQ(launchStream(before), caller);
  void *event = mgpuEventCreate();
  mgpuEventRecord(event, stream);
  mgpuEventSynchronize(event);
  mgpuMemFree(temp, stream);
  mgpuStreamSynchronize(stream);
  mgpuStreamDestroy(stream);
  EXPECT_EQ(creates(), created);
  EXPECT_EQ(destroys(), destroyed);
  EXPECT_EQ(streamSyncs(), syncs);
  EXPECT_EQ(eventSyncs(), events);
  EXPECT_EQ(asyncAllocs(), allocs + 1);
  EXPECT_EQ(asyncFrees(), frees + 1);
  // Managed (host_shared) memory is never freed through the pool.
  void *managed = mgpuMemAlloc(64, stream, true);
  ASSERT_NE(managed, nullptr);
  mgpuMemFree(managed, stream);
  EXPECT_EQ(asyncFrees(), frees + 1);
  // The caller's stream is per thread: another thread gets the shared
  // stream (shared mode is process-wide), kept as well.
  void *elsewhere = nullptr;
  std::thread([&] {
    elsewhere = mgpuStreamCreate();
    mgpuStreamDestroy(elsewhere);
  }).join();
  EXPECT_EQ(elsewhere, pixelflySharedStream());
  EXPECT_EQ(destroys(), destroyed);

  // Cleared: back to the shared stream, which the host waits on again;
  // the caller's stream is still never destroyed.
  pixelflySetStream(nullptr);
  mgpuStreamDestroy(caller);
  EXPECT_EQ(destroys(), destroyed);
  stream = mgpuStreamCreate();
  EXPECT_EQ(stream, pixelflySharedStream());
  mgpuStreamSynchronize(stream);
  EXPECT_EQ(streamSyncs(), syncs + 1);
  pixelflyUseSharedStream(0);
  EXPECT_EQ(pixelflyRuntimeError(), nullptr) << pixelflyRuntimeError();
}

// TMA descriptors as nvgpu.tma.create.descriptor's lowering asks for them:
// dimensions innermost first, byte strides, the box, in device memory;
// one device copy per distinct map, kept until the process exits.
TEST(FakeDriver, TensorMapOfAMemref) {
  ASSERT_EQ(pixelflyRuntimeAvailable(), 1) << pixelflyRuntimeError();
  pixelflyRuntimeClearError();
  auto encodes = fake<int (*)()>("fakeCudaTensorMapEncodes");
  auto live = fake<int (*)()>("fakeCudaLiveAllocations");
  int liveBefore = live();
  // memref<256x64xf16> at element offset 8 of its allocation.
  std::vector<uint16_t> data(8 + 256 * 64);
  int64_t desc[7] = {reinterpret_cast<int64_t>(data.data()),
                     reinterpret_cast<int64_t>(data.data()), 8, 256, 64, 64,
                     1};
  int64_t box[2] = {128, 64};
  int before = encodes();
  void *map = mgpuTensorMapEncodeTiledMemref(2, desc, /*f16*/ 6, 0,
                                             /*128B*/ 3, 0, 0, box);
  ASSERT_NE(map, nullptr) << pixelflyRuntimeError();
  EXPECT_EQ(encodes(), before + 1);
  // The fake driver writes its arguments into the map; the device copy
  // (host memory here) holds them.
  auto *words = static_cast<const uint64_t *>(map);
  EXPECT_EQ(words[0], 6u | (2u << 8) | (3u << 16));
  EXPECT_EQ(words[1], reinterpret_cast<uint64_t>(data.data() + 8));
  EXPECT_EQ(words[2], 64u);  // innermost size
  EXPECT_EQ(words[3], 64u);  // its box
  EXPECT_EQ(words[5], 256u); // outer size
  EXPECT_EQ(words[6], 128u); // its box
  EXPECT_EQ(words[7], 128u); // its stride in bytes
  // The same map again: the same device copy.
  EXPECT_EQ(mgpuTensorMapEncodeTiledMemref(2, desc, 6, 0, 3, 0, 0, box), map);
  // Another box: another map.
  int64_t box2[2] = {64, 64};
  void *other = mgpuTensorMapEncodeTiledMemref(2, desc, 6, 0, 3, 0, 0, box2);
  EXPECT_NE(other, nullptr);
  EXPECT_NE(other, map);
  EXPECT_EQ(pixelflyRuntimeError(), nullptr) << pixelflyRuntimeError();
  // Two device copies, cached for the life of the process...
  EXPECT_EQ(live(), liveBefore + 2);
  // ...and freed when it exits (the runtime's exit handler runs before the
  // fake driver, finalized last, counts what is left).
  setenv("FAKE_CUDA_REPORT_LIVE", "1", 1);
  EXPECT_EXIT(std::exit(0), ::testing::ExitedWithCode(0),
              "fake-cuda: 0 device allocations live at exit");
  unsetenv("FAKE_CUDA_REPORT_LIVE");

  // Bad arguments: no map, and an error that says what was wrong.
  auto expectRefused = [](void *map, const char *says) {
    EXPECT_EQ(map, nullptr);
    const char *error = pixelflyRuntimeError();
    ASSERT_NE(error, nullptr);
    EXPECT_NE(std::string(error).find(says), std::string::npos) << error;
    pixelflyRuntimeClearError();
  };
  expectRefused(mgpuTensorMapEncodeTiledMemref(6, desc, 6, 0, 3, 0, 0, box),
                "rank 6");
  expectRefused(mgpuTensorMapEncodeTiledMemref(2, desc, 42, 0, 3, 0, 0, box),
                "data type 42");
  // A strided innermost dimension cannot be a TMA box.
  int64_t strided[7] = {desc[0], desc[1], 0, 256, 32, 64, 2};
  expectRefused(
      mgpuTensorMapEncodeTiledMemref(2, strided, 6, 0, 3, 0, 0, box),
      "innermost stride 2");
  // The driver's refusal (a box over 256) carries its message.
  int64_t big[2] = {512, 64};
  expectRefused(mgpuTensorMapEncodeTiledMemref(2, desc, 6, 0, 3, 0, 0, big),
                "cuTensorMapEncodeTiled");
  // What else the driver refuses: rows of 36 f16 (72 bytes, not a
  // multiple of 16), a start 2 bytes past a 16-byte boundary, a box row of
  // 256 bytes under the 128-byte swizzle; the same memrefs unswizzled or
  // with whole rows are accepted.
  int64_t rows36[7] = {desc[0], desc[1], 0, 256, 36, 36, 1};
  int64_t box32[2] = {64, 32};
  expectRefused(mgpuTensorMapEncodeTiledMemref(2, rows36, 6, 0, 3, 0, 0, box32),
                "cuTensorMapEncodeTiled");
  int64_t offByOne[7] = {desc[0], desc[1], 1, 256, 64, 64, 1};
  expectRefused(mgpuTensorMapEncodeTiledMemref(2, offByOne, 6, 0, 3, 0, 0, box),
                "cuTensorMapEncodeTiled");
  int64_t wide[2] = {64, 128};
  int64_t rows128[7] = {desc[0], desc[1], 0, 128, 128, 128, 1};
  expectRefused(mgpuTensorMapEncodeTiledMemref(2, rows128, 6, 0, 3, 0, 0, wide),
                "cuTensorMapEncodeTiled");
  EXPECT_NE(
      mgpuTensorMapEncodeTiledMemref(2, rows128, 6, 0, /*none*/ 0, 0, 0, wide),
      nullptr);
  int64_t rows40[7] = {desc[0], desc[1], 0, 256, 40, 40, 1};
  int64_t box40[2] = {64, 40};
  EXPECT_NE(mgpuTensorMapEncodeTiledMemref(2, rows40, 6, 0, 0, 0, 0, box40),
            nullptr);
  EXPECT_EQ(pixelflyRuntimeError(), nullptr) << pixelflyRuntimeError();
}

TEST(FakeDriver, FailedLaunchIsRecordedWithTheDriversMessage) {
  ASSERT_EQ(pixelflyRuntimeAvailable(), 1) << pixelflyRuntimeError();
  pixelflyRuntimeClearError();
  char ptx[] = "//\n.version 7.0";
  void *function =
      mgpuModuleGetFunction(mgpuModuleLoadJIT(ptx, 2), "kernel");
  fake<void (*)()>("fakeCudaFailNextLaunch")();
  mgpuLaunchKernel(function, 1, 1, 1, 32, 1, 1, 0, nullptr, nullptr, nullptr,
                   0);
  const char *error = pixelflyRuntimeError();
  ASSERT_NE(error, nullptr);
  EXPECT_NE(std::string(error).find("cuLaunchKernel: error 1 (fake failure)"),
            std::string::npos)
      << error;
  pixelflyRuntimeClearError();
}

// Geometry a real driver refuses is refused here too, so tests on the fake
// driver catch it: 128 threads along z (at most 64), an empty grid, 65536
// blocks along y, 1025 threads in a block, more dynamic shared memory than
// an sm_90 part gives a kernel (227 KB).
TEST(FakeDriver, InvalidGeometryIsRefused) {
  ASSERT_EQ(pixelflyRuntimeAvailable(), 1) << pixelflyRuntimeError();
  char ptx[] = "//\n.version 7.0";
  void *function = mgpuModuleGetFunction(mgpuModuleLoadJIT(ptx, 2), "kernel");
  struct Geometry {
    intptr_t grid[3], block[3];
    int32_t shared;
    bool valid;
  } cases[] = {
      {{192, 64, 1}, {1, 1, 128}, 0, false},
      {{192, 64, 1}, {1, 2, 64}, 0, true},
      {{0, 1, 1}, {128, 1, 1}, 0, false},
      {{1, 65536, 1}, {128, 1, 1}, 0, false},
      {{1, 65535, 1}, {128, 1, 1}, 0, true},
      {{1, 1, 1}, {1025, 1, 1}, 0, false},
      {{1, 1, 1}, {1024, 1, 1}, 0, true},
      {{1, 1, 1}, {32, 32, 2}, 0, false},
      {{1, 1, 1}, {128, 1, 1}, 228 * 1024, false},
      {{1, 1, 1}, {128, 1, 1}, 227 * 1024, true},
  };
  for (const Geometry &g : cases) {
    pixelflyRuntimeClearError();
    int before = fake<int (*)()>("fakeCudaLaunchCount")();
    mgpuLaunchKernel(function, g.grid[0], g.grid[1], g.grid[2], g.block[0],
                     g.block[1], g.block[2], g.shared, nullptr, nullptr,
                     nullptr, 0);
    const char *error = pixelflyRuntimeError();
    EXPECT_EQ(error == nullptr, g.valid)
        << "grid " << g.grid[0] << "x" << g.grid[1] << "x" << g.grid[2]
        << " block " << g.block[0] << "x" << g.block[1] << "x" << g.block[2]
        << " shared " << g.shared;
    EXPECT_EQ(fake<int (*)()>("fakeCudaLaunchCount")(),
              before + (g.valid ? 1 : 0));
  }
  pixelflyRuntimeClearError();
}

} // namespace
