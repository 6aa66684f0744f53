// pixelfly-gpu-fuse-elementwise computes an elementwise producer whose
// value is also a result inside its consumer. On the CPU the merged
// functions give the same bits as the originals (the same operations on
// each element): AdamW's moments and weight in one op, and a consumer
// reading its producer transposed. A mutation that yields the consumer's
// input instead of the producer's value (the merged op's extra result)
// changes the printed moments.
//
// REQUIRES: mlir-runner
// DEFINE: %{run} = mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils | sed -e 's/base@ = 0x[0-9a-f]*//'
// RUN: pixelfly-opt %s --pass-pipeline="builtin.module(func.func(pixelfly-gpu-fuse-elementwise))" \
// RUN: | FileCheck %s --check-prefix=IR
// RUN: pixelfly-opt %s --pixelfly-cpu-pipeline | %{run} > %t.ref
// RUN: pixelfly-opt %s --pass-pipeline="builtin.module(func.func(pixelfly-gpu-fuse-elementwise))" \
// RUN: | pixelfly-opt --pixelfly-cpu-pipeline | %{run} > %t.new
// RUN: diff %t.ref %t.new
// RUN: FileCheck %s --input-file=%t.new

// IR-LABEL: func.func @adamw(
// IR:         linalg.generic
// IR-NOT:     linalg.generic
// IR-LABEL: func.func @transposed(
// IR:         linalg.generic
// IR-NOT:     linalg.generic
// IR-LABEL: func.func @make(

// Five results, printed.
// CHECK-COUNT-5: Unranked Memref
// CHECK-NOT:     Unranked Memref

#id = affine_map<(i, j) -> (i, j)>
#t = affine_map<(i, j) -> (j, i)>
#scalar = affine_map<(i, j) -> ()>

func.func private @printMemrefF32(tensor<*xf32>)

func.func @adamw(%w: tensor<4x8xf32>, %g: tensor<4x8xf32>, %m: tensor<4x8xf32>, %v: tensor<4x8xf32>, %lr: tensor<f32>)
    -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  %e = tensor.empty() : tensor<4x8xf32>
  %m2 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%m, %g : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %v2 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%v, %g : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %q = arith.mulf %b, %b : f32
    %s = arith.addf %a, %q : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %w2 = linalg.generic {indexing_maps = [#id, #id, #id, #scalar, #id], iterator_types = ["parallel", "parallel"]} ins(%w, %m2, %v2, %lr : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<f32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %r: f32, %o: f32):
    %s = math.sqrt %c : f32
    %u = arith.divf %b, %s : f32
    %d = arith.mulf %r, %u : f32
    %n = arith.subf %a, %d : f32
    linalg.yield %n : f32
  } -> tensor<4x8xf32>
  return %w2, %m2, %v2 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}

// The consumer reads the producer's result transposed: the producer's
// inputs are read through the same transposition, and its value is
// written back through it.
func.func @transposed(%a: tensor<8x4xf32>, %b: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<8x4xf32>) {
  %e = tensor.empty() : tensor<8x4xf32>
  %p = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x4xf32>) outs(%e : tensor<8x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.mulf %x, %x : f32
    linalg.yield %s : f32
  } -> tensor<8x4xf32>
  %e2 = tensor.empty() : tensor<4x8xf32>
  %c = linalg.generic {indexing_maps = [#id, #t, #id], iterator_types = ["parallel", "parallel"]} ins(%b, %p : tensor<4x8xf32>, tensor<8x4xf32>) outs(%e2 : tensor<4x8xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  return %c, %p : tensor<4x8xf32>, tensor<8x4xf32>
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

func.func @print(%t: tensor<?x?xf32>) {
  %u = tensor.cast %t : tensor<?x?xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}

func.func @main() {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %c8 = arith.constant 8 : index
  %w0 = call @make(%c4, %c8, %c1) : (index, index, index) -> tensor<?x?xf32>
  %g0 = call @make(%c4, %c8, %c2) : (index, index, index) -> tensor<?x?xf32>
  %m0 = call @make(%c4, %c8, %c3) : (index, index, index) -> tensor<?x?xf32>
  %v0 = call @make(%c4, %c8, %c5) : (index, index, index) -> tensor<?x?xf32>
  %w = tensor.cast %w0 : tensor<?x?xf32> to tensor<4x8xf32>
  %g = tensor.cast %g0 : tensor<?x?xf32> to tensor<4x8xf32>
  %m = tensor.cast %m0 : tensor<?x?xf32> to tensor<4x8xf32>
  %vs = tensor.cast %v0 : tensor<?x?xf32> to tensor<4x8xf32>
  %v = math.absf %vs : tensor<4x8xf32>
  %lr = arith.constant dense<0.125> : tensor<f32>
  %r:3 = call @adamw(%w, %g, %m, %v, %lr) : (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<f32>) -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>)
  %p0 = tensor.cast %r#0 : tensor<4x8xf32> to tensor<?x?xf32>
  call @print(%p0) : (tensor<?x?xf32>) -> ()
  %p1 = tensor.cast %r#1 : tensor<4x8xf32> to tensor<?x?xf32>
  call @print(%p1) : (tensor<?x?xf32>) -> ()
  %p2 = tensor.cast %r#2 : tensor<4x8xf32> to tensor<?x?xf32>
  call @print(%p2) : (tensor<?x?xf32>) -> ()
  %a0 = call @make(%c8, %c4, %c2) : (index, index, index) -> tensor<?x?xf32>
  %a = tensor.cast %a0 : tensor<?x?xf32> to tensor<8x4xf32>
  %t:2 = call @transposed(%a, %w) : (tensor<8x4xf32>, tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<8x4xf32>)
  %q0 = tensor.cast %t#0 : tensor<4x8xf32> to tensor<?x?xf32>
  call @print(%q0) : (tensor<?x?xf32>) -> ()
  %q1 = tensor.cast %t#1 : tensor<8x4xf32> to tensor<?x?xf32>
  call @print(%q1) : (tensor<?x?xf32>) -> ()
  return
}
