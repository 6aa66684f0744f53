// The momentum step of train-butterfly.mlir (Inputs/train-momentum-step.mlir)
// under a plan of blocks plus a rank-16 term with gamma=gate: gamma is a
// per-token sigmoid gate, sigmoid(<X[m], w> + b), and w and b are trained
// with the blocks, U and V.
//
// The gated layer has no dense step to compare with, so the gradients are
// checked against the chain rule without sharing the pass's derivation:
// with every momentum zero the updated momenta are the parameters'
// gradients of L = <dY, Y>, and Inputs/gate_gradients.py compares Y with
// the gated layer evaluated in float64, and dX and every gradient, along
// random directions, with central differences of L (seeded data, 7
// tokens). Dropping the gate's term of dX, the sigmoid's derivative, or
// flipping the low-rank share's sign in the gate's gradient fails it. The
// reference harness then checks the step against its products expanded
// to dense.
//
// REQUIRES: mlir-runner
// DEFINE: %{plan} = #pixelfly.plan<structure = butterfly, pattern = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 16>, rank = 16>
// RUN: sed -e 's/%y = linalg.matmul ins/%y = linalg.matmul {pixelfly.plan = %{plan}} ins/' \
// RUN:     %S/Inputs/train-momentum-step.mlir > %t.step.mlir
// RUN: pixelfly-opt %t.step.mlir --pixelfly-sparsify="weights=argument gamma=gate" 2>/dev/null > %t.gated.mlir
// RUN: FileCheck %s --check-prefix=IR --input-file=%t.gated.mlir
// RUN: %python %S/Inputs/gate_gradients.py driver > %t.driver.mlir
// RUN: sed -e '/^module {$/d' -e '/^}$/d' %t.gated.mlir | cat - %t.driver.mlir \
// RUN: | pixelfly-opt --pixelfly-cpu-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils > %t.out
// RUN: %python %S/Inputs/gate_gradients.py check %t.out | FileCheck %s
// RUN: pixelfly-opt %t.gated.mlir --test-pixelfly-reference-harness="func=step" \
// RUN:     --pixelfly-cpu-pipeline 2>/dev/null \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s --check-prefix=HARNESS

// IR-LABEL: func.func @step(
// IR-SAME:      tensor<7x64xf32>, %{{.+}}: tensor<8x16x16xf32>, %{{.+}}: tensor<64x16xf32>, %{{.+}}: tensor<64x16xf32>, %{{.+}}: tensor<64xf32>, %{{.+}}: tensor<f32>,
// IR:         pixelfly.linear {{.+}} gamma(%{{.+}} : tensor<7xf32>)
// IR-LABEL: func.func @step_pack(

// CHECK:     Y: max error {{.+}} ok
// CHECK:     B's gradient off the layout: 0 ok
// CHECK-COUNT-3: dx . direction {{.+}} ok
// CHECK-COUNT-3: db . direction {{.+}} ok
// CHECK-COUNT-3: du . direction {{.+}} ok
// CHECK-COUNT-3: dv . direction {{.+}} ok
// CHECK-COUNT-3: dgw . direction {{.+}} ok
// CHECK-COUNT-3: dgb . direction {{.+}} ok
// CHECK:     PASS

// Twelve outputs (Y, dX, five parameters, five momenta), each within
// tolerance of the reference and not all zero.
// HARNESS-COUNT-12: ( {{[0-9]+}}, {{[-+0-9.e]+}}, {{[1-9]|0\.0*[1-9]}}{{[-+0-9.e]*}}, 1 )
