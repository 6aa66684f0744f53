// Input gradient one tile wide, bf16: dY U of a low-rank term (U as a
// dense layout of 32 x 32 blocks, 8 block rows of the reduction, one block
// column). Configured by pixelfly-gpu-config for sm_80: 64-row tiles.
#l = #pixelfly.block_layout<shape = 256x32, block = 32x32, row_ptr = [0, 1, 2, 3, 4, 5, 6, 7, 8], col_idx = [0, 0, 0, 0, 0, 0, 0, 0]>
func.func @grad(%dy: memref<?x256xbf16>, %u: memref<8x32x32xbf16>, %t: memref<?x32xf32>) {
  pixelfly.block_sparse_input_grad ins(%dy, %u : memref<?x256xbf16>, memref<8x32x32xbf16>) outs(%t : memref<?x32xf32>) layout(#l)
  return
}
