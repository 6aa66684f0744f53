// Upstream mlir-opt loads the pixelfly dialect and passes from the plugin:
// it parses and prints our IR, runs our canonicalization patterns and
// bufferization models, and runs our passes by name.
// RUN: mlir-opt %s --load-dialect-plugin=%pixelfly_plugin | FileCheck %s --check-prefix=ROUNDTRIP
// RUN: mlir-opt %s --load-dialect-plugin=%pixelfly_plugin --canonicalize | FileCheck %s --check-prefix=CANON
// RUN: mlir-opt %s --load-dialect-plugin=%pixelfly_plugin --one-shot-bufferize="bufferize-function-boundaries" | FileCheck %s --check-prefix=BUF
// RUN: mlir-opt %s --load-dialect-plugin=%pixelfly_plugin --load-pass-plugin=%pixelfly_plugin --pass-pipeline="builtin.module(func.func(pixelfly-expand-to-dense))" | FileCheck %s --check-prefix=EXPAND
// RUN: mlir-opt %s --load-dialect-plugin=%pixelfly_plugin --load-pass-plugin=%pixelfly_plugin --pass-pipeline="builtin.module(pixelfly-cpu-pipeline{tile-n=16})" | FileCheck %s --check-prefix=CPU
// RUN: mlir-opt %s --load-dialect-plugin=%pixelfly_plugin --load-pass-plugin=%pixelfly_plugin --pass-pipeline="builtin.module(pixelfly-budget{budget=0.5 report=-})" -o /dev/null | FileCheck %s --check-prefix=BUDGET
// RUN: not mlir-opt %s 2>&1 | FileCheck %s --check-prefix=NOPLUGIN

#l = #pixelfly.block_layout<shape = 64x64, block = 32x32, row_ptr = [0, 1, 2], col_idx = [0, 1]>

// NOPLUGIN: attribute created with unregistered dialect

// ROUNDTRIP: #layout = #pixelfly.block_layout<shape = 64x64, block = 32x32, row_ptr = [0, 1, 2], col_idx = [0, 1]>
// ROUNDTRIP-LABEL: func.func @layer
// ROUNDTRIP: pixelfly.linear {{.*}} gamma(1.000000e+00) {{.*}} layout(#layout)

// CANON-LABEL: func.func @layer
// CANON: pixelfly.block_sparse_matmul ins(%{{.*}}, %{{.*}} : tensor<8x64xf16>, tensor<2x32x32xf16>) outs(%{{.*}} : tensor<8x64xf32>) layout(#layout) -> tensor<8x64xf32>
// CANON-NOT: pixelfly.linear

// BUF-LABEL: func.func @layer
// BUF: pixelfly.linear ins({{.*}} : memref<8x64xf16{{.*}}>, memref<2x32x32xf16{{.*}}>, memref<64x16xf16{{.*}}>, memref<64x16xf16{{.*}}>) gamma(1.000000e+00) outs(%{{.*}} : memref<8x64xf32{{.*}}>) layout(#layout){{$}}

// The whole CPU pipeline (a registered pipeline with options) in mlir-opt.
// CPU-LABEL: llvm.func @layer(
// CPU:         llvm.intr.fmuladd
// CPU-NOT:     pixelfly.

// The budget analysis runs (no dense layers here: an empty report).
// BUDGET: pixelfly-budget: target sm_90, block 64, budget 0.5 of the dense cost

// EXPAND-LABEL: func.func @layer
// EXPAND: pixelfly.densify
// EXPAND: linalg.matmul
// EXPAND-NOT: pixelfly.linear
func.func @layer(%x: tensor<8x64xf16>, %blocks: tensor<2x32x32xf16>,
                 %u: tensor<64x16xf16>, %v: tensor<64x16xf16>,
                 %init: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %y = pixelfly.linear ins(%x, %blocks, %u, %v : tensor<8x64xf16>, tensor<2x32x32xf16>, tensor<64x16xf16>, tensor<64x16xf16>)
         gamma(1.0) outs(%init : tensor<8x64xf32>) layout(#l) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}
