// The dense baseline of the same generator: the ViT-B down-projection (768 x
// 3072, 32 x 32 blocks, bf16) with every block stored (a 2 x 2 butterfly
// with one factor is all ones), so the block-sparse kernel runs as a dense
// GEMM. The sparse cases of this shape name it in their BASELINE line;
// device-check.sh prints their speedups.
// M: 197
#l = #pixelfly.block_layout<shape = 768x3072, block = 32x32, source = #pixelfly.flat_butterfly<butterfly_size = 2, n_factors = 1, block = 32>>
func.func @product(%x: memref<?x3072xbf16>, %b: memref<2304x32x32xbf16>, %y: memref<?x768xf32>) attributes {llvm.emit_c_interface} {
  %xt = bufferization.to_tensor %x restrict : memref<?x3072xbf16> to tensor<?x3072xbf16>
  %bt = bufferization.to_tensor %b restrict : memref<2304x32x32xbf16> to tensor<2304x32x32xbf16>
  %yt = bufferization.to_tensor %y restrict writable : memref<?x768xf32> to tensor<?x768xf32>
  %r = pixelfly.block_sparse_matmul ins(%xt, %bt : tensor<?x3072xbf16>, tensor<2304x32x32xbf16>) outs(%yt : tensor<?x768xf32>) layout(#l) -> tensor<?x768xf32>
  bufferization.materialize_in_destination %r in restrict writable %y : (tensor<?x768xf32>, memref<?x768xf32>) -> ()
  return
}
