// gamma=gate: a butterfly plus low-rank weight that becomes arguments mixes
// its terms per token, gamma[m] = sigmoid(<X[m], w> + b) (the reference's
// gate, nn.Linear(K, 1) then a sigmoid), and w (K) and b (0-d) take
// gamma's place among the parameters and the optimizer states. The
// forward is pixelfly.linear with a per-row gamma; the gradients share
// dY B, X V, dY U and the gate's pre-activation gradient
// pre = gamma (1 - gamma) (<dY B, X> - <dY U, X V>) per row:
//   dX = gamma .* dY B + ((1 - gamma) .* dY U) V^T + pre w^T,
//   blocks: (gamma .* dY)^T X on the layout, U: dY^T ((1 - gamma) .* X V),
//   V: X^T ((1 - gamma) .* dY U), w: X^T pre, b: sum(pre).
// Plans by hand. Numerics: Integration/CPU/train-butterfly-gate.mlir.
//
// RUN: pixelfly-opt %s -split-input-file -verify-diagnostics --pixelfly-sparsify="gamma=gate" | FileCheck %s
// RUN: pixelfly-opt %s -split-input-file --pixelfly-sparsify="gamma=gate" 2>/dev/null \
// RUN: | pixelfly-opt -split-input-file --pixelfly-sparsify="gamma=gate" 2>/dev/null | FileCheck %s

