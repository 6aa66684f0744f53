// Weight gradient in f32 (TF32) with pixelfly-gpu-config's tiling: both
// operands staged as stored, fragments read element by element.
#l = #pixelfly.block_layout<shape = 256x128, block = 32x32, row_ptr = [0, 2, 4, 6, 6, 7, 9, 11, 15], col_idx = [0, 2, 0, 2, 0, 2, 1, 1, 3, 1, 3, 0, 1, 2, 3]>
func.func @wgrad(%dy: memref<?x256xf32>, %x: memref<?x128xf32>, %db: memref<15x32x32xf32>) {
  pixelfly.block_sparse_weight_grad ins(%dy, %x : memref<?x256xf32>, memref<?x128xf32>) outs(%db : memref<15x32x32xf32>) layout(#l)
  return
}
