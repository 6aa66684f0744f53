// Constant gamma, static M, f16 init, rank 32, one warp with tile_k 16 (two
// panel k-tiles), 2 stages.
#l = #pixelfly.block_layout<shape = 96x192, block = 32x64, row_ptr = [0, 1, 1, 3], col_idx = [2, 0, 1]>
func.func @linear(%x: memref<50x192xf16>, %b: memref<3x32x64xf16>, %u: memref<96x32xf16>, %v: memref<192x32xf16>, %y: memref<50x96xf16>) {
  pixelfly.linear ins(%x, %b, %u, %v : memref<50x192xf16>, memref<3x32x64xf16>, memref<96x32xf16>, memref<192x32xf16>) gamma(0.25) outs(%y : memref<50x96xf16>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 32, tile_n = 32, tile_k = 16, warps_m = 1, warps_n = 1, stages = 2>, pixelfly.gpu_panel_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 32, tile_k = 64, warps_m = 4, warps_n = 1, stages = 3>}
  return
}
