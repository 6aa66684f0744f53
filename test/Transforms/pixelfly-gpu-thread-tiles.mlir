// RUN: pixelfly-opt %s --pass-pipeline="builtin.module(func.func(pixelfly-gpu-thread-tiles,gpu-map-parallel-loops,convert-parallel-loops-to-gpu,canonicalize))" | FileCheck %s
// RUN: pixelfly-opt %s --pass-pipeline="builtin.module(func.func(pixelfly-gpu-thread-tiles))" | FileCheck %s --check-prefix=NEST

// Host parallel loops are tiled into blocks of 128 threads, x along the
// last dimension, y and z along the ones before while the last leaves
// threads over, without bounds clamping, and mapped: the grid's x takes the
// dimension with the most tiles. Loops already nested are left alone.
// Checked through the conversion that follows in the pipeline: the grid
// and the thread block of each launch (CUDA's bounds: at most 64 threads
// along z, 65535 blocks along y and z) and which thread indexes what.

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
// CHECK:         gpu.launch blocks(%[[BX:.+]], %{{.+}}, %{{.+}}) in ({{.+}} = %[[C64]], {{.+}} = %[[C8]], {{.+}} = %[[C1]]) threads(%[[TX:.+]], %{{.+}}, %{{.+}}) in ({{.+}} = %[[C128]], {{.+}} = %[[C1]], {{.+}} = %[[C1]])
// CHECK:           %[[J:.+]] = arith.addi %[[TX]], %{{.+}} : index
// CHECK:           memref.store %{{.+}}, %{{.+}}[%[[BX]], %[[J]]]
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

// Four dimensions: threads x along the last (5 of 8 busy), y along the
// third (16 of its 400); the grid's x takes the third's 25 tiles, y and z
// the first two; the fourth is one tile.
// CHECK-LABEL: func.func @four_d(
// CHECK-DAG:     %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG:     %[[C2:.+]] = arith.constant 2 : index
// CHECK-DAG:     %[[C3:.+]] = arith.constant 3 : index
// CHECK-DAG:     %[[C8:.+]] = arith.constant 8 : index
// CHECK-DAG:     %[[C16:.+]] = arith.constant 16 : index
// CHECK-DAG:     %[[C25:.+]] = arith.constant 25 : index
// CHECK:         gpu.launch blocks({{.+}}) in ({{.+}} = %[[C25]], {{.+}} = %[[C3]], {{.+}} = %[[C2]]) threads({{.+}}) in ({{.+}} = %[[C8]], {{.+}} = %[[C16]], {{.+}} = %[[C1]])
// CHECK-NOT:       scf.for
// CHECK:           memref.store
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
// CHECK:           gpu.launch blocks({{.+}}) in ({{.+}} = %[[ROWS]], {{.+}} = %c2, {{.+}} = %c1) threads({{.+}}) in ({{.+}} = %c128, {{.+}} = %c1, {{.+}} = %c1)
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

// The block-transposing gather of a butterfly's blocks: 64 threads along
// the last dimension and 2 along the middle one (not 128 along z, past
// CUDA's bound of 64 and half idle).
// CHECK-LABEL: func.func @three_d_block_transpose(
// CHECK-DAG:     %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG:     %[[C2:.+]] = arith.constant 2 : index
// CHECK-DAG:     %[[C32:.+]] = arith.constant 32 : index
// CHECK-DAG:     %[[C64:.+]] = arith.constant 64 : index
// CHECK-DAG:     %[[C192:.+]] = arith.constant 192 : index
// CHECK:         gpu.launch blocks(%[[BX:.+]], %{{.+}}, %{{.+}}) in ({{.+}} = %[[C192]], {{.+}} = %[[C32]], {{.+}} = %[[C1]]) threads(%[[TX:.+]], %{{.+}}, %{{.+}}) in ({{.+}} = %[[C64]], {{.+}} = %[[C2]], {{.+}} = %[[C1]])
// CHECK-NOT:       scf.if
// CHECK:           %[[V:.+]] = memref.load %{{.+}}[%[[BX]], %[[TX]], %[[I:.+]]]
// CHECK:           memref.store %[[V]], %{{.+}}[%[[BX]], %[[I]], %[[TX]]]
func.func @three_d_block_transpose(%src: memref<192x64x64xbf16>, %dst: memref<192x64x64xbf16>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %c192 = arith.constant 192 : index
  scf.parallel (%p, %i, %j) = (%c0, %c0, %c0) to (%c192, %c64, %c64) step (%c1, %c1, %c1) {
    %v = memref.load %src[%p, %j, %i] : memref<192x64x64xbf16>
    memref.store %v, %dst[%p, %i, %j] : memref<192x64x64xbf16>
  }
  return
}