// torch-mlir's form with a ragged token count: dY^T through a transpose.
// CHECK-LABEL: func.func @torch_gated(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<?x64xf32>, %[[B:[^:]+]]: tensor<8x16x16xf32>, %[[U:[^:]+]]: tensor<64x16xf32>, %[[V:[^:]+]]: tensor<64x16xf32>, %[[W:[^:]+]]: tensor<64xf32>, %[[BIAS:[^:]+]]: tensor<f32>, %[[DY:[^:]+]]: tensor<?x64xf32>, %[[LR:[^:]+]]: tensor<f32>)
// CHECK-SAME:      -> (tensor<?x64xf32>, tensor<?x64xf32>, tensor<8x16x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64xf32>, tensor<f32>)
// CHECK:         %[[BS:.+]] = tensor.extract %[[BIAS]][]
// CHECK:         %[[Z0:.+]] = linalg.fill ins(%[[BS]] : f32) outs(%{{.+}} : tensor<?xf32>)
// CHECK:         %[[Z:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]} ins(%[[X]], %[[W]] : tensor<?x64xf32>, tensor<64xf32>) outs(%[[Z0]] : tensor<?xf32>)
// CHECK:         %[[G:.+]] = linalg.generic {{.+}} ins(%[[Z]] : tensor<?xf32>)
// CHECK:           math.exp
// X V once, for the forward and the gate's backward.
// CHECK:         %[[XV:.+]] = linalg.matmul ins(%[[X]], %[[V]] :
// CHECK:         %[[Y:.+]] = pixelfly.linear ins(%[[X]], %[[B]], %[[U]], %[[V]] : {{.+}}) xv(%[[XV]] : tensor<?x16xf32>) gamma(%[[G]] : tensor<?xf32>)
// CHECK:         %[[DYB:.+]] = pixelfly.block_sparse_input_grad ins(%[[DY]], %[[B]] :
// CHECK-NOT:     linalg.matmul ins(%[[X]], %[[V]] :
// CHECK:         %[[DYU:.+]] = linalg.matmul ins(%[[DY]], %[[U]] :
// CHECK:         %[[R0:.+]] = linalg.generic {{.+}} ins(%[[DYB]], %[[X]] :
// CHECK:         %[[R:.+]] = linalg.generic {{.+}} ins(%[[DYU]], %[[XV]] : {{.+}}) outs(%[[R0]] : tensor<?xf32>)
// CHECK:         %[[DYU1:.+]] = linalg.generic {{.+}} ins(%[[DYU]], %[[G]] :
// CHECK:         %[[PRE:.+]] = linalg.generic {{.+}} ins(%[[R]], %[[G]] :
// CHECK:         %[[LOW:.+]] = linalg.matmul indexing_maps = {{.+}} ins(%[[DYU1]], %[[V]] :
// CHECK:         %[[DX:.+]] = linalg.generic {{.+}} ins(%{{.+}}, %[[DYB]], %[[LOW]], %[[G]], %[[PRE]], %[[W]] :
// CHECK:         %[[DYG:.+]] = linalg.generic {{.+}} ins(%[[DY]], %[[G]] :
// CHECK:         %[[DB:.+]] = pixelfly.block_sparse_weight_grad ins(%[[DYG]], %[[X]] :
// CHECK:         %[[XV1:.+]] = linalg.generic {{.+}} ins(%[[XV]], %[[G]] :
// CHECK:         %[[DU:.+]] = linalg.matmul indexing_maps = {{.+}} ins(%[[DY]], %[[XV1]] :
// CHECK:         %[[DV:.+]] = linalg.matmul indexing_maps = {{.+}} ins(%[[X]], %[[DYU1]] :
// CHECK:         %[[DW:.+]] = linalg.generic {{.+}} iterator_types = ["reduction", "parallel"]} ins(%[[X]], %[[PRE]] :
// CHECK:         %[[DBIAS:.+]] = linalg.generic {{.+}} iterator_types = ["reduction"]} ins(%[[PRE]] :
// CHECK:         %[[B2:.+]] = linalg.generic {{.+}} ins(%[[LR]], %[[DB]] :
// CHECK:         %[[U2:.+]] = linalg.generic {{.+}} ins(%[[LR]], %[[DU]] :
// CHECK:         %[[V2:.+]] = linalg.generic {{.+}} ins(%[[LR]], %[[DV]] :
// CHECK:         %[[W2:.+]] = linalg.generic {{.+}} ins(%[[LR]], %[[DW]] :
// CHECK:         %[[BIAS2:.+]] = linalg.generic {{.+}} ins(%[[LR]], %[[DBIAS]] :
// CHECK:         return %[[Y]], %[[DX]], %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}} :
// CHECK-LABEL: func.func @torch_gated_pack(
// CHECK-SAME:      tensor<64x64xf32>) -> tensor<8x16x16xf32>
#bfr = #pixelfly.plan<structure = butterfly, pattern = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 16>, rank = 16>
func.func @torch_gated(%x: tensor<?x64xf32>, %w: tensor<64x64xf32>, %dy: tensor<?x64xf32>, %lr: tensor<f32>)
    -> (tensor<?x64xf32>, tensor<?x64xf32>, tensor<64x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %m = tensor.dim %x, %c0 : tensor<?x64xf32>
  %et = tensor.empty() : tensor<64x64xf32>
  %wt = linalg.transpose ins(%w : tensor<64x64xf32>) outs(%et : tensor<64x64xf32>) permutation = [1, 0]
  %ey = tensor.empty(%m) : tensor<?x64xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<?x64xf32>) -> tensor<?x64xf32>
  %y = linalg.matmul {pixelfly.plan = #bfr} ins(%x, %wt : tensor<?x64xf32>, tensor<64x64xf32>) outs(%fy : tensor<?x64xf32>) -> tensor<?x64xf32>
  %dx = linalg.matmul ins(%dy, %w : tensor<?x64xf32>, tensor<64x64xf32>) outs(%fy : tensor<?x64xf32>) -> tensor<?x64xf32>
  %e8 = tensor.empty(%m) : tensor<64x?xf32>
  %dyt = linalg.transpose ins(%dy : tensor<?x64xf32>) outs(%e8 : tensor<64x?xf32>) permutation = [1, 0]
  %fw = linalg.fill ins(%zero : f32) outs(%et : tensor<64x64xf32>) -> tensor<64x64xf32>
  %dw = linalg.matmul ins(%dyt, %x : tensor<64x?xf32>, tensor<?x64xf32>) outs(%fw : tensor<64x64xf32>) -> tensor<64x64xf32>
  %step = linalg.generic {indexing_maps = [affine_map<(i, j) -> ()>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%lr, %dw : tensor<f32>, tensor<64x64xf32>) outs(%et : tensor<64x64xf32>) {
  ^bb0(%r: f32, %a: f32, %o: f32):
    %s = arith.mulf %r, %a : f32
    linalg.yield %s : f32
  } -> tensor<64x64xf32>
  %w2 = linalg.sub ins(%w, %step : tensor<64x64xf32>, tensor<64x64xf32>) outs(%et : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %y, %dx, %w2 : tensor<?x64xf32>, tensor<?x64xf32>, tensor<64x64xf32>
}

// -----

// JAX's form (`K x N` weight read through maps, the weight gradient as
// X^T dY), no input gradient (a first layer), bf16 weight, the squared
// gradient norm for clipping: the gate's parameters are bf16 like the
// weight, the norm sums over all five gradients, and the gate's backward
// still computes dY B (its gradient needs it).
// CHECK-LABEL: func.func @jax_gated(
// CHECK-SAME:      tensor<8x32xbf16>, %{{.+}}: tensor<4x16x16xbf16>, %{{.+}}: tensor<64x16xbf16>, %{{.+}}: tensor<32x16xbf16>, %[[W:[^:]+]]: tensor<32xbf16>, %{{.+}}: tensor<bf16>, %{{.+}}: tensor<8x64xbf16>, %{{.+}}: tensor<f32>)
// CHECK-SAME:      -> (tensor<8x64xf32>, tensor<4x16x16xbf16>, tensor<64x16xbf16>, tensor<32x16xbf16>, tensor<32xbf16>, tensor<bf16>, tensor<f32>)
// CHECK:         pixelfly.linear {{.+}} gamma(%{{.+}} : tensor<8xf32>)
// CHECK:         pixelfly.block_sparse_input_grad {{.+}} outs(%{{.+}} : tensor<8x32xf32>)
// CHECK-NOT:     linalg.generic {{.+}} ins(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %[[W]] :
// CHECK:         pixelfly.block_sparse_weight_grad {{.+}} -> tensor<4x16x16xf32>
// CHECK:         %[[S1:.+]] = linalg.generic {{.+}} ins(%{{.+}} : tensor<4x16x16xf32>) outs(%{{.+}} : tensor<f32>)
// CHECK:         %[[S2:.+]] = linalg.generic {{.+}} ins(%{{.+}} : tensor<64x16xf32>) outs(%[[S1]] : tensor<f32>)
// CHECK:         %[[S3:.+]] = linalg.generic {{.+}} ins(%{{.+}} : tensor<32x16xf32>) outs(%[[S2]] : tensor<f32>)
// CHECK:         %[[S4:.+]] = linalg.generic {{.+}} ins(%{{.+}} : tensor<32xf32>) outs(%[[S3]] : tensor<f32>)
// CHECK:         %[[S5:.+]] = linalg.generic {{.+}} ins(%{{.+}} : tensor<f32>) outs(%[[S4]] : tensor<f32>)
// CHECK:         return {{.+}}, %[[S5]] :
#bfr = #pixelfly.plan<structure = butterfly, pattern = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 16>, rank = 16>
func.func @jax_gated(%x: tensor<8x32xbf16>, %w: tensor<32x64xbf16>, %dy: tensor<8x64xbf16>, %lr: tensor<f32>)
    -> (tensor<8x64xf32>, tensor<32x64xbf16>, tensor<f32>) {
  %zero = arith.constant 0.0 : f32
  %ey = tensor.empty() : tensor<8x64xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<8x64xf32>) -> tensor<8x64xf32>
  %y = linalg.matmul {pixelfly.plan = #bfr} ins(%x, %w : tensor<8x32xbf16>, tensor<32x64xbf16>) outs(%fy : tensor<8x64xf32>) -> tensor<8x64xf32>
  %ew = tensor.empty() : tensor<32x64xf32>
  %fw = linalg.fill ins(%zero : f32) outs(%ew : tensor<32x64xf32>) -> tensor<32x64xf32>
  %dw = linalg.matmul indexing_maps = [affine_map<(k, n, m) -> (m, k)>, affine_map<(k, n, m) -> (m, n)>, affine_map<(k, n, m) -> (k, n)>]
         ins(%x, %dy : tensor<8x32xbf16>, tensor<8x64xbf16>) outs(%fw : tensor<32x64xf32>) -> tensor<32x64xf32>
  %e0 = tensor.empty() : tensor<f32>
  %f0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
  %sq = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> ()>], iterator_types = ["reduction", "reduction"]}
      ins(%dw : tensor<32x64xf32>) outs(%f0 : tensor<f32>) {
  ^bb0(%g: f32, %acc: f32):
    %g2 = arith.mulf %g, %g : f32
    %s = arith.addf %acc, %g2 : f32
    linalg.yield %s : f32
  } -> tensor<f32>
  %eb = tensor.empty() : tensor<32x64xbf16>
  %w2 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> ()>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%w, %dw, %lr : tensor<32x64xbf16>, tensor<32x64xf32>, tensor<f32>) outs(%eb : tensor<32x64xbf16>) {
  ^bb0(%a: bf16, %g: f32, %r: f32, %o: bf16):
    %af = arith.extf %a : bf16 to f32
    %s = arith.mulf %r, %g : f32
    %d = arith.subf %af, %s : f32
    %t = arith.truncf %d : f32 to bf16
    linalg.yield %t : bf16
  } -> tensor<32x64xbf16>
  return %y, %w2, %sq : tensor<8x64xf32>, tensor<32x64xbf16>, tensor<f32>
}

