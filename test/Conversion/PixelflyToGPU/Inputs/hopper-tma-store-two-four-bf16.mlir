// tma_store on the 2:4 kernel: its registers hold Y transposed, so each
// thread writes single elements of the boxes. Two consumer warpgroups of
// one 64-row tile of W each by 128 tokens (two boxes of 64 tokens), run-time
// metadata, two k-tiles, a zero-filled bf16 output folded into the kernel,
// and ragged M (150): the last tile's second box lies past M, not stored.
func.func @two_four(%x: memref<?x256xbf16>, %v: memref<128x128xbf16>, %m: memref<128x16xi16>, %y: memref<?x128xbf16>) {
  %zero = arith.constant 0.0 : bf16
  linalg.fill ins(%zero : bf16) outs(%y : memref<?x128xbf16>)
  pixelfly.two_four_matmul ins(%x, %v, %m : memref<?x256xbf16>, memref<128x128xbf16>, memref<128x16xi16>) outs(%y : memref<?x128xbf16>) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 128, consumers = 2, stages = 2, cluster_m = 1, cluster_n = 1, tma_store = true>}
  return
}
