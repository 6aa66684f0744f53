// RUN: pixelfly-opt %s --pixelfly-gpu-device-constants --allow-unregistered-dialect --split-input-file --verify-diagnostics | FileCheck %s

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
  memref.global "private" constant @weights : memref<8x8xf16> = dense<[[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], [8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0], [16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0], [24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0], [32.0, 33.0, 34.0, 35.0, 36.0, 37.0, 38.0, 39.0], [40.0, 41.0, 42.0, 43.0, 44.0, 45.0, 46.0, 47.0], [48.0, 49.0, 50.0, 51.0, 52.0, 53.0, 54.0, 55.0], [56.0, 57.0, 58.0, 59.0, 60.0, 61.0, 62.0, 63.0]]>
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

// -----

// A splat global that a kernel only loads from is not copied into the
// module (its image would hold every element): the loads become constants.
// Read any other way (here by a call), the splat is copied as usual.

// CHECK-LABEL: module attributes {gpu.container_module}
// CHECK-NOT: memref.global
// CHECK-LABEL: func.func @splats
// CHECK: gpu.launch_func @kernels::@loads {{.*}} args(%{{.*}} : memref<4x8xf16>)
// CHECK: gpu.launch_func @kernels::@other {{.*}} args(%{{.*}} : memref<4x8xf16>)
// CHECK: gpu.module @kernels
// CHECK-NEXT: memref.global "private" constant @twos : memref<2048x2048xf32> = dense<2.000000e+00>
// CHECK-NOT: @ones
// CHECK: gpu.func @loads(%{{.*}}: memref<4x8xf16>) kernel
// CHECK-DAG: %[[S:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-DAG: %[[V:.*]] = arith.constant dense<1.000000e+00> : vector<4xf32>
// CHECK-NOT: memref.load
// CHECK-NOT: vector.load
// CHECK: "test.use"(%[[S]], %[[V]])
// CHECK: gpu.func @other(%{{.*}}: memref<4x8xf16>) kernel
// CHECK: %[[T:.*]] = memref.get_global @twos
// CHECK: "test.use"(%[[T]])
module attributes {gpu.container_module} {
  memref.global "private" constant @ones : memref<2048x2048xf32> = dense<1.0>
  memref.global "private" constant @twos : memref<2048x2048xf32> = dense<2.0>
  func.func @splats(%x: memref<4x8xf16>) {
    %c1 = arith.constant 1 : index
    %w = memref.get_global @ones : memref<2048x2048xf32>
    %t = memref.get_global @twos : memref<2048x2048xf32>
    gpu.launch_func @kernels::@loads blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%w : memref<2048x2048xf32>, %x : memref<4x8xf16>)
    gpu.launch_func @kernels::@other blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%t : memref<2048x2048xf32>, %x : memref<4x8xf16>)
    return
  }
  gpu.module @kernels {
    gpu.func @loads(%w: memref<2048x2048xf32>, %x: memref<4x8xf16>) kernel {
      %c0 = arith.constant 0 : index
      %s = memref.load %w[%c0, %c0] : memref<2048x2048xf32>
      %v = vector.load %w[%c0, %c0] : memref<2048x2048xf32>, vector<4xf32>
      "test.use"(%s, %v) : (f32, vector<4xf32>) -> ()
      gpu.return
    }
    gpu.func @other(%t: memref<2048x2048xf32>, %x: memref<4x8xf16>) kernel {
      "test.use"(%t) : (memref<2048x2048xf32>) -> ()
      gpu.return
    }
  }
}
