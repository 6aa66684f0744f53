// A zero-filled f16 output of a 2:4 product: the fill is folded into the
// kernel, whose transposed epilogue then only stores; ragged M.
func.func @two_four(%x: memref<?x128xf16>, %v: memref<64x64xf16>, %m: memref<64x8xi16>, %y: memref<?x64xf16>) {
  %zero = arith.constant 0.0 : f16
  linalg.fill ins(%zero : f16) outs(%y : memref<?x64xf16>)
  pixelfly.two_four_matmul ins(%x, %v, %m : memref<?x128xf16>, memref<64x64xf16>, memref<64x8xi16>) outs(%y : memref<?x64xf16>)
  return
}
