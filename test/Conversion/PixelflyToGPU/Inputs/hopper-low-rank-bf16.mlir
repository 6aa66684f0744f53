// low_rank_matmul on the Hopper family: Y = init + (X V) U^T, T = X V from
// the panel's first kernel (one thread per element here: no panel
// configuration), then the Hopper kernel on the panel alone: tiles of 128
// output columns over two consumer warpgroups, one k-tile (rank 48: T's and
// U's columns past the rank arrive as zeros), two m-tiles (M = 150).
func.func @low_rank(%x: memref<?x256xbf16>, %u: memref<256x48xbf16>, %v: memref<256x48xbf16>, %y: memref<?x256xf32>) {
  pixelfly.low_rank_matmul ins(%x, %u, %v : memref<?x256xbf16>, memref<256x48xbf16>, memref<256x48xbf16>) outs(%y : memref<?x256xf32>) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 2, stages = 2, cluster_m = 1, cluster_n = 1>}
  return
}
