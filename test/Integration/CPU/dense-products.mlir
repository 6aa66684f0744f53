// pixelfly-dense-products rewrites dense 2-D contractions into products on
// a layout that stores every block (for the GPU's tensor-core kernels). On
// the CPU the rewritten functions give the same results as the originals,
// bit for bit (small integers: every sum exact), for each form: C = A B^T
// (block_sparse_matmul), C = A B (block_sparse_input_grad), C = A^T B
// (block_sparse_weight_grad into C's blocks, accumulating into a non-zero
// C), C = A^T B^T (A transposed first), a result laid out N x M, dY^T X
// with dY^T made by linalg.transpose (read from dY), a bf16 product into
// f32, and an f32 product rounded to bf16 (the product then writes bf16
// itself; inexact values there); 7 rows where the rows are dynamic (not a
// multiple of any tile), 48 x 32 for the weight gradient's layout (16 x 16
// blocks), and 48 x 16 (one block wide: the blocks are C's rows, a
// reshape; @nt's B likewise).
// A mutated rewrite (the blocks of B taken column-major) makes the results
// differ: the comparison sees the block order.
//
// REQUIRES: mlir-runner
// DEFINE: %{run} = mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils | sed -e 's/base@ = 0x[0-9a-f]*//'
// RUN: pixelfly-opt %s --pass-pipeline="builtin.module(func.func(pixelfly-dense-products))" \
// RUN: | FileCheck %s --check-prefix=IR
// RUN: pixelfly-opt %s --pixelfly-cpu-pipeline | %{run} > %t.ref
// RUN: pixelfly-opt %s --pass-pipeline="builtin.module(func.func(pixelfly-dense-products))" \
// RUN: | pixelfly-opt --pixelfly-cpu-pipeline | %{run} > %t.new
// RUN: diff %t.ref %t.new
// RUN: FileCheck %s --input-file=%t.new

// IR-LABEL: func.func @nt(
// IR:         pixelfly.block_sparse_matmul
// IR-LABEL: func.func @nn(
// IR:         pixelfly.block_sparse_input_grad
// IR-LABEL: func.func @tn(
// IR:         pixelfly.block_sparse_weight_grad
// IR-LABEL: func.func @tn_narrow(
// IR-NOT:     linalg.transpose
// IR:         tensor.collapse_shape %{{.+}} {{\[\[}}0, 1], [2]] : tensor<3x16x16xf32> into tensor<48x16xf32>
// IR-LABEL: func.func @tt(
// IR:         linalg.transpose {{.+}} permutation = [1, 0]
// IR:         pixelfly.block_sparse_matmul
// IR-LABEL: func.func @nt_out_transposed(
// IR:         pixelfly.block_sparse_matmul
// IR-LABEL: func.func @through_transpose(
// IR:         pixelfly.block_sparse_weight_grad
// IR-LABEL: func.func @bf16(
// IR:         pixelfly.block_sparse_input_grad {{.+}} : tensor<?x32xbf16>, tensor<2x32x32xbf16>) outs(%{{.+}} : tensor<?x64xf32>)
// IR-LABEL: func.func @rounded(
// IR:         pixelfly.block_sparse_input_grad {{.+}} outs(%{{.+}} : tensor<?x64xbf16>)
// IR-NOT:     arith.truncf
// IR-LABEL: func.func @main(
// IR-NOT:     linalg.matmul

// Nine results.
// CHECK-COUNT-9: Unranked Memref
// CHECK-NOT:     Unranked Memref

#mk = affine_map<(m, n, k) -> (m, k)>
#km = affine_map<(m, n, k) -> (k, m)>
#nk = affine_map<(m, n, k) -> (n, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
#nm = affine_map<(m, n, k) -> (n, m)>

func.func private @printMemrefF32(tensor<*xf32>)

