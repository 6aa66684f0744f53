// The weight gradient of weight-grad-f16.mlir (15 blocks of 32 x 32, f32
// init, 16-token k-tiles) with its tokens split into 3 ranges (grid y):
// M = 200 (13 k-tiles) gives ranges of 5, 5 and 3 k-tiles, the last
// ragged; M = 20 one full k-tile, one ragged, one empty range.
#l = #pixelfly.block_layout<shape = 256x128, block = 32x32, row_ptr = [0, 2, 4, 6, 6, 7, 9, 11, 15], col_idx = [0, 2, 0, 2, 0, 2, 1, 1, 3, 1, 3, 0, 1, 2, 3]>
func.func @wgrad(%dy: memref<?x256xf16>, %x: memref<?x128xf16>, %db: memref<15x32x32xf32>) {
  pixelfly.block_sparse_weight_grad ins(%dy, %x : memref<?x256xf16>, memref<?x128xf16>) outs(%db : memref<15x32x32xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 32, tile_n = 32, tile_k = 16, warps_m = 2, warps_n = 1, stages = 3, splits = 3>}
  return
}
