// Block-sparse forward product, f32 operands run as TF32 (m16n8k8, rounded
// to nearest; the fills are exact in TF32, so the comparison is exact),
// N x K = 4096 x 1024 on a flat butterfly 16/2 of 32 x 32 blocks, f32
// accumulator; ragged token counts.
// M: 37, 200, 2048
// BASELINE: dense_f32_gpt2_up_b32
#l = #pixelfly.block_layout<shape = 4096x1024, block = 32x32, source = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 2, block = 32>>
func.func @product(%x: memref<?x1024xf32>, %b: memref<768x32x32xf32>, %y: memref<?x4096xf32>) attributes {llvm.emit_c_interface} {
  %xt = bufferization.to_tensor %x restrict : memref<?x1024xf32> to tensor<?x1024xf32>
  %bt = bufferization.to_tensor %b restrict : memref<768x32x32xf32> to tensor<768x32x32xf32>
  %yt = bufferization.to_tensor %y restrict writable : memref<?x4096xf32> to tensor<?x4096xf32>
  %r = pixelfly.block_sparse_matmul ins(%xt, %bt : tensor<?x1024xf32>, tensor<768x32x32xf32>) outs(%yt : tensor<?x4096xf32>) layout(#l) -> tensor<?x4096xf32>
  bufferization.materialize_in_destination %r in restrict writable %y : (tensor<?x4096xf32>, memref<?x4096xf32>) -> ()
  return
}
