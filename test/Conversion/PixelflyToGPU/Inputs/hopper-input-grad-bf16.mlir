// Hopper family, input gradient dX = dY W (W 256 x 192 on 64 x 64 blocks):
// block columns 0-1 share block rows {0, 1, 3} (one tile of two columns,
// the reduction walking those rows), column 2 reads row {2}. The blocks
// are read as stored: MN-major, their output columns one 128-byte row
// (transposeB). Two consumers, 2 stages, so the ring wraps.
#l = #pixelfly.block_layout<shape = 256x192, block = 64x64, row_ptr = [0, 2, 4, 5, 7], col_idx = [0, 1, 0, 1, 2, 0, 1]>
func.func @input_grad(%dy: memref<?x256xbf16>, %b: memref<7x64x64xbf16>, %dx: memref<?x192xf32>) {
  pixelfly.block_sparse_input_grad ins(%dy, %b : memref<?x256xbf16>, memref<7x64x64xbf16>) outs(%dx : memref<?x192xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 2, stages = 2, cluster_m = 1, cluster_n = 1>}
  return
}
