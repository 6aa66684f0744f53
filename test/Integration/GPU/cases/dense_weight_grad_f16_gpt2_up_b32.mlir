// The dense baseline of the same generator: the weight gradient of the
// GPT-2-medium up-projection (f16; every block) with every block stored (a 2
// x 2 butterfly with one factor is all ones), so the block-sparse kernel
// runs as a dense GEMM. The sparse cases of this shape name it in their
// BASELINE line; device-check.sh prints their speedups.
// M: 37, 200, 2048
#l = #pixelfly.block_layout<shape = 4096x1024, block = 32x32, source = #pixelfly.flat_butterfly<butterfly_size = 2, n_factors = 1, block = 32>>
func.func @product(%dy: memref<?x4096xf16>, %x: memref<?x1024xf16>, %db: memref<4096x32x32xf32>) attributes {llvm.emit_c_interface} {
  %dyt = bufferization.to_tensor %dy restrict : memref<?x4096xf16> to tensor<?x4096xf16>
  %xt = bufferization.to_tensor %x restrict : memref<?x1024xf16> to tensor<?x1024xf16>
  %dbt = bufferization.to_tensor %db restrict writable : memref<4096x32x32xf32> to tensor<4096x32x32xf32>
  %r = pixelfly.block_sparse_weight_grad ins(%dyt, %xt : tensor<?x4096xf16>, tensor<?x1024xf16>) outs(%dbt : tensor<4096x32x32xf32>) layout(#l) -> tensor<4096x32x32xf32>
  bufferization.materialize_in_destination %r in restrict writable %db : (tensor<4096x32x32xf32>, memref<4096x32x32xf32>) -> ()
  return
}
