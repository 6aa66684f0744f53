// RUN: pixelfly-opt %s --pass-pipeline="builtin.module(func.func(pixelfly-gpu-thread-tiles,gpu-map-parallel-loops,convert-parallel-loops-to-gpu,canonicalize))" | FileCheck %s
// RUN: pixelfly-opt %s --pass-pipeline="builtin.module(func.func(pixelfly-gpu-thread-tiles))" | FileCheck %s --check-prefix=NEST

// Host parallel loops are tiled by 128 along the innermost dimension the
// GPU mapping keeps (the last, or the third of more) and by 1 along the
// others, without bounds clamping; loops already nested are left alone.
// Checked through the GPU mapping that follows in the pipeline: the grid
// and the thread block of each launch (threads x-fastest).

// CHECK-LABEL: func.func @one_d(
// CHECK-DAG:     %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG:     %[[C8:.+]] = arith.constant 8 : index
// CHECK-DAG:     %[[C128:.+]] = arith.constant 128 : index
// CHECK:         gpu.launch blocks({{.+}}) in ({{.+}} = %[[C8]], {{.+}} = %[[C1]], {{.+}} = %[[C1]]) threads({{.+}}) in ({{.+}} = %[[C128]], {{.+}} = %[[C1]], {{.+}} = %[[C1]])
// CHECK:           arith.cmpi ult, %{{.+}}, %{{.+}} : index
// CHECK:           scf.if
func.func @one_d(%m: memref<1000xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c1000 = arith.constant 1000 : index
  %f = arith.constant 1.0 : f32
  scf.parallel (%i) = (%c0) to (%c1000) step (%c1) {
    memref.store %f, %m[%i] : memref<1000xf32>
  }
  return
}

// CHECK-LABEL: func.func @two_d(
// CHECK-DAG:     %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG:     %[[C8:.+]] = arith.constant 8 : index
// CHECK-DAG:     %[[C64:.+]] = arith.constant 64 : index
// CHECK-DAG:     %[[C128:.+]] = arith.constant 128 : index
// CHECK:         gpu.launch blocks({{.+}}) in ({{.+}} = %[[C64]], {{.+}} = %[[C8]], {{.+}} = %[[C1]]) threads({{.+}}) in ({{.+}} = %[[C1]], {{.+}} = %[[C128]], {{.+}} = %[[C1]])
func.func @two_d(%m: memref<64x1000xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %c1000 = arith.constant 1000 : index
  %f = arith.constant 1.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%c64, %c1000) step (%c1, %c1) {
    memref.store %f, %m[%i, %j] : memref<64x1000xf32>
  }
  return
}

// Four dimensions: the mapping keeps three (x, y, z), so the third gets
// the 128 threads; the fourth runs in a loop.
// CHECK-LABEL: func.func @four_d(
// CHECK-DAG:     %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG:     %[[C2:.+]] = arith.constant 2 : index
// CHECK-DAG:     %[[C3:.+]] = arith.constant 3 : index
// CHECK-DAG:     %[[C4:.+]] = arith.constant 4 : index
// CHECK-DAG:     %[[C128:.+]] = arith.constant 128 : index
// CHECK:         gpu.launch blocks({{.+}}) in ({{.+}} = %[[C2]], {{.+}} = %[[C3]], {{.+}} = %[[C4]]) threads({{.+}}) in ({{.+}} = %[[C1]], {{.+}} = %[[C1]], {{.+}} = %[[C128]])
// CHECK:           scf.for
func.func @four_d(%m: memref<2x3x400x5xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c5 = arith.constant 5 : index
  %c400 = arith.constant 400 : index
  %f = arith.constant 1.0 : f32
  scf.parallel (%a, %b, %c, %d) = (%c0, %c0, %c0, %c0) to (%c2, %c3, %c400, %c5) step (%c1, %c1, %c1, %c1) {
    memref.store %f, %m[%a, %b, %c, %d] : memref<2x3x400x5xf32>
  }
  return
}

// CHECK-LABEL: func.func @nested(
// CHECK-DAG:     %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG:     %[[C8:.+]] = arith.constant 8 : index
// CHECK-DAG:     %[[C16:.+]] = arith.constant 16 : index
// CHECK:         gpu.launch blocks({{.+}}) in ({{.+}} = %[[C8]], {{.+}} = %[[C1]], {{.+}} = %[[C1]]) threads({{.+}}) in ({{.+}} = %[[C16]], {{.+}} = %[[C1]], {{.+}} = %[[C1]])
func.func @nested(%m: memref<8x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %f = arith.constant 1.0 : f32
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    scf.parallel (%j) = (%c0) to (%c16) step (%c1) {
      memref.store %f, %m[%i, %j] : memref<8x16xf32>
    }
  }
  return
}

// A loop with a parallel loop anywhere inside (here under a sequential
// one) is left as it is.
// CHECK-LABEL: func.func @nested_under_for(
// NEST-LABEL:  func.func @nested_under_for(
// NEST-NOT:      arith.constant 128
// NEST:          scf.parallel
// NEST-NEXT:       scf.for
// NEST-NEXT:         scf.parallel
// NEST-NOT:      arith.constant 128
// NEST:          return
func.func @nested_under_for(%m: memref<8x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %f = arith.constant 1.0 : f32
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    scf.for %k = %c0 to %c8 step %c1 {
      scf.parallel (%j) = (%c0) to (%c16) step (%c1) {
        memref.store %f, %m[%i, %j] : memref<8x16xf32>
      }
    }
  }
  return
}

// Run-time bounds: the launch runs only when the loop has iterations
// (no tokens would make an empty grid, an invalid launch).
// CHECK-LABEL: func.func @dynamic(
// CHECK-SAME:      %[[M:[^:]+]]: memref<?x256xf32>)
// CHECK:         %[[ROWS:.+]] = memref.dim %[[M]]
// CHECK:         %[[SOME:.+]] = arith.cmpi sgt, %[[ROWS]], %{{.+}} : index
// CHECK:         scf.if %[[SOME]] {
// CHECK:           gpu.launch blocks({{.+}}) in ({{.+}} = %[[ROWS]], {{.+}}) threads({{.+}}) in ({{.+}} = %{{.+}}, {{.+}} = %c128
// CHECK-LABEL: func.func @static_no_guard(
// CHECK-NOT:     scf.if
// CHECK:         gpu.launch
func.func @dynamic(%m: memref<?x256xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  %rows = memref.dim %m, %c0 : memref<?x256xf32>
  %f = arith.constant 1.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%rows, %c256) step (%c1, %c1) {
    memref.store %f, %m[%i, %j] : memref<?x256xf32>
  }
  return
}
func.func @static_no_guard(%m: memref<4x256xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c256 = arith.constant 256 : index
  %f = arith.constant 1.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c256) step (%c1, %c1) {
    memref.store %f, %m[%i, %j] : memref<4x256xf32>
  }
  return
}
