// Training steps under a butterfly plan with a low-rank term, and under a
// low-rank plan: the weight and every optimizer state become the
// parameters (blocks, U: N x r, V: K x r and gamma, a 0-d tensor of the
// weight's element type; U and V alone for a low-rank plan), each at the
// weight's or the state's position. The forward product becomes
// pixelfly.linear (gamma read from its tensor), the input gradient
// pixelfly.linear too, the layer transposed: over the blocks of W^T (a
// gather of the blocks, each transposed, into the transposed layout's
// order) with the factors' roles swapped and the same gamma, the
// weight gradient the parameters' gradients: gamma * block_sparse_weight_grad,
// (1 - gamma) dY^T (X V), (1 - gamma) X^T (dY U) and
// <dY^T X, B> - <X V, dY U>. The update is rebuilt once per parameter; a
// full reduction (a global norm) folds over all of them. Plans by hand.
//
// RUN: pixelfly-opt %s -split-input-file -verify-diagnostics --pixelfly-sparsify | FileCheck %s
// RUN: pixelfly-opt %s -split-input-file --pixelfly-sparsify 2>/dev/null \
// RUN: | pixelfly-opt -split-input-file --pixelfly-sparsify 2>/dev/null | FileCheck %s

// JAX's form, gradient clipping by the global norm: the squared norm sums
// over the four parameters' gradients (each reduction starts from the
// previous one's result), and the clipped update of each parameter reads
// the whole sum.
// CHECK-LABEL: func.func @clipped(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<8x32xf32>, %[[B:[^:]+]]: tensor<4x16x16xf32>, %[[U:[^:]+]]: tensor<64x16xf32>, %[[V:[^:]+]]: tensor<32x16xf32>, %[[G:[^:]+]]: tensor<f32>,
// CHECK-SAME:      %[[DY:[^:]+]]: tensor<8x64xf32>, %[[MB:[^:]+]]: tensor<4x16x16xf32>, %[[MU:[^:]+]]: tensor<64x16xf32>, %[[MV:[^:]+]]: tensor<32x16xf32>, %[[MG:[^:]+]]: tensor<f32>, %[[LR:[^:]+]]: tensor<f32>)
// CHECK-SAME:      -> (tensor<8x64xf32>, tensor<4x16x16xf32>, tensor<64x16xf32>, tensor<32x16xf32>, tensor<f32>, tensor<4x16x16xf32>, tensor<64x16xf32>, tensor<32x16xf32>, tensor<f32>, tensor<f32>)
// X V is computed once, for the forward and for the gradients.
// CHECK:         %[[GS:.+]] = tensor.extract %[[G]][] : tensor<f32>
// CHECK:         %[[XV:.+]] = linalg.matmul ins(%[[X]], %[[V]] :
// CHECK:         %[[Y:.+]] = pixelfly.linear ins(%[[X]], %[[B]], %[[U]], %[[V]] : {{.+}}) xv(%[[XV]] : tensor<8x16xf32>) gamma(%[[GS]] : f32)
// CHECK:         %[[DYU:.+]] = linalg.matmul ins(%[[DY]], %[[U]] :
// CHECK:         %[[SB:.+]] = pixelfly.block_sparse_weight_grad ins(%[[DY]], %[[X]] :
// CHECK:         %[[DB:.+]] = linalg.generic {{.+}} ins(%[[SB]], %[[G]] : tensor<4x16x16xf32>, tensor<f32>)
// CHECK-NOT:     linalg.matmul ins(%[[X]], %[[V]] :
// CHECK:         %[[DYTXV:.+]] = linalg.matmul indexing_maps = {{.+}} ins(%[[DY]], %[[XV]] :
// CHECK:         %[[DU:.+]] = linalg.generic {{.+}} ins(%[[DYTXV]], %[[G]] :
// CHECK:           arith.subf %cst{{.*}}, %in
// CHECK:         %[[XTDYU:.+]] = linalg.matmul indexing_maps = {{.+}} ins(%[[X]], %[[DYU]] :
// CHECK:         %[[DV:.+]] = linalg.generic {{.+}} ins(%[[XTDYU]], %[[G]] :
// CHECK:         %[[ONB:.+]] = linalg.generic {{.+}} iterator_types = ["reduction", "reduction", "reduction"]} ins(%[[SB]], %[[B]] :
// CHECK:         %[[DG:.+]] = linalg.generic {{.+}} ins(%[[XV]], %[[DYU]] : {{.+}}) outs(%[[ONB]] : tensor<f32>)
// CHECK:           arith.subf %out
// CHECK:         %[[S1:.+]] = linalg.generic {{.+}} ins(%[[DB]] : tensor<4x16x16xf32>) outs(%{{.+}} : tensor<f32>)
// CHECK:         %[[S2:.+]] = linalg.generic {{.+}} ins(%[[DU]] : tensor<64x16xf32>) outs(%[[S1]] : tensor<f32>)
// CHECK:         %[[S3:.+]] = linalg.generic {{.+}} ins(%[[DV]] : tensor<32x16xf32>) outs(%[[S2]] : tensor<f32>)
// CHECK:         %[[SQ:.+]] = linalg.generic {{.+}} iterator_types = []} ins(%[[DG]] : tensor<f32>) outs(%[[S3]] : tensor<f32>)
// CHECK:         %[[SCALE:.+]] = linalg.generic {{.+}} ins(%[[SQ]] : tensor<f32>)
// CHECK:           math.sqrt
// CHECK:         linalg.generic {{.+}} ins(%[[LR]], %[[SCALE]], %[[DB]] :
// CHECK:         linalg.generic {{.+}} ins(%[[LR]], %[[SCALE]], %[[DU]] :
// CHECK:         linalg.generic {{.+}} ins(%[[LR]], %[[SCALE]], %[[DV]] :
// CHECK:         linalg.generic {{.+}} ins(%[[LR]], %[[SCALE]], %[[DG]] :
// CHECK:         %[[MB2:.+]] = arith.addf %[[MB]], %{{.+}} : tensor<4x16x16xf32>
// CHECK:         %[[MU2:.+]] = arith.addf %[[MU]], %{{.+}} : tensor<64x16xf32>
// CHECK:         %[[MV2:.+]] = arith.addf %[[MV]], %{{.+}} : tensor<32x16xf32>
// CHECK:         %[[MG2:.+]] = arith.addf %[[MG]], %{{.+}} : tensor<f32>
// CHECK:         %[[B2:.+]] = arith.subf %[[B]], %[[MB2]]
// CHECK:         %[[U2:.+]] = arith.subf %[[U]], %[[MU2]]
// CHECK:         %[[V2:.+]] = arith.subf %[[V]], %[[MV2]]
// CHECK:         %[[G2:.+]] = arith.subf %[[G]], %[[MG2]]
// CHECK:         return %[[Y]], %[[B2]], %[[U2]], %[[V2]], %[[G2]], %[[MB2]], %[[MU2]], %[[MV2]], %[[MG2]], %[[SQ]]
// CHECK-LABEL: func.func @clipped_pack(
// CHECK-SAME:      tensor<32x64xf32>, %{{.+}}: tensor<32x64xf32>) -> (tensor<4x16x16xf32>, tensor<4x16x16xf32>)
#bfr = #pixelfly.plan<structure = butterfly, pattern = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 16>, rank = 16>
func.func @clipped(%x: tensor<8x32xf32>, %w: tensor<32x64xf32>, %dy: tensor<8x64xf32>, %m: tensor<32x64xf32>, %lr: tensor<f32>)
    -> (tensor<8x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>, tensor<f32>) {
  %zero = arith.constant 0.0 : f32
  %ey = tensor.empty() : tensor<8x64xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<8x64xf32>) -> tensor<8x64xf32>
  %y = linalg.matmul {pixelfly.plan = #bfr} ins(%x, %w : tensor<8x32xf32>, tensor<32x64xf32>) outs(%fy : tensor<8x64xf32>) -> tensor<8x64xf32>
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
  %scale = linalg.generic {indexing_maps = [affine_map<() -> ()>, affine_map<() -> ()>], iterator_types = []}
      ins(%sq : tensor<f32>) outs(%e0 : tensor<f32>) {
  ^bb0(%s: f32, %o: f32):
    %one = arith.constant 1.0 : f32
    %n = math.sqrt %s : f32
    %d = arith.maximumf %n, %one : f32
    %r = arith.divf %one, %d : f32
    linalg.yield %r : f32
  } -> tensor<f32>
  %step = linalg.generic {indexing_maps = [affine_map<(i, j) -> ()>, affine_map<(i, j) -> ()>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%lr, %scale, %dw : tensor<f32>, tensor<f32>, tensor<32x64xf32>) outs(%ew : tensor<32x64xf32>) {
  ^bb0(%r: f32, %c: f32, %g: f32, %o: f32):
    %a = arith.mulf %r, %c : f32
    %s = arith.mulf %a, %g : f32
    linalg.yield %s : f32
  } -> tensor<32x64xf32>
  %m2 = arith.addf %m, %step : tensor<32x64xf32>
  %w2 = arith.subf %w, %m2 : tensor<32x64xf32>
  return %y, %w2, %m2, %sq : tensor<8x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>, tensor<f32>
}

// -----


#lr = #pixelfly.plan<structure = low_rank, rank = 16>
// A low-rank plan (torch-mlir's form, `N x K` weight, SGD): U and V alone, no
// gamma; dY^T (X V) and X^T (dY U) unscaled; no pack function (nothing to
// gather). X V and dY U are computed once: the forward is (X V) U^T, the
// input gradient (dY U) V^T, and the factors' gradients read the same two.
// CHECK-LABEL: func.func @low_rank_plan(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<8x64xf32>, %[[U:[^:]+]]: tensor<32x16xf32>, %[[V:[^:]+]]: tensor<64x16xf32>, %[[DY:[^:]+]]: tensor<8x32xf32>, %[[LR:[^:]+]]: tensor<f32>)
// CHECK-SAME:      -> (tensor<8x32xf32>, tensor<8x64xf32>, tensor<32x16xf32>, tensor<64x16xf32>)
// CHECK-NOT:     pixelfly.low_rank_matmul
// CHECK:         %[[XV:.+]] = linalg.matmul ins(%[[X]], %[[V]] :
// CHECK:         %[[Y:.+]] = linalg.matmul indexing_maps = [#[[A:.+]], #[[BT:.+]], #[[C:.+]]] ins(%[[XV]], %[[U]] :
// CHECK:         %[[DYU:.+]] = linalg.matmul ins(%[[DY]], %[[U]] :
// CHECK:         %[[DX:.+]] = linalg.matmul indexing_maps = [#[[A]], #[[BT]], #[[C]]] ins(%[[DYU]], %[[V]] :
// CHECK-NOT:     linalg.matmul ins(%[[X]], %[[V]]
// CHECK-NOT:     linalg.matmul ins(%[[DY]], %[[U]]
// CHECK:         %[[DU:.+]] = linalg.matmul indexing_maps = {{.+}} ins(%[[DY]], %[[XV]] :
// CHECK:         %[[DV:.+]] = linalg.matmul indexing_maps = {{.+}} ins(%[[X]], %[[DYU]] :
// CHECK:         %[[U2:.+]] = linalg.generic {{.+}} ins(%[[LR]], %[[U]], %[[DU]] :
// CHECK:         %[[V2:.+]] = linalg.generic {{.+}} ins(%[[LR]], %[[V]], %[[DV]] :
// CHECK:         return %[[Y]], %[[DX]], %[[U2]], %[[V2]]
// CHECK-NOT:   func.func @low_rank_plan_pack
func.func @low_rank_plan(%x: tensor<8x64xf32>, %w: tensor<32x64xf32>, %dy: tensor<8x32xf32>, %lr: tensor<f32>)
    -> (tensor<8x32xf32>, tensor<8x64xf32>, tensor<32x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %et = tensor.empty() : tensor<64x32xf32>
  %wt = linalg.transpose ins(%w : tensor<32x64xf32>) outs(%et : tensor<64x32xf32>) permutation = [1, 0]
  %ey = tensor.empty() : tensor<8x32xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<8x32xf32>) -> tensor<8x32xf32>
  %y = linalg.matmul {pixelfly.plan = #lr} ins(%x, %wt : tensor<8x64xf32>, tensor<64x32xf32>) outs(%fy : tensor<8x32xf32>) -> tensor<8x32xf32>
  %ex = tensor.empty() : tensor<8x64xf32>
  %fx = linalg.fill ins(%zero : f32) outs(%ex : tensor<8x64xf32>) -> tensor<8x64xf32>
  %dx = linalg.matmul ins(%dy, %w : tensor<8x32xf32>, tensor<32x64xf32>) outs(%fx : tensor<8x64xf32>) -> tensor<8x64xf32>
  %edt = tensor.empty() : tensor<32x8xf32>
  %dyt = linalg.transpose ins(%dy : tensor<8x32xf32>) outs(%edt : tensor<32x8xf32>) permutation = [1, 0]
  %ew = tensor.empty() : tensor<32x64xf32>
  %fw = linalg.fill ins(%zero : f32) outs(%ew : tensor<32x64xf32>) -> tensor<32x64xf32>
  %dw = linalg.matmul ins(%dyt, %x : tensor<32x8xf32>, tensor<8x64xf32>) outs(%fw : tensor<32x64xf32>) -> tensor<32x64xf32>
  %w2 = linalg.generic {indexing_maps = [affine_map<(i, j) -> ()>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%lr, %w, %dw : tensor<f32>, tensor<32x64xf32>, tensor<32x64xf32>) outs(%ew : tensor<32x64xf32>) {
  ^bb0(%r: f32, %a: f32, %g: f32, %o: f32):
    %s = arith.mulf %r, %g : f32
    %t = arith.subf %a, %s : f32
    linalg.yield %t : f32
  } -> tensor<32x64xf32>
  return %y, %dx, %w2 : tensor<8x32xf32>, tensor<8x64xf32>, tensor<32x64xf32>
}

// -----


#bfr = #pixelfly.plan<structure = butterfly, pattern = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 16>, rank = 16>
// bf16 weight, f32 gradient and update arithmetic: gamma is bf16 like the
// weight; X V and dY U are accumulated in f32 and rounded to bf16 for the
// products that read them; the gradients are f32 like the dense one.
// CHECK-LABEL: func.func @bf16_weight(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<8x64xbf16>, %[[B:[^:]+]]: tensor<8x16x16xbf16>, %[[U:[^:]+]]: tensor<64x16xbf16>, %[[V:[^:]+]]: tensor<64x16xbf16>, %[[G:[^:]+]]: tensor<bf16>, %[[DY:[^:]+]]: tensor<8x64xbf16>, %{{.+}}: tensor<f32>)
// CHECK-SAME:      -> (tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x16x16xbf16>, tensor<64x16xbf16>, tensor<64x16xbf16>, tensor<bf16>)
// X V once, for the forward and the gradients: f32 accumulation, rounded.
// CHECK:         %[[XVF:.+]] = linalg.matmul ins(%[[X]], %[[V]] : {{.+}}) outs(%{{.+}} : tensor<8x16xf32>)
// CHECK:         %[[XV:.+]] = linalg.generic {{.+}} ins(%[[XVF]] : tensor<8x16xf32>) outs(%{{.+}} : tensor<8x16xbf16>)
// CHECK:           arith.truncf
// CHECK:         pixelfly.linear ins(%[[X]], {{.+}}) xv(%[[XV]] : tensor<8x16xbf16>) gamma(%{{.+}} : bf16)
// The input gradient: W^T's blocks gathered (the table lists, for each
// block of the transposed layout, the block of B it transposes), then the
// fused product with the mix in the kernel, not in scaled copies.
// CHECK:         %[[TABLE:.+]] = arith.constant dense<[0, 2, 1, 3, 4, 6, 5, 7]> : tensor<8xindex>
// CHECK:         %[[BT:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<8x16x16xbf16>)
// CHECK:           %[[P:.+]] = linalg.index 0
// CHECK:           %[[I:.+]] = linalg.index 1
// CHECK:           %[[J:.+]] = linalg.index 2
// CHECK:           %[[Q:.+]] = tensor.extract %[[TABLE]][%[[P]]]
// CHECK:           tensor.extract %[[B]][%[[Q]], %[[J]], %[[I]]] : tensor<8x16x16xbf16>
// CHECK:         %[[GS:.+]] = tensor.extract %[[G]][] : tensor<bf16>
// dY U like X V, for the input gradient and the gradients.
// CHECK:         %[[DYUF:.+]] = linalg.matmul ins(%[[DY]], %[[U]] : {{.+}}) outs(%{{.+}} : tensor<8x16xf32>)
// CHECK:         %[[DYU:.+]] = linalg.generic {{.+}} ins(%[[DYUF]] : tensor<8x16xf32>) outs(%{{.+}} : tensor<8x16xbf16>)
// CHECK:         pixelfly.linear ins(%[[DY]], %[[BT]], %[[V]], %[[U]] : {{.+}}) xv(%[[DYU]] : tensor<8x16xbf16>) gamma(%[[GS]] : bf16) outs(%{{.+}} : tensor<8x64xf32>) layout(#layout)
// CHECK-NOT:     pixelfly.low_rank_matmul
// CHECK-NOT:     pixelfly.block_sparse_input_grad
// CHECK:         pixelfly.block_sparse_weight_grad {{.+}} -> tensor<8x16x16xf32>
// CHECK-NOT:     linalg.matmul ins(
// CHECK:         linalg.matmul indexing_maps = {{.+}} ins(%[[DY]], %[[XV]] :
// CHECK-NOT:     linalg.matmul ins(
// CHECK:         linalg.matmul indexing_maps = {{.+}} ins(%[[X]], %[[DYU]] :
func.func @bf16_weight(%x: tensor<8x64xbf16>, %w: tensor<64x64xbf16>, %dy: tensor<8x64xbf16>, %lr: tensor<f32>)
    -> (tensor<8x64xf32>, tensor<8x64xf32>, tensor<64x64xbf16>) {
  %zero = arith.constant 0.0 : f32
  %ey = tensor.empty() : tensor<8x64xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<8x64xf32>) -> tensor<8x64xf32>
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>] {pixelfly.plan = #bfr}
         ins(%x, %w : tensor<8x64xbf16>, tensor<64x64xbf16>) outs(%fy : tensor<8x64xf32>) -> tensor<8x64xf32>
  %dx = linalg.matmul ins(%dy, %w : tensor<8x64xbf16>, tensor<64x64xbf16>) outs(%fy : tensor<8x64xf32>) -> tensor<8x64xf32>
  %ew = tensor.empty() : tensor<64x64xf32>
  %fw = linalg.fill ins(%zero : f32) outs(%ew : tensor<64x64xf32>) -> tensor<64x64xf32>
  %dw = linalg.matmul indexing_maps = [affine_map<(n, k, m) -> (m, n)>, affine_map<(n, k, m) -> (m, k)>, affine_map<(n, k, m) -> (n, k)>]
         ins(%dy, %x : tensor<8x64xbf16>, tensor<8x64xbf16>) outs(%fw : tensor<64x64xf32>) -> tensor<64x64xf32>
  %eb = tensor.empty() : tensor<64x64xbf16>
  %w2 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> ()>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%w, %dw, %lr : tensor<64x64xbf16>, tensor<64x64xf32>, tensor<f32>) outs(%eb : tensor<64x64xbf16>) {
  ^bb0(%a: bf16, %g: f32, %r: f32, %o: bf16):
    %af = arith.extf %a : bf16 to f32
    %s = arith.mulf %r, %g : f32
    %d = arith.subf %af, %s : f32
    %t = arith.truncf %d : f32 to bf16
    linalg.yield %t : bf16
  } -> tensor<64x64xbf16>
  return %y, %dx, %w2 : tensor<8x64xf32>, tensor<8x64xf32>, tensor<64x64xbf16>
}

