// f32 operands as TF32 (mma.sync m16n8k8, fragments rounded with
// cvt.rna.tf32.f32) over the layout of runs-f16.mlir, with the tiling
// pixelfly-gpu-config picks (f32 tiles need dynamic shared memory).
#l = #pixelfly.block_layout<shape = 256x128, block = 32x32, row_ptr = [0, 2, 4, 6, 6, 7, 9, 11, 15], col_idx = [0, 2, 0, 2, 0, 2, 1, 1, 3, 1, 3, 0, 1, 2, 3]>
func.func @forward(%x: memref<?x128xf32>, %b: memref<15x32x32xf32>, %y: memref<?x256xf32>) {
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x128xf32>, memref<15x32x32xf32>) outs(%y : memref<?x256xf32>) layout(#l)
  return
}
