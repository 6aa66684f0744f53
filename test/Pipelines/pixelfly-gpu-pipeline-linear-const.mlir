// pixelfly.linear with compile-time B, U and V through pixelfly-gpu-pipeline:
// all three reach their kernels as globals of the kernel module (V through
// the low-rank kernel's own 1 x K x rank view of it), none is left on the
// host, and the zero fill of the result is folded into the main kernel.
// RUN: pixelfly-opt %s --pixelfly-gpu-pipeline="lower-to-llvm=false" | FileCheck %s --check-prefix=KERNELS
// RUN: pixelfly-opt %s --pixelfly-gpu-pipeline | FileCheck %s --check-prefix=LLVM

// KERNELS-LABEL: func.func @f(
// KERNELS-NOT:     memref.get_global
// KERNELS-NOT:     linalg.fill
// KERNELS:         gpu.launch_func @pixelfly_kernels::@f_low_rank {{.*}} args(%{{.*}} : memref<?x64xf16>, %{{.*}} : memref<?x32xf16>)
// KERNELS:         gpu.launch_func @pixelfly_kernels::@f_linear {{.*}} args(%{{.*}} : memref<?x64xf16>, %{{.*}} : memref<?x32xf16>, %{{.*}} : memref<?x64xf32>)
// KERNELS:       gpu.module @pixelfly_kernels
// KERNELS-DAG:     memref.global "private" constant @[[U:.*]] : memref<64x32xf16> = dense<2.500000e-01>
// KERNELS-DAG:     memref.global "private" constant @[[B:.*]] : memref<2x32x32xf16> = dense<5.000000e-01>
// KERNELS-DAG:     memref.global "private" constant @[[V:.*]] : memref<64x32xf16> = dense<1.250000e-01>
// KERNELS:         gpu.func @f_linear(
// KERNELS-DAG:       memref.get_global @[[B]]
// KERNELS-DAG:       memref.get_global @[[U]]
// KERNELS:         gpu.func @f_low_rank(
// KERNELS:           %[[VG:.*]] = memref.get_global @[[V]] : memref<64x32xf16>
// KERNELS:           memref.expand_shape %[[VG]] {{\[\[}}0, 1], [2]] output_shape [1, 64, 32] : memref<64x32xf16> into memref<1x64x32xf16>

// The host module keeps no copy of the constants.
// LLVM-NOT: llvm.mlir.global
// LLVM: gpu.binary @pixelfly_kernels

#l = #pixelfly.block_layout<shape = 64x64, block = 32x32, row_ptr = [0, 1, 2], col_idx = [1, 0]>
func.func @f(%x: tensor<?x64xf16>) -> tensor<?x64xf32> {
  %b = arith.constant dense<0.5> : tensor<2x32x32xf16>
  %u = arith.constant dense<0.25> : tensor<64x32xf16>
  %v = arith.constant dense<0.125> : tensor<64x32xf16>
  %c0 = arith.constant 0 : index
  %m = tensor.dim %x, %c0 : tensor<?x64xf16>
  %e = tensor.empty(%m) : tensor<?x64xf32>
  %zero = arith.constant 0.0 : f32
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<?x64xf32>) -> tensor<?x64xf32>
  %r = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x64xf16>, tensor<2x32x32xf16>, tensor<64x32xf16>, tensor<64x32xf16>) gamma(0.5) outs(%z : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %r : tensor<?x64xf32>
}
