// bf16 operands and init, rank 48 (one and a half 32-wide k-tiles: the
// second half zero-filled), static tiles of 32 over N = 64, one warp, 2
// stages.
func.func @low_rank(%x: memref<?x96xbf16>, %u: memref<64x48xbf16>, %v: memref<96x48xbf16>, %y: memref<?x64xbf16>) {
  pixelfly.low_rank_matmul ins(%x, %u, %v : memref<?x96xbf16>, memref<64x48xbf16>, memref<96x48xbf16>) outs(%y : memref<?x64xbf16>) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_90a", tile_m = 32, tile_n = 32, tile_k = 32, warps_m = 1, warps_n = 1, stages = 2>}
  return
}
