// 2:4 forward product of the GPT-2-medium up-projection into a fresh
// zero-filled result (the fill folded into the mma.sp kernel, whose
// epilogue then only stores); run-time metadata, f16, f32 result; exact.
// M: 37, 2048
// BASELINE: dense_f16_gpt2_up_b32
func.func @product(%x: memref<?x1024xf16>, %v: memref<4096x512xf16>, %meta: memref<4096x64xi16>, %y: memref<?x4096xf32>) attributes {llvm.emit_c_interface} {
  %xt = bufferization.to_tensor %x restrict : memref<?x1024xf16> to tensor<?x1024xf16>
  %vt = bufferization.to_tensor %v restrict : memref<4096x512xf16> to tensor<4096x512xf16>
  %mt = bufferization.to_tensor %meta restrict : memref<4096x64xi16> to tensor<4096x64xi16>
  %c0 = arith.constant 0 : index
  %m = memref.dim %y, %c0 : memref<?x4096xf32>
  %e = tensor.empty(%m) : tensor<?x4096xf32>
  %zero = arith.constant 0.0 : f32
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<?x4096xf32>) -> tensor<?x4096xf32>
  %r = pixelfly.two_four_matmul ins(%xt, %vt, %mt : tensor<?x1024xf16>, tensor<4096x512xf16>, tensor<4096x64xi16>) outs(%z : tensor<?x4096xf32>) -> tensor<?x4096xf32>
  bufferization.materialize_in_destination %r in restrict writable %y : (tensor<?x4096xf32>, memref<?x4096xf32>) -> ()
  return
}
