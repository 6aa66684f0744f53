// RUN: pixelfly-opt %s --pixelfly-gpu-device-memory --split-input-file --verify-diagnostics | FileCheck %s

// Temporaries, frees and copies of host code become device operations, each
// on a stream of its own that is waited for at once.

// CHECK-LABEL: func.func @temporaries
// CHECK-SAME: (%[[X:.*]]: memref<?x64xf16>, %[[Y:.*]]: memref<?x64xf16>, %[[M:.*]]: index)
// CHECK: %[[S0:.*]] = gpu.wait async
// CHECK: %[[A:.*]], %[[T0:.*]] = gpu.alloc async [%[[S0]]] (%[[M]]) : memref<?x64xf16>
// CHECK: gpu.wait [%[[T0]]]
// CHECK: %[[S1:.*]] = gpu.wait async
// CHECK: %[[B:.*]], %[[T1:.*]] = gpu.alloc async [%[[S1]]] () : memref<16x64xf32>
// CHECK: gpu.wait [%[[T1]]]
// CHECK: %[[S2:.*]] = gpu.wait async
// CHECK: %[[T2:.*]] = gpu.memcpy async [%[[S2]]] %[[A]], %[[X]] : memref<?x64xf16>, memref<?x64xf16>
// CHECK: gpu.wait [%[[T2]]]
// CHECK: gpu.launch_func @k::@k {{.*}} args(%[[A]] : memref<?x64xf16>, %[[B]] : memref<16x64xf32>)
// CHECK: %[[SV:.*]] = memref.subview %[[Y]]
// CHECK: linalg.copy ins(%[[SV]] : memref<8x32xf16, strided<[64, 1]>>) outs(%[[C:.*]] : memref<8x32xf16, strided<[64, 1], offset: 32>>)
// CHECK: %[[S3:.*]] = gpu.wait async
// CHECK: %[[T3:.*]] = gpu.dealloc async [%[[S3]]] %[[A]] : memref<?x64xf16>
// CHECK: gpu.wait [%[[T3]]]
// CHECK: gpu.dealloc async
// CHECK-NOT: memref.
// CHECK: return
module attributes {gpu.container_module} {
  func.func @temporaries(%x: memref<?x64xf16>, %y: memref<?x64xf16>, %m: index) {
    %a = memref.alloc(%m) : memref<?x64xf16>
    %b = memref.alloc() {alignment = 64 : i64} : memref<16x64xf32>
    memref.copy %x, %a : memref<?x64xf16> to memref<?x64xf16>
    %c1 = arith.constant 1 : index
    gpu.launch_func @k::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%a : memref<?x64xf16>, %b : memref<16x64xf32>)
    %src = memref.subview %y[0, 0] [8, 32] [1, 1] : memref<?x64xf16> to memref<8x32xf16, strided<[64, 1]>>
    %dst = memref.subview %y[0, 32] [8, 32] [1, 1] : memref<?x64xf16> to memref<8x32xf16, strided<[64, 1], offset: 32>>
    memref.copy %src, %dst : memref<8x32xf16, strided<[64, 1]>> to memref<8x32xf16, strided<[64, 1], offset: 32>>
    memref.dealloc %a : memref<?x64xf16>
    memref.dealloc %b : memref<16x64xf32>
    return
  }
  gpu.module @k {
    gpu.func @k(%a: memref<?x64xf16>, %b: memref<16x64xf32>) kernel {
      gpu.return
    }
  }
}

// -----

// Kernel code, launch bodies and other memory spaces are left alone; an
// allocation gpu.alloc cannot express stays on the host with its free.

// CHECK-LABEL: func.func @left_alone
// CHECK: memref.alloc() : memref<4x4xf32, strided<[8, 1]>>
// CHECK: memref.alloc() : memref<4xf32, 3>
// CHECK: gpu.launch
// CHECK: memref.alloc() : memref<4xf32>
// CHECK: memref.dealloc %{{.*}} : memref<4xf32>
// CHECK: memref.dealloc %{{.*}} : memref<4x4xf32, strided<[8, 1]>>
// CHECK: memref.alloca() : memref<4xf32>
// CHECK: gpu.module @kernels
// CHECK: memref.alloca() : memref<2xf32>
module attributes {gpu.container_module} {
  func.func @left_alone() {
    // expected-remark @below {{pixelfly-gpu-device-memory: left in host memory: gpu.alloc takes identity layouts only, not 'memref<4x4xf32, strided<[8, 1]>>'}}
    %a = memref.alloc() : memref<4x4xf32, strided<[8, 1]>>
    %w = memref.alloc() : memref<4xf32, 3>
    %c1 = arith.constant 1 : index
    gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
               threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
      %in = memref.alloc() : memref<4xf32>
      memref.dealloc %in : memref<4xf32>
      gpu.terminator
    }
    memref.dealloc %a : memref<4x4xf32, strided<[8, 1]>>
    // expected-remark @below {{pixelfly-gpu-device-memory: a stack buffer of the host reaches a kernel launch; left as it is (use memref.alloc)}}
    %s = memref.alloca() : memref<4xf32>
    gpu.launch_func @kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%s : memref<4xf32>)
    return
  }
  gpu.module @kernels {
    gpu.func @k(%s: memref<4xf32>) kernel {
      %p = memref.alloca() : memref<2xf32>
      gpu.return
    }
  }
}

// -----

// A buffer from the caller is device memory: freeing it is a device free.

// CHECK-LABEL: func.func @caller_buffer
// CHECK: gpu.dealloc async [%{{.*}}] %arg0 : memref<8xf32>
func.func @caller_buffer(%b: memref<8xf32>) {
  memref.dealloc %b : memref<8xf32>
  return
}
