// The options of pixelfly-sparsify without plans in the module (the budget
// analysis runs first), the report, and idempotence.

// RUN: pixelfly-opt %s --pixelfly-sparsify="report=-" -o /dev/null | FileCheck %s --check-prefix=REPORT
// RUN: pixelfly-opt %s --pixelfly-sparsify="report=- report-format=json" -o /dev/null | FileCheck %s --check-prefix=JSON
// RUN: pixelfly-opt %s --pixelfly-sparsify="weights=project report=-" 2>&1 | FileCheck %s --check-prefix=PROJECT
// RUN: pixelfly-opt %s --pixelfly-sparsify="weights=argument" 2>&1 | FileCheck %s --check-prefix=ARGUMENT
// RUN: pixelfly-opt %s --pixelfly-sparsify="mode=2:4 report=-" | FileCheck %s --check-prefix=TWOFOUR
// RUN: pixelfly-opt %s --pixelfly-sparsify="mode=butterfly structures=two_four" | FileCheck %s --check-prefix=BUTTERFLY
// RUN: pixelfly-opt %s --pixelfly-sparsify="budget=0.01" 2>&1 | FileCheck %s --check-prefix=EXHAUSTED
// RUN: not pixelfly-opt %s --pixelfly-sparsify="mode=4:8" 2>&1 | FileCheck %s --check-prefix=BADMODE
// RUN: not pixelfly-opt %s --pixelfly-sparsify="weights=some" 2>&1 | FileCheck %s --check-prefix=BADWEIGHTS
// RUN: not pixelfly-opt %s --pixelfly-sparsify="two-four-mask=once" 2>&1 | FileCheck %s --check-prefix=BADMASK
// RUN: not pixelfly-opt %s --pixelfly-sparsify="gamma=learned" 2>&1 | FileCheck %s --check-prefix=BADGAMMA
// RUN: not pixelfly-opt %s --pixelfly-sparsify="target=sm_70" 2>&1 | FileCheck %s --check-prefix=BADTARGET

// Running the pass on its own output changes nothing: rewritten layers are
// no contractions any more, and those left dense carry a dense plan.
// RUN: pixelfly-opt %s --pixelfly-sparsify -o %t.once.mlir
// RUN: pixelfly-opt %t.once.mlir --pixelfly-sparsify -o %t.twice.mlir
// RUN: diff %t.once.mlir %t.twice.mlir
// RUN: pixelfly-opt %s --pixelfly-sparsify="mode=2:4" -o %t.once24.mlir
// RUN: pixelfly-opt %t.once24.mlir --pixelfly-sparsify="mode=2:4" -o %t.twice24.mlir
// RUN: diff %t.once24.mlir %t.twice24.mlir

// The constant is a rank-1 matrix: the low-rank fit reproduces it exactly.
// REPORT:      pixelfly-budget: target sm_90, block 64, budget 0.25 of the dense cost, low-rank fraction 0.25
// REPORT-NEXT: layer {{.*}} error
// REPORT-NEXT: @mlp#0         128x256x256      low_rank {{.*}}  0.2500    32          -       -    0.0000
// REPORT-NEXT: @mlp#1         128x256x256      low_rank {{.*}}  0.2500    32          -       -         -
// REPORT-NEXT: total: dense {{.*}} (0.2500 of dense)
// REPORT-NEXT: kept dense: @mlp#2 (128x64x8): too small: 512 weights, fewer than min-weight-size 4096
// 256 x 256 f32 (262144 bytes) replaced by two 256 x 32 factors (65536 bytes).
// REPORT-NEXT: sparsify: 2 converted, 1 skipped (too small: 1), 1 dense weights removed, 196608 bytes saved

// JSON:      "layers": [
// JSON:        "name": "@mlp#0",
// JSON-NEXT:   "rank": 32,
// JSON-NEXT:   "relative_error": {{[0-9.]+(e-0[6-9]|e-[1-9][0-9])?}},
// JSON:      "sparsify": {
// JSON-NEXT:   "bytes_saved": 196608,
// JSON-NEXT:   "converted": 2,
// JSON-NEXT:   "skipped": 1,
// JSON-NEXT:   "skipped_by_reason": {
// JSON-NEXT:     "too small": 1
// JSON-NEXT:   },
// JSON-NEXT:   "weights_removed": 1

