// A training step (torch-mlir's form: linalg.transpose, `N x K` weight, SGD
// with momentum) sparsified to the flat block butterfly without a low-rank
// term: the weight and its momentum become layout blocks (packed by the
// generated @step_pack), the products block_sparse_matmul /
// block_sparse_input_grad / block_sparse_weight_grad, and the optimizer is
// rebuilt on the blocks.
//
// With the weight zero off the layout and small-integer data (every sum
// exact), Y, dX and the updated blocks and momentum equal the dense step's,
// with its updated weight and momentum gathered on the layout, bit for bit
// (Inputs/: the data, and @run for each side; the sparsified module is
// unwrapped so that the shared @main can be appended). With the weight off
// the layout the two differ, which shows the comparison sees the structure.
// Then random weights: the sparsified step against the same step with its
// products expanded to dense on the densified parameters (the reference
// harness). The same for the step with an f32 master weight (below).
//
// REQUIRES: mlir-runner
// DEFINE: %{step} = %S/Inputs/train-momentum-step.mlir
// DEFINE: %{opts} = mode=butterfly weights=argument block=16 budget=0.5 low-rank-fraction=0 min-weight-size=16
// DEFINE: %{run} = mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils | sed -e 's/base@ = 0x[0-9a-f]*//'
// RUN: pixelfly-opt %{step} --pixelfly-sparsify="%{opts}" 2>/dev/null | FileCheck %s --check-prefix=IR
// RUN: cat %{step} %S/Inputs/train-gather.mlir %S/Inputs/train-butterfly-dense.mlir %S/Inputs/train-data.mlir \
// RUN: | pixelfly-opt --pixelfly-cpu-pipeline | %{run} > %t.dense
// RUN: pixelfly-opt %{step} --pixelfly-sparsify="%{opts}" 2>/dev/null | sed -e '/^module {$/d' -e '/^}$/d' \
// RUN: | cat - %S/Inputs/train-butterfly-sparse.mlir %S/Inputs/train-data.mlir \
// RUN: | pixelfly-opt --pixelfly-cpu-pipeline | %{run} > %t.sparse
// RUN: diff %t.dense %t.sparse
// RUN: FileCheck %s --input-file=%t.sparse
// RUN: sed -e 's/%on_layout = arith.constant true/%on_layout = arith.constant false/' \
// RUN:     %S/Inputs/train-data.mlir > %t.data-off.mlir
// RUN: cat %{step} %S/Inputs/train-gather.mlir %S/Inputs/train-butterfly-dense.mlir %t.data-off.mlir \
// RUN: | pixelfly-opt --pixelfly-cpu-pipeline | %{run} > %t.dense-off
// RUN: pixelfly-opt %{step} --pixelfly-sparsify="%{opts}" 2>/dev/null | sed -e '/^module {$/d' -e '/^}$/d' \
// RUN: | cat - %S/Inputs/train-butterfly-sparse.mlir %t.data-off.mlir \
// RUN: | pixelfly-opt --pixelfly-cpu-pipeline | %{run} > %t.sparse-off
// RUN: not diff %t.dense-off %t.sparse-off
// RUN: pixelfly-opt %S/Inputs/train-momentum-master-step.mlir --pixelfly-sparsify="%{opts}" 2>/dev/null > %t.master.mlir
// RUN: FileCheck %s --check-prefix=MASTER --input-file=%t.master.mlir
// RUN: sed -e '/^module {$/d' -e '/^}$/d' %t.master.mlir \
// RUN: | cat - %S/Inputs/train-butterfly-sparse.mlir %S/Inputs/train-data.mlir \
// RUN: | pixelfly-opt --pixelfly-cpu-pipeline | %{run} > %t.master
// RUN: diff %t.dense %t.master
// RUN: pixelfly-opt %t.master.mlir --test-pixelfly-reference-harness="func=step" --pixelfly-cpu-pipeline 2>/dev/null \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s --check-prefix=HARNESS
// RUN: pixelfly-opt %{step} --pixelfly-sparsify="%{opts}" --test-pixelfly-reference-harness="func=step" \
// RUN:     --pixelfly-cpu-pipeline 2>/dev/null \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s --check-prefix=HARNESS


// The layout the hand-written gather of Inputs/train-gather.mlir
// reads: two 32 x 32 diagonal blocks of 16 x 16 blocks.
// IR:         #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 16>
// IR-LABEL: func.func @step(
// IR-SAME:      tensor<7x64xf32>, %{{.+}}: tensor<8x16x16xf32>, %{{.+}}: tensor<7x64xf32>, %{{.+}}: tensor<8x16x16xf32>,
// IR-SAME:      -> (tensor<7x64xf32>, tensor<7x64xf32>, tensor<8x16x16xf32>, tensor<8x16x16xf32>)
// IR:         pixelfly.block_sparse_matmul
// IR:         pixelfly.block_sparse_input_grad
// IR:         pixelfly.block_sparse_weight_grad
// IR-NOT:     linalg.matmul
// IR:         linalg.generic {{.+}} ins(%{{.+}} : tensor<f32>, tensor<8x16x16xf32>, tensor<8x16x16xf32>)
// IR-LABEL: func.func @step_pack(
// IR-SAME:      tensor<64x64xf32>, %{{.+}}: tensor<64x64xf32>) -> (tensor<8x16x16xf32>, tensor<8x16x16xf32>)

// The same step with an f32 master weight read as bf16
// (Inputs/train-momentum-master-step.mlir): the blocks and their momentum
// stay f32 and are updated in f32; the products read the blocks rounded to
// bf16 as they read the weight. On small integers (exact in bf16) its
// results are the f32 step's.
// MASTER-LABEL: func.func @step(
// MASTER-SAME:      tensor<7x64xf32>, %{{.+}}: tensor<8x16x16xf32>, %{{.+}}: tensor<7x64xf32>, %{{.+}}: tensor<8x16x16xf32>,
// MASTER:         arith.truncf %{{.+}} : f32 to bf16
// MASTER-NEXT:    linalg.yield
// MASTER-NEXT:  } -> tensor<8x16x16xbf16>
// MASTER:         pixelfly.block_sparse_matmul ins(%{{.+}} : tensor<7x64xbf16>, tensor<8x16x16xbf16>)
// MASTER:         pixelfly.block_sparse_input_grad ins(%{{.+}} : tensor<7x64xbf16>, tensor<8x16x16xbf16>)
// MASTER:         pixelfly.block_sparse_weight_grad ins(%{{.+}} : tensor<7x64xbf16>, tensor<7x64xbf16>) outs(%{{.+}} : tensor<8x16x16xf32>)
// MASTER-NOT:     linalg.matmul
// MASTER:         linalg.generic {{.+}} ins(%{{.+}} : tensor<f32>, tensor<8x16x16xf32>, tensor<8x16x16xf32>)

// Y and dX (7 x 64), the updated blocks and momentum (8 x 16 x 16).
// CHECK-COUNT-2: sizes = [7, 64]
// CHECK-COUNT-2: sizes = [8, 16, 16]

// HARNESS-COUNT-4: ( {{[0-3]}}, {{[-+0-9.e]+}}, {{[1-9]|0\.0*[1-9]}}{{[-+0-9.e]*}}, 1 )
