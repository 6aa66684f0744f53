// Column products whose width the Ampere family refuses (rows of 6 or 10
// 16-byte chunks, not a power of two): on sm_90a the Hopper family
// configures them before those limits apply (pixelfly-gpu-config.mlir,
// COLUMNS); on sm_80 they stay without a configuration, with a remark.
#l48 = #pixelfly.block_layout<shape = 256x48, block = 32x48, row_ptr = [0, 1, 2, 3, 4, 5, 6, 7, 8], col_idx = [0, 0, 0, 0, 0, 0, 0, 0]>
#l80 = #pixelfly.block_layout<shape = 256x80, block = 32x80, row_ptr = [0, 1, 2, 3, 4, 5, 6, 7, 8], col_idx = [0, 0, 0, 0, 0, 0, 0, 0]>
func.func @rank48(%dy: memref<?x256xbf16>, %t: memref<?x48xbf16>, %du: memref<8x32x48xf32>,
                  %u: memref<8x32x80xbf16>, %dx: memref<?x80xf32>) {
  pixelfly.block_sparse_weight_grad ins(%dy, %t : memref<?x256xbf16>, memref<?x48xbf16>) outs(%du : memref<8x32x48xf32>) layout(#l48)
  pixelfly.block_sparse_input_grad ins(%dy, %u : memref<?x256xbf16>, memref<8x32x80xbf16>) outs(%dx : memref<?x80xf32>) layout(#l80)
  return
}
