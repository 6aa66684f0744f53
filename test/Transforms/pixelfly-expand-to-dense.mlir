// RUN: pixelfly-opt %s --pixelfly-expand-to-dense -split-input-file \
// RUN:   --mlir-print-local-scope \
// RUN: | FileCheck %s --implicit-check-not=pixelfly.block_sparse \
// RUN:   --implicit-check-not=pixelfly.low_rank_matmul \
// RUN:   --implicit-check-not=pixelfly.linear \
// RUN:   --implicit-check-not=pixelfly.two_four_matmul

// The memref form is left alone, with a remark saying why.
// RUN: pixelfly-opt %s --pixelfly-expand-to-dense -split-input-file \
// RUN:   -verify-diagnostics -o /dev/null

// The result is ordinary IR that upstream canonicalization accepts.
// RUN: pixelfly-opt %s --pixelfly-expand-to-dense -split-input-file \
// RUN:   --canonicalize --mlir-print-local-scope \
// RUN: | FileCheck %s --check-prefix=CANON

// Forward block-sparse product, f16 inputs into an f32 init: the weight is
// densified (N x K) and multiplied transposed, straight into init.

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32,
                            row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @block_sparse_matmul_f16_f32
//  CHECK-SAME:   (%[[X:.+]]: tensor<8x128xf16>, %[[B:.+]]: tensor<3x32x32xf16>, %[[INIT:.+]]: tensor<8x64xf32>)
//       CHECK:   %[[E:.+]] = tensor.empty() : tensor<64x128xf16>
//       CHECK:   %[[W:.+]] = pixelfly.densify ins(%[[B]] : tensor<3x32x32xf16>)
//  CHECK-SAME:     outs(%[[E]] : tensor<64x128xf16>) layout({{.+}}) -> tensor<64x128xf16>
//       CHECK:   %[[Y:.+]] = linalg.matmul indexing_maps =
//  CHECK-SAME:     [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>]
//  CHECK-SAME:     ins(%[[X]], %[[W]] : tensor<8x128xf16>, tensor<64x128xf16>)
//  CHECK-SAME:     outs(%[[INIT]] : tensor<8x64xf32>) -> tensor<8x64xf32>
//       CHECK:   return %[[Y]]

