// Weight gradient, bf16 operands and init, blocks of 64 x 32, configured by
// pixelfly-gpu-config for sm_90a.
#l = #pixelfly.block_layout<shape = 256x128, block = 64x32, row_ptr = [0, 2, 4, 6, 10], col_idx = [0, 1, 0, 1, 2, 3, 0, 1, 2, 3]>
func.func @wgrad(%dy: memref<?x256xbf16>, %x: memref<?x128xbf16>, %db: memref<10x64x32xbf16>) {
  pixelfly.block_sparse_weight_grad ins(%dy, %x : memref<?x256xbf16>, memref<?x128xbf16>) outs(%db : memref<10x64x32xbf16>) layout(#l)
  return
}
