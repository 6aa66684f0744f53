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

// pixelfly.linear on the GPT-2-medium up-projection (4096 x 1024, butterfly
// 16, blocks of 32, rank 64, f16, per-row gamma), 128 x 128 x 32 tiles of
// 2 x 2 warps. Main kernel: the k-loop body appears once, with the gamma
// scaling (32 accumulators of 4 f32: 128 multiplies) before the same 64
// mma and 16 ldmatrix per k-tile as the block-sparse kernel. Each of the 3
// issue sites (2 prologue stages, the loop) copies either a block column or
// a panel slice of T and U, 8 chunks per thread each; the last copy of the
// two branches is merged by the backend: 3 x 15. Low-rank kernel (T =
// (1 - g) X V): the tensor-core kernel in its input-gradient form, 64 x 64
// tiles of 4 warps, k-tiles of 64 in 3 stages: 32 mma, 4 ldmatrix of X and
// 16 ldmatrix .trans of V per k-tile, 3 x 8 16-byte copies (45 + 24 in
// all); its epilogue scales by 1 - g.
// CHECK:     .entry linear_linear(
// CHECK:     .maxntid 128, 1, 1
// CHECK-COUNT-128: mul.rn.f32
// CHECK-NOT: mul.rn.f32
// CHECK:     .entry linear_low_rank(
// CHECK:     .maxntid 128, 1, 1
// RUN: grep -c 'mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32' %t.80.ptx | FileCheck %s --check-prefix=MMA
// RUN: grep -c 'ldmatrix.sync.aligned.m8n8.x4.shared.b16' %t.80.ptx | FileCheck %s --check-prefix=LDMATRIX
// RUN: grep -c 'ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16' %t.80.ptx | FileCheck %s --check-prefix=LDTRANS
// RUN: grep -c 'cp.async.cg.shared.global .*, 16' %t.80.ptx | FileCheck %s --check-prefix=CPASYNC
// RUN: grep 'cp.async.wait_group' %t.80.ptx | FileCheck %s --check-prefix=WAIT
// MMA: {{^}}96{{$}}
// LDMATRIX: {{^}}20{{$}}
// LDTRANS: {{^}}16{{$}}
// CPASYNC: {{^}}69{{$}}
// WAIT-COUNT-2: cp.async.wait_group 1;
// WAIT-NOT: cp.async.wait_group

// ptxas reports the T kernel first.
// PTXAS80: ptxas info    : Compiling entry function 'linear_low_rank' for 'sm_80'
// PTXAS80-NEXT: Function properties for linear_low_rank
// PTXAS80-NEXT: 0 bytes spill stores, 0 bytes spill loads
// PTXAS80-NEXT: ptxas info    : Used {{[0-9]+}} registers, used 1 barriers, 49152 bytes smem
// PTXAS80: ptxas info    : Compiling entry function 'linear_linear' for 'sm_80'
// PTXAS80: ptxas info    : Used {{[0-9]+}} registers, used 1 barriers, 49152 bytes smem
// PTXAS90: ptxas info    : Compiling entry function 'linear_linear' for 'sm_90a'
// PTXAS90: ptxas info    : Used {{[0-9]+}} registers, used 1 barriers

#l = #pixelfly.block_layout<shape = 4096x1024, block = 32x32, source = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 1, block = 32>>
func.func @linear(%x: memref<?x1024xf16>, %b: memref<512x32x32xf16>, %u: memref<4096x64xf16>, %v: memref<1024x64xf16>, %g: memref<?xf32>, %y: memref<?x4096xf32>) {
  pixelfly.linear ins(%x, %b, %u, %v : memref<?x1024xf16>, memref<512x32x32xf16>, memref<4096x64xf16>, memref<1024x64xf16>) gamma(%g : memref<?xf32>) outs(%y : memref<?x4096xf32>) layout(#l)
  return
}
