// The weight gradient on the Hopper family: 64 x 64 blocks (dY^T X reads
// both operands MN-major), six stored blocks of a 256 x 192 layout (block
// row 2 empty), one thread block per block reducing over the tokens in
// k-tiles of 64 through a 2-stage ring; M = 150 (three k-tiles, the last
// ragged: TMA zero-fills the tokens past M), bf16 blocks.
#l = #pixelfly.block_layout<shape = 256x192, block = 64x64, row_ptr = [0, 2, 3, 3, 6], col_idx = [0, 2, 1, 0, 1, 2]>
func.func @wgrad(%dy: memref<?x256xbf16>, %x: memref<?x192xbf16>, %db: memref<6x64x64xbf16>) {
  pixelfly.block_sparse_weight_grad ins(%dy, %x : memref<?x256xbf16>, memref<?x192xbf16>) outs(%db : memref<6x64x64xbf16>) layout(#l) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 64, consumers = 1, stages = 2, cluster_m = 1, cluster_n = 1>}
  return
}
