// Hopper family, persistent grid: hopper-m128-bf16's layout (tiles of 3
// and 1 block k-tiles) on 2 thread blocks, each computing every other
// (tile, m-tile) in turn, its 2-stage ring running on across them.
#l = #pixelfly.block_layout<shape = 256x256, block = 64x64, row_ptr = [0, 3, 6, 7, 8], col_idx = [0, 1, 3, 0, 1, 3, 2, 2]>
func.func @persistent(%x: memref<?x256xbf16>, %b: memref<8x64x64xbf16>, %y: memref<?x256xf32>) {
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x256xbf16>, memref<8x64x64xbf16>) outs(%y : memref<?x256xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 2, stages = 2, cluster_m = 1, cluster_n = 1, persistent = 2>}
  return
}
