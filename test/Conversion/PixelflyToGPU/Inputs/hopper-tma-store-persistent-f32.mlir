// tma_store on a persistent grid with an f32 output that the product adds
// to: init is read per thread, the sums go out in boxes of 32 columns.
// 32 x 64 blocks, a tile per block row (one box each: an odd number, so
// each tile after a thread block's first waits for the previous tile's
// store before writing the buffer it read) on 2 thread blocks.
#l = #pixelfly.block_layout<shape = 160x256, block = 32x64, row_ptr = [0, 3, 6, 9, 10, 10], col_idx = [0, 2, 3, 0, 2, 3, 0, 2, 3, 1]>
func.func @persistent(%x: memref<?x256xbf16>, %b: memref<10x32x64xbf16>, %y: memref<?x160xf32>) {
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x256xbf16>, memref<10x32x64xbf16>) outs(%y : memref<?x160xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 32, tile_k = 64, consumers = 1, stages = 2, cluster_m = 1, cluster_n = 1, persistent = 2, tma_store = true>}
  return
}
