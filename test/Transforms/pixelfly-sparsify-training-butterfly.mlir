// Training steps under a butterfly plan without a low-rank term (with one:
// pixelfly-sparsify-training-lowrank.mlir): the weight
// argument and its optimizer state become layout blocks (at their
// positions), the forward product block_sparse_matmul, the input gradient
// block_sparse_input_grad, the weight gradient block_sparse_weight_grad
// (only the layout's blocks), and every elementwise op and full reduction
// of the update is rebuilt on the blocks (named linalg ops as
// linalg.generic); the results follow. @<f>_pack
// gathers the dense weight and state. Plans are written by hand on the
// forward products.
//
// RUN: pixelfly-opt %s -split-input-file -verify-diagnostics --pixelfly-sparsify | FileCheck %s
// RUN: pixelfly-opt %s -split-input-file --pixelfly-sparsify 2>/dev/null \
// RUN: | pixelfly-opt -split-input-file --pixelfly-sparsify 2>/dev/null | FileCheck %s

#bf = #pixelfly.plan<structure = butterfly, pattern = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 16>>
#id = affine_map<(i, j) -> (i, j)>
#scalar = affine_map<(i, j) -> ()>

// torch-mlir's form: `N x K` weight through linalg.transpose, momentum
// state, named elementwise ops.
// CHECK-LABEL: func.func @momentum(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<8x64xf32>, %[[B:[^:]+]]: tensor<8x16x16xf32>, %[[DY:[^:]+]]: tensor<8x64xf32>, %[[V:[^:]+]]: tensor<8x16x16xf32>, %[[LR:[^:]+]]: tensor<f32>)
// CHECK-SAME:      -> (tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x16x16xf32>, tensor<8x16x16xf32>)
// CHECK:         %[[Y:.+]] = pixelfly.block_sparse_matmul ins(%[[X]], %[[B]] :
// CHECK:         %[[DX:.+]] = pixelfly.block_sparse_input_grad ins(%[[DY]], %[[B]] :
// CHECK:         %[[DB:.+]] = pixelfly.block_sparse_weight_grad ins(%{{.+}}, %[[X]] : tensor<8x64xf32>, tensor<8x64xf32>) outs(%{{.+}} : tensor<8x16x16xf32>)
// CHECK-NOT:     linalg.matmul
// CHECK:         %[[V2:.+]] = linalg.generic {{.+}} ins(%[[V]], %[[DB]] : tensor<8x16x16xf32>, tensor<8x16x16xf32>)
// CHECK:         %[[STEP:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[LR]], %[[V2]] : tensor<f32>, tensor<8x16x16xf32>)
// CHECK:         %[[B2:.+]] = linalg.generic {{.+}} ins(%[[B]], %[[STEP]] :
// CHECK:         return %[[Y]], %[[DX]], %[[B2]], %[[V2]]
// CHECK-LABEL: func.func @momentum_pack(
// CHECK-SAME:      tensor<64x64xf32>, %{{.+}}: tensor<64x64xf32>) -> (tensor<8x16x16xf32>, tensor<8x16x16xf32>)
func.func @momentum(%x: tensor<8x64xf32>, %w: tensor<64x64xf32>, %dy: tensor<8x64xf32>, %v: tensor<64x64xf32>, %lr: tensor<f32>)
    -> (tensor<8x64xf32>, tensor<8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %et = tensor.empty() : tensor<64x64xf32>
  %wt = linalg.transpose ins(%w : tensor<64x64xf32>) outs(%et : tensor<64x64xf32>) permutation = [1, 0]
  %ey = tensor.empty() : tensor<8x64xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<8x64xf32>) -> tensor<8x64xf32>
  %y = linalg.matmul {pixelfly.plan = #bf} ins(%x, %wt : tensor<8x64xf32>, tensor<64x64xf32>) outs(%fy : tensor<8x64xf32>) -> tensor<8x64xf32>
  %dx = linalg.matmul ins(%dy, %w : tensor<8x64xf32>, tensor<64x64xf32>) outs(%fy : tensor<8x64xf32>) -> tensor<8x64xf32>
  %e8 = tensor.empty() : tensor<64x8xf32>
  %dyt = linalg.transpose ins(%dy : tensor<8x64xf32>) outs(%e8 : tensor<64x8xf32>) permutation = [1, 0]
  %fw = linalg.fill ins(%zero : f32) outs(%et : tensor<64x64xf32>) -> tensor<64x64xf32>
  %dw = linalg.matmul ins(%dyt, %x : tensor<64x8xf32>, tensor<8x64xf32>) outs(%fw : tensor<64x64xf32>) -> tensor<64x64xf32>
  %v2 = linalg.add ins(%v, %dw : tensor<64x64xf32>, tensor<64x64xf32>) outs(%et : tensor<64x64xf32>) -> tensor<64x64xf32>
  %step = linalg.generic {indexing_maps = [#scalar, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%lr, %v2 : tensor<f32>, tensor<64x64xf32>) outs(%et : tensor<64x64xf32>) {
  ^bb0(%r: f32, %a: f32, %o: f32):
    %s = arith.mulf %r, %a : f32
    linalg.yield %s : f32
  } -> tensor<64x64xf32>
  %w2 = linalg.sub ins(%w, %step : tensor<64x64xf32>, tensor<64x64xf32>) outs(%et : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %y, %dx, %w2, %v2 : tensor<8x64xf32>, tensor<8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>
}

// -----

// JAX's form: `K x N` weight read through maps, AdamW as arith/math ops on
// tensors with a splat constant, the squared norm of the gradient for
// clipping, no input gradient (a first layer). The layout is on the `N x K`
// orientation; @adamw_pack transposes the dense weight and moments first.
#bf = #pixelfly.plan<structure = butterfly, pattern = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 16>>
// CHECK-LABEL: func.func @adamw(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<8x32xf32>, %[[B:[^:]+]]: tensor<4x16x16xf32>, %[[DY:[^:]+]]: tensor<8x64xf32>, %[[M:[^:]+]]: tensor<4x16x16xf32>, %[[V:[^:]+]]: tensor<4x16x16xf32>)
// CHECK-SAME:      -> (tensor<8x64xf32>, tensor<4x16x16xf32>, tensor<4x16x16xf32>, tensor<4x16x16xf32>, tensor<f32>)
// CHECK:         pixelfly.block_sparse_matmul ins(%[[X]], %[[B]] :
// CHECK:         %[[DB:.+]] = pixelfly.block_sparse_weight_grad ins(%[[DY]], %[[X]] :
// CHECK:         %[[SQ:.+]] = linalg.generic {{.+}} iterator_types = ["reduction", "reduction", "reduction"]} ins(%[[DB]] : tensor<4x16x16xf32>) outs(%{{.+}} : tensor<f32>)
// CHECK:         %[[C:.+]] = arith.constant dense<5.000000e-01> : tensor<4x16x16xf32>
// CHECK:         %[[GC:.+]] = arith.mulf %[[DB]], %[[C]] : tensor<4x16x16xf32>
// CHECK:         %[[M2:.+]] = arith.addf %[[M]], %[[GC]]
// CHECK:         %[[V2:.+]] = arith.addf %[[V]], %{{.+}} : tensor<4x16x16xf32>
// CHECK:         math.sqrt %[[V2]] : tensor<4x16x16xf32>
// CHECK:         arith.subf %[[B]], %{{.+}} : tensor<4x16x16xf32>
// CHECK:         %[[B2:.+]] = arith.subf %{{.+}} : tensor<4x16x16xf32>
// CHECK:         return %{{.+}}, %[[B2]], %[[M2]], %[[V2]], %[[SQ]]
// CHECK-LABEL: func.func @adamw_pack(
// CHECK-SAME:      tensor<32x64xf32>, %{{.+}}: tensor<32x64xf32>, %{{.+}}: tensor<32x64xf32>) -> (tensor<4x16x16xf32>, tensor<4x16x16xf32>, tensor<4x16x16xf32>)
// CHECK:         linalg.transpose
func.func @adamw(%x: tensor<8x32xf32>, %w: tensor<32x64xf32>, %dy: tensor<8x64xf32>, %m: tensor<32x64xf32>, %v: tensor<32x64xf32>)
    -> (tensor<8x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>, tensor<f32>) {
  %zero = arith.constant 0.0 : f32
  %ey = tensor.empty() : tensor<8x64xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<8x64xf32>) -> tensor<8x64xf32>
  %y = linalg.matmul {pixelfly.plan = #bf} ins(%x, %w : tensor<8x32xf32>, tensor<32x64xf32>) outs(%fy : tensor<8x64xf32>) -> tensor<8x64xf32>
  %ew = tensor.empty() : tensor<32x64xf32>
  %fw = linalg.fill ins(%zero : f32) outs(%ew : tensor<32x64xf32>) -> tensor<32x64xf32>
  %dw = linalg.matmul indexing_maps = [affine_map<(k, n, m) -> (m, k)>, affine_map<(k, n, m) -> (m, n)>, affine_map<(k, n, m) -> (k, n)>]
         ins(%x, %dy : tensor<8x32xf32>, tensor<8x64xf32>) outs(%fw : tensor<32x64xf32>) -> tensor<32x64xf32>
  %e0 = tensor.empty() : tensor<f32>
  %f0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
  %sq = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> ()>], iterator_types = ["reduction", "reduction"]}
      ins(%dw : tensor<32x64xf32>) outs(%f0 : tensor<f32>) {
  ^bb0(%g: f32, %acc: f32):
    %g2 = arith.mulf %g, %g : f32
    %s = arith.addf %acc, %g2 : f32
    linalg.yield %s : f32
  } -> tensor<f32>
  %c = arith.constant dense<0.5> : tensor<32x64xf32>
  %gc = arith.mulf %dw, %c : tensor<32x64xf32>
  %m2 = arith.addf %m, %gc : tensor<32x64xf32>
  %g2 = arith.mulf %gc, %gc : tensor<32x64xf32>
  %v2 = arith.addf %v, %g2 : tensor<32x64xf32>
  %r = math.sqrt %v2 : tensor<32x64xf32>
  %u = arith.divf %m2, %r : tensor<32x64xf32>
  %decay = arith.mulf %w, %c : tensor<32x64xf32>
  %w1 = arith.subf %w, %decay : tensor<32x64xf32>
  %w2 = arith.subf %w1, %u : tensor<32x64xf32>
  return %y, %w2, %m2, %v2, %sq : tensor<8x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>, tensor<f32>
}

