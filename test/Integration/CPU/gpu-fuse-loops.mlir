// pixelfly-gpu-fuse-loops runs a parallel loop's body at the start of the
// next loop's over the same space, past ops that cannot see its buffers.
// On the CPU the fused functions give the same results as the loops they
// come from, bit for bit (inexact values: multiples of 1/3):
// - a gate's row sums (16 partials per token) and its sigmoid, with the
//   sigmoid's output allocated between them, bounds that are different
//   `memref.dim`s of one size;
// - three elementwise loops in a row (the first two fuse, then the third);
// - refusals: the second loop reads the first's result at another element;
//   an op between them reads the first's output; different spaces; the
//   first writes a 0-d value the second reads; buffers that may alias
//   (no llvm.noalias);
// - a split sum's rest after an scf.if moves into both branches and joins
//   each branch's last loop; not where a branch reads the sum after it.
// A mutation that reads another token's sum in the fused sigmoid changes
// the results.
//
// REQUIRES: mlir-runner
// DEFINE: %{run} = mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils | sed -e 's/base@ = 0x[0-9a-f]*//'
// DEFINE: %{loops} = pixelfly-opt --pass-pipeline="builtin.module(func.func(convert-linalg-to-parallel-loops))"
// DEFINE: %{fuse} = pixelfly-opt --pass-pipeline="builtin.module(func.func(convert-linalg-to-parallel-loops,pixelfly-gpu-fuse-loops))"
// RUN: %{fuse} %s | FileCheck %s --check-prefix=IR
// RUN: %{loops} %s | pixelfly-opt --pixelfly-cpu-pipeline | %{run} > %t.ref
// RUN: %{fuse} %s | pixelfly-opt --pixelfly-cpu-pipeline | %{run} > %t.new
// RUN: diff %t.ref %t.new
// RUN: FileCheck %s --input-file=%t.new
// The mutation: the fused sigmoid reads the first token's sum.
// RUN: %{fuse} %s > %t.fused.mlir
// RUN: sed -e 's/%0 = memref.load %alloc\[%arg2\]/%0 = memref.load %alloc[%c0]/' %t.fused.mlir > %t.bad.mlir
// RUN: not diff -q %t.fused.mlir %t.bad.mlir
// RUN: pixelfly-opt %t.bad.mlir --pixelfly-cpu-pipeline | %{run} > %t.bad
// RUN: not diff -q %t.ref %t.bad

// Sixteen results, the first as computed by hand (z sigmoid(z), z the sum
// of each token's 16 values).
// CHECK:      Unranked Memref
// CHECK-NEXT: [4.2772,  5.64713,  3.21852,  8.33133,  2.12707]
// CHECK-COUNT-15: Unranked Memref
// CHECK-NOT:  Unranked Memref

// The fill, the sums, the sigmoid (its output allocated before it) and the
// product: one loop, the sums' bounds (a dim of the input) and the others'
// (dims of allocations of that size) resolved to one size.
// IR-LABEL: func.func @gate(
// IR:         memref.alloc
// IR:         memref.alloc
// IR-NOT:     scf.parallel
// IR:         scf.parallel
// IR-NEXT:      memref.store
// IR-NEXT:      scf.for
// IR:           math.exp
// IR:           arith.mulf
// IR-NOT:     scf.parallel
// IR:         return

// IR-LABEL: func.func @chain(
// IR:         scf.parallel
// IR-COUNT-3:   memref.store
// IR-NOT:     scf.parallel
// IR:         return

// Refusals: two loops each.
// IR-LABEL: func.func @reversed(
// IR-COUNT-2: scf.parallel
// IR-LABEL: func.func @read_between(
// IR:         scf.parallel
// IR:         memref.copy
// IR:         scf.parallel
// IR-LABEL: func.func @spaces(
// IR-COUNT-2: scf.parallel
// The fill and the sum into `t` fuse; the read of its 0-d view does not.
// IR-LABEL: func.func @scalar(
// IR-COUNT-2: scf.parallel
// IR-LABEL: func.func @may_alias(
// IR-COUNT-2: scf.parallel
// The rest moves into both branches, each time right after the loop that
// combines the partials, and joins it (past the copy of other buffers).
// IR-LABEL: func.func @rest(
// IR:         scf.if
// IR-NEXT:      scf.parallel
// IR-COUNT-2:     scf.for
// IR-NOT:       scf.parallel
// IR:         } else {
// IR-NEXT:      scf.parallel
// IR-COUNT-2:     scf.for
// IR:           memref.copy
// IR-NEXT:    }
// IR-NEXT:    return
// Refused: the copy of the sum would see the rest.
// IR-LABEL: func.func @rest_read(
// IR:         memref.copy
// IR-NEXT:    }
// IR-NEXT:    scf.parallel
// IR-LABEL: func.func @gen(

