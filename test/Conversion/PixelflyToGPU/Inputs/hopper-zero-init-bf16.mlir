// A zero-filled bf16 output of a block-sparse product on the Hopper
// family: the fill is folded into the kernel, whose register epilogue then
// only stores (every block row has blocks, so the tiles cover Y); ragged M.
#l = #pixelfly.block_layout<shape = 256x128, block = 64x64, row_ptr = [0, 2, 3, 4, 5], col_idx = [0, 1, 1, 0, 1]>
func.func @fwd(%x: memref<?x128xbf16>, %b: memref<5x64x64xbf16>, %y: memref<?x256xbf16>) {
  %zero = arith.constant 0.0 : bf16
  linalg.fill ins(%zero : bf16) outs(%y : memref<?x256xbf16>)
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x128xbf16>, memref<5x64x64xbf16>) outs(%y : memref<?x256xbf16>) layout(#l) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 64, consumers = 1, stages = 3, cluster_m = 1, cluster_n = 1>}
  return
}
