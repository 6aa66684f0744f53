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

// The forward product of the GPT-2-medium up-projection in f32 (TF32):
// pixelfly-gpu-config picks 128 x 128 x 32 tiles over 2 x 2 warps, 3
// stages in 96 KB of dynamic shared memory. Per k-tile, four k8 steps of
// 4 x 8 mma.sync m16n8k8 (128), 4 + 4 ldmatrix x4 of 32-bit elements (32),
// and each step's 16 + 16 fragment registers rounded by cvt.rna.tf32.f32
// (128).
// CHECK:     .entry fwd_block_sparse_matmul(
// CHECK:     cvt.rna.tf32.f32
// RUN: grep -c 'mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32' %t.80.ptx | FileCheck %s --check-prefix=MMA
// RUN: grep -c 'ldmatrix.sync.aligned.m8n8.x4.shared.b16' %t.80.ptx | FileCheck %s --check-prefix=LDM
// RUN: grep -c 'cvt.rna.tf32.f32' %t.80.ptx | FileCheck %s --check-prefix=CVT
// MMA: {{^}}128{{$}}
// LDM: {{^}}32{{$}}
// CVT: {{^}}128{{$}}

// PTXAS80: ptxas info    : Compiling entry function 'fwd_block_sparse_matmul' for 'sm_80'
// PTXAS80-NEXT: Function properties for fwd_block_sparse_matmul
// PTXAS80-NEXT: 0 bytes spill stores, 0 bytes spill loads
// PTXAS80-NEXT: ptxas info    : Used {{[0-9]+}} registers, used 1 barriers, 1 bytes smem
// PTXAS90: ptxas info    : Compiling entry function 'fwd_block_sparse_matmul' for 'sm_90a'
// PTXAS90: ptxas info    : Used {{[0-9]+}} registers, used 1 barriers

#l = #pixelfly.block_layout<shape = 4096x1024, block = 32x32, source = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 2, block = 32>>
func.func @fwd(%x: memref<?x1024xf32>, %b: memref<768x32x32xf32>, %y: memref<?x4096xf32>) {
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x1024xf32>, memref<768x32x32xf32>) outs(%y : memref<?x4096xf32>) layout(#l)
  return
}
