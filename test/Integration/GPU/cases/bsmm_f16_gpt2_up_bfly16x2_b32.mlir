// Block-sparse forward product, f16, N x K = 4096 x 1024 on a flat butterfly
// 16/2 of 32 x 32 blocks, f32 accumulator; ragged token counts.
// M: 37, 200, 2048
// BASELINE: dense_f16_gpt2_up_b32
#l = #pixelfly.block_layout<shape = 4096x1024, block = 32x32, source = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 2, block = 32>>
func.func @product(%x: memref<?x1024xf16>, %b: memref<768x32x32xf16>, %y: memref<?x4096xf32>) attributes {llvm.emit_c_interface} {
  %xt = bufferization.to_tensor %x restrict : memref<?x1024xf16> to tensor<?x1024xf16>
  %bt = bufferization.to_tensor %b restrict : memref<768x32x32xf16> to tensor<768x32x32xf16>
  %yt = bufferization.to_tensor %y restrict writable : memref<?x4096xf32> to tensor<?x4096xf32>
  %r = pixelfly.block_sparse_matmul ins(%xt, %bt : tensor<?x1024xf16>, tensor<768x32x32xf16>) outs(%yt : tensor<?x4096xf32>) layout(#l) -> tensor<?x4096xf32>
  bufferization.materialize_in_destination %r in restrict writable %y : (tensor<?x4096xf32>, memref<?x4096xf32>) -> ()
  return
}
