// input_grad_one_column_bf16_4096x32_b32 on the Ampere family with the
// 64-row tiles pixelfly-gpu-config chose for it before the Hopper family
// ran column products (cp.async, mma.sync); that case's baseline. Its own
// baseline, the same with 128-row tiles, shows what the 64 rows gain.
// CHIP: sm_90a
// M: 37, 200, 8192
// BASELINE: input_grad_one_column_128rows_bf16_4096x32_b32
#l = #pixelfly.block_layout<shape = 4096x32, block = 32x32, row_ptr = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127, 128], col_idx = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]>
func.func @product(%dy: memref<?x4096xbf16>, %u: memref<128x32x32xbf16>, %t: memref<?x32xf32>) attributes {llvm.emit_c_interface} {
  %dyt = bufferization.to_tensor %dy restrict : memref<?x4096xbf16> to tensor<?x4096xbf16>
  %ut = bufferization.to_tensor %u restrict : memref<128x32x32xbf16> to tensor<128x32x32xbf16>
  %tt = bufferization.to_tensor %t restrict writable : memref<?x32xf32> to tensor<?x32xf32>
  %r = pixelfly.block_sparse_input_grad ins(%dyt, %ut : tensor<?x4096xbf16>, tensor<128x32x32xbf16>) outs(%tt : tensor<?x32xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_90a", tile_m = 64, tile_n = 32, tile_k = 32, warps_m = 4, warps_n = 1, stages = 4>} -> tensor<?x32xf32>
  bufferization.materialize_in_destination %r in restrict writable %t : (tensor<?x32xf32>, memref<?x32xf32>) -> ()
  return
}
