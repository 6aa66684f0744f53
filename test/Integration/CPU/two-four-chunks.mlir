// The CPU 2:4 product over a long reduction: K = 1056 keeps 528 values per
// row, two whole chunks of 256 and a partial one of 16, with M = 70 tokens
// (one whole piece of 64 and a rest of 6) and N = 24 rows; on one thread
// and on two (blocks of rows in parallel). Against X * densify_2_4(W)^T
// through a plain linalg.generic contraction. Inputs are multiples of 1/8
// below 1 in magnitude, so the sums are exact in f32 whatever their order:
// the tolerance is 0. Then the same product into a result filled with
// 0.375 whose type is dynamic where the weight's is not (the fill starts
// Y^T; it must be added once).
//
// REQUIRES: mlir-runner
// RUN: pixelfly-opt %s --pixelfly-cpu-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s
// RUN: %if openmp %{ pixelfly-opt %s --pixelfly-cpu-pipeline=threads=2 \
// RUN: | %mlir_runner_omp -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils,%libomp \
// RUN: | FileCheck %s %}

// CHECK: max error 0{{$}}
// CHECK-NEXT: max error 0{{$}}

#id2 = affine_map<(i, j) -> (i, j)>
#mk = affine_map<(m, n, k) -> (m, k)>
#nk = affine_map<(m, n, k) -> (n, k)>
#mn = affine_map<(m, n, k) -> (m, n)>

func.func private @printF32(f32)
func.func private @printNewline()
func.func private @printString(!llvm.ptr)
llvm.mlir.global internal constant @err_str("max error \00") {addr_space = 0 : i32}

