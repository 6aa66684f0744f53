// With ptxas, the pipeline writes cubins (format=bin) for sm_80 and sm_90a.
// REQUIRES: ptxas
// RUN: env PATH=%ptxas_dir:$PATH pixelfly-opt %S/pixelfly-gpu-pipeline.mlir --pixelfly-gpu-pipeline="format=bin" | FileCheck %s
// RUN: env PATH=%ptxas_dir:$PATH pixelfly-opt %S/pixelfly-gpu-pipeline.mlir --pixelfly-gpu-pipeline="chip=sm_90a format=bin" | FileCheck %s

// CHECK: gpu.binary @bias_relu_kernel [#gpu.object<#nvvm.target<{{.*}}>, {{.*}}bin = "\7FELF
