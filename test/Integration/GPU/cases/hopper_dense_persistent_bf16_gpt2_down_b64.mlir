// hopper_dense_bf16_gpt2_down_b64 on a persistent grid of 132 thread
// blocks (one per SM of the H100 SXM / H200), each walking output tiles
// 132 apart with its ring running on across them, so a tile's epilogue
// overlaps the next tile's loads. Its BASELINE is the same kernel with a
// thread block per tile. Compiled for sm_90a.
// CHIP: sm_90a
// M: 37, 2048
// BASELINE: hopper_dense_bf16_gpt2_down_b64
#l = #pixelfly.block_layout<shape = 1024x4096, block = 64x64, source = #pixelfly.flat_butterfly<butterfly_size = 2, n_factors = 1, block = 64>>
func.func @product(%x: memref<?x4096xbf16>, %b: memref<1024x64x64xbf16>, %y: memref<?x1024xf32>) attributes {llvm.emit_c_interface} {
  %xt = bufferization.to_tensor %x restrict : memref<?x4096xbf16> to tensor<?x4096xbf16>
  %bt = bufferization.to_tensor %b restrict : memref<1024x64x64xbf16> to tensor<1024x64x64xbf16>
  %yt = bufferization.to_tensor %y restrict writable : memref<?x1024xf32> to tensor<?x1024xf32>
  %r = pixelfly.block_sparse_matmul ins(%xt, %bt : tensor<?x4096xbf16>, tensor<1024x64x64xbf16>) outs(%yt : tensor<?x1024xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 256, tile_k = 64, consumers = 2, stages = 4, cluster_m = 1, cluster_n = 1, persistent = 132>} -> tensor<?x1024xf32>
  bufferization.materialize_in_destination %r in restrict writable %y : (tensor<?x1024xf32>, memref<?x1024xf32>) -> ()
  return
}
