// Hopper family: 64 x 64 blocks, block rows 0 and 3 read both block
// columns, row 1 one, row 2 none (three tiles of one block row).
#l = #pixelfly.block_layout<shape = 256x128, block = 64x64, row_ptr = [0, 2, 3, 3, 5], col_idx = [0, 1, 1, 0, 1]>
func.func @fwd(%x: memref<?x128xbf16>, %b: memref<5x64x64xbf16>, %y: memref<?x256xf32>) {
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x128xbf16>, memref<5x64x64xbf16>) outs(%y : memref<?x256xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 64, consumers = 1, stages = 3, cluster_m = 1, cluster_n = 1>}
  return
}