#id = affine_map<(i) -> (i)>
#rows = affine_map<(i, k) -> (i, k)>
#row = affine_map<(i, k) -> (i)>
// Column sums: (j, i), j the column.
#byrow = affine_map<(j, i) -> (i, j)>
#cols = affine_map<(j, i) -> (j)>

func.func @gate(%p: memref<?x16xf32> {llvm.noalias}, %out: memref<?xf32> {llvm.noalias}) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %m = memref.dim %p, %c0 : memref<?x16xf32>
  %z = memref.alloc(%m) : memref<?xf32>
  linalg.fill ins(%zero : f32) outs(%z : memref<?xf32>)
  linalg.generic {indexing_maps = [#rows, #row], iterator_types = ["parallel", "reduction"]} ins(%p : memref<?x16xf32>) outs(%z : memref<?xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %s = arith.addf %acc, %v : f32
    linalg.yield %s : f32
  }
  %s = memref.alloc(%m) : memref<?xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%z : memref<?xf32>) outs(%s : memref<?xf32>) {
  ^bb0(%v: f32, %o: f32):
    %one = arith.constant 1.0 : f32
    %n = arith.negf %v : f32
    %e = math.exp %n : f32
    %d = arith.addf %one, %e : f32
    %g = arith.divf %one, %d : f32
    linalg.yield %g : f32
  }
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]} ins(%z, %s : memref<?xf32>, memref<?xf32>) outs(%out : memref<?xf32>) {
  ^bb0(%v: f32, %g: f32, %o: f32):
    %r = arith.mulf %v, %g : f32
    linalg.yield %r : f32
  }
  return
}

func.func @chain(%a: memref<6x4xf32> {llvm.noalias}, %b: memref<6x4xf32> {llvm.noalias}, %c: memref<6x4xf32> {llvm.noalias}) {
  linalg.generic {indexing_maps = [#rows, #rows], iterator_types = ["parallel", "parallel"]} ins(%a : memref<6x4xf32>) outs(%b : memref<6x4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.mulf %v, %v : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [#rows, #rows, #rows], iterator_types = ["parallel", "parallel"]} ins(%a, %b : memref<6x4xf32>, memref<6x4xf32>) outs(%c : memref<6x4xf32>) {
  ^bb0(%v: f32, %w: f32, %o: f32):
    %r = arith.subf %w, %v : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [#rows, #rows], iterator_types = ["parallel", "parallel"]} ins(%c : memref<6x4xf32>) outs(%a : memref<6x4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %h = arith.constant 0.5 : f32
    %r = arith.mulf %v, %h : f32
    linalg.yield %r : f32
  }
  return
}

func.func @reversed(%a: memref<5xf32> {llvm.noalias}, %b: memref<5xf32> {llvm.noalias}, %c: memref<5xf32> {llvm.noalias}) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%a : memref<5xf32>) outs(%b : memref<5xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.addf %v, %v : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i) -> (4 - i)>, #id], iterator_types = ["parallel"]} ins(%b : memref<5xf32>) outs(%c : memref<5xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.mulf %v, %v : f32
    linalg.yield %r : f32
  }
  return
}

func.func @read_between(%a: memref<5xf32> {llvm.noalias}, %b: memref<5xf32> {llvm.noalias}, %c: memref<5xf32> {llvm.noalias}, %copy: memref<5xf32> {llvm.noalias}) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%a : memref<5xf32>) outs(%b : memref<5xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.addf %v, %v : f32
    linalg.yield %r : f32
  }
  memref.copy %b, %copy : memref<5xf32> to memref<5xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%a : memref<5xf32>) outs(%c : memref<5xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.mulf %v, %v : f32
    linalg.yield %r : f32
  }
  return
}

func.func @spaces(%a: memref<5xf32> {llvm.noalias}, %b: memref<5xf32> {llvm.noalias}, %c: memref<4xf32> {llvm.noalias}) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%a : memref<5xf32>) outs(%b : memref<5xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.addf %v, %v : f32
    linalg.yield %r : f32
  }
  %a4 = memref.subview %a[1] [4] [1] : memref<5xf32> to memref<4xf32, strided<[1], offset: 1>>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%a4 : memref<4xf32, strided<[1], offset: 1>>) outs(%c : memref<4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.mulf %v, %v : f32
    linalg.yield %r : f32
  }
  return
}

func.func @scalar(%a: memref<5xf32> {llvm.noalias}, %t: memref<1xf32> {llvm.noalias}, %c: memref<1xf32> {llvm.noalias}) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%t : memref<1xf32>)
  %t0 = memref.collapse_shape %t [] : memref<1xf32> into memref<f32>
  linalg.generic {indexing_maps = [affine_map<(i, k) -> (k)>, #row], iterator_types = ["parallel", "reduction"]} ins(%a : memref<5xf32>) outs(%t : memref<1xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.addf %o, %v : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i) -> ()>, #id], iterator_types = ["parallel"]} ins(%t0 : memref<f32>) outs(%c : memref<1xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.mulf %v, %v : f32
    linalg.yield %r : f32
  }
  return
}

