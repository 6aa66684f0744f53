// pixelfly.prune_2_4 lowered by convert-pixelfly-to-linalg and executed
// gives the same bits as the pattern library, which projects compile-time
// weights: test-pixelfly-fold-prune replaces the prunes of constants in
// @main by the library's result, while @prune* prune their argument at run
// time. Inputs are tie-heavy (repeated magnitudes, +-0), with NaNs and
// infinities; plain and transposable selection, f32 and bf16, and the
// compressed W^T of the transposable variant. Each comparison prints 1 when
// every value has the same bits (any NaN matches any NaN) and every
// metadata word is equal.
//
// REQUIRES: mlir-runner
// RUN: pixelfly-opt %s --test-pixelfly-fold-prune --pixelfly-cpu-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

// CHECK:      same 1 values f32
// CHECK-NEXT: same 1 metadata f32
// CHECK-NEXT: same 1 values f32 transposable
// CHECK-NEXT: same 1 metadata f32 transposable
// CHECK-NEXT: same 1 values W^T f32 transposable
// CHECK-NEXT: same 1 metadata W^T f32 transposable
// CHECK-NEXT: same 1 values bf16
// CHECK-NEXT: same 1 metadata bf16
// CHECK-NEXT: same 1 values bf16 transposable
// CHECK-NEXT: same 1 metadata bf16 transposable

#id2 = affine_map<(i, j) -> (i, j)>
func.func private @printI64(i64)
func.func private @printString(!llvm.ptr)
func.func private @printNewline()
llvm.mlir.global internal constant @s_same("same \00") {addr_space = 0 : i32}
llvm.mlir.global internal constant @s_v(" values \00") {addr_space = 0 : i32}
llvm.mlir.global internal constant @s_m(" metadata \00") {addr_space = 0 : i32}
llvm.mlir.global internal constant @s_vt(" values W^T \00") {addr_space = 0 : i32}
llvm.mlir.global internal constant @s_mt(" metadata W^T \00") {addr_space = 0 : i32}
llvm.mlir.global internal constant @s_f32("f32\00") {addr_space = 0 : i32}
llvm.mlir.global internal constant @s_f32t("f32 transposable\00") {addr_space = 0 : i32}
llvm.mlir.global internal constant @s_bf16("bf16\00") {addr_space = 0 : i32}
llvm.mlir.global internal constant @s_bf16t("bf16 transposable\00") {addr_space = 0 : i32}

func.func @report(%same: i1, %what: !llvm.ptr, %case: !llvm.ptr) {
  %s = llvm.mlir.addressof @s_same : !llvm.ptr
  func.call @printString(%s) : (!llvm.ptr) -> ()
  %i = arith.extui %same : i1 to i64
  func.call @printI64(%i) : (i64) -> ()
  func.call @printString(%what) : (!llvm.ptr) -> ()
  func.call @printString(%case) : (!llvm.ptr) -> ()
  func.call @printNewline() : () -> ()
  return
}

