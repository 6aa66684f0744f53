// RUN: pixelfly-opt %s --pixelfly-cpu-vectorize -split-input-file | FileCheck %s
// RUN: not pixelfly-opt %s --pixelfly-cpu-vectorize="tile-m=0" -split-input-file 2>&1 | FileCheck %s --check-prefix=BAD

// BAD: error: pixelfly-cpu-vectorize: tile sizes must be positive

// A block matmul with a dynamic M: loops over whole 8-row tiles and K tiles
// of 8 around a vector.contract, then one scalar matmul for the rest of M.
// CHECK-LABEL: func.func @block(
// CHECK-SAME:      %[[X:.+]]: tensor<?x32xf16>, %[[B:.+]]: tensor<32x32xf16>, %[[ACC:.+]]: tensor<?x32xf32>)
// CHECK:         %[[FULL:.+]] = affine.apply #{{.+}}()[%{{.+}}]
// CHECK:         %[[MAIN:.+]] = scf.for %{{.+}} = %{{.+}} to %[[FULL]] step %{{.+}} iter_args(
// CHECK:           scf.for
// CHECK:             vector.transfer_read {{.+}} : tensor<8x8xf16>, vector<8x8xf16>
// CHECK:             vector.transfer_read {{.+}} : tensor<32x8xf16>, vector<32x8xf16>
// CHECK:             vector.transfer_read {{.+}} : tensor<8x32xf32>, vector<8x32xf32>
// CHECK:             vector.contract {{.+}} : vector<8x8xf16>, vector<32x8xf16> into vector<8x32xf32>
// CHECK:             vector.transfer_write
// CHECK:         %[[REST:.+]] = scf.for %{{.+}} = %[[FULL]] to %{{.+}} step %{{.+}} iter_args(%{{.+}} = %[[MAIN]])
// CHECK:           linalg.matmul {{.+}} ins(%{{.+}}, %{{.+}} : tensor<?x8xf16>, tensor<32x8xf16>) outs(%{{.+}} : tensor<?x32xf32>)
// CHECK:         return %[[REST]]
func.func @block(%x: tensor<?x32xf16>, %b: tensor<32x32xf16>, %acc: tensor<?x32xf32>) -> tensor<?x32xf32> {
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%x, %b : tensor<?x32xf16>, tensor<32x32xf16>) outs(%acc : tensor<?x32xf32>) -> tensor<?x32xf32>
  return %y : tensor<?x32xf32>
}

// -----

// Static sizes that the tiles divide: no remainder loop. N = 48 takes the
// largest divisor up to 32 (24).
// CHECK-LABEL: func.func @static_shape(
// CHECK-NOT:     linalg.matmul
// CHECK:         vector.contract {{.+}} : vector<8x8xf32>, vector<8x24xf32> into vector<8x24xf32>
// CHECK-NOT:     linalg.matmul
func.func @static_shape(%x: tensor<16x64xf32>, %w: tensor<64x48xf32>, %acc: tensor<16x48xf32>) -> tensor<16x48xf32> {
  %y = linalg.matmul ins(%x, %w : tensor<16x64xf32>, tensor<64x48xf32>) outs(%acc : tensor<16x48xf32>) -> tensor<16x48xf32>
  return %y : tensor<16x48xf32>
}

// -----

// Operands of different element types cannot form a vector.contract: the
// tile becomes multiplies and a reduction.
// CHECK-LABEL: func.func @mixed_types(
// CHECK:         arith.mulf {{.+}} : vector<8x32x8xf32>
// CHECK:         vector.multi_reduction <add>
func.func @mixed_types(%t: tensor<8x8xf32>, %u: tensor<32x8xbf16>, %acc: tensor<8x32xf32>) -> tensor<8x32xf32> {
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%t, %u : tensor<8x8xf32>, tensor<32x8xbf16>) outs(%acc : tensor<8x32xf32>) -> tensor<8x32xf32>
  return %y : tensor<8x32xf32>
}

// -----

// Memref forms are not touched.
// CHECK-LABEL: func.func @memref_form(
// CHECK:         linalg.matmul ins
// CHECK-NOT:     vector.
func.func @memref_form(%x: memref<16x64xf32>, %w: memref<64x48xf32>, %acc: memref<16x48xf32>) {
  linalg.matmul ins(%x, %w : memref<16x64xf32>, memref<64x48xf32>) outs(%acc : memref<16x48xf32>)
  return
}
