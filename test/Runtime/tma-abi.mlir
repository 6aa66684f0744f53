// TMA descriptors on the host: nvgpu.tma.create.descriptor lowers (upstream
// convert-nvgpu-to-nvvm) to a call of mgpuTensorMapEncodeTiledMemref, which
// libpixelfly_runtime implements over cuTensorMapEncodeTiled. Linked and
// run against the fake driver, which prints what it is asked to encode:
// the memref's sizes innermost first, its outer stride in bytes, the box,
// the swizzle. Two identical descriptors are encoded twice (the device
// copy is shared; RuntimeTest checks that).

// RUN: pixelfly-opt %s --convert-nvgpu-to-nvvm --finalize-memref-to-llvm --convert-func-to-llvm --convert-arith-to-llvm --reconcile-unrealized-casts \
// RUN:   | mlir-translate --mlir-to-llvmir -o %t.ll
// RUN: llc -O1 -filetype=obj -relocation-model=pic %t.ll -o %t.o
// RUN: %cxx %t.o -o %t.exe -L%pixelfly_lib_dir -lpixelfly_runtime -Wl,-rpath,%pixelfly_lib_dir
// RUN: env PIXELFLY_CUDA_DRIVER=%fake_cuda FAKE_CUDA_TRACE=1 %t.exe 2>&1 | FileCheck %s
// RUN: env PIXELFLY_CUDA_DRIVER=/nonexistent/libcuda.so.1 %t.exe 2>&1 | FileCheck %s --check-prefix=NODRIVER

// CHECK-COUNT-2: fake-cuda: tensor map type 6 rank 2 dims 64 256 strides 128 box 64 128 interleave 0 swizzle 3 l2 0 oob 0
// CHECK: fake-cuda: tensor map type 9 rank 3 dims 32 16 8 strides 64 1024 box 32 8 2 interleave 0 swizzle 0 l2 0 oob 0
// CHECK-NOT: pixelfly-runtime:

// NODRIVER: pixelfly-runtime: cannot load the CUDA driver (/nonexistent/libcuda.so.1)
// NODRIVER-NOT: pixelfly-runtime:

!f16box = !nvgpu.tensormap.descriptor<tensor = memref<128x64xf16, 3>, swizzle = swizzle_128b, l2promo = none, oob = zero, interleave = none>
!bf16box = !nvgpu.tensormap.descriptor<tensor = memref<2x8x32xbf16, 3>, swizzle = none, l2promo = none, oob = zero, interleave = none>
func.func @main() -> i32 {
  %c2 = arith.constant 2 : index
  %c8 = arith.constant 8 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %m = memref.alloc() : memref<256x64xf16>
  %u = memref.cast %m : memref<256x64xf16> to memref<*xf16>
  %d = nvgpu.tma.create.descriptor %u box[%c128, %c64] : memref<*xf16> -> !f16box
  %d2 = nvgpu.tma.create.descriptor %u box[%c128, %c64] : memref<*xf16> -> !f16box
  %b = memref.alloc() : memref<8x16x32xbf16>
  %ub = memref.cast %b : memref<8x16x32xbf16> to memref<*xbf16>
  %d3 = nvgpu.tma.create.descriptor %ub box[%c2, %c8, %c32] : memref<*xbf16> -> !bf16box
  memref.dealloc %m : memref<256x64xf16>
  memref.dealloc %b : memref<8x16x32xbf16>
  %z = arith.constant 0 : i32
  return %z : i32
}
