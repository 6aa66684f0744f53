// Configured by pixelfly-gpu-config for sm_90a: 128 x 128 tiles, 4 stages
// (64 KB of dynamic shared memory), bf16 through nvvm.mma.sync.
#l = #pixelfly.block_layout<shape = 256x128, block = 32x32, row_ptr = [0, 2, 4, 6, 8, 10, 12, 14, 16], col_idx = [0, 1, 0, 1, 0, 1, 0, 1, 2, 3, 2, 3, 2, 3, 2, 3]>
func.func @butterfly(%x: memref<?x128xbf16>, %b: memref<16x32x32xbf16>, %y: memref<?x256xf32>) {
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x128xbf16>, memref<16x32x32xbf16>) outs(%y : memref<?x256xf32>) layout(#l)
  return
}
