// RUN: pixelfly-opt --pixelfly-cpu-vectorize %s | FileCheck %s
// RUN: pixelfly-opt --pixelfly-cpu-pipeline %s -o /dev/null
// RUN: pixelfly-opt --pixelfly-cpu-pipeline --split-input-file %pixelfly_src_root/test/Dialect/Pixelfly/canonicalize.mlir -o /dev/null
// Was: a segmentation fault in upstream's tiling, which pixelfly-cpu-vectorize
// handed a matmul with an empty reduction (K = 0). Such a matmul is left as
// it is (its result is the init). The unmodified canonicalize.mlir (rank-0
// low-rank products) crashed the CPU pipeline the same way.

// CHECK-LABEL: func.func @f
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<?x0xf32>, tensor<0x8xf32>)
// CHECK-NOT: scf.for
func.func @f(%a: tensor<?x0xf32>, %b: tensor<0x8xf32>, %c: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<?x0xf32>, tensor<0x8xf32>) outs(%c : tensor<?x8xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// CHECK-LABEL: func.func @static_empty
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<64x0xf32>, tensor<0x64xf32>)
func.func @static_empty(%a: tensor<64x0xf32>, %b: tensor<0x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<64x0xf32>, tensor<0x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %0 : tensor<64x64xf32>
}
