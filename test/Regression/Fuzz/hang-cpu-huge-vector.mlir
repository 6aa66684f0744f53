// RUN: not pixelfly-opt --pixelfly-cpu-pipeline %s -o /dev/null 2>&1 | FileCheck %s
// RUN: not pixelfly-opt --pixelfly-cpu-pipeline=vectorize=false %s -o /dev/null 2>&1 | FileCheck %s
// Fuzz finding (smoke campaign, seed 1, run 1084, from
// test/Transforms/pixelfly-cpu-hoist-transfers.mlir with 8 -> 2^32): the CPU
// pipeline unrolls vector transfers and contractions whole, and ran for
// hours on vectors of 2^64 elements that were already in its input. Such
// vectors are refused up front, by pixelfly-cpu-config, which the pipeline
// runs whether or not it vectorizes (the hour campaign of seed 20261205,
// run 8075, hung with vectorize=false when the check was in
// pixelfly-cpu-vectorize).

// CHECK: error: pixelfly-cpu-config: 'vector<4294967296x32xf32>' is too large to unroll (more than 131072 elements)
func.func @accumulate(%c: memref<4294967296x32xf32>) {
  %c0 = arith.constant 0 : index
  %cst = arith.constant 0.0 : f32
  %vc = vector.transfer_read %c[%c0, %c0], %cst {in_bounds = [true, true]} : memref<4294967296x32xf32>, vector<4294967296x32xf32>
  vector.transfer_write %vc, %c[%c0, %c0] {in_bounds = [true, true]} : vector<4294967296x32xf32>, memref<4294967296x32xf32>
  return
}
