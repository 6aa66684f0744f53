// 16-row blocks, four per tile, tile_k = 64 (128-byte shared rows), 4 stages.
#l = #pixelfly.block_layout<shape = 64x128, block = 16x64, row_ptr = [0, 1, 2, 3, 5], col_idx = [1, 1, 1, 0, 1]>
func.func @wide(%x: memref<?x128xf16>, %b: memref<5x16x64xf16>, %y: memref<?x64xf32>) {
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x128xf16>, memref<5x16x64xf16>) outs(%y : memref<?x64xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 32, tile_n = 64, tile_k = 64, warps_m = 2, warps_n = 1, stages = 4>}
  return
}