// -----

// An inference function whose weight is an argument: the blocks, U, V,
// the gate's weight (`K`, the weight's type) and its bias (an f32 scalar,
// as an inference gamma is).
// CHECK-LABEL: func.func @inference(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<8x64xf16>, %{{.+}}: tensor<4x16x16xf16>, %{{.+}}: tensor<32x16xf16>, %{{.+}}: tensor<64x16xf16>, %[[W:[^:]+]]: tensor<64xf16>, %[[BIAS:[^:]+]]: f32)
// CHECK:         %[[Z0:.+]] = linalg.fill ins(%[[BIAS]] : f32) outs(%{{.+}} : tensor<8xf32>)
// CHECK:         %[[Z:.+]] = linalg.generic {{.+}} ins(%[[X]], %[[W]] : tensor<8x64xf16>, tensor<64xf16>) outs(%[[Z0]] : tensor<8xf32>)
// CHECK:         %[[G:.+]] = linalg.generic {{.+}} ins(%[[Z]] : tensor<8xf32>)
// CHECK:         pixelfly.linear {{.+}} gamma(%[[G]] : tensor<8xf32>)
// CHECK-LABEL: func.func @inference_pack(
// CHECK-SAME:      tensor<32x64xf16>) -> tensor<4x16x16xf16>
#bfr = #pixelfly.plan<structure = butterfly, pattern = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 16>, rank = 16>
func.func @inference(%x: tensor<8x64xf16>, %w: tensor<32x64xf16>) -> tensor<8x32xf32> {
  %zero = arith.constant 0.0 : f32
  %ey = tensor.empty() : tensor<8x32xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<8x32xf32>) -> tensor<8x32xf32>
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>] {pixelfly.plan = #bfr}
         ins(%x, %w : tensor<8x64xf16>, tensor<32x64xf16>) outs(%fy : tensor<8x32xf32>) -> tensor<8x32xf32>
  return %y : tensor<8x32xf32>
}

