// Training steps under 2:4 with a fixed mask (two-four-mask=fixed): the
// mask is an argument after the weight, of the weight's type; the step
// multiplies the weight by it before the per-step transposable prune (which
// then keeps the mask), and @<f>_pack makes it once from the dense weight:
// prune_2_4 transposable, then densify_2_4 of ones on its metadata. The
// weight gradient and the optimizer stay dense, as under the per-step mask.
//
// RUN: pixelfly-opt %s -split-input-file -verify-diagnostics \
// RUN:   --pixelfly-sparsify="mode=2:4 weights=argument min-weight-size=16 two-four-mask=fixed" \
// RUN: | FileCheck %s
// RUN: pixelfly-opt %s -split-input-file \
// RUN:   --pixelfly-sparsify="mode=2:4 weights=argument min-weight-size=16 two-four-mask=fixed" 2>/dev/null \
// RUN: | pixelfly-opt -split-input-file \
// RUN:   --pixelfly-sparsify="mode=2:4 weights=argument min-weight-size=16 two-four-mask=fixed" 2>/dev/null \
// RUN: | FileCheck %s

// CHECK-LABEL: func.func @step(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<7x32xf32>, %[[W:[^:]+]]: tensor<64x32xf32>, %[[MASK:[^:]+]]: tensor<64x32xf32>, %[[DY:[^:]+]]: tensor<7x64xf32>, %[[LR:[^:]+]]: tensor<f32>)
// CHECK-SAME:      -> (tensor<7x64xf32>, tensor<7x32xf32>, tensor<64x32xf32>)
// CHECK:         %[[MW:.+]] = linalg.mul ins(%[[W]], %[[MASK]] : tensor<64x32xf32>, tensor<64x32xf32>)
// CHECK:         %[[P:.+]]:4 = pixelfly.prune_2_4 transposable ins(%[[MW]] : tensor<64x32xf32>)
// CHECK:         pixelfly.two_four_matmul ins(%[[X]], %[[P]]#0, %[[P]]#1 :
// CHECK:         pixelfly.two_four_matmul ins(%[[DY]], %[[P]]#2, %[[P]]#3 :
// CHECK:         %[[DW:.+]] = linalg.matmul {{.+}} ins(%[[DY]], %[[X]] :
// CHECK:         linalg.generic {{.+}} ins(%[[LR]], %[[W]], %[[DW]] :
// CHECK-LABEL: func.func @step_pack(
// CHECK-SAME:      %[[W0:[^:]+]]: tensor<64x32xf32>) -> tensor<64x32xf32>
// CHECK:         %[[P0:.+]]:4 = pixelfly.prune_2_4 transposable ins(%[[W0]] :
// CHECK:         %[[ONES:.+]] = arith.constant dense<1.000000e+00> : tensor<64x16xf32>
// CHECK:         %[[M:.+]] = pixelfly.densify_2_4 ins(%[[ONES]], %[[P0]]#1 : tensor<64x16xf32>, tensor<64x2xi16>)
// CHECK:         return %[[M]]
func.func @step(%x: tensor<7x32xf32>, %w: tensor<64x32xf32>, %dy: tensor<7x64xf32>, %lr: tensor<f32>)
    -> (tensor<7x64xf32>, tensor<7x32xf32>, tensor<64x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %ey = tensor.empty() : tensor<7x64xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<7x64xf32>) -> tensor<7x64xf32>
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%x, %w : tensor<7x32xf32>, tensor<64x32xf32>) outs(%fy : tensor<7x64xf32>) -> tensor<7x64xf32>
  %ex = tensor.empty() : tensor<7x32xf32>
  %fx = linalg.fill ins(%zero : f32) outs(%ex : tensor<7x32xf32>) -> tensor<7x32xf32>
  %dx = linalg.matmul ins(%dy, %w : tensor<7x64xf32>, tensor<64x32xf32>) outs(%fx : tensor<7x32xf32>) -> tensor<7x32xf32>
  %ew = tensor.empty() : tensor<64x32xf32>
  %fw = linalg.fill ins(%zero : f32) outs(%ew : tensor<64x32xf32>) -> tensor<64x32xf32>
  // expected-remark @below {{pixelfly-sparsify: @step#2 left unchanged: the weight gradient of @step#0 stays dense}}
  %dw = linalg.matmul indexing_maps = [affine_map<(n, k, m) -> (m, n)>, affine_map<(n, k, m) -> (m, k)>, affine_map<(n, k, m) -> (n, k)>]
         ins(%dy, %x : tensor<7x64xf32>, tensor<7x32xf32>) outs(%fw : tensor<64x32xf32>) -> tensor<64x32xf32>
  %w2 = linalg.generic {indexing_maps = [affine_map<(i, j) -> ()>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%lr, %w, %dw : tensor<f32>, tensor<64x32xf32>, tensor<64x32xf32>) outs(%ew : tensor<64x32xf32>) {
  ^bb0(%r: f32, %a: f32, %g: f32, %o: f32):
    %s = arith.mulf %r, %g : f32
    %t = arith.subf %a, %s : f32
    linalg.yield %t : f32
  } -> tensor<64x32xf32>
  return %y, %dx, %w2 : tensor<7x64xf32>, tensor<7x32xf32>, tensor<64x32xf32>
}

// -----

// A function called in the module keeps its signature: no mask argument.
// CHECK-LABEL: func.func private @called(
// CHECK-SAME:      tensor<64x32xf32>, %{{[^:]+}}: tensor<7x64xf32>)
// CHECK-NOT:     pixelfly.prune_2_4
// CHECK:         linalg.matmul
func.func private @called(%x: tensor<7x32xf32>, %w: tensor<64x32xf32>, %dy: tensor<7x64xf32>) -> (tensor<7x64xf32>, tensor<7x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %ey = tensor.empty() : tensor<7x64xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<7x64xf32>) -> tensor<7x64xf32>
  // expected-remark @below {{pixelfly-sparsify: @called#0 left unchanged: a fixed 2:4 mask (two-four-mask=fixed) is an argument, and the weight is not an argument of a function that is not called in the module}}
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%x, %w : tensor<7x32xf32>, tensor<64x32xf32>) outs(%fy : tensor<7x64xf32>) -> tensor<7x64xf32>
  %ex = tensor.empty() : tensor<7x32xf32>
  %fx = linalg.fill ins(%zero : f32) outs(%ex : tensor<7x32xf32>) -> tensor<7x32xf32>
  // expected-remark @below {{pixelfly-sparsify: @called#1 left unchanged: the input gradient of @called#0 (planned with that layer), which stays dense}}
  %dx = linalg.matmul ins(%dy, %w : tensor<7x64xf32>, tensor<64x32xf32>) outs(%fx : tensor<7x32xf32>) -> tensor<7x32xf32>
  return %y, %dx : tensor<7x64xf32>, tensor<7x32xf32>
}
func.func @caller(%x: tensor<7x32xf32>, %w: tensor<64x32xf32>, %dy: tensor<7x64xf32>) -> (tensor<7x64xf32>, tensor<7x32xf32>) {
  %y, %dx = func.call @called(%x, %w, %dy) : (tensor<7x32xf32>, tensor<64x32xf32>, tensor<7x64xf32>) -> (tensor<7x64xf32>, tensor<7x32xf32>)
  return %y, %dx : tensor<7x64xf32>, tensor<7x32xf32>
}