// -----

// torch-mlir's shape checks (tensor.dim of the weight) do not stop the
// rewrite: the dense weight goes, its static sizes become constants.
#bf = #pixelfly.plan<structure = butterfly, pattern = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 16>>
// CHECK-LABEL: func.func @shape_checked(
// CHECK-SAME:      %{{[^:]+}}: tensor<8x64xf32>, %{{[^:]+}}: tensor<8x16x16xf32>, %{{[^:]+}}: tensor<8x64xf32>)
// CHECK-NOT:     tensor.dim
// CHECK:         %[[K:.+]] = arith.constant 64 : index
// CHECK:         arith.cmpi eq, %[[K]],
// CHECK:         pixelfly.block_sparse_matmul
// CHECK:         pixelfly.block_sparse_weight_grad
func.func @shape_checked(%x: tensor<8x64xf32>, %w: tensor<64x64xf32>, %dy: tensor<8x64xf32>) -> (tensor<8x64xf32>, tensor<64x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %c1 = arith.constant 1 : index
  %k = tensor.dim %w, %c1 : tensor<64x64xf32>
  %kx = tensor.dim %x, %c1 : tensor<8x64xf32>
  %ok = arith.cmpi eq, %k, %kx : index
  cf.assert %ok, "mismatching contracting dimension"
  %ey = tensor.empty() : tensor<8x64xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<8x64xf32>) -> tensor<8x64xf32>
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>] {pixelfly.plan = #bf}
         ins(%x, %w : tensor<8x64xf32>, tensor<64x64xf32>) outs(%fy : tensor<8x64xf32>) -> tensor<8x64xf32>
  %ew = tensor.empty() : tensor<64x64xf32>
  %fw = linalg.fill ins(%zero : f32) outs(%ew : tensor<64x64xf32>) -> tensor<64x64xf32>
  %dw = linalg.matmul indexing_maps = [affine_map<(n, k, m) -> (m, n)>, affine_map<(n, k, m) -> (m, k)>, affine_map<(n, k, m) -> (n, k)>]
         ins(%dy, %x : tensor<8x64xf32>, tensor<8x64xf32>) outs(%fw : tensor<64x64xf32>) -> tensor<64x64xf32>
  %w2 = arith.subf %w, %dw : tensor<64x64xf32>
  return %y, %w2 : tensor<8x64xf32>, tensor<64x64xf32>
}