// -----

// A frozen weight (no weight gradient) cannot train a gate: the step stays
// dense. (With gamma=scalar it is rewritten.)
// CHECK-LABEL: func.func @frozen(
// CHECK-SAME:      tensor<64x64xf32>
// CHECK-NEXT:    linalg.matmul
// CHECK-NEXT:    linalg.matmul
#bfr = #pixelfly.plan<structure = butterfly, pattern = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 16>, rank = 16>
func.func @frozen(%x: tensor<8x64xf32>, %w: tensor<64x64xf32>, %dy: tensor<8x64xf32>, %acc: tensor<8x64xf32>) -> (tensor<8x64xf32>, tensor<8x64xf32>) {
  // expected-remark @below {{pixelfly-sparsify: @frozen#0 left unchanged: a gated gamma is trained from one forward product, the weight gradient and at most one input gradient (found 1 forward, 1 input-gradient and 0 weight-gradient products)}}
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>] {pixelfly.plan = #bfr}
         ins(%x, %w : tensor<8x64xf32>, tensor<64x64xf32>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  // expected-remark @below {{pixelfly-sparsify: @frozen#1 left unchanged: the input gradient of @frozen#0 (planned with that layer), which stays dense}}
  %dx = linalg.matmul ins(%dy, %w : tensor<8x64xf32>, tensor<64x64xf32>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %y, %dx : tensor<8x64xf32>, tensor<8x64xf32>
}
