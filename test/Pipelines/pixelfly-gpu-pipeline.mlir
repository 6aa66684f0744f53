// pixelfly-gpu-pipeline from linalg (and pixelfly) on memrefs or tensors to
// LLVM host code and a gpu.binary. Here on what is left of linalg after the
// products: elementwise code becomes parallel loops mapped to GPU blocks.
// RUN: pixelfly-opt %s --pixelfly-gpu-pipeline | FileCheck %s
// RUN: pixelfly-opt %s --pixelfly-gpu-pipeline="chip=sm_90a" | FileCheck %s --check-prefix=HOPPER
// RUN: pixelfly-opt %s --pixelfly-gpu-pipeline="lower-to-llvm=false" | FileCheck %s --check-prefix=KERNELS
// RUN: not pixelfly-opt %s --pass-pipeline="builtin.module(func.func(pixelfly-gpu-pipeline))" 2>&1 | FileCheck %s --check-prefix=NESTED
// RUN: not pixelfly-opt %s --pixelfly-gpu-pipeline="chip=sm_70" 2>&1 | FileCheck %s --check-prefix=CHIP
// RUN: not pixelfly-opt %s --pixelfly-gpu-pipeline="format=ptx" 2>&1 | FileCheck %s --check-prefix=FORMAT
// RUN: not pixelfly-opt %s --pixelfly-gpu-pipeline="opt-level=7" 2>&1 | FileCheck %s --check-prefix=OPT
// RUN: not pixelfly-opt %s --pixelfly-gpu-pipeline="ptx-features=+ptx60" 2>&1 | FileCheck %s --check-prefix=PTX
// RUN: not pixelfly-opt %s --pixelfly-gpu-pipeline="chip=sm_90a ptx-features=+ptx78" 2>&1 | FileCheck %s --check-prefix=PTX90A
// RUN: not pixelfly-opt %s --pixelfly-gpu-pipeline="ptx-features=+ptx70" 2>&1 | FileCheck %s --check-prefix=PTX70
// RUN: not pixelfly-opt %s --pixelfly-gpu-pipeline="ptx-features=" 2>&1 | FileCheck %s --check-prefix=NOPTX
// RUN: pixelfly-opt %s --pixelfly-gpu-pipeline="ptx-features=+ptx71" -o /dev/null

// CHECK:       llvm.func @bias_relu(
// CHECK:         gpu.launch_func @bias_relu_kernel::@bias_relu_kernel
// CHECK:       gpu.binary @bias_relu_kernel [#gpu.object<#nvvm.target<O = 3, chip = "sm_80", features = "+ptx80">, {{.*}}assembly = "{{.*}}.target sm_80{{.*}}max.NaN.f32

// HOPPER:      #nvvm.target<O = 3, chip = "sm_90a", features = "+ptx82">
// HOPPER-SAME: .target sm_90a

// KERNELS:     func.func @bias_relu(
// KERNELS:       gpu.launch_func @bias_relu_kernel::@bias_relu_kernel
// KERNELS:     gpu.module @bias_relu_kernel
// KERNELS:       gpu.func @bias_relu_kernel(
// KERNELS:       arith.maximumf

// NESTED: error: pixelfly-gpu-pipeline runs on builtin.module (it bufferizes across functions), not nested in 'func.func'
// CHIP: error: pixelfly-gpu-config: unknown chip 'sm_70'
// Options are checked before anything runs (upstream noticed them at the
// end, dumping the whole module).
// FORMAT: pixelfly-gpu-pipeline: format must be isa, bin or fatbin, got 'ptx'
// FORMAT-NOT: see current operation
// OPT: pixelfly-gpu-pipeline: opt-level must be in [0, 3], got 7
// Fuzz finding: "LLVM ERROR: PTX version 6.0 does not support target" (abort).
// PTX: pixelfly-gpu-pipeline: ptx-features +ptx60 is too old for sm_80 (its kernels need +ptx71 or later)
// PTX90A: pixelfly-gpu-pipeline: ptx-features +ptx78 is too old for sm_90a (its kernels need +ptx82 or later)
// Fuzz finding (seed 20261205, run 13864): "LLVM ERROR: Cannot select:
// intrinsic %llvm.nvvm.mma.sp.m16n8k32.row.col.bf16" with PTX 7.0 (sm_80's
// first version, also the backend's default without +ptxNN): mma.sp on bf16
// needs 7.1 (reduced: test/Regression/Fuzz/crash-ptx70-mma-sp-bf16.mlir).
// PTX70: pixelfly-gpu-pipeline: ptx-features +ptx70 is too old for sm_80 (its kernels need +ptx71 or later)
// NOPTX: pixelfly-gpu-pipeline: ptx-features names no +ptxNN, and the backend's default for sm_80 (+ptx70) is too old for sm_80 (its kernels need +ptx71 or later)

func.func @bias_relu(%y: memref<?x64xf32>, %b: memref<64xf32>) {
  linalg.generic {indexing_maps = [affine_map<(m, n) -> (n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]} ins(%b : memref<64xf32>) outs(%y : memref<?x64xf32>) {
  ^bb0(%bv: f32, %yv: f32):
    %s = arith.addf %yv, %bv : f32
    %z = arith.constant 0.0 : f32
    %r = arith.maximumf %s, %z : f32
    linalg.yield %r : f32
  }
  return
}
