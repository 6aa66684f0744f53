// Our passes in textual pipelines, as other stacks compose them: every
// option round-trips through --dump-pass-pipeline (the printed pipeline,
// run again, prints the same); function-level passes nest under func.func
// and run with MLIR's multithreading; a pass or pipeline nested where it
// cannot run is a diagnostic.

// RUN: %python %S/roundtrip_pipeline.py pixelfly-opt %s \
// RUN:   "builtin.module(pixelfly-budget{budget=0.3 target=sm_80 block=32 structures=butterfly,low_rank tokens=512 c-mem=2.0 report=-})" \
// RUN:   "builtin.module(pixelfly-sparsify{mode=2:4 weights=project transposable=true min-weight-size=1024 report-format=json})" \
// RUN:   "builtin.module(func.func(convert-pixelfly-to-linalg{tile-m=16}, pixelfly-cpu-vectorize{tile-n=16 panel-m=64 transpose-rhs=false}, pixelfly-cpu-hoist-transfers), pixelfly-expand-to-dense)" \
// RUN:   "builtin.module(pixelfly-cpu-pipeline{tile-k=4 panel-m=64 lower-to-llvm=false})" \
// RUN:   | FileCheck %s --check-prefix=ROUNDTRIP
// ROUNDTRIP: roundtrip ok: builtin.module(pixelfly-budget
// ROUNDTRIP: roundtrip ok: builtin.module(pixelfly-sparsify
// ROUNDTRIP: roundtrip ok: builtin.module(func.func(convert-pixelfly-to-linalg
// ROUNDTRIP: roundtrip ok: builtin.module(pixelfly-cpu-pipeline

// The printed form spells out every option, ours as given.
// RUN: pixelfly-opt %s --dump-pass-pipeline -o /dev/null \
// RUN:   --pass-pipeline="builtin.module(pixelfly-budget{budget=0.3 structures=butterfly,low_rank}, func.func(pixelfly-cpu-vectorize{panel-m=64}), pixelfly-cpu-pipeline{tile-k=4})" \
// RUN:   2>&1 | FileCheck %s --check-prefix=DUMP
// DUMP:      builtin.module(
// DUMP-NEXT:   pixelfly-budget{block=0 budget=3.000000e-01 {{.*}}structures={butterfly,low_rank} target=sm_90 tokens=0 transposable=false},
// DUMP-NEXT:   func.func(
// DUMP-NEXT:     pixelfly-cpu-vectorize{panel-m=64 parallel=false tile-k=0 tile-m=0 tile-n=0 transpose-rhs=true}
// DUMP-NEXT:   ),
// DUMP-NEXT:   pixelfly-pipeline-input,
// DUMP-NEXT:   pixelfly-cpu-config{cpu=host features= panel-m=0 strip=false tile-k=4 tile-m=0 tile-n=0},
// DUMP-NEXT:   convert-elementwise-to-linalg,
// DUMP-NEXT:   convert-pixelfly-to-linalg{parallel=false tile-m=0 tile-n=0},
// DUMP:          pixelfly-cpu-vectorize{panel-m=0 parallel=false tile-k=0 tile-m=0 tile-n=0 transpose-rhs=true}
// DUMP:        pixelfly-cpu-config{{{.*}}strip=true
// DUMP:        reconcile-unrealized-casts
// DUMP-NEXT: )

// Function passes under func.func, several functions at once (threads).
// RUN: pixelfly-opt %s -mlir-disable-threading=false \
// RUN:   --pass-pipeline="builtin.module(func.func(convert-pixelfly-to-linalg, pixelfly-cpu-vectorize))" \
// RUN:   | FileCheck %s --check-prefix=NESTED --implicit-check-not=pixelfly.
// NESTED-LABEL: func.func @first(
// NESTED:         vector.contract
// NESTED-LABEL: func.func @second(
// NESTED:         vector.contract

// Module-level passes and pipelines nested in a function.
// RUN: not pixelfly-opt %s --pass-pipeline="builtin.module(func.func(pixelfly-sparsify))" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MODULE-PASS
// MODULE-PASS: error: Can't add pass 'PixelflySparsify' restricted to 'builtin.module' on a PassManager intended to run on 'func.func', did you intend to nest?
// RUN: not pixelfly-opt %s --pass-pipeline="builtin.module(func.func(pixelfly-cpu-pipeline))" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MODULE-PIPELINE
// MODULE-PIPELINE: error: pixelfly-cpu-pipeline runs on builtin.module (it bufferizes across functions), not nested in 'func.func'

#l = #pixelfly.block_layout<shape = 64x96, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 1]>

func.func @first(%x: tensor<16x96xf32>, %b: tensor<3x32x32xf32>, %init: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %y = pixelfly.block_sparse_matmul ins(%x, %b : tensor<16x96xf32>, tensor<3x32x32xf32>) outs(%init : tensor<16x64xf32>) layout(#l) -> tensor<16x64xf32>
  return %y : tensor<16x64xf32>
}

func.func @second(%x: tensor<?x96xf32>, %b: tensor<3x32x32xf32>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %y = pixelfly.block_sparse_matmul ins(%x, %b : tensor<?x96xf32>, tensor<3x32x32xf32>) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}
