// hopper-input-grad-bf16.mlir into a zero-filled output: every block
// column has blocks, so the tiles cover dX and the fill is folded into the
// kernel's epilogue.
#l = #pixelfly.block_layout<shape = 256x192, block = 64x64, row_ptr = [0, 2, 4, 5, 7], col_idx = [0, 1, 0, 1, 2, 0, 1]>
func.func @input_grad(%dy: memref<?x256xbf16>, %b: memref<7x64x64xbf16>, %dx: memref<?x192xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%dx : memref<?x192xf32>)
  pixelfly.block_sparse_input_grad ins(%dy, %b : memref<?x256xbf16>, memref<7x64x64xbf16>) outs(%dx : memref<?x192xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 2, stages = 2, cluster_m = 1, cluster_n = 1>}
  return
}
