// pixelfly-gpu-horizontal-fusion runs independent elementwise ops (here an
// SGD-with-momentum update of a 4 x 6 weight, of a 5-element bias whose
// size is only known at run time, and of a scalar) as one loop over their
// elements laid end to end. On the CPU the fused function gives the same
// results as the original, bit for bit (inexact values: multiples of 1/3).
// A mutation that mixes up a member's outputs makes them differ.
//
// REQUIRES: mlir-runner
// DEFINE: %{run} = mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils | sed -e 's/base@ = 0x[0-9a-f]*//'
// RUN: pixelfly-opt %s --pass-pipeline="builtin.module(func.func(pixelfly-gpu-horizontal-fusion))" | FileCheck %s --check-prefix=IR
// RUN: pixelfly-opt %s --pixelfly-cpu-pipeline | %{run} > %t.ref
// RUN: pixelfly-opt %s --pass-pipeline="builtin.module(func.func(pixelfly-gpu-horizontal-fusion))" \
// RUN: | pixelfly-opt --pixelfly-cpu-pipeline | %{run} > %t.new
// RUN: diff %t.ref %t.new
// RUN: FileCheck %s --input-file=%t.new
// The mutation: the weight's new momentum stored where its new value goes.
// RUN: pixelfly-opt %s --pass-pipeline="builtin.module(func.func(pixelfly-gpu-horizontal-fusion))" > %t.fused.mlir
// RUN: sed -e 's/memref.store \(%[0-9]*\), %collapse_shape_3/memref.store \1, %collapse_shape_2/' %t.fused.mlir > %t.bad.mlir
// RUN: not diff -q %t.fused.mlir %t.bad.mlir
// RUN: pixelfly-opt %t.bad.mlir --pixelfly-cpu-pipeline | %{run} > %t.bad
// RUN: not diff -q %t.ref %t.bad

// IR-LABEL: func.func @updates(
// IR:         scf.parallel
// IR-COUNT-3:   scf.if
// IR-NOT:     linalg.generic
// IR-LABEL: func.func @fill(

// Four results.
// CHECK-COUNT-4: Unranked Memref
// CHECK-NOT:     Unranked Memref

func.func @updates(%w: memref<4x6xf32> {llvm.noalias}, %m: memref<4x6xf32> {llvm.noalias}, %g: memref<4x6xf32> {llvm.noalias}, %b: memref<?xf32> {llvm.noalias}, %gb: memref<?xf32> {llvm.noalias}, %s: memref<1xf32> {llvm.noalias}, %gs: memref<1xf32> {llvm.noalias}, %lr: memref<f32> {llvm.noalias}, %wo: memref<4x6xf32> {llvm.noalias}, %mo: memref<4x6xf32> {llvm.noalias}, %bo: memref<?xf32> {llvm.noalias}, %so: memref<1xf32> {llvm.noalias}) {
  %beta = arith.constant 0.5 : f32
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> ()>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%w, %m, %g, %lr : memref<4x6xf32>, memref<4x6xf32>, memref<4x6xf32>, memref<f32>) outs(%wo, %mo : memref<4x6xf32>, memref<4x6xf32>) {
  ^bb0(%wv: f32, %mv: f32, %gv: f32, %l: f32, %o1: f32, %o2: f32):
    %bm = arith.mulf %mv, %beta : f32
    %nm = arith.addf %bm, %gv : f32
    %st = arith.mulf %nm, %l : f32
    %nw = arith.subf %wv, %st : f32
    linalg.yield %nw, %nm : f32, f32
  }
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>, affine_map<(i) -> ()>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]} ins(%b, %gb, %lr : memref<?xf32>, memref<?xf32>, memref<f32>) outs(%bo : memref<?xf32>) {
  ^bb0(%bv: f32, %gv: f32, %l: f32, %o: f32):
    %st = arith.mulf %gv, %l : f32
    %nb = arith.subf %bv, %st : f32
    linalg.yield %nb : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]} ins(%s, %gs : memref<1xf32>, memref<1xf32>) outs(%so : memref<1xf32>) {
  ^bb0(%sv: f32, %gv: f32, %o: f32):
    %ns = arith.subf %sv, %gv : f32
    linalg.yield %ns : f32
  }
  return
}

