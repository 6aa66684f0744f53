// Block-sparse forward product into a fresh zero-filled result, as the GPU
// benchmark writes it: bf16, N x K = 4096 x 1024 on a flat butterfly 16/3
// of 64 x 64 blocks (25%), f32 result. The GPU lowering folds the fill into
// the kernel (Y written, never read; no fill kernel), the result is the
// function's output memref (no temporary); exact.
// M: 37, 2048
// BASELINE: dense_bf16_gpt2_up_b32
#l = #pixelfly.block_layout<shape = 4096x1024, block = 64x64, source = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 3, block = 64>>
func.func @product(%x: memref<?x1024xbf16>, %b: memref<256x64x64xbf16>, %y: memref<?x4096xf32>) attributes {llvm.emit_c_interface} {
  %xt = bufferization.to_tensor %x restrict : memref<?x1024xbf16> to tensor<?x1024xbf16>
  %bt = bufferization.to_tensor %b restrict : memref<256x64x64xbf16> to tensor<256x64x64xbf16>
  %c0 = arith.constant 0 : index
  %m = memref.dim %y, %c0 : memref<?x4096xf32>
  %e = tensor.empty(%m) : tensor<?x4096xf32>
  %zero = arith.constant 0.0 : f32
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<?x4096xf32>) -> tensor<?x4096xf32>
  %r = pixelfly.block_sparse_matmul ins(%xt, %bt : tensor<?x1024xbf16>, tensor<256x64x64xbf16>) outs(%z : tensor<?x4096xf32>) layout(#l) -> tensor<?x4096xf32>
  bufferization.materialize_in_destination %r in restrict writable %y : (tensor<?x4096xf32>, memref<?x4096xf32>) -> ()
  return
}
