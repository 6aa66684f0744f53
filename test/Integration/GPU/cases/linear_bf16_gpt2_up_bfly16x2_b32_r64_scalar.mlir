// pixelfly.linear, bf16, N x K = 4096 x 1024 (flat butterfly 16/2 of 32 x
// 32 blocks) plus rank 64, scalar gamma 0.375, f32 accumulator. The GPU
// rounds T = (1 - g) X V to bf16 before the panel (the CPU reference keeps
// it in f32): with these fills the difference is at most 14.2 (on outputs
// of a few hundred).
// M: 37, 200, 2048
// BASELINE: dense_bf16_gpt2_up_b32
// TOLERANCE: 15
// SCALAR: 0.375
#l = #pixelfly.block_layout<shape = 4096x1024, block = 32x32, source = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 2, block = 32>>
func.func @product(%x: memref<?x1024xbf16>, %b: memref<768x32x32xbf16>, %u: memref<4096x64xbf16>, %v: memref<1024x64xbf16>, %g: f32, %y: memref<?x4096xf32>) attributes {llvm.emit_c_interface} {
  %xt = bufferization.to_tensor %x restrict : memref<?x1024xbf16> to tensor<?x1024xbf16>
  %bt = bufferization.to_tensor %b restrict : memref<768x32x32xbf16> to tensor<768x32x32xbf16>
  %ut = bufferization.to_tensor %u restrict : memref<4096x64xbf16> to tensor<4096x64xbf16>
  %vt = bufferization.to_tensor %v restrict : memref<1024x64xbf16> to tensor<1024x64xbf16>
  %yt = bufferization.to_tensor %y restrict writable : memref<?x4096xf32> to tensor<?x4096xf32>
  %r = pixelfly.linear ins(%xt, %bt, %ut, %vt : tensor<?x1024xbf16>, tensor<768x32x32xbf16>, tensor<4096x64xbf16>, tensor<1024x64xbf16>) gamma(%g : f32) outs(%yt : tensor<?x4096xf32>) layout(#l) -> tensor<?x4096xf32>
  bufferization.materialize_in_destination %r in restrict writable %y : (tensor<?x4096xf32>, memref<?x4096xf32>) -> ()
  return
}
