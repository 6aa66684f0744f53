// RUN: pixelfly-opt --pixelfly-gpu-config --convert-pixelfly-to-gpu %s -verify-diagnostics -o /dev/null
// Fuzz finding (seed 20261204, run 25007, from
// test/Integration/GPU/cases/dense_weight_grad_f32_gpt2_up_b32.mlir with
// 4096 -> 16777216): the weight gradient's kernel has one tile per stored
// block, and all 2^24 were built before the tile bound was checked (out of
// memory under a 4 GB limit). The count is now checked first; here 2^21
// blocks, twice the bound.
#l = #pixelfly.block_layout<shape = 2097152x1024, block = 32x32, source = #pixelfly.flat_butterfly<butterfly_size = 2, n_factors = 1, block = 32>>
func.func @product(%dy: memref<64x2097152xf32>, %x: memref<64x1024xf32>, %db: memref<2097152x32x32xf32>) {
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: 2097152 tiles (a kernel takes at most 1048576)}}
  pixelfly.block_sparse_weight_grad ins(%dy, %x : memref<64x2097152xf32>, memref<64x1024xf32>) outs(%db : memref<2097152x32x32xf32>) layout(#l)
  return
}
