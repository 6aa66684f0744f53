// Hopper family: 32 x 64 blocks, block rows 0-2 share columns {0, 2, 3}
// (tiles of two block rows: one full, one partial), row 3 reads {1}, row 4
// none; 2 stages, so the ring wraps and the producer waits for the
// consumer.
#l = #pixelfly.block_layout<shape = 160x256, block = 32x64, row_ptr = [0, 3, 6, 9, 10, 10], col_idx = [0, 2, 3, 0, 2, 3, 0, 2, 3, 1]>
func.func @runs(%x: memref<?x256xbf16>, %b: memref<10x32x64xbf16>, %y: memref<?x160xf32>) {
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x256xbf16>, memref<10x32x64xbf16>) outs(%y : memref<?x160xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 64, consumers = 1, stages = 2, cluster_m = 1, cluster_n = 1>}
  return
}
