// RUN: pixelfly-opt --pixelfly-budget=report=- %s -o /dev/null 2>/dev/null | FileCheck %s
// RUN: pixelfly-opt --pixelfly-budget %s -verify-diagnostics -o /dev/null
// RUN: pixelfly-opt --pixelfly-sparsify="weights=argument" %s -verify-diagnostics -o /dev/null
// RUN: pixelfly-opt --pixelfly-sparsify="weights=argument report=-" %s -o /dev/null 2>/dev/null | FileCheck %s --check-prefix=COUNTS
// Was: minutes and more than 8 GB (then "out of memory") while the budget
// analysis built flat-butterfly layouts of a 2^32-wide weight; the same in
// pixelfly-sparsify.

// CHECK: kept dense: @f#0 (64x4096x4294967296): too large: the 4096x4294967296 weight has more than 4294967296 elements
// COUNTS: sparsify: 0 converted, 1 skipped (too large: 1)
func.func @f(%x: tensor<64x4294967296xf16>, %w: tensor<4294967296x4096xf16>, %acc: tensor<64x4096xf32>) -> tensor<64x4096xf32> {
  // expected-remark @+1 {{too large: the 4096x4294967296 weight has more than 4294967296 elements}}
  %y = linalg.matmul ins(%x, %w : tensor<64x4294967296xf16>, tensor<4294967296x4096xf16>) outs(%acc : tensor<64x4096xf32>) -> tensor<64x4096xf32>
  return %y : tensor<64x4096xf32>
}
