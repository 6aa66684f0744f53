// pixelfly-gpu-reductions splits long reductions into partial results and
// a combining op (and rests for ragged or dynamic sizes). Run on the CPU,
// the split functions give the same results as the originals, bit for bit
// (small integers: every sum exact, whatever the order), here with small
// limits (threads=64 min-chunk=4) so that every case splits, on sizes that
// divide nothing:
// - a column sum over 203 dynamic rows into a non-zero init: 50 partials
//   of 4 rows, split again, and two rests; and over 3 rows (fewer than a
//   chunk: one partial);
// - a row maximum over 203 columns (static): 13 partials of 15, rest of 8;
// - a squared norm of a 29 x 31 matrix: collapsed to 899, split three
//   times (64, 16 and 4 partials), a rest of 3;
// - a sum and a maximum in one op (100 x 3 columns);
// - a bf16 row sum into f32 with dynamic rows (50 columns);
// - a row sum over a dynamic number of columns (203): a static number of
//   partials, dynamic chunks;
// - an i32 sum (linalg.reduce, generalized) over 1000.
// A mutation that drops the rest (the original op on the iterations past
// P * C) changes the results, as does one that reads the partials row-wise
// where they were written column-wise.
//
// REQUIRES: mlir-runner
// DEFINE: %{run} = mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils | sed -e 's/base@ = 0x[0-9a-f]*//'
// RUN: pixelfly-opt %s --pass-pipeline="builtin.module(func.func(pixelfly-gpu-reductions{threads=64 min-chunk=4}))" \
// RUN: | FileCheck %s --check-prefix=IR
// RUN: pixelfly-opt %s --pixelfly-cpu-pipeline | %{run} > %t.ref
// RUN: pixelfly-opt %s --pass-pipeline="builtin.module(func.func(pixelfly-gpu-reductions{threads=64 min-chunk=4}))" \
// RUN: | pixelfly-opt --pixelfly-cpu-pipeline | %{run} > %t.new
// RUN: diff %t.ref %t.new
// RUN: FileCheck %s --input-file=%t.new

// Every function is split (partials in an expanded input).
// IR-LABEL: func.func @col_sum(
// IR:         tensor.expand_shape
// IR-LABEL: func.func @row_max(
// IR:         tensor.expand_shape
// IR-LABEL: func.func @norm(
// IR:         tensor.collapse_shape
// IR:         tensor.expand_shape
// IR-LABEL: func.func @sum_max(
// IR:         tensor.expand_shape
// IR-LABEL: func.func @row_sum_bf16(
// IR:         tensor.expand_shape
// IR-LABEL: func.func @row_sum_dynamic(
// IR:         tensor.expand_shape
// IR-LABEL: func.func @int_sum(
// IR:         tensor.expand_shape
// IR-LABEL: func.func @make(

// Seven functions, nine results; the values are checked against the
// unsplit functions by the diff above, and two of them here.
// CHECK-COUNT-9: Unranked Memref
// CHECK-NOT:     Unranked Memref

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI32(tensor<*xi32>)

