// The dense weight gradient dW = dY^T X of the GPT-2-medium down-projection
// (1024 x 4096, every 64 x 64 block stored: what pixelfly-dense-products
// makes of a dense dW, the 2:4 step's straight-through gradient) through
// the Hopper family in tiles of 2 x 4 blocks: 128 x 256 over two consumer
// warpgroups (m64n256k16 each), 4 stages of 48 KB, 128 thread blocks. Its
// BASELINE is the same kernel one block per thread block, so the device
// check prints what the tiles gain. Compiled for sm_90a.
// CHIP: sm_90a
// M: 37, 2048
// BASELINE: hopper_dense_weight_grad_blockwise_bf16_gpt2_down_b64
#l = #pixelfly.block_layout<shape = 1024x4096, block = 64x64, source = #pixelfly.flat_butterfly<butterfly_size = 2, n_factors = 1, block = 64>>
func.func @product(%dy: memref<?x1024xbf16>, %x: memref<?x4096xbf16>, %db: memref<1024x64x64xf32>) attributes {llvm.emit_c_interface} {
  %dyt = bufferization.to_tensor %dy restrict : memref<?x1024xbf16> to tensor<?x1024xbf16>
  %xt = bufferization.to_tensor %x restrict : memref<?x4096xbf16> to tensor<?x4096xbf16>
  %dbt = bufferization.to_tensor %db restrict writable : memref<1024x64x64xf32> to tensor<1024x64x64xf32>
  %r = pixelfly.block_sparse_weight_grad ins(%dyt, %xt : tensor<?x1024xbf16>, tensor<?x4096xbf16>) outs(%dbt : tensor<1024x64x64xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 256, tile_k = 64, consumers = 2, stages = 4, cluster_m = 1, cluster_n = 1>} -> tensor<1024x64x64xf32>
  bufferization.materialize_in_destination %r in restrict writable %db : (tensor<1024x64x64xf32>, memref<1024x64x64xf32>) -> ()
  return
}
