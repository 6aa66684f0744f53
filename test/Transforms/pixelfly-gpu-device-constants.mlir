// RUN: pixelfly-opt %s --pixelfly-gpu-device-constants --split-input-file --verify-diagnostics | FileCheck %s

// A constant global that every launch of a kernel passes as the same
// argument becomes a global of the kernel's module (16-byte aligned at
// least); the argument leaves the kernel and its launches, and the host
// global goes when nothing else reads it. Two kernels of one module share
// one copy.

// CHECK-LABEL: module attributes {gpu.container_module}
// CHECK-NOT: memref.global "private" constant @weights
// CHECK: memref.global "private" constant @bias
// CHECK-LABEL: func.func @forward
// CHECK-SAME: (%[[X:.*]]: memref<4x8xf16>, %[[B:.*]]: memref<8xf32>)
// CHECK-NOT: memref.get_global @weights
// CHECK: %[[BIAS:.*]] = memref.get_global @bias
// CHECK: gpu.launch_func @kernels::@matmul {{.*}} args(%[[X]] : memref<4x8xf16>)
// CHECK: gpu.launch_func @kernels::@matmul {{.*}} args(%[[X]] : memref<4x8xf16>)
// CHECK: gpu.launch_func @kernels::@scale {{.*}} args(%[[X]] : memref<4x8xf16>)
// CHECK: memref.copy %[[BIAS]], %[[B]]
// CHECK: gpu.module @kernels
// CHECK-DAG: memref.global "private" constant @weights : memref<8x8xf16> = dense<{{.*}}> {alignment = 16 : i64}
// CHECK-DAG: memref.global "private" constant @bias : memref<8xf32> = dense<{{.*}}> {alignment = 64 : i64}
// CHECK: gpu.func @matmul(%[[KX:.*]]: memref<4x8xf16>) kernel
// CHECK: %[[W:.*]] = memref.get_global @weights : memref<8x8xf16>
// CHECK: %[[KB:.*]] = memref.get_global @bias : memref<8xf32>
// CHECK: memref.load %[[W]]
// CHECK: memref.load %[[KB]]
// CHECK: gpu.func @scale(%{{.*}}: memref<4x8xf16>) kernel
// CHECK: %[[W2:.*]] = memref.get_global @weights : memref<8x8xf16>
// CHECK: memref.load %[[W2]]
module attributes {gpu.container_module} {
  memref.global "private" constant @weights : memref<8x8xf16> = dense<1.0>
  memref.global "private" constant @bias : memref<8xf32> = dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]> {alignment = 64 : i64}
  func.func @forward(%x: memref<4x8xf16>, %b: memref<8xf32>) {
    %c1 = arith.constant 1 : index
    %w = memref.get_global @weights : memref<8x8xf16>
    %bias = memref.get_global @bias : memref<8xf32>
    gpu.launch_func @kernels::@matmul blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%x : memref<4x8xf16>, %w : memref<8x8xf16>, %bias : memref<8xf32>)
    %w2 = memref.get_global @weights : memref<8x8xf16>
    gpu.launch_func @kernels::@matmul blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%x : memref<4x8xf16>, %w2 : memref<8x8xf16>, %bias : memref<8xf32>)
    gpu.launch_func @kernels::@scale blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%w : memref<8x8xf16>, %x : memref<4x8xf16>)
    memref.copy %bias, %b : memref<8xf32> to memref<8xf32>
    return
  }
  gpu.module @kernels {
    gpu.func @matmul(%x: memref<4x8xf16>, %w: memref<8x8xf16>, %bias: memref<8xf32>) kernel {
      %c0 = arith.constant 0 : index
      %v = memref.load %w[%c0, %c0] : memref<8x8xf16>
      %s = memref.load %bias[%c0] : memref<8xf32>
      gpu.return
    }
    gpu.func @scale(%w: memref<8x8xf16>, %x: memref<4x8xf16>) kernel {
      %c0 = arith.constant 0 : index
      %v = memref.load %w[%c0, %c0] : memref<8x8xf16>
      gpu.return
    }
  }
}

// -----

// A name taken in the kernel module: the copy is renamed.

// CHECK-LABEL: func.func @renamed
// CHECK: gpu.module @kernels
// CHECK-DAG: memref.global "private" constant @table : memref<2xi32> = dense<[7, 9]>
// CHECK-DAG: memref.global "private" constant @[[NEW:table_[0-9]+]] : memref<4xf32> = dense<{{.*}}> {alignment = 16 : i64}
// CHECK: gpu.func @k() kernel
// CHECK: memref.get_global @[[NEW]] : memref<4xf32>
module attributes {gpu.container_module} {
  memref.global "private" constant @table : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]>
  func.func @renamed() {
    %c1 = arith.constant 1 : index
    %t = memref.get_global @table : memref<4xf32>
    gpu.launch_func @kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%t : memref<4xf32>)
    return
  }
  gpu.module @kernels {
    memref.global "private" constant @table : memref<2xi32> = dense<[7, 9]>
    gpu.func @k(%t: memref<4xf32>) kernel {
      %c0 = arith.constant 0 : index
      %v = memref.load %t[%c0] : memref<4xf32>
      %i = memref.get_global @table : memref<2xi32>
      gpu.return
    }
  }
}

