// tma_store: a zero-filled bf16 output through shared memory and TMA
// stores. Two consumer warpgroups (tile_m = 128) of 64 x 64 blocks in
// tiles of two block rows (the last two partial: their second box of
// columns is not stored), the fill folded into the kernel, and ragged M,
// so the second consumer's rows of the last m-tile are clipped by TMA.
#l = #pixelfly.block_layout<shape = 256x128, block = 64x64, row_ptr = [0, 2, 4, 5, 6], col_idx = [0, 1, 0, 1, 1, 0]>
func.func @fwd(%x: memref<?x128xbf16>, %b: memref<6x64x64xbf16>, %y: memref<?x256xbf16>) {
  %zero = arith.constant 0.0 : bf16
  linalg.fill ins(%zero : bf16) outs(%y : memref<?x256xbf16>)
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x128xbf16>, memref<6x64x64xbf16>) outs(%y : memref<?x256xbf16>) layout(#l) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 2, stages = 2, cluster_m = 1, cluster_n = 1, tma_store = true>}
  return
}
