// low_rank_matmul with the panel's first kernel (T = X V) on the Hopper
// family: rank 80, so V's k-tile is two 64-column boxes side by side (the
// second's columns past the rank arrive as zeros), m64n128k16 with an
// MN-major B of two swizzle atoms; two consumers, 3 stages, two m-tiles at
// M = 150. Then the Hopper kernel on the panel alone (two k-tiles of T).
func.func @low_rank(%x: memref<?x256xbf16>, %u: memref<256x80xbf16>, %v: memref<256x80xbf16>, %y: memref<?x256xf32>) {
  pixelfly.low_rank_matmul ins(%x, %u, %v : memref<?x256xbf16>, memref<256x80xbf16>, memref<256x80xbf16>) outs(%y : memref<?x256xf32>) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 2, stages = 2, cluster_m = 1, cluster_n = 1>, pixelfly.gpu_panel_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 2, stages = 3, cluster_m = 1, cluster_n = 1>}
  return
}
