// RUN: pixelfly-opt --pixelfly-sparsify %s | FileCheck %s
// Was: heap-use-after-free (seen under AddressSanitizer) in Sparsifier::rewrite,
// which read the weight's source after erasing the constant that defined it.

// CHECK-LABEL: func.func @f
// CHECK-NOT: dense<2.500000e-01> : tensor<32x64xf32>
// CHECK: pixelfly.block_sparse_matmul
// CHECK-NOT: linalg.matmul
#p = #pixelfly.plan<structure = butterfly, pattern = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 16>>
func.func @f(%x: tensor<8x32xf32>, %acc: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %w = arith.constant dense<0.25> : tensor<32x64xf32>
  %y = linalg.matmul {pixelfly.plan = #p} ins(%x, %w : tensor<8x32xf32>, tensor<32x64xf32>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}
