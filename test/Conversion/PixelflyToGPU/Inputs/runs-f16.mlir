// Block rows: three share {0, 2}, one is empty, then {1}, {1, 3} twice and
// {0, 1, 2, 3}: with tiles of two block rows, three tiles are partial.
#l = #pixelfly.block_layout<shape = 256x128, block = 32x32, row_ptr = [0, 2, 4, 6, 6, 7, 9, 11, 15], col_idx = [0, 2, 0, 2, 0, 2, 1, 1, 3, 1, 3, 0, 1, 2, 3]>
func.func @runs(%x: memref<?x128xf16>, %b: memref<15x32x32xf16>, %y: memref<?x256xf32>) {
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x128xf16>, memref<15x32x32xf16>) outs(%y : memref<?x256xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 3>}
  return
}