func.func @may_alias(%a: memref<5xf32>, %b: memref<5xf32>, %c: memref<5xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%a : memref<5xf32>) outs(%b : memref<5xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.addf %v, %v : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%c : memref<5xf32>) outs(%a : memref<5xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.mulf %v, %v : f32
    linalg.yield %r : f32
  }
  return
}

// A split sum's rest after the branches that combine its partials.
func.func @rest(%flag: i1, %p: memref<3x4xf32> {llvm.noalias}, %tail: memref<2x4xf32> {llvm.noalias}, %out: memref<4xf32> {llvm.noalias}, %copy: memref<4xf32> {llvm.noalias}) {
  scf.if %flag {
    linalg.generic {indexing_maps = [#byrow, #cols], iterator_types = ["parallel", "reduction"]} ins(%p : memref<3x4xf32>) outs(%out : memref<4xf32>) {
    ^bb0(%v: f32, %acc: f32):
      %s = arith.addf %acc, %v : f32
      linalg.yield %s : f32
    }
  } else {
    linalg.generic {indexing_maps = [#byrow, #cols], iterator_types = ["parallel", "reduction"]} ins(%p : memref<3x4xf32>) outs(%out : memref<4xf32>) {
    ^bb0(%v: f32, %acc: f32):
      %m = arith.maximumf %acc, %v : f32
      linalg.yield %m : f32
    }
    // Touches none of the rest's buffers.
    %scratch = memref.alloca() : memref<3x4xf32>
    memref.copy %p, %scratch : memref<3x4xf32> to memref<3x4xf32>
  }
  linalg.generic {indexing_maps = [#byrow, #cols], iterator_types = ["parallel", "reduction"]} ins(%tail : memref<2x4xf32>) outs(%out : memref<4xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %s = arith.subf %acc, %v : f32
    linalg.yield %s : f32
  }
  return
}

// The same, but a branch reads the sum after its last loop.
func.func @rest_read(%flag: i1, %p: memref<3x4xf32> {llvm.noalias}, %tail: memref<2x4xf32> {llvm.noalias}, %out: memref<4xf32> {llvm.noalias}, %copy: memref<4xf32> {llvm.noalias}) {
  scf.if %flag {
    linalg.generic {indexing_maps = [#byrow, #cols], iterator_types = ["parallel", "reduction"]} ins(%p : memref<3x4xf32>) outs(%out : memref<4xf32>) {
    ^bb0(%v: f32, %acc: f32):
      %s = arith.addf %acc, %v : f32
      linalg.yield %s : f32
    }
  } else {
    linalg.generic {indexing_maps = [#byrow, #cols], iterator_types = ["parallel", "reduction"]} ins(%p : memref<3x4xf32>) outs(%out : memref<4xf32>) {
    ^bb0(%v: f32, %acc: f32):
      %m = arith.maximumf %acc, %v : f32
      linalg.yield %m : f32
    }
    memref.copy %out, %copy : memref<4xf32> to memref<4xf32>
  }
  linalg.generic {indexing_maps = [#byrow, #cols], iterator_types = ["parallel", "reduction"]} ins(%tail : memref<2x4xf32>) outs(%out : memref<4xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %s = arith.subf %acc, %v : f32
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
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %c7 = arith.constant 7 : index
  %data = memref.alloc() : memref<80xf32>
  %dd = memref.cast %data : memref<80xf32> to memref<?xf32>
  func.call @gen(%dd, %c1) : (memref<?xf32>, index) -> ()

  %p = memref.expand_shape %data [[0, 1]] output_shape [5, 16] : memref<80xf32> into memref<5x16xf32>
  %pd = memref.cast %p : memref<5x16xf32> to memref<?x16xf32>
  %g = memref.alloc(%c5) : memref<?xf32>
  func.call @gate(%pd, %g) : (memref<?x16xf32>, memref<?xf32>) -> ()
  func.call @print(%g) : (memref<?xf32>) -> ()

  %a = memref.alloc() : memref<6x4xf32>
  %af = memref.collapse_shape %a [[0, 1]] : memref<6x4xf32> into memref<24xf32>
  %afd = memref.cast %af : memref<24xf32> to memref<?xf32>
  func.call @gen(%afd, %c2) : (memref<?xf32>, index) -> ()
  %b = memref.alloc() : memref<6x4xf32>
  %c = memref.alloc() : memref<6x4xf32>
  func.call @chain(%a, %b, %c) : (memref<6x4xf32>, memref<6x4xf32>, memref<6x4xf32>) -> ()
  %bf = memref.collapse_shape %b [[0, 1]] : memref<6x4xf32> into memref<24xf32>
  %bfd = memref.cast %bf : memref<24xf32> to memref<?xf32>
  %cf = memref.collapse_shape %c [[0, 1]] : memref<6x4xf32> into memref<24xf32>
  %cfd = memref.cast %cf : memref<24xf32> to memref<?xf32>
  func.call @print(%afd) : (memref<?xf32>) -> ()
  func.call @print(%bfd) : (memref<?xf32>) -> ()
  func.call @print(%cfd) : (memref<?xf32>) -> ()

  %x = memref.alloc() : memref<5xf32>
  %xd = memref.cast %x : memref<5xf32> to memref<?xf32>
  func.call @gen(%xd, %c3) : (memref<?xf32>, index) -> ()
  %y = memref.alloc() : memref<5xf32>
  %yd = memref.cast %y : memref<5xf32> to memref<?xf32>
  %z = memref.alloc() : memref<5xf32>
  %zd = memref.cast %z : memref<5xf32> to memref<?xf32>
  %w = memref.alloc() : memref<5xf32>
  %wd = memref.cast %w : memref<5xf32> to memref<?xf32>
  func.call @reversed(%x, %y, %z) : (memref<5xf32>, memref<5xf32>, memref<5xf32>) -> ()
  func.call @print(%zd) : (memref<?xf32>) -> ()
  func.call @read_between(%x, %y, %z, %w) : (memref<5xf32>, memref<5xf32>, memref<5xf32>, memref<5xf32>) -> ()
  func.call @print(%zd) : (memref<?xf32>) -> ()
  func.call @print(%wd) : (memref<?xf32>) -> ()
  %z4 = memref.alloc() : memref<4xf32>
  %z4d = memref.cast %z4 : memref<4xf32> to memref<?xf32>
  func.call @spaces(%x, %y, %z4) : (memref<5xf32>, memref<5xf32>, memref<4xf32>) -> ()
  func.call @print(%yd) : (memref<?xf32>) -> ()
  func.call @print(%z4d) : (memref<?xf32>) -> ()
  %t = memref.alloc() : memref<1xf32>
  %td = memref.cast %t : memref<1xf32> to memref<?xf32>
  %s = memref.alloc() : memref<1xf32>
  %sd = memref.cast %s : memref<1xf32> to memref<?xf32>
  func.call @scalar(%x, %t, %s) : (memref<5xf32>, memref<1xf32>, memref<1xf32>) -> ()
  func.call @print(%sd) : (memref<?xf32>) -> ()
  %true = arith.constant true
  %false = arith.constant false
  %p34 = memref.alloc() : memref<3x4xf32>
  %p34f = memref.collapse_shape %p34 [[0, 1]] : memref<3x4xf32> into memref<12xf32>
  %p34d = memref.cast %p34f : memref<12xf32> to memref<?xf32>
  func.call @gen(%p34d, %c4) : (memref<?xf32>, index) -> ()
  %t24 = memref.alloc() : memref<2x4xf32>
  %t24f = memref.collapse_shape %t24 [[0, 1]] : memref<2x4xf32> into memref<8xf32>
  %t24d = memref.cast %t24f : memref<8xf32> to memref<?xf32>
  func.call @gen(%t24d, %c5) : (memref<?xf32>, index) -> ()
  %o = memref.alloc() : memref<4xf32>
  %od = memref.cast %o : memref<4xf32> to memref<?xf32>
  %cp = memref.alloc() : memref<4xf32>
  %cpd = memref.cast %cp : memref<4xf32> to memref<?xf32>
  // The sums add to what the output holds.
  func.call @gen(%od, %c7) : (memref<?xf32>, index) -> ()
  func.call @rest(%true, %p34, %t24, %o, %cp) : (i1, memref<3x4xf32>, memref<2x4xf32>, memref<4xf32>, memref<4xf32>) -> ()
  func.call @print(%od) : (memref<?xf32>) -> ()
  func.call @rest(%false, %p34, %t24, %o, %cp) : (i1, memref<3x4xf32>, memref<2x4xf32>, memref<4xf32>, memref<4xf32>) -> ()
  func.call @print(%od) : (memref<?xf32>) -> ()
  func.call @rest_read(%false, %p34, %t24, %o, %cp) : (i1, memref<3x4xf32>, memref<2x4xf32>, memref<4xf32>, memref<4xf32>) -> ()
  func.call @print(%od) : (memref<?xf32>) -> ()
  func.call @print(%cpd) : (memref<?xf32>) -> ()
  func.call @may_alias(%x, %y, %z) : (memref<5xf32>, memref<5xf32>, memref<5xf32>) -> ()
  func.call @print(%xd) : (memref<?xf32>) -> ()
  func.call @print(%yd) : (memref<?xf32>) -> ()
  return
}
