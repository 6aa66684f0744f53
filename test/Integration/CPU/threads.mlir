// Multi-threaded CPU code (pixelfly-cpu-pipeline threads=2: block rows and
// column slices as OpenMP worksharing loops) gives the same bits as
// sequential code. Inputs are not exact in binary (multiples of 0.1), so a
// different summation order would change the results; each product's
// result is hashed bit by bit (its f32 bits, weighted by position) and the
// hashes of the two programs must be equal. M = 203 tokens (dynamic, ragged
// for every register tile), N x K = 96 x 160.
//
// REQUIRES: mlir-runner, openmp
// RUN: pixelfly-opt %s --pixelfly-cpu-pipeline=threads=1 \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils > %t.seq
// RUN: pixelfly-opt %s --pixelfly-cpu-pipeline=threads=2 \
// RUN: | %mlir_runner_omp -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils,%libomp > %t.par
// RUN: FileCheck %s < %t.par
// RUN: diff %t.seq %t.par
// Every product of products.mlir, on two threads, against its dense
// reference.
// RUN: pixelfly-opt %S/products.mlir --pixelfly-cpu-pipeline=threads=2 \
// RUN: | %mlir_runner_omp -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils,%libomp \
// RUN: | FileCheck %S/products.mlir
// The prune lowering (its elementwise generics by rows in parallel), on
// two threads, against the pattern library's bits.
// RUN: pixelfly-opt %S/prune.mlir --test-pixelfly-fold-prune --pixelfly-cpu-pipeline=threads=2 \
// RUN: | %mlir_runner_omp -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils,%libomp \
// RUN: | FileCheck %S/prune.mlir
// The loops that run in parallel, and only with threads != 1.
// RUN: pixelfly-opt %s --pixelfly-cpu-pipeline="threads=2 lower-to-llvm=false" | FileCheck %s --check-prefix=IR
// RUN: pixelfly-opt %s --pixelfly-cpu-pipeline="threads=1 lower-to-llvm=false" | FileCheck %s --check-prefix=SEQ
// RUN: pixelfly-opt %s --pixelfly-cpu-pipeline=threads=2 | FileCheck %s --check-prefix=OMP
// RUN: not pixelfly-opt %s --pixelfly-cpu-pipeline=threads=-1 2>&1 | FileCheck %s --check-prefix=BAD

// CHECK: hash 1 {{-?[0-9]+}}
// CHECK-NEXT: hash 2 {{-?[0-9]+}}
// CHECK-NEXT: hash 3 {{-?[0-9]+}}
// CHECK-NEXT: hash 4 {{-?[0-9]+}}
// IR-LABEL: func.func @dense(
// IR:         scf.parallel
// IR-LABEL: func.func @sparse(
// IR:         scf.parallel
// The 2:4 product by blocks of rows of Y^T.
// IR-LABEL: func.func @two_four(
// IR:         scf.parallel
// SEQ-NOT:    scf.parallel
// OMP:        omp.parallel
// OMP:        omp.wsloop
// BAD: pixelfly-cpu-pipeline: threads must be in [0, 4096] (0: the OpenMP runtime's default), got -1

#l = #pixelfly.block_layout<shape = 96x160, block = 32x32, row_ptr = [0, 2, 2, 5], col_idx = [0, 3, 1, 2, 4]>
#id2 = affine_map<(i, j) -> (i, j)>
#nk = affine_map<(m, n, k) -> (n, k)>
#mk = affine_map<(m, n, k) -> (m, k)>
#mn = affine_map<(m, n, k) -> (m, n)>

func.func private @printI64(i64)
func.func private @printNewline()
func.func private @printString(!llvm.ptr)
llvm.mlir.global internal constant @hash_str("hash \00") {addr_space = 0 : i32}
llvm.mlir.global internal constant @sp_str(" \00") {addr_space = 0 : i32}

// value(i, j) = ((7i + 13j + seed) mod 17 - 8) * 0.1
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
    %tenth = arith.constant 0.1 : f32
    %v = arith.mulf %f, %tenth : f32
    linalg.yield %v : f32
  } -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// Prints "hash <id> <sum over (i, j) of bits(t[i, j]) * (97 i + j + 1)>".
