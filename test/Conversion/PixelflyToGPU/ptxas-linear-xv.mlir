// REQUIRES: ptxas
// pixelfly.linear given the caller's X V assembles for both families: on
// sm_80 the panel kernel that scales X V by 1 - g(m) (no loop over K) and
// the mma.sync kernel; on sm_90a the Hopper kernel alone, reading X V
// through its tensor map and weighing the panel by 1 - g in the epilogue.
// No spills.
// RUN: pixelfly-opt %S/Inputs/linear-xv-rowgamma-f16.mlir \
// RUN:   --pass-pipeline="builtin.module(convert-pixelfly-to-gpu, canonicalize, cse, convert-nvgpu-to-nvvm, convert-vector-to-scf, convert-scf-to-cf, convert-nvvm-to-llvm, convert-func-to-llvm, expand-strided-metadata, nvvm-attach-target{chip=sm_80 features=+ptx80 O=3}, lower-affine, convert-arith-to-llvm, convert-index-to-llvm, canonicalize, cse, gpu.module(strip-debuginfo, convert-gpu-to-nvvm, canonicalize, cse, reconcile-unrealized-casts), gpu-to-llvm, gpu-module-to-binary{format=isa})" -o %t.80.mlir
// RUN: %python %S/extract_ptx.py %t.80.mlir > %t.80.ptx
// RUN: %ptxas -arch=sm_80 -v %t.80.ptx -o %t.80.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS80
// RUN: pixelfly-opt %S/Inputs/hopper-linear-xv-bf16.mlir \
// RUN:   --pass-pipeline="builtin.module(convert-pixelfly-to-gpu, canonicalize, cse, convert-nvgpu-to-nvvm, convert-vector-to-scf, convert-scf-to-cf, convert-nvvm-to-llvm, convert-func-to-llvm, expand-strided-metadata, nvvm-attach-target{chip=sm_90a features=+ptx80 O=3}, lower-affine, convert-arith-to-llvm, convert-index-to-llvm, canonicalize, cse, gpu.module(strip-debuginfo, convert-gpu-to-nvvm, canonicalize, cse, reconcile-unrealized-casts), gpu-to-llvm, gpu-module-to-binary{format=isa})" -o %t.90.mlir
// RUN: %python %S/extract_ptx.py %t.90.mlir > %t.90.ptx
// RUN: %ptxas -arch=sm_90a -v %t.90.ptx -o %t.90.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS90

// PTXAS80: Compiling entry function 'linear_low_rank' for 'sm_80'
// PTXAS80-NEXT: Function properties for linear_low_rank
// PTXAS80-NEXT: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// PTXAS80-NEXT: Used {{[0-9]+}} registers, used 0 barriers
// PTXAS80: Compiling entry function 'linear_linear' for 'sm_80'
// PTXAS80-NEXT: Function properties for linear_linear
// PTXAS80-NEXT: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// PTXAS90-NOT: Compiling entry function 'lin_low_rank'
// PTXAS90: Compiling entry function 'lin_linear' for 'sm_90a'
// PTXAS90-NEXT: Function properties for lin_linear
// PTXAS90-NEXT: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
