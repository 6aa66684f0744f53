// The transposable pixelfly.prune_2_4 of the GPT-2-medium up-projection
// weight (4096 x 1024, f16) on the GPU: W and W^T (values and metadata)
// against the CPU pipeline's lowering of the library's rules, bit for bit,
// on a tie-heavy fill with NaN, +-inf and -0.
// M: 1
// OUTPUTS: 4
// FILL: specials
// COMPARE: bits
// REPS: 20
// BASELINE: copy_f16_4096x1024
func.func @product(%w: memref<4096x1024xf16>, %v: memref<4096x512xf16>, %meta: memref<4096x64xi16>, %vt: memref<1024x2048xf16>, %metat: memref<1024x256xi16>) attributes {llvm.emit_c_interface} {
  %wt = bufferization.to_tensor %w restrict : memref<4096x1024xf16> to tensor<4096x1024xf16>
  %a = bufferization.to_tensor %v restrict writable : memref<4096x512xf16> to tensor<4096x512xf16>
  %b = bufferization.to_tensor %meta restrict writable : memref<4096x64xi16> to tensor<4096x64xi16>
  %c = bufferization.to_tensor %vt restrict writable : memref<1024x2048xf16> to tensor<1024x2048xf16>
  %d = bufferization.to_tensor %metat restrict writable : memref<1024x256xi16> to tensor<1024x256xi16>
  %r:4 = pixelfly.prune_2_4 transposable ins(%wt : tensor<4096x1024xf16>) outs(%a, %b, %c, %d : tensor<4096x512xf16>, tensor<4096x64xi16>, tensor<1024x2048xf16>, tensor<1024x256xi16>) -> tensor<4096x512xf16>, tensor<4096x64xi16>, tensor<1024x2048xf16>, tensor<1024x256xi16>
  bufferization.materialize_in_destination %r#0 in restrict writable %v : (tensor<4096x512xf16>, memref<4096x512xf16>) -> ()
  bufferization.materialize_in_destination %r#1 in restrict writable %meta : (tensor<4096x64xi16>, memref<4096x64xi16>) -> ()
  bufferization.materialize_in_destination %r#2 in restrict writable %vt : (tensor<1024x2048xf16>, memref<1024x2048xf16>) -> ()
  bufferization.materialize_in_destination %r#3 in restrict writable %metat : (tensor<1024x256xi16>, memref<1024x256xi16>) -> ()
  return
}
