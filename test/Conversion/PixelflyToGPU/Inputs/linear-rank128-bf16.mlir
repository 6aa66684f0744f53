// pixelfly.linear with rank 128: its T kernel (tensor cores, input-gradient
// form) has two warp columns of 64 (256 threads) and, K = 96 not being a
// multiple of 64, 32-wide k-tiles; scalar gamma, bf16.
#l = #pixelfly.block_layout<shape = 64x96, block = 32x32, row_ptr = [0, 1, 3], col_idx = [1, 0, 2]>
func.func @linear(%x: memref<?x96xbf16>, %b: memref<3x32x32xbf16>, %u: memref<64x128xbf16>, %v: memref<96x128xbf16>, %g: f32, %y: memref<?x64xf32>) {
  pixelfly.linear ins(%x, %b, %u, %v : memref<?x96xbf16>, memref<3x32x32xbf16>, memref<64x128xbf16>, memref<96x128xbf16>) gamma(%g : f32) outs(%y : memref<?x64xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 32, tile_n = 32, tile_k = 32, warps_m = 1, warps_n = 1, stages = 2>, pixelfly.gpu_panel_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 128, tile_k = 32, warps_m = 4, warps_n = 2, stages = 3>}
  return
}
