// pixelfly-gpu-accumulators keeps a reduction's output element in a
// register across its sequential loops and starts it from the fill before
// it (the fill loop goes). On the CPU the rewritten functions give the same
// results as the parallel loops they come from, bit for bit (inexact
// values: multiples of 1/3, summed in the same order):
// - a column sum over dynamic rows, filled with 0.5;
// - a scalar filled, summed into, then a dot product subtracted from it;
// - a sum over two reduction dimensions;
// - fills moved into both branches of an scf.if, one reduction behind a
//   temporary's fill and reduction, and into an scf.if without an else
//   (which gets one, where the fill stays);
// - a fill that the next loop only overwrites (it goes);
// - refusals: an output that may alias the input (no llvm.noalias), a read
//   between the fill and the reduction, a reduction over a view of part of
//   the filled buffer, a loop over fewer elements than the fill's, one that
//   also reads another element of its output.
// A mutation that starts the dot product from the fill's value instead of
// the sum before it changes the results.
//
// REQUIRES: mlir-runner
// DEFINE: %{run} = mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils | sed -e 's/base@ = 0x[0-9a-f]*//'
// DEFINE: %{loops} = pixelfly-opt --pass-pipeline="builtin.module(func.func(convert-linalg-to-parallel-loops))"
// DEFINE: %{acc} = pixelfly-opt --pass-pipeline="builtin.module(func.func(convert-linalg-to-parallel-loops,pixelfly-gpu-accumulators))"
// RUN: %{acc} %s | FileCheck %s --check-prefix=IR
// RUN: %{loops} %s | pixelfly-opt --pixelfly-cpu-pipeline | %{run} > %t.ref
// RUN: %{acc} %s | pixelfly-opt --pixelfly-cpu-pipeline | %{run} > %t.new
// RUN: diff %t.ref %t.new
// RUN: FileCheck %s --input-file=%t.new
// The mutation: a reduction that adds to a value (the dot product, the
// sums after the copy) starts from the fill's value instead.
// RUN: %{acc} %s > %t.acc.mlir
// RUN: sed -e 's/iter_args(\(%arg[0-9]*\) = %0) -> (f32)/iter_args(\1 = %cst) -> (f32)/' %t.acc.mlir > %t.bad.mlir
// RUN: not diff -q %t.acc.mlir %t.bad.mlir
// RUN: pixelfly-opt %t.bad.mlir --pixelfly-cpu-pipeline | %{run} > %t.bad
// RUN: not diff -q %t.ref %t.bad

// Fourteen results; the first two as computed by hand: 0.5 plus the column
// sums, and the sum of 12 minus a dot product of 7.
// CHECK:      Unranked Memref
// CHECK-NEXT: [2.16667,  2.83333,  3.5,  0.5,  4.83333,  1.83333,  2.5,  3.16667]
// CHECK-NEXT: Unranked Memref
// CHECK-NEXT: [2.22222]
// CHECK-COUNT-12: Unranked Memref
// CHECK-NOT:  Unranked Memref

// The fill is the sum's start; one loop, one store after the reduction.
// IR-LABEL: func.func @col_sum(
// IR-SAME:      %[[X:.*]]: memref<?x8xf32> {llvm.noalias}, %[[OUT:.*]]: memref<8xf32>
// IR:         %[[INIT:.*]] = arith.constant 5.000000e-01 : f32
// IR-NOT:     scf.parallel
// IR:         scf.parallel (%[[J:.*]]) =
// IR-NEXT:      %[[SUM:.*]] = scf.for %[[I:.*]] = {{.*}} iter_args(%[[ACC:.*]] = %[[INIT]]) -> (f32) {
// IR-NEXT:        %[[V:.*]] = memref.load %[[X]][%[[I]], %[[J]]]
// IR-NEXT:        %[[S:.*]] = arith.addf %[[ACC]], %[[V]]
// IR-NEXT:        scf.yield %[[S]]
// IR-NEXT:      }
// IR-NEXT:      memref.store %[[SUM]], %[[OUT]][%[[J]]]
// IR-NOT:     scf.parallel
// IR:         return