func.func @hash(%id: i64, %t: tensor<?x96xf32>) {
  %zero = arith.constant 0 : i64
  %init = tensor.empty() : tensor<i64>
  %acc = linalg.fill ins(%zero : i64) outs(%init : tensor<i64>) -> tensor<i64>
  %h = linalg.generic {indexing_maps = [#id2, affine_map<(i, j) -> ()>], iterator_types = ["reduction", "reduction"]}
      ins(%t : tensor<?x96xf32>) outs(%acc : tensor<i64>) {
  ^bb0(%v: f32, %a: i64):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %c97 = arith.constant 97 : index
    %c1 = arith.constant 1 : index
    %p0 = arith.muli %i, %c97 : index
    %p1 = arith.addi %p0, %j : index
    %p = arith.addi %p1, %c1 : index
    %pi = arith.index_cast %p : index to i64
    %bits = arith.bitcast %v : f32 to i32
    %b64 = arith.extui %bits : i32 to i64
    %w = arith.muli %b64, %pi : i64
    %s = arith.addi %a, %w : i64
    linalg.yield %s : i64
  } -> tensor<i64>
  %e = tensor.extract %h[] : tensor<i64>
  %hs = llvm.mlir.addressof @hash_str : !llvm.ptr
  func.call @printString(%hs) : (!llvm.ptr) -> ()
  func.call @printI64(%id) : (i64) -> ()
  %sp = llvm.mlir.addressof @sp_str : !llvm.ptr
  func.call @printString(%sp) : (!llvm.ptr) -> ()
  func.call @printI64(%e) : (i64) -> ()
  func.call @printNewline() : () -> ()
  return
}

func.func @dense(%x: tensor<?x160xf32>, %w: tensor<96x160xf32>, %init: tensor<?x96xf32>) -> tensor<?x96xf32> {
  %y = linalg.matmul indexing_maps = [#mk, #nk, #mn] ins(%x, %w : tensor<?x160xf32>, tensor<96x160xf32>) outs(%init : tensor<?x96xf32>) -> tensor<?x96xf32>
  return %y : tensor<?x96xf32>
}

func.func @sparse(%x: tensor<?x160xf32>, %b: tensor<5x32x32xf32>, %init: tensor<?x96xf32>) -> tensor<?x96xf32> {
  %y = pixelfly.block_sparse_matmul ins(%x, %b : tensor<?x160xf32>, tensor<5x32x32xf32>) outs(%init : tensor<?x96xf32>) layout(#l) -> tensor<?x96xf32>
  return %y : tensor<?x96xf32>
}

func.func @linear(%x: tensor<?x160xf32>, %b: tensor<5x32x32xf32>, %u: tensor<96x16xf32>, %v: tensor<160x16xf32>, %init: tensor<?x96xf32>) -> tensor<?x96xf32> {
  %y = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x160xf32>, tensor<5x32x32xf32>, tensor<96x16xf32>, tensor<160x16xf32>) gamma(0.25) outs(%init : tensor<?x96xf32>) layout(#l) -> tensor<?x96xf32>
  return %y : tensor<?x96xf32>
}

// Kept indices (0, 1), (1, 2), (1, 3), (2, 3) in every word.
func.func @two_four(%x: tensor<?x160xf32>, %values: tensor<96x80xf32>, %init: tensor<?x96xf32>) -> tensor<?x96xf32> {
  %meta = arith.constant dense<-4716> : tensor<96x10xi16>
  %y = pixelfly.two_four_matmul ins(%x, %values, %meta : tensor<?x160xf32>, tensor<96x80xf32>, tensor<96x10xi16>) outs(%init : tensor<?x96xf32>) -> tensor<?x96xf32>
  return %y : tensor<?x96xf32>
}

func.func @main() {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %c96 = arith.constant 96 : index
  %c160 = arith.constant 160 : index
  %m = arith.constant 203 : index
  %xd = func.call @matrix(%m, %c160, %c1) : (index, index, index) -> tensor<?x?xf32>
  %x = tensor.cast %xd : tensor<?x?xf32> to tensor<?x160xf32>
  %wd = func.call @matrix(%c96, %c160, %c2) : (index, index, index) -> tensor<?x?xf32>
  %w = tensor.cast %wd : tensor<?x?xf32> to tensor<96x160xf32>
  %c160x = arith.constant 160 : index
  %bd = func.call @matrix(%c160x, %c32, %c3) : (index, index, index) -> tensor<?x?xf32>
  %bs = tensor.cast %bd : tensor<?x?xf32> to tensor<160x32xf32>
  %b = tensor.expand_shape %bs [[0, 1], [2]] output_shape [5, 32, 32] : tensor<160x32xf32> into tensor<5x32x32xf32>
  %ud = func.call @matrix(%c96, %c16, %c4) : (index, index, index) -> tensor<?x?xf32>
  %u = tensor.cast %ud : tensor<?x?xf32> to tensor<96x16xf32>
  %vd = func.call @matrix(%c160, %c16, %c5) : (index, index, index) -> tensor<?x?xf32>
  %v = tensor.cast %vd : tensor<?x?xf32> to tensor<160x16xf32>
  %id = func.call @matrix(%m, %c96, %c5) : (index, index, index) -> tensor<?x?xf32>
  %init = tensor.cast %id : tensor<?x?xf32> to tensor<?x96xf32>

  %y1 = func.call @dense(%x, %w, %init) : (tensor<?x160xf32>, tensor<96x160xf32>, tensor<?x96xf32>) -> tensor<?x96xf32>
  %i1 = arith.constant 1 : i64
  func.call @hash(%i1, %y1) : (i64, tensor<?x96xf32>) -> ()
  %y2 = func.call @sparse(%x, %b, %init) : (tensor<?x160xf32>, tensor<5x32x32xf32>, tensor<?x96xf32>) -> tensor<?x96xf32>
  %i2 = arith.constant 2 : i64
  func.call @hash(%i2, %y2) : (i64, tensor<?x96xf32>) -> ()
  %y3 = func.call @linear(%x, %b, %u, %v, %init) : (tensor<?x160xf32>, tensor<5x32x32xf32>, tensor<96x16xf32>, tensor<160x16xf32>, tensor<?x96xf32>) -> tensor<?x96xf32>
  %i3 = arith.constant 3 : i64
  func.call @hash(%i3, %y3) : (i64, tensor<?x96xf32>) -> ()
  %c80 = arith.constant 80 : index
  %vald = func.call @matrix(%c96, %c80, %c3) : (index, index, index) -> tensor<?x?xf32>
  %val = tensor.cast %vald : tensor<?x?xf32> to tensor<96x80xf32>
  %y4 = func.call @two_four(%x, %val, %init) : (tensor<?x160xf32>, tensor<96x80xf32>, tensor<?x96xf32>) -> tensor<?x96xf32>
  %i4 = arith.constant 4 : i64
  func.call @hash(%i4, %y4) : (i64, tensor<?x96xf32>) -> ()
  return
}
