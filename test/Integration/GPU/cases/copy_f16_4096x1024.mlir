// A plain device copy of the 4096 x 1024 f16 weight (memref.copy, which
// pixelfly-gpu-device-memory makes a device-to-device gpu.memcpy): the
// baseline of the 2:4 prune kernel, whose target is at most 2x its time.
// M: 1
// REPS: 20
func.func @product(%w: memref<4096x1024xf16>, %out: memref<4096x1024xf16>) attributes {llvm.emit_c_interface} {
  memref.copy %w, %out : memref<4096x1024xf16> to memref<4096x1024xf16>
  return
}
