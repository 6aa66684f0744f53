// The Hopper family's weight gradient (both operands MN-major through
// upstream's nvvm.wgmma.mma_async) on the block-sparse GPT-2-medium
// up-projection, f16: dB_p = dY[:, r]^T X[:, c] for the 192 stored 64 x 64
// blocks of a flat butterfly 16/2 (W 4096 x 1024), f32 gradient; one
// thread block per block reducing over the tokens (ragged counts: TMA
// zero-fills the last k-tile), the schedule pixelfly-gpu-config chooses
// for sm_90a.
// CHIP: sm_90a
// M: 37, 200, 2048
// BASELINE: dense_weight_grad_f16_gpt2_up_b32
#l = #pixelfly.block_layout<shape = 4096x1024, block = 64x64, source = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 2, block = 64>>
func.func @product(%dy: memref<?x4096xf16>, %x: memref<?x1024xf16>, %db: memref<192x64x64xf32>) attributes {llvm.emit_c_interface} {
  %dyt = bufferization.to_tensor %dy restrict : memref<?x4096xf16> to tensor<?x4096xf16>
  %xt = bufferization.to_tensor %x restrict : memref<?x1024xf16> to tensor<?x1024xf16>
  %dbt = bufferization.to_tensor %db restrict writable : memref<192x64x64xf32> to tensor<192x64x64xf32>
  %r = pixelfly.block_sparse_weight_grad ins(%dyt, %xt : tensor<?x4096xf16>, tensor<?x1024xf16>) outs(%dbt : tensor<192x64x64xf32>) layout(#l) -> tensor<192x64x64xf32>
  bufferization.materialize_in_destination %r in restrict writable %db : (tensor<192x64x64xf32>, memref<192x64x64xf32>) -> ()
  return
}
