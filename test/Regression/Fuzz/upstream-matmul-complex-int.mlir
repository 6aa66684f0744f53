// An upstream MLIR 22 bug the fuzzer found (seed 20261205, run 20269, from
// test/Regression/Fuzz/crash-10.mlir with f32 -> complex<i4>): parsing a
// linalg.matmul with f16 inputs into a complex<i4> accumulator crashes
// while building its region (SIGSEGV in FloatType::getFloatSemantics from
// convertScalarToDtype). Upstream mlir-opt 22.1 crashes the same way. XFAIL
// until Debian's libMLIR has a fix.
// XFAIL: *
// RUN: pixelfly-opt %s -o /dev/null 2>&1 | FileCheck %s --allow-empty
// RUN: mlir-opt %s -o /dev/null 2>&1 | FileCheck %s --allow-empty
// CHECK-NOT: Stack dump
func.func @f(%x: tensor<4x8xf16>, %w: tensor<8x4xf16>, %acc: tensor<4x4xcomplex<i4>>) -> tensor<4x4xcomplex<i4>> {
  %y = linalg.matmul ins(%x, %w : tensor<4x8xf16>, tensor<8x4xf16>) outs(%acc : tensor<4x4xcomplex<i4>>) -> tensor<4x4xcomplex<i4>>
  return %y : tensor<4x4xcomplex<i4>>
}
