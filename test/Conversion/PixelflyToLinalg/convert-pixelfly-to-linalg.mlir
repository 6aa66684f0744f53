// RUN: pixelfly-opt %s --convert-pixelfly-to-linalg -split-input-file | FileCheck %s --implicit-check-not=pixelfly.
// RUN: pixelfly-opt %s --convert-pixelfly-to-linalg="tile-m=8" -split-input-file | FileCheck %s --check-prefix=TILED
// RUN: not pixelfly-opt %s --convert-pixelfly-to-linalg="tile-m=-1" -split-input-file 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not pixelfly-opt %s --convert-pixelfly-to-linalg="tile-n=-1" -split-input-file 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: pixelfly-opt %s --convert-pixelfly-to-linalg="parallel=true" -split-input-file | FileCheck %s --check-prefix=PARALLEL
// RUN: pixelfly-opt %s --convert-pixelfly-to-linalg="tile-m=8 tile-n=16" -split-input-file | FileCheck %s --check-prefix=TILEN

// BAD: error: convert-pixelfly-to-linalg: tile-m and tile-n must be non-negative

// With tile-m, each block row takes the rows 8 at a time (whole tiles of
// static size, then the rest), and every row tile runs over all the blocks
// of the block row.
// TILED-LABEL: func.func @forward_f32(
// TILED:         %[[M:.+]] = tensor.dim
// TILED:         scf.for %[[R:.+]] = {{.+}} -> (tensor<?x64xf32>) {
// TILED:           %[[Q:.+]] = arith.divui %[[M]], %{{.+}} : index
// TILED:           %[[FULL:.+]] = arith.muli %[[Q]], %{{.+}} : index
// TILED:           %[[W:.+]] = scf.for %[[M0:.+]] = %{{.+}} to %[[FULL]] step %{{.+}} iter_args(%{{.+}} = %{{.+}}) -> (tensor<?x32xf32>) {
// TILED:             %[[T:.+]] = tensor.extract_slice %{{.+}}[%[[M0]], 0] [8, 32] [1, 1] : tensor<?x32xf32> to tensor<8x32xf32>
// TILED:             scf.for %{{.+}} = {{.+}} iter_args(%{{.+}} = %[[T]]) -> (tensor<8x32xf32>) {
// TILED:               tensor.extract_slice %{{.+}}[%[[M0]], %{{.+}}] [8, 32] [1, 1] : tensor<?x96xf32> to tensor<8x32xf32>
// TILED:               linalg.matmul {{.+}} outs(%{{.+}} : tensor<8x32xf32>)
// TILED:           scf.for %{{.+}} = %[[FULL]] to %[[M]] step %{{.+}} iter_args(%{{.+}} = %[[W]]) -> (tensor<?x32xf32>) {
// TILED:             linalg.matmul {{.+}} outs(%{{.+}} : tensor<?x32xf32>)

#l = #pixelfly.block_layout<shape = 64x96, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 1]>

