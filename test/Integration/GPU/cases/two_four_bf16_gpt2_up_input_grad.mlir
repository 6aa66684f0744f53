// The input gradient of a 2:4 GPT-2-medium up-projection with a
// transposable mask, dX = dY W = dY (W^T)^T: the same 2:4 kernel with the
// compressed W^T (1024 x 4096 -> 1024 x 2048 values, 1024 x 256 metadata
// words; 2:4 along N thanks to the transposable mask) as its weight. bf16,
// f32 accumulator; ragged token counts. Exact on these fills.
// M: 37, 200, 2048
// BASELINE: dense_input_grad_f16_gpt2_up_b32
func.func @product(%dy: memref<?x4096xbf16>, %vt: memref<1024x2048xbf16>, %mt: memref<1024x256xi16>, %dx: memref<?x1024xf32>) attributes {llvm.emit_c_interface} {
  %dyt = bufferization.to_tensor %dy restrict : memref<?x4096xbf16> to tensor<?x4096xbf16>
  %vtt = bufferization.to_tensor %vt restrict : memref<1024x2048xbf16> to tensor<1024x2048xbf16>
  %mtt = bufferization.to_tensor %mt restrict : memref<1024x256xi16> to tensor<1024x256xi16>
  %dxt = bufferization.to_tensor %dx restrict writable : memref<?x1024xf32> to tensor<?x1024xf32>
  %r = pixelfly.two_four_matmul ins(%dyt, %vtt, %mtt : tensor<?x4096xbf16>, tensor<1024x2048xbf16>, tensor<1024x256xi16>) outs(%dxt : tensor<?x1024xf32>) -> tensor<?x1024xf32>
  bufferization.materialize_in_destination %r in restrict writable %dx : (tensor<?x1024xf32>, memref<?x1024xf32>) -> ()
  return
}
