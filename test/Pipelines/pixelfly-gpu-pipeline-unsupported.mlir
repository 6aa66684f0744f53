// A product without a GPU kernel fails pixelfly-gpu-pipeline with an error
// at the op (the pipeline runs convert-pixelfly-to-gpu with strict=true),
// rather than leaving pixelfly ops in LLVM host code.
// RUN: not pixelfly-opt %s --pixelfly-gpu-pipeline 2>&1 | FileCheck %s
// RUN: pixelfly-opt %s --pixelfly-gpu-config --convert-pixelfly-to-gpu 2>&1 | FileCheck %s --check-prefix=REMARK

// CHECK: :[[@LINE+4]]:3: error: convert-pixelfly-to-gpu: cannot lower: {{.+}}
// REMARK: :[[@LINE+3]]:3: remark: convert-pixelfly-to-gpu: left unchanged: {{.+}}
// (2:4 in f32: the sparse tensor cores take f16 or bf16.)
func.func @two_four(%x: memref<?x32xf32>, %vals: memref<16x16xf32>, %meta: memref<16x2xi16>, %y: memref<?x16xf32>) {
  pixelfly.two_four_matmul ins(%x, %vals, %meta : memref<?x32xf32>, memref<16x16xf32>, memref<16x2xi16>) outs(%y : memref<?x16xf32>)
  return
}
