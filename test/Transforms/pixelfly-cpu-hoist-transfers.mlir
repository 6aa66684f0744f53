// RUN: pixelfly-opt %s --pixelfly-cpu-hoist-transfers | FileCheck %s

// The accumulator tile is read before the K loop, carried in a register
// across it, and written once after.
// CHECK-LABEL: func.func @accumulate(
// CHECK-SAME:      %[[A:.+]]: memref<8x64xf32>, %[[B:.+]]: memref<32x64xf32>, %[[C:.+]]: memref<8x32xf32>)
// CHECK:         %[[INIT:.+]] = vector.transfer_read %[[C]]
// CHECK:         %[[SUM:.+]] = scf.for %{{.+}} = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%[[ACC:.+]] = %[[INIT]]) -> (vector<8x32xf32>) {
// CHECK-NOT:       %[[C]]
// CHECK:           %[[R:.+]] = vector.contract {{.+}} into vector<8x32xf32>
// CHECK:           scf.yield %[[R]]
// CHECK:         vector.transfer_write %[[SUM]], %[[C]]
func.func @accumulate(%a: memref<8x64xf32>, %b: memref<32x64xf32>, %c: memref<8x32xf32>) {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %cst = arith.constant 0.0 : f32
  scf.for %k = %c0 to %c64 step %c8 {
    %va = vector.transfer_read %a[%c0, %k], %cst {in_bounds = [true, true]} : memref<8x64xf32>, vector<8x8xf32>
    %vb = vector.transfer_read %b[%c0, %k], %cst {in_bounds = [true, true]} : memref<32x64xf32>, vector<32x8xf32>
    %vc = vector.transfer_read %c[%c0, %c0], %cst {in_bounds = [true, true]} : memref<8x32xf32>, vector<8x32xf32>
    %r = vector.contract {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>],
                          iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %va, %vb, %vc
           : vector<8x8xf32>, vector<32x8xf32> into vector<8x32xf32>
    vector.transfer_write %r, %c[%c0, %c0] {in_bounds = [true, true]} : vector<8x32xf32>, memref<8x32xf32>
  }
  return
}
