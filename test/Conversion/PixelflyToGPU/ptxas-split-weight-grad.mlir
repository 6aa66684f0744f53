// REQUIRES: ptxas
// Split weight gradients compile for sm_80 and sm_90a.
// RUN: pixelfly-opt %s \
// RUN:   --pass-pipeline="builtin.module(pixelfly-gpu-config{chip=sm_80}, convert-pixelfly-to-gpu, canonicalize, cse, convert-nvgpu-to-nvvm, convert-vector-to-scf, convert-scf-to-cf, convert-nvvm-to-llvm, convert-func-to-llvm, expand-strided-metadata, nvvm-attach-target{chip=sm_80 features=+ptx80 O=3}, lower-affine, convert-arith-to-llvm, convert-index-to-llvm, canonicalize, cse, gpu.module(strip-debuginfo, convert-gpu-to-nvvm, canonicalize, cse, reconcile-unrealized-casts), gpu-to-llvm, gpu-module-to-binary{format=isa})" -o %t.80.mlir
// RUN: %python %S/extract_ptx.py %t.80.mlir > %t.80.ptx
// RUN: %ptxas -arch=sm_80 -v %t.80.ptx -o %t.80.cubin > %t.80.log 2>&1
// RUN: pixelfly-opt %s \
// RUN:   --pass-pipeline="builtin.module(pixelfly-gpu-config{chip=sm_90a}, convert-pixelfly-to-gpu, canonicalize, cse, convert-nvgpu-to-nvvm, convert-vector-to-scf, convert-scf-to-cf, convert-nvvm-to-llvm, convert-func-to-llvm, expand-strided-metadata, nvvm-attach-target{chip=sm_90a features=+ptx80 O=3}, lower-affine, convert-arith-to-llvm, convert-index-to-llvm, canonicalize, cse, gpu.module(strip-debuginfo, convert-gpu-to-nvvm, canonicalize, cse, reconcile-unrealized-casts), gpu-to-llvm, gpu-module-to-binary{format=isa})" -o %t.90.mlir
// RUN: %python %S/extract_ptx.py %t.90.mlir > %t.90.ptx
// RUN: %ptxas -arch=sm_90a -v %t.90.ptx -o %t.90.cubin > %t.90.log 2>&1
// RUN: FileCheck %s --check-prefix=SPLIT80 < %t.80.log
// RUN: FileCheck %s --check-prefix=SPLIT90 < %t.90.log

// A low-rank factor's gradient (1024 x 32, dense in 32 blocks of 32 x 32)
// and a 4096 x 64 one (64 blocks of 64 x 64, the Hopper family's on
// sm_90a): too few blocks to fill the multiprocessors, so
// pixelfly-gpu-config splits their tokens (8 and 4 ranges on sm_80, 16
// and 8 on sm_90a), and a kernel adding the partials follows each. Every
// kernel compiles without spills.
// SPLIT80-DAG: Compiling entry function 'rank_block_sparse_weight_grad' for 'sm_80'
// SPLIT80-DAG: Compiling entry function 'rank_split_sum' for 'sm_80'
// SPLIT80-DAG: Compiling entry function 'wide_block_sparse_weight_grad' for 'sm_80'
// SPLIT80-DAG: Compiling entry function 'wide_split_sum' for 'sm_80'
// SPLIT90-DAG: Compiling entry function 'rank_block_sparse_weight_grad' for 'sm_90a'
// SPLIT90-DAG: Compiling entry function 'rank_split_sum' for 'sm_90a'
// SPLIT90-DAG: Compiling entry function 'wide_block_sparse_weight_grad' for 'sm_90a'
// SPLIT90-DAG: Compiling entry function 'wide_split_sum' for 'sm_90a'
// RUN: not grep -E '[1-9][0-9]* bytes spill' %t.80.log %t.90.log

#rank = #pixelfly.block_layout<shape = 1024x32, block = 32x32, row_ptr = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32], col_idx = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]>
func.func @rank(%dy: memref<?x1024xbf16>, %t: memref<?x32xbf16>, %du: memref<32x32x32xf32>) {
  pixelfly.block_sparse_weight_grad ins(%dy, %t : memref<?x1024xbf16>, memref<?x32xbf16>) outs(%du : memref<32x32x32xf32>) layout(#rank)
  return
}

#wide = #pixelfly.block_layout<shape = 4096x64, block = 64x64, row_ptr = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64], col_idx = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]>
func.func @wide(%dy: memref<?x4096xbf16>, %x: memref<?x64xbf16>, %dw: memref<64x64x64xf32>) {
  pixelfly.block_sparse_weight_grad ins(%dy, %x : memref<?x4096xbf16>, memref<?x64xbf16>) outs(%dw : memref<64x64x64xf32>) layout(#wide)
  return
}
