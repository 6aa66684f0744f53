// The dense baseline of the same generator: the input gradient of the
// GPT-2-medium up-projection (f32) with every block stored (a 2 x 2
// butterfly with one factor is all ones), so the block-sparse kernel runs as
// a dense GEMM. The sparse cases of this shape name it in their BASELINE
// line; device-check.sh prints their speedups.
// M: 37, 200, 2048
#l = #pixelfly.block_layout<shape = 4096x1024, block = 32x32, source = #pixelfly.flat_butterfly<butterfly_size = 2, n_factors = 1, block = 32>>
func.func @product(%dy: memref<?x4096xf32>, %b: memref<4096x32x32xf32>, %dx: memref<?x1024xf32>) attributes {llvm.emit_c_interface} {
  %dyt = bufferization.to_tensor %dy restrict : memref<?x4096xf32> to tensor<?x4096xf32>
  %bt = bufferization.to_tensor %b restrict : memref<4096x32x32xf32> to tensor<4096x32x32xf32>
  %dxt = bufferization.to_tensor %dx restrict writable : memref<?x1024xf32> to tensor<?x1024xf32>
  %r = pixelfly.block_sparse_input_grad ins(%dyt, %bt : tensor<?x4096xf32>, tensor<4096x32x32xf32>) outs(%dxt : tensor<?x1024xf32>) layout(#l) -> tensor<?x1024xf32>
  bufferization.materialize_in_destination %r in restrict writable %dx : (tensor<?x1024xf32>, memref<?x1024xf32>) -> ()
  return
}
