// pixelfly-dense-products rewrites a batch of 2-D contractions
// (linalg.batch_matmul, an attention's scores and context) into one
// product on a block-diagonal layout: the batch moves inside the columns
// of A and C, B's weights are stacked and re-blocked as one, the result
// moves back. On the CPU the rewritten functions give the same results as
// the originals, bit for bit (small integers: every sum exact), for each
// form: C = A B (block_sparse_input_grad, non-zero init, 3 weights),
// C = A B^T with B^T made by linalg.transpose (read from B) into a zero
// fill (block_sparse_matmul), C = A^T B (a generic: block_sparse_weight_grad
// into C's stacked blocks), C = A^T B^T with a constant B (re-blocked at
// compile time) and a result laid out N x M; 7 rows where the rows are
// dynamic (not a multiple of any tile). A batch whose B is one weight
// broadcast over it (torch-mlir's matmul of 3-d activations) is one 2-D
// product over all its rows instead, the weight re-blocked once: W^T into
// a non-zero C, W into a zero fill, and W^T with a dynamic batch (the
// rows static; both dynamic are left to the loop, since upstream's
// expand-strided-metadata crashes on two dynamic sizes in one group).
// A mutated layout (weight 0's rows reading weight 1's block columns)
// makes the results differ: the comparison sees the block diagonal.
//
// REQUIRES: mlir-runner
// DEFINE: %{run} = mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils | sed -e 's/base@ = 0x[0-9a-f]*//'
// DEFINE: %{rewrite} = pixelfly-opt %s --pass-pipeline="builtin.module(func.func(pixelfly-dense-products))"
// RUN: %{rewrite} | FileCheck %s --check-prefix=IR
// RUN: pixelfly-opt %s --pixelfly-cpu-pipeline | %{run} > %t.ref
// RUN: %{rewrite} | pixelfly-opt --pixelfly-cpu-pipeline | %{run} > %t.new
// RUN: diff %t.ref %t.new
// RUN: FileCheck %s --input-file=%t.new
// RUN: %{rewrite} | sed -e 's/col_idx = \[0, 1, 2, 3, 4, 5\]/col_idx = [2, 3, 2, 3, 4, 5]/' > %t.mutated.mlir
// RUN: not diff -q %t.mutated.mlir %t.new
// RUN: pixelfly-opt %t.mutated.mlir --pixelfly-cpu-pipeline | %{run} > %t.bad
// RUN: not diff -q %t.ref %t.bad

// IR-LABEL: func.func @b_nn(
// IR:         pixelfly.block_sparse_input_grad {{.+}} : tensor<?x96xf32>, tensor<6x32x32xf32>) outs(%{{.+}} : tensor<?x192xf32>)
// IR-NOT:     linalg.batch_matmul
// IR-LABEL: func.func @b_nt_zero(
// IR:         linalg.fill {{.+}} -> tensor<?x96xf32>
// IR:         pixelfly.block_sparse_matmul {{.+}} : tensor<?x64xf32>, tensor<12x16x16xf32>) outs(%{{.+}} : tensor<?x96xf32>)
// IR-NOT:     linalg.batch_matmul
// IR-LABEL: func.func @b_tn(
// IR:         pixelfly.block_sparse_weight_grad {{.+}} : tensor<?x96xf32>, tensor<?x64xf32>) outs(%{{.+}} : tensor<12x16x16xf32>)
// IR-LABEL: func.func @b_tt_const(
// IR:         pixelfly.block_sparse_matmul ins(%{{.+}}, %cst{{.*}} : tensor<?x32xf32>, tensor<2x16x16xf32>)
// IR-LABEL: func.func @b_out_transposed(
// IR:         pixelfly.block_sparse_matmul {{.+}} : tensor<64x64xf32>, tensor<4x32x32xf32>)
// IR-LABEL: func.func @b_broadcast_nt(
// IR-NOT:     linalg.broadcast
// IR:         pixelfly.block_sparse_matmul {{.+}} : tensor<?x32xf32>, tensor<2x32x32xf32>) outs(%{{.+}} : tensor<?x64xf32>)
// IR-LABEL: func.func @b_broadcast_nn_zero(
// IR-NOT:     linalg.broadcast
// IR:         linalg.fill {{.+}} -> tensor<?x64xf32>
// IR:         pixelfly.block_sparse_input_grad {{.+}} : tensor<?x32xf32>, tensor<2x32x32xf32>) outs(%{{.+}} : tensor<?x64xf32>)
// IR-LABEL: func.func @b_broadcast_dynamic(
// IR-NOT:     linalg.broadcast
// IR:         pixelfly.block_sparse_matmul {{.+}} : tensor<?x32xf32>, tensor<2x32x32xf32>) outs(%{{.+}} : tensor<?x64xf32>)
// IR:         tensor.expand_shape {{.+}} output_shape [%{{.+}}, 7, 64] : tensor<?x64xf32> into tensor<?x7x64xf32>
// IR-LABEL: func.func @main(

