// hopper-linear-bf16.mlir given the caller's X V (M x 16, random in the
// emulator): the Hopper kernel reads its boxes in T's place and weighs the
// panel by 1 - 0.25 in the epilogue; no panel kernel.
#l = #pixelfly.block_layout<shape = 256x256, block = 64x64, row_ptr = [0, 3, 6, 7, 7], col_idx = [0, 1, 3, 0, 1, 3, 2]>
func.func @lin(%x: memref<?x256xbf16>, %b: memref<7x64x64xbf16>, %u: memref<256x16xbf16>, %v: memref<256x16xbf16>, %xv: memref<?x16xbf16>, %y: memref<?x256xf32>) {
  pixelfly.linear ins(%x, %b, %u, %v : memref<?x256xbf16>, memref<7x64x64xbf16>, memref<256x16xbf16>, memref<256x16xbf16>) xv(%xv : memref<?x16xbf16>) gamma(0.25) outs(%y : memref<?x256xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 2, stages = 2, cluster_m = 1, cluster_n = 1>}
  return
}
