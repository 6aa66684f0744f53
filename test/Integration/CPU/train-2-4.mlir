// A training step sparsified with mode=2:4 (a transposable prune of the
// dense weight per step, the forward and the input-gradient products on the
// compressed W and W^T, the weight gradient and the optimizer dense) gives
// the dense step's outputs bit for bit when the weight is exactly
// transposable 2:4: every 4 x 4 tile keeps two entries per row and per
// column, the others are zero. Entries are small integers, so every sum is
// exact whatever its order. Three steps: torch-mlir's form
// (linalg.transpose, `N x K` weight, SGD with momentum state), the same
// with an f32 master weight read as bf16, and JAX's (indexing maps, square
// `K x N` weight, plain SGD); 7 tokens.
//
// Buffer addresses are dropped from the printed results. The last RUN lines
// must differ: with every entry of the weight kept (off
// the structure), the sparsified step's results are those of the pruned
// weight, which shows that the comparison sees the pruning.
//
// REQUIRES: mlir-runner
// RUN: pixelfly-opt %s --pixelfly-sparsify="mode=2:4 weights=argument min-weight-size=16" \
// RUN: | FileCheck %s --check-prefix=IR
// RUN: pixelfly-opt %s --pixelfly-cpu-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | sed -e 's/base@ = 0x[0-9a-f]*//' > %t.dense
// RUN: pixelfly-opt %s --pixelfly-sparsify="mode=2:4 weights=argument min-weight-size=16" \
// RUN:     --pixelfly-cpu-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | sed -e 's/base@ = 0x[0-9a-f]*//' > %t.sparse
// RUN: diff %t.dense %t.sparse
// RUN: FileCheck %s --input-file=%t.sparse
// RUN: sed -e 's/%on_structure = arith.constant true/%on_structure = arith.constant false/' %s \
// RUN: | pixelfly-opt --pixelfly-cpu-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | sed -e 's/base@ = 0x[0-9a-f]*//' > %t.dense-off
// RUN: sed -e 's/%on_structure = arith.constant true/%on_structure = arith.constant false/' %s \
// RUN: | pixelfly-opt --pixelfly-sparsify="mode=2:4 weights=argument min-weight-size=16" \
// RUN:     --pixelfly-cpu-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | sed -e 's/base@ = 0x[0-9a-f]*//' > %t.sparse-off
// RUN: not diff %t.dense-off %t.sparse-off

// IR-LABEL: func.func @torch_step(
// IR:         pixelfly.prune_2_4 transposable ins(%{{.*}} : tensor<64x32xf32>)
// IR:         pixelfly.two_four_matmul ins(%{{.*}} : tensor<7x32xf32>, tensor<64x16xf32>, tensor<64x2xi16>)
// IR:         pixelfly.two_four_matmul ins(%{{.*}} : tensor<7x64xf32>, tensor<32x32xf32>, tensor<32x4xi16>)
// IR:         linalg.matmul
// IR-NOT:     linalg.matmul
// IR-LABEL: func.func @master_step(
// IR-SAME:      tensor<64x32xf32>
// IR:         arith.truncf %{{.*}} : f32 to bf16
// IR:         pixelfly.prune_2_4 transposable ins(%{{.*}} : tensor<64x32xbf16>)
// IR:         pixelfly.two_four_matmul ins(%{{.*}} : tensor<7x32xbf16>, tensor<64x16xbf16>, tensor<64x2xi16>)
// IR:         pixelfly.two_four_matmul ins(%{{.*}} : tensor<7x64xbf16>, tensor<32x32xbf16>, tensor<32x4xi16>)
// IR:         linalg.matmul ins(%{{.*}} : tensor<64x7xbf16>, tensor<7x32xbf16>) outs(%{{.*}} : tensor<64x32xf32>)
// IR-NOT:     linalg.matmul
// IR-LABEL: func.func @jax_step(
// IR:         pixelfly.prune_2_4 transposable ins(%{{.*}} : tensor<32x32xf32>)
// IR-COUNT-2: pixelfly.two_four_matmul
// IR:         linalg.matmul
// IR-NOT:     linalg.matmul

