// RUN: pixelfly-opt %s --pixelfly-cpu-pipeline | FileCheck %s --implicit-check-not=pixelfly. --implicit-check-not=linalg. --implicit-check-not=tensor. --implicit-check-not=vector. --implicit-check-not=scf.
// RUN: pixelfly-opt %s --pixelfly-cpu-pipeline="lower-to-llvm=false" | FileCheck %s --check-prefix=LOOPS
// RUN: pixelfly-opt %s --pixelfly-cpu-pipeline="vectorize=false lower-to-llvm=false" | FileCheck %s --check-prefix=SCALAR
// RUN: pixelfly-opt %s --pass-pipeline="builtin.module(pixelfly-cpu-pipeline{tile-m=4 tile-n=16 tile-k=16})" -o /dev/null

// Everything ends in the LLVM dialect, with the C interface of the runner
// utilities untouched.
// CHECK-LABEL: llvm.func @layer(
// CHECK:         llvm.intr.fmuladd
// CHECK:         llvm.return

// Before the LLVM conversion: buffers, the block-row loops over the layout's
// constant tables, vector tiles and the scalar remainder.
// LOOPS-LABEL: func.func @layer(
// LOOPS-SAME:      %{{.+}}: memref<?x96xf32>, %{{.+}}: memref<3x32x32xf32>, %{{.+}}: memref<?x64xf32>) -> memref<?x64xf32>
// LOOPS:         memref.get_global
// LOOPS:         scf.for
// LOOPS:           scf.for
// LOOPS:             vector.contract
// LOOPS:             memref.load
// LOOPS-NOT:     pixelfly.
// LOOPS-NOT:     linalg.

// SCALAR-LABEL: func.func @layer(
// SCALAR-NOT:    vector.
// SCALAR:        arith.mulf
// SCALAR-NOT:    vector.

#l = #pixelfly.block_layout<shape = 64x96, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 1]>
func.func @layer(%x: tensor<?x96xf32>, %b: tensor<3x32x32xf32>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %y = pixelfly.block_sparse_matmul ins(%x, %b : tensor<?x96xf32>, tensor<3x32x32xf32>) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}