// The forward product loops over the block rows (row pointers and column
// indices are constant tables) and accumulates each stored block into the
// row's M x 32 slice of an f32 init directly.
// With parallel: the block rows are an scf.forall, each row's strip put
// back by a parallel_insert_slice (rows own disjoint columns).
// PARALLEL-LABEL: func.func @forward_f32(
// PARALLEL-SAME:      %[[X:.+]]: tensor<?x96xf32>, %[[B:.+]]: tensor<3x32x32xf32>, %[[INIT:.+]]: tensor<?x64xf32>)
// PARALLEL:         %[[Y:.+]] = scf.forall (%[[R:.+]]) in (2) shared_outs(%[[ACC:.+]] = %[[INIT]]) -> (tensor<?x64xf32>) {
// PARALLEL:           %[[N0:.+]] = arith.muli %[[R]], %{{.+}} : index
// PARALLEL:           %[[TILE:.+]] = tensor.extract_slice %[[ACC]][0, %[[N0]]] [%{{.+}}, 32] [1, 1]
// PARALLEL:           %[[ROW:.+]] = scf.for {{.+}} iter_args(%{{.+}} = %[[TILE]])
// PARALLEL:             linalg.matmul
// PARALLEL:           scf.forall.in_parallel {
// PARALLEL-NEXT:        tensor.parallel_insert_slice %[[ROW]] into %[[ACC]][0, %[[N0]]] [%{{.+}}, 32] [1, 1]
// PARALLEL:         return %[[Y]]
// The input gradient's block columns are a forall over the layout by
// column (constant CSC tables: column pointers, blocks, block rows), each
// column adding its blocks by block row, as the sequential CSR loop does.
// Each block of the weight gradient is its own result: the blocks are a
// forall.
// PARALLEL-LABEL: func.func @input_grad(
// PARALLEL-DAG:     %[[PTR:.+]] = arith.constant dense<[0, 1, 2, 3]> : tensor<4xindex>
// PARALLEL-DAG:     %[[BLK:.+]] = arith.constant dense<[0, 2, 1]> : tensor<3xindex>
// PARALLEL-DAG:     %[[ROW:.+]] = arith.constant dense<[0, 1, 0]> : tensor<3xindex>
// PARALLEL:         scf.forall (%[[C:.+]]) in (3) shared_outs(%[[DX:.+]] = %{{.+}}) -> (tensor<8x96xf32>) {
// PARALLEL:           %[[STRIP:.+]] = tensor.extract_slice %[[DX]][0, %[[K0:.+]]] [8, 32] [1, 1]
// PARALLEL:           %[[SUM:.+]] = scf.for {{.+}} iter_args(%{{.+}} = %[[STRIP]])
// PARALLEL:             tensor.extract %[[BLK]]
// PARALLEL:             tensor.extract %[[ROW]]
// PARALLEL:             linalg.matmul
// PARALLEL:           scf.forall.in_parallel {
// PARALLEL-NEXT:        tensor.parallel_insert_slice %[[SUM]] into %[[DX]][0, %[[K0]]] [8, 32] [1, 1]
// PARALLEL-LABEL: func.func @weight_grad(
// PARALLEL:         scf.forall (%[[P:.+]]) in (3) shared_outs(%[[G:.+]] = %{{.+}}) -> (tensor<3x32x32xf32>) {
// PARALLEL:           %[[OLD:.+]] = tensor.extract_slice %[[G]][%[[P]], 0, 0] [1, 32, 32] [1, 1, 1]
// PARALLEL:           %[[NEW:.+]] = linalg.matmul {{.+}} outs(%[[OLD]] : tensor<32x32xf32>)
// PARALLEL:           scf.forall.in_parallel {
// PARALLEL-NEXT:        tensor.parallel_insert_slice %[[NEW]] into %[[G]][%[[P]], 0, 0] [1, 32, 32] [1, 1, 1]
// PARALLEL-LABEL: func.func @low_rank(
// The sparse part of linear is a forward product.
// PARALLEL-LABEL: func.func @linear(
// PARALLEL:         scf.forall
// CHECK-LABEL: func.func @forward_f32(
// CHECK-SAME:      %[[X:.+]]: tensor<?x96xf32>, %[[B:.+]]: tensor<3x32x32xf32>, %[[INIT:.+]]: tensor<?x64xf32>)
// CHECK-DAG:     %[[M:.+]] = tensor.dim %[[INIT]], %{{.+}} : tensor<?x64xf32>
// CHECK-DAG:     %[[PTR:.+]] = arith.constant dense<[0, 2, 3]> : tensor<3xindex>
// CHECK-DAG:     %[[COL:.+]] = arith.constant dense<[0, 2, 1]> : tensor<3xindex>
// CHECK:         %[[Y:.+]] = scf.for %[[R:.+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%[[ACC:.+]] = %[[INIT]]) -> (tensor<?x64xf32>) {
// CHECK:           %[[LO:.+]] = tensor.extract %[[PTR]][%[[R]]]
// CHECK:           %[[HI:.+]] = tensor.extract %[[PTR]][%{{.+}}]
// CHECK:           %[[N0:.+]] = arith.muli %[[R]], %{{.+}} : index
// CHECK:           %[[TILE:.+]] = tensor.extract_slice %[[ACC]][0, %[[N0]]] [%[[M]], 32] [1, 1] : tensor<?x64xf32> to tensor<?x32xf32>
// CHECK:           %[[ROW:.+]] = scf.for %[[P:.+]] = %[[LO]] to %[[HI]] step %{{.+}} iter_args(%[[T:.+]] = %[[TILE]]) -> (tensor<?x32xf32>) {
// CHECK:             %[[C:.+]] = tensor.extract %[[COL]][%[[P]]]
// CHECK:             %[[K0:.+]] = arith.muli %[[C]], %{{.+}} : index
// CHECK:             %[[XS:.+]] = tensor.extract_slice %[[X]][0, %[[K0]]] [%[[M]], 32] [1, 1] : tensor<?x96xf32> to tensor<?x32xf32>
// CHECK:             %[[BLK:.+]] = tensor.extract_slice %[[B]][%[[P]], 0, 0] [1, 32, 32] [1, 1, 1] : tensor<3x32x32xf32> to tensor<32x32xf32>
// CHECK:             %[[MM:.+]] = linalg.matmul indexing_maps = [#{{.+}}, #{{.+}}, #{{.+}}] ins(%[[XS]], %[[BLK]] : tensor<?x32xf32>, tensor<32x32xf32>) outs(%[[T]] : tensor<?x32xf32>)
// CHECK:             scf.yield %[[MM]]
// CHECK:           %[[INS:.+]] = tensor.insert_slice %[[ROW]] into %[[ACC]][0, %[[N0]]] [%[[M]], 32] [1, 1]
// CHECK:           scf.yield %[[INS]]
// CHECK:         return %[[Y]]
func.func @forward_f32(%x: tensor<?x96xf32>, %b: tensor<3x32x32xf32>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %y = pixelfly.block_sparse_matmul ins(%x, %b : tensor<?x96xf32>, tensor<3x32x32xf32>) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// A 16-bit init: the product goes to zeros in f32, then one epilogue adds
// and rounds. The zeros are filled block row by block row, right before
// the row's blocks (the fill of the whole temporary is left dead).
// CHECK-LABEL: func.func @forward_bf16(
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<8x64xf32>
// CHECK:         %[[S:.+]] = scf.for {{.+}} iter_args(%[[ACC:.+]] = %[[E]]) -> (tensor<8x64xf32>)
// CHECK:           %[[T:.+]] = tensor.extract_slice %[[ACC]][0, %{{.+}}] [8, 32] [1, 1]
// CHECK:           %[[Z:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[T]] : tensor<8x32xf32>)
// CHECK:           scf.for {{.+}} iter_args(%{{.+}} = %[[Z]]) -> (tensor<8x32xf32>)
// CHECK:             linalg.matmul {{.+}} ins(%{{.+}}, %{{.+}} : tensor<8x32xbf16>, tensor<32x32xbf16>) outs(%{{.+}} : tensor<8x32xf32>)
// CHECK:         %[[R:.+]] = linalg.generic {{.+}} ins(%[[S]] : tensor<8x64xf32>) outs(%{{.+}} : tensor<8x64xbf16>)
// CHECK:           arith.extf %{{.+}} : bf16 to f32
// CHECK:           arith.addf
// CHECK:           arith.truncf %{{.+}} : f32 to bf16
// CHECK:         return %[[R]]
func.func @forward_bf16(%x: tensor<8x96xbf16>, %b: tensor<3x32x32xbf16>, %init: tensor<8x64xbf16>) -> tensor<8x64xbf16> {
  %y = pixelfly.block_sparse_matmul ins(%x, %b : tensor<8x96xbf16>, tensor<3x32x32xbf16>) outs(%init : tensor<8x64xbf16>) layout(#l) -> tensor<8x64xbf16>
  return %y : tensor<8x64xbf16>
}

// An init made by linalg.fill (a model's zero-initialized matmul): each
// accumulator tile is filled with the fill's value right before its blocks,
// in the tile loops, so the result is written once.
// CHECK-LABEL: func.func @forward_filled(
// CHECK-SAME:      %[[V:[^:]+]]: f32
// CHECK:         %[[E:.+]] = tensor.empty(%{{.+}}) : tensor<?x64xf32>
// CHECK:         scf.for {{.+}} iter_args(%[[ACC:.+]] = %[[E]]) -> (tensor<?x64xf32>)
// CHECK:           %[[T:.+]] = tensor.extract_slice %[[ACC]]
// CHECK:           %[[Z:.+]] = linalg.fill ins(%[[V]] : f32) outs(%[[T]] : tensor<?x32xf32>)
// CHECK:           scf.for {{.+}} iter_args(%{{.+}} = %[[Z]]) -> (tensor<?x32xf32>)
// CHECK:             linalg.matmul
// TILED-LABEL: func.func @forward_filled(
// TILED:           scf.for {{.+}} -> (tensor<?x32xf32>) {
// TILED:             %[[T:.+]] = tensor.extract_slice %{{.+}} [8, 32] [1, 1] : tensor<?x32xf32> to tensor<8x32xf32>
// TILED:             %[[Z:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[T]] : tensor<8x32xf32>)
// TILED:             scf.for {{.+}} iter_args(%{{.+}} = %[[Z]]) -> (tensor<8x32xf32>)
// With tile-n=16, each row tile is cut into two 16-column slices, each
// filled and run over all the row's blocks (16 rows of each block).
// TILEN-LABEL: func.func @forward_filled(
// TILEN:             %[[T:.+]] = tensor.extract_slice %{{.+}} [8, 32] [1, 1] : tensor<?x32xf32> to tensor<8x32xf32>
// TILEN:             %[[CS:.+]] = scf.for %[[C:.+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%[[TC:.+]] = %[[T]]) -> (tensor<8x32xf32>) {
// TILEN:               %[[C0:.+]] = arith.muli %[[C]], %{{.+}} : index
// TILEN:               %[[S:.+]] = tensor.extract_slice %[[TC]][0, %[[C0]]] [8, 16] [1, 1]
// TILEN:               %[[Z:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[S]] : tensor<8x16xf32>)
// TILEN:               %[[ROW:.+]] = scf.for %[[P:.+]] = {{.+}} iter_args(%{{.+}} = %[[Z]]) -> (tensor<8x16xf32>) {
// TILEN:                 %[[BLK:.+]] = tensor.extract_slice %{{.+}}[%[[P]], %[[C0]], 0] [1, 16, 32] [1, 1, 1] : tensor<3x32x32xf32> to tensor<16x32xf32>
// TILEN:                 linalg.matmul {{.+}} outs(%{{.+}} : tensor<8x16xf32>)
// TILEN:               tensor.insert_slice %[[ROW]] into %[[TC]][0, %[[C0]]] [8, 16] [1, 1]
func.func @forward_filled(%x: tensor<?x96xf32>, %b: tensor<3x32x32xf32>, %v: f32) -> tensor<?x64xf32> {
  %c0 = arith.constant 0 : index
  %m = tensor.dim %x, %c0 : tensor<?x96xf32>
  %e = tensor.empty(%m) : tensor<?x64xf32>
  %init = linalg.fill ins(%v : f32) outs(%e : tensor<?x64xf32>) -> tensor<?x64xf32>
  %y = pixelfly.block_sparse_matmul ins(%x, %b : tensor<?x96xf32>, tensor<3x32x32xf32>) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x96, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 1]>

// The gradients loop over the blocks; block p is (rowOf[p], colIdx[p]).
// CHECK-LABEL: func.func @input_grad(
// CHECK-SAME:      %[[DY:.+]]: tensor<8x64xf32>, %[[B:.+]]: tensor<3x32x32xf32>, %[[INIT:.+]]: tensor<8x96xf32>)
// CHECK-DAG:     %[[ROWOF:.+]] = arith.constant dense<[0, 0, 1]> : tensor<3xindex>
// CHECK-DAG:     %[[COL:.+]] = arith.constant dense<[0, 2, 1]> : tensor<3xindex>
// CHECK:         scf.for %[[P:.+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%[[ACC:.+]] = %[[INIT]]) -> (tensor<8x96xf32>) {
// CHECK:           %[[DX:.+]] = tensor.extract_slice %[[ACC]][0, %{{.+}}] [8, 32] [1, 1]
// CHECK:           %[[DYS:.+]] = tensor.extract_slice %[[DY]][0, %{{.+}}] [8, 32] [1, 1]
// CHECK:           %[[BLK:.+]] = tensor.extract_slice %[[B]][%[[P]], 0, 0] [1, 32, 32] [1, 1, 1]
// CHECK:           linalg.matmul ins(%[[DYS]], %[[BLK]] : tensor<8x32xf32>, tensor<32x32xf32>) outs(%[[DX]] : tensor<8x32xf32>)
// CHECK:           tensor.insert_slice
func.func @input_grad(%dy: tensor<8x64xf32>, %b: tensor<3x32x32xf32>, %init: tensor<8x96xf32>) -> tensor<8x96xf32> {
  %y = pixelfly.block_sparse_input_grad ins(%dy, %b : tensor<8x64xf32>, tensor<3x32x32xf32>) outs(%init : tensor<8x96xf32>) layout(#l) -> tensor<8x96xf32>
  return %y : tensor<8x96xf32>
}

// CHECK-LABEL: func.func @weight_grad(
// CHECK-SAME:      %[[DY:.+]]: tensor<8x64xf32>, %[[X:.+]]: tensor<8x96xf32>, %[[INIT:.+]]: tensor<3x32x32xf32>)
// CHECK:         scf.for %[[P:.+]] = {{.+}} iter_args(%[[ACC:.+]] = %[[INIT]]) -> (tensor<3x32x32xf32>) {
// CHECK:           %[[DYS:.+]] = tensor.extract_slice %[[DY]][0, %{{.+}}] [8, 32] [1, 1]
// CHECK:           %[[XS:.+]] = tensor.extract_slice %[[X]][0, %{{.+}}] [8, 32] [1, 1]
// CHECK:           %[[T:.+]] = tensor.extract_slice %[[ACC]][%[[P]], 0, 0] [1, 32, 32] [1, 1, 1] : tensor<3x32x32xf32> to tensor<32x32xf32>
// CHECK:           %[[G:.+]] = linalg.matmul {{.+}} ins(%[[DYS]], %[[XS]] : tensor<8x32xf32>, tensor<8x32xf32>) outs(%[[T]] : tensor<32x32xf32>)
// CHECK:           tensor.insert_slice %[[G]] into %[[ACC]][%[[P]], 0, 0] [1, 32, 32] [1, 1, 1]
func.func @weight_grad(%dy: tensor<8x64xf32>, %x: tensor<8x96xf32>, %init: tensor<3x32x32xf32>) -> tensor<3x32x32xf32> {
  %y = pixelfly.block_sparse_weight_grad ins(%dy, %x : tensor<8x64xf32>, tensor<8x96xf32>) outs(%init : tensor<3x32x32xf32>) layout(#l) -> tensor<3x32x32xf32>
  return %y : tensor<3x32x32xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x96, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 1]>

// T = X * V, then init + T * U^T.
// CHECK-LABEL: func.func @low_rank(
// CHECK-SAME:      %[[X:.+]]: tensor<8x96xf16>, %[[U:.+]]: tensor<64x16xf16>, %[[V:.+]]: tensor<96x16xf16>, %[[INIT:.+]]: tensor<8x64xf32>)
// CHECK:         %[[Z:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<8x16xf32>)
// CHECK:         %[[T:.+]] = linalg.matmul ins(%[[X]], %[[V]] : tensor<8x96xf16>, tensor<96x16xf16>) outs(%[[Z]] : tensor<8x16xf32>)
// CHECK:         %[[Y:.+]] = linalg.matmul indexing_maps = [{{.+}}] ins(%[[T]], %[[U]] : tensor<8x16xf32>, tensor<64x16xf16>) outs(%[[INIT]] : tensor<8x64xf32>)
// CHECK:         return %[[Y]]
func.func @low_rank(%x: tensor<8x96xf16>, %u: tensor<64x16xf16>, %v: tensor<96x16xf16>, %init: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %y = pixelfly.low_rank_matmul ins(%x, %u, %v : tensor<8x96xf16>, tensor<64x16xf16>, tensor<96x16xf16>) outs(%init : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

// The sparse term into f32 zeros, added to init scaled by gamma (per-row
// gamma here); T = X * V scaled by 1 - gamma; then T * U^T accumulated.
// CHECK-LABEL: func.func @linear(
// CHECK-SAME:      %[[U:arg[0-9]+]]: tensor<64x16xf32>, %[[V:arg[0-9]+]]: tensor<96x16xf32>, %[[G:arg[0-9]+]]: tensor<8xf32>, %[[INIT:arg[0-9]+]]: tensor<8x64xf32>)
// CHECK:         %[[S:.+]] = scf.for
// CHECK:         %[[ACC:.+]] = linalg.generic {indexing_maps = [#[[ID:.+]], #[[ROW:.+]], #[[ID]]], {{.+}}} ins(%[[S]], %[[G]] : tensor<8x64xf32>, tensor<8xf32>) outs(%[[INIT]] : tensor<8x64xf32>)
// CHECK:           %[[GS:.+]] = arith.mulf %{{.+}}, %{{.+}} : f32
// CHECK:           arith.addf %{{.+}}, %[[GS]] : f32
// CHECK:         %[[T:.+]] = linalg.matmul ins(%{{.+}}, %[[V]] : tensor<8x96xf32>, tensor<96x16xf32>)
// CHECK:         %[[TG:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], {{.+}}} ins(%[[T]], %[[G]] : tensor<8x16xf32>, tensor<8xf32>)
// CHECK:           %[[OMG:.+]] = arith.subf
// CHECK:           arith.mulf %[[OMG]], %{{.+}} : f32
// CHECK:         %[[R:.+]] = linalg.matmul {{.+}} ins(%[[TG]], %[[U]] : tensor<8x16xf32>, tensor<64x16xf32>) outs(%[[ACC]] : tensor<8x64xf32>)
// CHECK:         return %[[R]]
func.func @linear(%x: tensor<8x96xf32>, %b: tensor<3x32x32xf32>, %u: tensor<64x16xf32>, %v: tensor<96x16xf32>, %g: tensor<8xf32>, %init: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %y = pixelfly.linear ins(%x, %b, %u, %v : tensor<8x96xf32>, tensor<3x32x32xf32>, tensor<64x16xf32>, tensor<96x16xf32>) gamma(%g : tensor<8xf32>) outs(%init : tensor<8x64xf32>) layout(#l) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

// Densify: zeros, then every block inserted at (rowOf[p] * 32, col[p] * 32).
// CHECK-LABEL: func.func @densify(
// CHECK:         %[[Z:.+]] = linalg.fill ins(%{{.+}} : f16) outs(%{{.+}} : tensor<64x96xf16>)
// CHECK:         scf.for {{.+}} iter_args(%[[D:.+]] = %[[Z]]) -> (tensor<64x96xf16>) {
// CHECK:           tensor.insert_slice %{{.+}} into %[[D]][%{{.+}}, %{{.+}}] [32, 32] [1, 1] : tensor<32x32xf16> into tensor<64x96xf16>
func.func @densify(%b: tensor<3x32x32xf16>, %init: tensor<64x96xf16>) -> tensor<64x96xf16> {
  %w = pixelfly.densify ins(%b : tensor<3x32x32xf16>) outs(%init : tensor<64x96xf16>) layout(#l) -> tensor<64x96xf16>
  return %w : tensor<64x96xf16>
}

// -----

// The 2:4 product is computed transposed, Y^T = W X^T, by blocks of rows
// of Y^T (here one block of 8), in chunks of up to 256 kept values: 64
// tokens at a time (whole pieces, then the rest), for each row n of the
// block, the piece adds values[n, j] times row 4 * (j / 2) + (the
// metadata's 2-bit index) of X^T, for the chunk's j in order, as an
// elementwise generic; then Y^T is transposed back.
// CHECK-LABEL: func.func @two_four(
// CHECK-SAME:      %[[X:.+]]: tensor<?x32xbf16>, %[[VAL:.+]]: tensor<8x16xbf16>, %[[META:.+]]: tensor<8x2xi16>, %[[INIT:.+]]: tensor<?x8xf32>)
// CHECK:         %[[INITT:.+]] = linalg.transpose ins(%[[INIT]] : tensor<?x8xf32>) outs(%{{.+}} : tensor<8x?xf32>) permutation = [1, 0]
// CHECK:         %[[XT:.+]] = linalg.transpose ins(%[[X]] : tensor<?x32xbf16>) outs(%{{.+}} : tensor<32x?xbf16>) permutation = [1, 0]
// CHECK:         %[[YT:.+]] = scf.for %[[B:.+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%[[ALL:.+]] = %[[INITT]]) -> (tensor<8x?xf32>) {
// CHECK:           %[[R0:.+]] = arith.muli %[[B]], %{{.+}} : index
// CHECK:           %[[BLOCK:.+]] = tensor.extract_slice %[[ALL]][%[[R0]], 0] [8, %{{.+}}] [1, 1]
// CHECK:           scf.for %[[JLO:.+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%{{.+}} = %[[BLOCK]]) -> (tensor<8x?xf32>) {
// CHECK:             %[[JHI:.+]] = arith.minui
// CHECK:             scf.for %[[M0:[^ ]+]] = {{.+}} -> (tensor<8x?xf32>) {
// CHECK:             scf.for %[[R:.+]] = {{.+}} iter_args(%[[ROWS:.+]] = %{{.+}}) -> (tensor<8x?xf32>) {
// CHECK:               %[[N:.+]] = arith.addi %[[R0]], %[[R]] : index
// CHECK:               %[[PIECE:.+]] = tensor.extract_slice %[[ROWS]][%[[R]], %[[M0]]] [1, 64] [1, 1] : tensor<8x?xf32> to tensor<64xf32>
// CHECK:               %[[SUM:.+]] = scf.for %[[J:.+]] = %[[JLO]] to %[[JHI]] step %{{.+}} iter_args(%[[P:.+]] = %[[PIECE]]) -> (tensor<64xf32>) {
// CHECK:                 tensor.extract %[[META]][%[[N]], %{{.+}}]
// CHECK:                 arith.shrui
// CHECK:                 %[[COL:.+]] = arith.addi
// CHECK:                 %[[W:.+]] = tensor.extract %[[VAL]][%[[N]], %[[J]]]
// CHECK:                 %[[WF:.+]] = arith.extf %[[W]] : bf16 to f32
// CHECK:                 %[[XS:.+]] = tensor.extract_slice %[[XT]][%[[COL]], %[[M0]]] [1, 64] [1, 1] : tensor<32x?xbf16> to tensor<64xbf16>
// CHECK:                 linalg.generic {{.+}} ins(%[[XS]], %[[WF]] : tensor<64xbf16>, f32) outs(%[[P]] : tensor<64xf32>)
// CHECK:                   arith.mulf
// CHECK:                   arith.addf
// CHECK:               tensor.insert_slice %[[SUM]] into %[[ROWS]][%[[R]], %[[M0]]] [1, 64] [1, 1]
// The rest of the tokens, a dynamic piece.
// CHECK:           scf.for
// CHECK:             scf.for
// CHECK:               tensor.extract_slice %{{.+}} [1, %{{.+}}] [1, 1] : tensor<8x?xf32> to tensor<?xf32>
// CHECK:         linalg.transpose ins(%[[YT]] : tensor<8x?xf32>) outs(%{{.+}} : tensor<?x8xf32>) permutation = [1, 0]
// With parallel, the blocks are an scf.forall.
// PARALLEL-LABEL: func.func @two_four(
// PARALLEL:         scf.forall (%{{.+}}) in (1) shared_outs
func.func @two_four(%x: tensor<?x32xbf16>, %v: tensor<8x16xbf16>, %m: tensor<8x2xi16>, %init: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %y = pixelfly.two_four_matmul ins(%x, %v, %m : tensor<?x32xbf16>, tensor<8x16xbf16>, tensor<8x2xi16>) outs(%init : tensor<?x8xf32>) -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// A dynamic N: one block of all the rows, sequential even with parallel.
// CHECK-LABEL: func.func @two_four_dynamic_n(
// CHECK:         %[[N:.+]] = tensor.dim %{{.+}}, %c1
// CHECK:         scf.for
// CHECK:           scf.for %{{.+}} = %{{.+}} to %[[N]]
// PARALLEL-LABEL: func.func @two_four_dynamic_n(
// PARALLEL-NOT:     scf.forall
// PARALLEL:         return
func.func @two_four_dynamic_n(%x: tensor<?x32xf32>, %v: tensor<?x16xf32>, %m: tensor<?x2xi16>, %init: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %y = pixelfly.two_four_matmul ins(%x, %v, %m : tensor<?x32xf32>, tensor<?x16xf32>, tensor<?x2xi16>) outs(%init : tensor<?x?xf32>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// A filled init: Y^T starts as the same fill, nothing to transpose in.
// CHECK-LABEL: func.func @two_four_filled(
// CHECK-SAME:      %[[V:[^:]+]]: f32
// CHECK:         %[[E:.+]] = tensor.empty(%{{.+}}) : tensor<8x?xf32>
// CHECK:         %[[F:.+]] = linalg.fill ins(%[[V]] : f32) outs(%[[E]] : tensor<8x?xf32>)
// CHECK-NOT:     linalg.transpose ins(%{{.+}} : tensor<?x8xf32>)
// CHECK:         scf.for {{.+}} iter_args(%{{.+}} = %[[F]]) -> (tensor<8x?xf32>)
func.func @two_four_filled(%x: tensor<?x32xf32>, %w: tensor<8x16xf32>, %m: tensor<8x2xi16>, %v: f32) -> tensor<?x8xf32> {
  %c0 = arith.constant 0 : index
  %tokens = tensor.dim %x, %c0 : tensor<?x32xf32>
  %e = tensor.empty(%tokens) : tensor<?x8xf32>
  %init = linalg.fill ins(%v : f32) outs(%e : tensor<?x8xf32>) -> tensor<?x8xf32>
  %y = pixelfly.two_four_matmul ins(%x, %w, %m : tensor<?x32xf32>, tensor<8x16xf32>, tensor<8x2xi16>) outs(%init : tensor<?x8xf32>) -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// CHECK-LABEL: func.func @densify_2_4(
// CHECK:         linalg.generic {{.+}} outs(%{{.+}} : tensor<8x32xf32>)
// CHECK-COUNT-2:   tensor.extract %{{.+}} : tensor<8x2xi16>
// CHECK:           arith.select
func.func @densify_2_4(%v: tensor<8x16xf32>, %m: tensor<8x2xi16>, %init: tensor<8x32xf32>) -> tensor<8x32xf32> {
  %w = pixelfly.densify_2_4 ins(%v, %m : tensor<8x16xf32>, tensor<8x2xi16>) outs(%init : tensor<8x32xf32>) -> tensor<8x32xf32>
  return %w : tensor<8x32xf32>
}

// Pruning: one generic for the values, one for the metadata words; the
// transposable variant first picks a mask per 4x4 tile (each entry read
// once, the 90 masks unrolled over the rows' pair sums), and with four outs
// also writes W^T compressed.
// CHECK-LABEL: func.func @prune(
// CHECK:         %[[V:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<8x16xf16>)
// CHECK:           math.absf
// CHECK:         %[[M:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<8x2xi16>)
// CHECK:           arith.trunci %{{.+}} : i32 to i16
// CHECK:         return %[[V]], %[[M]]
func.func @prune(%w: tensor<8x32xf16>, %v: tensor<8x16xf16>, %m: tensor<8x2xi16>) -> (tensor<8x16xf16>, tensor<8x2xi16>) {
  %a, %b = pixelfly.prune_2_4 ins(%w : tensor<8x32xf16>) outs(%v, %m : tensor<8x16xf16>, tensor<8x2xi16>) -> tensor<8x16xf16>, tensor<8x2xi16>
  return %a, %b : tensor<8x16xf16>, tensor<8x2xi16>
}

// CHECK-LABEL: func.func @prune_transposable(
// CHECK:         %[[TILES:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<4x8xindex>)
// CHECK-COUNT-16:  tensor.extract %{{.+}} : tensor<16x32xf32>
// CHECK-NOT:       tensor.extract
// CHECK-NOT:       scf.for
// CHECK:           %[[C89:.+]] = arith.constant 89 : index
// CHECK:           %[[LAST:.+]] = arith.select %{{.+}}, %[[C89]], %{{.+}} : index
// CHECK-NEXT:      arith.select
// CHECK-NEXT:      arith.select
// CHECK-NEXT:      arith.select
// CHECK-NEXT:      linalg.yield %[[LAST]] : index
// CHECK:         linalg.generic {{.+}} outs(%{{.+}} : tensor<16x16xf32>)
// CHECK:           tensor.extract %[[TILES]]
// CHECK:         linalg.generic {{.+}} outs(%{{.+}} : tensor<16x2xi16>)
// CHECK:         linalg.generic {{.+}} outs(%{{.+}} : tensor<32x8xf32>)
// CHECK:         linalg.generic {{.+}} outs(%{{.+}} : tensor<32x1xi16>)
func.func @prune_transposable(%w: tensor<16x32xf32>, %v: tensor<16x16xf32>, %m: tensor<16x2xi16>, %vt: tensor<32x8xf32>, %mt: tensor<32x1xi16>) -> (tensor<16x16xf32>, tensor<16x2xi16>, tensor<32x8xf32>, tensor<32x1xi16>) {
  %a, %b, %c, %d = pixelfly.prune_2_4 transposable ins(%w : tensor<16x32xf32>) outs(%v, %m, %vt, %mt : tensor<16x16xf32>, tensor<16x2xi16>, tensor<32x8xf32>, tensor<32x1xi16>) -> tensor<16x16xf32>, tensor<16x2xi16>, tensor<32x8xf32>, tensor<32x1xi16>
  return %a, %b, %c, %d : tensor<16x16xf32>, tensor<16x2xi16>, tensor<32x8xf32>, tensor<32x1xi16>
}
