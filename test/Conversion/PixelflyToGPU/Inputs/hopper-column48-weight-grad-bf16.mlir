// A column weight gradient of rank 48 (dY^T T, 256 x 48 as 8 blocks of
// 32 x 48, rows of 6 16-byte chunks, which the Ampere family refuses),
// configured by pixelfly-gpu-config for sm_90a: 4 blocks of 64 x 48, one
// per tile, T in one 64-column box (zeros past 48), the tokens split in 16
// ranges (most of them empty at M = 150), then the split sum.
#l = #pixelfly.block_layout<shape = 256x48, block = 32x48, row_ptr = [0, 1, 2, 3, 4, 5, 6, 7, 8], col_idx = [0, 0, 0, 0, 0, 0, 0, 0]>
func.func @column_wgrad48(%dy: memref<?x256xbf16>, %t: memref<?x48xbf16>, %du: memref<8x32x48xf32>) {
  pixelfly.block_sparse_weight_grad ins(%dy, %t : memref<?x256xbf16>, memref<?x48xbf16>) outs(%du : memref<8x32x48xf32>) layout(#l)
  return
}