// The argument weight takes no part in the allocation: the budget is a
// fraction of the cost of the layers that will be rewritten.
// PROJECT: remark: pixelfly-sparsify: @mlp#1 left unchanged: the weight is a function argument (weights=project)
// PROJECT: @mlp#0 {{.*}} low_rank {{.*}} 0.2500 {{.*}}
// PROJECT: total: dense
// PROJECT: kept dense: @mlp#1 (128x256x256): the weight is a function argument (weights=project)
// PROJECT: sparsify: 1 converted, 2 skipped (too small: 1, excluded by mode or weights: 1), 1 dense weights removed
// PROJECT-LABEL: func.func @mlp(
// PROJECT-SAME:      %{{.+}}: tensor<128x256xf32>, %[[W2:.+]]: tensor<256x256xf32>,
// PROJECT:         pixelfly.low_rank_matmul
// PROJECT:         linalg.matmul ins(%{{.+}}, %[[W2]] :

// ARGUMENT: remark: pixelfly-sparsify: @mlp#0 left unchanged: the weight is a constant (weights=argument)
// ARGUMENT-LABEL: func.func @mlp(
// ARGUMENT-SAME:      %{{.+}}: tensor<128x256xf32>, %{{.+}}: tensor<256x{{[0-9]+}}xf32>, %{{.+}}: tensor<256x{{[0-9]+}}xf32>,
// ARGUMENT:         arith.constant dense<5.000000e-01> : tensor<256x256xf32>
// ARGUMENT:         linalg.matmul ins(
// ARGUMENT:         pixelfly.low_rank_matmul

// 2:4 everywhere it fits, whatever the budget: the report's budget is what
// 2:4 costs.
// TWOFOUR:      budget 0.54{{[0-9]*}} of the dense cost
// TWOFOUR:      @mlp#0 {{.*}} two_four {{.*}} 0.5000     0          -       -    0.7071
// TWOFOUR:      @mlp#1 {{.*}} two_four {{.*}} 0.5000     0          -       -         -
// TWOFOUR-LABEL: func.func @mlp(
// TWOFOUR-SAME:      %{{.+}}: tensor<128x256xf32>, %{{.+}}: tensor<256x128xf32>, %{{.+}}: tensor<256x16xi16>,
// TWOFOUR-COUNT-2: pixelfly.two_four_matmul
// TWOFOUR-LABEL: func.func @mlp_pack(
// TWOFOUR:         pixelfly.prune_2_4 ins(

// mode=butterfly never produces 2:4, even when the structures ask for it.
// BUTTERFLY-NOT: two_four
// BUTTERFLY-COUNT-2: pixelfly.low_rank_matmul
// BUTTERFLY-NOT: two_four

// EXHAUSTED: warning: pixelfly-sparsify: budget 0.01 is below the cheapest plans
// EXHAUSTED: remark: pixelfly-sparsify: @mlp#0 left unchanged: no plan (budget exhausted)
// EXHAUSTED: remark: pixelfly-sparsify: @mlp#1 left unchanged: no plan (budget exhausted)
// EXHAUSTED-NOT: pixelfly.
// EXHAUSTED: arith.constant dense<5.000000e-01> : tensor<256x256xf32>
// EXHAUSTED-NOT: pixelfly.

// BADMODE: error: pixelfly-sparsify: unknown mode '4:8' (expected auto, butterfly or 2:4)
// BADWEIGHTS: error: pixelfly-sparsify: unknown weights 'some' (expected all, project or argument)
// BADMASK: error: pixelfly-sparsify: unknown two-four-mask 'once' (expected step or fixed)
// BADGAMMA: error: pixelfly-sparsify: unknown gamma 'learned' (expected scalar or gate)
// BADTARGET: error: pixelfly-sparsify: unknown target 'sm_70' (expected one of sm_80, sm_90)

func.func @mlp(%x: tensor<128x256xf32>, %w2: tensor<256x256xf32>, %a: tensor<128x256xf32>,
               %w3: tensor<8x64xf32>, %a3: tensor<128x64xf32>) -> tensor<128x64xf32> {
  %w1 = arith.constant dense<0.5> : tensor<256x256xf32>
  %h = linalg.matmul ins(%x, %w1 : tensor<128x256xf32>, tensor<256x256xf32>) outs(%a : tensor<128x256xf32>) -> tensor<128x256xf32>
  %y = linalg.matmul ins(%h, %w2 : tensor<128x256xf32>, tensor<256x256xf32>) outs(%a : tensor<128x256xf32>) -> tensor<128x256xf32>
  %s = tensor.extract_slice %y[0, 0] [128, 8] [1, 1] : tensor<128x256xf32> to tensor<128x8xf32>
  %z = linalg.matmul ins(%s, %w3 : tensor<128x8xf32>, tensor<8x64xf32>) outs(%a3 : tensor<128x64xf32>) -> tensor<128x64xf32>
  return %z : tensor<128x64xf32>
}
