// RUN: pixelfly-opt --pixelfly-gpu-config --convert-pixelfly-to-gpu %s -verify-diagnostics -o /dev/null
// Was: 15 s and 6.4 GB to emit a 512 MB constant tile table
// (memref<33554432x4xi32>) for a four-line low-rank product.

func.func @f(%x: memref<16x4294967296xf32>, %u: memref<4294967296x16xf32>, %v: memref<4294967296x16xf32>, %y: memref<16x4294967296xf32>) {
  // expected-remark-re @+1 {{convert-pixelfly-to-gpu: left unchanged: N = 4294967296 in tiles of {{[0-9]+}} is more than 1048576 tiles}}
  pixelfly.low_rank_matmul ins(%x, %u, %v : memref<16x4294967296xf32>, memref<4294967296x16xf32>, memref<4294967296x16xf32>) outs(%y : memref<16x4294967296xf32>)
  return
}
