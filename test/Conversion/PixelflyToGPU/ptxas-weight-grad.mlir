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

// The weight gradient of the GPT-2-medium up-projection (768 blocks of 32 x
// 32 on a flat butterfly 16/2, f16, f32 gradient). pixelfly-gpu-config
// picks one 32 x 32 block per thread block, 2 x 1 warps of 16 x 32, 32-token
// k-tiles: per k-tile 8 mma, 2 ldmatrix x4 .trans for A (dY) and 4 for B
// (X), no untransposed loads; 3 stages of 4 KB.
// CHECK:     .entry wgrad_block_sparse_weight_grad(
// CHECK:     .maxntid 64, 1, 1
// RUN: grep -c 'mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32' %t.80.ptx | FileCheck %s --check-prefix=MMA
// RUN: grep -c 'ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16' %t.80.ptx | FileCheck %s --check-prefix=TRANS
// RUN: not grep 'ldmatrix.sync.aligned.m8n8.x4.shared.b16' %t.80.ptx
// MMA: {{^}}8{{$}}
// TRANS: {{^}}6{{$}}

// PTXAS80: ptxas info    : Compiling entry function 'wgrad_block_sparse_weight_grad' for 'sm_80'
// PTXAS80-NEXT: Function properties for wgrad_block_sparse_weight_grad
// PTXAS80-NEXT: 0 bytes spill stores, 0 bytes spill loads
// PTXAS80-NEXT: ptxas info    : Used {{[0-9]+}} registers, used 1 barriers, 12288 bytes smem
// PTXAS90: ptxas info    : Compiling entry function 'wgrad_block_sparse_weight_grad' for 'sm_90a'
// PTXAS90: ptxas info    : Used {{[0-9]+}} registers, used 1 barriers

#l = #pixelfly.block_layout<shape = 4096x1024, block = 32x32, source = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 2, block = 32>>
func.func @wgrad(%dy: memref<?x4096xf16>, %x: memref<?x1024xf16>, %db: memref<768x32x32xf32>) {
  pixelfly.block_sparse_weight_grad ins(%dy, %x : memref<?x4096xf16>, memref<?x1024xf16>) outs(%db : memref<768x32x32xf32>) layout(#l)
  return
}
