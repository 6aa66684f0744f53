// hopper_column_weight_grad_bf16_4096x32_b32 on the Ampere family, with
// the configuration pixelfly-gpu-config chose for it on sm_90a before the
// Hopper family ran column weight gradients (one 32 x 32 block per thread
// block, the tokens split in 4 ranges); that case's baseline.
// CHIP: sm_90a
// M: 37, 200, 8192
#l = #pixelfly.block_layout<shape = 4096x32, block = 32x32, row_ptr = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127, 128], col_idx = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]>
func.func @product(%dy: memref<?x4096xbf16>, %t: memref<?x32xbf16>, %du: memref<128x32x32xf32>) attributes {llvm.emit_c_interface} {
  %dyt = bufferization.to_tensor %dy restrict : memref<?x4096xbf16> to tensor<?x4096xbf16>
  %tt = bufferization.to_tensor %t restrict : memref<?x32xbf16> to tensor<?x32xbf16>
  %dut = bufferization.to_tensor %du restrict writable : memref<128x32x32xf32> to tensor<128x32x32xf32>
  %r = pixelfly.block_sparse_weight_grad ins(%dyt, %tt : tensor<?x4096xbf16>, tensor<?x32xbf16>) outs(%dut : tensor<128x32x32xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_90a", tile_m = 32, tile_n = 32, tile_k = 32, warps_m = 2, warps_n = 1, stages = 4, splits = 4>} -> tensor<128x32x32xf32>
  bufferization.materialize_in_destination %r in restrict writable %du : (tensor<128x32x32xf32>, memref<128x32x32xf32>) -> ()
  return
}
