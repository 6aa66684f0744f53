// RUN: pixelfly-opt %s -verify-diagnostics \
// RUN:   --pass-pipeline="builtin.module(func.func(pixelfly-dense-products{remarks=true}))" \
// RUN: | FileCheck %s

// Dense 2-D contractions become products on a layout that stores every
// block (row-major CSR, b the largest of 64, 32, 16 dividing both sides):
// the blocks of the layout's operand are a reshape and a transpose away
// (only a reshape when the operand is one block wide).

#mk = affine_map<(m, n, k) -> (m, k)>
#km = affine_map<(m, n, k) -> (k, m)>
#nk = affine_map<(m, n, k) -> (n, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
#nm = affine_map<(m, n, k) -> (n, m)>

// CHECK-DAG: #[[FULL_NT:.+]] = #pixelfly.block_layout<shape = 128x64, block = 64x64, row_ptr = [0, 1, 2], col_idx = [0, 0]>
// CHECK-DAG: #[[FULL_NN:.+]] = #pixelfly.block_layout<shape = 32x64, block = 32x32, row_ptr = [0, 2], col_idx = [0, 1]>
// CHECK-DAG: #[[FULL_TN:.+]] = #pixelfly.block_layout<shape = 48x32, block = 16x16, row_ptr = [0, 2, 4, 6], col_idx = [0, 1, 0, 1, 0, 1]>

