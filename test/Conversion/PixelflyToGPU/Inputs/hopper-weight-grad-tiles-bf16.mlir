// The Hopper weight gradient in tiles of 2 x 2 blocks (128 x 128, one
// block row per consumer warpgroup): block rows 0 and 1 store the same four
// columns (two full tiles); block row 2 stores three, so its tiles have one
// row (the second consumer computes a repeat of it and stores nothing) and
// the second of them one column (the repeat of its first is not stored);
// block row 3 is empty. M = 150: three k-tiles, the last ragged, through a
// 2-stage ring.
#l = #pixelfly.block_layout<shape = 256x256, block = 64x64, row_ptr = [0, 4, 8, 11, 11], col_idx = [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 3]>
func.func @wgrad(%dy: memref<?x256xbf16>, %x: memref<?x256xbf16>, %db: memref<11x64x64xbf16>) {
  pixelfly.block_sparse_weight_grad ins(%dy, %x : memref<?x256xbf16>, memref<?x256xbf16>) outs(%db : memref<11x64x64xbf16>) layout(#l) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 2, stages = 2, cluster_m = 1, cluster_n = 1>}
  return
}
