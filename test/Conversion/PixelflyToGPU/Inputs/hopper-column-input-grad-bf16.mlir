// A column product on the Hopper family: dY U of a training step's
// low-rank factor at rank 32 (U 256 x 32 as 8 blocks of 32 x 32, one dense
// block column, as pixelfly-gpu-dense-products writes it). Its blocks are
// read as one 256 x 32 matrix in a 64-column box (columns past 32 arrive as
// zeros), as the panel's V is; the 32 columns of dX are stored. One
// consumer, 2 stages over 4 k-tiles, so the ring wraps.
#l = #pixelfly.block_layout<shape = 256x32, block = 32x32, row_ptr = [0, 1, 2, 3, 4, 5, 6, 7, 8], col_idx = [0, 0, 0, 0, 0, 0, 0, 0]>
func.func @column(%dy: memref<?x256xbf16>, %u: memref<8x32x32xbf16>, %dx: memref<?x32xf32>) {
  pixelfly.block_sparse_input_grad ins(%dy, %u : memref<?x256xbf16>, memref<8x32x32xbf16>) outs(%dx : memref<?x32xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 64, consumers = 1, stages = 2, cluster_m = 1, cluster_n = 1>}
  return
}