// Fills `buf` (viewed flat) with ((5 i + salt) mod 7 - 3) / 3.
func.func @fill(%buf: memref<?xf32>, %salt: index) {
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>], iterator_types = ["parallel"]} outs(%buf : memref<?xf32>) {
  ^bb0(%o: f32):
    %i = linalg.index 0 : index
    %c5 = arith.constant 5 : index
    %c7 = arith.constant 7 : index
    %a = arith.muli %i, %c5 : index
    %as = arith.addi %a, %salt : index
    %r = arith.remui %as, %c7 : index
    %ri = arith.index_cast %r : index to i64
    %rf = arith.sitofp %ri : i64 to f32
    %three = arith.constant 3.0 : f32
    %v = arith.subf %rf, %three : f32
    %q = arith.divf %v, %three : f32
    linalg.yield %q : f32
  }
  return
}

func.func private @printMemrefF32(memref<*xf32>)

func.func @main() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %c6 = arith.constant 6 : index
  %w = memref.alloc() : memref<24xf32>
  %m = memref.alloc() : memref<24xf32>
  %g = memref.alloc() : memref<24xf32>
  %b = memref.alloc(%c5) : memref<?xf32>
  %gb = memref.alloc(%c5) : memref<?xf32>
  %s = memref.alloc() : memref<1xf32>
  %gs = memref.alloc() : memref<1xf32>
  %lr = memref.alloc() : memref<1xf32>
  %wd = memref.cast %w : memref<24xf32> to memref<?xf32>
  %md = memref.cast %m : memref<24xf32> to memref<?xf32>
  %gd = memref.cast %g : memref<24xf32> to memref<?xf32>
  %sd = memref.cast %s : memref<1xf32> to memref<?xf32>
  %gsd = memref.cast %gs : memref<1xf32> to memref<?xf32>
  %lrd = memref.cast %lr : memref<1xf32> to memref<?xf32>
  func.call @fill(%wd, %c0) : (memref<?xf32>, index) -> ()
  func.call @fill(%md, %c1) : (memref<?xf32>, index) -> ()
  func.call @fill(%gd, %c2) : (memref<?xf32>, index) -> ()
  func.call @fill(%b, %c3) : (memref<?xf32>, index) -> ()
  func.call @fill(%gb, %c4) : (memref<?xf32>, index) -> ()
  func.call @fill(%sd, %c5) : (memref<?xf32>, index) -> ()
  func.call @fill(%gsd, %c6) : (memref<?xf32>, index) -> ()
  func.call @fill(%lrd, %c2) : (memref<?xf32>, index) -> ()
  %wo = memref.alloc() : memref<4x6xf32>
  %mo = memref.alloc() : memref<4x6xf32>
  %bo = memref.alloc(%c5) : memref<?xf32>
  %so = memref.alloc() : memref<1xf32>
  %w2 = memref.expand_shape %w [[0, 1]] output_shape [4, 6] : memref<24xf32> into memref<4x6xf32>
  %m2 = memref.expand_shape %m [[0, 1]] output_shape [4, 6] : memref<24xf32> into memref<4x6xf32>
  %g2 = memref.expand_shape %g [[0, 1]] output_shape [4, 6] : memref<24xf32> into memref<4x6xf32>
  %lr0 = memref.collapse_shape %lr [] : memref<1xf32> into memref<f32>
  func.call @updates(%w2, %m2, %g2, %b, %gb, %s, %gs, %lr0, %wo, %mo, %bo, %so) : (memref<4x6xf32>, memref<4x6xf32>, memref<4x6xf32>, memref<?xf32>, memref<?xf32>, memref<1xf32>, memref<1xf32>, memref<f32>, memref<4x6xf32>, memref<4x6xf32>, memref<?xf32>, memref<1xf32>) -> ()
  %p1 = memref.cast %wo : memref<4x6xf32> to memref<*xf32>
  %p2 = memref.cast %mo : memref<4x6xf32> to memref<*xf32>
  %p3 = memref.cast %bo : memref<?xf32> to memref<*xf32>
  %p4 = memref.cast %so : memref<1xf32> to memref<*xf32>
  func.call @printMemrefF32(%p1) : (memref<*xf32>) -> ()
  func.call @printMemrefF32(%p2) : (memref<*xf32>) -> ()
  func.call @printMemrefF32(%p3) : (memref<*xf32>) -> ()
  func.call @printMemrefF32(%p4) : (memref<*xf32>) -> ()
  return
}
