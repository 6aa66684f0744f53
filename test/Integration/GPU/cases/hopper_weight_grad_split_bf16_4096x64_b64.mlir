// A weight gradient with too few blocks to fill an H200 on the Hopper
// family: 4096 x 64 (bf16, f32 gradient), 64 blocks of 64 x 64, the shape
// of a rank-64 factor's gradient dY^T (X V). pixelfly-gpu-config splits
// its tokens into 8 ranges (grid 64 x 8), each writing f32 partial blocks,
// and a second kernel adds them to the gradient in order. At M = 37 one
// range has the only k-tile and seven are empty; at 2048, four k-tiles
// each. Its BASELINE is the same product without the split.
// CHIP: sm_90a
// M: 37, 200, 2048
// BASELINE: hopper_weight_grad_unsplit_bf16_4096x64_b64
#l = #pixelfly.block_layout<shape = 4096x64, block = 64x64, row_ptr = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64], col_idx = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]>
func.func @product(%dy: memref<?x4096xbf16>, %x: memref<?x64xbf16>, %db: memref<64x64x64xf32>) attributes {llvm.emit_c_interface} {
  %dyt = bufferization.to_tensor %dy restrict : memref<?x4096xbf16> to tensor<?x4096xbf16>
  %xt = bufferization.to_tensor %x restrict : memref<?x64xbf16> to tensor<?x64xbf16>
  %dbt = bufferization.to_tensor %db restrict writable : memref<64x64x64xf32> to tensor<64x64x64xf32>
  %r = pixelfly.block_sparse_weight_grad ins(%dyt, %xt : tensor<?x4096xbf16>, tensor<?x64xbf16>) outs(%dbt : tensor<64x64x64xf32>) layout(#l) -> tensor<64x64x64xf32>
  bufferization.materialize_in_destination %r in restrict writable %db : (tensor<64x64x64xf32>, memref<64x64x64xf32>) -> ()
  return
}