// The 0-d fill folds into the sum; the dot product starts from the sum.
// IR-LABEL: func.func @scalar_chain(
// IR-SAME:      %[[OUT:[^:]*]]: memref<1xf32> {llvm.noalias})
// IR:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// IR:         scf.parallel
// IR-NEXT:      scf.for {{.*}} iter_args(%{{.*}} = %[[ZERO]])
// IR:         scf.parallel (%[[I:.*]]) =
// IR-NEXT:      %[[PREV:.*]] = memref.load %[[OUT]][%[[I]]]
// IR-NEXT:      scf.for {{.*}} iter_args(%{{.*}} = %[[PREV]])
// IR-NOT:     scf.parallel
// IR:         return

// Both reduction loops carry the element.
// IR-LABEL: func.func @nested(
// IR:         %[[INIT:.*]] = arith.constant -1.000000e+00 : f32
// IR:         scf.parallel
// IR-NEXT:      %[[OUTER:.*]] = scf.for {{.*}} iter_args(%[[A:.*]] = %[[INIT]])
// IR-NEXT:        %[[INNER:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[A]])
// IR:             scf.yield %[[INNER]]
// IR-NEXT:      }
// IR-NEXT:      memref.store %[[OUTER]]
// IR-NOT:     scf.parallel
// IR:         return

// The fills move into the branches: each folds into the reduction of its
// buffer (behind the temporary's, folded too); the one of an scf.if
// without an else stays in the else it gets.
// IR-LABEL: func.func @branches(
// IR-DAG:     %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// IR-DAG:     %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// IR-DAG:     %[[TWO:.*]] = arith.constant 2.000000e+00 : f32
// IR-NOT:     scf.parallel
// IR:         scf.if
// IR:           memref.alloca
// IR:           scf.parallel
// IR-NEXT:        scf.for {{.*}} iter_args(%{{.*}} = %[[ONE]])
// IR:           scf.parallel
// IR-NEXT:        scf.for {{.*}} iter_args(%{{.*}} = %[[ZERO]])
// IR:         } else {
// IR:           scf.parallel
// IR-NEXT:        scf.for {{.*}} iter_args(%{{.*}} = %[[ZERO]])
// IR:         scf.if
// IR:           scf.parallel
// IR-NEXT:        scf.for {{.*}} iter_args(%{{.*}} = %[[TWO]])
// IR:         } else {
// IR-NEXT:      scf.parallel
// IR-NEXT:        memref.store %[[TWO]]
// IR:         return

// A loop that only overwrites every element the fill wrote: the fill goes.
// IR-LABEL: func.func @overwritten(
// IR:         scf.parallel
// IR-NEXT:      memref.load
// IR-NOT:     scf.parallel
// IR:         return

// Refused: the input may alias the output (no llvm.noalias): the element is
// loaded and stored at every iteration, after the fill.
// IR-LABEL: func.func @may_alias(
// IR:         scf.parallel
// IR-NEXT:      memref.store
// IR:         scf.parallel
// IR-NEXT:      scf.for
// IR-NOT:         iter_args
// IR-NEXT:        memref.load
// IR-NEXT:        memref.load
// IR:             memref.store
// IR:         return

// Refused: the buffer is read between the fill and the reduction (which
// still accumulates in a register, from the loaded value).
// IR-LABEL: func.func @read_between(
// IR:         scf.parallel
// IR-NEXT:      memref.store
// IR:         memref.copy
// IR:         scf.parallel
// IR-NEXT:      %[[E:.*]] = memref.load
// IR-NEXT:      scf.for {{.*}} iter_args(%{{.*}} = %[[E]])
// IR:         return

// Refused: the reduction writes a part of the filled buffer.
// IR-LABEL: func.func @part(
// IR:         scf.parallel
// IR-NEXT:      memref.store
// IR:         scf.parallel
// IR-NEXT:      %[[E:.*]] = memref.load
// IR-NEXT:      scf.for {{.*}} iter_args(%{{.*}} = %[[E]])
// IR:         return