// Four results of the torch step (y, dx, w', v'), four of the master step,
// then three of the JAX step.
// CHECK-COUNT-11: Unranked Memref
// CHECK-NOT:     Unranked Memref

#id = affine_map<(i, j) -> (i, j)>
#scalar = affine_map<(i, j) -> ()>

func.func private @printMemrefF32(tensor<*xf32>)

func.func @torch_step(%x: tensor<7x32xf32>, %w: tensor<64x32xf32>, %dy: tensor<7x64xf32>, %v: tensor<64x32xf32>, %lr: tensor<f32>, %mu: tensor<f32>)
    -> (tensor<7x64xf32>, tensor<7x32xf32>, tensor<64x32xf32>, tensor<64x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %et = tensor.empty() : tensor<32x64xf32>
  %wt = linalg.transpose ins(%w : tensor<64x32xf32>) outs(%et : tensor<32x64xf32>) permutation = [1, 0]
  %ey = tensor.empty() : tensor<7x64xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<7x64xf32>) -> tensor<7x64xf32>
  %y = linalg.matmul ins(%x, %wt : tensor<7x32xf32>, tensor<32x64xf32>) outs(%fy : tensor<7x64xf32>) -> tensor<7x64xf32>
  %ex = tensor.empty() : tensor<7x32xf32>
  %fx = linalg.fill ins(%zero : f32) outs(%ex : tensor<7x32xf32>) -> tensor<7x32xf32>
  %dx = linalg.matmul ins(%dy, %w : tensor<7x64xf32>, tensor<64x32xf32>) outs(%fx : tensor<7x32xf32>) -> tensor<7x32xf32>
  %edt = tensor.empty() : tensor<64x7xf32>
  %dyt = linalg.transpose ins(%dy : tensor<7x64xf32>) outs(%edt : tensor<64x7xf32>) permutation = [1, 0]
  %ew = tensor.empty() : tensor<64x32xf32>
  %fw = linalg.fill ins(%zero : f32) outs(%ew : tensor<64x32xf32>) -> tensor<64x32xf32>
  %dw = linalg.matmul ins(%dyt, %x : tensor<64x7xf32>, tensor<7x32xf32>) outs(%fw : tensor<64x32xf32>) -> tensor<64x32xf32>
  // v' = mu * v + dw; w' = w - lr * v'
  %v2 = linalg.generic {indexing_maps = [#scalar, #id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%mu, %v, %dw : tensor<f32>, tensor<64x32xf32>, tensor<64x32xf32>) outs(%ew : tensor<64x32xf32>) {
  ^bb0(%m: f32, %a: f32, %g: f32, %o: f32):
    %s = arith.mulf %m, %a : f32
    %t = arith.addf %s, %g : f32
    linalg.yield %t : f32
  } -> tensor<64x32xf32>
  %w2 = linalg.generic {indexing_maps = [#scalar, #id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%lr, %w, %v2 : tensor<f32>, tensor<64x32xf32>, tensor<64x32xf32>) outs(%ew : tensor<64x32xf32>) {
  ^bb0(%r: f32, %a: f32, %g: f32, %o: f32):
    %s = arith.mulf %r, %g : f32
    %t = arith.subf %a, %s : f32
    linalg.yield %t : f32
  } -> tensor<64x32xf32>
  return %y, %dx, %w2, %v2 : tensor<7x64xf32>, tensor<7x32xf32>, tensor<64x32xf32>, tensor<64x32xf32>
}

// @torch_step with an f32 master weight and momentum: the products read x,
// dy and the weight rounded to bf16 (exact on these small integers); the
// prune reads the rounded weight, the update the f32 one.
func.func @master_step(%x: tensor<7x32xf32>, %w: tensor<64x32xf32>, %dy: tensor<7x64xf32>, %v: tensor<64x32xf32>, %lr: tensor<f32>, %mu: tensor<f32>)
    -> (tensor<7x64xf32>, tensor<7x32xf32>, tensor<64x32xf32>, tensor<64x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %x16 = arith.truncf %x : tensor<7x32xf32> to tensor<7x32xbf16>
  %dy16 = arith.truncf %dy : tensor<7x64xf32> to tensor<7x64xbf16>
  %ew16 = tensor.empty() : tensor<64x32xbf16>
  %w16 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%w : tensor<64x32xf32>) outs(%ew16 : tensor<64x32xbf16>) {
  ^bb0(%a: f32, %o: bf16):
    %t = arith.truncf %a : f32 to bf16
    linalg.yield %t : bf16
  } -> tensor<64x32xbf16>
  %et = tensor.empty() : tensor<32x64xbf16>
  %wt = linalg.transpose ins(%w16 : tensor<64x32xbf16>) outs(%et : tensor<32x64xbf16>) permutation = [1, 0]
  %ey = tensor.empty() : tensor<7x64xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<7x64xf32>) -> tensor<7x64xf32>
  %y = linalg.matmul ins(%x16, %wt : tensor<7x32xbf16>, tensor<32x64xbf16>) outs(%fy : tensor<7x64xf32>) -> tensor<7x64xf32>
  %ex = tensor.empty() : tensor<7x32xf32>
  %fx = linalg.fill ins(%zero : f32) outs(%ex : tensor<7x32xf32>) -> tensor<7x32xf32>
  %dx = linalg.matmul ins(%dy16, %w16 : tensor<7x64xbf16>, tensor<64x32xbf16>) outs(%fx : tensor<7x32xf32>) -> tensor<7x32xf32>
  %edt = tensor.empty() : tensor<64x7xbf16>
  %dyt = linalg.transpose ins(%dy16 : tensor<7x64xbf16>) outs(%edt : tensor<64x7xbf16>) permutation = [1, 0]
  %ew = tensor.empty() : tensor<64x32xf32>
  %fw = linalg.fill ins(%zero : f32) outs(%ew : tensor<64x32xf32>) -> tensor<64x32xf32>
  %dw = linalg.matmul ins(%dyt, %x16 : tensor<64x7xbf16>, tensor<7x32xbf16>) outs(%fw : tensor<64x32xf32>) -> tensor<64x32xf32>
  %v2 = linalg.generic {indexing_maps = [#scalar, #id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%mu, %v, %dw : tensor<f32>, tensor<64x32xf32>, tensor<64x32xf32>) outs(%ew : tensor<64x32xf32>) {
  ^bb0(%m: f32, %a: f32, %g: f32, %o: f32):
    %s = arith.mulf %m, %a : f32
    %t = arith.addf %s, %g : f32
    linalg.yield %t : f32
  } -> tensor<64x32xf32>
  %w2 = linalg.generic {indexing_maps = [#scalar, #id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%lr, %w, %v2 : tensor<f32>, tensor<64x32xf32>, tensor<64x32xf32>) outs(%ew : tensor<64x32xf32>) {
  ^bb0(%r: f32, %a: f32, %g: f32, %o: f32):
    %s = arith.mulf %r, %g : f32
    %t = arith.subf %a, %s : f32
    linalg.yield %t : f32
  } -> tensor<64x32xf32>
  return %y, %dx, %w2, %v2 : tensor<7x64xf32>, tensor<7x32xf32>, tensor<64x32xf32>, tensor<64x32xf32>
}

func.func @jax_step(%x: tensor<7x32xf32>, %w: tensor<32x32xf32>, %dy: tensor<7x32xf32>, %lr: tensor<f32>)
    -> (tensor<7x32xf32>, tensor<7x32xf32>, tensor<32x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<7x32xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<7x32xf32>) -> tensor<7x32xf32>
  %y = linalg.matmul ins(%x, %w : tensor<7x32xf32>, tensor<32x32xf32>) outs(%f : tensor<7x32xf32>) -> tensor<7x32xf32>
  // dx[m, k] = sum_n dy[m, n] w[k, n]
  %dx = linalg.matmul indexing_maps = [affine_map<(m, k, n) -> (m, n)>, affine_map<(m, k, n) -> (k, n)>, affine_map<(m, k, n) -> (m, k)>]
         ins(%dy, %w : tensor<7x32xf32>, tensor<32x32xf32>) outs(%f : tensor<7x32xf32>) -> tensor<7x32xf32>
  %ew = tensor.empty() : tensor<32x32xf32>
  %fw = linalg.fill ins(%zero : f32) outs(%ew : tensor<32x32xf32>) -> tensor<32x32xf32>
  // dw[k, n] = sum_m x[m, k] dy[m, n]
  %dw = linalg.matmul indexing_maps = [affine_map<(k, n, m) -> (m, k)>, affine_map<(k, n, m) -> (m, n)>, affine_map<(k, n, m) -> (k, n)>]
         ins(%x, %dy : tensor<7x32xf32>, tensor<7x32xf32>) outs(%fw : tensor<32x32xf32>) -> tensor<32x32xf32>
  %w2 = linalg.generic {indexing_maps = [#scalar, #id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%lr, %w, %dw : tensor<f32>, tensor<32x32xf32>, tensor<32x32xf32>) outs(%ew : tensor<32x32xf32>) {
  ^bb0(%r: f32, %a: f32, %g: f32, %o: f32):
    %s = arith.mulf %r, %g : f32
    %t = arith.subf %a, %s : f32
    linalg.yield %t : f32
  } -> tensor<32x32xf32>
  return %y, %dx, %w2 : tensor<7x32xf32>, tensor<7x32xf32>, tensor<32x32xf32>
}

// Small integers in [-3, 3] from the indices (`salt` varies the pattern).
// With `masked`, entries off a transposable 2:4 pattern are zero: in each
// 4 x 4 tile, row r keeps the columns of r's parity, so every row and every
// column keeps two; kept entries are never zero.
func.func @fill(%t: tensor<?x?xf32>, %salt: index, %masked: i1) -> tensor<?x?xf32> {
  %r = linalg.generic {indexing_maps = [#id], iterator_types = ["parallel", "parallel"]} outs(%t : tensor<?x?xf32>) {
  ^bb0(%o: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c3 = arith.constant 3 : index
    %c5 = arith.constant 5 : index
    %c0 = arith.constant 0 : index
    %a = arith.muli %i, %c5 : index
    %b = arith.muli %j, %c3 : index
    %ab = arith.addi %a, %b : index
    %abs = arith.addi %ab, %salt : index
    %m = arith.remui %abs, %c3 : index
    %mag = arith.addi %m, %c1 : index
    %jm = arith.remui %j, %c2 : index
    %neg = arith.cmpi eq, %jm, %c0 : index
    %mi = arith.index_cast %mag : index to i64
    %mf = arith.sitofp %mi : i64 to f32
    %nf = arith.negf %mf : f32
    %val = arith.select %neg, %nf, %mf : f32
    %ij = arith.addi %i, %j : index
    %p = arith.remui %ij, %c2 : index
    %off = arith.cmpi ne, %p, %c0 : index
    %drop = arith.andi %off, %masked : i1
    %zero = arith.constant 0.0 : f32
    %res = arith.select %drop, %zero, %val : f32
    linalg.yield %res : f32
  } -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

func.func @make(%rows: index, %cols: index, %salt: index, %masked: i1) -> tensor<?x?xf32> {
  %e = tensor.empty(%rows, %cols) : tensor<?x?xf32>
  %r = func.call @fill(%e, %salt, %masked) : (tensor<?x?xf32>, index, i1) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

func.func @print(%t: tensor<?x?xf32>) {
  %u = tensor.cast %t : tensor<?x?xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}

func.func @main() {
  %on_structure = arith.constant true
  %false = arith.constant false
  %c7 = arith.constant 7 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %half = arith.constant dense<0.5> : tensor<f32>
  %quarter = arith.constant dense<0.25> : tensor<f32>

  %x0 = func.call @make(%c7, %c32, %c0, %false) : (index, index, index, i1) -> tensor<?x?xf32>
  %w0 = func.call @make(%c64, %c32, %c1, %on_structure) : (index, index, index, i1) -> tensor<?x?xf32>
  %dy0 = func.call @make(%c7, %c64, %c2, %false) : (index, index, index, i1) -> tensor<?x?xf32>
  %v0 = func.call @make(%c64, %c32, %c3, %false) : (index, index, index, i1) -> tensor<?x?xf32>
  %x = tensor.cast %x0 : tensor<?x?xf32> to tensor<7x32xf32>
  %w = tensor.cast %w0 : tensor<?x?xf32> to tensor<64x32xf32>
  %dy = tensor.cast %dy0 : tensor<?x?xf32> to tensor<7x64xf32>
  %v = tensor.cast %v0 : tensor<?x?xf32> to tensor<64x32xf32>
  %y, %dx, %w2, %v2 = func.call @torch_step(%x, %w, %dy, %v, %half, %quarter)
      : (tensor<7x32xf32>, tensor<64x32xf32>, tensor<7x64xf32>, tensor<64x32xf32>, tensor<f32>, tensor<f32>)
     -> (tensor<7x64xf32>, tensor<7x32xf32>, tensor<64x32xf32>, tensor<64x32xf32>)
  %y_ = tensor.cast %y : tensor<7x64xf32> to tensor<?x?xf32>
  %dx_ = tensor.cast %dx : tensor<7x32xf32> to tensor<?x?xf32>
  %w2_ = tensor.cast %w2 : tensor<64x32xf32> to tensor<?x?xf32>
  %v2_ = tensor.cast %v2 : tensor<64x32xf32> to tensor<?x?xf32>
  func.call @print(%y_) : (tensor<?x?xf32>) -> ()
  func.call @print(%dx_) : (tensor<?x?xf32>) -> ()
  func.call @print(%w2_) : (tensor<?x?xf32>) -> ()
  func.call @print(%v2_) : (tensor<?x?xf32>) -> ()

  %ym, %dxm, %wm2, %vm2 = func.call @master_step(%x, %w, %dy, %v, %half, %quarter)
      : (tensor<7x32xf32>, tensor<64x32xf32>, tensor<7x64xf32>, tensor<64x32xf32>, tensor<f32>, tensor<f32>)
     -> (tensor<7x64xf32>, tensor<7x32xf32>, tensor<64x32xf32>, tensor<64x32xf32>)
  %ym_ = tensor.cast %ym : tensor<7x64xf32> to tensor<?x?xf32>
  %dxm_ = tensor.cast %dxm : tensor<7x32xf32> to tensor<?x?xf32>
  %wm2_ = tensor.cast %wm2 : tensor<64x32xf32> to tensor<?x?xf32>
  %vm2_ = tensor.cast %vm2 : tensor<64x32xf32> to tensor<?x?xf32>
  func.call @print(%ym_) : (tensor<?x?xf32>) -> ()
  func.call @print(%dxm_) : (tensor<?x?xf32>) -> ()
  func.call @print(%wm2_) : (tensor<?x?xf32>) -> ()
  func.call @print(%vm2_) : (tensor<?x?xf32>) -> ()

  %wj0 = func.call @make(%c32, %c32, %c2, %on_structure) : (index, index, index, i1) -> tensor<?x?xf32>
  %dyj0 = func.call @make(%c7, %c32, %c1, %false) : (index, index, index, i1) -> tensor<?x?xf32>
  %wj = tensor.cast %wj0 : tensor<?x?xf32> to tensor<32x32xf32>
  %dyj = tensor.cast %dyj0 : tensor<?x?xf32> to tensor<7x32xf32>
  %yj, %dxj, %wj2 = func.call @jax_step(%x, %wj, %dyj, %half)
      : (tensor<7x32xf32>, tensor<32x32xf32>, tensor<7x32xf32>, tensor<f32>) -> (tensor<7x32xf32>, tensor<7x32xf32>, tensor<32x32xf32>)
  %yj_ = tensor.cast %yj : tensor<7x32xf32> to tensor<?x?xf32>
  %dxj_ = tensor.cast %dxj : tensor<7x32xf32> to tensor<?x?xf32>
  %wj2_ = tensor.cast %wj2 : tensor<32x32xf32> to tensor<?x?xf32>
  func.call @print(%yj_) : (tensor<?x?xf32>) -> ()
  func.call @print(%dxj_) : (tensor<?x?xf32>) -> ()
  func.call @print(%wj2_) : (tensor<?x?xf32>) -> ()
  return
}
