// A two-layer MLP with compile-time weights through pixelfly-gpu-pipeline:
// the temporaries between the layers are device allocations, and the
// weights and the bias become globals of the kernel modules (part of the
// module image, uploaded at load), so no host memory reaches a kernel. The
// zero fills of the products' outputs are folded into the products'
// kernels, and so are the bias and activation: the first product's kernel
// writes the activation only (its f32 output is never stored), and there
// is no other kernel.
// RUN: pixelfly-opt %s --pixelfly-gpu-pipeline="lower-to-llvm=false" | FileCheck %s --check-prefix=KERNELS
// RUN: pixelfly-opt %s --pixelfly-gpu-pipeline | FileCheck %s --check-prefix=PTX
// RUN: %if ptxas %{ env PATH=%ptxas_dir:$PATH pixelfly-opt %s --pixelfly-gpu-pipeline="chip=sm_90a format=bin" | FileCheck %s --check-prefix=CUBIN %}

// KERNELS-NOT:   memref.global
// KERNELS-LABEL: func.func @mlp(
// KERNELS-SAME:    %[[X:.*]]: memref<?x32xf16>) -> memref<?x32xf32>
// KERNELS-NOT:     memref.alloc
// KERNELS-NOT:     memref.get_global
// KERNELS-NOT:     linalg.fill
// KERNELS:         %[[H:.*]], %{{.*}} = gpu.alloc async [%{{.*}}] (%{{.*}}) : memref<?x64xf32>
// KERNELS:         %[[A:.*]], %{{.*}} = gpu.alloc async [%{{.*}}] (%{{.*}}) : memref<?x64xf16>
// KERNELS:         gpu.launch_func @pixelfly_kernels::@mlp_block_sparse_matmul {{.*}} args(%[[X]] : memref<?x32xf16>, %[[H]] : memref<?x64xf32>, %[[A]] : memref<?x64xf16>)
// KERNELS-NOT:     gpu.launch_func @mlp_kernel
// KERNELS:         %[[Y:.*]], %{{.*}} = gpu.alloc async [%{{.*}}] (%{{.*}}) : memref<?x32xf32>
// KERNELS:         gpu.launch_func @pixelfly_kernels::@mlp_block_sparse_matmul_1 {{.*}} args(%[[A]] : memref<?x64xf16>, %[[Y]] : memref<?x32xf32>)
// KERNELS:         gpu.dealloc async [%{{.*}}] %[[H]]
// KERNELS:         gpu.dealloc async [%{{.*}}] %[[A]]
// KERNELS-NOT:     memref.dealloc
// KERNELS:         return %[[Y]]
// KERNELS-NOT:   gpu.module @mlp_kernel
// KERNELS:       gpu.module @pixelfly_kernels
// KERNELS-DAG:     memref.global "private" constant @[[W2:.*]] : memref<4x16x16xf16> = dense<2.500000e-01>
// KERNELS-DAG:     memref.global "private" constant @[[BIAS:.*]] : memref<64xf32> = dense<
// KERNELS-DAG:     memref.global "private" constant @[[W1:.*]] : memref<4x16x16xf16> = dense<5.000000e-01>
// KERNELS:         gpu.func @mlp_block_sparse_matmul(%{{.*}}: memref<?x32xf16>, %[[HK:.*]]: memref<?x64xf32>, %[[OUT:.*]]: memref<?x64xf16>)
// KERNELS-DAG:       memref.get_global @[[W1]] : memref<4x16x16xf16>
// KERNELS-DAG:       memref.get_global @[[BIAS]] : memref<64xf32>
// KERNELS:           arith.maximumf
// KERNELS-NEXT:      arith.truncf
// KERNELS:           arith.maximumf
// KERNELS-NEXT:      arith.truncf
// KERNELS-NEXT:      vector.from_elements
// KERNELS-NEXT:      vector.store %{{.*}}, %[[OUT]]
// KERNELS-NOT:       store %{{.*}}, %[[HK]]
// KERNELS:         gpu.func @mlp_block_sparse_matmul_1(%{{.*}}: memref<?x64xf16>, %{{.*}}: memref<?x32xf32>)
// KERNELS:           memref.get_global @[[W2]] : memref<4x16x16xf16>

// The host module keeps no copy of the constants; the PTX defines them.
// PTX-NOT:   llvm.mlir.global
// PTX:       llvm.call @mgpuMemAlloc
// PTX:       gpu.binary @pixelfly_kernels {{.*}}.global .align 64 .b8 __constant_4x16x16xf16_0[2048] = {0, 52, 0, 52,
// PTX-SAME:  .global .align 64 .b8 __constant_64xf32[256] = {0, 0, 128, 63,
// PTX-SAME:  .global .align 64 .b8 __constant_4x16x16xf16[2048] = {0, 56, 0, 56,

// CUBIN: gpu.binary @pixelfly_kernels [#gpu.object<#nvvm.target<{{.*}}chip = "sm_90a"{{.*}}>, {{.*}}bin = "\7FELF

#l1 = #pixelfly.block_layout<shape = 64x32, block = 16x16, row_ptr = [0, 1, 2, 3, 4], col_idx = [0, 1, 1, 0]>
#l2 = #pixelfly.block_layout<shape = 32x64, block = 16x16, row_ptr = [0, 2, 4], col_idx = [0, 3, 1, 2]>
func.func @mlp(%x: tensor<?x32xf16>) -> tensor<?x32xf32> {
  %w1 = arith.constant dense<0.5> : tensor<4x16x16xf16>
  %b1 = arith.constant dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]> : tensor<64xf32>
  %w2 = arith.constant dense<0.25> : tensor<4x16x16xf16>
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %m = tensor.dim %x, %c0 : tensor<?x32xf16>
  %e1 = tensor.empty(%m) : tensor<?x64xf32>
  %z1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x64xf32>) -> tensor<?x64xf32>
  %h = pixelfly.block_sparse_matmul ins(%x, %w1 : tensor<?x32xf16>, tensor<4x16x16xf16>) outs(%z1 : tensor<?x64xf32>) layout(#l1) -> tensor<?x64xf32>
  %e2 = tensor.empty(%m) : tensor<?x64xf16>
  %a = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%h, %b1 : tensor<?x64xf32>, tensor<64xf32>) outs(%e2 : tensor<?x64xf16>) {
  ^bb0(%hv: f32, %bv: f32, %o: f16):
    %s = arith.addf %hv, %bv : f32
    %r = arith.maximumf %s, %zero : f32
    %t = arith.truncf %r : f32 to f16
    linalg.yield %t : f16
  } -> tensor<?x64xf16>
  %e3 = tensor.empty(%m) : tensor<?x32xf32>
  %z3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<?x32xf32>) -> tensor<?x32xf32>
  %y = pixelfly.block_sparse_matmul ins(%a, %w2 : tensor<?x64xf16>, tensor<4x16x16xf16>) outs(%z3 : tensor<?x32xf32>) layout(#l2) -> tensor<?x32xf32>
  return %y : tensor<?x32xf32>
}
