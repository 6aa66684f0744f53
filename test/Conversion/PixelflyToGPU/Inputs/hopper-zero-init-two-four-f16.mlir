// A zero-filled f16 output of a 2:4 product on the Hopper family: the fill
// is folded into the kernel, whose transposed register epilogue then only
// stores; ragged M.
func.func @two_four(%x: memref<?x128xf16>, %v: memref<128x64xf16>, %m: memref<128x8xi16>, %y: memref<?x128xf16>) {
  %zero = arith.constant 0.0 : f16
  linalg.fill ins(%zero : f16) outs(%y : memref<?x128xf16>)
  pixelfly.two_four_matmul ins(%x, %v, %m : memref<?x128xf16>, memref<128x64xf16>, memref<128x8xi16>) outs(%y : memref<?x128xf16>) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 128, tile_k = 128, consumers = 1, stages = 2, cluster_m = 1, cluster_n = 1>}
  return
}
