// The transposable pixelfly.prune_2_4 on the GPU: one thread per 16 x 16
// block (4 x 4 tiles, best of 90 masks each), writing W's and W^T's
// compressed values and whole metadata words.
func.func @prune(%w: memref<32x64xf16>, %v: memref<32x32xf16>, %m: memref<32x4xi16>, %vt: memref<64x16xf16>, %mt: memref<64x2xi16>) {
  pixelfly.prune_2_4 transposable ins(%w : memref<32x64xf16>) outs(%v, %m, %vt, %mt : memref<32x32xf16>, memref<32x4xi16>, memref<64x16xf16>, memref<64x2xi16>)
  return
}
