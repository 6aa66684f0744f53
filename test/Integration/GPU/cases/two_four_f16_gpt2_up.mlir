// 2:4 forward product of the GPT-2-medium up-projection on the sparse
// tensor cores (mma.sp m16n8k32, Y^T = W X^T): W 4096 x 1024 compressed
// to 4096 x 512 values and 4096 x 64 metadata words given at run time
// (valid nibbles, varied); f16, f32 accumulator; ragged token counts.
// Exact: the fills are small multiples of 1/8.
// M: 37, 200, 2048
// BASELINE: dense_f16_gpt2_up_b32
func.func @product(%x: memref<?x1024xf16>, %v: memref<4096x512xf16>, %m: memref<4096x64xi16>, %y: memref<?x4096xf32>) attributes {llvm.emit_c_interface} {
  %xt = bufferization.to_tensor %x restrict : memref<?x1024xf16> to tensor<?x1024xf16>
  %vt = bufferization.to_tensor %v restrict : memref<4096x512xf16> to tensor<4096x512xf16>
  %mt = bufferization.to_tensor %m restrict : memref<4096x64xi16> to tensor<4096x64xi16>
  %yt = bufferization.to_tensor %y restrict writable : memref<?x4096xf32> to tensor<?x4096xf32>
  %r = pixelfly.two_four_matmul ins(%xt, %vt, %mt : tensor<?x1024xf16>, tensor<4096x512xf16>, tensor<4096x64xi16>) outs(%yt : tensor<?x4096xf32>) -> tensor<?x4096xf32>
  bufferization.materialize_in_destination %r in restrict writable %y : (tensor<?x4096xf32>, memref<?x4096xf32>) -> ()
  return
}
