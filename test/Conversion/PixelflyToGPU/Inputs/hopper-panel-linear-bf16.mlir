// Hopper family, pixelfly.linear with the panel's first kernel on the
// family too (T = (1 - g) X V: V, 256 x 48, read as stored in one 64-column
// box whose columns past the rank arrive as zeros; m64n64k16 with an
// MN-major B; the 48 columns of T stored, scaled by 1 - g); one consumer,
// 2 stages, three m-tiles at M = 150. The main kernel as in
// hopper-linear-bf16.mlir.
#l = #pixelfly.block_layout<shape = 256x256, block = 64x64, row_ptr = [0, 3, 6, 7, 7], col_idx = [0, 1, 3, 0, 1, 3, 2]>
func.func @lin(%x: memref<?x256xbf16>, %b: memref<7x64x64xbf16>, %u: memref<256x48xbf16>, %v: memref<256x48xbf16>, %y: memref<?x256xf32>) {
  pixelfly.linear ins(%x, %b, %u, %v : memref<?x256xbf16>, memref<7x64x64xbf16>, memref<256x48xbf16>, memref<256x48xbf16>) gamma(0.25) outs(%y : memref<?x256xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 2, stages = 2, cluster_m = 1, cluster_n = 1>, pixelfly.gpu_panel_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 64, consumers = 1, stages = 2, cluster_m = 1, cluster_n = 1>}
  return
}
