// RUN: pixelfly-opt %s --convert-pixelfly-to-linalg -verify-diagnostics | FileCheck %s

// The memref form is left as it is, with a remark: the conversion runs
// before bufferization.
#l = #pixelfly.block_layout<shape = 64x96, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 1]>
// CHECK-LABEL: func.func @memref_form(
// CHECK:         pixelfly.block_sparse_matmul
func.func @memref_form(%x: memref<8x96xf32>, %b: memref<3x32x32xf32>, %y: memref<8x64xf32>) {
  // expected-remark @below {{left unchanged: op is in memref form; convert-pixelfly-to-linalg lowers the tensor form (run it before bufferization)}}
  pixelfly.block_sparse_matmul ins(%x, %b : memref<8x96xf32>, memref<3x32x32xf32>) outs(%y : memref<8x64xf32>) layout(#l)
  return
}
