// A low-rank factor's gradient on the Ampere family: 1024 x 32 (bf16, f32
// gradient), 32 blocks of 32 x 32, dY^T (X V) of the GPT-2-medium MLP at
// rank 32. Too few blocks to fill the chip: pixelfly-gpu-config splits the
// tokens into 8 ranges on sm_80 (grid 32 x 8), each writing f32 partial
// blocks that a second kernel adds to the gradient in order. At M = 37 two
// ranges have a k-tile and six are empty; at 2048, eight k-tiles each.
// Its BASELINE is the same product without the split, so device-check.sh
// prints what splitting gains.
// CHIP: sm_80
// M: 37, 200, 2048, 8192
// BASELINE: weight_grad_unsplit_bf16_1024x32_b32
#l = #pixelfly.block_layout<shape = 1024x32, block = 32x32, row_ptr = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32], col_idx = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]>
func.func @product(%dy: memref<?x1024xbf16>, %t: memref<?x32xbf16>, %du: memref<32x32x32xf32>) attributes {llvm.emit_c_interface} {
  %dyt = bufferization.to_tensor %dy restrict : memref<?x1024xbf16> to tensor<?x1024xbf16>
  %tt = bufferization.to_tensor %t restrict : memref<?x32xbf16> to tensor<?x32xbf16>
  %dut = bufferization.to_tensor %du restrict writable : memref<32x32x32xf32> to tensor<32x32x32xf32>
  %r = pixelfly.block_sparse_weight_grad ins(%dyt, %tt : tensor<?x1024xbf16>, tensor<?x32xbf16>) outs(%dut : tensor<32x32x32xf32>) layout(#l) -> tensor<32x32x32xf32>
  bufferization.materialize_in_destination %r in restrict writable %du : (tensor<32x32x32xf32>, memref<32x32x32xf32>) -> ()
  return
}
