func.func @l0(%a: tensor<8x16xf32>) attributes {n = 0 : i64} { return }
func.func @l1(%a: tensor<16x16xf32>) attributes {n = 3 : i64} { return }
func.func @l2(%a: tensor<24x16xf32>) attributes {n = 6 : i64} { return }
func.func @l3(%a: tensor<32x16xf32>) attributes {n = 9 : i64} { return }
func.func @l4(%a: tensor<40x16xf32>) attributes {n = 12 : i64} { return }
func.func @l5(%a: tensor<48x16xf32>) attributes {n = 15 : i64} { return }
func.func @l6(%a: tensor<56x16xf32>) attributes {n = 18 : i64} { return }
func.func @l7(%a: tensor<64x16xf32>) attributes {n = 21 : i64} { return }
func.func @l8(%a: tensor<72x16xf32>) attributes {n = 24 : i64} { return }
func.func @l9(%a: tensor<80x16xf32>) attributes {n = 27 : i64} { return }
#p = #pixelfly.plan<structure = butterfly, pattern = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 16>>
#c = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 3>
func.func @mm(%x: tensor<8x32xf32>, %w: tensor<32x64xf32>, %acc: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %y = linalg.matmul ins(%x, %w : tensor<8x32xf32>, tensor<32x64xf32>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  %z = linalg.matmul {pixelfly.plan = #p} ins(%x, %w : tensor<8x32xf32>, tensor<32x64xf32>) outs(%y : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %z : tensor<8x64xf32>
}