// Tokens by 64 features: 64 x 2 threads, the grid's x over pairs of tokens.
// CHECK-LABEL: func.func @tokens_by_64(
// CHECK:         %[[ROWS:.+]] = memref.dim
// CHECK:         scf.if
// CHECK:           %[[PAIRS:.+]] = affine.apply #{{.+}}()[%[[ROWS]]]
// CHECK:           gpu.launch blocks({{.+}}) in ({{.+}} = %[[PAIRS]], {{.+}} = %c1, {{.+}} = %c1) threads({{.+}}) in ({{.+}} = %c64, {{.+}} = %c2, {{.+}} = %c1)
func.func @tokens_by_64(%m: memref<?x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %rows = memref.dim %m, %c0 : memref<?x64xf32>
  %f = arith.constant 1.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%rows, %c64) step (%c1, %c1) {
    memref.store %f, %m[%i, %j] : memref<?x64xf32>
  }
  return
}

// Two run-time dimensions: the second is on the grid's y only while it has
// at most 65535 tiles; past that a copy of the loop runs it in a loop.
// CHECK-LABEL: func.func @two_dynamic(
// CHECK-DAG:     %[[A:.+]] = memref.dim %{{.+}}, %c0
// CHECK-DAG:     %[[B:.+]] = memref.dim %{{.+}}, %c1
// CHECK:         scf.if
// CHECK:           %[[FITS:.+]] = arith.cmpi sle, %{{.+}}, %c65535
// CHECK:           scf.if %[[FITS]] {
// CHECK:             gpu.launch blocks({{.+}}) in ({{.+}} = %[[A]], {{.+}} = %[[B]], {{.+}} = %c8) threads({{.+}}) in ({{.+}} = %c128, {{.+}} = %c1, {{.+}} = %c1)
// CHECK:           } else {
// CHECK:             gpu.launch blocks({{.+}}) in ({{.+}} = %[[A]], {{.+}} = %c1, {{.+}} = %c8) threads({{.+}}) in ({{.+}} = %c128, {{.+}} = %c1, {{.+}} = %c1)
// CHECK:               scf.for %{{.+}} = %c0 to %[[B]] step %c1
func.func @two_dynamic(%m: memref<?x?x1024xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c1024 = arith.constant 1024 : index
  %a = memref.dim %m, %c0 : memref<?x?x1024xf32>
  %b = memref.dim %m, %c1 : memref<?x?x1024xf32>
  %f = arith.constant 1.0 : f32
  scf.parallel (%i, %j, %k) = (%c0, %c0, %c0) to (%a, %b, %c1024) step (%c1, %c1, %c1) {
    memref.store %f, %m[%i, %j, %k] : memref<?x?x1024xf32>
  }
  return
}

// One iteration: one thread.
// CHECK-LABEL: func.func @scalar(
// CHECK:         gpu.launch blocks({{.+}}) in ({{.+}} = %c1, {{.+}} = %c1, {{.+}} = %c1) threads({{.+}}) in ({{.+}} = %c1, {{.+}} = %c1, {{.+}} = %c1)
func.func @scalar(%m: memref<1xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %f = arith.constant 1.0 : f32
  scf.parallel (%i) = (%c0) to (%c1) step (%c1) {
    memref.store %f, %m[%i] : memref<1xf32>
  }
  return
}

// A last dimension of one: the 128 threads go to the rows.
// CHECK-LABEL: func.func @column(
// CHECK:         gpu.launch blocks({{.+}}) in ({{.+}} = %c782, {{.+}} = %c1, {{.+}} = %c1) threads({{.+}}) in ({{.+}} = %c1, {{.+}} = %c128, {{.+}} = %c1)
func.func @column(%m: memref<100000x1xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c100000 = arith.constant 100000 : index
  %f = arith.constant 1.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%c100000, %c1) step (%c1, %c1) {
    memref.store %f, %m[%i, %j] : memref<100000x1xf32>
  }
  return
}