func.func @col_sum(%g: tensor<?x7xf32>, %acc: tensor<7xf32>) -> tensor<7xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>], iterator_types = ["reduction", "parallel"]}
      ins(%g : tensor<?x7xf32>) outs(%acc : tensor<7xf32>) {
  ^bb0(%a: f32, %s: f32):
    %t = arith.addf %s, %a : f32
    linalg.yield %t : f32
  } -> tensor<7xf32>
  return %r : tensor<7xf32>
}
func.func @row_max(%g: tensor<5x203xf32>) -> tensor<5xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<5xf32>
  %f = linalg.fill ins(%ninf : f32) outs(%e : tensor<5xf32>) -> tensor<5xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]}
      ins(%g : tensor<5x203xf32>) outs(%f : tensor<5xf32>) {
  ^bb0(%a: f32, %s: f32):
    %t = arith.maximumf %s, %a : f32
    linalg.yield %t : f32
  } -> tensor<5xf32>
  return %r : tensor<5xf32>
}
func.func @norm(%g: tensor<29x31xf32>) -> tensor<1xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<f32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> ()>], iterator_types = ["reduction", "reduction"]}
      ins(%g : tensor<29x31xf32>) outs(%f : tensor<f32>) {
  ^bb0(%a: f32, %s: f32):
    %sq = arith.mulf %a, %a : f32
    %t = arith.addf %s, %sq : f32
    linalg.yield %t : f32
  } -> tensor<f32>
  %one = tensor.expand_shape %r [] output_shape [1] : tensor<f32> into tensor<1xf32>
  return %one : tensor<1xf32>
}
func.func @sum_max(%g: tensor<100x3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<3xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%e : tensor<3xf32>) -> tensor<3xf32>
  %fm = linalg.fill ins(%ninf : f32) outs(%e : tensor<3xf32>) -> tensor<3xf32>
  %r:2 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (j)>], iterator_types = ["reduction", "parallel"]}
      ins(%g : tensor<100x3xf32>) outs(%fs, %fm : tensor<3xf32>, tensor<3xf32>) {
  ^bb0(%a: f32, %s: f32, %m: f32):
    %t = arith.addf %s, %a : f32
    %u = arith.maximumf %m, %a : f32
    linalg.yield %t, %u : f32, f32
  } -> (tensor<3xf32>, tensor<3xf32>)
  return %r#0, %r#1 : tensor<3xf32>, tensor<3xf32>
}
func.func @row_sum_bf16(%g: tensor<?x50xbf16>) -> tensor<?xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %m = tensor.dim %g, %c0 : tensor<?x50xbf16>
  %e = tensor.empty(%m) : tensor<?xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?xf32>) -> tensor<?xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]}
      ins(%g : tensor<?x50xbf16>) outs(%f : tensor<?xf32>) {
  ^bb0(%a: bf16, %s: f32):
    %x = arith.extf %a : bf16 to f32
    %t = arith.addf %s, %x : f32
    linalg.yield %t : f32
  } -> tensor<?xf32>
  return %r : tensor<?xf32>
}
func.func @row_sum_dynamic(%g: tensor<7x?xf32>) -> tensor<7xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<7xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<7xf32>) -> tensor<7xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]}
      ins(%g : tensor<7x?xf32>) outs(%f : tensor<7xf32>) {
  ^bb0(%a: f32, %s: f32):
    %t = arith.addf %s, %a : f32
    linalg.yield %t : f32
  } -> tensor<7xf32>
  return %r : tensor<7xf32>
}
func.func @int_sum(%g: tensor<1000xi32>) -> tensor<1xi32> {
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<i32>
  %f = linalg.fill ins(%zero : i32) outs(%e : tensor<i32>) -> tensor<i32>
  %r = linalg.reduce ins(%g : tensor<1000xi32>) outs(%f : tensor<i32>) dimensions = [0]
    (%a: i32, %s: i32) {
      %t = arith.addi %s, %a : i32
      linalg.yield %t : i32
    }
  %one = tensor.expand_shape %r [] output_shape [1] : tensor<i32> into tensor<1xi32>
  return %one : tensor<1xi32>
}

