// RUN: pixelfly-opt --pixelfly-sparsify %s -split-input-file -verify-diagnostics | FileCheck %s
// Was: "out of memory" in readWeightMatrix, which allocated rows x cols
// floats for a one-literal splat (std::length_error for 2147483647 x f64
// sized types, an overflowing product for 2^32 x 2^32). The weight is
// reported in its stored orientation (K x N).

// CHECK-LABEL: func.func @f
// CHECK: linalg.matmul
#p = #pixelfly.plan<structure = butterfly, pattern = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 16>>
func.func @f(%x: tensor<8x2147483648xf32>, %acc: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %w = arith.constant dense<0.25> : tensor<2147483648x64xf32>
  // expected-remark @+1 {{@f#0 left unchanged: the 2147483648x64 weight is too large to project at compile time (more than 268435456 elements)}}
  %y = linalg.matmul {pixelfly.plan = #p} ins(%x, %w : tensor<8x2147483648xf32>, tensor<2147483648x64xf32>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

// -----

// Just above the bound: 2^28 + 2^15 elements.
// CHECK-LABEL: func.func @g
// CHECK: linalg.matmul
#p = #pixelfly.plan<structure = butterfly, pattern = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 256>>
func.func @g(%x: tensor<8x8192xf32>, %acc: tensor<8x32772xf32>) -> tensor<8x32772xf32> {
  %w = arith.constant dense<0.25> : tensor<8192x32772xf32>
  // expected-remark @+1 {{@g#0 left unchanged: the 8192x32772 weight is too large to project at compile time (more than 268435456 elements)}}
  %y = linalg.matmul {pixelfly.plan = #p} ins(%x, %w : tensor<8x8192xf32>, tensor<8192x32772xf32>) outs(%acc : tensor<8x32772xf32>) -> tensor<8x32772xf32>
  return %y : tensor<8x32772xf32>
}

// -----

// The same bound for a low-rank plan (no layout at all).
// CHECK-LABEL: func.func @h
// CHECK: linalg.matmul
#p = #pixelfly.plan<structure = low_rank, rank = 16>
func.func @h(%x: tensor<8x8192xf32>, %acc: tensor<8x65536xf32>) -> tensor<8x65536xf32> {
  %w = arith.constant dense<0.25> : tensor<8192x65536xf32>
  // expected-remark @+1 {{@h#0 left unchanged: the 8192x65536 weight is too large to project at compile time}}
  %y = linalg.matmul {pixelfly.plan = #p} ins(%x, %w : tensor<8x8192xf32>, tensor<8192x65536xf32>) outs(%acc : tensor<8x65536xf32>) -> tensor<8x65536xf32>
  return %y : tensor<8x65536xf32>
}

// -----

// Fuzz finding (seed 20261204): a plan whose rank exceeds min(N, K) ran the
// low-rank fit out of memory (rank 2^34 on a 1024 x 1024 weight).
// CHECK-LABEL: func.func @rank
// CHECK: linalg.matmul
#p = #pixelfly.plan<structure = low_rank, rank = 17179869184>
func.func @rank(%x: tensor<8x1024xf32>, %acc: tensor<8x1024xf32>) -> tensor<8x1024xf32> {
  %w = arith.constant dense<0.25> : tensor<1024x1024xf32>
  // expected-remark @+1 {{@rank#0 left unchanged: plan rank 17179869184 exceeds min(N, K) = 1024}}
  %y = linalg.matmul {pixelfly.plan = #p} ins(%x, %w : tensor<8x1024xf32>, tensor<1024x1024xf32>) outs(%acc : tensor<8x1024xf32>) -> tensor<8x1024xf32>
  return %y : tensor<8x1024xf32>
}
