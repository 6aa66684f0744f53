// RUN: pixelfly-opt --pixelfly-budget=report=- %s -o /dev/null | FileCheck %s
// Was: "too small: 0 weights" for a 4096 x 2^62 weight (N x K overflowed 64
// bits in BudgetAnalysis::allocate; UBSan: signed overflow).

// CHECK: kept dense: @f#0 (64x4096x4611686018427387904): too large: the 4096x4611686018427387904 weight has more than 4294967296 elements
// CHECK-NOT: too small
func.func @f(%x: tensor<64x4611686018427387904xf16>, %w: tensor<4611686018427387904x4096xf16>, %acc: tensor<64x4096xf32>) -> tensor<64x4096xf32> {
  %y = linalg.matmul ins(%x, %w : tensor<64x4611686018427387904xf16>, tensor<4611686018427387904x4096xf16>) outs(%acc : tensor<64x4096xf32>) -> tensor<64x4096xf32>
  return %y : tensor<64x4096xf32>
}
