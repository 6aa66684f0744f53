// Input gradient over the layout of runs-f16.mlir (256 x 128 weight, 32 x 32
// blocks): block columns {0, 2} share block rows {0, 1, 2, 6, 7}, {1, 3}
// share {4, 5, 6, 7}; tiles of two block columns: two full tiles.
#l = #pixelfly.block_layout<shape = 256x128, block = 32x32, row_ptr = [0, 2, 4, 6, 6, 7, 9, 11, 15], col_idx = [0, 2, 0, 2, 0, 2, 1, 1, 3, 1, 3, 0, 1, 2, 3]>
func.func @grad(%dy: memref<?x256xf16>, %b: memref<15x32x32xf16>, %dx: memref<?x128xf32>) {
  pixelfly.block_sparse_input_grad ins(%dy, %b : memref<?x256xf16>, memref<15x32x32xf16>) outs(%dx : memref<?x128xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 3>}
  return
}