// -----


#big = #pixelfly.plan<structure = butterfly, pattern = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 16>, rank = 80>
// A rank beyond min(N, K) is refused; the step stays dense.
// CHECK-LABEL: func.func @rank_too_large(
// CHECK-SAME:      tensor<64x64xf32>
// CHECK-NEXT:    linalg.matmul
// CHECK-NEXT:    linalg.matmul
func.func @rank_too_large(%x: tensor<8x64xf32>, %w: tensor<64x64xf32>, %dy: tensor<8x64xf32>, %acc: tensor<8x64xf32>) -> (tensor<8x64xf32>, tensor<8x64xf32>) {
  // expected-remark @below {{pixelfly-sparsify: @rank_too_large#0 left unchanged: plan rank 80 exceeds min(N, K) = 64}}
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>] {pixelfly.plan = #big}
         ins(%x, %w : tensor<8x64xf32>, tensor<64x64xf32>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  // expected-remark @below {{pixelfly-sparsify: @rank_too_large#1 left unchanged: the input gradient of @rank_too_large#0 (planned with that layer), which stays dense}}
  %dx = linalg.matmul ins(%dy, %w : tensor<8x64xf32>, tensor<64x64xf32>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %y, %dx : tensor<8x64xf32>, tensor<8x64xf32>
}
