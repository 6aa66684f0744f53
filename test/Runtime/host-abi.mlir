// The host side of compiled GPU code against libpixelfly_runtime: a module
// with a kernel goes through upstream's GPU lowering (PTX, then a cubin
// when ptxas is found), mlir-translate and llc, is linked with the runtime
// and run with the fake driver (unittests/Runtime/FakeCudaDriver.cpp),
// which records module loads and launches on the host. This checks that
// the runtime's mgpu* signatures are the ones MLIR 22 emits, with no GPU.

// RUN: pixelfly-opt %s --gpu-lower-to-nvvm-pipeline="cubin-chip=sm_80 cubin-features=+ptx80 cubin-format=isa" \
// RUN:   | mlir-translate --mlir-to-llvmir -o %t.ll
// RUN: llc -O1 -filetype=obj -relocation-model=pic %t.ll -o %t.o
// RUN: %cxx %t.o -o %t.exe -L%pixelfly_lib_dir -lpixelfly_runtime -Wl,-rpath,%pixelfly_lib_dir
// RUN: env PIXELFLY_CUDA_DRIVER=%fake_cuda FAKE_CUDA_TRACE=1 %t.exe 2>&1 | FileCheck %s
// RUN: env PIXELFLY_CUDA_DRIVER=/nonexistent/libcuda.so.1 %t.exe 2>&1 | FileCheck %s --check-prefix=NODRIVER

// The module is loaded once, before main (PTX: compiled by the driver);
// the launch carries the kernel's name and geometry.
// CHECK: fake-cuda: load ptx
// CHECK: fake-cuda: launch scale grid (2, 1, 1) block (8, 1, 1) shared 0
// CHECK: data 1

// Without a driver: one line that says what is missing, then no work.
// NODRIVER: pixelfly-runtime: cannot load the CUDA driver (/nonexistent/libcuda.so.1)
// NODRIVER-NOT: pixelfly-runtime:
// NODRIVER: data 0

module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @scale(%a: memref<16xf32>) kernel {
      %b = gpu.block_id x
      %t = gpu.thread_id x
      %c8 = arith.constant 8 : index
      %base = arith.muli %b, %c8 : index
      %i = arith.addi %base, %t : index
      %v = memref.load %a[%i] : memref<16xf32>
      %w = arith.addf %v, %v : f32
      memref.store %w, %a[%i] : memref<16xf32>
      gpu.return
    }
  }
  llvm.func @printf(!llvm.ptr, ...) -> i32
  llvm.mlir.global internal constant @fmt("data %d\0A\00") {addr_space = 0 : i32}
  // The device buffer is host memory under the fake driver: 3.0 written
  // through a device copy comes back only if alloc, memcpy and free work.
  func.func @main() -> i32 {
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c8 = arith.constant 8 : index
    %c5 = arith.constant 5 : index
    %three = arith.constant 3.0 : f32
    %host = memref.alloc() : memref<16xf32>
    memref.store %three, %host[%c5] : memref<16xf32>
    %t0 = gpu.wait async
    %dev, %t1 = gpu.alloc async [%t0] () : memref<16xf32>
    %t2 = gpu.memcpy async [%t1] %dev, %host : memref<16xf32>, memref<16xf32>
    %t3 = gpu.launch_func async [%t2] @kernels::@scale blocks in (%c2, %c1, %c1) threads in (%c8, %c1, %c1) args(%dev : memref<16xf32>)
    %back = memref.alloc() : memref<16xf32>
    %zerof = arith.constant 0.0 : f32
    memref.store %zerof, %back[%c5] : memref<16xf32>
    %t4 = gpu.memcpy async [%t3] %back, %dev : memref<16xf32>, memref<16xf32>
    %t5 = gpu.dealloc async [%t4] %dev : memref<16xf32>
    gpu.wait [%t5]
    %v = memref.load %back[%c5] : memref<16xf32>
    %ok = arith.cmpf oeq, %v, %three : f32
    %oki = arith.extui %ok : i1 to i32
    %fmt = llvm.mlir.addressof @fmt : !llvm.ptr
    %r = llvm.call @printf(%fmt, %oki) vararg(!llvm.func<i32 (ptr, ...)>) : (!llvm.ptr, i32) -> i32
    // Freed, as LeakSanitizer checks in the sanitizer build.
    memref.dealloc %host : memref<16xf32>
    memref.dealloc %back : memref<16xf32>
    %zero = arith.constant 0 : i32
    return %zero : i32
  }
}
