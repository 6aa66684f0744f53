// Hopper family, 128 x 128 tiles: one consumer warpgroup holds two 64-row
// wgmma accumulators. 64 x 64 blocks, block rows 0-1 read columns
// {0, 1, 3}, rows 2-3 read {2}; 2 stages, so the ring wraps.
#l = #pixelfly.block_layout<shape = 256x256, block = 64x64, row_ptr = [0, 3, 6, 7, 8], col_idx = [0, 1, 3, 0, 1, 3, 2, 2]>
func.func @m128(%x: memref<?x256xbf16>, %b: memref<8x64x64xbf16>, %y: memref<?x256xf32>) {
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x256xbf16>, memref<8x64x64xbf16>) outs(%y : memref<?x256xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 1, stages = 2, cluster_m = 1, cluster_n = 1>}
  return
}
