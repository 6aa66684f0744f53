// pixelfly.linear in f32 (TF32): per-row gamma, a rank-12 panel (three of
// the eight 4-element chunks of a 32-wide k-tile, the rest zero-filled).
#l = #pixelfly.block_layout<shape = 256x128, block = 32x32, row_ptr = [0, 2, 4, 6, 6, 7, 9, 11, 15], col_idx = [0, 2, 0, 2, 0, 2, 1, 1, 3, 1, 3, 0, 1, 2, 3]>
func.func @linear(%x: memref<?x128xf32>, %b: memref<15x32x32xf32>, %u: memref<256x12xf32>, %v: memref<128x12xf32>, %g: memref<?xf32>, %y: memref<?x256xf32>) {
  pixelfly.linear ins(%x, %b, %u, %v : memref<?x128xf32>, memref<15x32x32xf32>, memref<256x12xf32>, memref<128x12xf32>) gamma(%g : memref<?xf32>) outs(%y : memref<?x256xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 3>}
  return
}
