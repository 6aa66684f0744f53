// Weight gradient of the block-sparse GPT-2-medium up-projection, f32
// operands run as TF32 (exact on these fills): dB_p = dY[:, r]^T X[:, c]
// for the 768 stored 32 x 32 blocks of a flat butterfly 16/2 (W 4096 x
// 1024); ragged token counts (the reduction runs over M).
// M: 37, 200, 2048
// BASELINE: dense_weight_grad_f32_gpt2_up_b32
#l = #pixelfly.block_layout<shape = 4096x1024, block = 32x32, source = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 2, block = 32>>
func.func @product(%dy: memref<?x4096xf32>, %x: memref<?x1024xf32>, %db: memref<768x32x32xf32>) attributes {llvm.emit_c_interface} {
  %dyt = bufferization.to_tensor %dy restrict : memref<?x4096xf32> to tensor<?x4096xf32>
  %xt = bufferization.to_tensor %x restrict : memref<?x1024xf32> to tensor<?x1024xf32>
  %dbt = bufferization.to_tensor %db restrict writable : memref<768x32x32xf32> to tensor<768x32x32xf32>
  %r = pixelfly.block_sparse_weight_grad ins(%dyt, %xt : tensor<?x4096xf32>, tensor<?x1024xf32>) outs(%dbt : tensor<768x32x32xf32>) layout(#l) -> tensor<768x32x32xf32>
  bufferization.materialize_in_destination %r in restrict writable %db : (tensor<768x32x32xf32>, memref<768x32x32xf32>) -> ()
  return
}
