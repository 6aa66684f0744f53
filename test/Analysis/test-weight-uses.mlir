// RUN: pixelfly-opt %s --test-pixelfly-weight-uses -o /dev/null | FileCheck %s

// Every use of a layer's weight, by kind: the forward and input-gradient
// products, the weight-gradient product and what consumes it, elementwise
// optimizer updates with their state, reductions, returns, and uses no
// rewrite can map.

#mk = affine_map<(m, n, k) -> (m, k)>
#nk = affine_map<(m, n, k) -> (n, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
#id = affine_map<(i, j) -> (i, j)>
#scalar = affine_map<(i, j) -> ()>

// JAX style: the weight is `K x N` (in x out), transpositions are indexing
// maps, SGD. The forward product reduces dim 0, the input gradient dim 1.
// CHECK-LABEL: @jax_sgd weight argument 1: training, forward reduces dim 0
// CHECK-NEXT:   forward @jax_sgd#0
// CHECK-NEXT:   input-grad @jax_sgd#1
// CHECK-NEXT:   elementwise linalg.generic
// CHECK-NEXT:   gradient weight-grad @jax_sgd#2
// CHECK-NEXT:   gradient elementwise linalg.generic
// CHECK-NOT:    state
func.func @jax_sgd(%x: tensor<8x32xf32>, %w: tensor<32x64xf32>, %dy: tensor<8x64xf32>, %lr: tensor<f32>)
    -> (tensor<8x64xf32>, tensor<8x32xf32>, tensor<32x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %ey = tensor.empty() : tensor<8x64xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<8x64xf32>) -> tensor<8x64xf32>
  %y = linalg.matmul ins(%x, %w : tensor<8x32xf32>, tensor<32x64xf32>) outs(%fy : tensor<8x64xf32>) -> tensor<8x64xf32>
  %ex = tensor.empty() : tensor<8x32xf32>
  %fx = linalg.fill ins(%zero : f32) outs(%ex : tensor<8x32xf32>) -> tensor<8x32xf32>
  // dx[m, k] = sum_n dy[m, n] w[k, n]
  %dx = linalg.matmul indexing_maps = [affine_map<(m, k, n) -> (m, n)>, affine_map<(m, k, n) -> (k, n)>, affine_map<(m, k, n) -> (m, k)>]
         ins(%dy, %w : tensor<8x64xf32>, tensor<32x64xf32>) outs(%fx : tensor<8x32xf32>) -> tensor<8x32xf32>
  %ew = tensor.empty() : tensor<32x64xf32>
  %fw = linalg.fill ins(%zero : f32) outs(%ew : tensor<32x64xf32>) -> tensor<32x64xf32>
  // dw[k, n] = sum_m x[m, k] dy[m, n]
  %dw = linalg.matmul indexing_maps = [affine_map<(k, n, m) -> (m, k)>, affine_map<(k, n, m) -> (m, n)>, affine_map<(k, n, m) -> (k, n)>]
         ins(%x, %dy : tensor<8x32xf32>, tensor<8x64xf32>) outs(%fw : tensor<32x64xf32>) -> tensor<32x64xf32>
  %new = linalg.generic {indexing_maps = [#id, #id, #scalar, #id], iterator_types = ["parallel", "parallel"]}
      ins(%w, %dw, %lr : tensor<32x64xf32>, tensor<32x64xf32>, tensor<f32>) outs(%ew : tensor<32x64xf32>) {
  ^bb0(%a: f32, %g: f32, %r: f32, %o: f32):
    %s = arith.mulf %r, %g : f32
    %d = arith.subf %a, %s : f32
    linalg.yield %d : f32
  } -> tensor<32x64xf32>
  return %y, %dx, %new : tensor<8x64xf32>, tensor<8x32xf32>, tensor<32x64xf32>
}

// torch-mlir style: the weight is `N x K`, transposes are linalg.transpose,
// SGD with momentum on a state argument; the new weight and state returned.
// CHECK-LABEL: @torch_momentum weight argument 1: training, forward reduces dim 1
// CHECK-NEXT:   forward @torch_momentum#0
// CHECK-NEXT:   input-grad @torch_momentum#1
// CHECK-NEXT:   elementwise linalg.sub
// CHECK-NEXT:   gradient weight-grad @torch_momentum#2
// CHECK-NEXT:   gradient elementwise linalg.generic
// CHECK-NEXT:   state argument 3
// CHECK-NOT:    state
func.func @torch_momentum(%x: tensor<8x32xf32>, %w: tensor<64x32xf32>, %dy: tensor<8x64xf32>, %v: tensor<64x32xf32>, %mu: tensor<f32>, %lr: tensor<f32>)
    -> (tensor<8x64xf32>, tensor<8x32xf32>, tensor<64x32xf32>, tensor<64x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %et = tensor.empty() : tensor<32x64xf32>
  %wt = linalg.transpose ins(%w : tensor<64x32xf32>) outs(%et : tensor<32x64xf32>) permutation = [1, 0]
  %ey = tensor.empty() : tensor<8x64xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<8x64xf32>) -> tensor<8x64xf32>
  %y = linalg.matmul ins(%x, %wt : tensor<8x32xf32>, tensor<32x64xf32>) outs(%fy : tensor<8x64xf32>) -> tensor<8x64xf32>
  %ex = tensor.empty() : tensor<8x32xf32>
  %fx = linalg.fill ins(%zero : f32) outs(%ex : tensor<8x32xf32>) -> tensor<8x32xf32>
  %dx = linalg.matmul ins(%dy, %w : tensor<8x64xf32>, tensor<64x32xf32>) outs(%fx : tensor<8x32xf32>) -> tensor<8x32xf32>
  %edt = tensor.empty() : tensor<64x8xf32>
  %dyt = linalg.transpose ins(%dy : tensor<8x64xf32>) outs(%edt : tensor<64x8xf32>) permutation = [1, 0]
  %ew = tensor.empty() : tensor<64x32xf32>
  %fw = linalg.fill ins(%zero : f32) outs(%ew : tensor<64x32xf32>) -> tensor<64x32xf32>
  %dw = linalg.matmul ins(%dyt, %x : tensor<64x8xf32>, tensor<8x32xf32>) outs(%fw : tensor<64x32xf32>) -> tensor<64x32xf32>
  // v' = mu * v + dw; w' = w - lr * v'
  %v2 = linalg.generic {indexing_maps = [#scalar, #id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%mu, %v, %dw : tensor<f32>, tensor<64x32xf32>, tensor<64x32xf32>) outs(%ew : tensor<64x32xf32>) {
  ^bb0(%m: f32, %a: f32, %g: f32, %o: f32):
    %s = arith.mulf %m, %a : f32
    %t = arith.addf %s, %g : f32
    linalg.yield %t : f32
  } -> tensor<64x32xf32>
  %step = linalg.generic {indexing_maps = [#scalar, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%lr, %v2 : tensor<f32>, tensor<64x32xf32>) outs(%ew : tensor<64x32xf32>) {
  ^bb0(%r: f32, %a: f32, %o: f32):
    %s = arith.mulf %r, %a : f32
    linalg.yield %s : f32
  } -> tensor<64x32xf32>
  %w2 = linalg.sub ins(%w, %step : tensor<64x32xf32>, tensor<64x32xf32>) outs(%ew : tensor<64x32xf32>) -> tensor<64x32xf32>
  return %y, %dx, %w2, %v2 : tensor<8x64xf32>, tensor<8x32xf32>, tensor<64x32xf32>, tensor<64x32xf32>
}

// Adam with decoupled weight decay and global-norm clipping, as arith ops on
// tensors: two state arguments, a reduction of the gradient, no input
// gradient (a first layer), the gradient returned too.
// CHECK-LABEL: @adamw_first_layer weight argument 1: training, forward reduces dim 1
// CHECK-NEXT:   forward @adamw_first_layer#0
// CHECK-NEXT:   elementwise arith.mulf
// CHECK-NEXT:   elementwise arith.subf
// CHECK-NEXT:   gradient weight-grad @adamw_first_layer#1
// CHECK-NEXT:   gradient reduction linalg.generic
// CHECK-NEXT:   gradient elementwise arith.mulf
// CHECK-NEXT:   gradient return func.return
// CHECK-NEXT:   state argument 3
// CHECK-NEXT:   state argument 4
// CHECK-NOT:    state
func.func @adamw_first_layer(%x: tensor<8x32xf32>, %w: tensor<64x32xf32>, %dy: tensor<8x64xf32>, %m: tensor<64x32xf32>, %v: tensor<64x32xf32>)
    -> (tensor<8x64xf32>, tensor<64x32xf32>, tensor<64x32xf32>, tensor<64x32xf32>, tensor<64x32xf32>, tensor<f32>) {
  %zero = arith.constant 0.0 : f32
  %ey = tensor.empty() : tensor<8x64xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<8x64xf32>) -> tensor<8x64xf32>
  %y = linalg.matmul indexing_maps = [#mk, #nk, #mn] ins(%x, %w : tensor<8x32xf32>, tensor<64x32xf32>) outs(%fy : tensor<8x64xf32>) -> tensor<8x64xf32>
  %ew = tensor.empty() : tensor<64x32xf32>
  %fw = linalg.fill ins(%zero : f32) outs(%ew : tensor<64x32xf32>) -> tensor<64x32xf32>
  %dw = linalg.matmul indexing_maps = [affine_map<(n, k, m) -> (m, n)>, affine_map<(n, k, m) -> (m, k)>, affine_map<(n, k, m) -> (n, k)>]
         ins(%dy, %x : tensor<8x64xf32>, tensor<8x32xf32>) outs(%fw : tensor<64x32xf32>) -> tensor<64x32xf32>
  %e0 = tensor.empty() : tensor<f32>
  %f0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
  %sq = linalg.generic {indexing_maps = [#id, #scalar], iterator_types = ["reduction", "reduction"]}
      ins(%dw : tensor<64x32xf32>) outs(%f0 : tensor<f32>) {
  ^bb0(%g: f32, %acc: f32):
    %g2 = arith.mulf %g, %g : f32
    %s = arith.addf %acc, %g2 : f32
    linalg.yield %s : f32
  } -> tensor<f32>
  %c = arith.constant dense<0.5> : tensor<64x32xf32>
  %gc = arith.mulf %dw, %c : tensor<64x32xf32>
  %m2 = arith.addf %m, %gc : tensor<64x32xf32>
  %g2 = arith.mulf %gc, %gc : tensor<64x32xf32>
  %v2 = arith.addf %v, %g2 : tensor<64x32xf32>
  %r = math.sqrt %v2 : tensor<64x32xf32>
  %u = arith.divf %m2, %r : tensor<64x32xf32>
  %decay = arith.mulf %w, %c : tensor<64x32xf32>
  %w1 = arith.subf %w, %decay : tensor<64x32xf32>
  %w2 = arith.subf %w1, %u : tensor<64x32xf32>
  return %y, %w2, %m2, %v2, %dw, %sq : tensor<8x64xf32>, tensor<64x32xf32>, tensor<64x32xf32>, tensor<64x32xf32>, tensor<64x32xf32>, tensor<f32>
}

// Two layers read the same activation (query and key projections, square
// weights, so the other projection has a gradient's shape too but reduces
// over the features); each weight's gradient is the product applied to that
// weight (computed in the other order here).
// CHECK-LABEL: @shared_activation weight argument 1: training
// CHECK-NEXT:   forward @shared_activation#0
// CHECK-NEXT:   elementwise arith.subf
// CHECK-NEXT:   gradient weight-grad @shared_activation#3
// CHECK-LABEL: @shared_activation weight argument 2: training
// CHECK-NEXT:   forward @shared_activation#1
// CHECK-NEXT:   elementwise arith.subf
// CHECK-NEXT:   gradient weight-grad @shared_activation#2
func.func @shared_activation(%x: tensor<8x32xf32>, %wq: tensor<32x32xf32>, %wk: tensor<32x32xf32>, %dq: tensor<8x32xf32>, %dk: tensor<8x32xf32>)
    -> (tensor<8x32xf32>, tensor<8x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %ey = tensor.empty() : tensor<8x32xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<8x32xf32>) -> tensor<8x32xf32>
  %q = linalg.matmul indexing_maps = [#mk, #nk, #mn] ins(%x, %wq : tensor<8x32xf32>, tensor<32x32xf32>) outs(%fy : tensor<8x32xf32>) -> tensor<8x32xf32>
  %k = linalg.matmul indexing_maps = [#mk, #nk, #mn] ins(%x, %wk : tensor<8x32xf32>, tensor<32x32xf32>) outs(%fy : tensor<8x32xf32>) -> tensor<8x32xf32>
  %ew = tensor.empty() : tensor<32x32xf32>
  %fw = linalg.fill ins(%zero : f32) outs(%ew : tensor<32x32xf32>) -> tensor<32x32xf32>
  %dwk = linalg.matmul indexing_maps = [affine_map<(n, k, m) -> (m, n)>, affine_map<(n, k, m) -> (m, k)>, affine_map<(n, k, m) -> (n, k)>]
         ins(%dk, %x : tensor<8x32xf32>, tensor<8x32xf32>) outs(%fw : tensor<32x32xf32>) -> tensor<32x32xf32>
  %dwq = linalg.matmul indexing_maps = [affine_map<(n, k, m) -> (m, n)>, affine_map<(n, k, m) -> (m, k)>, affine_map<(n, k, m) -> (n, k)>]
         ins(%dq, %x : tensor<8x32xf32>, tensor<8x32xf32>) outs(%fw : tensor<32x32xf32>) -> tensor<32x32xf32>
  %wq2 = arith.subf %wq, %dwq : tensor<32x32xf32>
  %wk2 = arith.subf %wk, %dwk : tensor<32x32xf32>
  return %q, %k, %wq2, %wk2 : tensor<8x32xf32>, tensor<8x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>
}

// Inference: the forward product is the only use. A use no rewrite can map
// (a slice of the weight) is named.
// CHECK-LABEL: @inference weight argument 1: inference, forward reduces dim 1
// CHECK-NEXT:   forward @inference#0
// CHECK-NOT:    weight gradient
// CHECK-LABEL: @unknown_use weight argument 1: training, forward reduces dim 1
// CHECK-NEXT:   forward @unknown_use#0
// CHECK-NEXT:   unknown tensor.extract_slice
// CHECK-NEXT:   no weight gradient: no product of a forward activation
func.func @inference(%x: tensor<8x32xf32>, %w: tensor<64x32xf32>, %acc: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %y = linalg.matmul indexing_maps = [#mk, #nk, #mn] ins(%x, %w : tensor<8x32xf32>, tensor<64x32xf32>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

func.func @unknown_use(%x: tensor<8x32xf32>, %w: tensor<64x32xf32>, %acc: tensor<8x64xf32>) -> (tensor<8x64xf32>, tensor<4x32xf32>) {
  %y = linalg.matmul indexing_maps = [#mk, #nk, #mn] ins(%x, %w : tensor<8x32xf32>, tensor<64x32xf32>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  %s = tensor.extract_slice %w[0, 0] [4, 32] [1, 1] : tensor<64x32xf32> to tensor<4x32xf32>
  return %y, %s : tensor<8x64xf32>, tensor<4x32xf32>
}

// torch-mlir checks shapes with tensor.dim: a shape query, not a use of
// the values (the weight stays an inference weight).
// CHECK-LABEL: @shape_checks weight argument 1: inference, forward reduces dim 1
// CHECK-NEXT:   shape tensor.dim
// CHECK-NEXT:   forward @shape_checks#0
func.func @shape_checks(%x: tensor<8x32xf32>, %w: tensor<64x32xf32>, %acc: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %c1 = arith.constant 1 : index
  %k = tensor.dim %w, %c1 : tensor<64x32xf32>
  %c32 = arith.constant 32 : index
  %ok = arith.cmpi eq, %k, %c32 : index
  cf.assert %ok, "mismatching contracting dimension"
  %y = linalg.matmul indexing_maps = [#mk, #nk, #mn] ins(%x, %w : tensor<8x32xf32>, tensor<64x32xf32>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

// Mixed precision with an f32 master weight: the products read it rounded
// to bf16 (a converting linalg.generic, as torch-mlir lowers a cast; or
// arith.truncf on the tensor); the update reads the f32 weight. The weight
// is the argument, and the activation is not taken for it.
// CHECK-LABEL: @master_weight weight argument 1: training, forward reduces dim 1
// CHECK-NEXT:   forward @master_weight#0
// CHECK-NEXT:   input-grad @master_weight#1
// CHECK-NEXT:   elementwise linalg.generic
// CHECK-NEXT:   gradient weight-grad @master_weight#2
// CHECK-NEXT:   gradient elementwise linalg.generic
// CHECK-NOT:    state
func.func @master_weight(%x: tensor<8x32xbf16>, %w: tensor<64x32xf32>, %dy: tensor<8x64xbf16>, %lr: tensor<f32>)
    -> (tensor<8x64xf32>, tensor<8x32xf32>, tensor<64x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %eb = tensor.empty() : tensor<64x32xbf16>
  %wb = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%w : tensor<64x32xf32>) outs(%eb : tensor<64x32xbf16>) {
  ^bb0(%a: f32, %o: bf16):
    %t = arith.truncf %a : f32 to bf16
    linalg.yield %t : bf16
  } -> tensor<64x32xbf16>
  %ey = tensor.empty() : tensor<8x64xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<8x64xf32>) -> tensor<8x64xf32>
  %y = linalg.matmul indexing_maps = [#mk, #nk, #mn] ins(%x, %wb : tensor<8x32xbf16>, tensor<64x32xbf16>) outs(%fy : tensor<8x64xf32>) -> tensor<8x64xf32>
  %wb2 = arith.truncf %w : tensor<64x32xf32> to tensor<64x32xbf16>
  %ex = tensor.empty() : tensor<8x32xf32>
  %fx = linalg.fill ins(%zero : f32) outs(%ex : tensor<8x32xf32>) -> tensor<8x32xf32>
  %dx = linalg.matmul ins(%dy, %wb2 : tensor<8x64xbf16>, tensor<64x32xbf16>) outs(%fx : tensor<8x32xf32>) -> tensor<8x32xf32>
  %ew = tensor.empty() : tensor<64x32xf32>
  %fw = linalg.fill ins(%zero : f32) outs(%ew : tensor<64x32xf32>) -> tensor<64x32xf32>
  %dw = linalg.matmul indexing_maps = [affine_map<(n, k, m) -> (m, n)>, affine_map<(n, k, m) -> (m, k)>, affine_map<(n, k, m) -> (n, k)>]
         ins(%dy, %x : tensor<8x64xbf16>, tensor<8x32xbf16>) outs(%fw : tensor<64x32xf32>) -> tensor<64x32xf32>
  %new = linalg.generic {indexing_maps = [#id, #id, #scalar, #id], iterator_types = ["parallel", "parallel"]}
      ins(%w, %dw, %lr : tensor<64x32xf32>, tensor<64x32xf32>, tensor<f32>) outs(%ew : tensor<64x32xf32>) {
  ^bb0(%a: f32, %g: f32, %r: f32, %o: f32):
    %s = arith.mulf %r, %g : f32
    %d = arith.subf %a, %s : f32
    linalg.yield %d : f32
  } -> tensor<64x32xf32>
  return %y, %dx, %new : tensor<8x64xf32>, tensor<8x32xf32>, tensor<64x32xf32>
}

// A weight converted twice (f32 rounded to bf16 and read as f32) is the
// argument all the same, not the activation.
// CHECK-LABEL: @converted_twice weight argument 1: inference, forward reduces dim 1
// CHECK-NEXT:   forward @converted_twice#0
func.func @converted_twice(%x: tensor<8x32xf32>, %w: tensor<64x32xf32>, %acc: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %wb = arith.truncf %w : tensor<64x32xf32> to tensor<64x32xbf16>
  %wf = arith.extf %wb : tensor<64x32xbf16> to tensor<64x32xf32>
  %y = linalg.matmul indexing_maps = [#mk, #nk, #mn] ins(%x, %wf : tensor<8x32xf32>, tensor<64x32xf32>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}
