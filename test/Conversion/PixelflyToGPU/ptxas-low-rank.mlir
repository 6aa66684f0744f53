// REQUIRES: ptxas
// RUN: pixelfly-opt %s \
// RUN:   --pass-pipeline="builtin.module(pixelfly-gpu-config{chip=sm_80}, convert-pixelfly-to-gpu, canonicalize, cse, convert-nvgpu-to-nvvm, convert-vector-to-scf, convert-scf-to-cf, convert-nvvm-to-llvm, convert-func-to-llvm, expand-strided-metadata, nvvm-attach-target{chip=sm_80 features=+ptx80 O=3}, lower-affine, convert-arith-to-llvm, convert-index-to-llvm, canonicalize, cse, gpu.module(strip-debuginfo, convert-gpu-to-nvvm, canonicalize, cse, reconcile-unrealized-casts), gpu-to-llvm, gpu-module-to-binary{format=isa})" -o %t.80.mlir
// RUN: %python %S/extract_ptx.py %t.80.mlir > %t.80.ptx
// RUN: FileCheck %s < %t.80.ptx
// RUN: %ptxas -arch=sm_80 -v %t.80.ptx -o %t.80.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS80
// RUN: pixelfly-opt %s \
// RUN:   --pass-pipeline="builtin.module(pixelfly-gpu-config{chip=sm_90a}, convert-pixelfly-to-gpu, canonicalize, cse, convert-nvgpu-to-nvvm, convert-vector-to-scf, convert-scf-to-cf, convert-nvvm-to-llvm, convert-func-to-llvm, expand-strided-metadata, nvvm-attach-target{chip=sm_90a features=+ptx80 O=3}, lower-affine, convert-arith-to-llvm, convert-index-to-llvm, canonicalize, cse, gpu.module(strip-debuginfo, convert-gpu-to-nvvm, canonicalize, cse, reconcile-unrealized-casts), gpu-to-llvm, gpu-module-to-binary{format=isa})" -o %t.90.mlir
// RUN: %python %S/extract_ptx.py %t.90.mlir > %t.90.ptx
// RUN: %ptxas -arch=sm_90a -v %t.90.ptx -o %t.90.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS90

// pixelfly.low_rank_matmul on the GPT-2-medium up-projection shape (4096 x
// 1024, rank 64, bf16): the panel kernel (two 32-wide k-tiles per tile, no
// gamma scaling, unpredicated U copies: every tile is full) and the T
// kernel on the tensor cores (V as one 1024 x 64 block, 64 x 64 tiles of 4
// warps, k-tiles of 64 in 3 stages: 32 mma, 4 ldmatrix of X and 16
// ldmatrix .trans of V per k-tile).
// CHECK:     .entry lr_low_rank_matmul(
// CHECK:     .maxntid 128, 1, 1
// CHECK-NOT: mul.rn.f32
// CHECK:     .entry lr_low_rank(
// CHECK:     .maxntid 128, 1, 1
// RUN: grep -c 'mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32' %t.80.ptx | FileCheck %s --check-prefix=MMA
// RUN: grep -c 'ldmatrix.sync.aligned.m8n8.x4.shared.b16' %t.80.ptx | FileCheck %s --check-prefix=LDMATRIX
// RUN: grep -c 'ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16' %t.80.ptx | FileCheck %s --check-prefix=LDTRANS
// RUN: grep 'cp.async.wait_group' %t.80.ptx | FileCheck %s --check-prefix=WAIT
// MMA: {{^}}96{{$}}
// LDMATRIX: {{^}}20{{$}}
// LDTRANS: {{^}}16{{$}}
// WAIT-COUNT-2: cp.async.wait_group 1;
// WAIT-NOT: cp.async.wait_group

// ptxas reports the T kernel first.
// PTXAS80: ptxas info    : Compiling entry function 'lr_low_rank' for 'sm_80'
// PTXAS80-NEXT: Function properties for lr_low_rank
// PTXAS80-NEXT: 0 bytes spill stores, 0 bytes spill loads
// PTXAS80-NEXT: ptxas info    : Used {{[0-9]+}} registers, used 1 barriers, 49152 bytes smem
// PTXAS80: ptxas info    : Compiling entry function 'lr_low_rank_matmul' for 'sm_80'
// PTXAS80-NEXT: Function properties for lr_low_rank_matmul
// PTXAS80-NEXT: 0 bytes spill stores, 0 bytes spill loads
// PTXAS80-NEXT: ptxas info    : Used {{[0-9]+}} registers, used 1 barriers, 49152 bytes smem
// PTXAS90: ptxas info    : Compiling entry function 'lr_low_rank_matmul' for 'sm_90a'
// PTXAS90: ptxas info    : Used {{[0-9]+}} registers, used 1 barriers

func.func @lr(%x: memref<?x1024xbf16>, %u: memref<4096x64xbf16>, %v: memref<1024x64xbf16>, %y: memref<?x4096xf32>) {
  pixelfly.low_rank_matmul ins(%x, %u, %v : memref<?x1024xbf16>, memref<4096x64xbf16>, memref<1024x64xbf16>) outs(%y : memref<?x4096xf32>)
  return
}
