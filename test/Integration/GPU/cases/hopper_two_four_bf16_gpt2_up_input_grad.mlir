// two_four_bf16_gpt2_up_input_grad on the Hopper family's sparse wgmma
// kernel (the schedule pixelfly-gpu-config chooses for sm_90a): dX = dY W
// with the compressed W^T of a transposable mask (1024 x 4096 -> 1024 x
// 2048 values, 1024 x 256 metadata words) as the 2:4 weight; bf16, f32
// accumulator, ragged token counts, a K of 4096 (32 k-tiles through the
// ring). Exact on these fills.
// CHIP: sm_90a
// M: 37, 200, 2048
// BASELINE: two_four_bf16_gpt2_up_input_grad
func.func @product(%dy: memref<?x4096xbf16>, %vt: memref<1024x2048xbf16>, %mt: memref<1024x256xi16>, %dx: memref<?x1024xf32>) attributes {llvm.emit_c_interface} {
  %dyt = bufferization.to_tensor %dy restrict : memref<?x4096xbf16> to tensor<?x4096xbf16>
  %vtt = bufferization.to_tensor %vt restrict : memref<1024x2048xbf16> to tensor<1024x2048xbf16>
  %mtt = bufferization.to_tensor %mt restrict : memref<1024x256xi16> to tensor<1024x256xi16>
  %dxt = bufferization.to_tensor %dx restrict writable : memref<?x1024xf32> to tensor<?x1024xf32>
  %r = pixelfly.two_four_matmul ins(%dyt, %vtt, %mtt : tensor<?x4096xbf16>, tensor<1024x2048xbf16>, tensor<1024x256xi16>) outs(%dxt : tensor<?x1024xf32>) -> tensor<?x1024xf32>
  bufferization.materialize_in_destination %r in restrict writable %dx : (tensor<?x1024xf32>, memref<?x1024xf32>) -> ()
  return
}
