// The momentum step of train-butterfly.mlir (Inputs/train-momentum-step.mlir)
// under a hand-written plan of a rank-16 term alone: the weight and its
// momentum become U and V (and a momentum for each). X V and dY U are
// computed once: the forward is (X V) U^T, the input gradient (dY U) V^T,
// and the factors' gradients dY^T (X V) and X^T (dY U) read the same two.
//
// With small-integer factors (every sum exact) and every momentum zero,
// the sparsified step gives Y, dX and (as the updated momenta) the
// factors' gradients equal bit for bit to the dense step's on W = U V^T
// and to the gradients the chain rule makes from its dW
// (Inputs/train-lowrank-only-reference.mlir). With U and V swapped in the
// sparsified step's call (W^T, a different weight) they differ.
//
// REQUIRES: mlir-runner
// DEFINE: %{plan} = #pixelfly.plan<structure = low_rank, rank = 16>
// DEFINE: %{run} = mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils | sed -e 's/base@ = 0x[0-9a-f]*//'
// RUN: sed -e 's/%y = linalg.matmul ins/%y = linalg.matmul {pixelfly.plan = %{plan}} ins/' \
// RUN:     %S/Inputs/train-momentum-step.mlir \
// RUN: | pixelfly-opt --pixelfly-sparsify="weights=argument" 2>/dev/null > %t.sparse-step.mlir
// RUN: FileCheck %s --check-prefix=IR --input-file=%t.sparse-step.mlir
// RUN: cat %S/Inputs/train-momentum-step.mlir %S/Inputs/train-lowrank-only-reference.mlir %S/Inputs/train-data.mlir \
// RUN: | pixelfly-opt --pixelfly-cpu-pipeline | %{run} > %t.dense
// RUN: sed -e '/^module {$/d' -e '/^}$/d' %t.sparse-step.mlir \
// RUN: | cat - %S/Inputs/train-lowrank-only-sparse.mlir %S/Inputs/train-data.mlir \
// RUN: | pixelfly-opt --pixelfly-cpu-pipeline | %{run} > %t.sparse
// RUN: diff %t.dense %t.sparse
// RUN: FileCheck %s --input-file=%t.sparse
// RUN: sed -e 's/@step(%x, %u, %f, /@step(%x, %f, %u, /' %S/Inputs/train-lowrank-only-sparse.mlir > %t.swapped.mlir
// RUN: sed -e '/^module {$/d' -e '/^}$/d' %t.sparse-step.mlir \
// RUN: | cat - %t.swapped.mlir %S/Inputs/train-data.mlir \
// RUN: | pixelfly-opt --pixelfly-cpu-pipeline | %{run} > %t.swapped
// RUN: not diff %t.dense %t.swapped

// IR-LABEL: func.func @step(
// IR-SAME:      %[[X:[^:]+]]: tensor<7x64xf32>, %[[U:[^:]+]]: tensor<64x16xf32>, %[[V:[^:]+]]: tensor<64x16xf32>, %[[DY:[^:]+]]: tensor<7x64xf32>,
// IR-NOT:     pixelfly.low_rank_matmul
// IR:         %[[XV:.+]] = linalg.matmul ins(%[[X]], %[[V]] :
// IR:         linalg.matmul indexing_maps = {{.+}} ins(%[[XV]], %[[U]] :
// IR:         %[[DYU:.+]] = linalg.matmul ins(%[[DY]], %[[U]] :
// IR:         linalg.matmul indexing_maps = {{.+}} ins(%[[DYU]], %[[V]] :
// IR:         linalg.matmul indexing_maps = {{.+}} ins(%[[DY]], %[[XV]] :
// IR:         linalg.matmul indexing_maps = {{.+}} ins(%[[X]], %[[DYU]] :
// IR-NOT:     linalg.matmul
// IR-NOT:     pixelfly.low_rank_matmul
// IR-NOT:     func.func @step_pack

// Y and dX (7 x 64), the gradients of U and V.
// CHECK-COUNT-2: sizes = [7, 64]
// CHECK-COUNT-2: sizes = [64, 16]
// CHECK-NOT:     sizes
