// RUN: pixelfly-opt --pixelfly-sparsify %s | FileCheck %s
// REQUIRES: mlir-runner
// RUN: pixelfly-opt --pixelfly-sparsify --pixelfly-cpu-pipeline %s \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s --check-prefix=EXEC
// Fuzz finding (seed 20261204, run 14675, from the corpus's
// llvm-linalg-specialize-generic-ops.mlir with static sizes): a
// matrix-vector product (a layer without a token dimension) crashed
// pixelfly-sparsify while it collapsed the 1-D activation to 2-D. The vector
// is now one row of tokens. Executed: W = 0.5 everywhere is rank one, so the
// low-rank projection is exact and y = W x = 0.5 * sum(x) = 0.5 * 2016.

// CHECK-LABEL: func.func @matvec
// CHECK: %[[X:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [1, 64] : tensor<64xf32> into tensor<1x64xf32>
// CHECK: %[[Y:.*]] = pixelfly.low_rank_matmul ins(%[[X]], {{.*}} : tensor<1x64xf32>, tensor<64x16xf32>, tensor<64x16xf32>) outs(%{{.*}} : tensor<1x64xf32>)
// CHECK: tensor.collapse_shape %[[Y]] {{\[\[}}0, 1]] : tensor<1x64xf32> into tensor<64xf32>
// CHECK-NOT: linalg.generic
// CHECK-LABEL: func.func @main

// EXEC: Unranked Memref {{.*}} rank = 1 offset = 0 sizes = [64] strides = [1]
// EXEC-NEXT: [1008{{(, +1008)+}}]
#plan = #pixelfly.plan<structure = low_rank, rank = 16>
func.func @matvec(%x: tensor<64xf32>, %out: tensor<64xf32>) -> tensor<64xf32> {
  %w = arith.constant dense<0.5> : tensor<64x64xf32>
  %0 = linalg.generic {pixelfly.plan = #plan,
          indexing_maps = [affine_map<(n, k) -> (n, k)>, affine_map<(n, k) -> (k)>, affine_map<(n, k) -> (n)>],
          iterator_types = ["parallel", "reduction"]}
          ins(%w, %x : tensor<64x64xf32>, tensor<64xf32>) outs(%out : tensor<64xf32>) {
    ^bb0(%a: f32, %b: f32, %c: f32):
      %m = arith.mulf %a, %b : f32
      %s = arith.addf %c, %m : f32
      linalg.yield %s : f32
  } -> tensor<64xf32>
  return %0 : tensor<64xf32>
}

func.func private @printMemrefF32(tensor<*xf32>) attributes {llvm.emit_c_interface}

func.func @main() {
  // x = 0, 1, ..., 63: their sum is 2016.
  %empty = tensor.empty() : tensor<64xf32>
  %x = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      outs(%empty : tensor<64xf32>) {
    ^bb0(%o: f32):
      %i = linalg.index 0 : index
      %ii = arith.index_cast %i : index to i64
      %f = arith.sitofp %ii : i64 to f32
      linalg.yield %f : f32
  } -> tensor<64xf32>
  %zero = arith.constant 0.0 : f32
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<64xf32>) -> tensor<64xf32>
  %y = call @matvec(%x, %init) : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
  %u = tensor.cast %y : tensor<64xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}
