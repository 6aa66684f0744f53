// Hopper family, two consumer warpgroups of 128 rows each (two 64-row
// accumulators apiece) in 256 x 64 tiles: 32 x 64 blocks, both block rows
// read columns {0, 1, 2} (one tile of two block rows); 2 stages, so the
// ring wraps.
#l = #pixelfly.block_layout<shape = 64x192, block = 32x64, row_ptr = [0, 3, 6], col_idx = [0, 1, 2, 0, 1, 2]>
func.func @two(%x: memref<?x192xbf16>, %b: memref<6x32x64xbf16>, %y: memref<?x64xf32>) {
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x192xbf16>, memref<6x32x64xbf16>) outs(%y : memref<?x64xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 256, tile_n = 64, tile_k = 64, consumers = 2, stages = 2, cluster_m = 1, cluster_n = 1>}
  return
}
