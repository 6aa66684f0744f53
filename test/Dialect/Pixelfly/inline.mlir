// RUN: pixelfly-opt %s --inline --symbol-dce | FileCheck %s

// Pixelfly ops may be inlined: a sparsified step (prune, then the product
// on the compressed weight) called from a wrapper ends up in the wrapper,
// and the private callee goes away.

// CHECK-LABEL: func.func @caller(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: tensor<?x128xbf16>, %[[W:[a-zA-Z0-9_]+]]: tensor<64x128xbf16>, %[[Y:[a-zA-Z0-9_]+]]: tensor<?x64xf32>)
// CHECK:         %[[P:.+]]:2 = pixelfly.prune_2_4 ins(%[[W]] : tensor<64x128xbf16>)
// CHECK:         %[[R:.+]] = pixelfly.two_four_matmul ins(%[[X]], %[[P]]#0, %[[P]]#1 : {{.+}}) outs(%[[Y]] : tensor<?x64xf32>)
// CHECK-NOT:     call
// CHECK:         return %[[R]]
// CHECK-NOT:   func.func private @step
func.func private @step(%x: tensor<?x128xbf16>, %w: tensor<64x128xbf16>, %y: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %v0 = tensor.empty() : tensor<64x64xbf16>
  %m0 = tensor.empty() : tensor<64x8xi16>
  %v, %m = pixelfly.prune_2_4 ins(%w : tensor<64x128xbf16>) outs(%v0, %m0 : tensor<64x64xbf16>, tensor<64x8xi16>) -> tensor<64x64xbf16>, tensor<64x8xi16>
  %r = pixelfly.two_four_matmul ins(%x, %v, %m : tensor<?x128xbf16>, tensor<64x64xbf16>, tensor<64x8xi16>) outs(%y : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %r : tensor<?x64xf32>
}

func.func @caller(%x: tensor<?x128xbf16>, %w: tensor<64x128xbf16>, %y: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %r = func.call @step(%x, %w, %y) : (tensor<?x128xbf16>, tensor<64x128xbf16>, tensor<?x64xf32>) -> tensor<?x64xf32>
  return %r : tensor<?x64xf32>
}
