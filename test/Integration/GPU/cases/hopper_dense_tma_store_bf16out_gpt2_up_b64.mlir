// hopper_dense_bf16out_gpt2_up_b64 with tma_store: each consumer warpgroup
// writes 64 x 64 boxes of Y into shared memory and stores them with TMA
// (4 stages and the staging: 224 KB). Its BASELINE is the register
// epilogue, so the device check prints what the TMA stores gain. Compiled
// for sm_90a.
// CHIP: sm_90a
// M: 37, 2048
// BASELINE: hopper_dense_bf16out_gpt2_up_b64
#l = #pixelfly.block_layout<shape = 4096x1024, block = 64x64, source = #pixelfly.flat_butterfly<butterfly_size = 2, n_factors = 1, block = 64>>
func.func @product(%x: memref<?x1024xbf16>, %b: memref<1024x64x64xbf16>, %y: memref<?x4096xbf16>) attributes {llvm.emit_c_interface} {
  %xt = bufferization.to_tensor %x restrict : memref<?x1024xbf16> to tensor<?x1024xbf16>
  %bt = bufferization.to_tensor %b restrict : memref<1024x64x64xbf16> to tensor<1024x64x64xbf16>
  %c0 = arith.constant 0 : index
  %m = memref.dim %y, %c0 : memref<?x4096xbf16>
  %e = tensor.empty(%m) : tensor<?x4096xbf16>
  %zero = arith.constant 0.0 : bf16
  %z = linalg.fill ins(%zero : bf16) outs(%e : tensor<?x4096xbf16>) -> tensor<?x4096xbf16>
  %r = pixelfly.block_sparse_matmul ins(%xt, %bt : tensor<?x1024xbf16>, tensor<1024x64x64xbf16>) outs(%z : tensor<?x4096xbf16>) layout(#l) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 256, tile_k = 64, consumers = 2, stages = 4, cluster_m = 1, cluster_n = 1, tma_store = true>} -> tensor<?x4096xbf16>
  bufferization.materialize_in_destination %r in restrict writable %y : (tensor<?x4096xbf16>, memref<?x4096xbf16>) -> ()
  return
}