// C = A B^T: the weight's blocks, block_sparse_matmul. One block wide
// (a low-rank factor's shape), the blocks are B's rows: a reshape.
// CHECK-LABEL: func.func @nt(
// CHECK-SAME:      %[[A:[^:]+]]: tensor<?x64xbf16>, %[[B:[^:]+]]: tensor<128x64xbf16>, %[[C:[^:]+]]: tensor<?x128xf32>)
// CHECK-NOT:     linalg.transpose
// CHECK:         %[[BL:.+]] = tensor.expand_shape %[[B]] {{\[\[}}0, 1], [2]] output_shape [2, 64, 64] : tensor<128x64xbf16> into tensor<2x64x64xbf16>
// CHECK:         %[[R:.+]] = pixelfly.block_sparse_matmul ins(%[[A]], %[[BL]] : {{.+}}) outs(%[[C]] : tensor<?x128xf32>) layout(#[[FULL_NT]])
// CHECK:         return %[[R]]
func.func @nt(%a: tensor<?x64xbf16>, %b: tensor<128x64xbf16>, %c: tensor<?x128xf32>) -> tensor<?x128xf32> {
  %r = linalg.matmul indexing_maps = [#mk, #nk, #mn] ins(%a, %b : tensor<?x64xbf16>, tensor<128x64xbf16>) outs(%c : tensor<?x128xf32>) -> tensor<?x128xf32>
  return %r : tensor<?x128xf32>
}

// Two blocks wide: B's block rows are split and regrouped.
// CHECK-LABEL: func.func @nt_wide(
// CHECK-SAME:      %[[A:[^:]+]]: tensor<?x128xbf16>, %[[B:[^:]+]]: tensor<64x128xbf16>, %[[C:[^:]+]]: tensor<?x64xf32>)
// CHECK:         %[[E:.+]] = tensor.expand_shape %[[B]] {{\[\[}}0, 1], [2, 3]] output_shape [1, 64, 2, 64]
// CHECK:         %[[T:.+]] = linalg.transpose ins(%[[E]] : tensor<1x64x2x64xbf16>) {{.+}} permutation = [0, 2, 1, 3]
// CHECK:         %[[BL:.+]] = tensor.collapse_shape %[[T]] {{\[\[}}0, 1], [2], [3]] : tensor<1x2x64x64xbf16> into tensor<2x64x64xbf16>
// CHECK:         pixelfly.block_sparse_matmul ins(%[[A]], %[[BL]] : {{.+}}) outs(%[[C]] : tensor<?x64xf32>)
func.func @nt_wide(%a: tensor<?x128xbf16>, %b: tensor<64x128xbf16>, %c: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %r = linalg.matmul indexing_maps = [#mk, #nk, #mn] ins(%a, %b : tensor<?x128xbf16>, tensor<64x128xbf16>) outs(%c : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %r : tensor<?x64xf32>
}

// Two products read one weight (a training step's forward X W^T and input
// gradient dY W): it is re-blocked once, for both.
// CHECK-LABEL: func.func @shared_weight(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<?x128xbf16>, %[[W:[^:]+]]: tensor<64x128xbf16>
// CHECK:         %[[E:.+]] = tensor.expand_shape %[[W]]
// CHECK:         %[[T:.+]] = linalg.transpose ins(%[[E]]
// CHECK:         %[[BL:.+]] = tensor.collapse_shape %[[T]]
// CHECK:         pixelfly.block_sparse_matmul ins(%[[X]], %[[BL]]
// CHECK-NOT:     linalg.transpose
// CHECK:         pixelfly.block_sparse_input_grad ins(%{{.+}}, %[[BL]]
// CHECK:         return
func.func @shared_weight(%x: tensor<?x128xbf16>, %w: tensor<64x128xbf16>, %c: tensor<?x64xf32>, %dy: tensor<?x64xbf16>, %d: tensor<?x128xf32>) -> (tensor<?x64xf32>, tensor<?x128xf32>) {
  %y = linalg.matmul indexing_maps = [#mk, #nk, #mn] ins(%x, %w : tensor<?x128xbf16>, tensor<64x128xbf16>) outs(%c : tensor<?x64xf32>) -> tensor<?x64xf32>
  %dx = linalg.matmul ins(%dy, %w : tensor<?x64xbf16>, tensor<64x128xbf16>) outs(%d : tensor<?x128xf32>) -> tensor<?x128xf32>
  return %y, %dx : tensor<?x64xf32>, tensor<?x128xf32>
}

// C = A B: the layout on B as stored, block_sparse_input_grad.
// CHECK-LABEL: func.func @nn(
// CHECK:         pixelfly.block_sparse_input_grad ins(%{{.+}}, %{{.+}} : tensor<?x32xf16>, tensor<2x32x32xf16>) outs(%{{.+}} : tensor<?x64xf16>) layout(#[[FULL_NN]])
func.func @nn(%a: tensor<?x32xf16>, %b: tensor<32x64xf16>, %c: tensor<?x64xf16>) -> tensor<?x64xf16> {
  %r = linalg.matmul ins(%a, %b : tensor<?x32xf16>, tensor<32x64xf16>) outs(%c : tensor<?x64xf16>) -> tensor<?x64xf16>
  return %r : tensor<?x64xf16>
}

// C = A^T B (a weight gradient): into the blocks of a zero fill, then back.
// CHECK-LABEL: func.func @tn(
// CHECK-SAME:      %[[A:[^:]+]]: tensor<?x48xf32>, %[[B:[^:]+]]: tensor<?x32xf32>)
// CHECK:         %[[Z:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<6x16x16xf32>)
// CHECK:         %[[G:.+]] = pixelfly.block_sparse_weight_grad ins(%[[A]], %[[B]] : {{.+}}) outs(%[[Z]] : tensor<6x16x16xf32>) layout(#[[FULL_TN]])
// CHECK:         %[[E:.+]] = tensor.expand_shape %[[G]] {{\[\[}}0, 1], [2], [3]] output_shape [3, 2, 16, 16]
// CHECK:         %[[T:.+]] = linalg.transpose ins(%[[E]] : tensor<3x2x16x16xf32>) {{.+}} permutation = [0, 2, 1, 3]
// CHECK:         %[[R:.+]] = tensor.collapse_shape %[[T]] {{\[\[}}0, 1], [2, 3]] : tensor<3x16x2x16xf32> into tensor<48x32xf32>
// CHECK:         return %[[R]]
func.func @tn(%a: tensor<?x48xf32>, %b: tensor<?x32xf32>) -> tensor<48x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<48x32xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<48x32xf32>) -> tensor<48x32xf32>
  %r = linalg.matmul indexing_maps = [#km, #kn, #mn] ins(%a, %b : tensor<?x48xf32>, tensor<?x32xf32>) outs(%c : tensor<48x32xf32>) -> tensor<48x32xf32>
  return %r : tensor<48x32xf32>
}

// One block wide (a low-rank factor's gradient): the blocks are C's rows.
// CHECK-LABEL: func.func @tn_narrow(
// CHECK:         %[[G:.+]] = pixelfly.block_sparse_weight_grad {{.+}} -> tensor<2x32x32xf32>
// CHECK-NOT:     linalg.transpose
// CHECK:         %[[R:.+]] = tensor.collapse_shape %[[G]] {{\[\[}}0, 1], [2]] : tensor<2x32x32xf32> into tensor<64x32xf32>
// CHECK:         return %[[R]]
func.func @tn_narrow(%a: tensor<?x64xf32>, %b: tensor<?x32xf32>) -> tensor<64x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x32xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<64x32xf32>) -> tensor<64x32xf32>
  %r = linalg.matmul indexing_maps = [#km, #kn, #mn] ins(%a, %b : tensor<?x64xf32>, tensor<?x32xf32>) outs(%c : tensor<64x32xf32>) -> tensor<64x32xf32>
  return %r : tensor<64x32xf32>
}

// An f32 product from +0 that is only rounded to the operands' bf16 (a
// training step's X V, rounded for the next product) writes bf16 itself:
// the products accumulate in f32 and round once, so the bits are the same
// and the rounding op goes; so does a weight gradient's. Kept: a rounding
// with a mode of its own, a product with another use, a non-zero init.
// CHECK-LABEL: func.func @rounded(
// CHECK:         %[[Z:.+]] = linalg.fill ins(%{{.+}} : bf16) outs(%{{.+}} : tensor<?x32xbf16>)
// CHECK:         %[[R:.+]] = pixelfly.block_sparse_input_grad {{.+}} outs(%[[Z]] : tensor<?x32xbf16>)
// CHECK-NOT:     linalg.generic
// CHECK:         return %[[R]]
func.func @rounded(%a: tensor<?x64xbf16>, %b: tensor<64x32xbf16>) -> tensor<?x32xbf16> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %m = tensor.dim %a, %c0 : tensor<?x64xbf16>
  %e = tensor.empty(%m) : tensor<?x32xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<?x32xf32>) -> tensor<?x32xf32>
  %r = linalg.matmul ins(%a, %b : tensor<?x64xbf16>, tensor<64x32xbf16>) outs(%c : tensor<?x32xf32>) -> tensor<?x32xf32>
  %eb = tensor.empty(%m) : tensor<?x32xbf16>
  %t = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%r : tensor<?x32xf32>) outs(%eb : tensor<?x32xbf16>) {
  ^bb0(%in: f32, %o: bf16):
    %v = arith.truncf %in : f32 to bf16
    linalg.yield %v : bf16
  } -> tensor<?x32xbf16>
  return %t : tensor<?x32xbf16>
}
// CHECK-LABEL: func.func @rounded_weight_grad(
// CHECK:         %[[Z:.+]] = linalg.fill ins(%{{.+}} : bf16) outs(%{{.+}} : tensor<2x32x32xbf16>)
// CHECK:         pixelfly.block_sparse_weight_grad {{.+}} outs(%[[Z]] : tensor<2x32x32xbf16>)
// CHECK-NOT:     linalg.generic
// CHECK:         return %{{.+}} : tensor<64x32xbf16>
func.func @rounded_weight_grad(%dy: tensor<?x64xbf16>, %x: tensor<?x32xbf16>) -> tensor<64x32xbf16> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x32xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<64x32xf32>) -> tensor<64x32xf32>
  %r = linalg.matmul indexing_maps = [#km, #kn, #mn] ins(%dy, %x : tensor<?x64xbf16>, tensor<?x32xbf16>) outs(%c : tensor<64x32xf32>) -> tensor<64x32xf32>
  %eb = tensor.empty() : tensor<64x32xbf16>
  %t = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%r : tensor<64x32xf32>) outs(%eb : tensor<64x32xbf16>) {
  ^bb0(%in: f32, %o: bf16):
    %v = arith.truncf %in : f32 to bf16
    linalg.yield %v : bf16
  } -> tensor<64x32xbf16>
  return %t : tensor<64x32xbf16>
}
// CHECK-LABEL: func.func @rounded_kept(
// CHECK:         pixelfly.block_sparse_input_grad {{.+}} outs(%{{.+}} : tensor<?x32xf32>)
// CHECK:           arith.truncf %{{.+}} to_nearest_away
// CHECK:         pixelfly.block_sparse_input_grad {{.+}} outs(%{{.+}} : tensor<?x32xf32>)
// CHECK:           arith.truncf
// CHECK:         pixelfly.block_sparse_input_grad {{.+}} outs(%{{.+}} : tensor<?x32xf32>)
// CHECK:           arith.truncf
func.func @rounded_kept(%a: tensor<?x64xbf16>, %b: tensor<64x32xbf16>) -> (tensor<?x32xbf16>, tensor<?x32xbf16>, tensor<?x32xf32>, tensor<?x32xbf16>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %m = tensor.dim %a, %c0 : tensor<?x64xbf16>
  %e = tensor.empty(%m) : tensor<?x32xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<?x32xf32>) -> tensor<?x32xf32>
  %c1 = linalg.fill ins(%one : f32) outs(%e : tensor<?x32xf32>) -> tensor<?x32xf32>
  %eb = tensor.empty(%m) : tensor<?x32xbf16>
  %r0 = linalg.matmul ins(%a, %b : tensor<?x64xbf16>, tensor<64x32xbf16>) outs(%c : tensor<?x32xf32>) -> tensor<?x32xf32>
  %t0 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%r0 : tensor<?x32xf32>) outs(%eb : tensor<?x32xbf16>) {
  ^bb0(%in: f32, %o: bf16):
    %v = arith.truncf %in to_nearest_away : f32 to bf16
    linalg.yield %v : bf16
  } -> tensor<?x32xbf16>
  %r1 = linalg.matmul ins(%a, %b : tensor<?x64xbf16>, tensor<64x32xbf16>) outs(%c : tensor<?x32xf32>) -> tensor<?x32xf32>
  %t1 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%r1 : tensor<?x32xf32>) outs(%eb : tensor<?x32xbf16>) {
  ^bb0(%in: f32, %o: bf16):
    %v = arith.truncf %in : f32 to bf16
    linalg.yield %v : bf16
  } -> tensor<?x32xbf16>
  %r2 = linalg.matmul ins(%a, %b : tensor<?x64xbf16>, tensor<64x32xbf16>) outs(%c1 : tensor<?x32xf32>) -> tensor<?x32xf32>
  %t2 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%r2 : tensor<?x32xf32>) outs(%eb : tensor<?x32xbf16>) {
  ^bb0(%in: f32, %o: bf16):
    %v = arith.truncf %in : f32 to bf16
    linalg.yield %v : bf16
  } -> tensor<?x32xbf16>
  return %t0, %t1, %r1, %t2 : tensor<?x32xbf16>, tensor<?x32xbf16>, tensor<?x32xf32>, tensor<?x32xbf16>
}

