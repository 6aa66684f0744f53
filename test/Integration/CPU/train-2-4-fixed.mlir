// A 2:4 training step with a fixed mask (two-four-mask=fixed): the mask is
// an argument after the weight, made once by the generated @step_pack (a
// transposable prune of the initial weight, densified as 0/1); each step
// multiplies the weight by it before the per-step prune, which then keeps
// exactly the mask. The mask comes from w0 (on the checkerboard 2:4 mask),
// the step runs on w1 (nonzero everywhere, whose own transposable prune
// keeps other entries): Y and dX equal, bit for bit, the dense step's on w1
// masked by w0's structure (small integers: every sum exact). With the mask
// made from w1 instead they differ, which shows the step follows the mask
// it is given rather than re-pruning.
//
// REQUIRES: mlir-runner
// DEFINE: %{opts} = mode=2:4 weights=argument min-weight-size=16 two-four-mask=fixed
// DEFINE: %{run} = mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils | sed -e 's/base@ = 0x[0-9a-f]*//'
// RUN: pixelfly-opt %s --pixelfly-sparsify="%{opts}" 2>/dev/null > %t.sparse-step.mlir
// RUN: FileCheck %s --check-prefix=IR --input-file=%t.sparse-step.mlir
// RUN: cat %s %S/Inputs/train-2-4-fixed-dense.mlir %S/Inputs/train-2-4-fixed-data.mlir \
// RUN: | pixelfly-opt --pixelfly-cpu-pipeline | %{run} > %t.dense
// RUN: sed -e '/^module {$/d' -e '/^}$/d' %t.sparse-step.mlir \
// RUN: | cat - %S/Inputs/train-2-4-fixed-sparse.mlir %S/Inputs/train-2-4-fixed-data.mlir \
// RUN: | pixelfly-opt --pixelfly-cpu-pipeline | %{run} > %t.sparse
// RUN: diff %t.dense %t.sparse
// RUN: FileCheck %s --input-file=%t.sparse
// RUN: sed -e 's/@step_pack(%w0)/@step_pack(%w1)/' %S/Inputs/train-2-4-fixed-sparse.mlir > %t.run-w1.mlir
// RUN: sed -e '/^module {$/d' -e '/^}$/d' %t.sparse-step.mlir \
// RUN: | cat - %t.run-w1.mlir %S/Inputs/train-2-4-fixed-data.mlir \
// RUN: | pixelfly-opt --pixelfly-cpu-pipeline | %{run} > %t.sparse-w1
// RUN: not diff %t.dense %t.sparse-w1

// IR-LABEL: func.func @step(
// IR-SAME:      %[[X:[^:]+]]: tensor<7x32xf32>, %[[W:[^:]+]]: tensor<64x32xf32>, %[[MASK:[^:]+]]: tensor<64x32xf32>, %{{[^:]+}}: tensor<7x64xf32>, %{{[^:]+}}: tensor<f32>)
// IR:         %[[MW:.+]] = linalg.mul ins(%[[W]], %[[MASK]] :
// IR:         pixelfly.prune_2_4 transposable ins(%[[MW]] :
// IR-COUNT-2: pixelfly.two_four_matmul
// IR:         linalg.matmul {{.+}} ins(%{{.+}}, %[[X]] :
// IR:         linalg.generic {{.+}} ins(%{{.+}}, %[[W]], %{{.+}} :
// IR-LABEL: func.func @step_pack(
// IR-SAME:      tensor<64x32xf32>) -> tensor<64x32xf32>
// IR:         %[[P:.+]]:4 = pixelfly.prune_2_4 transposable
// IR:         %[[ONES:.+]] = arith.constant dense<1.000000e+00> : tensor<64x16xf32>
// IR:         pixelfly.densify_2_4 ins(%[[ONES]], %[[P]]#1 :

// Y (7 x 64) and dX (7 x 32).
// CHECK: sizes = [7, 64]
// CHECK: sizes = [7, 32]

func.func @step(%x: tensor<7x32xf32>, %w: tensor<64x32xf32>, %dy: tensor<7x64xf32>, %lr: tensor<f32>)
    -> (tensor<7x64xf32>, tensor<7x32xf32>, tensor<64x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %ey = tensor.empty() : tensor<7x64xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<7x64xf32>) -> tensor<7x64xf32>
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%x, %w : tensor<7x32xf32>, tensor<64x32xf32>) outs(%fy : tensor<7x64xf32>) -> tensor<7x64xf32>
  %ex = tensor.empty() : tensor<7x32xf32>
  %fx = linalg.fill ins(%zero : f32) outs(%ex : tensor<7x32xf32>) -> tensor<7x32xf32>
  %dx = linalg.matmul ins(%dy, %w : tensor<7x64xf32>, tensor<64x32xf32>) outs(%fx : tensor<7x32xf32>) -> tensor<7x32xf32>
  %ew = tensor.empty() : tensor<64x32xf32>
  %fw = linalg.fill ins(%zero : f32) outs(%ew : tensor<64x32xf32>) -> tensor<64x32xf32>
  %dw = linalg.matmul indexing_maps = [affine_map<(n, k, m) -> (m, n)>, affine_map<(n, k, m) -> (m, k)>, affine_map<(n, k, m) -> (n, k)>]
         ins(%dy, %x : tensor<7x64xf32>, tensor<7x32xf32>) outs(%fw : tensor<64x32xf32>) -> tensor<64x32xf32>
  %w2 = linalg.generic {indexing_maps = [affine_map<(i, j) -> ()>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%lr, %w, %dw : tensor<f32>, tensor<64x32xf32>, tensor<64x32xf32>) outs(%ew : tensor<64x32xf32>) {
  ^bb0(%r: f32, %a: f32, %g: f32, %o: f32):
    %s = arith.mulf %r, %g : f32
    %t = arith.subf %a, %s : f32
    linalg.yield %t : f32
  } -> tensor<64x32xf32>
  return %y, %dx, %w2 : tensor<7x64xf32>, tensor<7x32xf32>, tensor<64x32xf32>
}
