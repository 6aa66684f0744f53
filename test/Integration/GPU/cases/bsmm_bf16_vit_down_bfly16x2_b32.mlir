// Block-sparse forward product, bf16, N x K = 768 x 3072 on a flat butterfly
// 16/2 of 32 x 32 blocks, f32 accumulator; ragged token counts.
// M: 197
// BASELINE: dense_bf16_vit_down_b32
#l = #pixelfly.block_layout<shape = 768x3072, block = 32x32, source = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 2, block = 32>>
func.func @product(%x: memref<?x3072xbf16>, %b: memref<480x32x32xbf16>, %y: memref<?x768xf32>) attributes {llvm.emit_c_interface} {
  %xt = bufferization.to_tensor %x restrict : memref<?x3072xbf16> to tensor<?x3072xbf16>
  %bt = bufferization.to_tensor %b restrict : memref<480x32x32xbf16> to tensor<480x32x32xbf16>
  %yt = bufferization.to_tensor %y restrict writable : memref<?x768xf32> to tensor<?x768xf32>
  %r = pixelfly.block_sparse_matmul ins(%xt, %bt : tensor<?x3072xbf16>, tensor<480x32x32xbf16>) outs(%yt : tensor<?x768xf32>) layout(#l) -> tensor<?x768xf32>
  bufferization.materialize_in_destination %r in restrict writable %y : (tensor<?x768xf32>, memref<?x768xf32>) -> ()
  return
}
