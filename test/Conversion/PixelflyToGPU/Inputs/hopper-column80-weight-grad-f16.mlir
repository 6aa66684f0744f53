// A column weight gradient 80 columns wide (f16, 192 x 80 as 6 blocks of
// 32 x 80), its tokens split in 2 ranges: per range the partials of 3
// blocks of 64 x 80 (two X boxes, the second's columns past 80 zeros),
// then their sum added to the f32 result, which the host passes as those
// blocks too. One consumer, 2 stages.
#l = #pixelfly.block_layout<shape = 192x80, block = 32x80, row_ptr = [0, 1, 2, 3, 4, 5, 6], col_idx = [0, 0, 0, 0, 0, 0]>
func.func @column_wgrad80(%dy: memref<?x192xf16>, %x: memref<?x80xf16>, %dv: memref<6x32x80xf32>) {
  pixelfly.block_sparse_weight_grad ins(%dy, %x : memref<?x192xf16>, memref<?x80xf16>) outs(%dv : memref<6x32x80xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 128, tile_k = 64, consumers = 1, stages = 2, cluster_m = 1, cluster_n = 1, splits = 2>}
  return
}