// value(i, j) = ((7i + 13j + seed) mod 17 - 8) / 8
func.func @matrix(%rows: index, %cols: index, %seed: index) -> tensor<?x?xf32> {
  %e = tensor.empty(%rows, %cols) : tensor<?x?xf32>
  %r = linalg.generic {indexing_maps = [#id2], iterator_types = ["parallel", "parallel"]} outs(%e : tensor<?x?xf32>) {
  ^bb0(%o: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %c7 = arith.constant 7 : index
    %c13 = arith.constant 13 : index
    %c17 = arith.constant 17 : index
    %c8 = arith.constant 8 : index
    %a = arith.muli %i, %c7 : index
    %b = arith.muli %j, %c13 : index
    %s0 = arith.addi %a, %b : index
    %s = arith.addi %s0, %seed : index
    %m = arith.remui %s, %c17 : index
    %d = arith.subi %m, %c8 : index
    %di = arith.index_cast %d : index to i32
    %f = arith.sitofp %di : i32 to f32
    %eighth = arith.constant 0.125 : f32
    %v = arith.mulf %f, %eighth : f32
    linalg.yield %v : f32
  } -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

func.func @main() {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c24 = arith.constant 24 : index
  %c70 = arith.constant 70 : index
  %c1056 = arith.constant 1056 : index
  %xd = func.call @matrix(%c70, %c1056, %c1) : (index, index, index) -> tensor<?x?xf32>
  %wd = func.call @matrix(%c24, %c1056, %c2) : (index, index, index) -> tensor<?x?xf32>
  %w = tensor.cast %wd : tensor<?x?xf32> to tensor<24x1056xf32>
  %initd = func.call @matrix(%c70, %c24, %c3) : (index, index, index) -> tensor<?x?xf32>
  %ev = tensor.empty() : tensor<24x528xf32>
  %em = tensor.empty() : tensor<24x66xi16>
  %vals, %meta = pixelfly.prune_2_4 ins(%w : tensor<24x1056xf32>) outs(%ev, %em : tensor<24x528xf32>, tensor<24x66xi16>) -> tensor<24x528xf32>, tensor<24x66xi16>
  %ed = tensor.empty() : tensor<24x1056xf32>
  %dense = pixelfly.densify_2_4 ins(%vals, %meta : tensor<24x528xf32>, tensor<24x66xi16>) outs(%ed : tensor<24x1056xf32>) -> tensor<24x1056xf32>
  %want = linalg.generic {indexing_maps = [#mk, #nk, #mn], iterator_types = ["parallel", "parallel", "reduction"]} ins(%xd, %dense : tensor<?x?xf32>, tensor<24x1056xf32>) outs(%initd : tensor<?x?xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %c, %p : f32
    linalg.yield %s : f32
  } -> tensor<?x?xf32>
  %x = tensor.cast %xd : tensor<?x?xf32> to tensor<?x1056xf32>
  %init = tensor.cast %initd : tensor<?x?xf32> to tensor<?x24xf32>
  %got = pixelfly.two_four_matmul ins(%x, %vals, %meta : tensor<?x1056xf32>, tensor<24x528xf32>, tensor<24x66xi16>) outs(%init : tensor<?x24xf32>) -> tensor<?x24xf32>
  %gotd = tensor.cast %got : tensor<?x24xf32> to tensor<?x?xf32>
  %e = func.call @max_error(%gotd, %want) : (tensor<?x?xf32>, tensor<?x?xf32>) -> f32
  func.call @report(%e) : (f32) -> ()

  %fv = arith.constant 0.375 : f32
  %ef = tensor.empty(%c70, %c24) : tensor<?x?xf32>
  %filled = linalg.fill ins(%fv : f32) outs(%ef : tensor<?x?xf32>) -> tensor<?x?xf32>
  %ef2 = tensor.empty(%c70, %c24) : tensor<?x?xf32>
  %filled2 = linalg.fill ins(%fv : f32) outs(%ef2 : tensor<?x?xf32>) -> tensor<?x?xf32>
  %want2 = linalg.generic {indexing_maps = [#mk, #nk, #mn], iterator_types = ["parallel", "parallel", "reduction"]} ins(%xd, %dense : tensor<?x?xf32>, tensor<24x1056xf32>) outs(%filled2 : tensor<?x?xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %c, %p : f32
    linalg.yield %s : f32
  } -> tensor<?x?xf32>
  %got2 = pixelfly.two_four_matmul ins(%x, %vals, %meta : tensor<?x1056xf32>, tensor<24x528xf32>, tensor<24x66xi16>) outs(%filled : tensor<?x?xf32>) -> tensor<?x?xf32>
  %e2 = func.call @max_error(%got2, %want2) : (tensor<?x?xf32>, tensor<?x?xf32>) -> f32
  func.call @report(%e2) : (f32) -> ()
  return
}

// max |got - want|, a NaN counting as 1e30.
func.func @max_error(%got: tensor<?x?xf32>, %want: tensor<?x?xf32>) -> f32 {
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<f32>
  %acc = linalg.fill ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
  %err = linalg.generic {indexing_maps = [#id2, #id2, affine_map<(i, j) -> ()>], iterator_types = ["reduction", "reduction"]}
      ins(%got, %want : tensor<?x?xf32>, tensor<?x?xf32>) outs(%acc : tensor<f32>) {
  ^bb0(%g: f32, %h: f32, %a: f32):
    %d = arith.subf %g, %h : f32
    %ad = math.absf %d : f32
    %isnan = arith.cmpf uno, %ad, %ad : f32
    %big = arith.constant 1.0e30 : f32
    %v = arith.select %isnan, %big, %ad : f32
    %m = arith.maximumf %a, %v : f32
    linalg.yield %m : f32
  } -> tensor<f32>
  %r = tensor.extract %err[] : tensor<f32>
  return %r : f32
}

func.func @report(%e: f32) {
  %s = llvm.mlir.addressof @err_str : !llvm.ptr
  func.call @printString(%s) : (!llvm.ptr) -> ()
  func.call @printF32(%e) : (f32) -> ()
  func.call @printNewline() : () -> ()
  return
}
