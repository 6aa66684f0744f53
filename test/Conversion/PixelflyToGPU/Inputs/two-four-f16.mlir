// pixelfly.two_four_matmul in f16 with metadata known at run time (an
// argument: each thread assembles its word from two rows of the row-major
// metadata), with pixelfly-gpu-config's tiling for a dynamic M; ragged M.
func.func @two_four(%x: memref<?x128xf16>, %v: memref<64x64xf16>, %m: memref<64x8xi16>, %y: memref<?x64xf32>) {
  pixelfly.two_four_matmul ins(%x, %v, %m : memref<?x128xf16>, memref<64x64xf16>, memref<64x8xi16>) outs(%y : memref<?x64xf32>)
  return
}