// -----

// Refusals, each with the whole step left dense: an update that reads the
// gradient transposed; an update with a gradient that is an
// argument (no weight-gradient product to rewrite).
#bf = #pixelfly.plan<structure = butterfly, pattern = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 16>>
// CHECK-LABEL: func.func @transposed_update(
// CHECK-NOT:     pixelfly.block
// CHECK-LABEL: func.func @input_grad_result_type(
// CHECK-NOT:     pixelfly.block
// CHECK-LABEL: func.func @gradient_argument(
// CHECK-NOT:     pixelfly.block
func.func @transposed_update(%x: tensor<8x64xf32>, %w: tensor<64x64xf32>, %dy: tensor<8x64xf32>, %acc: tensor<8x64xf32>) -> (tensor<8x64xf32>, tensor<64x64xf32>) {
  %zero = arith.constant 0.0 : f32
  // expected-remark @below {{pixelfly-sparsify: @transposed_update#0 left unchanged: the update's 'linalg.generic' at}}
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>] {pixelfly.plan = #bf}
         ins(%x, %w : tensor<8x64xf32>, tensor<64x64xf32>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  %ew = tensor.empty() : tensor<64x64xf32>
  %fw = linalg.fill ins(%zero : f32) outs(%ew : tensor<64x64xf32>) -> tensor<64x64xf32>
  // expected-remark @below {{pixelfly-sparsify: @transposed_update#1 left unchanged: the weight gradient of @transposed_update#0 (planned with that layer), which stays dense}}
  %dw = linalg.matmul indexing_maps = [affine_map<(n, k, m) -> (m, n)>, affine_map<(n, k, m) -> (m, k)>, affine_map<(n, k, m) -> (n, k)>]
         ins(%dy, %x : tensor<8x64xf32>, tensor<8x64xf32>) outs(%fw : tensor<64x64xf32>) -> tensor<64x64xf32>
  %w2 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j, i)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%w, %dw : tensor<64x64xf32>, tensor<64x64xf32>) outs(%ew : tensor<64x64xf32>) {
  ^bb0(%a: f32, %g: f32, %o: f32):
    %d = arith.subf %a, %g : f32
    linalg.yield %d : f32
  } -> tensor<64x64xf32>
  return %y, %w2 : tensor<8x64xf32>, tensor<64x64xf32>
}

