// RUN: pixelfly-opt %s --convert-pixelfly-to-gpu -split-input-file -verify-diagnostics | FileCheck %s

// An output that is a strided view (what empty-tensor elimination leaves
// when a product's result is inserted into a slice of a larger buffer)
// goes through a contiguous temporary: copied in (init is read), written by
// the kernel, copied back, freed. pixelfly-gpu-device-memory then makes
// these device allocations and copy kernels (pixelfly-gpu-pipeline-strided.mlir).
#l = #pixelfly.block_layout<shape = 64x64, block = 32x32, row_ptr = [0, 1, 2], col_idx = [1, 0]>
#cfg = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 32, tile_k = 32, warps_m = 2, warps_n = 1, stages = 2>
// CHECK-LABEL: func.func @slice(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: memref<?x64xf16>, %[[B:[a-z0-9_]+]]: memref<2x32x32xf16>, %[[OUT:[a-z0-9_]+]]: memref<?x128xf32>)
// CHECK:         %[[V:.*]] = memref.subview %[[OUT]][0, 64]
// CHECK:         %[[D:.*]] = memref.dim %[[V]], %c0
// CHECK:         %[[T:.*]] = memref.alloc(%[[D]]) : memref<?x64xf32>
// CHECK:         memref.copy %[[V]], %[[T]] : memref<?x64xf32, strided<[128, 1], offset: 64>> to memref<?x64xf32>
// CHECK:         gpu.launch_func @pixelfly_kernels::@slice_block_sparse_matmul {{.*}} args(%[[X]] : memref<?x64xf16>, %[[B]] : memref<2x32x32xf16>, %[[T]] : memref<?x64xf32>)
// CHECK:         memref.copy %[[T]], %[[V]] : memref<?x64xf32> to memref<?x64xf32, strided<[128, 1], offset: 64>>
// CHECK:         memref.dealloc %[[T]]
// CHECK-NOT:     pixelfly.block_sparse_matmul
func.func @slice(%x: memref<?x64xf16>, %b: memref<2x32x32xf16>, %out: memref<?x128xf32>) {
  %c0 = arith.constant 0 : index
  %m = memref.dim %x, %c0 : memref<?x64xf16>
  %v = memref.subview %out[0, 64] [%m, 64] [1, 1] : memref<?x128xf32> to memref<?x64xf32, strided<[128, 1], offset: 64>>
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xf16>, memref<2x32x32xf16>) outs(%v : memref<?x64xf32, strided<[128, 1], offset: 64>>) layout(#l) {pixelfly.gpu_config = #cfg}
  return
}

// -----

// A product that cannot be lowered stays exactly as it was: no temporary
// is left behind.
#l = #pixelfly.block_layout<shape = 64x64, block = 32x32, row_ptr = [0, 1, 2], col_idx = [1, 0]>
// CHECK-LABEL: func.func @unlowered(
// CHECK-NOT:     memref.alloc
// CHECK-NOT:     memref.copy
// CHECK:         pixelfly.block_sparse_matmul
// CHECK-NOT:     memref.copy
// CHECK-NOT:     memref.dealloc
func.func @unlowered(%x: memref<?x64xf16>, %b: memref<2x32x32xf16>, %out: memref<?x128xf32>) {
  %c0 = arith.constant 0 : index
  %m = memref.dim %x, %c0 : memref<?x64xf16>
  %v = memref.subview %out[0, 64] [%m, 64] [1, 1] : memref<?x128xf32> to memref<?x64xf32, strided<[128, 1], offset: 64>>
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: no pixelfly.gpu_config (run pixelfly-gpu-config first)}}
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xf16>, memref<2x32x32xf16>) outs(%v : memref<?x64xf32, strided<[128, 1], offset: 64>>) layout(#l)
  return
}
