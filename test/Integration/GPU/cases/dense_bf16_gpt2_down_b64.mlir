// The dense baseline of the same generator: the GPT-2-medium down-projection
// (1024 x 4096, 64 x 64 blocks, bf16) with every block stored (a 2 x 2
// butterfly with one factor is all ones), so the block-sparse kernel runs as
// a dense GEMM. The sparse cases of this shape name it in their BASELINE
// line; device-check.sh prints their speedups.
// M: 37, 2048
#l = #pixelfly.block_layout<shape = 1024x4096, block = 64x64, source = #pixelfly.flat_butterfly<butterfly_size = 2, n_factors = 1, block = 64>>
func.func @product(%x: memref<?x4096xbf16>, %b: memref<1024x64x64xbf16>, %y: memref<?x1024xf32>) attributes {llvm.emit_c_interface} {
  %xt = bufferization.to_tensor %x restrict : memref<?x4096xbf16> to tensor<?x4096xbf16>
  %bt = bufferization.to_tensor %b restrict : memref<1024x64x64xbf16> to tensor<1024x64x64xbf16>
  %yt = bufferization.to_tensor %y restrict writable : memref<?x1024xf32> to tensor<?x1024xf32>
  %r = pixelfly.block_sparse_matmul ins(%xt, %bt : tensor<?x4096xbf16>, tensor<1024x64x64xbf16>) outs(%yt : tensor<?x1024xf32>) layout(#l) -> tensor<?x1024xf32>
  bufferization.materialize_in_destination %r in restrict writable %y : (tensor<?x1024xf32>, memref<?x1024xf32>) -> ()
  return
}