func.func @nt(%a: tensor<?x32xf32>, %b: tensor<64x32xf32>, %c: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %r = linalg.matmul indexing_maps = [#mk, #nk, #mn] ins(%a, %b : tensor<?x32xf32>, tensor<64x32xf32>) outs(%c : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %r : tensor<?x64xf32>
}
func.func @nn(%a: tensor<?x32xf32>, %b: tensor<32x64xf32>, %c: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<?x32xf32>, tensor<32x64xf32>) outs(%c : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %r : tensor<?x64xf32>
}
func.func @tn(%a: tensor<?x48xf32>, %b: tensor<?x32xf32>, %c: tensor<48x32xf32>) -> tensor<48x32xf32> {
  %r = linalg.matmul indexing_maps = [#km, #kn, #mn] ins(%a, %b : tensor<?x48xf32>, tensor<?x32xf32>) outs(%c : tensor<48x32xf32>) -> tensor<48x32xf32>
  return %r : tensor<48x32xf32>
}
func.func @tn_narrow(%a: tensor<?x48xf32>, %b: tensor<?x16xf32>, %c: tensor<48x16xf32>) -> tensor<48x16xf32> {
  %r = linalg.matmul indexing_maps = [#km, #kn, #mn] ins(%a, %b : tensor<?x48xf32>, tensor<?x16xf32>) outs(%c : tensor<48x16xf32>) -> tensor<48x16xf32>
  return %r : tensor<48x16xf32>
}
func.func @tt(%a: tensor<32x64xf32>, %b: tensor<64x32xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %r = linalg.matmul indexing_maps = [#km, #nk, #mn] ins(%a, %b : tensor<32x64xf32>, tensor<64x32xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}
func.func @nt_out_transposed(%a: tensor<16x32xf32>, %b: tensor<64x32xf32>, %c: tensor<64x16xf32>) -> tensor<64x16xf32> {
  %r = linalg.matmul indexing_maps = [#mk, #nk, #nm] ins(%a, %b : tensor<16x32xf32>, tensor<64x32xf32>) outs(%c : tensor<64x16xf32>) -> tensor<64x16xf32>
  return %r : tensor<64x16xf32>
}
func.func @through_transpose(%dy: tensor<?x48xf32>, %x: tensor<?x32xf32>, %c: tensor<48x32xf32>) -> tensor<48x32xf32> {
  %c0 = arith.constant 0 : index
  %m = tensor.dim %dy, %c0 : tensor<?x48xf32>
  %e = tensor.empty(%m) : tensor<48x?xf32>
  %dyt = linalg.transpose ins(%dy : tensor<?x48xf32>) outs(%e : tensor<48x?xf32>) permutation = [1, 0]
  %r = linalg.matmul ins(%dyt, %x : tensor<48x?xf32>, tensor<?x32xf32>) outs(%c : tensor<48x32xf32>) -> tensor<48x32xf32>
  return %r : tensor<48x32xf32>
}
func.func @bf16(%a: tensor<?x32xbf16>, %b: tensor<32x64xbf16>, %c: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<?x32xbf16>, tensor<32x64xbf16>) outs(%c : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %r : tensor<?x64xf32>
}

// An f32 product from +0 rounded to bf16: rewritten, the product writes
// bf16 itself (one rounding from the f32 accumulator either way).
func.func @rounded(%a: tensor<?x32xbf16>, %b: tensor<32x64xbf16>) -> tensor<?x64xbf16> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %m = tensor.dim %a, %c0 : tensor<?x32xbf16>
  %e = tensor.empty(%m) : tensor<?x64xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<?x64xf32>) -> tensor<?x64xf32>
  %r = linalg.matmul ins(%a, %b : tensor<?x32xbf16>, tensor<32x64xbf16>) outs(%c : tensor<?x64xf32>) -> tensor<?x64xf32>
  %eb = tensor.empty(%m) : tensor<?x64xbf16>
  %t = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%r : tensor<?x64xf32>) outs(%eb : tensor<?x64xbf16>) {
  ^bb0(%in: f32, %o: bf16):
    %v = arith.truncf %in : f32 to bf16
    linalg.yield %v : bf16
  } -> tensor<?x64xbf16>
  return %t : tensor<?x64xbf16>
}
// Small integers in [-3, 3] from the indices and a salt.
func.func @make(%rows: index, %cols: index, %salt: index) -> tensor<?x?xf32> {
  %t = tensor.empty(%rows, %cols) : tensor<?x?xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} outs(%t : tensor<?x?xf32>) {
  ^bb0(%o: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %c3 = arith.constant 3 : index
    %c5 = arith.constant 5 : index
    %c7 = arith.constant 7 : index
    %a = arith.muli %i, %c5 : index
    %b = arith.muli %j, %c3 : index
    %ij = arith.muli %i, %j : index
    %ab = arith.addi %a, %b : index
    %abij = arith.addi %ab, %ij : index
    %all = arith.addi %abij, %salt : index
    %m = arith.remui %all, %c7 : index
    %mi = arith.index_cast %m : index to i64
    %mf = arith.sitofp %mi : i64 to f32
    %three = arith.constant 3.0 : f32
    %val = arith.subf %mf, %three : f32
    linalg.yield %val : f32
  } -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

func.func @print(%t: tensor<?x?xf32>) {
  %u = tensor.cast %t : tensor<?x?xf32> to tensor<*xf32>
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
  %a7x32 = func.call @make(%c7, %c32, %c0) : (index, index, index) -> tensor<?x?xf32>
  %b64x32_ = func.call @make(%c64, %c32, %c1) : (index, index, index) -> tensor<?x?xf32>
  %b32x64_ = func.call @make(%c32, %c64, %c2) : (index, index, index) -> tensor<?x?xf32>
  %c7x64 = func.call @make(%c7, %c64, %c3) : (index, index, index) -> tensor<?x?xf32>
  %a7x48 = func.call @make(%c7, %c48, %c4) : (index, index, index) -> tensor<?x?xf32>
  %c48x32_ = func.call @make(%c48, %c32, %c1) : (index, index, index) -> tensor<?x?xf32>
  %a32x16_ = func.call @make(%c32, %c64, %c2) : (index, index, index) -> tensor<?x?xf32>
  %c16x64_ = func.call @make(%c64, %c64, %c3) : (index, index, index) -> tensor<?x?xf32>
  %a16x32_ = func.call @make(%c16, %c32, %c4) : (index, index, index) -> tensor<?x?xf32>
  %c64x16_ = func.call @make(%c64, %c16, %c0) : (index, index, index) -> tensor<?x?xf32>
  %b64x32 = tensor.cast %b64x32_ : tensor<?x?xf32> to tensor<64x32xf32>
  %b32x64 = tensor.cast %b32x64_ : tensor<?x?xf32> to tensor<32x64xf32>
  %c48x32 = tensor.cast %c48x32_ : tensor<?x?xf32> to tensor<48x32xf32>
  %a32x16 = tensor.cast %a32x16_ : tensor<?x?xf32> to tensor<32x64xf32>
  %c16x64 = tensor.cast %c16x64_ : tensor<?x?xf32> to tensor<64x64xf32>
  %a16x32 = tensor.cast %a16x32_ : tensor<?x?xf32> to tensor<16x32xf32>
  %c64x16 = tensor.cast %c64x16_ : tensor<?x?xf32> to tensor<64x16xf32>
  %a7 = tensor.cast %a7x32 : tensor<?x?xf32> to tensor<?x32xf32>
  %cc7 = tensor.cast %c7x64 : tensor<?x?xf32> to tensor<?x64xf32>
  %a748 = tensor.cast %a7x48 : tensor<?x?xf32> to tensor<?x48xf32>

  %r1 = func.call @nt(%a7, %b64x32, %cc7) : (tensor<?x32xf32>, tensor<64x32xf32>, tensor<?x64xf32>) -> tensor<?x64xf32>
  %r2 = func.call @nn(%a7, %b32x64, %cc7) : (tensor<?x32xf32>, tensor<32x64xf32>, tensor<?x64xf32>) -> tensor<?x64xf32>
  %r3 = func.call @tn(%a748, %a7, %c48x32) : (tensor<?x48xf32>, tensor<?x32xf32>, tensor<48x32xf32>) -> tensor<48x32xf32>
  %r4 = func.call @tt(%a32x16, %b64x32, %c16x64) : (tensor<32x64xf32>, tensor<64x32xf32>, tensor<64x64xf32>) -> tensor<64x64xf32>
  %r5 = func.call @nt_out_transposed(%a16x32, %b64x32, %c64x16) : (tensor<16x32xf32>, tensor<64x32xf32>, tensor<64x16xf32>) -> tensor<64x16xf32>
  %eh = tensor.empty() : tensor<7x32xbf16>
  %a7s = tensor.cast %a7x32 : tensor<?x?xf32> to tensor<7x32xf32>
  %ah = arith.truncf %a7s : tensor<7x32xf32> to tensor<7x32xbf16>
  %bh = arith.truncf %b32x64 : tensor<32x64xf32> to tensor<32x64xbf16>
  %ahd = tensor.cast %ah : tensor<7x32xbf16> to tensor<?x32xbf16>
  %r6 = func.call @bf16(%ahd, %bh, %cc7) : (tensor<?x32xbf16>, tensor<32x64xbf16>, tensor<?x64xf32>) -> tensor<?x64xf32>

  %p1 = tensor.cast %r1 : tensor<?x64xf32> to tensor<?x?xf32>
  %p2 = tensor.cast %r2 : tensor<?x64xf32> to tensor<?x?xf32>
  %p3 = tensor.cast %r3 : tensor<48x32xf32> to tensor<?x?xf32>
  %p4 = tensor.cast %r4 : tensor<64x64xf32> to tensor<?x?xf32>
  %p5 = tensor.cast %r5 : tensor<64x16xf32> to tensor<?x?xf32>
  %p6 = tensor.cast %r6 : tensor<?x64xf32> to tensor<?x?xf32>
  %r7 = func.call @through_transpose(%a748, %a7, %c48x32) : (tensor<?x48xf32>, tensor<?x32xf32>, tensor<48x32xf32>) -> tensor<48x32xf32>
  %p7 = tensor.cast %r7 : tensor<48x32xf32> to tensor<?x?xf32>
  // Inexact values for @rounded, so that rounding its sums matters.
  %scale = arith.constant dense<0.37> : tensor<7x32xf32>
  %a7i = arith.mulf %a7s, %scale : tensor<7x32xf32>
  %a7ih = arith.truncf %a7i : tensor<7x32xf32> to tensor<7x32xbf16>
  %a7ihd = tensor.cast %a7ih : tensor<7x32xbf16> to tensor<?x32xbf16>
  %r8 = func.call @rounded(%a7ihd, %bh) : (tensor<?x32xbf16>, tensor<32x64xbf16>) -> tensor<?x64xbf16>
  %r8f = arith.extf %r8 : tensor<?x64xbf16> to tensor<?x64xf32>
  %p8 = tensor.cast %r8f : tensor<?x64xf32> to tensor<?x?xf32>
  func.call @print(%p1) : (tensor<?x?xf32>) -> ()
  func.call @print(%p2) : (tensor<?x?xf32>) -> ()
  func.call @print(%p3) : (tensor<?x?xf32>) -> ()
  func.call @print(%p4) : (tensor<?x?xf32>) -> ()
  func.call @print(%p5) : (tensor<?x?xf32>) -> ()
  func.call @print(%p6) : (tensor<?x?xf32>) -> ()
  func.call @print(%p7) : (tensor<?x?xf32>) -> ()
  func.call @print(%p8) : (tensor<?x?xf32>) -> ()
  %a7x16 = func.call @make(%c7, %c16, %c3) : (index, index, index) -> tensor<?x?xf32>
  %c48x16_ = func.call @make(%c48, %c16, %c2) : (index, index, index) -> tensor<?x?xf32>
  %b716 = tensor.cast %a7x16 : tensor<?x?xf32> to tensor<?x16xf32>
  %c48x16 = tensor.cast %c48x16_ : tensor<?x?xf32> to tensor<48x16xf32>
  %r9 = func.call @tn_narrow(%a748, %b716, %c48x16) : (tensor<?x48xf32>, tensor<?x16xf32>, tensor<48x16xf32>) -> tensor<48x16xf32>
  %p9 = tensor.cast %r9 : tensor<48x16xf32> to tensor<?x?xf32>
  func.call @print(%p9) : (tensor<?x?xf32>) -> ()
  return
}