// The input gradient writes bf16 from f32 operands: no product op takes it.
func.func @input_grad_result_type(%x: tensor<8x64xf32>, %w: tensor<64x64xf32>, %dy: tensor<8x64xf32>, %acc: tensor<8x64xf32>, %dacc: tensor<8x64xbf16>) -> (tensor<8x64xf32>, tensor<8x64xbf16>) {
  // expected-remark @below {{pixelfly-sparsify: @input_grad_result_type#0 left unchanged: @input_grad_result_type#1: the result's element type is neither f32 nor the weight's}}
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>] {pixelfly.plan = #bf}
         ins(%x, %w : tensor<8x64xf32>, tensor<64x64xf32>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  // expected-remark @below {{pixelfly-sparsify: @input_grad_result_type#1 left unchanged: the input gradient of @input_grad_result_type#0 (planned with that layer), which stays dense}}
  %dx = linalg.matmul ins(%dy, %w : tensor<8x64xf32>, tensor<64x64xf32>) outs(%dacc : tensor<8x64xbf16>) -> tensor<8x64xbf16>
  return %y, %dx : tensor<8x64xf32>, tensor<8x64xbf16>
}

func.func @gradient_argument(%x: tensor<8x64xf32>, %w: tensor<64x64xf32>, %g: tensor<64x64xf32>, %acc: tensor<8x64xf32>) -> (tensor<8x64xf32>, tensor<64x64xf32>) {
  // expected-remark @below {{pixelfly-sparsify: @gradient_argument#0 left unchanged: the weight is updated but its gradient product was not identified (no product of a forward activation with the output gradient has the weight's shape)}}
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>] {pixelfly.plan = #bf}
         ins(%x, %w : tensor<8x64xf32>, tensor<64x64xf32>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  %w2 = arith.subf %w, %g : tensor<64x64xf32>
  return %y, %w2 : tensor<8x64xf32>, tensor<64x64xf32>
}
