// An upstream MLIR 22 bug the fuzzer found (seed 20261205, run 18533, from
// examples/mlp.mlir with a broadcast dimension of 2^64): linalg.broadcast's
// parser reports "integer value too large", then crashes (SIGSEGV in
// mlir::linalg::BroadcastOp::parse, setting the attribute it failed to
// parse). Upstream mlir-opt 22.1 crashes the same way. XFAIL until
// Debian's libMLIR has a fix.
// XFAIL: *
// RUN: not pixelfly-opt %s -o /dev/null 2>&1 | FileCheck %s
// RUN: not mlir-opt %s -o /dev/null 2>&1 | FileCheck %s
// CHECK: integer value too large
// CHECK-NOT: Stack dump
func.func @f(%b: tensor<64xf32>, %init: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %0 = linalg.broadcast ins(%b : tensor<64xf32>) outs(%init : tensor<8x64xf32>) dimensions = [18446744073709551616]
  return %0 : tensor<8x64xf32>
}