// C = A^T B^T: A transposed, then as C = A B^T.
// CHECK-LABEL: func.func @tt(
// CHECK:         %[[AT:.+]] = linalg.transpose ins(%{{.+}} : tensor<32x64xf32>) {{.+}} permutation = [1, 0]
// CHECK:         pixelfly.block_sparse_matmul ins(%[[AT]], %{{.+}} : tensor<64x32xf32>, tensor<2x32x32xf32>)
func.func @tt(%a: tensor<32x64xf32>, %b: tensor<64x32xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %r = linalg.matmul indexing_maps = [#km, #nk, #mn] ins(%a, %b : tensor<32x64xf32>, tensor<64x32xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}

// A result laid out N x M: the operands swap roles.
// CHECK-LABEL: func.func @out_transposed(
// CHECK-SAME:      %[[A:[^:]+]]: tensor<16x32xf32>, %[[B:[^:]+]]: tensor<64x32xf32>
// CHECK:         tensor.expand_shape %[[A]]
// CHECK:         pixelfly.block_sparse_matmul ins(%[[B]], %{{.+}} : tensor<64x32xf32>, tensor<2x16x16xf32>) outs(%{{.+}} : tensor<64x16xf32>)
func.func @out_transposed(%a: tensor<16x32xf32>, %b: tensor<64x32xf32>, %c: tensor<64x16xf32>) -> tensor<64x16xf32> {
  %r = linalg.matmul indexing_maps = [#mk, #nk, #nm] ins(%a, %b : tensor<16x32xf32>, tensor<64x32xf32>) outs(%c : tensor<64x16xf32>) -> tensor<64x16xf32>
  return %r : tensor<64x16xf32>
}

// torch-mlir's weight gradient, dY^T X with dY^T made by linalg.transpose:
// read from dY, it is a weight gradient whose tokens stay off the layout
// (and the transpose goes).
// CHECK-LABEL: func.func @transposed_operand(
// CHECK-SAME:      %[[DY:[^:]+]]: tensor<?x64xbf16>, %[[X:[^:]+]]: tensor<?x32xbf16>
// CHECK-NOT:     linalg.transpose ins(%[[DY]]
// CHECK:         pixelfly.block_sparse_weight_grad ins(%[[DY]], %[[X]] : tensor<?x64xbf16>, tensor<?x32xbf16>) outs(%{{.+}} : tensor<2x32x32xf32>)
func.func @transposed_operand(%dy: tensor<?x64xbf16>, %x: tensor<?x32xbf16>, %c: tensor<64x32xf32>) -> tensor<64x32xf32> {
  %c0 = arith.constant 0 : index
  %m = tensor.dim %dy, %c0 : tensor<?x64xbf16>
  %e = tensor.empty(%m) : tensor<64x?xbf16>
  %dyt = linalg.transpose ins(%dy : tensor<?x64xbf16>) outs(%e : tensor<64x?xbf16>) permutation = [1, 0]
  %r = linalg.matmul ins(%dyt, %x : tensor<64x?xbf16>, tensor<?x32xbf16>) outs(%c : tensor<64x32xf32>) -> tensor<64x32xf32>
  return %r : tensor<64x32xf32>
}

// A linalg.generic of the same form is a contraction too.
// CHECK-LABEL: func.func @generic(
// CHECK:         pixelfly.block_sparse_matmul
func.func @generic(%a: tensor<?x32xf32>, %b: tensor<64x32xf32>, %c: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %r = linalg.generic {indexing_maps = [#mk, #nk, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<?x32xf32>, tensor<64x32xf32>) outs(%c : tensor<?x64xf32>) {
  ^bb0(%x: f32, %w: f32, %acc: f32):
    %p = arith.mulf %x, %w : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<?x64xf32>
  return %r : tensor<?x64xf32>
}

// Left alone, each with its remark.
// CHECK-LABEL: func.func @refused(
// CHECK-COUNT-2: linalg.matmul
// CHECK:         linalg.batch_matmul
// CHECK:         linalg.matmul
// CHECK:         linalg.generic
// CHECK-COUNT-5: linalg.matmul
func.func @refused(%a: tensor<8x30xf32>, %b: tensor<30x64xf32>, %c: tensor<8x64xf32>,
                   %ah: tensor<8x32xf16>, %b32: tensor<32x64xf32>,
                   %ba: tensor<2x8x32xf32>, %bb: tensor<2x32x64xf32>, %bc: tensor<2x8x64xf32>,
                   %bd: tensor<?x64xf32>, %ad: tensor<8x?xf32>, %ai: tensor<8x32xi32>, %bi: tensor<32x64xi32>, %ci: tensor<8x64xi32>,
                   %a32: tensor<8x32xf32>, %cb: tensor<8x64xf16>,
                   %ab: tensor<8x4112xf32>, %wb: tensor<4112x4096xf32>, %cbig: tensor<8x4096xf32>)
    -> (tensor<8x64xf32>, tensor<8x64xf32>, tensor<2x8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xi32>, tensor<8x64xf16>, tensor<8x64xf32>, tensor<8x4096xf32>, tensor<8x64xf32>) {
  // expected-remark @below {{pixelfly-dense-products: left 'linalg.matmul' alone: the dimensions a layout would cover (30 x 64) are not multiples of 16}}
  %r1 = linalg.matmul ins(%a, %b : tensor<8x30xf32>, tensor<30x64xf32>) outs(%c : tensor<8x64xf32>) -> tensor<8x64xf32>
  // expected-remark @below {{pixelfly-dense-products: left 'linalg.matmul' alone: its operands are not both f16, bf16 or f32}}
  %r2 = linalg.matmul ins(%ah, %b32 : tensor<8x32xf16>, tensor<32x64xf32>) outs(%c : tensor<8x64xf32>) -> tensor<8x64xf32>
  // expected-remark @below {{pixelfly-dense-products: left 'linalg.batch_matmul' alone: it has 8 rows to share the layout (fewer than 64, memory-bound: re-blocking would cost more than it saves)}}
  %r3 = linalg.batch_matmul ins(%ba, %bb : tensor<2x8x32xf32>, tensor<2x32x64xf32>) outs(%bc : tensor<2x8x64xf32>) -> tensor<2x8x64xf32>
  // expected-remark @below {{pixelfly-dense-products: left 'linalg.matmul' alone: the dimensions a layout would cover are not static}}
  %r4 = linalg.matmul ins(%ad, %bd : tensor<8x?xf32>, tensor<?x64xf32>) outs(%c : tensor<8x64xf32>) -> tensor<8x64xf32>
  // expected-remark @below {{pixelfly-dense-products: left 'linalg.generic' alone: its body is not a multiply-accumulate}}
  %r5 = linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<8x30xf32>, tensor<30x64xf32>) outs(%c : tensor<8x64xf32>) {
  ^bb0(%x: f32, %w: f32, %acc: f32):
    %p = arith.addf %x, %w : f32
    %s = arith.maximumf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<8x64xf32>
  // expected-remark @below {{pixelfly-dense-products: left 'linalg.matmul' alone: its operands are not both f16, bf16 or f32}}
  %r6 = linalg.matmul ins(%ai, %bi : tensor<8x32xi32>, tensor<32x64xi32>) outs(%ci : tensor<8x64xi32>) -> tensor<8x64xi32>
  // expected-remark @below {{pixelfly-dense-products: left 'linalg.matmul' alone: its result is neither f32 nor the operands' type}}
  %r7 = linalg.matmul ins(%a32, %b32 : tensor<8x32xf32>, tensor<32x64xf32>) outs(%cb : tensor<8x64xf16>) -> tensor<8x64xf16>
  %splat = arith.constant dense<2.0> : tensor<32x64xf32>
  // expected-remark @below {{pixelfly-dense-products: left 'linalg.matmul' alone: an operand is a splat constant}}
  %r8 = linalg.matmul ins(%a32, %splat : tensor<8x32xf32>, tensor<32x64xf32>) outs(%c : tensor<8x64xf32>) -> tensor<8x64xf32>
  // expected-remark @below {{pixelfly-dense-products: left 'linalg.matmul' alone: a layout of 4112 x 4096 would list more than 65536 blocks}}
  %r9 = linalg.matmul ins(%ab, %wb : tensor<8x4112xf32>, tensor<4112x4096xf32>) outs(%cbig : tensor<8x4096xf32>) -> tensor<8x4096xf32>
  // expected-remark @below {{pixelfly-dense-products: left 'linalg.matmul' alone: it has 8 rows to share the layout (fewer than 64, memory-bound: re-blocking would cost more than it saves)}}
  %r10 = linalg.matmul ins(%a32, %b32 : tensor<8x32xf32>, tensor<32x64xf32>) outs(%c : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %r1, %r2, %r3, %r4, %r5, %r6, %r7, %r8, %r9, %r10 : tensor<8x64xf32>, tensor<8x64xf32>, tensor<2x8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xi32>, tensor<8x64xf16>, tensor<8x64xf32>, tensor<8x4096xf32>, tensor<8x64xf32>
}

// A batch of products (an attention's scores Q K^T, K^T made by a
// transpose; its context P V) is one product on a block-diagonal layout:
// weight t's block rows read weight t's block columns.
// CHECK-LABEL: func.func @attention(
// CHECK-NOT:     linalg.batch_matmul
// CHECK:         pixelfly.block_sparse_matmul {{.+}} : tensor<?x256xbf16>, tensor<8x64x64xbf16>) outs(%{{.+}} : tensor<?x512xf32>)
// CHECK:         pixelfly.block_sparse_input_grad {{.+}} : tensor<?x512xbf16>, tensor<8x64x64xbf16>) outs(%{{.+}} : tensor<?x256xf32>)
// CHECK-NOT:     linalg.transpose {{.+}} permutation = [0, 2, 1]
// CHECK:         return
func.func @attention(%q: tensor<4x?x64xbf16>, %k: tensor<4x128x64xbf16>, %p: tensor<4x?x128xbf16>, %v: tensor<4x128x64xbf16>,
                     %s0: tensor<4x?x128xf32>, %o0: tensor<4x?x64xf32>) -> (tensor<4x?x128xf32>, tensor<4x?x64xf32>) {
  %e = tensor.empty() : tensor<4x64x128xbf16>
  %kt = linalg.transpose ins(%k : tensor<4x128x64xbf16>) outs(%e : tensor<4x64x128xbf16>) permutation = [0, 2, 1]
  %s = linalg.batch_matmul ins(%q, %kt : tensor<4x?x64xbf16>, tensor<4x64x128xbf16>) outs(%s0 : tensor<4x?x128xf32>) -> tensor<4x?x128xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<4x?x128xbf16>, tensor<4x128x64xbf16>) outs(%o0 : tensor<4x?x64xf32>) -> tensor<4x?x64xf32>
  return %s, %o : tensor<4x?x128xf32>, tensor<4x?x64xf32>
}

// Batches it leaves alone, each with its remark.
// CHECK-LABEL: func.func @refused_batches(
// CHECK-COUNT-3: linalg.generic
// CHECK-COUNT-3: linalg.batch_matmul
#bmk = affine_map<(t, u, m, n, k) -> (t, u, m, k)>
#bkn = affine_map<(t, u, m, n, k) -> (t, u, k, n)>
#bmn = affine_map<(t, u, m, n, k) -> (t, u, m, n)>
#imk = affine_map<(m, t, n, k) -> (m, t, k)>
#ikn = affine_map<(m, t, n, k) -> (t, k, n)>
#imn = affine_map<(m, t, n, k) -> (t, m, n)>
#big = affine_map<(t, m, n, k) -> (t, m, k)>
#bign = affine_map<(t, m, n, k) -> (t, k, n)>
#bigo = affine_map<(t, m, n, k) -> (t, m, n)>
func.func @refused_batches(%a4: tensor<2x2x64x32xf32>, %b4: tensor<2x2x32x64xf32>, %c4: tensor<2x2x64x64xf32>,
                           %am: tensor<64x2x32xf32>, %b3: tensor<2x32x64xf32>, %c3: tensor<2x64x64xf32>,
                           %ab: tensor<65536x64x16xf32>, %bb: tensor<65536x16x32xf32>, %cb: tensor<65536x64x32xf32>,
                           %ad: tensor<?x64x32xf32>, %bd: tensor<?x32x64xf32>, %cd: tensor<?x64x64xf32>,
                           %a0: tensor<0x64x32xf32>, %b0: tensor<0x32x64xf32>, %c0: tensor<0x64x64xf32>,
                           %ak0: tensor<2x64x0xf32>, %bk0: tensor<2x0x64xf32>)
    -> (tensor<2x2x64x64xf32>, tensor<2x64x64xf32>, tensor<65536x64x32xf32>, tensor<?x64x64xf32>, tensor<0x64x64xf32>, tensor<2x64x64xf32>) {
  // expected-remark @below {{pixelfly-dense-products: left 'linalg.generic' alone: it has more than one batch dimension}}
  %r1 = linalg.generic {indexing_maps = [#bmk, #bkn, #bmn], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%a4, %b4 : tensor<2x2x64x32xf32>, tensor<2x2x32x64xf32>) outs(%c4 : tensor<2x2x64x64xf32>) {
  ^bb0(%x: f32, %w: f32, %acc: f32):
    %p = arith.mulf %x, %w : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<2x2x64x64xf32>
  // expected-remark @below {{pixelfly-dense-products: left 'linalg.generic' alone: its batch dimension is not the outermost of every operand}}
  %r2 = linalg.generic {indexing_maps = [#imk, #ikn, #imn], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%am, %b3 : tensor<64x2x32xf32>, tensor<2x32x64xf32>) outs(%c3 : tensor<2x64x64xf32>) {
  ^bb0(%x: f32, %w: f32, %acc: f32):
    %p = arith.mulf %x, %w : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<2x64x64xf32>
  // expected-remark @below {{pixelfly-dense-products: left 'linalg.generic' alone: a layout of 65536 x 16 x 32 would list more than 65536 blocks}}
  %r3 = linalg.generic {indexing_maps = [#big, #bign, #bigo], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%ab, %bb : tensor<65536x64x16xf32>, tensor<65536x16x32xf32>) outs(%cb : tensor<65536x64x32xf32>) {
  ^bb0(%x: f32, %w: f32, %acc: f32):
    %p = arith.mulf %x, %w : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<65536x64x32xf32>
  // expected-remark @below {{pixelfly-dense-products: left 'linalg.batch_matmul' alone: the dimensions a layout would cover are not static}}
  %r4 = linalg.batch_matmul ins(%ad, %bd : tensor<?x64x32xf32>, tensor<?x32x64xf32>) outs(%cd : tensor<?x64x64xf32>) -> tensor<?x64x64xf32>
  // expected-remark @below {{pixelfly-dense-products: left 'linalg.batch_matmul' alone: a dimension the layout would cover is 0 (nothing to compute)}}
  %r5 = linalg.batch_matmul ins(%a0, %b0 : tensor<0x64x32xf32>, tensor<0x32x64xf32>) outs(%c0 : tensor<0x64x64xf32>) -> tensor<0x64x64xf32>
  // expected-remark @below {{pixelfly-dense-products: left 'linalg.batch_matmul' alone: a dimension the layout would cover is 0 (nothing to compute)}}
  %r6 = linalg.batch_matmul ins(%ak0, %bk0 : tensor<2x64x0xf32>, tensor<2x0x64xf32>) outs(%c3 : tensor<2x64x64xf32>) -> tensor<2x64x64xf32>
  return %r1, %r2, %r3, %r4, %r5, %r6 : tensor<2x2x64x64xf32>, tensor<2x64x64xf32>, tensor<65536x64x32xf32>, tensor<?x64x64xf32>, tensor<0x64x64xf32>, tensor<2x64x64xf32>
}

// A weight broadcast over the batch (torch-mlir's matmul of 3-d
// activations) makes one 2-D product over the batch's rows, the weight
// re-blocked once; where that product is refused, nothing it built stays.
// CHECK-LABEL: func.func @broadcast_weight(
// CHECK:         %[[A:.+]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2]] : tensor<4x?x64xbf16> into tensor<?x64xbf16>
// CHECK:         pixelfly.block_sparse_matmul ins(%[[A]], %{{.+}} : tensor<?x64xbf16>, tensor<4x64x64xbf16>) outs(%{{.+}} : tensor<?x256xf32>)
// CHECK:         tensor.expand_shape %{{.+}} {{\[\[}}0, 1], [2]] {{.+}} : tensor<?x256xf32> into tensor<4x?x256xf32>
// CHECK-NOT:     linalg.broadcast
// CHECK-LABEL: func.func @broadcast_weight_refused(
// CHECK-NEXT:    tensor.empty
// CHECK-NEXT:    linalg.broadcast
// CHECK-NEXT:    linalg.batch_matmul
// CHECK-NEXT:    return
func.func @broadcast_weight(%x: tensor<4x?x64xbf16>, %w: tensor<256x64xbf16>, %y0: tensor<4x?x256xf32>) -> tensor<4x?x256xf32> {
  %e = tensor.empty() : tensor<64x256xbf16>
  %wt = linalg.transpose ins(%w : tensor<256x64xbf16>) outs(%e : tensor<64x256xbf16>) permutation = [1, 0]
  %eb = tensor.empty() : tensor<4x64x256xbf16>
  %wb = linalg.broadcast ins(%wt : tensor<64x256xbf16>) outs(%eb : tensor<4x64x256xbf16>) dimensions = [0]
  %y = linalg.batch_matmul ins(%x, %wb : tensor<4x?x64xbf16>, tensor<4x64x256xbf16>) outs(%y0 : tensor<4x?x256xf32>) -> tensor<4x?x256xf32>
  return %y : tensor<4x?x256xf32>
}
func.func @broadcast_weight_refused(%x: tensor<4x?x30xf32>, %w: tensor<30x64xf32>, %y0: tensor<4x?x64xf32>) -> tensor<4x?x64xf32> {
  %eb = tensor.empty() : tensor<4x30x64xf32>
  %wb = linalg.broadcast ins(%w : tensor<30x64xf32>) outs(%eb : tensor<4x30x64xf32>) dimensions = [0]
  // expected-remark @below {{pixelfly-dense-products: left 'linalg.batch_matmul' alone: the dimensions a layout would cover (30 x 64) are not multiples of 16}}
  %y = linalg.batch_matmul ins(%x, %wb : tensor<4x?x30xf32>, tensor<4x30x64xf32>) outs(%y0 : tensor<4x?x64xf32>) -> tensor<4x?x64xf32>
  return %y : tensor<4x?x64xf32>
}

// Folding a batch of 2^62 into 5 rows would wrap: no fold, and the
// block-diagonal layout is refused.
func.func @broadcast_weight_wraps(%x: tensor<4611686018427387904x5x64xf32>, %w: tensor<64x64xf32>, %y0: tensor<4611686018427387904x5x64xf32>) -> tensor<4611686018427387904x5x64xf32> {
  %eb = tensor.empty() : tensor<4611686018427387904x64x64xf32>
  %wb = linalg.broadcast ins(%w : tensor<64x64xf32>) outs(%eb : tensor<4611686018427387904x64x64xf32>) dimensions = [0]
  // expected-remark @below {{pixelfly-dense-products: left 'linalg.batch_matmul' alone: a layout of 4611686018427387904 x 64 x 64 would list more than 65536 blocks}}
  %y = linalg.batch_matmul ins(%x, %wb : tensor<4611686018427387904x5x64xf32>, tensor<4611686018427387904x64x64xf32>) outs(%y0 : tensor<4611686018427387904x5x64xf32>) -> tensor<4611686018427387904x5x64xf32>
  return %y : tensor<4611686018427387904x5x64xf32>
}

// A dynamic batch of dynamic rows is not folded (upstream's
// expand-strided-metadata crashes on the expand_shape back), and a dynamic
// batch has no block-diagonal layout.
// CHECK-LABEL: func.func @broadcast_weight_dynamic(
// CHECK-NOT:     tensor.collapse_shape
// CHECK:         linalg.batch_matmul
func.func @broadcast_weight_dynamic(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>, %y0: tensor<?x?x64xf32>) -> tensor<?x?x64xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x?x64xf32>
  %eb = tensor.empty(%n) : tensor<?x64x64xf32>
  %wb = linalg.broadcast ins(%w : tensor<64x64xf32>) outs(%eb : tensor<?x64x64xf32>) dimensions = [0]
  // expected-remark @below {{pixelfly-dense-products: left 'linalg.batch_matmul' alone: the dimensions a layout would cover are not static}}
  %y = linalg.batch_matmul ins(%x, %wb : tensor<?x?x64xf32>, tensor<?x64x64xf32>) outs(%y0 : tensor<?x?x64xf32>) -> tensor<?x?x64xf32>
  return %y : tensor<?x?x64xf32>
}
