// A column weight gradient on the Hopper family: dY^T T of a training
// step's low-rank factor at rank 32 (the 256 x 32 result as 8 blocks of
// 32 x 32, one dense block column, as pixelfly-gpu-dense-products writes
// it). The kernel writes it as 4 blocks of 64 x 32 (the host passes the
// blocks reshaped so): two block rows per tile over two consumers, T read
// in 64-column boxes (zeros past column 32), the 32 columns stored. A
// zero fill folded in; 2 stages over 3 k-tiles at M = 150.
#l = #pixelfly.block_layout<shape = 256x32, block = 32x32, row_ptr = [0, 1, 2, 3, 4, 5, 6, 7, 8], col_idx = [0, 0, 0, 0, 0, 0, 0, 0]>
func.func @column_wgrad(%dy: memref<?x256xbf16>, %t: memref<?x32xbf16>, %du: memref<8x32x32xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%du : memref<8x32x32xf32>)
  pixelfly.block_sparse_weight_grad ins(%dy, %t : memref<?x256xbf16>, memref<?x32xbf16>) outs(%du : memref<8x32x32xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 64, tile_k = 64, consumers = 2, stages = 2, cluster_m = 1, cluster_n = 1>}
  return
}
