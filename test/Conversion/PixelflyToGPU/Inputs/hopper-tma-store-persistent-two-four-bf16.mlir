// tma_store on the 2:4 kernel on a persistent grid: one box per tile (64
// tokens by 64 bf16 features, an odd number), so each tile after a thread
// block's first waits for the previous tile's store before writing the
// buffer it read. 2 thread blocks over 2 feature tiles x 3 token tiles
// (M = 150), a folded zero fill.
func.func @two_four(%x: memref<?x256xbf16>, %v: memref<128x128xbf16>, %m: memref<128x16xi16>, %y: memref<?x128xbf16>) {
  %zero = arith.constant 0.0 : bf16
  linalg.fill ins(%zero : bf16) outs(%y : memref<?x128xbf16>)
  pixelfly.two_four_matmul ins(%x, %v, %m : memref<?x256xbf16>, memref<128x128xbf16>, memref<128x16xi16>) outs(%y : memref<?x128xbf16>) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 128, consumers = 1, stages = 2, cluster_m = 1, cluster_n = 1, persistent = 2, tma_store = true>}
  return
}
