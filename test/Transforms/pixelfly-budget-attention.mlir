// Attention: the four projections share one input and are layers (a
// constant, a global and arguments); the score and context products are
// between activations and are not.
// RUN: pixelfly-opt %s --pixelfly-budget="target=sm_90 budget=0.3 report=-" --allow-unregistered-dialect -o /dev/null | FileCheck %s --check-prefix=ATTN
// ATTN: layer MxNxK structure
// ATTN: @attention#0 1024x1024x1024 butterfly
// ATTN-NEXT: @attention#1 1024x1024x1024 butterfly
// ATTN-NEXT: @attention#2 1024x1024x1024 butterfly
// ATTN-NEXT: @attention#5 1024x1024x1024 butterfly
// ATTN-NEXT: total:
// ATTN-NEXT: kept dense: @attention#3: not a contraction of an activation with a weight
// ATTN-NEXT: kept dense: @attention#4: not a contraction of an activation with a weight
func.func @attention(%x: tensor<1024x1024xf16>, %wk: tensor<1024x1024xf16>,
                     %wv: tensor<1024x1024xf16>, %acc: tensor<1024x1024xf32>,
                     %s: tensor<16x64x64xf32>) -> tensor<1024x1024xf32> {
  %wq = arith.constant dense<0.01> : tensor<1024x1024xf16>
  %q = linalg.matmul ins(%x, %wq : tensor<1024x1024xf16>, tensor<1024x1024xf16>) outs(%acc : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  %k = linalg.matmul ins(%x, %wk : tensor<1024x1024xf16>, tensor<1024x1024xf16>) outs(%acc : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  %v = linalg.matmul ins(%x, %wv : tensor<1024x1024xf16>, tensor<1024x1024xf16>) outs(%acc : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  %q3 = tensor.expand_shape %q [[0, 1], [2]] output_shape [16, 64, 1024] : tensor<1024x1024xf32> into tensor<16x64x1024xf32>
  %k3 = tensor.expand_shape %k [[0, 1], [2]] output_shape [16, 64, 1024] : tensor<1024x1024xf32> into tensor<16x64x1024xf32>
  %v3 = tensor.expand_shape %v [[0, 1], [2]] output_shape [16, 64, 1024] : tensor<1024x1024xf32> into tensor<16x64x1024xf32>
  %e = tensor.empty() : tensor<16x1024x64xf32>
  %kt = linalg.transpose ins(%k3 : tensor<16x64x1024xf32>) outs(%e : tensor<16x1024x64xf32>) permutation = [0, 2, 1]
  %scores = linalg.batch_matmul ins(%q3, %kt : tensor<16x64x1024xf32>, tensor<16x1024x64xf32>) outs(%s : tensor<16x64x64xf32>) -> tensor<16x64x64xf32>
  %ec = tensor.empty() : tensor<16x64x1024xf32>
  %ctx = linalg.batch_matmul ins(%scores, %v3 : tensor<16x64x64xf32>, tensor<16x64x1024xf32>) outs(%ec : tensor<16x64x1024xf32>) -> tensor<16x64x1024xf32>
  %c2 = tensor.collapse_shape %ctx [[0, 1], [2]] : tensor<16x64x1024xf32> into tensor<1024x1024xf32>
  %c16 = arith.truncf %c2 : tensor<1024x1024xf32> to tensor<1024x1024xf16>
  %wo = "test.global_load"() : () -> tensor<1024x1024xf16>
  %o = linalg.matmul ins(%c16, %wo : tensor<1024x1024xf16>, tensor<1024x1024xf16>) outs(%acc : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  return %o : tensor<1024x1024xf32>
}
