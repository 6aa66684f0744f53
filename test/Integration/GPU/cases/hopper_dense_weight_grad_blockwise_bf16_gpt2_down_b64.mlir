// hopper_dense_weight_grad_bf16_gpt2_down_b64 one 64 x 64 block per thread
// block (1024 of them, one consumer warpgroup, m64n64k16): the tiles'
// baseline. Compiled for sm_90a.
// CHIP: sm_90a
// M: 37, 2048
#l = #pixelfly.block_layout<shape = 1024x4096, block = 64x64, source = #pixelfly.flat_butterfly<butterfly_size = 2, n_factors = 1, block = 64>>
func.func @product(%dy: memref<?x1024xbf16>, %x: memref<?x4096xbf16>, %db: memref<1024x64x64xf32>) attributes {llvm.emit_c_interface} {
  %dyt = bufferization.to_tensor %dy restrict : memref<?x1024xbf16> to tensor<?x1024xbf16>
  %xt = bufferization.to_tensor %x restrict : memref<?x4096xbf16> to tensor<?x4096xbf16>
  %dbt = bufferization.to_tensor %db restrict writable : memref<1024x64x64xf32> to tensor<1024x64x64xf32>
  %r = pixelfly.block_sparse_weight_grad ins(%dyt, %xt : tensor<?x1024xbf16>, tensor<?x4096xbf16>) outs(%dbt : tensor<1024x64x64xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 64, consumers = 1, stages = 4, cluster_m = 1, cluster_n = 1>} -> tensor<1024x64x64xf32>
  bufferization.materialize_in_destination %r in restrict writable %db : (tensor<1024x64x64xf32>, memref<1024x64x64xf32>) -> ()
  return
}