// CANON-LABEL: func.func @block_sparse_matmul_f16_f32
//       CANON:   pixelfly.densify
//       CANON:   linalg.matmul
//   CANON-NOT:   pixelfly.block_sparse_matmul
func.func @block_sparse_matmul_f16_f32(%x: tensor<8x128xf16>,
    %blocks: tensor<3x32x32xf16>, %init: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %y = pixelfly.block_sparse_matmul
         ins(%x, %blocks : tensor<8x128xf16>, tensor<3x32x32xf16>)
         outs(%init : tensor<8x64xf32>) layout(#l) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

// -----

// Dynamic M and a bf16 destination: the product goes to a zero-filled f32
// temporary sized with tensor.dim, and an epilogue adds it to init in f32.

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32,
                            row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @block_sparse_matmul_bf16_dynamic
//  CHECK-SAME:   (%[[X:.+]]: tensor<?x128xbf16>, %[[B:.+]]: tensor<3x32x32xbf16>, %[[INIT:.+]]: tensor<?x64xbf16>)
//       CHECK:   %[[W:.+]] = pixelfly.densify ins(%[[B]] : tensor<3x32x32xbf16>) outs({{.+}} : tensor<64x128xbf16>)
//       CHECK:   %[[C0:.+]] = arith.constant 0 : index
//       CHECK:   %[[M:.+]] = tensor.dim %[[INIT]], %[[C0]] : tensor<?x64xbf16>
//       CHECK:   %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
//       CHECK:   %[[E:.+]] = tensor.empty(%[[M]]) : tensor<?x64xf32>
//       CHECK:   %[[ACC:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E]] : tensor<?x64xf32>)
//       CHECK:   %[[P:.+]] = linalg.matmul indexing_maps =
//  CHECK-SAME:     [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>]
//  CHECK-SAME:     ins(%[[X]], %[[W]] : tensor<?x128xbf16>, tensor<64x128xbf16>)
//  CHECK-SAME:     outs(%[[ACC]] : tensor<?x64xf32>) -> tensor<?x64xf32>
//       CHECK:   %[[Y:.+]] = linalg.generic
//  CHECK-SAME:     indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>]
//  CHECK-SAME:     iterator_types = ["parallel", "parallel"]
//  CHECK-SAME:     ins(%[[P]] : tensor<?x64xf32>) outs(%[[INIT]] : tensor<?x64xbf16>)
//       CHECK:   ^bb0(%[[IN:.+]]: f32, %[[OUT:.+]]: bf16):
//       CHECK:     %[[EXT:.+]] = arith.extf %[[OUT]] : bf16 to f32
//       CHECK:     %[[SUM:.+]] = arith.addf %[[EXT]], %[[IN]] : f32
//       CHECK:     %[[T:.+]] = arith.truncf %[[SUM]] : f32 to bf16
//       CHECK:     linalg.yield %[[T]] : bf16
//       CHECK:   } -> tensor<?x64xbf16>
//       CHECK:   return %[[Y]]

// CANON-LABEL: func.func @block_sparse_matmul_bf16_dynamic
//       CANON:   linalg.matmul
//       CANON:   linalg.generic
func.func @block_sparse_matmul_bf16_dynamic(%x: tensor<?x128xbf16>,
    %blocks: tensor<3x32x32xbf16>, %init: tensor<?x64xbf16>)
    -> tensor<?x64xbf16> {
  %y = pixelfly.block_sparse_matmul
         ins(%x, %blocks : tensor<?x128xbf16>, tensor<3x32x32xbf16>)
         outs(%init : tensor<?x64xbf16>) layout(#l) -> tensor<?x64xbf16>
  return %y : tensor<?x64xbf16>
}

// -----

// Input gradient dX = init + dY * W: the densified weight is not transposed
// (default matmul maps, which are not printed).

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32,
                            row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @block_sparse_input_grad_bf16_f32
//  CHECK-SAME:   (%[[DY:.+]]: tensor<?x64xbf16>, %[[B:.+]]: tensor<3x32x32xbf16>, %[[INIT:.+]]: tensor<?x128xf32>)
//       CHECK:   %[[W:.+]] = pixelfly.densify ins(%[[B]] : tensor<3x32x32xbf16>) outs({{.+}} : tensor<64x128xbf16>)
//       CHECK:   %[[Y:.+]] = linalg.matmul ins(%[[DY]], %[[W]] : tensor<?x64xbf16>, tensor<64x128xbf16>)
//  CHECK-SAME:     outs(%[[INIT]] : tensor<?x128xf32>) -> tensor<?x128xf32>
//       CHECK:   return %[[Y]]
func.func @block_sparse_input_grad_bf16_f32(%dy: tensor<?x64xbf16>,
    %blocks: tensor<3x32x32xbf16>, %init: tensor<?x128xf32>)
    -> tensor<?x128xf32> {
  %dx = pixelfly.block_sparse_input_grad
          ins(%dy, %blocks : tensor<?x64xbf16>, tensor<3x32x32xbf16>)
          outs(%init : tensor<?x128xf32>) layout(#l) -> tensor<?x128xf32>
  return %dx : tensor<?x128xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32,
                            row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @block_sparse_input_grad_f16_f16
//  CHECK-SAME:   (%[[DY:.+]]: tensor<16x64xf16>, %[[B:.+]]: tensor<3x32x32xf16>, %[[INIT:.+]]: tensor<16x128xf16>)
//       CHECK:   %[[W:.+]] = pixelfly.densify
//       CHECK:   %[[E:.+]] = tensor.empty() : tensor<16x128xf32>
//       CHECK:   %[[ACC:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[E]] : tensor<16x128xf32>)
//       CHECK:   %[[P:.+]] = linalg.matmul ins(%[[DY]], %[[W]] : tensor<16x64xf16>, tensor<64x128xf16>)
//  CHECK-SAME:     outs(%[[ACC]] : tensor<16x128xf32>)
//       CHECK:   %[[Y:.+]] = linalg.generic
//  CHECK-SAME:     ins(%[[P]] : tensor<16x128xf32>) outs(%[[INIT]] : tensor<16x128xf16>)
//       CHECK:     arith.extf {{.+}} : f16 to f32
//       CHECK:     arith.addf
//       CHECK:     arith.truncf {{.+}} : f32 to f16
//       CHECK:   return %[[Y]]
func.func @block_sparse_input_grad_f16_f16(%dy: tensor<16x64xf16>,
    %blocks: tensor<3x32x32xf16>, %init: tensor<16x128xf16>)
    -> tensor<16x128xf16> {
  %dx = pixelfly.block_sparse_input_grad
          ins(%dy, %blocks : tensor<16x64xf16>, tensor<3x32x32xf16>)
          outs(%init : tensor<16x128xf16>) layout(#l) -> tensor<16x128xf16>
  return %dx : tensor<16x128xf16>
}

// -----

// Weight gradient: the full dY^T * X in f32 (transposed first operand), then
// the layout's blocks in CSR order -- (0, 0), (0, 2), (1, 3) -- gathered
// into nnz x bm x bk and added to init.

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32,
                            row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @block_sparse_weight_grad_bf16_f32
//  CHECK-SAME:   (%[[DY:.+]]: tensor<?x64xbf16>, %[[X:.+]]: tensor<?x128xbf16>, %[[INIT:.+]]: tensor<3x32x32xf32>)
//       CHECK:   %[[E:.+]] = tensor.empty() : tensor<64x128xf32>
//       CHECK:   %[[Z:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[E]] : tensor<64x128xf32>)
//       CHECK:   %[[FULL:.+]] = linalg.matmul indexing_maps =
//  CHECK-SAME:     [affine_map<(d0, d1, d2) -> (d2, d0)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>]
//  CHECK-SAME:     ins(%[[DY]], %[[X]] : tensor<?x64xbf16>, tensor<?x128xbf16>)
//  CHECK-SAME:     outs(%[[Z]] : tensor<64x128xf32>) -> tensor<64x128xf32>
// The stored blocks of the full gradient, gathered by a loop over the
// blocks (block rows [0, 0, 1], block columns [0, 2, 3]).
//       CHECK:   %[[G0:.+]] = tensor.empty() : tensor<3x32x32xf32>
//   CHECK-DAG:   %[[ROWS:.+]] = arith.constant dense<[0, 0, 1]> : tensor<3xindex>
//   CHECK-DAG:   %[[COLS:.+]] = arith.constant dense<[0, 2, 3]> : tensor<3xindex>
//       CHECK:   %[[G3:.+]] = scf.for %[[P:.+]] = {{.+}} iter_args(%[[ACC:.+]] = %[[G0]]) -> (tensor<3x32x32xf32>)
//       CHECK:     tensor.extract %[[ROWS]][%[[P]]]
//       CHECK:     tensor.extract %[[COLS]][%[[P]]]
//       CHECK:     %[[S:.+]] = tensor.extract_slice %[[FULL]][%{{.+}}, %{{.+}}] [32, 32] [1, 1]
//       CHECK:     tensor.insert_slice %[[S]] into %[[ACC]][%[[P]], 0, 0] [1, 32, 32] [1, 1, 1]
//       CHECK:   %[[Y:.+]] = linalg.generic
//  CHECK-SAME:     iterator_types = ["parallel", "parallel", "parallel"]
//  CHECK-SAME:     ins(%[[G3]] : tensor<3x32x32xf32>) outs(%[[INIT]] : tensor<3x32x32xf32>)
//       CHECK:   ^bb0(%[[IN:.+]]: f32, %[[OUT:.+]]: f32):
//       CHECK:     %[[SUM:.+]] = arith.addf %[[OUT]], %[[IN]] : f32
//       CHECK:     linalg.yield %[[SUM]] : f32
//       CHECK:   return %[[Y]]
func.func @block_sparse_weight_grad_bf16_f32(%dy: tensor<?x64xbf16>,
    %x: tensor<?x128xbf16>, %init: tensor<3x32x32xf32>)
    -> tensor<3x32x32xf32> {
  %dw = pixelfly.block_sparse_weight_grad
          ins(%dy, %x : tensor<?x64xbf16>, tensor<?x128xbf16>)
          outs(%init : tensor<3x32x32xf32>) layout(#l) -> tensor<3x32x32xf32>
  return %dw : tensor<3x32x32xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x64, block = 32x16,
                            row_ptr = [0, 1, 2], col_idx = [3, 1]>

// CHECK-LABEL: func.func @block_sparse_weight_grad_f16_f16
//       CHECK:   %[[FULL:.+]] = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d2, d0)>
//  CHECK-SAME:     outs(%{{.+}} : tensor<64x64xf32>)
//       CHECK:   arith.constant dense<[0, 1]> : tensor<2xindex>
//       CHECK:   arith.constant dense<[3, 1]> : tensor<2xindex>
//       CHECK:   scf.for
//       CHECK:     tensor.extract_slice %[[FULL]][%{{.+}}, %{{.+}}] [32, 16] [1, 1]
//       CHECK:     tensor.insert_slice {{.+}}[%{{.+}}, 0, 0] [1, 32, 16] [1, 1, 1]
//       CHECK:   linalg.generic
//  CHECK-SAME:     outs(%{{.+}} : tensor<2x32x16xf16>)
//       CHECK:     arith.extf {{.+}} : f16 to f32
//       CHECK:     arith.addf
//       CHECK:     arith.truncf {{.+}} : f32 to f16
func.func @block_sparse_weight_grad_f16_f16(%dy: tensor<8x64xf16>,
    %x: tensor<8x64xf16>, %init: tensor<2x32x16xf16>) -> tensor<2x32x16xf16> {
  %dw = pixelfly.block_sparse_weight_grad
          ins(%dy, %x : tensor<8x64xf16>, tensor<8x64xf16>)
          outs(%init : tensor<2x32x16xf16>) layout(#l) -> tensor<2x32x16xf16>
  return %dw : tensor<2x32x16xf16>
}

// -----

// A layout without blocks: nothing is gathered, init is returned as is.

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32,
                            row_ptr = [0, 0, 0], col_idx = []>

// CHECK-LABEL: func.func @block_sparse_weight_grad_empty
//       CHECK:   %[[G:.+]] = tensor.empty() : tensor<0x32x32xf32>
//   CHECK-NOT:   tensor.extract_slice
//       CHECK:   linalg.generic {{.+}} ins(%[[G]] : tensor<0x32x32xf32>)
func.func @block_sparse_weight_grad_empty(%dy: tensor<8x64xf32>,
    %x: tensor<8x128xf32>, %init: tensor<0x32x32xf32>)
    -> tensor<0x32x32xf32> {
  %dw = pixelfly.block_sparse_weight_grad
          ins(%dy, %x : tensor<8x64xf32>, tensor<8x128xf32>)
          outs(%init : tensor<0x32x32xf32>) layout(#l) -> tensor<0x32x32xf32>
  return %dw : tensor<0x32x32xf32>
}

// -----

// Low rank: T = X * V into a zero-filled f32 M x r, then T * U^T into init.

// CHECK-LABEL: func.func @low_rank_matmul_f16_f32
//  CHECK-SAME:   (%[[X:.+]]: tensor<?x128xf16>, %[[U:.+]]: tensor<64x16xf16>, %[[V:.+]]: tensor<128x16xf16>, %[[INIT:.+]]: tensor<?x64xf32>)
//       CHECK:   %[[M:.+]] = tensor.dim %[[INIT]], %{{.+}} : tensor<?x64xf32>
//       CHECK:   %[[E:.+]] = tensor.empty(%[[M]]) : tensor<?x16xf32>
//       CHECK:   %[[Z:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[E]] : tensor<?x16xf32>)
//       CHECK:   %[[T:.+]] = linalg.matmul ins(%[[X]], %[[V]] : tensor<?x128xf16>, tensor<128x16xf16>)
//  CHECK-SAME:     outs(%[[Z]] : tensor<?x16xf32>)
//       CHECK:   %[[Y:.+]] = linalg.matmul indexing_maps =
//  CHECK-SAME:     [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>]
//  CHECK-SAME:     ins(%[[T]], %[[U]] : tensor<?x16xf32>, tensor<64x16xf16>)
//  CHECK-SAME:     outs(%[[INIT]] : tensor<?x64xf32>) -> tensor<?x64xf32>
//       CHECK:   return %[[Y]]
func.func @low_rank_matmul_f16_f32(%x: tensor<?x128xf16>, %u: tensor<64x16xf16>,
    %v: tensor<128x16xf16>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %y = pixelfly.low_rank_matmul
         ins(%x, %u, %v : tensor<?x128xf16>, tensor<64x16xf16>,
                          tensor<128x16xf16>)
         outs(%init : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// -----

// Same-type destination: the second product also goes through f32.

// CHECK-LABEL: func.func @low_rank_matmul_bf16_bf16
//  CHECK-SAME:   (%[[X:.+]]: tensor<8x128xbf16>, %[[U:.+]]: tensor<64x16xbf16>, %[[V:.+]]: tensor<128x16xbf16>, %[[INIT:.+]]: tensor<8x64xbf16>)
//       CHECK:   %[[T:.+]] = linalg.matmul ins(%[[X]], %[[V]] : tensor<8x128xbf16>, tensor<128x16xbf16>)
//  CHECK-SAME:     outs(%{{.+}} : tensor<8x16xf32>)
//       CHECK:   %[[E:.+]] = tensor.empty() : tensor<8x64xf32>
//       CHECK:   %[[Z:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[E]] : tensor<8x64xf32>)
//       CHECK:   %[[P:.+]] = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>
//  CHECK-SAME:     ins(%[[T]], %[[U]] : tensor<8x16xf32>, tensor<64x16xbf16>)
//  CHECK-SAME:     outs(%[[Z]] : tensor<8x64xf32>)
//       CHECK:   %[[Y:.+]] = linalg.generic
//  CHECK-SAME:     ins(%[[P]] : tensor<8x64xf32>) outs(%[[INIT]] : tensor<8x64xbf16>)
//       CHECK:     arith.truncf {{.+}} : f32 to bf16
//       CHECK:   return %[[Y]]
func.func @low_rank_matmul_bf16_bf16(%x: tensor<8x128xbf16>,
    %u: tensor<64x16xbf16>, %v: tensor<128x16xbf16>, %init: tensor<8x64xbf16>)
    -> tensor<8x64xbf16> {
  %y = pixelfly.low_rank_matmul
         ins(%x, %u, %v : tensor<8x128xbf16>, tensor<64x16xbf16>,
                          tensor<128x16xbf16>)
         outs(%init : tensor<8x64xbf16>) -> tensor<8x64xbf16>
  return %y : tensor<8x64xbf16>
}

// -----

// A dynamic rank is read from U.

// CHECK-LABEL: func.func @low_rank_matmul_dynamic_rank
//  CHECK-SAME:   (%[[X:.+]]: tensor<?x128xf32>, %[[U:.+]]: tensor<64x?xf32>, %[[V:.+]]: tensor<128x?xf32>, %[[INIT:.+]]: tensor<?x64xf32>)
//   CHECK-DAG:   %[[M:.+]] = tensor.dim %[[INIT]], %{{.+}} : tensor<?x64xf32>
//   CHECK-DAG:   %[[R:.+]] = tensor.dim %[[U]], %{{.+}} : tensor<64x?xf32>
//       CHECK:   tensor.empty(%[[M]], %[[R]]) : tensor<?x?xf32>
//       CHECK:   linalg.matmul ins(%[[X]], %[[V]]
//       CHECK:   linalg.matmul indexing_maps
//  CHECK-SAME:     outs(%[[INIT]] : tensor<?x64xf32>)
func.func @low_rank_matmul_dynamic_rank(%x: tensor<?x128xf32>,
    %u: tensor<64x?xf32>, %v: tensor<128x?xf32>, %init: tensor<?x64xf32>)
    -> tensor<?x64xf32> {
  %y = pixelfly.low_rank_matmul
         ins(%x, %u, %v : tensor<?x128xf32>, tensor<64x?xf32>, tensor<128x?xf32>)
         outs(%init : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// -----

// Pixelfly linear layer, constant gamma: both terms in f32, then the
// epilogue init + 0.25 * S + 0.75 * L.

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32,
                            row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @linear_constant_gamma
//  CHECK-SAME:   (%[[X:.+]]: tensor<8x128xf32>, %[[B:.+]]: tensor<3x32x32xf32>, %[[U:.+]]: tensor<64x16xf32>, %[[V:.+]]: tensor<128x16xf32>, %[[INIT:.+]]: tensor<8x64xf32>)
//       CHECK:   %[[W:.+]] = pixelfly.densify ins(%[[B]]
//       CHECK:   %[[S:.+]] = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>]
//  CHECK-SAME:     ins(%[[X]], %[[W]] : tensor<8x128xf32>, tensor<64x128xf32>)
//  CHECK-SAME:     outs(%{{.+}} : tensor<8x64xf32>)
//       CHECK:   %[[T:.+]] = linalg.matmul ins(%[[X]], %[[V]] : tensor<8x128xf32>, tensor<128x16xf32>)
//  CHECK-SAME:     outs(%{{.+}} : tensor<8x16xf32>)
//       CHECK:   %[[L:.+]] = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>]
//  CHECK-SAME:     ins(%[[T]], %[[U]] : tensor<8x16xf32>, tensor<64x16xf32>)
//  CHECK-SAME:     outs(%{{.+}} : tensor<8x64xf32>)
//   CHECK-DAG:   %[[G:.+]] = arith.constant 2.500000e-01 : f32
//   CHECK-DAG:   %[[OMG:.+]] = arith.constant 7.500000e-01 : f32
//       CHECK:   %[[Y:.+]] = linalg.generic
//  CHECK-SAME:     indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>]
//  CHECK-SAME:     ins(%[[S]], %[[L]] : tensor<8x64xf32>, tensor<8x64xf32>)
//  CHECK-SAME:     outs(%[[INIT]] : tensor<8x64xf32>)
//       CHECK:   ^bb0(%[[SIN:.+]]: f32, %[[LIN:.+]]: f32, %[[OUT:.+]]: f32):
//       CHECK:     %[[GS:.+]] = arith.mulf %[[G]], %[[SIN]] : f32
//       CHECK:     %[[GL:.+]] = arith.mulf %[[OMG]], %[[LIN]] : f32
//       CHECK:     %[[A0:.+]] = arith.addf %[[OUT]], %[[GS]] : f32
//       CHECK:     %[[A1:.+]] = arith.addf %[[A0]], %[[GL]] : f32
//       CHECK:     linalg.yield %[[A1]] : f32
//       CHECK:   return %[[Y]]

// Canonicalization keeps the epilogue (gamma is neither 0 nor 1).
// CANON-LABEL: func.func @linear_constant_gamma
//       CANON:   linalg.generic
//       CANON:     arith.mulf
//       CANON:     arith.mulf
func.func @linear_constant_gamma(%x: tensor<8x128xf32>,
    %blocks: tensor<3x32x32xf32>, %u: tensor<64x16xf32>, %v: tensor<128x16xf32>,
    %init: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %y = pixelfly.linear
         ins(%x, %blocks, %u, %v : tensor<8x128xf32>, tensor<3x32x32xf32>,
                                  tensor<64x16xf32>, tensor<128x16xf32>)
         gamma(0.25) outs(%init : tensor<8x64xf32>) layout(#l)
         -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

// -----

// Given the caller's X V, the low-rank term reads it (bf16, as a training
// step rounds it) in place of X V.

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32,
                            row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @linear_xv
//  CHECK-SAME:   (%[[X:.+]]: tensor<8x128xbf16>, %[[B:.+]]: tensor<3x32x32xbf16>, %[[U:.+]]: tensor<64x16xbf16>, %[[V:.+]]: tensor<128x16xbf16>, %[[XV:.+]]: tensor<8x16xbf16>, %[[INIT:.+]]: tensor<8x64xf32>)
//       CHECK:   %[[S:.+]] = linalg.matmul {{.+}} ins(%[[X]], %{{.+}} : tensor<8x128xbf16>, tensor<64x128xbf16>)
//   CHECK-NOT:   ins(%[[X]], %[[V]]
//       CHECK:   %[[L:.+]] = linalg.matmul {{.+}} ins(%[[XV]], %[[U]] : tensor<8x16xbf16>, tensor<64x16xbf16>)
//       CHECK:   linalg.generic {{.+}} ins(%[[S]], %[[L]] :
func.func @linear_xv(%x: tensor<8x128xbf16>, %blocks: tensor<3x32x32xbf16>,
    %u: tensor<64x16xbf16>, %v: tensor<128x16xbf16>, %xv: tensor<8x16xbf16>,
    %init: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %y = pixelfly.linear
         ins(%x, %blocks, %u, %v : tensor<8x128xbf16>, tensor<3x32x32xbf16>,
                                  tensor<64x16xbf16>, tensor<128x16xbf16>)
         xv(%xv : tensor<8x16xbf16>)
         gamma(0.25) outs(%init : tensor<8x64xf32>) layout(#l)
         -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

// -----

// Scalar gamma operand (learned), f16: a scalar input with an empty map,
// converted to f32 in the body; bf16 destination.

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32,
                            row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @linear_scalar_gamma
//  CHECK-SAME:   %[[GAMMA:[^:]+]]: f16, %[[INIT:.+]]: tensor<8x64xbf16>)
//       CHECK:   %[[S:.+]] = linalg.matmul indexing_maps
//  CHECK-SAME:     outs(%{{.+}} : tensor<8x64xf32>)
//       CHECK:   %[[T:.+]] = linalg.matmul ins
//  CHECK-SAME:     outs(%{{.+}} : tensor<8x16xf32>)
//       CHECK:   %[[L:.+]] = linalg.matmul indexing_maps
//  CHECK-SAME:     outs(%{{.+}} : tensor<8x64xf32>)
//       CHECK:   %[[Y:.+]] = linalg.generic
//  CHECK-SAME:     indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> (d0, d1)>]
//  CHECK-SAME:     ins(%[[S]], %[[L]], %[[GAMMA]] : tensor<8x64xf32>, tensor<8x64xf32>, f16)
//  CHECK-SAME:     outs(%[[INIT]] : tensor<8x64xbf16>)
//       CHECK:   ^bb0(%[[SIN:.+]]: f32, %[[LIN:.+]]: f32, %[[GIN:.+]]: f16, %[[OUT:.+]]: bf16):
//       CHECK:     %[[G:.+]] = arith.extf %[[GIN]] : f16 to f32
//       CHECK:     %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
//       CHECK:     %[[OMG:.+]] = arith.subf %[[ONE]], %[[G]] : f32
//       CHECK:     %[[ACC:.+]] = arith.extf %[[OUT]] : bf16 to f32
//       CHECK:     %[[GS:.+]] = arith.mulf %[[G]], %[[SIN]] : f32
//       CHECK:     %[[GL:.+]] = arith.mulf %[[OMG]], %[[LIN]] : f32
//       CHECK:     %[[A0:.+]] = arith.addf %[[ACC]], %[[GS]] : f32
//       CHECK:     %[[A1:.+]] = arith.addf %[[A0]], %[[GL]] : f32
//       CHECK:     %[[R:.+]] = arith.truncf %[[A1]] : f32 to bf16
//       CHECK:     linalg.yield %[[R]] : bf16
//       CHECK:   return %[[Y]]
func.func @linear_scalar_gamma(%x: tensor<8x128xbf16>,
    %blocks: tensor<3x32x32xbf16>, %u: tensor<64x16xbf16>,
    %v: tensor<128x16xbf16>, %g: f16, %init: tensor<8x64xbf16>)
    -> tensor<8x64xbf16> {
  %y = pixelfly.linear
         ins(%x, %blocks, %u, %v : tensor<8x128xbf16>, tensor<3x32x32xbf16>,
                                  tensor<64x16xbf16>, tensor<128x16xbf16>)
         gamma(%g : f16) outs(%init : tensor<8x64xbf16>) layout(#l)
         -> tensor<8x64xbf16>
  return %y : tensor<8x64xbf16>
}

// -----

// An f64 scalar gamma is truncated to f32.

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32,
                            row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @linear_f64_gamma
//       CHECK:   linalg.generic
//  CHECK-SAME:     affine_map<(d0, d1) -> ()>
//       CHECK:   ^bb0(%{{.+}}: f32, %{{.+}}: f32, %[[GIN:.+]]: f64, %{{.+}}: f32):
//       CHECK:     arith.truncf %[[GIN]] : f64 to f32
func.func @linear_f64_gamma(%x: tensor<8x128xf32>,
    %blocks: tensor<3x32x32xf32>, %u: tensor<64x16xf32>, %v: tensor<128x16xf32>,
    %g: f64, %init: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %y = pixelfly.linear
         ins(%x, %blocks, %u, %v : tensor<8x128xf32>, tensor<3x32x32xf32>,
                                  tensor<64x16xf32>, tensor<128x16xf32>)
         gamma(%g : f64) outs(%init : tensor<8x64xf32>) layout(#l)
         -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

// -----

// Per-row gamma (one value per token) with dynamic M: map (m, n) -> (m).

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32,
                            row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @linear_per_row_gamma
//  CHECK-SAME:   (%[[X:.+]]: tensor<?x128xbf16>, %{{.+}}: tensor<3x32x32xbf16>, %{{.+}}: tensor<64x16xbf16>, %{{.+}}: tensor<128x16xbf16>, %[[GAMMA:.+]]: tensor<?xbf16>, %[[INIT:.+]]: tensor<?x64xf32>)
//       CHECK:   %[[M:.+]] = tensor.dim %[[INIT]], %{{.+}} : tensor<?x64xf32>
//       CHECK:   tensor.empty(%[[M]]) : tensor<?x64xf32>
//       CHECK:   %[[S:.+]] = linalg.matmul indexing_maps
//  CHECK-SAME:     ins(%[[X]], %{{.+}} : tensor<?x128xbf16>, tensor<64x128xbf16>)
//  CHECK-SAME:     outs(%{{.+}} : tensor<?x64xf32>)
//       CHECK:   tensor.empty(%[[M]]) : tensor<?x16xf32>
//       CHECK:   %[[T:.+]] = linalg.matmul ins
//       CHECK:   tensor.empty(%[[M]]) : tensor<?x64xf32>
//       CHECK:   %[[L:.+]] = linalg.matmul indexing_maps
//  CHECK-SAME:     ins(%[[T]], %{{.+}} : tensor<?x16xf32>, tensor<64x16xbf16>)
//       CHECK:   %[[Y:.+]] = linalg.generic
//  CHECK-SAME:     indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>]
//  CHECK-SAME:     ins(%[[S]], %[[L]], %[[GAMMA]] : tensor<?x64xf32>, tensor<?x64xf32>, tensor<?xbf16>)
//  CHECK-SAME:     outs(%[[INIT]] : tensor<?x64xf32>)
//       CHECK:   ^bb0(%{{.+}}: f32, %{{.+}}: f32, %[[GIN:.+]]: bf16, %[[OUT:.+]]: f32):
//       CHECK:     %[[G:.+]] = arith.extf %[[GIN]] : bf16 to f32
//       CHECK:     arith.subf %{{.+}}, %[[G]] : f32
//   CHECK-NOT:     arith.truncf
//       CHECK:     linalg.yield %{{.+}} : f32
//       CHECK:   return %[[Y]]
func.func @linear_per_row_gamma(%x: tensor<?x128xbf16>,
    %blocks: tensor<3x32x32xbf16>, %u: tensor<64x16xbf16>,
    %v: tensor<128x16xbf16>, %g: tensor<?xbf16>, %init: tensor<?x64xf32>)
    -> tensor<?x64xf32> {
  %y = pixelfly.linear
         ins(%x, %blocks, %u, %v : tensor<?x128xbf16>, tensor<3x32x32xbf16>,
                                  tensor<64x16xbf16>, tensor<128x16xbf16>)
         gamma(%g : tensor<?xbf16>) outs(%init : tensor<?x64xf32>) layout(#l)
         -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// -----

// 2:4 product: the compressed weight is decompressed to N x K by
// pixelfly.densify_2_4, then multiplied transposed.

// CHECK-LABEL: func.func @two_four_matmul_f16_f32
//  CHECK-SAME:   (%[[X:.+]]: tensor<?x64xf16>, %[[VAL:.+]]: tensor<32x32xf16>, %[[META:.+]]: tensor<32x4xi16>, %[[INIT:.+]]: tensor<?x32xf32>)
//       CHECK:   %[[E:.+]] = tensor.empty() : tensor<32x64xf16>
//       CHECK:   %[[W:.+]] = pixelfly.densify_2_4 ins(%[[VAL]], %[[META]] : tensor<32x32xf16>, tensor<32x4xi16>)
//  CHECK-SAME:     outs(%[[E]] : tensor<32x64xf16>) -> tensor<32x64xf16>
//       CHECK:   %[[Y:.+]] = linalg.matmul indexing_maps =
//  CHECK-SAME:     [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>]
//  CHECK-SAME:     ins(%[[X]], %[[W]] : tensor<?x64xf16>, tensor<32x64xf16>)
//  CHECK-SAME:     outs(%[[INIT]] : tensor<?x32xf32>) -> tensor<?x32xf32>
//       CHECK:   return %[[Y]]

// CANON-LABEL: func.func @two_four_matmul_f16_f32
//       CANON:   pixelfly.densify_2_4
//       CANON:   linalg.matmul
func.func @two_four_matmul_f16_f32(%x: tensor<?x64xf16>,
    %values: tensor<32x32xf16>, %meta: tensor<32x4xi16>,
    %init: tensor<?x32xf32>) -> tensor<?x32xf32> {
  %y = pixelfly.two_four_matmul
         ins(%x, %values, %meta : tensor<?x64xf16>, tensor<32x32xf16>,
                                  tensor<32x4xi16>)
         outs(%init : tensor<?x32xf32>) -> tensor<?x32xf32>
  return %y : tensor<?x32xf32>
}

// -----

// Same-type destination, and K only known from the compressed values.

// CHECK-LABEL: func.func @two_four_matmul_bf16_bf16
//  CHECK-SAME:   (%[[X:.+]]: tensor<16x?xbf16>, %[[VAL:.+]]: tensor<32x32xbf16>, %[[META:.+]]: tensor<32x4xi16>, %[[INIT:.+]]: tensor<16x32xbf16>)
//       CHECK:   %[[E:.+]] = tensor.empty() : tensor<32x64xbf16>
//       CHECK:   %[[W:.+]] = pixelfly.densify_2_4 ins(%[[VAL]], %[[META]] : tensor<32x32xbf16>, tensor<32x4xi16>)
//  CHECK-SAME:     outs(%[[E]] : tensor<32x64xbf16>)
//       CHECK:   %[[P:.+]] = linalg.matmul indexing_maps
//  CHECK-SAME:     ins(%[[X]], %[[W]] : tensor<16x?xbf16>, tensor<32x64xbf16>)
//  CHECK-SAME:     outs(%{{.+}} : tensor<16x32xf32>)
//       CHECK:   %[[Y:.+]] = linalg.generic
//  CHECK-SAME:     ins(%[[P]] : tensor<16x32xf32>) outs(%[[INIT]] : tensor<16x32xbf16>)
//       CHECK:     arith.truncf {{.+}} : f32 to bf16
//       CHECK:   return %[[Y]]
func.func @two_four_matmul_bf16_bf16(%x: tensor<16x?xbf16>,
    %values: tensor<32x32xbf16>, %meta: tensor<32x4xi16>,
    %init: tensor<16x32xbf16>) -> tensor<16x32xbf16> {
  %y = pixelfly.two_four_matmul
         ins(%x, %values, %meta : tensor<16x?xbf16>, tensor<32x32xbf16>,
                                  tensor<32x4xi16>)
         outs(%init : tensor<16x32xbf16>) -> tensor<16x32xbf16>
  return %y : tensor<16x32xbf16>
}

// -----

// The primitives of the reference are left to the other lowerings.

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32,
                            row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @primitives_unchanged
//       CHECK:   pixelfly.densify ins
//       CHECK:   pixelfly.densify_2_4 ins
//       CHECK:   pixelfly.prune_2_4 ins
//   CHECK-NOT:   linalg.
func.func @primitives_unchanged(%blocks: tensor<3x32x32xf16>,
    %w0: tensor<64x128xf16>, %values: tensor<64x64xf16>,
    %meta: tensor<64x8xi16>)
    -> (tensor<64x128xf16>, tensor<64x128xf16>, tensor<64x64xf16>,
        tensor<64x8xi16>) {
  %w = pixelfly.densify ins(%blocks : tensor<3x32x32xf16>)
         outs(%w0 : tensor<64x128xf16>) layout(#l) -> tensor<64x128xf16>
  %w2 = pixelfly.densify_2_4 ins(%values, %meta : tensor<64x64xf16>, tensor<64x8xi16>)
          outs(%w0 : tensor<64x128xf16>) -> tensor<64x128xf16>
  %v, %m = pixelfly.prune_2_4 ins(%w : tensor<64x128xf16>)
             outs(%values, %meta : tensor<64x64xf16>, tensor<64x8xi16>)
             -> tensor<64x64xf16>, tensor<64x8xi16>
  return %w, %w2, %v, %m
      : tensor<64x128xf16>, tensor<64x128xf16>, tensor<64x64xf16>,
        tensor<64x8xi16>
}

// -----

// Memref form (after bufferization): left unchanged, with a remark.

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32,
                            row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @memref_form_unchanged
//       CHECK:   pixelfly.block_sparse_matmul ins(%{{.+}}, %{{.+}} : memref<8x128xf16>, memref<3x32x32xf16>) outs(%{{.+}} : memref<8x64xf32>)
//       CHECK:   pixelfly.low_rank_matmul ins(%{{.+}}, %{{.+}}, %{{.+}} : memref<8x128xf16>, memref<64x16xf16>, memref<128x16xf16>) outs(%{{.+}} : memref<8x64xf32>)
//   CHECK-NOT:   linalg.
func.func @memref_form_unchanged(%x: memref<8x128xf16>,
    %blocks: memref<3x32x32xf16>, %u: memref<64x16xf16>,
    %v: memref<128x16xf16>, %init: memref<8x64xf32>) {
  // expected-remark @below {{left unchanged: op is in memref form; pixelfly-expand-to-dense only rewrites the tensor form}}
  pixelfly.block_sparse_matmul
    ins(%x, %blocks : memref<8x128xf16>, memref<3x32x32xf16>)
    outs(%init : memref<8x64xf32>) layout(#l)
  // expected-remark @below {{left unchanged: op is in memref form}}
  pixelfly.low_rank_matmul
    ins(%x, %u, %v : memref<8x128xf16>, memref<64x16xf16>, memref<128x16xf16>)
    outs(%init : memref<8x64xf32>)
  return
}
