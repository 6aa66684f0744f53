// hopper_bf16_gpt2_down_bfly32x3_b64 on the schedule pixelfly-gpu-config
// chooses for sm_90a (no configuration here): 128 x 128 tiles over two
// consumer warpgroups of 64 rows, 4 stages of 32 KB.
// CHIP: sm_90a
// M: 37, 2048
// BASELINE: hopper_dense_bf16_gpt2_down_b64
#l = #pixelfly.block_layout<shape = 1024x4096, block = 64x64, source = #pixelfly.flat_butterfly<butterfly_size = 32, n_factors = 3, block = 64>>
func.func @product(%x: memref<?x4096xbf16>, %b: memref<192x64x64xbf16>, %y: memref<?x1024xf32>) attributes {llvm.emit_c_interface} {
  %xt = bufferization.to_tensor %x restrict : memref<?x4096xbf16> to tensor<?x4096xbf16>
  %bt = bufferization.to_tensor %b restrict : memref<192x64x64xbf16> to tensor<192x64x64xbf16>
  %yt = bufferization.to_tensor %y restrict writable : memref<?x1024xf32> to tensor<?x1024xf32>
  %r = pixelfly.block_sparse_matmul ins(%xt, %bt : tensor<?x4096xbf16>, tensor<192x64x64xbf16>) outs(%yt : tensor<?x1024xf32>) layout(#l) -> tensor<?x1024xf32>
  bufferization.materialize_in_destination %r in restrict writable %y : (tensor<?x1024xf32>, memref<?x1024xf32>) -> ()
  return
}
