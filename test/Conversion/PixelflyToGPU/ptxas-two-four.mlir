// REQUIRES: ptxas
// RUN: pixelfly-opt %s \
// RUN:   --pass-pipeline="builtin.module(pixelfly-gpu-config{chip=sm_80}, convert-pixelfly-to-gpu, canonicalize, cse, convert-nvgpu-to-nvvm, convert-vector-to-scf, convert-scf-to-cf, convert-nvvm-to-llvm, convert-func-to-llvm, expand-strided-metadata, nvvm-attach-target{chip=sm_80 features=+ptx80 O=3}, lower-affine, convert-arith-to-llvm, convert-index-to-llvm, canonicalize, cse, gpu.module(strip-debuginfo, convert-gpu-to-nvvm, canonicalize, cse, reconcile-unrealized-casts), gpu-to-llvm, gpu-module-to-binary{format=isa})" -o %t.80.mlir
// RUN: %python %S/extract_ptx.py %t.80.mlir > %t.80.ptx
// RUN: FileCheck %s < %t.80.ptx
// RUN: %ptxas -arch=sm_80 -v %t.80.ptx -o %t.80.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS80
// RUN: pixelfly-opt %s --pixelfly-gpu-pipeline="chip=sm_90a format=isa" -o %t.90.mlir
// RUN: %python %S/extract_ptx.py %t.90.mlir > %t.90.ptx
// RUN: FileCheck %s --check-prefix=SPARSE < %t.90.ptx
// RUN: grep -c 'wgmma.mma_async.sp.sync.aligned.m64n128k32.f32.f16.f16' %t.90.ptx | FileCheck %s --check-prefix=WGMMA
// RUN: %ptxas -arch=sm_90a -v %t.90.ptx -o %t.90.cubin > %t.90.ptxas 2>&1
// RUN: FileCheck %s --check-prefix=PTXAS90 < %t.90.ptxas
// RUN: not grep C75 %t.90.ptxas

// The 2:4 forward product of the GPT-2-medium up-projection (W: 4096 x
// 1024, 2:4 along K, f16, metadata at run time): pixelfly-gpu-config picks
// 128 x 128 tiles (tokens x features), tile_k 64, 2 x 2 warps of 64
// features x 64 tokens. Per k-tile, two 32-column steps of 4 x 8
// mma.sp.m16n8k32 (64), 4 + 8 ldmatrix x4 per step (24); 3 stages in 72
// KB of dynamic shared memory.
// CHECK:     .entry fwd_two_four_matmul(
// CHECK:     mma.sp.sync.aligned.m16n8k32.row.col.f32.f16.f16.f32
// RUN: grep -c 'mma.sp.sync.aligned.m16n8k32.row.col.f32.f16.f16.f32' %t.80.ptx | FileCheck %s --check-prefix=MMA
// RUN: grep -c 'ldmatrix.sync.aligned.m8n8.x4.shared.b16' %t.80.ptx | FileCheck %s --check-prefix=LDM
// MMA: {{^}}64{{$}}
// LDM: {{^}}24{{$}}

// PTXAS80: ptxas info    : Compiling entry function 'fwd_two_four_matmul' for 'sm_80'
// PTXAS80-NEXT: Function properties for fwd_two_four_matmul
// PTXAS80-NEXT: 0 bytes spill stores, 0 bytes spill loads
// PTXAS80-NEXT: ptxas info    : Used {{[0-9]+}} registers, used 1 barriers, 1 bytes smem
// On sm_90a the Hopper family's kernel (sparse wgmma): 128 tokens x 256
// weight rows over two consumer warpgroups of two 64-row tiles each, a
// k-tile of 128 columns (one 128-byte row of compressed values) in 3
// stages; per k-tile the compressed values and two boxes of X by TMA, and
// per consumer 4 k32 steps of 2 wgmma.mma_async.sp m64n128k32 (8), each
// with its metadata register and selector 0, committed as one group. Sparse wgmma on 16-bit types
// needs PTX ISA 8.2, the pipeline's default for sm_90a. ptxas: no spills,
// no warning (C7515/C7520: wgmma serialized).
// SPARSE:     .version 8.2
// SPARSE:     .entry fwd_two_four_matmul(
// SPARSE:     setmaxnreg.dec.sync.aligned.u32 40;
// SPARSE:     cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes
// SPARSE:     setmaxnreg.inc.sync.aligned.u32 232;
// SPARSE:     wgmma.fence.sync.aligned;
// SPARSE:     wgmma.mma_async.sp.sync.aligned.m64n128k32.f32.f16.f16 {{{.*}}}, %rd{{[0-9]+}}, %rd{{[0-9]+}}, %r{{[0-9]+}}, 0, p, 1, 1, 0, 0;
// SPARSE:     wgmma.commit_group.sync.aligned;
// SPARSE-NEXT: wgmma.wait_group.sync.aligned 1;
// WGMMA: {{^}}8{{$}}
// PTXAS90: ptxas info    : Compiling entry function 'fwd_two_four_matmul' for 'sm_90a'
// PTXAS90-NEXT: Function properties for fwd_two_four_matmul
// PTXAS90-NEXT: 0 bytes spill stores, 0 bytes spill loads

func.func @fwd(%x: memref<?x1024xf16>, %v: memref<4096x512xf16>, %m: memref<4096x64xi16>, %y: memref<?x4096xf32>) {
  pixelfly.two_four_matmul ins(%x, %v, %m : memref<?x1024xf16>, memref<4096x512xf16>, memref<4096x64xi16>) outs(%y : memref<?x4096xf32>)
  return
}
