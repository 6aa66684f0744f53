// The momentum step of train-butterfly.mlir (Inputs/train-momentum-step.mlir)
// under a hand-written plan of blocks plus a rank-16 term: the weight and
// its momentum become blocks, U, V and a learned gamma (and a momentum for
// each), the forward pixelfly.linear, the input gradient pixelfly.linear
// over the blocks of W^T (gathered from B's, each transposed: the layout's
// own permutation is not the identity) with U and V swapped, the weight
// gradient the four parameters' gradients, the optimizer rebuilt once per
// parameter.
//
// With small-integer data and gamma 0.25 (every sum exact), the sparsified
// step, with every momentum zero, gives Y, dX and (as the updated momenta)
// the four parameters' gradients equal bit for bit to the dense step's on
// W = gamma B + (1 - gamma) U V^T and to the gradients the chain rule makes
// from its dW (Inputs/train-lowrank-reference.mlir); with the weight off the
// layout they differ. With random parameters (factors, gamma and states
// too) the sparsified step matches the same step with its products
// expanded to dense (the reference harness), every output.
//
// REQUIRES: mlir-runner
// DEFINE: %{plan} = #pixelfly.plan<structure = butterfly, pattern = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 16>, rank = 16>
// DEFINE: %{run} = mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils | sed -e 's/base@ = 0x[0-9a-f]*//'
// RUN: sed -e 's/%y = linalg.matmul ins/%y = linalg.matmul {pixelfly.plan = %{plan}} ins/' \
// RUN:     %S/Inputs/train-momentum-step.mlir > %t.step.mlir
// RUN: pixelfly-opt %t.step.mlir --pixelfly-sparsify="weights=argument" 2>/dev/null > %t.sparse-step.mlir
// RUN: FileCheck %s --check-prefix=IR --input-file=%t.sparse-step.mlir
// RUN: cat %S/Inputs/train-momentum-step.mlir %S/Inputs/train-gather.mlir %S/Inputs/train-lowrank-reference.mlir %S/Inputs/train-data.mlir \
// RUN: | pixelfly-opt --pixelfly-cpu-pipeline | %{run} > %t.dense
// RUN: sed -e '/^module {$/d' -e '/^}$/d' %t.sparse-step.mlir \
// RUN: | cat - %S/Inputs/train-butterfly-lowrank-sparse.mlir %S/Inputs/train-data.mlir \
// RUN: | pixelfly-opt --pixelfly-cpu-pipeline | %{run} > %t.sparse
// RUN: diff %t.dense %t.sparse
// RUN: FileCheck %s --input-file=%t.sparse
// RUN: sed -e 's/%on_layout = arith.constant true/%on_layout = arith.constant false/' \
// RUN:     %S/Inputs/train-data.mlir > %t.data-off.mlir
// RUN: cat %S/Inputs/train-momentum-step.mlir %S/Inputs/train-gather.mlir %S/Inputs/train-lowrank-reference.mlir %t.data-off.mlir \
// RUN: | pixelfly-opt --pixelfly-cpu-pipeline | %{run} > %t.dense-off
// RUN: sed -e '/^module {$/d' -e '/^}$/d' %t.sparse-step.mlir \
// RUN: | cat - %S/Inputs/train-butterfly-lowrank-sparse.mlir %t.data-off.mlir \
// RUN: | pixelfly-opt --pixelfly-cpu-pipeline | %{run} > %t.sparse-off
// RUN: not diff %t.dense-off %t.sparse-off
// RUN: pixelfly-opt %t.sparse-step.mlir --test-pixelfly-reference-harness="func=step" \
// RUN:     --pixelfly-cpu-pipeline 2>/dev/null \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s --check-prefix=HARNESS

// RUN: sed -e 's/%y = linalg.matmul ins/%y = linalg.matmul {pixelfly.plan = %{plan}} ins/' \
// RUN:     %S/Inputs/train-momentum-master-step.mlir \
// RUN: | pixelfly-opt --pixelfly-sparsify="weights=argument" 2>/dev/null > %t.master.mlir
// RUN: FileCheck %s --check-prefix=MASTER --input-file=%t.master.mlir
// RUN: pixelfly-opt %t.master.mlir --test-pixelfly-reference-harness="func=step" \
// RUN:     --pixelfly-cpu-pipeline 2>/dev/null \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s --check-prefix=HARNESS

