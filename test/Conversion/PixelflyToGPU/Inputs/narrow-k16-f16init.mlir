// One warp, tile_k = 16 inside 64-wide blocks (four steps per block), two
// stages, an f16 init converted in the epilogue, static M.
#l = #pixelfly.block_layout<shape = 96x192, block = 32x64, row_ptr = [0, 2, 3, 5], col_idx = [0, 2, 1, 0, 1]>
func.func @narrow(%x: memref<50x192xf16>, %b: memref<5x32x64xf16>, %y: memref<50x96xf16>) {
  pixelfly.block_sparse_matmul ins(%x, %b : memref<50x192xf16>, memref<5x32x64xf16>) outs(%y : memref<50x96xf16>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_86", tile_m = 32, tile_n = 32, tile_k = 16, warps_m = 1, warps_n = 1, stages = 2>}
  return
}
