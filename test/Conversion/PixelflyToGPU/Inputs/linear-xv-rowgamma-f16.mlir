// linear-rowgamma-f16.mlir given the caller's X V (M x 16, an argument of
// its own, random in the emulator, so a kernel computing X V instead
// fails): its first kernel only scales it by 1 - g(m); the panel
// configuration has no product left to configure.
#l = #pixelfly.block_layout<shape = 256x128, block = 32x32, row_ptr = [0, 2, 4, 6, 6, 7, 9, 11, 15], col_idx = [0, 2, 0, 2, 0, 2, 1, 1, 3, 1, 3, 0, 1, 2, 3]>
func.func @linear(%x: memref<?x128xf16>, %b: memref<15x32x32xf16>, %u: memref<256x16xf16>, %v: memref<128x16xf16>, %xv: memref<?x16xf16>, %g: memref<?xf32>, %y: memref<?x256xf32>) {
  pixelfly.linear ins(%x, %b, %u, %v : memref<?x128xf16>, memref<15x32x32xf16>, memref<256x16xf16>, memref<128x16xf16>) xv(%xv : memref<?x16xf16>) gamma(%g : memref<?xf32>) outs(%y : memref<?x256xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 3>, pixelfly.gpu_panel_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 16, tile_k = 64, warps_m = 4, warps_n = 1, stages = 3>}
  return
}
