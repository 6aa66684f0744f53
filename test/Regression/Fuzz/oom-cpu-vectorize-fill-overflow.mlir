// RUN: pixelfly-opt --pixelfly-cpu-pipeline %s | FileCheck %s
// Fuzz finding (smoke campaign, seed 1, run 390, from
// test/Transforms/pixelfly-sparsify-training-fixed-mask.mlir with 7 ->
// 2^62 + 1): pixelfly-cpu-vectorize sized an elementwise op's vector piece
// by multiplying its outer dimensions, and 64 x (2^62 + 1) wrapped to 64,
// so the whole 2^62 x 64 fill became one vector, which the unrolling of
// transfers ran out of memory on (LLVM ERROR: out of memory). A product
// past a register tile now stops the count: the fill is written a row of
// 64 at a time.
// CHECK-LABEL: llvm.func @fill(
// CHECK-NOT:     vector<4611686018427387905
// CHECK:         llvm.store {{.+}} : vector<{{[0-9]+}}xf32>, !llvm.ptr
func.func @fill(%e: tensor<4611686018427387905x64xf32>) -> tensor<4611686018427387905x64xf32> {
  %zero = arith.constant 0.0 : f32
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4611686018427387905x64xf32>) -> tensor<4611686018427387905x64xf32>
  return %f : tensor<4611686018427387905x64xf32>
}
