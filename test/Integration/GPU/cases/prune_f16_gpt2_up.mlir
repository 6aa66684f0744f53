// pixelfly.prune_2_4 of the GPT-2-medium up-projection weight (4096 x 1024,
// f16) on the GPU, against the CPU pipeline's lowering of the same
// selection rules (the pattern library's) bit for bit: values and metadata.
// The fill is tie-heavy (17 distinct magnitudes) with NaN, +-inf and -0
// sprinkled in. M is unused (the weight is static). The baseline is a
// device copy of the weight: SPEEDUP must stay above 0.5x (the target).
// M: 1
// OUTPUTS: 2
// FILL: specials
// COMPARE: bits
// REPS: 20
// BASELINE: copy_f16_4096x1024
func.func @product(%w: memref<4096x1024xf16>, %v: memref<4096x512xf16>, %meta: memref<4096x64xi16>) attributes {llvm.emit_c_interface} {
  %wt = bufferization.to_tensor %w restrict : memref<4096x1024xf16> to tensor<4096x1024xf16>
  %vt = bufferization.to_tensor %v restrict writable : memref<4096x512xf16> to tensor<4096x512xf16>
  %mt = bufferization.to_tensor %meta restrict writable : memref<4096x64xi16> to tensor<4096x64xi16>
  %rv, %rm = pixelfly.prune_2_4 ins(%wt : tensor<4096x1024xf16>) outs(%vt, %mt : tensor<4096x512xf16>, tensor<4096x64xi16>) -> tensor<4096x512xf16>, tensor<4096x64xi16>
  bufferization.materialize_in_destination %rv in restrict writable %v : (tensor<4096x512xf16>, memref<4096x512xf16>) -> ()
  bufferization.materialize_in_destination %rm in restrict writable %meta : (tensor<4096x64xi16>, memref<4096x64xi16>) -> ()
  return
}