// Small integers in -3 .. 3, from the position and a salt.
func.func @make(%rows: index, %cols: index, %salt: index) -> tensor<?x?xf32> {
  %t = tensor.empty(%rows, %cols) : tensor<?x?xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} outs(%t : tensor<?x?xf32>) {
  ^bb0(%o: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %c3 = arith.constant 3 : index
    %c5 = arith.constant 5 : index
    %c7 = arith.constant 7 : index
    %a = arith.muli %i, %c5 : index
    %b = arith.muli %j, %c3 : index
    %ij = arith.muli %i, %j : index
    %ab = arith.addi %a, %b : index
    %abij = arith.addi %ab, %ij : index
    %all = arith.addi %abij, %salt : index
    %m = arith.remui %all, %c7 : index
    %mi = arith.index_cast %m : index to i64
    %mf = arith.sitofp %mi : i64 to f32
    %three = arith.constant 3.0 : f32
    %val = arith.subf %mf, %three : f32
    linalg.yield %val : f32
  } -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

func.func @print1(%t: tensor<?xf32>) {
  %u = tensor.cast %t : tensor<?xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}

func.func @main() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c5 = arith.constant 5 : index
  %c7 = arith.constant 7 : index
  %c29 = arith.constant 29 : index
  %c31 = arith.constant 31 : index
  %c50 = arith.constant 50 : index
  %c100 = arith.constant 100 : index
  %c203 = arith.constant 203 : index
  %c1000 = arith.constant 1000 : index

  %a = call @make(%c203, %c7, %c1) : (index, index, index) -> tensor<?x?xf32>
  %a1 = tensor.cast %a : tensor<?x?xf32> to tensor<?x7xf32>
  %acc2 = call @make(%c1, %c7, %c2) : (index, index, index) -> tensor<?x?xf32>
  %acc = tensor.collapse_shape %acc2 [[0, 1]] : tensor<?x?xf32> into tensor<?xf32>
  %acc1 = tensor.cast %acc : tensor<?xf32> to tensor<7xf32>
  %r1 = call @col_sum(%a1, %acc1) : (tensor<?x7xf32>, tensor<7xf32>) -> tensor<7xf32>
  %p1 = tensor.cast %r1 : tensor<7xf32> to tensor<?xf32>
  call @print1(%p1) : (tensor<?xf32>) -> ()

  %a3 = call @make(%c3, %c7, %c5) : (index, index, index) -> tensor<?x?xf32>
  %a4 = tensor.cast %a3 : tensor<?x?xf32> to tensor<?x7xf32>
  %r1s = call @col_sum(%a4, %acc1) : (tensor<?x7xf32>, tensor<7xf32>) -> tensor<7xf32>
  %p1s = tensor.cast %r1s : tensor<7xf32> to tensor<?xf32>
  call @print1(%p1s) : (tensor<?xf32>) -> ()

  %b = call @make(%c5, %c203, %c3) : (index, index, index) -> tensor<?x?xf32>
  %b1 = tensor.cast %b : tensor<?x?xf32> to tensor<5x203xf32>
  %r2 = call @row_max(%b1) : (tensor<5x203xf32>) -> tensor<5xf32>
  %p2 = tensor.cast %r2 : tensor<5xf32> to tensor<?xf32>
  call @print1(%p2) : (tensor<?xf32>) -> ()

  %n = call @make(%c29, %c31, %c5) : (index, index, index) -> tensor<?x?xf32>
  %n1 = tensor.cast %n : tensor<?x?xf32> to tensor<29x31xf32>
  %r3 = call @norm(%n1) : (tensor<29x31xf32>) -> tensor<1xf32>
  %p3 = tensor.cast %r3 : tensor<1xf32> to tensor<?xf32>
  call @print1(%p3) : (tensor<?xf32>) -> ()

  %s = call @make(%c100, %c3, %c7) : (index, index, index) -> tensor<?x?xf32>
  %s1 = tensor.cast %s : tensor<?x?xf32> to tensor<100x3xf32>
  %r4:2 = call @sum_max(%s1) : (tensor<100x3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  %p4 = tensor.cast %r4#0 : tensor<3xf32> to tensor<?xf32>
  call @print1(%p4) : (tensor<?xf32>) -> ()
  %p5 = tensor.cast %r4#1 : tensor<3xf32> to tensor<?xf32>
  call @print1(%p5) : (tensor<?xf32>) -> ()

  %h = call @make(%c29, %c50, %c2) : (index, index, index) -> tensor<?x?xf32>
  %he = tensor.empty(%c29) : tensor<?x50xbf16>
  %h1 = tensor.cast %h : tensor<?x?xf32> to tensor<?x50xf32>
  %hb = arith.truncf %h1 : tensor<?x50xf32> to tensor<?x50xbf16>
  %r6 = call @row_sum_bf16(%hb) : (tensor<?x50xbf16>) -> tensor<?xf32>
  call @print1(%r6) : (tensor<?xf32>) -> ()

  %d = call @make(%c7, %c203, %c3) : (index, index, index) -> tensor<?x?xf32>
  %d1 = tensor.cast %d : tensor<?x?xf32> to tensor<7x?xf32>
  %r7 = call @row_sum_dynamic(%d1) : (tensor<7x?xf32>) -> tensor<7xf32>
  %p7 = tensor.cast %r7 : tensor<7xf32> to tensor<?xf32>
  call @print1(%p7) : (tensor<?xf32>) -> ()

  %k = call @make(%c1, %c1000, %c1) : (index, index, index) -> tensor<?x?xf32>
  %k1 = tensor.collapse_shape %k [[0, 1]] : tensor<?x?xf32> into tensor<?xf32>
  %k2 = tensor.cast %k1 : tensor<?xf32> to tensor<1000xf32>
  %ki = arith.fptosi %k2 : tensor<1000xf32> to tensor<1000xi32>
  %r8 = call @int_sum(%ki) : (tensor<1000xi32>) -> tensor<1xi32>
  %u8 = tensor.cast %r8 : tensor<1xi32> to tensor<*xi32>
  call @printMemrefI32(%u8) : (tensor<*xi32>) -> ()
  return
}
