// Upstream's lowering of nvgpu.warpgroup.mma.store for 64-row
// accumulators of two widths: what check_fragment_layout.py compares the
// Hopper emulator's fragment model with.
func.func @n16(%acc: !nvgpu.warpgroup.accumulator<fragmented = vector<64x16xf32>>, %m: memref<64x16xf32, #gpu.address_space<workgroup>>) {
  nvgpu.warpgroup.mma.store %acc, %m : !nvgpu.warpgroup.accumulator<fragmented = vector<64x16xf32>> to memref<64x16xf32, #gpu.address_space<workgroup>>
  return
}
func.func @n128(%acc: !nvgpu.warpgroup.accumulator<fragmented = vector<64x128xf32>>, %m: memref<64x128xf32, #gpu.address_space<workgroup>>) {
  nvgpu.warpgroup.mma.store %acc, %m : !nvgpu.warpgroup.accumulator<fragmented = vector<64x128xf32>> to memref<64x128xf32, #gpu.address_space<workgroup>>
  return
}
