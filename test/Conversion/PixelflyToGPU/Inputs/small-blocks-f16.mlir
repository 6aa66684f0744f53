// 16 x 16 blocks, as pixelfly-gpu-config tiles them for a dynamic M:
// 128 x 16 x 16 tiles over 4 warps, so the B tile (16 x 16: 32 copies of 16
// bytes) has fewer copies than the 128 threads; the extra threads repeat
// copies. Block rows: {0}, {1}, {1, 3}, {0, 2}, empty, {3}.
#l = #pixelfly.block_layout<shape = 96x64, block = 16x16, row_ptr = [0, 1, 2, 4, 6, 6, 7], col_idx = [0, 1, 1, 3, 0, 2, 3]>
func.func @small(%x: memref<?x64xf16>, %b: memref<7x16x16xf16>, %y: memref<?x96xf32>) {
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xf16>, memref<7x16x16xf16>) outs(%y : memref<?x96xf32>) layout(#l)
  return
}
