// The weight gradient of hopper-weight-grad-bf16.mlir with its tokens split
// into 3 ranges of whole 64-token k-tiles (grid y): each range writes f32
// partial blocks, a second kernel adds them to the bf16 init in order.
// M = 150 gives each range one k-tile; M = 1000 (16 k-tiles) ranges of
// 6, 6 and 4; M = 1 one k-tile and two empty ranges (zero partials).
#l = #pixelfly.block_layout<shape = 256x192, block = 64x64, row_ptr = [0, 2, 3, 3, 6], col_idx = [0, 2, 1, 0, 1, 2]>
func.func @wgrad(%dy: memref<?x256xbf16>, %x: memref<?x192xbf16>, %db: memref<6x64x64xbf16>) {
  pixelfly.block_sparse_weight_grad ins(%dy, %x : memref<?x256xbf16>, memref<?x192xbf16>) outs(%db : memref<6x64x64xbf16>) layout(#l) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 64, consumers = 1, stages = 2, cluster_m = 1, cluster_n = 1, splits = 3>}
  return
}