// All of a and b equal under `same(x, y)`, reduced with `and`.
func.func @same_f32(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>) -> i1 {
  %t = arith.constant true
  %e = tensor.empty() : tensor<i1>
  %init = linalg.fill ins(%t : i1) outs(%e : tensor<i1>) -> tensor<i1>
  %r = linalg.generic {indexing_maps = [#id2, #id2, affine_map<(i, j) -> ()>], iterator_types = ["reduction", "reduction"]}
      ins(%a, %b : tensor<?x?xf32>, tensor<?x?xf32>) outs(%init : tensor<i1>) {
  ^bb0(%x: f32, %y: f32, %acc: i1):
    %xb = arith.bitcast %x : f32 to i32
    %yb = arith.bitcast %y : f32 to i32
    %eq = arith.cmpi eq, %xb, %yb : i32
    %xn = arith.cmpf uno, %x, %x : f32
    %yn = arith.cmpf uno, %y, %y : f32
    %nn = arith.andi %xn, %yn : i1
    %ok = arith.ori %eq, %nn : i1
    %r = arith.andi %acc, %ok : i1
    linalg.yield %r : i1
  } -> tensor<i1>
  %v = tensor.extract %r[] : tensor<i1>
  return %v : i1
}
func.func @same_bf16(%a: tensor<?x?xbf16>, %b: tensor<?x?xbf16>) -> i1 {
  %t = arith.constant true
  %e = tensor.empty() : tensor<i1>
  %init = linalg.fill ins(%t : i1) outs(%e : tensor<i1>) -> tensor<i1>
  %r = linalg.generic {indexing_maps = [#id2, #id2, affine_map<(i, j) -> ()>], iterator_types = ["reduction", "reduction"]}
      ins(%a, %b : tensor<?x?xbf16>, tensor<?x?xbf16>) outs(%init : tensor<i1>) {
  ^bb0(%x: bf16, %y: bf16, %acc: i1):
    %xb = arith.bitcast %x : bf16 to i16
    %yb = arith.bitcast %y : bf16 to i16
    %eq = arith.cmpi eq, %xb, %yb : i16
    %xn = arith.cmpf uno, %x, %x : bf16
    %yn = arith.cmpf uno, %y, %y : bf16
    %nn = arith.andi %xn, %yn : i1
    %ok = arith.ori %eq, %nn : i1
    %r = arith.andi %acc, %ok : i1
    linalg.yield %r : i1
  } -> tensor<i1>
  %v = tensor.extract %r[] : tensor<i1>
  return %v : i1
}
func.func @same_i16(%a: tensor<?x?xi16>, %b: tensor<?x?xi16>) -> i1 {
  %t = arith.constant true
  %e = tensor.empty() : tensor<i1>
  %init = linalg.fill ins(%t : i1) outs(%e : tensor<i1>) -> tensor<i1>
  %r = linalg.generic {indexing_maps = [#id2, #id2, affine_map<(i, j) -> ()>], iterator_types = ["reduction", "reduction"]}
      ins(%a, %b : tensor<?x?xi16>, tensor<?x?xi16>) outs(%init : tensor<i1>) {
  ^bb0(%x: i16, %y: i16, %acc: i1):
    %eq = arith.cmpi eq, %x, %y : i16
    %r = arith.andi %acc, %eq : i1
    linalg.yield %r : i1
  } -> tensor<i1>
  %v = tensor.extract %r[] : tensor<i1>
  return %v : i1
}

func.func @prune_f32(%w: tensor<32x64xf32>) -> (tensor<32x32xf32>, tensor<32x4xi16>) {
  %v0 = tensor.empty() : tensor<32x32xf32>
  %m0 = tensor.empty() : tensor<32x4xi16>
  %v, %m = pixelfly.prune_2_4 ins(%w : tensor<32x64xf32>) outs(%v0, %m0 : tensor<32x32xf32>, tensor<32x4xi16>) -> tensor<32x32xf32>, tensor<32x4xi16>
  return %v, %m : tensor<32x32xf32>, tensor<32x4xi16>
}
func.func @prune_f32_t(%w: tensor<32x64xf32>) -> (tensor<32x32xf32>, tensor<32x4xi16>, tensor<64x16xf32>, tensor<64x2xi16>) {
  %v0 = tensor.empty() : tensor<32x32xf32>
  %m0 = tensor.empty() : tensor<32x4xi16>
  %vt0 = tensor.empty() : tensor<64x16xf32>
  %mt0 = tensor.empty() : tensor<64x2xi16>
  %v, %m, %vt, %mt = pixelfly.prune_2_4 transposable ins(%w : tensor<32x64xf32>) outs(%v0, %m0, %vt0, %mt0 : tensor<32x32xf32>, tensor<32x4xi16>, tensor<64x16xf32>, tensor<64x2xi16>) -> tensor<32x32xf32>, tensor<32x4xi16>, tensor<64x16xf32>, tensor<64x2xi16>
  return %v, %m, %vt, %mt : tensor<32x32xf32>, tensor<32x4xi16>, tensor<64x16xf32>, tensor<64x2xi16>
}
func.func @prune_bf16(%w: tensor<16x32xbf16>, %transposable: i1) -> (tensor<16x16xbf16>, tensor<16x2xi16>) {
  %v0 = tensor.empty() : tensor<16x16xbf16>
  %m0 = tensor.empty() : tensor<16x2xi16>
  %r:2 = scf.if %transposable -> (tensor<16x16xbf16>, tensor<16x2xi16>) {
    %v, %m = pixelfly.prune_2_4 transposable ins(%w : tensor<16x32xbf16>) outs(%v0, %m0 : tensor<16x16xbf16>, tensor<16x2xi16>) -> tensor<16x16xbf16>, tensor<16x2xi16>
    scf.yield %v, %m : tensor<16x16xbf16>, tensor<16x2xi16>
  } else {
    %v, %m = pixelfly.prune_2_4 ins(%w : tensor<16x32xbf16>) outs(%v0, %m0 : tensor<16x16xbf16>, tensor<16x2xi16>) -> tensor<16x16xbf16>, tensor<16x2xi16>
    scf.yield %v, %m : tensor<16x16xbf16>, tensor<16x2xi16>
  }
  return %r#0, %r#1 : tensor<16x16xbf16>, tensor<16x2xi16>
}

func.func @main() {
  %w = arith.constant dense<[[0.5, 1.0, -0.5, 3.0, 0.0, -0.0, 1.0, 0x7F800000, -0.0, 0.5, 0xFF800000, 0.0, 0x7F800000, -1.0, 0.0, -0.0, -0.5, -0.5, -0.0, -1.0, -0.0, 0x7F800000, -0.5, 0.0, 1.0, 0xFF800000, -0.0, -1.0, 3.0, 3.0, 0xFF800000, 0.0, 0xFF800000, 0xFF800000, -0.5, 0.0, -1.0, 0.0, 0x7F800000, 1.0, 1.0, 2.0, -0.5, 1.0, 0x7F800000, -0.0, 0xFF800000, 2.0, 0x7F800000, 1.0, 3.0, 1.0, -0.0, 0xFF800000, 0xFF800000, 3.0, -1.0, 0.5, -0.0, 0x7F800000, -3.0, -0.0, 0xFF800000, 0.0], [0xFF800000, -1.0, 0x7FC00000, 3.0, 0x7F800000, -0.5, 1.0, 0.5, 0x7FC00000, 0xFF800000, 0x7FC00000, 0.5, 2.0, -1.0, 1.0, 1.0, -3.0, 1.0, -1.0, -0.0, 0xFF800000, 2.0, 0x7F800000, 0x7FC00000, 0.5, -3.0, 0x7FC00000, 2.0, 0xFF800000, -0.0, -0.0, 0x7F800000, -0.5, 1.0, 1.0, 0.5, 1.0, 0x7FC00000, -0.5, 0.0, 3.0, -0.0, 1.0, 0x7F800000, 0xFF800000, 1.0, 1.0, 0.5, 0.5, -3.0, 0.5, 0xFF800000, 0x7FC00000, 0xFF800000, 1.0, 0x7FC00000, -0.0, 1.0, -0.0, 2.0, 0x7FC00000, -3.0, 3.0, -0.0], [0.0, -3.0, -3.0, 2.0, 3.0, 0xFF800000, 3.0, 1.0, 0x7FC00000, 2.0, -3.0, -0.5, 3.0, 0.5, 0.0, 0x7FC00000, 0.5, 1.0, 0xFF800000, -0.0, 0x7FC00000, 0.0, -1.0, 1.0, 2.0, 1.0, -3.0, -1.0, -0.5, -0.5, 1.0, 0x7FC00000, -0.0, 1.0, 0x7FC00000, -0.5, 0x7F800000, 2.0, 1.0, 1.0, -0.5, 1.0, 0x7F800000, 2.0, -3.0, -0.5, 0.5, 3.0, -0.5, -1.0, 1.0, -0.0, 1.0, 1.0, -1.0, 3.0, -1.0, 0.0, 0x7FC00000, 1.0, 0xFF800000, 1.0, 2.0, 2.0], [0.0, 1.0, -0.5, 0x7F800000, 0.5, 0xFF800000, 0xFF800000, 0.5, 1.0, -3.0, 1.0, 0x7F800000, 0xFF800000, 3.0, 3.0, -3.0, 0.0, 0x7FC00000, 1.0, 1.0, 1.0, 3.0, 1.0, 0x7F800000, -0.5, -0.5, -0.5, -0.5, -0.0, 0x7FC00000, 3.0, -0.5, 0.0, -1.0, -0.0, -1.0, 0x7FC00000, 1.0, -0.0, 0.5, 0xFF800000, 0.0, -0.0, 0.0, 0xFF800000, 1.0, 0x7F800000, -0.0, 0.5, 0xFF800000, 0.0, -0.0, 1.0, -1.0, 0xFF800000, -0.5, 1.0, 3.0, 2.0, 0.5, 0xFF800000, 0.5, 0x7FC00000, -0.0], [-0.0, 1.0, 0x7FC00000, 0x7FC00000, 0x7FC00000, 0x7FC00000, 2.0, -0.0, 1.0, -0.0, -3.0, 0.5, -3.0, 2.0, 0x7FC00000, 1.0, -3.0, 1.0, 0x7F800000, 0.0, -1.0, 0x7F800000, 0.5, 1.0, -3.0, 0x7F800000, 0.0, 1.0, 0x7F800000, 2.0, 3.0, 1.0, -0.0, -3.0, 1.0, 2.0, 0x7F800000, 0.5, 1.0, 0.5, 1.0, -1.0, 0x7F800000, 0x7F800000, 1.0, 0x7F800000, 0.5, 3.0, -1.0, 0xFF800000, 1.0, 1.0, 1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -0.5, -3.0, 1.0, -1.0, -1.0, 0x7F800000], [0x7FC00000, 0.5, -3.0, 0.0, 0.0, 1.0, 2.0, 0x7FC00000, 2.0, -1.0, -3.0, 0xFF800000, 0.5, 0x7FC00000, 1.0, -3.0, 0.5, 0.5, -0.0, -1.0, -0.0, -1.0, 0x7FC00000, -1.0, 0.5, -1.0, 0x7FC00000, 0xFF800000, 0xFF800000, 1.0, 0.0, 0x7FC00000, 3.0, 0.5, 1.0, 3.0, -0.0, 1.0, 3.0, -0.0, -0.5, 1.0, -3.0, 1.0, -1.0, 0x7FC00000, 1.0, -0.5, 1.0, 3.0, 0.5, -0.0, 1.0, -3.0, -0.5, 0x7FC00000, -0.5, -3.0, -0.0, -3.0, 1.0, 1.0, 1.0, 0.0], [1.0, 0xFF800000, 0x7FC00000, 1.0, 3.0, 1.0, 0xFF800000, 1.0, 0xFF800000, 0x7FC00000, 3.0, 0.5, 1.0, 0x7F800000, 0x7F800000, 1.0, 0.0, 0.0, 1.0, -3.0, 3.0, -0.0, 0x7F800000, -3.0, 1.0, -0.5, 1.0, -1.0, 1.0, 1.0, -1.0, 0.0, 2.0, -1.0, 2.0, 0x7F800000, -1.0, 1.0, 0xFF800000, 0.5, 2.0, 0x7F800000, -0.5, 1.0, 1.0, 0.0, -3.0, 0.5, 0x7FC00000, 3.0, 0xFF800000, 1.0, 0x7F800000, -0.5, 1.0, 0x7F800000, 1.0, 0x7F800000, 1.0, 0x7F800000, 0x7F800000, 0.0, 1.0, 0x7FC00000], [1.0, 1.0, 0xFF800000, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0x7FC00000, 0xFF800000, -3.0, -0.0, 0x7F800000, 0.0, 0.5, 3.0, 0x7F800000, 0x7F800000, 0x7F800000, 0x7FC00000, 1.0, 1.0, -0.0, 0x7F800000, 0.0, -1.0, -1.0, 2.0, 0.0, 1.0, -0.0, 0x7F800000, 0x7FC00000, 0x7F800000, 0.0, 1.0, -0.0, 0x7FC00000, 0.5, 0xFF800000, 0x7F800000, 0xFF800000, 0x7F800000, -1.0, -3.0, 2.0, 0x7FC00000, 0x7F800000, 0x7F800000, 1.0, 0x7FC00000, 0x7F800000, -1.0, -3.0, 0x7F800000, 2.0, 0x7F800000, -1.0, 1.0, 0x7FC00000, 1.0, -0.5, -0.0], [-0.5, 0x7FC00000, 0.5, -0.0, 3.0, -1.0, -0.5, -0.0, -1.0, 3.0, 2.0, 1.0, -0.0, 1.0, 1.0, -3.0, 3.0, 3.0, 0.5, 1.0, 2.0, 1.0, 0x7FC00000, -1.0, -3.0, -0.0, -0.5, 0x7FC00000, 1.0, 3.0, 1.0, -1.0, 1.0, -3.0, -0.5, 0x7F800000, -0.5, 0.5, -0.5, -1.0, 0.5, 0.5, -0.0, -3.0, 0.5, 0.0, 0.5, 0x7F800000, 0x7FC00000, 0x7FC00000, -3.0, 0.0, -0.5, 0.5, 0x7F800000, 0xFF800000, 2.0, 0x7F800000, -0.0, -0.0, 1.0, -1.0, -0.0, -0.0], [2.0, 2.0, 0.0, 1.0, 1.0, 2.0, 1.0, 1.0, 1.0, -0.5, 1.0, 3.0, 1.0, 2.0, -0.5, 1.0, 0x7F800000, 0x7F800000, 0xFF800000, 0x7FC00000, -3.0, 0.5, -0.0, 2.0, 0.0, 1.0, -3.0, 1.0, -0.5, -0.0, 2.0, 0.0, 3.0, -0.0, 1.0, 2.0, -0.0, 0xFF800000, 1.0, -1.0, -0.0, 2.0, 1.0, -0.0, 0x7FC00000, 0.0, 0.5, 0x7F800000, -0.5, 2.0, 0xFF800000, 1.0, 0.0, 0x7F800000, -3.0, -1.0, -0.0, 1.0, 2.0, 0.0, 1.0, -1.0, 2.0, 3.0], [2.0, 0x7F800000, 1.0, -1.0, 2.0, 0x7FC00000, 0x7F800000, 3.0, 1.0, 2.0, 0.5, 1.0, 0.0, 2.0, 0.0, 0.0, 0.0, -3.0, 0x7F800000, 0x7F800000, -1.0, 0x7F800000, 0x7FC00000, -1.0, 0x7FC00000, -0.0, 3.0, 1.0, 3.0, -0.5, 3.0, 0x7FC00000, 0x7F800000, 1.0, -0.5, 0x7F800000, 2.0, -3.0, -1.0, -1.0, 0.5, -1.0, 1.0, -3.0, -3.0, 3.0, 1.0, -0.5, 0.5, 0.0, 1.0, 1.0, 0.0, -0.0, 3.0, -3.0, 2.0, -0.5, 1.0, 0.0, -0.0, 3.0, 1.0, -0.5], [1.0, 0x7F800000, 3.0, 2.0, 0xFF800000, -1.0, -3.0, 2.0, 0.0, 0x7FC00000, 1.0, 1.0, 2.0, 0x7FC00000, 0.0, 2.0, 0.5, 0.5, 0x7F800000, 0.5, -1.0, 0.0, 2.0, -1.0, 0.5, 1.0, 0.0, 0.5, -0.5, -0.0, 0x7FC00000, 2.0, 0x7F800000, 3.0, -1.0, -1.0, 0x7F800000, 1.0, 0.0, -0.0, 2.0, 1.0, -0.0, 1.0, -0.5, 0xFF800000, 0.0, -0.5, 0.0, 2.0, 2.0, 3.0, -1.0, -0.0, 0xFF800000, 0x7F800000, 1.0, 1.0, 1.0, 3.0, -3.0, 1.0, 0xFF800000, -0.5], [1.0, 0.5, -3.0, 0x7FC00000, 1.0, 2.0, -3.0, 0xFF800000, 3.0, 1.0, 0.0, 1.0, 1.0, -3.0, 0x7F800000, 3.0, -0.5, -3.0, -3.0, 1.0, 0x7F800000, 1.0, 0x7F800000, 1.0, 0x7F800000, 0xFF800000, 1.0, 1.0, 1.0, 0.0, 1.0, 3.0, 0xFF800000, 1.0, -3.0, 3.0, -3.0, 3.0, -1.0, -0.0, 0.0, 0.0, 1.0, 3.0, 0.5, -0.0, -0.5, 1.0, 0x7FC00000, 0x7F800000, 0.0, 3.0, 0.0, 3.0, 0x7F800000, 3.0, -1.0, 0x7FC00000, 2.0, 0.0, 0x7FC00000, 1.0, -0.0, -3.0], [0x7F800000, 0x7F800000, -0.0, 3.0, 0x7F800000, -0.0, -3.0, -3.0, 0x7FC00000, 2.0, 1.0, -0.0, 1.0, 2.0, -1.0, -3.0, 1.0, -1.0, -1.0, -3.0, 3.0, 0x7FC00000, 0x7FC00000, 1.0, -0.5, -0.0, 0x7FC00000, 3.0, 2.0, 1.0, 0.0, 0xFF800000, 3.0, 3.0, -1.0, -0.0, 0xFF800000, 1.0, 0.5, 2.0, 3.0, -3.0, -3.0, 2.0, 0xFF800000, 0xFF800000, 1.0, 0.0, 0x7FC00000, 0.0, 0x7FC00000, 2.0, 3.0, -0.0, -3.0, -1.0, 3.0, 0x7FC00000, 2.0, -3.0, 0x7F800000, 2.0, 0x7FC00000, 0x7FC00000], [0x7FC00000, 1.0, -0.0, 0x7F800000, -1.0, 2.0, -0.0, 0x7FC00000, 0.0, 2.0, 0x7FC00000, -0.0, 1.0, 0x7F800000, 0x7FC00000, 2.0, -0.5, -1.0, -1.0, -0.0, 0xFF800000, -0.0, 1.0, -3.0, 0x7F800000, 2.0, 0.5, 1.0, 0xFF800000, 1.0, 3.0, 0x7F800000, 2.0, -0.0, -3.0, 0.5, -1.0, 0x7FC00000, 0x7FC00000, -0.5, 0.0, 1.0, 0.0, 0x7FC00000, 3.0, 0x7FC00000, -0.5, 2.0, -3.0, 1.0, -0.5, 0.5, -0.5, 0.5, -0.0, 1.0, 0.5, 0.0, 0.5, 1.0, 0.5, 1.0, -0.5, -0.0], [-1.0, -3.0, 0.0, -3.0, 2.0, 2.0, 0.5, -0.0, -0.5, -0.5, 1.0, 0xFF800000, -0.0, 0.5, -0.5, 1.0, 2.0, 1.0, 0.0, 2.0, -0.0, 0.0, 1.0, 3.0, 2.0, 3.0, 1.0, -1.0, 2.0, -0.5, 0x7F800000, 0.5, -1.0, 1.0, 0.5, 1.0, -0.5, 0.0, 1.0, 1.0, 3.0, -0.5, 0x7F800000, 0x7F800000, -1.0, -3.0, -0.0, 0.0, -3.0, -0.5, 0x7FC00000, 0xFF800000, 1.0, 1.0, 3.0, 1.0, 2.0, 0x7FC00000, 0.0, 0x7F800000, 1.0, 1.0, 0x7FC00000, -0.5], [0.5, 2.0, 2.0, 2.0, -3.0, -3.0, 3.0, 2.0, -0.5, 3.0, -1.0, 2.0, 0x7FC00000, 0x7F800000, 3.0, -0.5, -0.0, 1.0, 3.0, 1.0, -0.0, -1.0, 0x7F800000, 1.0, 0x7FC00000, 0x7F800000, -1.0, 0x7FC00000, 0.5, 1.0, 0x7FC00000, -0.5, 1.0, 0x7F800000, -1.0, -1.0, -0.0, 1.0, 0.5, 0x7F800000, -0.0, 0.5, -1.0, 0.5, 2.0, 1.0, 0xFF800000, -1.0, 0.0, -3.0, 1.0, -0.5, -0.5, -0.5, -3.0, 0x7F800000, -1.0, -0.5, 2.0, 0.5, 1.0, 0.0, 0x7FC00000, 2.0], [0xFF800000, 0.5, 1.0, 3.0, 0x7F800000, 0x7F800000, 3.0, 1.0, 1.0, 1.0, -1.0, -0.0, 2.0, -1.0, -0.5, -0.5, 3.0, 0x7FC00000, -0.5, 2.0, 1.0, 1.0, 1.0, 0.0, 1.0, 0.0, -0.5, -3.0, 1.0, 1.0, 0x7FC00000, 0xFF800000, 0x7FC00000, 0.0, -0.0, -0.5, 1.0, 0x7F800000, 1.0, 0x7FC00000, 0x7FC00000, -1.0, 1.0, -0.0, -1.0, 1.0, 1.0, 0x7F800000, 3.0, -0.0, 1.0, -3.0, -3.0, 3.0, 1.0, 1.0, 0x7FC00000, -0.0, 0x7F800000, 1.0, 0.0, 0.0, 1.0, 1.0], [-1.0, 0xFF800000, 0.0, 3.0, -3.0, 2.0, 1.0, 3.0, 2.0, 0x7F800000, 3.0, -0.5, -3.0, 1.0, -0.0, -0.0, -0.0, 2.0, 0x7F800000, 0xFF800000, -1.0, -0.5, 2.0, -1.0, 1.0, 0xFF800000, 0.0, 0.0, 0x7F800000, 2.0, 0x7FC00000, 2.0, 0.5, 3.0, 1.0, -1.0, 0x7FC00000, 0x7F800000, -1.0, 0x7F800000, -1.0, 0.0, -0.5, -3.0, 3.0, 2.0, 0.0, 0.0, -1.0, 0x7FC00000, 3.0, 3.0, -0.5, -0.0, 2.0, -1.0, 3.0, -0.5, 0.5, -1.0, 0x7FC00000, 0.0, -3.0, 0.5], [-3.0, -0.5, 0.5, 3.0, -0.5, -1.0, 0.0, 1.0, 2.0, -3.0, 1.0, 0x7F800000, -0.0, -1.0, 0x7FC00000, -1.0, 2.0, 1.0, 1.0, -1.0, -1.0, 0x7FC00000, -1.0, 2.0, 1.0, 2.0, -0.0, 0xFF800000, 0x7FC00000, 0xFF800000, 1.0, -1.0, 0x7FC00000, -0.5, 3.0, 0.0, 0xFF800000, 1.0, -0.5, 0.0, -1.0, 0.0, 0xFF800000, 1.0, -0.5, 0.0, -3.0, 0.0, 1.0, -0.5, 0x7FC00000, -3.0, 0.5, -3.0, -0.0, -0.0, 1.0, 0.5, -1.0, 1.0, 3.0, 0x7F800000, -3.0, 0x7FC00000], [0.0, 2.0, 3.0, -3.0, -0.5, 1.0, 0.5, 0.5, 0x7FC00000, 1.0, -0.0, 0.0, -0.0, 2.0, -0.0, 0.5, -0.5, -0.0, 0x7F800000, 1.0, -1.0, -0.5, 0.5, 1.0, 1.0, 2.0, 1.0, 1.0, -0.5, -0.0, 0.0, -3.0, 0x7FC00000, -1.0, 0.5, 0x7F800000, 0x7FC00000, -1.0, 0.5, 0.5, -3.0, 0x7FC00000, 0.0, 3.0, -0.5, -1.0, 1.0, 3.0, 1.0, -0.5, 0.0, -0.5, 0.0, 0x7FC00000, -0.0, 1.0, 0.0, 2.0, -1.0, -3.0, -0.0, 0xFF800000, 0.5, 0.5], [2.0, 0.5, 0xFF800000, 0.0, 2.0, -3.0, -3.0, -3.0, 0.5, 2.0, 2.0, 0.0, -3.0, 1.0, 0xFF800000, 1.0, 3.0, -0.0, 0.0, 1.0, -1.0, -0.0, 0x7FC00000, -3.0, 0x7FC00000, 1.0, -0.5, 1.0, 2.0, -0.5, 1.0, 0x7FC00000, 1.0, 0x7FC00000, 1.0, 0.0, 1.0, -3.0, 2.0, 1.0, -3.0, 1.0, 1.0, 0xFF800000, -1.0, 0.5, 1.0, 0.5, 0x7FC00000, 0.5, 1.0, 1.0, 0xFF800000, -0.0, 0x7F800000, -1.0, -0.5, 1.0, 1.0, -1.0, -0.5, -0.0, 3.0, 0.0], [0x7FC00000, 0x7F800000, 0x7F800000, 0.5, 1.0, -0.5, -0.0, -0.0, 2.0, 0xFF800000, -0.0, -1.0, -0.0, -0.5, 0x7FC00000, -3.0, 0x7FC00000, 1.0, -1.0, 1.0, -0.5, 0x7FC00000, 0xFF800000, 3.0, -1.0, -3.0, 0x7F800000, 1.0, 1.0, 3.0, 1.0, -0.0, 1.0, 1.0, 2.0, 2.0, 2.0, 0xFF800000, 2.0, 0.5, 2.0, -3.0, 2.0, -1.0, 0x7FC00000, -1.0, 1.0, -1.0, -1.0, 1.0, 2.0, 0xFF800000, -1.0, 0.5, -0.0, -0.5, 2.0, -1.0, 0x7F800000, 0x7F800000, -1.0, 3.0, 1.0, -0.0], [3.0, 0x7FC00000, 0.0, -0.0, 0.0, 0x7FC00000, 1.0, -1.0, 1.0, 0x7FC00000, 0.5, 0.0, 2.0, -1.0, -0.0, 0.0, -1.0, 0xFF800000, 1.0, 0xFF800000, -1.0, -0.0, 0.5, 0x7F800000, 1.0, 1.0, 0x7FC00000, 0xFF800000, 2.0, 1.0, 1.0, 3.0, 0.0, -0.0, 3.0, 0xFF800000, -3.0, 0xFF800000, 0.5, -1.0, 0.0, 0.5, 0.5, 1.0, 0.0, -1.0, 2.0, 0.0, 0xFF800000, -3.0, 3.0, -1.0, 1.0, 0.0, 1.0, 0.5, -0.5, 3.0, 0.5, 1.0, 0xFF800000, 2.0, -0.0, -1.0], [0.0, 1.0, 0x7FC00000, 0x7F800000, 0x7FC00000, -0.0, -0.5, -0.0, 1.0, -0.5, 3.0, 0x7F800000, 1.0, 3.0, 0x7F800000, -0.0, 3.0, 1.0, -0.5, -3.0, 2.0, -0.5, 2.0, 3.0, 2.0, -0.5, 0.0, 2.0, -3.0, 0xFF800000, 0.5, -0.5, -0.5, 0.0, 1.0, 1.0, 1.0, 0.5, 3.0, -1.0, -0.5, -3.0, -0.5, -1.0, 0.0, -0.5, 1.0, -0.5, -0.0, 1.0, -0.0, -0.5, 0xFF800000, 0.5, 0x7FC00000, 1.0, 1.0, 1.0, 0.0, 0.0, 0x7F800000, 1.0, 3.0, 1.0], [-0.5, -0.0, 0xFF800000, 0xFF800000, 0.5, -3.0, 0x7F800000, 1.0, 1.0, 0.5, 2.0, 1.0, 0x7F800000, 1.0, -0.0, -0.0, -0.5, 0x7FC00000, 1.0, 1.0, 1.0, 1.0, -1.0, 2.0, 1.0, 1.0, 0.0, 0x7FC00000, 0.5, 0.0, 0xFF800000, 3.0, -0.5, -0.0, -3.0, 0xFF800000, -3.0, 1.0, 1.0, 3.0, 1.0, 1.0, -1.0, 0xFF800000, -0.5, 0xFF800000, 1.0, -1.0, 1.0, 0x7FC00000, 1.0, 0xFF800000, -1.0, 0.0, -0.5, 0x7F800000, 1.0, -0.5, 0.5, -0.0, 1.0, -1.0, -3.0, 1.0], [-1.0, 0.0, 0x7F800000, 1.0, 1.0, 3.0, 0.0, 3.0, 1.0, 0.5, -0.0, -0.5, 0xFF800000, 0x7FC00000, 0x7F800000, 1.0, 3.0, 1.0, 2.0, 3.0, -0.5, 2.0, 0xFF800000, -1.0, -0.5, -0.5, 3.0, 0.5, 0x7FC00000, 0x7F800000, 0x7FC00000, 1.0, 0.0, 0.0, 0xFF800000, 0x7FC00000, 0x7FC00000, -1.0, 0x7FC00000, 1.0, 0xFF800000, 1.0, 1.0, 0x7FC00000, 1.0, 1.0, 1.0, 0x7FC00000, -0.5, -0.0, -0.0, 1.0, 0.5, -0.5, 0.5, -0.0, 1.0, 0x7FC00000, 0x7F800000, 0x7F800000, 3.0, 0.0, 0.0, 3.0], [1.0, -0.0, -3.0, 0.5, 1.0, -3.0, 0x7F800000, -0.0, 0.0, 1.0, 0x7F800000, -0.5, 3.0, 1.0, 1.0, 0.0, 1.0, -0.0, 0xFF800000, -3.0, -3.0, 1.0, -0.0, -1.0, 1.0, 0x7FC00000, 2.0, 1.0, 1.0, 1.0, 3.0, 1.0, -3.0, -1.0, -0.0, 1.0, 0.5, 0xFF800000, 1.0, 2.0, 1.0, 0.5, 0xFF800000, 2.0, 1.0, 0x7FC00000, 1.0, 2.0, 0x7F800000, 0x7FC00000, -1.0, 0xFF800000, 2.0, 0xFF800000, 0x7F800000, -1.0, 0.5, 0.5, 0.0, -1.0, 1.0, -0.5, 1.0, 3.0], [2.0, 3.0, 0.5, -0.5, 1.0, 1.0, 1.0, 2.0, -0.0, 1.0, 0x7F800000, 0.0, 3.0, 1.0, 0.5, 1.0, 0x7FC00000, 0x7F800000, 0x7F800000, 0xFF800000, -3.0, -0.0, 2.0, 0x7F800000, 3.0, 1.0, -0.5, -3.0, 1.0, 0.5, 2.0, -0.5, 0.5, 0xFF800000, 1.0, 0.5, 0.5, 1.0, -0.0, 0x7FC00000, -1.0, 1.0, 0xFF800000, -3.0, 0.0, 2.0, 1.0, 0x7F800000, 2.0, 2.0, 3.0, 1.0, 0xFF800000, 3.0, 0.5, -3.0, 0.0, -3.0, 0.0, -1.0, 1.0, 2.0, 0xFF800000, 3.0], [-0.5, -0.5, 0x7F800000, 0.5, 0.0, 1.0, 0x7FC00000, -1.0, 0xFF800000, 3.0, 0.0, 0.0, 0.0, 0.0, 0xFF800000, 0.5, 2.0, -0.0, 0x7F800000, 0.5, 0x7F800000, -1.0, -0.5, 0xFF800000, 2.0, 0xFF800000, 1.0, -1.0, 0.5, 0xFF800000, 1.0, 0x7FC00000, 1.0, 1.0, 0.0, 1.0, -1.0, -3.0, 1.0, 0x7FC00000, -0.0, -0.0, 3.0, 1.0, 1.0, 3.0, 1.0, 2.0, -0.5, 1.0, 2.0, 0.0, 0.0, 3.0, 1.0, 0x7F800000, 0.5, 0xFF800000, 3.0, 0xFF800000, 0x7FC00000, 0xFF800000, 0x7F800000, -3.0], [0x7FC00000, -1.0, 1.0, 0.0, 0.0, 0.0, 0x7F800000, 0.0, -0.5, 1.0, -1.0, 1.0, 0.0, 1.0, -0.0, 0.0, 0xFF800000, 0x7F800000, 3.0, -1.0, 1.0, -0.5, -1.0, 0x7F800000, 0xFF800000, 3.0, 0x7F800000, 3.0, 3.0, -0.5, 1.0, 0xFF800000, 1.0, 0x7F800000, 2.0, -0.0, 2.0, 3.0, 0.0, -3.0, 1.0, 0x7FC00000, -3.0, 0x7F800000, 0.0, -0.5, 1.0, -0.5, -3.0, 0x7FC00000, -0.0, -3.0, 3.0, 0x7FC00000, 1.0, -1.0, -0.0, 2.0, -1.0, 3.0, 0.0, -0.0, 0.5, -3.0], [-3.0, 1.0, 2.0, -3.0, 0.0, 2.0, 3.0, 0x7F800000, 3.0, -0.5, 3.0, 1.0, 0x7F800000, 2.0, 2.0, 3.0, -1.0, -0.0, 0x7F800000, 0.0, 1.0, 2.0, -1.0, 1.0, -3.0, -1.0, 1.0, -3.0, 0.5, -1.0, -0.5, 0.5, 0xFF800000, -1.0, -0.5, 1.0, 3.0, -3.0, 3.0, 1.0, 0x7F800000, 0x7FC00000, 0x7FC00000, 1.0, 0x7F800000, -3.0, 0.0, 1.0, 0.0, -0.5, -3.0, -1.0, 0xFF800000, 2.0, 1.0, -1.0, -0.5, 0xFF800000, 0xFF800000, -0.0, 0xFF800000, 1.0, 1.0, 0.0]]> : tensor<32x64xf32>
  %wb = arith.constant dense<[[0.0, -0.0, -0.0, 0xFF80, 1.0, 0.5, 1.0, -3.0, 0.0, 0.0, 0.0, 1.0, -3.0, 3.0, 3.0, 0.0, -3.0, -0.0, -3.0, 0.0, -0.0, 1.0, 0xFF80, 1.0, 0.5, -1.0, 1.0, 1.0, 0x7F80, 3.0, -0.0, 1.0], [1.0, -3.0, -0.5, -0.0, -1.0, -1.0, -1.0, -0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 3.0, -0.0, 1.0, 1.0, 3.0, 3.0, 2.0, 0x7FC0, -0.0, 1.0, -0.0, 1.0, 1.0, 3.0, -1.0, 2.0, 0.5, 0.5, -0.5], [2.0, 0.0, 0.5, 2.0, 2.0, 0.0, -3.0, 1.0, 0.5, 0.5, 1.0, 0xFF80, 0x7F80, 0x7FC0, 1.0, 2.0, 0xFF80, -3.0, 0.0, 1.0, -0.5, 0.0, -0.5, 0x7F80, 1.0, -0.0, 0.5, 0x7FC0, -3.0, 0.0, 0x7F80, 0xFF80], [-1.0, -3.0, 1.0, 1.0, -0.0, 0xFF80, 1.0, 2.0, 1.0, -0.5, 0.0, 0x7F80, -1.0, 2.0, 1.0, 1.0, 0.0, 0.0, 0.5, 0x7FC0, -0.0, 0x7FC0, -3.0, 1.0, 1.0, 1.0, 0x7FC0, 0xFF80, 0.5, 1.0, 0x7F80, 2.0], [0xFF80, 1.0, 2.0, 1.0, -1.0, -3.0, -1.0, 0x7FC0, 1.0, -0.0, 3.0, 1.0, -0.0, 0x7FC0, 1.0, -3.0, 0x7F80, 1.0, -0.0, 3.0, 0.5, 0.5, -0.0, -0.5, -0.5, -3.0, -0.0, -0.5, 3.0, 0.0, 0.5, -1.0], [2.0, 2.0, -0.5, 0x7F80, 0x7F80, 1.0, -0.5, 3.0, -1.0, 0x7FC0, 1.0, 0x7F80, 0xFF80, 1.0, -3.0, 1.0, 0xFF80, 3.0, 0.0, 0.5, 0xFF80, 0.5, 0x7F80, 1.0, 1.0, 1.0, 0x7FC0, 3.0, 0x7F80, -3.0, 0.5, 1.0], [0x7FC0, 0x7FC0, -3.0, 1.0, 2.0, 0xFF80, -1.0, 1.0, 0.5, 0x7FC0, 3.0, -3.0, -1.0, 0x7F80, -1.0, 2.0, 2.0, 1.0, -3.0, 1.0, 1.0, 0xFF80, 1.0, -3.0, 1.0, -1.0, -3.0, 0.5, 0xFF80, 0x7F80, 0.5, 1.0], [-1.0, 0.5, -1.0, 2.0, -3.0, -0.0, 1.0, 3.0, -0.0, -1.0, -0.5, 1.0, 1.0, 1.0, 2.0, -3.0, 2.0, -0.5, 2.0, -1.0, -0.0, 3.0, -0.0, 2.0, -1.0, -0.5, 0x7FC0, 0.0, 0.0, -0.5, 1.0, 1.0], [-0.5, -3.0, -1.0, 0x7F80, 3.0, 2.0, 0x7FC0, 0.0, 1.0, 2.0, 0xFF80, -3.0, -0.5, 0.0, -3.0, -1.0, 1.0, -0.5, -3.0, 0xFF80, 0xFF80, -3.0, 3.0, -0.5, 1.0, -1.0, 3.0, -3.0, 3.0, 1.0, 3.0, -3.0], [0xFF80, 1.0, -1.0, 3.0, 1.0, 3.0, -0.0, 0x7FC0, -0.5, 0.5, 2.0, 3.0, -3.0, -0.0, -0.5, -1.0, 1.0, -0.5, -3.0, -3.0, 3.0, 1.0, 2.0, 1.0, -0.5, 0x7FC0, 0x7FC0, 0.0, 0xFF80, 1.0, -0.5, 0x7F80], [3.0, 3.0, 1.0, 1.0, 3.0, 0.5, 1.0, 0.0, -0.5, 1.0, 0x7FC0, -0.0, 0.0, 2.0, 0x7F80, -1.0, 1.0, -3.0, 1.0, -1.0, 0x7F80, 0.5, -0.0, 1.0, 0xFF80, 0x7FC0, 0x7F80, -1.0, -3.0, 0x7FC0, 0x7F80, 0.0], [3.0, 1.0, 1.0, 0.5, 0x7F80, 0.5, -0.5, -3.0, 0x7FC0, -1.0, 3.0, 1.0, -0.5, 0x7F80, 1.0, -0.0, -3.0, 0xFF80, 0.5, 3.0, 0.0, 2.0, 2.0, -0.5, -0.5, 0.0, 0.0, -0.0, -0.5, -0.5, 3.0, -3.0], [3.0, 0.5, 0xFF80, 2.0, -0.0, -1.0, 2.0, -3.0, -0.5, 0x7F80, -1.0, 1.0, -0.5, 0x7FC0, -1.0, 1.0, 1.0, 1.0, -0.0, 1.0, 1.0, 3.0, -1.0, 0x7FC0, 3.0, 0x7F80, -3.0, -1.0, 1.0, 1.0, 0.5, 3.0], [3.0, 1.0, 1.0, 1.0, 1.0, -0.5, 0x7FC0, 2.0, 1.0, 0x7F80, 3.0, 1.0, 1.0, 1.0, 0x7FC0, 0.5, 1.0, 1.0, -1.0, 2.0, -3.0, -0.5, 3.0, 2.0, -0.5, 3.0, 1.0, 0x7FC0, 0.0, 1.0, -3.0, 1.0], [2.0, 0.5, -1.0, 3.0, 2.0, 0.5, 0x7FC0, 0x7FC0, -0.5, 0xFF80, 3.0, -0.0, 3.0, 0.5, 1.0, 2.0, 1.0, -0.5, 0.0, -0.0, 1.0, 0xFF80, 0.5, 1.0, 1.0, 0x7F80, 1.0, 0.5, 3.0, 0xFF80, 0.0, 3.0], [0.0, -1.0, -0.0, 3.0, 2.0, 2.0, 0xFF80, -0.0, 0xFF80, 1.0, 1.0, -1.0, 1.0, 1.0, 0x7FC0, 0.5, 1.0, 1.0, -1.0, -0.5, 1.0, 0x7F80, 1.0, 0xFF80, -3.0, 0xFF80, 1.0, -0.0, 3.0, 0x7F80, 1.0, 3.0]]> : tensor<16x32xbf16>
  %sv = llvm.mlir.addressof @s_v : !llvm.ptr
  %sm = llvm.mlir.addressof @s_m : !llvm.ptr
  %svt = llvm.mlir.addressof @s_vt : !llvm.ptr
  %smt = llvm.mlir.addressof @s_mt : !llvm.ptr
  %sf32 = llvm.mlir.addressof @s_f32 : !llvm.ptr
  %sf32t = llvm.mlir.addressof @s_f32t : !llvm.ptr
  %sbf16 = llvm.mlir.addressof @s_bf16 : !llvm.ptr
  %sbf16t = llvm.mlir.addressof @s_bf16t : !llvm.ptr

  // Run time.
  %rv, %rm = func.call @prune_f32(%w) : (tensor<32x64xf32>) -> (tensor<32x32xf32>, tensor<32x4xi16>)
  %rtv, %rtm, %rtvt, %rtmt = func.call @prune_f32_t(%w) : (tensor<32x64xf32>) -> (tensor<32x32xf32>, tensor<32x4xi16>, tensor<64x16xf32>, tensor<64x2xi16>)
  %false = arith.constant false
  %true = arith.constant true
  %rbv, %rbm = func.call @prune_bf16(%wb, %false) : (tensor<16x32xbf16>, i1) -> (tensor<16x16xbf16>, tensor<16x2xi16>)
  %rbtv, %rbtm = func.call @prune_bf16(%wb, %true) : (tensor<16x32xbf16>, i1) -> (tensor<16x16xbf16>, tensor<16x2xi16>)

  // The pattern library (folded at compile time).
  %v0 = tensor.empty() : tensor<32x32xf32>
  %m0 = tensor.empty() : tensor<32x4xi16>
  %vt0 = tensor.empty() : tensor<64x16xf32>
  %mt0 = tensor.empty() : tensor<64x2xi16>
  %lv, %lm = pixelfly.prune_2_4 ins(%w : tensor<32x64xf32>) outs(%v0, %m0 : tensor<32x32xf32>, tensor<32x4xi16>) -> tensor<32x32xf32>, tensor<32x4xi16>
  %ltv, %ltm, %ltvt, %ltmt = pixelfly.prune_2_4 transposable ins(%w : tensor<32x64xf32>) outs(%v0, %m0, %vt0, %mt0 : tensor<32x32xf32>, tensor<32x4xi16>, tensor<64x16xf32>, tensor<64x2xi16>) -> tensor<32x32xf32>, tensor<32x4xi16>, tensor<64x16xf32>, tensor<64x2xi16>
  %bv0 = tensor.empty() : tensor<16x16xbf16>
  %bm0 = tensor.empty() : tensor<16x2xi16>
  %lbv, %lbm = pixelfly.prune_2_4 ins(%wb : tensor<16x32xbf16>) outs(%bv0, %bm0 : tensor<16x16xbf16>, tensor<16x2xi16>) -> tensor<16x16xbf16>, tensor<16x2xi16>
  %lbtv, %lbtm = pixelfly.prune_2_4 transposable ins(%wb : tensor<16x32xbf16>) outs(%bv0, %bm0 : tensor<16x16xbf16>, tensor<16x2xi16>) -> tensor<16x16xbf16>, tensor<16x2xi16>

  %a1 = tensor.cast %rv : tensor<32x32xf32> to tensor<?x?xf32>
  %b1 = tensor.cast %lv : tensor<32x32xf32> to tensor<?x?xf32>
  %s1 = func.call @same_f32(%a1, %b1) : (tensor<?x?xf32>, tensor<?x?xf32>) -> i1
  func.call @report(%s1, %sv, %sf32) : (i1, !llvm.ptr, !llvm.ptr) -> ()
  %a2 = tensor.cast %rm : tensor<32x4xi16> to tensor<?x?xi16>
  %b2 = tensor.cast %lm : tensor<32x4xi16> to tensor<?x?xi16>
  %s2 = func.call @same_i16(%a2, %b2) : (tensor<?x?xi16>, tensor<?x?xi16>) -> i1
  func.call @report(%s2, %sm, %sf32) : (i1, !llvm.ptr, !llvm.ptr) -> ()

  %a3 = tensor.cast %rtv : tensor<32x32xf32> to tensor<?x?xf32>
  %b3 = tensor.cast %ltv : tensor<32x32xf32> to tensor<?x?xf32>
  %s3 = func.call @same_f32(%a3, %b3) : (tensor<?x?xf32>, tensor<?x?xf32>) -> i1
  func.call @report(%s3, %sv, %sf32t) : (i1, !llvm.ptr, !llvm.ptr) -> ()
  %a4 = tensor.cast %rtm : tensor<32x4xi16> to tensor<?x?xi16>
  %b4 = tensor.cast %ltm : tensor<32x4xi16> to tensor<?x?xi16>
  %s4 = func.call @same_i16(%a4, %b4) : (tensor<?x?xi16>, tensor<?x?xi16>) -> i1
  func.call @report(%s4, %sm, %sf32t) : (i1, !llvm.ptr, !llvm.ptr) -> ()
  %a5 = tensor.cast %rtvt : tensor<64x16xf32> to tensor<?x?xf32>
  %b5 = tensor.cast %ltvt : tensor<64x16xf32> to tensor<?x?xf32>
  %s5 = func.call @same_f32(%a5, %b5) : (tensor<?x?xf32>, tensor<?x?xf32>) -> i1
  func.call @report(%s5, %svt, %sf32t) : (i1, !llvm.ptr, !llvm.ptr) -> ()
  %a6 = tensor.cast %rtmt : tensor<64x2xi16> to tensor<?x?xi16>
  %b6 = tensor.cast %ltmt : tensor<64x2xi16> to tensor<?x?xi16>
  %s6 = func.call @same_i16(%a6, %b6) : (tensor<?x?xi16>, tensor<?x?xi16>) -> i1
  func.call @report(%s6, %smt, %sf32t) : (i1, !llvm.ptr, !llvm.ptr) -> ()

  %a7 = tensor.cast %rbv : tensor<16x16xbf16> to tensor<?x?xbf16>
  %b7 = tensor.cast %lbv : tensor<16x16xbf16> to tensor<?x?xbf16>
  %s7 = func.call @same_bf16(%a7, %b7) : (tensor<?x?xbf16>, tensor<?x?xbf16>) -> i1
  func.call @report(%s7, %sv, %sbf16) : (i1, !llvm.ptr, !llvm.ptr) -> ()
  %a8 = tensor.cast %rbm : tensor<16x2xi16> to tensor<?x?xi16>
  %b8 = tensor.cast %lbm : tensor<16x2xi16> to tensor<?x?xi16>
  %s8 = func.call @same_i16(%a8, %b8) : (tensor<?x?xi16>, tensor<?x?xi16>) -> i1
  func.call @report(%s8, %sm, %sbf16) : (i1, !llvm.ptr, !llvm.ptr) -> ()
  %a9 = tensor.cast %rbtv : tensor<16x16xbf16> to tensor<?x?xbf16>
  %b9 = tensor.cast %lbtv : tensor<16x16xbf16> to tensor<?x?xbf16>
  %s9 = func.call @same_bf16(%a9, %b9) : (tensor<?x?xbf16>, tensor<?x?xbf16>) -> i1
  func.call @report(%s9, %sv, %sbf16t) : (i1, !llvm.ptr, !llvm.ptr) -> ()
  %a10 = tensor.cast %rbtm : tensor<16x2xi16> to tensor<?x?xi16>
  %b10 = tensor.cast %lbtm : tensor<16x2xi16> to tensor<?x?xi16>
  %s10 = func.call @same_i16(%a10, %b10) : (tensor<?x?xi16>, tensor<?x?xi16>) -> i1
  func.call @report(%s10, %sm, %sbf16t) : (i1, !llvm.ptr, !llvm.ptr) -> ()
  return
}
