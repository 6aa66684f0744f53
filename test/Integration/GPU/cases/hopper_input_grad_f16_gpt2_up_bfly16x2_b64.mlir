// The input gradient on the Hopper family (sm_90a: the schedule
// pixelfly-gpu-config chooses; the blocks read as stored, MN-major, by
// wgmma with imm-trans-b): dX (M x 1024) = dY (M x 4096) * W, W 4096 x 1024
// on a flat butterfly 16/2 of 64 x 64 blocks, f16, f32 accumulator;
// ragged token counts. Exact like the Ampere case of 32-blocks.
// CHIP: sm_90a
// M: 37, 200, 2048
// BASELINE: dense_input_grad_f16_gpt2_up_b32
#l = #pixelfly.block_layout<shape = 4096x1024, block = 64x64, source = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 2, block = 64>>
func.func @product(%dy: memref<?x4096xf16>, %b: memref<192x64x64xf16>, %dx: memref<?x1024xf32>) attributes {llvm.emit_c_interface} {
  %dyt = bufferization.to_tensor %dy restrict : memref<?x4096xf16> to tensor<?x4096xf16>
  %bt = bufferization.to_tensor %b restrict : memref<192x64x64xf16> to tensor<192x64x64xf16>
  %dxt = bufferization.to_tensor %dx restrict writable : memref<?x1024xf32> to tensor<?x1024xf32>
  %r = pixelfly.block_sparse_input_grad ins(%dyt, %bt : tensor<?x4096xf16>, tensor<192x64x64xf16>) outs(%dxt : tensor<?x1024xf32>) layout(#l) -> tensor<?x1024xf32>
  bufferization.materialize_in_destination %r in restrict writable %dx : (tensor<?x1024xf32>, memref<?x1024xf32>) -> ()
  return
}
