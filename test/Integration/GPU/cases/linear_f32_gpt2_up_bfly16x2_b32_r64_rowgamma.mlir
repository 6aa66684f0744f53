// pixelfly.linear, f32 operands run as TF32, N x K = 4096 x 1024 (flat
// butterfly 16/2 of 32 x 32 blocks) plus rank 64, per-row gamma; ragged
// token counts. T = (1 - g) X V is exact in f32, but the panel's mma.sync
// rounds it to TF32 (11 significant bits) where the CPU reference keeps
// f32 (TF32 keeps f16's 11 significant bits): with these fills the
// difference is at most 1.004.
// M: 37, 200, 2048
// BASELINE: dense_f32_gpt2_up_b32
// TOLERANCE: 2
#l = #pixelfly.block_layout<shape = 4096x1024, block = 32x32, source = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 2, block = 32>>
func.func @product(%x: memref<?x1024xf32>, %b: memref<768x32x32xf32>, %u: memref<4096x64xf32>, %v: memref<1024x64xf32>, %g: memref<?xf32>, %y: memref<?x4096xf32>) attributes {llvm.emit_c_interface} {
  %xt = bufferization.to_tensor %x restrict : memref<?x1024xf32> to tensor<?x1024xf32>
  %bt = bufferization.to_tensor %b restrict : memref<768x32x32xf32> to tensor<768x32x32xf32>
  %ut = bufferization.to_tensor %u restrict : memref<4096x64xf32> to tensor<4096x64xf32>
  %vt = bufferization.to_tensor %v restrict : memref<1024x64xf32> to tensor<1024x64xf32>
  %gt = bufferization.to_tensor %g restrict : memref<?xf32> to tensor<?xf32>
  %yt = bufferization.to_tensor %y restrict writable : memref<?x4096xf32> to tensor<?x4096xf32>
  %r = pixelfly.linear ins(%xt, %bt, %ut, %vt : tensor<?x1024xf32>, tensor<768x32x32xf32>, tensor<4096x64xf32>, tensor<1024x64xf32>) gamma(%gt : tensor<?xf32>) outs(%yt : tensor<?x4096xf32>) layout(#l) -> tensor<?x4096xf32>
  bufferization.materialize_in_destination %r in restrict writable %y : (tensor<?x4096xf32>, memref<?x4096xf32>) -> ()
  return
}
