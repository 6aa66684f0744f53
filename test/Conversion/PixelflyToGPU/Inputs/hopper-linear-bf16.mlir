// Hopper family, pixelfly.linear: block rows 0-1 read columns {0, 1, 3},
// row 2 reads {2}, row 3 none (its tile is the low-rank panel alone);
// rank 16 (one panel k-tile of 64 columns, zero past the rank), gamma
// 0.25; two consumers, 2 stages. The panel's first kernel (T = (1 - g)
// X V) is the Ampere family's.
#l = #pixelfly.block_layout<shape = 256x256, block = 64x64, row_ptr = [0, 3, 6, 7, 7], col_idx = [0, 1, 3, 0, 1, 3, 2]>
func.func @lin(%x: memref<?x256xbf16>, %b: memref<7x64x64xbf16>, %u: memref<256x16xbf16>, %v: memref<256x16xbf16>, %y: memref<?x256xf32>) {
  pixelfly.linear ins(%x, %b, %u, %v : memref<?x256xbf16>, memref<7x64x64xbf16>, memref<256x16xbf16>, memref<256x16xbf16>) gamma(0.25) outs(%y : memref<?x256xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 2, stages = 2, cluster_m = 1, cluster_n = 1>, pixelfly.gpu_panel_config = #pixelfly.gpu_config<chip = "sm_90a", tile_m = 64, tile_n = 16, tile_k = 64, warps_m = 4, warps_n = 1, stages = 3>}
  return
}
