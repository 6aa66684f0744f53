// hopper_two_four_f16_gpt2_up on a persistent grid of 132 thread blocks
// (one per SM of an H100 or H200), each walking the output tiles 132
// apart with its ring running on from tile to tile, so a tile's epilogue
// overlaps the next tile's loads; the schedule pixelfly-gpu-config
// chooses otherwise. Its BASELINE is the kernel with a thread block per
// tile, so the device check prints what the persistent grid gains. Exact,
// as its baseline. Compiled for sm_90a.
// CHIP: sm_90a
// M: 37, 200, 2048
// BASELINE: hopper_two_four_f16_gpt2_up
func.func @product(%x: memref<?x1024xf16>, %v: memref<4096x512xf16>, %m: memref<4096x64xi16>, %y: memref<?x4096xf32>) attributes {llvm.emit_c_interface} {
  %xt = bufferization.to_tensor %x restrict : memref<?x1024xf16> to tensor<?x1024xf16>
  %vt = bufferization.to_tensor %v restrict : memref<4096x512xf16> to tensor<4096x512xf16>
  %mt = bufferization.to_tensor %m restrict : memref<4096x64xi16> to tensor<4096x64xi16>
  %yt = bufferization.to_tensor %y restrict writable : memref<?x4096xf32> to tensor<?x4096xf32>
  %r = pixelfly.two_four_matmul ins(%xt, %vt, %mt : tensor<?x1024xf16>, tensor<4096x512xf16>, tensor<4096x64xi16>) outs(%yt : tensor<?x4096xf32>) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 256, tile_k = 128, consumers = 2, stages = 3, cluster_m = 1, cluster_n = 1, persistent = 132>} -> tensor<?x4096xf32>
  bufferization.materialize_in_destination %r in restrict writable %y : (tensor<?x4096xf32>, memref<?x4096xf32>) -> ()
  return
}
