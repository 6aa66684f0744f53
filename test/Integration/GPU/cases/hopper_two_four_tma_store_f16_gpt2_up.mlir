// hopper_two_four_f16_gpt2_up with tma_store: each consumer warpgroup
// writes its transposed registers into boxes of 64 tokens by 32 f32
// features in shared memory and stores them with TMA (3 stages and the
// staging: 224 KB), on the schedule pixelfly-gpu-config chooses. Its
// BASELINE is the same kernel with the register epilogue (transposed
// 4-byte stores), so the device check prints what the TMA stores gain.
// Exact, as its baseline. Compiled for sm_90a.
// CHIP: sm_90a
// M: 37, 200, 2048
// BASELINE: hopper_two_four_f16_gpt2_up
func.func @product(%x: memref<?x1024xf16>, %v: memref<4096x512xf16>, %m: memref<4096x64xi16>, %y: memref<?x4096xf32>) attributes {llvm.emit_c_interface} {
  %xt = bufferization.to_tensor %x restrict : memref<?x1024xf16> to tensor<?x1024xf16>
  %vt = bufferization.to_tensor %v restrict : memref<4096x512xf16> to tensor<4096x512xf16>
  %mt = bufferization.to_tensor %m restrict : memref<4096x64xi16> to tensor<4096x64xi16>
  %yt = bufferization.to_tensor %y restrict writable : memref<?x4096xf32> to tensor<?x4096xf32>
  %r = pixelfly.two_four_matmul ins(%xt, %vt, %mt : tensor<?x1024xf16>, tensor<4096x512xf16>, tensor<4096x64xi16>) outs(%yt : tensor<?x4096xf32>) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 256, tile_k = 128, consumers = 2, stages = 3, cluster_m = 1, cluster_n = 1, tma_store = true>} -> tensor<?x4096xf32>
  bufferization.materialize_in_destination %r in restrict writable %y : (tensor<?x4096xf32>, memref<?x4096xf32>) -> ()
  return
}
