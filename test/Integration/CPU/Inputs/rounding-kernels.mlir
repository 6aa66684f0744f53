// f32 -> bf16 truncations with every rounding mode in GPU kernels (used by
// ../expand-rounding.mlir).
func.func @rounding(%a: tensor<8x16xf32>) -> (tensor<8x16xbf16>, tensor<8x16xbf16>, tensor<8x16xbf16>, tensor<8x16xbf16>, tensor<8x16xbf16>) {
  %e = tensor.empty() : tensor<8x16xbf16>
  %r:5 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<8x16xf32>) outs(%e, %e, %e, %e, %e : tensor<8x16xbf16>, tensor<8x16xbf16>, tensor<8x16xbf16>, tensor<8x16xbf16>, tensor<8x16xbf16>) {
  ^bb0(%in: f32, %o0: bf16, %o1: bf16, %o2: bf16, %o3: bf16, %o4: bf16):
    %v0 = arith.truncf %in to_nearest_even : f32 to bf16
    %v1 = arith.truncf %in toward_zero : f32 to bf16
    %v2 = arith.truncf %in to_nearest_away : f32 to bf16
    %v3 = arith.truncf %in upward : f32 to bf16
    %v4 = arith.truncf %in downward : f32 to bf16
    linalg.yield %v0, %v1, %v2, %v3, %v4 : bf16, bf16, bf16, bf16, bf16
  } -> (tensor<8x16xbf16>, tensor<8x16xbf16>, tensor<8x16xbf16>, tensor<8x16xbf16>, tensor<8x16xbf16>)
  return %r#0, %r#1, %r#2, %r#3, %r#4 : tensor<8x16xbf16>, tensor<8x16xbf16>, tensor<8x16xbf16>, tensor<8x16xbf16>, tensor<8x16xbf16>
}
