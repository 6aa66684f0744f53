// pixelfly.prune_2_4 (memref form) on the GPU: one thread per metadata
// word (16 columns of a row).
func.func @prune(%w: memref<32x64xf16>, %v: memref<32x32xf16>, %m: memref<32x4xi16>) {
  pixelfly.prune_2_4 ins(%w : memref<32x64xf16>) outs(%v, %m : memref<32x32xf16>, memref<32x4xi16>)
  return
}
