// tma_store on the 2:4 kernel with an f32 output that is read and added
// to: a box holds 32 features, so each 64-row tile of W goes out as two
// boxes (warps 0-1 write the first, warps 2-3 the second). One consumer of
// two tiles, two thread blocks of features, a ragged second token tile.
func.func @two_four(%x: memref<?x128xf16>, %v: memref<256x64xf16>, %m: memref<256x8xi16>, %y: memref<?x256xf32>) {
  pixelfly.two_four_matmul ins(%x, %v, %m : memref<?x128xf16>, memref<256x64xf16>, memref<256x8xi16>) outs(%y : memref<?x256xf32>) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 128, tile_k = 128, consumers = 1, stages = 2, cluster_m = 1, cluster_n = 1, tma_store = true>}
  return
}