// IR-LABEL: func.func @step(
// IR-SAME:      %[[X:[^:]+]]: tensor<7x64xf32>, %[[B:[^:]+]]: tensor<8x16x16xf32>, %[[U:[^:]+]]: tensor<64x16xf32>, %[[V:[^:]+]]: tensor<64x16xf32>, %[[G:[^:]+]]: tensor<f32>,
// IR-SAME:      %[[DY:[^:]+]]: tensor<7x64xf32>, %{{.+}}: tensor<8x16x16xf32>, %{{.+}}: tensor<64x16xf32>, %{{.+}}: tensor<64x16xf32>, %{{.+}}: tensor<f32>,
// IR-SAME:      -> (tensor<7x64xf32>, tensor<7x64xf32>, tensor<8x16x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<f32>, tensor<8x16x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<f32>)
// IR:         %[[GS:.+]] = tensor.extract %[[G]][]
// IR:         %[[XV:.+]] = linalg.matmul ins(%[[X]], %[[V]] :
// IR:         pixelfly.linear ins(%[[X]], %[[B]], %[[U]], %[[V]] : {{.+}}) xv(%[[XV]] : tensor<7x16xf32>) gamma(%[[GS]] : f32)
// IR:         %[[TABLE:.+]] = arith.constant dense<[0, 2, 1, 3, 4, 6, 5, 7]> : tensor<8xindex>
// IR:         %[[BT:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<8x16x16xf32>)
// IR:           %[[P:.+]] = linalg.index 0
// IR:           %[[I:.+]] = linalg.index 1
// IR:           %[[J:.+]] = linalg.index 2
// IR:           %[[Q:.+]] = tensor.extract %[[TABLE]][%[[P]]]
// IR:           tensor.extract %[[B]][%[[Q]], %[[J]], %[[I]]]
// IR:         %[[GS2:.+]] = tensor.extract %[[G]][]
// IR:         %[[DYU:.+]] = linalg.matmul ins(%[[DY]], %[[U]] :
// IR:         pixelfly.linear ins(%[[DY]], %[[BT]], %[[V]], %[[U]] : {{.+}}) xv(%[[DYU]] : tensor<7x16xf32>) gamma(%[[GS2]] : f32) {{.+}} layout(#layout)
// IR-NOT:     pixelfly.low_rank_matmul
// IR-NOT:     pixelfly.block_sparse_input_grad
// IR:         pixelfly.block_sparse_weight_grad ins(%[[DY]], %[[X]] :
// The gradients read the X V and dY U the products read.
// IR:         linalg.matmul indexing_maps = {{.+}} ins(%[[DY]], %[[XV]] :
// IR:         linalg.matmul indexing_maps = {{.+}} ins(%[[X]], %[[DYU]] :
// IR-NOT:     linalg.matmul
// IR-LABEL: func.func @step_pack(
// IR-SAME:      tensor<64x64xf32>, %{{.+}}: tensor<64x64xf32>) -> (tensor<8x16x16xf32>, tensor<8x16x16xf32>)

// With an f32 master weight read as bf16 (Inputs/train-momentum-master-
// step.mlir), the four parameters and their momenta stay f32; the products
// read the blocks, U and V rounded to bf16 (X V and dY U are rounded as
// the products read them, so the small-integer comparison is not exact:
// the reference harness checks it).
// MASTER-LABEL: func.func @step(
// MASTER-SAME:      tensor<7x64xf32>, %{{.+}}: tensor<8x16x16xf32>, %{{.+}}: tensor<64x16xf32>, %{{.+}}: tensor<64x16xf32>, %{{.+}}: tensor<f32>,
// MASTER:         pixelfly.linear ins(%{{.+}} : tensor<7x64xbf16>, tensor<8x16x16xbf16>, tensor<64x16xbf16>, tensor<64x16xbf16>) xv(%{{.+}} : tensor<7x16xbf16>)
// MASTER:         pixelfly.linear ins(%{{.+}} : tensor<7x64xbf16>, tensor<8x16x16xbf16>, tensor<64x16xbf16>, tensor<64x16xbf16>) xv(%{{.+}} : tensor<7x16xbf16>)
// MASTER:         pixelfly.block_sparse_weight_grad ins(%{{.+}} : tensor<7x64xbf16>, tensor<7x64xbf16>) outs(%{{.+}} : tensor<8x16x16xf32>)
// MASTER-COUNT-2: linalg.matmul {{.*}}ins(%{{.+}} : tensor<{{[0-9x]+}}xbf16>, tensor<{{[0-9x]+}}xbf16>)
// MASTER-NOT:     linalg.matmul

// Y and dX (7 x 64), the gradients of the blocks, U, V and gamma.
// CHECK-COUNT-2: sizes = [7, 64]
// CHECK:         sizes = [8, 16, 16]
// CHECK-COUNT-2: sizes = [64, 16]
// CHECK:         rank = 0

// Ten outputs, each within tolerance of the reference and not all zero.
// HARNESS-COUNT-10: ( {{[0-9]}}, {{[-+0-9.e]+}}, {{[1-9]|0\.0*[1-9]}}{{[-+0-9.e]*}}, 1 )
