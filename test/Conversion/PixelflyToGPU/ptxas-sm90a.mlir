// REQUIRES: ptxas
// RUN: pixelfly-opt %s \
// RUN:   --pass-pipeline="builtin.module(pixelfly-gpu-config{chip=sm_90a}, convert-pixelfly-to-gpu, canonicalize, cse, convert-nvgpu-to-nvvm, convert-vector-to-scf, convert-scf-to-cf, convert-nvvm-to-llvm, convert-func-to-llvm, expand-strided-metadata, nvvm-attach-target{chip=sm_90a features=+ptx80 O=3}, lower-affine, convert-arith-to-llvm, convert-index-to-llvm, canonicalize, cse, gpu.module(strip-debuginfo, convert-gpu-to-nvvm, canonicalize, cse, reconcile-unrealized-casts), gpu-to-llvm, gpu-module-to-binary{format=isa})" -o %t.mlir
// RUN: %python %S/extract_ptx.py %t.mlir > %t.ptx
// RUN: FileCheck %s < %t.ptx
// RUN: %ptxas -arch=sm_90a -v %t.ptx -o %t.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS

// bf16 on sm_90a with the configuration pixelfly-gpu-config picks: 128 x
// 128 x 32 tiles, 2 x 2 warps of 64 x 64 (64 mma per k-tile, through
// nvvm.mma.sync), 4 stages: 64 KB, so dynamic shared memory sized by the
// launch. (Upstream lowers gpu.dynamic_shared_memory to a zero-length
// internal global, printed as a scalar .shared symbol with the dynamic
// window right behind it.)
// CHECK:     .entry fwd_block_sparse_matmul(
// CHECK:     .maxntid 128, 1, 1
// CHECK:     .shared .align 16 .b8 __dynamic_shmem__0
// CHECK-NOT: {{^[[:space:]]*}}.shared
// The k-loop body appears once in the PTX. Per k16 step: 4 ldmatrix x4 for
// A and 4 for B (each covering two n8 tiles), then 32 mma.
// CHECK:     cp.async.commit_group
// CHECK-COUNT-8: ldmatrix.sync.aligned.m8n8.x4.shared.b16
// CHECK-COUNT-32: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// CHECK-COUNT-8: ldmatrix.sync.aligned.m8n8.x4.shared.b16
// CHECK-COUNT-32: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// CHECK-NOT: mma.sync
// CHECK-NOT: ldmatrix
// CHECK:     ret;

// Totals: 64 mma and 16 ldmatrix per k-tile; 8 chunks of 16 bytes per
// thread and k-tile (4 of X with a src-size for zero fill past M, 4 of
// blocks) in the 3 prologue stages and the loop; one wait_group 2.
// RUN: grep -c 'mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32' %t.ptx | FileCheck %s --check-prefix=MMA
// RUN: grep -c 'ldmatrix.sync.aligned.m8n8.x4.shared.b16' %t.ptx | FileCheck %s --check-prefix=LDMATRIX
// RUN: grep -c 'cp.async.cg.shared.global .*, 16' %t.ptx | FileCheck %s --check-prefix=CPASYNC
// RUN: grep -c 'cp.async.cg.shared.global .*, 16, %r' %t.ptx | FileCheck %s --check-prefix=ZFILL
// RUN: grep 'cp.async.wait_group' %t.ptx | FileCheck %s --check-prefix=WAIT
// MMA: {{^}}64{{$}}
// LDMATRIX: {{^}}16{{$}}
// CPASYNC: {{^}}32{{$}}
// ZFILL: {{^}}16{{$}}
// WAIT: cp.async.wait_group 2;
// WAIT-NOT: cp.async.wait_group

// PTXAS: ptxas info    : Compiling entry function 'fwd_block_sparse_matmul' for 'sm_90a'
// PTXAS: ptxas info    : Used {{[0-9]+}} registers, used 1 barriers, {{[0-9]+}} bytes smem

#l = #pixelfly.block_layout<shape = 4096x1024, block = 32x32, source = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 1, block = 32>>
func.func @fwd(%x: memref<?x1024xbf16>, %b: memref<512x32x32xbf16>, %y: memref<?x4096xf32>) {
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x1024xbf16>, memref<512x32x32xbf16>) outs(%y : memref<?x4096xf32>) layout(#l)
  return
}
