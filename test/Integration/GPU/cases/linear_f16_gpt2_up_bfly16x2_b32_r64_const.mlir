// pixelfly.linear, f16, N x K = 4096 x 1024 (flat butterfly 16/2 of 32 x 32
// blocks) plus rank 64, constant gamma 0.25, f32 accumulator. The GPU rounds
// T = 0.75 X V to f16 before the panel (the CPU reference keeps it in f32):
// with these fills the difference is below 2.
// M: 37, 200, 2048
// BASELINE: dense_f16_gpt2_up_b32
// TOLERANCE: 2
#l = #pixelfly.block_layout<shape = 4096x1024, block = 32x32, source = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 2, block = 32>>
func.func @product(%x: memref<?x1024xf16>, %b: memref<768x32x32xf16>, %u: memref<4096x64xf16>, %v: memref<1024x64xf16>, %y: memref<?x4096xf32>) attributes {llvm.emit_c_interface} {
  %xt = bufferization.to_tensor %x restrict : memref<?x1024xf16> to tensor<?x1024xf16>
  %bt = bufferization.to_tensor %b restrict : memref<768x32x32xf16> to tensor<768x32x32xf16>
  %ut = bufferization.to_tensor %u restrict : memref<4096x64xf16> to tensor<4096x64xf16>
  %vt = bufferization.to_tensor %v restrict : memref<1024x64xf16> to tensor<1024x64xf16>
  %yt = bufferization.to_tensor %y restrict writable : memref<?x4096xf32> to tensor<?x4096xf32>
  %r = pixelfly.linear ins(%xt, %bt, %ut, %vt : tensor<?x1024xf16>, tensor<768x32x32xf16>, tensor<4096x64xf16>, tensor<1024x64xf16>) gamma(0.25) outs(%yt : tensor<?x4096xf32>) layout(#l) -> tensor<?x4096xf32>
  bufferization.materialize_in_destination %r in restrict writable %y : (tensor<?x4096xf32>, memref<?x4096xf32>) -> ()
  return
}
