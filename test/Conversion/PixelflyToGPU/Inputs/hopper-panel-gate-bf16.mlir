// pixelfly.linear with per-token gates (gamma a memref<?xf32>) and the
// panel's first kernel on the Hopper family: T's row m is scaled by
// 1 - g(m), bf16 output. emulate-hopper.test compares it with the same op
// lowered without a panel configuration (one thread per element of T).
#l = #pixelfly.block_layout<shape = 128x192, block = 64x64, row_ptr = [0, 2, 3], col_idx = [0, 2, 1]>
func.func @gate(%x: memref<?x192xbf16>, %b: memref<3x64x64xbf16>, %u: memref<128x32xbf16>, %v: memref<192x32xbf16>, %g: memref<?xf32>, %y: memref<?x128xbf16>) {
  pixelfly.linear ins(%x, %b, %u, %v : memref<?x192xbf16>, memref<3x64x64xbf16>, memref<128x32xbf16>, memref<192x32xbf16>) gamma(%g : memref<?xf32>) outs(%y : memref<?x128xbf16>) layout(#l) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 128, tile_k = 64, consumers = 1, stages = 2, cluster_m = 1, cluster_n = 1>, pixelfly.gpu_panel_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 64, consumers = 1, stages = 2, cluster_m = 1, cluster_n = 1>}
  return
}
