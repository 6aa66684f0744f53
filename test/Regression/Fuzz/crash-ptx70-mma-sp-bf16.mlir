// RUN: not pixelfly-opt --pixelfly-gpu-pipeline="ptx-features=" %s -o /dev/null 2>&1 | FileCheck %s
// RUN: not pixelfly-opt --pixelfly-gpu-pipeline="ptx-features=+ptx70" %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=PTX70
// RUN: pixelfly-opt --pixelfly-gpu-pipeline="ptx-features=+ptx71" %s -o /dev/null
// Fuzz finding (hour campaign, seed 20261205, run 13864, from
// test/Pipelines/pixelfly-gpu-pipeline-two-four.mlir with ptx-features
// emptied): "LLVM ERROR: Cannot select: intrinsic
// %llvm.nvvm.mma.sp.m16n8k32.row.col.bf16". Without +ptxNN the NVPTX
// backend uses sm_80's first PTX version, 7.0, which has no mma.sp on bf16
// (7.1 has). The pipeline now refuses PTX versions older than its kernels
// need before anything runs.

// CHECK: pixelfly-gpu-pipeline: ptx-features names no +ptxNN, and the backend's default for sm_80 (+ptx70) is too old for sm_80 (its kernels need +ptx71 or later)
// CHECK-NOT: LLVM ERROR
// PTX70: pixelfly-gpu-pipeline: ptx-features +ptx70 is too old for sm_80 (its kernels need +ptx71 or later)
func.func @runtime(%x: tensor<?x64xbf16>, %v: tensor<32x32xbf16>, %m: tensor<32x4xi16>, %y: tensor<?x32xf32>) -> tensor<?x32xf32> {
  %r = pixelfly.two_four_matmul ins(%x, %v, %m : tensor<?x64xbf16>, tensor<32x32xbf16>, tensor<32x4xi16>) outs(%y : tensor<?x32xf32>) -> tensor<?x32xf32>
  return %r : tensor<?x32xf32>
}
