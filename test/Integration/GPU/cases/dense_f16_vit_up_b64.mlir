// The dense baseline of the same generator: the ViT-B up-projection (3072 x
// 768, 64 x 64 blocks, f16) with every block stored (a 2 x 2 butterfly with
// one factor is all ones), so the block-sparse kernel runs as a dense GEMM.
// The sparse cases of this shape name it in their BASELINE line; device-
// check.sh prints their speedups.
// M: 197, 1024
#l = #pixelfly.block_layout<shape = 3072x768, block = 64x64, source = #pixelfly.flat_butterfly<butterfly_size = 2, n_factors = 1, block = 64>>
func.func @product(%x: memref<?x768xf16>, %b: memref<576x64x64xf16>, %y: memref<?x3072xf32>) attributes {llvm.emit_c_interface} {
  %xt = bufferization.to_tensor %x restrict : memref<?x768xf16> to tensor<?x768xf16>
  %bt = bufferization.to_tensor %b restrict : memref<576x64x64xf16> to tensor<576x64x64xf16>
  %yt = bufferization.to_tensor %y restrict writable : memref<?x3072xf32> to tensor<?x3072xf32>
  %r = pixelfly.block_sparse_matmul ins(%xt, %bt : tensor<?x768xf16>, tensor<576x64x64xf16>) outs(%yt : tensor<?x3072xf32>) layout(#l) -> tensor<?x3072xf32>
  bufferization.materialize_in_destination %r in restrict writable %y : (tensor<?x3072xf32>, memref<?x3072xf32>) -> ()
  return
}
