// The 2:4 kernel on a persistent grid: 2 thread blocks over the 3 feature
// tiles x 3 token tiles (M = 150, the last ragged), tile-major over the
// token tiles; each block's ring (3 k-tiles per tile through 2 stages)
// runs on from tile to tile. Run-time metadata, f32 output read and added
// to.
func.func @two_four(%x: memref<?x384xf16>, %v: memref<192x192xf16>, %m: memref<192x24xi16>, %y: memref<?x192xf32>) {
  pixelfly.two_four_matmul ins(%x, %v, %m : memref<?x384xf16>, memref<192x192xf16>, memref<192x24xi16>) outs(%y : memref<?x192xf32>) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 128, consumers = 1, stages = 2, cluster_m = 1, cluster_n = 1, persistent = 2>}
  return
}
