// low_rank_matmul_f16_gpt2_up_r64 on the Hopper family: T = X V from the
// panel's first kernel (on the family too: V read as stored, one 64-column
// box per k-tile, 64 tokens per thread block), then the Hopper kernel on
// the panel alone
// (tensor maps of T and U, tiles of 128 output columns over two consumer
// warpgroups), the schedule pixelfly-gpu-config chooses for sm_90a. f16,
// N x K = 4096 x 1024, rank 64, f32 accumulator; ragged token counts. T is
// rounded to f16 between the products (the CPU reference keeps f32): with
// these fills the difference is at most 0.85.
// CHIP: sm_90a
// M: 37, 200, 2048
// BASELINE: low_rank_f16_gpt2_up_r64
// TOLERANCE: 1
func.func @product(%x: memref<?x1024xf16>, %u: memref<4096x64xf16>, %v: memref<1024x64xf16>, %y: memref<?x4096xf32>) attributes {llvm.emit_c_interface} {
  %xt = bufferization.to_tensor %x restrict : memref<?x1024xf16> to tensor<?x1024xf16>
  %ut = bufferization.to_tensor %u restrict : memref<4096x64xf16> to tensor<4096x64xf16>
  %vt = bufferization.to_tensor %v restrict : memref<1024x64xf16> to tensor<1024x64xf16>
  %yt = bufferization.to_tensor %y restrict writable : memref<?x4096xf32> to tensor<?x4096xf32>
  %r = pixelfly.low_rank_matmul ins(%xt, %ut, %vt : tensor<?x1024xf16>, tensor<4096x64xf16>, tensor<1024x64xf16>) outs(%yt : tensor<?x4096xf32>) -> tensor<?x4096xf32>
  bufferization.materialize_in_destination %r in restrict writable %y : (tensor<?x4096xf32>, memref<?x4096xf32>) -> ()
  return
}
