// A zero-filled f32 output of a weight gradient (the zeros a training step
// accumulates dY^T X into): every stored block is one thread block's tile,
// written whole after its reduction over the tokens, so the fill is folded;
// ragged M.
#l = #pixelfly.block_layout<shape = 256x128, block = 32x32, row_ptr = [0, 2, 4, 6, 6, 7, 9, 11, 15], col_idx = [0, 2, 0, 2, 0, 2, 1, 1, 3, 1, 3, 0, 1, 2, 3]>
func.func @wgrad(%dy: memref<?x256xf16>, %x: memref<?x128xf16>, %db: memref<15x32x32xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%db : memref<15x32x32xf32>)
  pixelfly.block_sparse_weight_grad ins(%dy, %x : memref<?x256xf16>, memref<?x128xf16>) outs(%db : memref<15x32x32xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 32, tile_n = 32, tile_k = 16, warps_m = 2, warps_n = 1, stages = 3>}
  return
}
