// low-rank-f16.mlir into a zero-filled output: the fill is folded into the
// panel kernel, which writes every element of Y.
func.func @low_rank(%x: memref<?x128xf16>, %u: memref<256x32xf16>, %v: memref<128x32xf16>, %y: memref<?x256xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%y : memref<?x256xf32>)
  pixelfly.low_rank_matmul ins(%x, %u, %v : memref<?x128xf16>, memref<256x32xf16>, memref<128x32xf16>) outs(%y : memref<?x256xf32>) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 3>, pixelfly.gpu_panel_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 32, tile_k = 64, warps_m = 4, warps_n = 1, stages = 3>}
  return
}