// Refused: the reduction loop (written as one) runs over fewer elements
// than the fill.
// IR-LABEL: func.func @fewer(
// IR:         scf.parallel
// IR-NEXT:      memref.store
// IR:         scf.parallel
// IR-NEXT:      %[[E:.*]] = memref.load
// IR-NEXT:      scf.for {{.*}} iter_args(%{{.*}} = %[[E]])
// IR:         return

// Refused: the reduction also reads another element of its output.
// IR-LABEL: func.func @other_element(
// IR:         scf.parallel
// IR-NEXT:      memref.store
// IR:         scf.parallel
// IR-NEXT:      scf.for
// IR-NOT:         iter_args
// IR:         return

// Reductions as pixelfly-gpu-reductions leaves them: parallel loops first.
// Over the rows of a matrix (j, i: column, row), of a vector (i, k).
#rows = affine_map<(j, i) -> (i, j)>
#col = affine_map<(j, i) -> (j)>
#vec = affine_map<(i, k) -> (k)>
#one = affine_map<(i, k) -> (i)>

func.func @col_sum(%x: memref<?x8xf32> {llvm.noalias}, %out: memref<8xf32> {llvm.noalias}) {
  %init = arith.constant 0.5 : f32
  linalg.fill ins(%init : f32) outs(%out : memref<8xf32>)
  linalg.generic {indexing_maps = [#rows, #col], iterator_types = ["parallel", "reduction"]} ins(%x : memref<?x8xf32>) outs(%out : memref<8xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %s = arith.addf %acc, %v : f32
    linalg.yield %s : f32
  }
  return
}

func.func @scalar_chain(%v: memref<12xf32> {llvm.noalias}, %a: memref<?xf32> {llvm.noalias}, %b: memref<?xf32> {llvm.noalias}, %out: memref<1xf32> {llvm.noalias}) {
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [affine_map<(i) -> ()>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]} ins(%zero : f32) outs(%out : memref<1xf32>) {
  ^bb0(%z: f32, %o: f32):
    linalg.yield %z : f32
  }
  linalg.generic {indexing_maps = [#vec, #one], iterator_types = ["parallel", "reduction"]} ins(%v : memref<12xf32>) outs(%out : memref<1xf32>) {
  ^bb0(%e: f32, %acc: f32):
    %s = arith.addf %acc, %e : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#vec, #vec, #one], iterator_types = ["parallel", "reduction"]} ins(%a, %b : memref<?xf32>, memref<?xf32>) outs(%out : memref<1xf32>) {
  ^bb0(%ea: f32, %eb: f32, %acc: f32):
    %p = arith.mulf %ea, %eb : f32
    %s = arith.subf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

func.func @nested(%x: memref<3x?x5xf32> {llvm.noalias}, %out: memref<5xf32> {llvm.noalias}) {
  %init = arith.constant -1.0 : f32
  linalg.fill ins(%init : f32) outs(%out : memref<5xf32>)
  linalg.generic {indexing_maps = [affine_map<(k, i, j) -> (i, j, k)>, affine_map<(k, i, j) -> (k)>], iterator_types = ["parallel", "reduction", "reduction"]} ins(%x : memref<3x?x5xf32>) outs(%out : memref<5xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %s = arith.addf %acc, %v : f32
    linalg.yield %s : f32
  }
  return
}

func.func @branches(%x: memref<?x4xf32> {llvm.noalias}, %flag: i1, %out: memref<4xf32> {llvm.noalias}, %out2: memref<4xf32> {llvm.noalias}) {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %two = arith.constant 2.0 : f32
  linalg.fill ins(%zero : f32) outs(%out : memref<4xf32>)
  linalg.fill ins(%two : f32) outs(%out2 : memref<4xf32>)
  scf.if %flag {
    %tmp = memref.alloca() : memref<4xf32>
    linalg.fill ins(%one : f32) outs(%tmp : memref<4xf32>)
    linalg.generic {indexing_maps = [#rows, #col], iterator_types = ["parallel", "reduction"]} ins(%x : memref<?x4xf32>) outs(%tmp : memref<4xf32>) {
    ^bb0(%v: f32, %acc: f32):
      %m = arith.maximumf %acc, %v : f32
      linalg.yield %m : f32
    }
    linalg.generic {indexing_maps = [#rows, #col, #col], iterator_types = ["parallel", "reduction"]} ins(%x, %tmp : memref<?x4xf32>, memref<4xf32>) outs(%out : memref<4xf32>) {
    ^bb0(%v: f32, %t: f32, %acc: f32):
      %p = arith.mulf %v, %t : f32
      %s = arith.addf %acc, %p : f32
      linalg.yield %s : f32
    }
  } else {
    linalg.generic {indexing_maps = [#rows, #col], iterator_types = ["parallel", "reduction"]} ins(%x : memref<?x4xf32>) outs(%out : memref<4xf32>) {
    ^bb0(%v: f32, %acc: f32):
      %s = arith.addf %acc, %v : f32
      linalg.yield %s : f32
    }
  }
  scf.if %flag {
    linalg.generic {indexing_maps = [#rows, #col], iterator_types = ["parallel", "reduction"]} ins(%x : memref<?x4xf32>) outs(%out2 : memref<4xf32>) {
    ^bb0(%v: f32, %acc: f32):
      %s = arith.subf %acc, %v : f32
      linalg.yield %s : f32
    }
  }
  return
}

func.func @overwritten(%x: memref<6x4xf32> {llvm.noalias}, %out: memref<6x4xf32> {llvm.noalias}) {
  %init = arith.constant 9.0 : f32
  linalg.fill ins(%init : f32) outs(%out : memref<6x4xf32>)
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%x : memref<6x4xf32>) outs(%out : memref<6x4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %d = arith.addf %v, %v : f32
    linalg.yield %d : f32
  }
  return
}

func.func @may_alias(%x: memref<6x4xf32>, %out: memref<4xf32>) {
  %init = arith.constant 0.25 : f32
  linalg.fill ins(%init : f32) outs(%out : memref<4xf32>)
  linalg.generic {indexing_maps = [#rows, #col], iterator_types = ["parallel", "reduction"]} ins(%x : memref<6x4xf32>) outs(%out : memref<4xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %s = arith.addf %acc, %v : f32
    linalg.yield %s : f32
  }
  return
}

func.func @read_between(%x: memref<6x4xf32> {llvm.noalias}, %out: memref<4xf32> {llvm.noalias}, %copy: memref<4xf32> {llvm.noalias}) {
  %init = arith.constant 3.0 : f32
  linalg.fill ins(%init : f32) outs(%out : memref<4xf32>)
  memref.copy %out, %copy : memref<4xf32> to memref<4xf32>
  linalg.generic {indexing_maps = [#rows, #col], iterator_types = ["parallel", "reduction"]} ins(%x : memref<6x4xf32>) outs(%out : memref<4xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %s = arith.addf %acc, %v : f32
    linalg.yield %s : f32
  }
  return
}

func.func @part(%x: memref<6x4xf32> {llvm.noalias}, %out: memref<8xf32> {llvm.noalias}) {
  %init = arith.constant 0.75 : f32
  linalg.fill ins(%init : f32) outs(%out : memref<8xf32>)
  %sub = memref.subview %out[2] [4] [1] : memref<8xf32> to memref<4xf32, strided<[1], offset: 2>>
  linalg.generic {indexing_maps = [#rows, #col], iterator_types = ["parallel", "reduction"]} ins(%x : memref<6x4xf32>) outs(%sub : memref<4xf32, strided<[1], offset: 2>>) {
  ^bb0(%v: f32, %acc: f32):
    %s = arith.addf %acc, %v : f32
    linalg.yield %s : f32
  }
  return
}

func.func @fewer(%x: memref<6x4xf32> {llvm.noalias}, %out: memref<8xf32> {llvm.noalias}) {
  %init = arith.constant 0.5 : f32
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c6 = arith.constant 6 : index
  linalg.fill ins(%init : f32) outs(%out : memref<8xf32>)
  scf.parallel (%j) = (%c0) to (%c4) step (%c1) {
    scf.for %i = %c0 to %c6 step %c1 {
      %v = memref.load %x[%i, %j] : memref<6x4xf32>
      %acc = memref.load %out[%j] : memref<8xf32>
      %s = arith.addf %acc, %v : f32
      memref.store %s, %out[%j] : memref<8xf32>
    }
    scf.reduce
  }
  return
}

func.func @other_element(%x: memref<6x4xf32> {llvm.noalias}, %out: memref<4xf32> {llvm.noalias}) {
  %init = arith.constant 1.0 : f32
  linalg.fill ins(%init : f32) outs(%out : memref<4xf32>)
  linalg.generic {indexing_maps = [#rows, affine_map<(j, i) -> (3 - j)>, #col], iterator_types = ["parallel", "reduction"]} ins(%x, %out : memref<6x4xf32>, memref<4xf32>) outs(%out : memref<4xf32>) {
  ^bb0(%v: f32, %o: f32, %acc: f32):
    %p = arith.mulf %v, %o : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// Fills `buf` (viewed flat) with ((5 i + salt) mod 11 - 4) / 3.
func.func @gen(%buf: memref<?xf32>, %salt: index) {
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>], iterator_types = ["parallel"]} outs(%buf : memref<?xf32>) {
  ^bb0(%o: f32):
    %i = linalg.index 0 : index
    %c5 = arith.constant 5 : index
    %c11 = arith.constant 11 : index
    %a = arith.muli %i, %c5 : index
    %as = arith.addi %a, %salt : index
    %r = arith.remui %as, %c11 : index
    %ri = arith.index_cast %r : index to i64
    %rf = arith.sitofp %ri : i64 to f32
    %four = arith.constant 4.0 : f32
    %three = arith.constant 3.0 : f32
    %v = arith.subf %rf, %four : f32
    %q = arith.divf %v, %three : f32
    linalg.yield %q : f32
  }
  return
}

func.func private @printMemrefF32(memref<*xf32>)

func.func @print(%m: memref<?xf32>) {
  %u = memref.cast %m : memref<?xf32> to memref<*xf32>
  func.call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  return
}

func.func @main() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c7 = arith.constant 7 : index
  %true = arith.constant true
  %false = arith.constant false
  // One input of 7 x 8 = 56 values, viewed as each function needs.
  %data = memref.alloc() : memref<120xf32>
  %dd = memref.cast %data : memref<120xf32> to memref<?xf32>
  func.call @gen(%dd, %c1) : (memref<?xf32>, index) -> ()
  %o8 = memref.alloc() : memref<8xf32>
  %o8d = memref.cast %o8 : memref<8xf32> to memref<?xf32>
  %o4 = memref.alloc() : memref<4xf32>
  %o4d = memref.cast %o4 : memref<4xf32> to memref<?xf32>
  %o4b = memref.alloc() : memref<4xf32>
  %o4bd = memref.cast %o4b : memref<4xf32> to memref<?xf32>
  %o5 = memref.alloc() : memref<5xf32>
  %o5d = memref.cast %o5 : memref<5xf32> to memref<?xf32>
  %o1 = memref.alloc() : memref<1xf32>
  %o1d = memref.cast %o1 : memref<1xf32> to memref<?xf32>

  %x7x8 = memref.subview %data[0] [56] [1] : memref<120xf32> to memref<56xf32>
  %x78 = memref.expand_shape %x7x8 [[0, 1]] output_shape [7, 8] : memref<56xf32> into memref<7x8xf32>
  %x78d = memref.cast %x78 : memref<7x8xf32> to memref<?x8xf32>
  func.call @col_sum(%x78d, %o8) : (memref<?x8xf32>, memref<8xf32>) -> ()
  func.call @print(%o8d) : (memref<?xf32>) -> ()

  %v12 = memref.subview %data[3] [12] [1] : memref<120xf32> to memref<12xf32, strided<[1], offset: 3>>
  %v = memref.alloc() : memref<12xf32>
  memref.copy %v12, %v : memref<12xf32, strided<[1], offset: 3>> to memref<12xf32>
  %a = memref.subview %data[20] [7] [1] : memref<120xf32> to memref<7xf32, strided<[1], offset: 20>>
  %b = memref.subview %data[40] [7] [1] : memref<120xf32> to memref<7xf32, strided<[1], offset: 40>>
  %ad = memref.alloc(%c7) : memref<?xf32>
  %bd = memref.alloc(%c7) : memref<?xf32>
  memref.copy %a, %ad : memref<7xf32, strided<[1], offset: 20>> to memref<?xf32>
  memref.copy %b, %bd : memref<7xf32, strided<[1], offset: 40>> to memref<?xf32>
  func.call @scalar_chain(%v, %ad, %bd, %o1) : (memref<12xf32>, memref<?xf32>, memref<?xf32>, memref<1xf32>) -> ()
  func.call @print(%o1d) : (memref<?xf32>) -> ()

  %x105 = memref.subview %data[0] [105] [1] : memref<120xf32> to memref<105xf32>
  %x375 = memref.expand_shape %x105 [[0, 1, 2]] output_shape [3, 7, 5] : memref<105xf32> into memref<3x7x5xf32>
  %x375d = memref.cast %x375 : memref<3x7x5xf32> to memref<3x?x5xf32>
  func.call @nested(%x375d, %o5) : (memref<3x?x5xf32>, memref<5xf32>) -> ()
  func.call @print(%o5d) : (memref<?xf32>) -> ()

  %x28 = memref.subview %data[8] [28] [1] : memref<120xf32> to memref<28xf32, strided<[1], offset: 8>>
  %x74 = memref.alloc() : memref<7x4xf32>
  %x74f = memref.collapse_shape %x74 [[0, 1]] : memref<7x4xf32> into memref<28xf32>
  memref.copy %x28, %x74f : memref<28xf32, strided<[1], offset: 8>> to memref<28xf32>
  %x74d = memref.cast %x74 : memref<7x4xf32> to memref<?x4xf32>
  func.call @branches(%x74d, %true, %o4, %o4b) : (memref<?x4xf32>, i1, memref<4xf32>, memref<4xf32>) -> ()
  func.call @print(%o4d) : (memref<?xf32>) -> ()
  func.call @print(%o4bd) : (memref<?xf32>) -> ()
  func.call @branches(%x74d, %false, %o4, %o4b) : (memref<?x4xf32>, i1, memref<4xf32>, memref<4xf32>) -> ()
  func.call @print(%o4d) : (memref<?xf32>) -> ()
  func.call @print(%o4bd) : (memref<?xf32>) -> ()

  %x64 = memref.subview %x74[0, 0] [6, 4] [1, 1] : memref<7x4xf32> to memref<6x4xf32, strided<[4, 1]>>
  %x6 = memref.alloc() : memref<6x4xf32>
  memref.copy %x64, %x6 : memref<6x4xf32, strided<[4, 1]>> to memref<6x4xf32>
  %o64 = memref.alloc() : memref<6x4xf32>
  %o64f = memref.collapse_shape %o64 [[0, 1]] : memref<6x4xf32> into memref<24xf32>
  %o64d = memref.cast %o64f : memref<24xf32> to memref<?xf32>
  func.call @overwritten(%x6, %o64) : (memref<6x4xf32>, memref<6x4xf32>) -> ()
  func.call @print(%o64d) : (memref<?xf32>) -> ()
  func.call @may_alias(%x6, %o4) : (memref<6x4xf32>, memref<4xf32>) -> ()
  func.call @print(%o4d) : (memref<?xf32>) -> ()
  func.call @read_between(%x6, %o4, %o4b) : (memref<6x4xf32>, memref<4xf32>, memref<4xf32>) -> ()
  func.call @print(%o4d) : (memref<?xf32>) -> ()
  func.call @print(%o4bd) : (memref<?xf32>) -> ()
  func.call @part(%x6, %o8) : (memref<6x4xf32>, memref<8xf32>) -> ()
  func.call @print(%o8d) : (memref<?xf32>) -> ()
  func.call @fewer(%x6, %o8) : (memref<6x4xf32>, memref<8xf32>) -> ()
  func.call @print(%o8d) : (memref<?xf32>) -> ()
  func.call @other_element(%x6, %o4) : (memref<6x4xf32>, memref<4xf32>) -> ()
  func.call @print(%o4d) : (memref<?xf32>) -> ()
  return
}
