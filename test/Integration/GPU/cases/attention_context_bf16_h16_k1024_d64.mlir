// An attention's context P V over 16 heads (bf16 probabilities over 1024
// keys, head size 64, a dynamic number of queries, f32 output accumulated
// into), a linalg.batch_matmul. pixelfly-dense-products makes the batch one
// input-gradient-form product on a block-diagonal layout (head h's 16
// block rows of V read head h's block column, 64 x 64 blocks), the Hopper
// family's kernel, with P and the output moved to queries x (heads x
// columns) and back.
// CHIP: sm_90a
// M: 37, 1024
func.func @product(%p: memref<16x?x1024xbf16>, %v: memref<16x1024x64xbf16>, %o: memref<16x?x64xf32>) attributes {llvm.emit_c_interface} {
  %pt = bufferization.to_tensor %p restrict : memref<16x?x1024xbf16> to tensor<16x?x1024xbf16>
  %vt = bufferization.to_tensor %v restrict : memref<16x1024x64xbf16> to tensor<16x1024x64xbf16>
  %ot = bufferization.to_tensor %o restrict writable : memref<16x?x64xf32> to tensor<16x?x64xf32>
  %r = linalg.batch_matmul ins(%pt, %vt : tensor<16x?x1024xbf16>, tensor<16x1024x64xbf16>) outs(%ot : tensor<16x?x64xf32>) -> tensor<16x?x64xf32>
  bufferization.materialize_in_destination %r in restrict writable %o : (tensor<16x?x64xf32>, memref<16x?x64xf32>) -> ()
  return
}