// -----

// Left in place with a remark: a mutable global, an uninitialized one, and
// an argument bound to different globals at different launches.

// CHECK-LABEL: func.func @left
// CHECK: gpu.launch_func @kernels::@k {{.*}} args(%{{.*}} : memref<4xf32>)
// CHECK: gpu.launch_func @kernels::@k {{.*}} args(%{{.*}} : memref<4xf32>)
// CHECK: gpu.launch_func @kernels::@m {{.*}} args(%{{.*}} : memref<4xf32>)
// CHECK: gpu.launch_func @kernels::@e {{.*}} args(%{{.*}} : memref<4xf32>)
// CHECK: gpu.module @kernels
// CHECK-NOT: memref.global
// CHECK: gpu.func @k(%{{.*}}: memref<4xf32>) kernel
module attributes {gpu.container_module} {
  memref.global "private" constant @a : memref<4xf32> = dense<1.0>
  memref.global "private" constant @b : memref<4xf32> = dense<2.0>
  memref.global "private" @state : memref<4xf32> = dense<0.0>
  memref.global "private" constant @ext : memref<4xf32>
  func.func @left() {
    %c1 = arith.constant 1 : index
    %a = memref.get_global @a : memref<4xf32>
    %b = memref.get_global @b : memref<4xf32>
    %s = memref.get_global @state : memref<4xf32>
    %e = memref.get_global @ext : memref<4xf32>
    gpu.launch_func @kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%a : memref<4xf32>)
    gpu.launch_func @kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%b : memref<4xf32>)
    // expected-remark @below {{pixelfly-gpu-device-constants: argument 0 of kernel @m is the host global @state, which is not an initialized constant; left as it is (a kernel cannot read host memory)}}
    gpu.launch_func @kernels::@m blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%s : memref<4xf32>)
    // expected-remark @below {{pixelfly-gpu-device-constants: argument 0 of kernel @e is the host global @ext, which is not an initialized constant; left as it is (a kernel cannot read host memory)}}
    gpu.launch_func @kernels::@e blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%e : memref<4xf32>)
    return
  }
  gpu.module @kernels {
    // expected-remark @below {{pixelfly-gpu-device-constants: argument 0 of kernel @k is bound to different values at its launches; left in host memory}}
    gpu.func @k(%t: memref<4xf32>) kernel {
      gpu.return
    }
    gpu.func @m(%t: memref<4xf32>) kernel {
      gpu.return
    }
    gpu.func @e(%t: memref<4xf32>) kernel {
      gpu.return
    }
  }
}

// -----

// A kernel with workgroup and private attributions: only the argument goes,
// the attributions stay.
// CHECK-LABEL: func.func @attributions
// CHECK:         gpu.launch_func @kernels::@k {{.*}} args(%{{.+}} : memref<4xf32>)
// CHECK:         gpu.func @k(%[[OUT:.+]]: memref<4xf32>) workgroup(%[[WG:.+]] : memref<8xf32, #gpu.address_space<workgroup>>) private(%[[PV:.+]] : memref<2xf32, #gpu.address_space<private>>) kernel
// CHECK:           %[[T:.+]] = memref.get_global @table : memref<4xf32>
// CHECK:           memref.load %[[T]]
// CHECK:           memref.store %{{.+}}, %[[WG]]
// CHECK:           memref.store %{{.+}}, %[[PV]]
// CHECK:           memref.store %{{.+}}, %[[OUT]]
module attributes {gpu.container_module} {
  memref.global "private" constant @table : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]>
  func.func @attributions(%out: memref<4xf32>) {
    %c1 = arith.constant 1 : index
    %t = memref.get_global @table : memref<4xf32>
    gpu.launch_func @kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%t : memref<4xf32>, %out : memref<4xf32>)
    return
  }
  gpu.module @kernels {
    gpu.func @k(%t: memref<4xf32>, %out: memref<4xf32>) workgroup(%wg : memref<8xf32, #gpu.address_space<workgroup>>) private(%pv : memref<2xf32, #gpu.address_space<private>>) kernel {
      %c0 = arith.constant 0 : index
      %v = memref.load %t[%c0] : memref<4xf32>
      memref.store %v, %wg[%c0] : memref<8xf32, #gpu.address_space<workgroup>>
      memref.store %v, %pv[%c0] : memref<2xf32, #gpu.address_space<private>>
      memref.store %v, %out[%c0] : memref<4xf32>
      gpu.return
    }
  }
}
