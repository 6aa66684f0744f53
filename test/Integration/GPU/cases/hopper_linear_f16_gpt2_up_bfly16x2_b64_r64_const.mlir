// pixelfly.linear on the Hopper family (sm_90a: the schedule
// pixelfly-gpu-config chooses, two consumer warpgroups, the block part and
// the low-rank panel in accumulator sets of their own; the panel's first
// kernel on the family too, V read as stored): f16, N x K = 4096 x 1024 (flat butterfly
// 16/2 of 64 x 64 blocks) plus rank 64, constant gamma 0.25, f32
// accumulator. T = 0.75 X V is rounded to f16 as in
// linear_f16_gpt2_up_bfly16x2_b32_r64_const (same K, rank and fills), hence
// the same tolerance.
// CHIP: sm_90a
// M: 37, 200, 2048
// BASELINE: dense_f16_gpt2_up_b32
// TOLERANCE: 2
#l = #pixelfly.block_layout<shape = 4096x1024, block = 64x64, source = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 2, block = 64>>
func.func @product(%x: memref<?x1024xf16>, %b: memref<192x64x64xf16>, %u: memref<4096x64xf16>, %v: memref<1024x64xf16>, %y: memref<?x4096xf32>) attributes {llvm.emit_c_interface} {
  %xt = bufferization.to_tensor %x restrict : memref<?x1024xf16> to tensor<?x1024xf16>
  %bt = bufferization.to_tensor %b restrict : memref<192x64x64xf16> to tensor<192x64x64xf16>
  %ut = bufferization.to_tensor %u restrict : memref<4096x64xf16> to tensor<4096x64xf16>
  %vt = bufferization.to_tensor %v restrict : memref<1024x64xf16> to tensor<1024x64xf16>
  %yt = bufferization.to_tensor %y restrict writable : memref<?x4096xf32> to tensor<?x4096xf32>
  %r = pixelfly.linear ins(%xt, %bt, %ut, %vt : tensor<?x1024xf16>, tensor<192x64x64xf16>, tensor<4096x64xf16>, tensor<1024x64xf16>) gamma(0.25) outs(%yt : tensor<?x4096xf32>) layout(#l) -> tensor<?x4096xf32>
  bufferization.materialize_in_destination %r in restrict writable %y : (tensor<?x4096xf32>, memref<?x4096xf32>) -> ()
  return
}
