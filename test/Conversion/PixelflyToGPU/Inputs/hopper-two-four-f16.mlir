// pixelfly.two_four_matmul on the Hopper family (sparse wgmma) with
// metadata known at run time (each thread assembles its word from two rows
// of the row-major metadata): one consumer warpgroup holding two 64-row
// tiles of W by 64 tokens, three k-tiles through a 2-stage ring, two token
// tiles of which the second is ragged (M = 100).
func.func @two_four(%x: memref<?x384xf16>, %v: memref<128x192xf16>, %m: memref<128x24xi16>, %y: memref<?x128xf32>) {
  pixelfly.two_four_matmul ins(%x, %v, %m : memref<?x384xf16>, memref<128x192xf16>, memref<128x24xi16>) outs(%y : memref<?x128xf32>) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 128, tile_k = 128, consumers = 1, stages = 2, cluster_m = 1, cluster_n = 1>}
  return
}
