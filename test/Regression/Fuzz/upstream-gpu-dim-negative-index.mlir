// An upstream MLIR 22 bug the fuzzer found (seed 17, run 1920, from
// crash-gpu-dim-out-of-range.mlir with a statement duplicated): with the
// GPU dialect loaded (here by convert-pixelfly-to-gpu, which changes
// nothing in this function), --canonicalize crashes on a memref.dim at a
// negative constant index (undefined, but valid IR): SIGSEGV inside a
// pattern of the greedy driver, no frame of ours. Upstream mlir-opt 22.1
// crashes the same way once a gpu.module loads the dialect. The pipelines
// defuse such a dim first (pixelfly-pipeline-input). XFAIL until Debian's
// libMLIR has a fix.
// XFAIL: *
// RUN: pixelfly-opt --convert-pixelfly-to-gpu --canonicalize %s -o /dev/null 2>&1 | FileCheck %s --allow-empty
// RUN: mlir-opt --canonicalize %s -o /dev/null 2>&1 | FileCheck %s --allow-empty
// CHECK-NOT: Stack dump
gpu.module @loads_the_gpu_dialect {}
func.func @dynamic(%m: memref<?x256xf32>) {
  %c0 = arith.constant -2147483648 : index
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  %rows = memref.dim %m, %c0 : memref<?x256xf32>
  scf.parallel (%i, %j) = (%c0, %c0) to (%rows, %c256) step (%c1, %c1) {
  }
  return
}
