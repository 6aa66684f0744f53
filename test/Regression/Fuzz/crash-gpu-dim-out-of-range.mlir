// RUN: pixelfly-opt --pixelfly-gpu-pipeline %s -verify-diagnostics -o /dev/null
// RUN: pixelfly-opt --pixelfly-cpu-pipeline %s -verify-diagnostics -o /dev/null
// Fuzz finding (smoke campaign, seed 1, run 778, from
// test/Transforms/pixelfly-gpu-thread-tiles.mlir with 0 -> -2^31): a
// memref.dim at a negative constant index (undefined, but valid IR)
// crashed the GPU pipeline (SIGSEGV in its first canonicalization:
// upstream's GPU pattern for memref.dim of gpu.alloc, loaded with the
// pipeline's dialects, reads the shape at that index). Both pipelines
// start with pixelfly-pipeline-input, which reads it as 0 and warns.
func.func @dynamic(%m: memref<?x256xf32>) {
  %c0 = arith.constant -2147483648 : index
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  // expected-warning @below {{pixelfly-pipeline-input: dimension -2147483648 of a value of rank 2 is undefined: read as 0}}
  %rows = memref.dim %m, %c0 : memref<?x256xf32>
  %f = arith.constant 1.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%rows, %c256) step (%c1, %c1) {
    memref.store %f, %m[%i, %j] : memref<?x256xf32>
  }
  return
}
