// Input gradient of the block-sparse GPT-2-medium up-projection, f16: dX
// (M x 1024) = dY (M x 4096) * W, W 4096 x 1024 on a flat butterfly 16/2 of
// 32 x 32 blocks, f32 accumulator; ragged token counts.
// M: 37, 200, 2048
// BASELINE: dense_input_grad_f16_gpt2_up_b32
#l = #pixelfly.block_layout<shape = 4096x1024, block = 32x32, source = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 2, block = 32>>
func.func @product(%dy: memref<?x4096xf16>, %b: memref<768x32x32xf16>, %dx: memref<?x1024xf32>) attributes {llvm.emit_c_interface} {
  %dyt = bufferization.to_tensor %dy restrict : memref<?x4096xf16> to tensor<?x4096xf16>
  %bt = bufferization.to_tensor %b restrict : memref<768x32x32xf16> to tensor<768x32x32xf16>
  %dxt = bufferization.to_tensor %dx restrict writable : memref<?x1024xf32> to tensor<?x1024xf32>
  %r = pixelfly.block_sparse_input_grad ins(%dyt, %bt : tensor<?x4096xf16>, tensor<768x32x32xf16>) outs(%dxt : tensor<?x1024xf32>) layout(#l) -> tensor<?x1024xf32>
  bufferization.materialize_in_destination %r in restrict writable %dx : (tensor<?x1024xf32>, memref<?x1024xf32>) -> ()
  return
}
