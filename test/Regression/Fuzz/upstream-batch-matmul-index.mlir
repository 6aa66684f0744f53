// An upstream MLIR 22 bug the fuzzer found (seed 20261205, run 16544, from
// the corpus's llvm-linalg-rank-reduce-contraction-ops.mlir with f32 ->
// index): parsing linalg.batch_matmul on index elements crashes (SIGSEGV in
// the op's custom parser, as for linalg.batch_reduce_matmul). Upstream
// mlir-opt 22.1 crashes the same way. XFAIL until Debian's libMLIR has a
// fix.
// XFAIL: *
// RUN: pixelfly-opt %s -o /dev/null 2>&1 | FileCheck %s --allow-empty
// RUN: mlir-opt %s -o /dev/null 2>&1 | FileCheck %s --allow-empty
// CHECK-NOT: Stack dump
func.func @f(%a: tensor<2x4x8xindex>, %b: tensor<2x8x4xindex>, %init: tensor<2x4x4xindex>) -> tensor<2x4x4xindex> {
  %0 = linalg.batch_matmul ins(%a, %b : tensor<2x4x8xindex>, tensor<2x8x4xindex>) outs(%init : tensor<2x4x4xindex>) -> tensor<2x4x4xindex>
  return %0 : tensor<2x4x4xindex>
}
