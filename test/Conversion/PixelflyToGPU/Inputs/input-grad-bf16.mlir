// Input gradient, bf16, blocks of 64 x 32 (two tile_k steps per block row
// of the reduction): block columns 0-1 share block rows {0, 1, 3} and
// columns 2-3 share {2, 3}, so each run is one tile of two block columns.
// Configured by pixelfly-gpu-config for sm_90a.
#l = #pixelfly.block_layout<shape = 256x128, block = 64x32, row_ptr = [0, 2, 4, 6, 10], col_idx = [0, 1, 0, 1, 2, 3, 0, 1, 2, 3]>
func.func @grad(%dy: memref<?x256xbf16>, %b: memref<10x64x32xbf16>, %dx: memref<?x128xf32>) {
  pixelfly.block_sparse_input_grad ins(%dy, %b : memref<?x256xbf16>, memref<10x64x32xbf16>) outs(%dx : memref<?x128xf32>) layout(#l)
  return
}
