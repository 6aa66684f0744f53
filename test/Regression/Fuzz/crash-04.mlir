// RUN: not pixelfly-opt --pixelfly-gpu-pipeline=format=isa %s -o /dev/null 2>&1 | FileCheck %s
// RUN: not pixelfly-opt --convert-pixelfly-to-gpu %s -o /dev/null 2>&1 | FileCheck %s
// Was: 2 * INT64_MAX warps wrapped to -2 in #pixelfly.gpu_config's verifier,
// which accepted the attribute; the kernel builder then emitted invalid IR
// or crashed (KernelBuilder::mapThreads). (crash-03, the same overflow as a
// division by zero while parsing, is in test/Dialect/Pixelfly/invalid.mlir.)

// CHECK: error: gpu_config needs 1 to 16 warps, got 2 x 9223372036854775807
#l = #pixelfly.block_layout<shape = 64x64, block = 32x32, row_ptr = [0, 1, 2], col_idx = [0, 1]>
func.func @f(%x: memref<64x64xf16>, %b: memref<2x32x32xf16>, %y: memref<64x64xf32>) {
  pixelfly.block_sparse_matmul ins(%x, %b : memref<64x64xf16>, memref<2x32x32xf16>) outs(%y : memref<64x64xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 9223372036854775807, stages = 3>}
  return
}
