// RUN: pixelfly-opt --pixelfly-sparsify="budget=1.0" %s 2>/dev/null | FileCheck %s
// RUN: pixelfly-opt --pixelfly-sparsify="budget=1.0" %s 2>/dev/null | mlir-opt | FileCheck %s
// RUN: pixelfly-opt --pixelfly-budget="budget=1.0" %s | FileCheck %s --check-prefix=BUDGET
// RUN: pixelfly-opt --pixelfly-budget="budget=1.0" %s | pixelfly-opt --pixelfly-sparsify | FileCheck %s --check-prefix=GIVEN
// Was: pixelfly-sparsify left the `pixelfly.plan<structure = dense>` it
// attached itself on the layers it did not convert, so upstream mlir-opt
// (without our dialect) could no longer read a module in which nothing was
// converted. pixelfly-budget's plans are its documented result and stay,
// and so do plans that came with the input.

// CHECK-NOT: #pixelfly
// CHECK-LABEL: func.func @full_budget
// CHECK: linalg.matmul ins
// CHECK-NOT: pixelfly
// BUDGET: #[[PLAN:.*]] = #pixelfly.plan<structure = dense>
// BUDGET: linalg.matmul {pixelfly.plan = #[[PLAN]]}
// GIVEN: #[[PLAN:.*]] = #pixelfly.plan<structure = dense>
// GIVEN: linalg.matmul {pixelfly.plan = #[[PLAN]]}
func.func @full_budget(%x: tensor<4x256xf32>, %w: tensor<256x256xf32>, %acc: tensor<4x256xf32>) -> tensor<4x256xf32> {
  %y = linalg.matmul ins(%x, %w : tensor<4x256xf32>, tensor<256x256xf32>) outs(%acc : tensor<4x256xf32>) -> tensor<4x256xf32>
  return %y : tensor<4x256xf32>
}
