// A column product 80 columns wide (f16, 6 blocks of 32 x 80): two
// 64-column boxes per k-tile (the second's columns past 80 are zeros),
// m64n128 over two consumers, 2 stages over 3 k-tiles; dX is f16 and the
// product adds to it.
#l = #pixelfly.block_layout<shape = 192x80, block = 32x80, row_ptr = [0, 1, 2, 3, 4, 5, 6], col_idx = [0, 0, 0, 0, 0, 0]>
func.func @column80(%dy: memref<?x192xf16>, %u: memref<6x32x80xf16>, %dx: memref<?x80xf16>) {
  pixelfly.block_sparse_input_grad ins(%dy, %u : memref<?x192xf16>, memref<6x32x80xf16>) outs(%dx : memref<?x80xf16>) layout(#l) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 2, stages = 2, cluster_m = 1, cluster_n = 1>}
  return
}
