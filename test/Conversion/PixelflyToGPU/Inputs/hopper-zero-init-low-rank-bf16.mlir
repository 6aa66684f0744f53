// hopper-low-rank-bf16.mlir into a zero-filled output: the fill is folded
// into the Hopper kernel on the panel, which writes every element of Y.
func.func @low_rank(%x: memref<?x256xbf16>, %u: memref<256x48xbf16>, %v: memref<256x48xbf16>, %y: memref<?x256xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%y : memref<?x256xf32>)
  pixelfly.low_rank_matmul ins(%x, %u, %v : memref<?x256xbf16>, memref<256x48xbf16>, memref<256x48xbf16>) outs(%y : memref<?x256xf32>) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 2, stages = 2, cluster_m = 1, cluster_n = 1>}
  return
}
