// RUN: not pixelfly-opt --pixelfly-cpu-pipeline %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=CPU
// RUN: not pixelfly-opt --pixelfly-gpu-pipeline %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=GPU
// Fuzz finding (smoke campaign, seed 1, run 198, from
// test/Regression/Fuzz/crash-gpu-constant-resource.mlir with 4 -> ?): a
// dense_resource constant of a dynamically shaped tensor verifies (the
// attribute does not check its type), and the CPU pipeline crashed in
// eliminate-empty-tensors (SIGSEGV in ValueBoundsConstraintSet::getExpr;
// upstream mlir-opt --eliminate-empty-tensors crashes on the same IR). The
// first pass of both pipelines, pixelfly-pipeline-input, refuses such a
// constant.
// CPU: error: pixelfly-pipeline-input: a constant of type 'tensor<?x?xf32>' (a constant needs a static shape)
// GPU: error: pixelfly-pipeline-input: a constant of type 'tensor<?x?xf32>' (a constant needs a static shape)
func.func @short(%x: tensor<4096x?xf32>, %acc: tensor<4096x?xf32>) -> tensor<4096x?xf32> {
  %w = arith.constant dense_resource<short_blob> : tensor<?x?xf32>
  %y = linalg.matmul ins(%x, %w : tensor<4096x?xf32>, tensor<?x?xf32>) outs(%acc : tensor<4096x?xf32>) -> tensor<4096x?xf32>
  return %y : tensor<4096x?xf32>
}
{-#
  dialect_resources: {
    builtin: {
    }
  }
#-}
