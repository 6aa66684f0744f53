// Block-sparse forward product, f16, N x K = 3072 x 768 on a flat butterfly
// 16/3 of 64 x 64 blocks, f32 accumulator; ragged token counts.
// M: 197, 1024
// BASELINE: dense_f16_vit_up_b64
#l = #pixelfly.block_layout<shape = 3072x768, block = 64x64, source = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 3, block = 64>>
func.func @product(%x: memref<?x768xf16>, %b: memref<216x64x64xf16>, %y: memref<?x3072xf32>) attributes {llvm.emit_c_interface} {
  %xt = bufferization.to_tensor %x restrict : memref<?x768xf16> to tensor<?x768xf16>
  %bt = bufferization.to_tensor %b restrict : memref<216x64x64xf16> to tensor<216x64x64xf16>
  %yt = bufferization.to_tensor %y restrict writable : memref<?x3072xf32> to tensor<?x3072xf32>
  %r = pixelfly.block_sparse_matmul ins(%xt, %bt : tensor<?x768xf16>, tensor<216x64x64xf16>) outs(%yt : tensor<?x3072xf32>) layout(#l) -> tensor<?x3072xf32>
  bufferization.materialize_in_destination %r in restrict writable %y : (tensor<?x3072xf32>, memref<?x3072xf32>) -> ()
  return
}
