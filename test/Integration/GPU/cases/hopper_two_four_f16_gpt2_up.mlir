// The Hopper family's 2:4 kernel (sparse wgmma, wgmma.mma_async.sp
// m64nNk32 in inline PTX, Y^T = W X^T) on two_four_f16_gpt2_up: W 4096 x
// 1024 compressed to 4096 x 512 values and 4096 x 64 metadata words given
// at run time; f16, f32 accumulator, ragged token counts; the schedule
// pixelfly-gpu-config chooses for sm_90a (128 tokens x 256 weight rows over
// two consumer warpgroups, 3 stages). Exact: the fills are small multiples
// of 1/8. The first GPU run checks the metadata order and the compressed
// A's descriptor steps, which only our reading of the PTX ISA backs.
// CHIP: sm_90a
// M: 37, 200, 2048
// BASELINE: two_four_f16_gpt2_up
func.func @product(%x: memref<?x1024xf16>, %v: memref<4096x512xf16>, %m: memref<4096x64xi16>, %y: memref<?x4096xf32>) attributes {llvm.emit_c_interface} {
  %xt = bufferization.to_tensor %x restrict : memref<?x1024xf16> to tensor<?x1024xf16>
  %vt = bufferization.to_tensor %v restrict : memref<4096x512xf16> to tensor<4096x512xf16>
  %mt = bufferization.to_tensor %m restrict : memref<4096x64xi16> to tensor<4096x64xi16>
  %yt = bufferization.to_tensor %y restrict writable : memref<?x4096xf32> to tensor<?x4096xf32>
  %r = pixelfly.two_four_matmul ins(%xt, %vt, %mt : tensor<?x1024xf16>, tensor<4096x512xf16>, tensor<4096x64xi16>) outs(%yt : tensor<?x4096xf32>) -> tensor<?x4096xf32>
  bufferization.materialize_in_destination %r in restrict writable %y : (tensor<?x4096xf32>, memref<?x4096xf32>) -> ()
  return
}
