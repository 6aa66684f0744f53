// RUN: pixelfly-opt --pixelfly-gpu-pipeline=format=isa %s | FileCheck %s
// Was: std::length_error (abort) in upstream's LLVM translation of the GPU
// module, which held a copy of the 2^62 x 64 splat weight as data.

// CHECK: gpu.binary
func.func @f(%x: tensor<64x4611686018427387904xf32>, %acc: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %w = arith.constant dense<1.0> : tensor<4611686018427387904x64xf32>
  %y = linalg.matmul ins(%x, %w : tensor<64x4611686018427387904xf32>, tensor<4611686018427387904x64xf32>) outs(%acc : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %y : tensor<64x64xf32>
}