// Eight results.
// CHECK-COUNT-8: Unranked Memref
// CHECK-NOT:     Unranked Memref

#tmk = affine_map<(t, m, n, k) -> (t, m, k)>
#tkm = affine_map<(t, m, n, k) -> (t, k, m)>
#tnk = affine_map<(t, m, n, k) -> (t, n, k)>
#tkn = affine_map<(t, m, n, k) -> (t, k, n)>
#tmn = affine_map<(t, m, n, k) -> (t, m, n)>
#tnm = affine_map<(t, m, n, k) -> (t, n, m)>

func.func private @printMemrefF32(tensor<*xf32>)

func.func @b_nn(%a: tensor<3x?x32xf32>, %b: tensor<3x32x64xf32>, %c: tensor<3x?x64xf32>) -> tensor<3x?x64xf32> {
  %r = linalg.batch_matmul ins(%a, %b : tensor<3x?x32xf32>, tensor<3x32x64xf32>) outs(%c : tensor<3x?x64xf32>) -> tensor<3x?x64xf32>
  return %r : tensor<3x?x64xf32>
}
func.func @b_nt_zero(%a: tensor<2x?x32xf32>, %k: tensor<2x48x32xf32>) -> tensor<2x?x48xf32> {
  %c1 = arith.constant 1 : index
  %m = tensor.dim %a, %c1 : tensor<2x?x32xf32>
  %e = tensor.empty() : tensor<2x32x48xf32>
  %kt = linalg.transpose ins(%k : tensor<2x48x32xf32>) outs(%e : tensor<2x32x48xf32>) permutation = [0, 2, 1]
  %zero = arith.constant 0.0 : f32
  %ec = tensor.empty(%m) : tensor<2x?x48xf32>
  %c = linalg.fill ins(%zero : f32) outs(%ec : tensor<2x?x48xf32>) -> tensor<2x?x48xf32>
  %r = linalg.batch_matmul ins(%a, %kt : tensor<2x?x32xf32>, tensor<2x32x48xf32>) outs(%c : tensor<2x?x48xf32>) -> tensor<2x?x48xf32>
  return %r : tensor<2x?x48xf32>
}
func.func @b_tn(%a: tensor<2x?x48xf32>, %b: tensor<2x?x32xf32>, %c: tensor<2x48x32xf32>) -> tensor<2x48x32xf32> {
  %r = linalg.generic {indexing_maps = [#tkm, #tkn, #tmn], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<2x?x48xf32>, tensor<2x?x32xf32>) outs(%c : tensor<2x48x32xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<2x48x32xf32>
  return %r : tensor<2x48x32xf32>
}
func.func @b_tt_const(%a: tensor<2x16x?xf32>, %c: tensor<2x?x16xf32>) -> tensor<2x?x16xf32> {
  %b = arith.constant dense<[[[-3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0], [0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0], [3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0], [-1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0], [2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0], [-2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0], [1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0], [-3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0], [0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0], [3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0], [-1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0], [2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0], [-2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0], [1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0], [-3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0], [0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0]], [[-3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0], [0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0], [3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0], [-1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0], [2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0], [-2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0], [1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0], [-3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0], [0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0], [3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0], [-1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0], [2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0], [-2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0], [1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0], [-3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0], [0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0, 3.0, 1.0, -1.0, -3.0, 2.0, 0.0, -2.0]]]> : tensor<2x16x16xf32>
  %r = linalg.generic {indexing_maps = [#tkm, #tnk, #tmn], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<2x16x?xf32>, tensor<2x16x16xf32>) outs(%c : tensor<2x?x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<2x?x16xf32>
  return %r : tensor<2x?x16xf32>
}
func.func @b_out_transposed(%a: tensor<2x64x32xf32>, %b: tensor<2x64x32xf32>, %c: tensor<2x64x64xf32>) -> tensor<2x64x64xf32> {
  %r = linalg.generic {indexing_maps = [#tmk, #tnk, #tnm], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<2x64x32xf32>, tensor<2x64x32xf32>) outs(%c : tensor<2x64x64xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<2x64x64xf32>
  return %r : tensor<2x64x64xf32>
}
func.func @b_broadcast_nt(%a: tensor<2x?x32xf32>, %w: tensor<64x32xf32>, %c: tensor<2x?x64xf32>) -> tensor<2x?x64xf32> {
  %e = tensor.empty() : tensor<2x64x32xf32>
  %wb = linalg.broadcast ins(%w : tensor<64x32xf32>) outs(%e : tensor<2x64x32xf32>) dimensions = [0]
  %r = linalg.generic {indexing_maps = [#tmk, #tnk, #tmn], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %wb : tensor<2x?x32xf32>, tensor<2x64x32xf32>) outs(%c : tensor<2x?x64xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<2x?x64xf32>
  return %r : tensor<2x?x64xf32>
}
func.func @b_broadcast_nn_zero(%a: tensor<2x?x32xf32>, %w: tensor<32x64xf32>) -> tensor<2x?x64xf32> {
  %c1 = arith.constant 1 : index
  %m = tensor.dim %a, %c1 : tensor<2x?x32xf32>
  %e = tensor.empty() : tensor<2x32x64xf32>
  %wb = linalg.broadcast ins(%w : tensor<32x64xf32>) outs(%e : tensor<2x32x64xf32>) dimensions = [0]
  %zero = arith.constant 0.0 : f32
  %ec = tensor.empty(%m) : tensor<2x?x64xf32>
  %c = linalg.fill ins(%zero : f32) outs(%ec : tensor<2x?x64xf32>) -> tensor<2x?x64xf32>
  %r = linalg.batch_matmul ins(%a, %wb : tensor<2x?x32xf32>, tensor<2x32x64xf32>) outs(%c : tensor<2x?x64xf32>) -> tensor<2x?x64xf32>
  return %r : tensor<2x?x64xf32>
}
func.func @b_broadcast_dynamic(%a: tensor<?x7x32xf32>, %w: tensor<64x32xf32>, %c: tensor<?x7x64xf32>) -> tensor<?x7x64xf32> {
  %c0 = arith.constant 0 : index
  %t = tensor.dim %a, %c0 : tensor<?x7x32xf32>
  %e = tensor.empty(%t) : tensor<?x64x32xf32>
  %wb = linalg.broadcast ins(%w : tensor<64x32xf32>) outs(%e : tensor<?x64x32xf32>) dimensions = [0]
  %r = linalg.generic {indexing_maps = [#tmk, #tnk, #tmn], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %wb : tensor<?x7x32xf32>, tensor<?x64x32xf32>) outs(%c : tensor<?x7x64xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<?x7x64xf32>
  return %r : tensor<?x7x64xf32>
}

// Small integers in [-3, 3] from the indices and a salt.
func.func @make(%t: index, %rows: index, %cols: index, %salt: index) -> tensor<?x?x?xf32> {
  %e = tensor.empty(%t, %rows, %cols) : tensor<?x?x?xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(t, i, j) -> (t, i, j)>], iterator_types = ["parallel", "parallel", "parallel"]} outs(%e : tensor<?x?x?xf32>) {
  ^bb0(%o: f32):
    %b = linalg.index 0 : index
    %i = linalg.index 1 : index
    %j = linalg.index 2 : index
    %c3 = arith.constant 3 : index
    %c5 = arith.constant 5 : index
    %c7 = arith.constant 7 : index
    %c11 = arith.constant 11 : index
    %x = arith.muli %i, %c5 : index
    %y = arith.muli %j, %c3 : index
    %ij = arith.muli %i, %j : index
    %bb = arith.muli %b, %c11 : index
    %s1 = arith.addi %x, %y : index
    %s2 = arith.addi %s1, %ij : index
    %s3 = arith.addi %s2, %bb : index
    %all = arith.addi %s3, %salt : index
    %m = arith.remui %all, %c7 : index
    %mi = arith.index_cast %m : index to i64
    %mf = arith.sitofp %mi : i64 to f32
    %three = arith.constant 3.0 : f32
    %val = arith.subf %mf, %three : f32
    linalg.yield %val : f32
  } -> tensor<?x?x?xf32>
  return %r : tensor<?x?x?xf32>
}

func.func @print(%t: tensor<?x?x?xf32>) {
  %u = tensor.cast %t : tensor<?x?x?xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}

func.func @main() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c7 = arith.constant 7 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %c48 = arith.constant 48 : index
  %c64 = arith.constant 64 : index
  %a1_ = func.call @make(%c3, %c7, %c32, %c0) : (index, index, index, index) -> tensor<?x?x?xf32>
  %b1_ = func.call @make(%c3, %c32, %c64, %c1) : (index, index, index, index) -> tensor<?x?x?xf32>
  %c1_ = func.call @make(%c3, %c7, %c64, %c2) : (index, index, index, index) -> tensor<?x?x?xf32>
  %a1 = tensor.cast %a1_ : tensor<?x?x?xf32> to tensor<3x?x32xf32>
  %b1 = tensor.cast %b1_ : tensor<?x?x?xf32> to tensor<3x32x64xf32>
  %cc1 = tensor.cast %c1_ : tensor<?x?x?xf32> to tensor<3x?x64xf32>
  %r1 = func.call @b_nn(%a1, %b1, %cc1) : (tensor<3x?x32xf32>, tensor<3x32x64xf32>, tensor<3x?x64xf32>) -> tensor<3x?x64xf32>

  %a2_ = func.call @make(%c2, %c7, %c32, %c3) : (index, index, index, index) -> tensor<?x?x?xf32>
  %k2_ = func.call @make(%c2, %c48, %c32, %c4) : (index, index, index, index) -> tensor<?x?x?xf32>
  %a2 = tensor.cast %a2_ : tensor<?x?x?xf32> to tensor<2x?x32xf32>
  %k2 = tensor.cast %k2_ : tensor<?x?x?xf32> to tensor<2x48x32xf32>
  %r2 = func.call @b_nt_zero(%a2, %k2) : (tensor<2x?x32xf32>, tensor<2x48x32xf32>) -> tensor<2x?x48xf32>

  %a3_ = func.call @make(%c2, %c7, %c48, %c1) : (index, index, index, index) -> tensor<?x?x?xf32>
  %b3_ = func.call @make(%c2, %c7, %c32, %c2) : (index, index, index, index) -> tensor<?x?x?xf32>
  %c3_ = func.call @make(%c2, %c48, %c32, %c0) : (index, index, index, index) -> tensor<?x?x?xf32>
  %a3 = tensor.cast %a3_ : tensor<?x?x?xf32> to tensor<2x?x48xf32>
  %b3 = tensor.cast %b3_ : tensor<?x?x?xf32> to tensor<2x?x32xf32>
  %cc3 = tensor.cast %c3_ : tensor<?x?x?xf32> to tensor<2x48x32xf32>
  %r3 = func.call @b_tn(%a3, %b3, %cc3) : (tensor<2x?x48xf32>, tensor<2x?x32xf32>, tensor<2x48x32xf32>) -> tensor<2x48x32xf32>

  %a4_ = func.call @make(%c2, %c16, %c7, %c4) : (index, index, index, index) -> tensor<?x?x?xf32>
  %c4_ = func.call @make(%c2, %c7, %c16, %c3) : (index, index, index, index) -> tensor<?x?x?xf32>
  %a4 = tensor.cast %a4_ : tensor<?x?x?xf32> to tensor<2x16x?xf32>
  %cc4 = tensor.cast %c4_ : tensor<?x?x?xf32> to tensor<2x?x16xf32>
  %r4 = func.call @b_tt_const(%a4, %cc4) : (tensor<2x16x?xf32>, tensor<2x?x16xf32>) -> tensor<2x?x16xf32>

  %a5_ = func.call @make(%c2, %c64, %c32, %c2) : (index, index, index, index) -> tensor<?x?x?xf32>
  %b5_ = func.call @make(%c2, %c64, %c32, %c3) : (index, index, index, index) -> tensor<?x?x?xf32>
  %c5_ = func.call @make(%c2, %c64, %c64, %c1) : (index, index, index, index) -> tensor<?x?x?xf32>
  %a5 = tensor.cast %a5_ : tensor<?x?x?xf32> to tensor<2x64x32xf32>
  %b5 = tensor.cast %b5_ : tensor<?x?x?xf32> to tensor<2x64x32xf32>
  %cc5 = tensor.cast %c5_ : tensor<?x?x?xf32> to tensor<2x64x64xf32>
  %r5 = func.call @b_out_transposed(%a5, %b5, %cc5) : (tensor<2x64x32xf32>, tensor<2x64x32xf32>, tensor<2x64x64xf32>) -> tensor<2x64x64xf32>

  %w6_ = func.call @make(%c1, %c64, %c32, %c4) : (index, index, index, index) -> tensor<?x?x?xf32>
  %w6s = tensor.cast %w6_ : tensor<?x?x?xf32> to tensor<1x64x32xf32>
  %w6 = tensor.collapse_shape %w6s [[0, 1], [2]] : tensor<1x64x32xf32> into tensor<64x32xf32>
  %c6_ = func.call @make(%c2, %c7, %c64, %c0) : (index, index, index, index) -> tensor<?x?x?xf32>
  %cc6 = tensor.cast %c6_ : tensor<?x?x?xf32> to tensor<2x?x64xf32>
  %r6 = func.call @b_broadcast_nt(%a2, %w6, %cc6) : (tensor<2x?x32xf32>, tensor<64x32xf32>, tensor<2x?x64xf32>) -> tensor<2x?x64xf32>
  %w7_ = func.call @make(%c1, %c32, %c64, %c2) : (index, index, index, index) -> tensor<?x?x?xf32>
  %w7s = tensor.cast %w7_ : tensor<?x?x?xf32> to tensor<1x32x64xf32>
  %w7 = tensor.collapse_shape %w7s [[0, 1], [2]] : tensor<1x32x64xf32> into tensor<32x64xf32>
  %r7 = func.call @b_broadcast_nn_zero(%a2, %w7) : (tensor<2x?x32xf32>, tensor<32x64xf32>) -> tensor<2x?x64xf32>

  %p1 = tensor.cast %r1 : tensor<3x?x64xf32> to tensor<?x?x?xf32>
  %p2 = tensor.cast %r2 : tensor<2x?x48xf32> to tensor<?x?x?xf32>
  %p3 = tensor.cast %r3 : tensor<2x48x32xf32> to tensor<?x?x?xf32>
  %p4 = tensor.cast %r4 : tensor<2x?x16xf32> to tensor<?x?x?xf32>
  %p5 = tensor.cast %r5 : tensor<2x64x64xf32> to tensor<?x?x?xf32>
  func.call @print(%p1) : (tensor<?x?x?xf32>) -> ()
  func.call @print(%p2) : (tensor<?x?x?xf32>) -> ()
  func.call @print(%p3) : (tensor<?x?x?xf32>) -> ()
  func.call @print(%p4) : (tensor<?x?x?xf32>) -> ()
  func.call @print(%p5) : (tensor<?x?x?xf32>) -> ()
  %p6 = tensor.cast %r6 : tensor<2x?x64xf32> to tensor<?x?x?xf32>
  %p7 = tensor.cast %r7 : tensor<2x?x64xf32> to tensor<?x?x?xf32>
  func.call @print(%p6) : (tensor<?x?x?xf32>) -> ()
  func.call @print(%p7) : (tensor<?x?x?xf32>) -> ()
  %a8 = tensor.cast %a2 : tensor<2x?x32xf32> to tensor<?x7x32xf32>
  %c8 = tensor.cast %cc6 : tensor<2x?x64xf32> to tensor<?x7x64xf32>
  %r8 = func.call @b_broadcast_dynamic(%a8, %w6, %c8) : (tensor<?x7x32xf32>, tensor<64x32xf32>, tensor<?x7x64xf32>) -> tensor<?x7x64xf32>
  %p8 = tensor.cast %r8 : tensor<?x7x64xf32> to tensor<?x?x?xf32>
  func.call @print(%p8) : (tensor<?x?x?xf32>) -> ()
  return
}
