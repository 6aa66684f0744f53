// A zero-filled f32 output of a block-sparse product whose block rows all
// have blocks: the fill is folded into the kernel; ragged M.
#l = #pixelfly.block_layout<shape = 128x64, block = 32x32, row_ptr = [0, 1, 3, 4, 6], col_idx = [1, 0, 1, 0, 0, 1]>
func.func @bsmm(%x: memref<?x64xbf16>, %b: memref<6x32x32xbf16>, %y: memref<?x128xf32>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%y : memref<?x128xf32>)
  %m = memref.dim %y, %c0 : memref<?x128xf32>
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xbf16>, memref<6x32x32xbf16>) outs(%y : memref<?x128xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 2>}
  return
}
