// An attention's scores Q K^T over 16 heads (bf16, head size 64, 1024 keys,
// a dynamic number of queries, f32 scores accumulated into the output),
// written as torch-mlir lowers it: linalg.transpose of K, then
// linalg.batch_matmul. pixelfly-dense-products makes the batch one product
// on a block-diagonal layout (head h's block rows read head h's block
// columns: 16 x 16 blocks of 64 x 64), the Hopper family's kernel, with Q
// and the scores moved to queries x (heads x columns) and back.
// CHIP: sm_90a
// M: 37, 1024
func.func @product(%q: memref<16x?x64xbf16>, %k: memref<16x1024x64xbf16>, %s: memref<16x?x1024xf32>) attributes {llvm.emit_c_interface} {
  %qt = bufferization.to_tensor %q restrict : memref<16x?x64xbf16> to tensor<16x?x64xbf16>
  %kt = bufferization.to_tensor %k restrict : memref<16x1024x64xbf16> to tensor<16x1024x64xbf16>
  %st = bufferization.to_tensor %s restrict writable : memref<16x?x1024xf32> to tensor<16x?x1024xf32>
  %e = tensor.empty() : tensor<16x64x1024xbf16>
  %ktt = linalg.transpose ins(%kt : tensor<16x1024x64xbf16>) outs(%e : tensor<16x64x1024xbf16>) permutation = [0, 2, 1]
  %r = linalg.batch_matmul ins(%qt, %ktt : tensor<16x?x64xbf16>, tensor<16x64x1024xbf16>) outs(%st : tensor<16x?x1024xf32>) -> tensor<16x?x1024xf32>
  bufferization.materialize_in_destination %r in restrict writable %s : (tensor<16x?x1024xf32>, memref<16x?x1024xf32>) -> ()
  return
}
