// input-grad-f16.mlir into a zero-filled output: every block column has
// blocks, so the tiles cover dX and the fill is folded into the kernel.
#l = #pixelfly.block_layout<shape = 256x128, block = 32x32, row_ptr = [0, 2, 4, 6, 6, 7, 9, 11, 15], col_idx = [0, 2, 0, 2, 0, 2, 1, 1, 3, 1, 3, 0, 1, 2, 3]>
func.func @grad(%dy: memref<?x256xf16>, %b: memref<15x32x32xf16>, %dx: memref<?x128xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%dx : memref<?x128xf32>)
  pixelfly.block_sparse_input_grad ins(%dy, %b : memref<?x256xf16>, memref<15x32x32xf16>) outs(%dx : memref<?x128xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 3>}
  return
}
