// RUN: pixelfly-opt %s -split-input-file -verify-diagnostics \
// RUN:   --pass-pipeline="builtin.module(func.func(pixelfly-gpu-dense-fallback))" | FileCheck %s
// RUN: pixelfly-opt %s -split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(pixelfly-gpu-dense-fallback))" 2>/dev/null \
// RUN: | pixelfly-opt -split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(pixelfly-gpu-dense-fallback))" 2>/dev/null | FileCheck %s

// What no GPU kernel covers runs dense: a product without a
// pixelfly.gpu_config (here an f32 2:4 product: the sparse tensor cores
// take f16 and bf16) becomes a linalg.matmul on the densified weight, and
// the densify ops become linalg.generic. A configured product is kept. The
// second RUN line runs the pass on its own output: nothing is left to do.

// CHECK-LABEL: func.func @f32_two_four(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<8x32xf32>, %[[V:[^:]+]]: tensor<16x16xf32>, %[[M:[^:]+]]: tensor<16x2xi16>, %[[Y:[^:]+]]: tensor<8x16xf32>)
// CHECK-NOT:     pixelfly.
// CHECK:         %[[W:.+]] = linalg.generic
// CHECK-SAME:        outs(%{{.+}} : tensor<16x32xf32>)
// CHECK:           tensor.extract %[[M]]
// CHECK:           tensor.extract %[[V]]
// CHECK:         linalg.matmul
// CHECK-SAME:        ins(%[[X]], %[[W]] : tensor<8x32xf32>, tensor<16x32xf32>) outs(%[[Y]] : tensor<8x16xf32>)
// CHECK-NOT:     pixelfly.
// CHECK:         return
func.func @f32_two_four(%x: tensor<8x32xf32>, %v: tensor<16x16xf32>, %m: tensor<16x2xi16>, %y: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // expected-remark @below {{pixelfly-gpu-dense-fallback: no GPU kernel for this product as it is; it runs dense, on the densified weight}}
  %r = pixelfly.two_four_matmul ins(%x, %v, %m : tensor<8x32xf32>, tensor<16x16xf32>, tensor<16x2xi16>) outs(%y : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %r : tensor<8x16xf32>
}

// -----

// Configured: kept as it is.
// CHECK-LABEL: func.func @configured(
// CHECK:         pixelfly.two_four_matmul
// CHECK-NOT:     linalg.matmul
func.func @configured(%x: tensor<8x32xf16>, %v: tensor<16x16xf16>, %m: tensor<16x2xi16>, %y: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %r = pixelfly.two_four_matmul ins(%x, %v, %m : tensor<8x32xf16>, tensor<16x16xf16>, tensor<16x2xi16>) outs(%y : tensor<8x16xf32>) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 16, tile_n = 16, tile_k = 32, warps_m = 1, warps_n = 1, stages = 2>} -> tensor<8x16xf32>
  return %r : tensor<8x16xf32>
}

// -----

// A fixed 2:4 mask's pack function: densify_2_4 of ones on the prune's
// metadata. The prune has a GPU kernel and stays; the densify becomes a
// linalg.generic.
// CHECK-LABEL: func.func @mask(
// CHECK:         pixelfly.prune_2_4
// CHECK-NOT:     pixelfly.densify_2_4
// CHECK:         linalg.generic
// CHECK-NOT:     pixelfly.densify_2_4
func.func @mask(%w: tensor<16x32xbf16>) -> tensor<16x32xbf16> {
  %ev = tensor.empty() : tensor<16x16xbf16>
  %em = tensor.empty() : tensor<16x2xi16>
  %v, %m = pixelfly.prune_2_4 ins(%w : tensor<16x32xbf16>) outs(%ev, %em : tensor<16x16xbf16>, tensor<16x2xi16>) -> tensor<16x16xbf16>, tensor<16x2xi16>
  %one = arith.constant 1.0 : bf16
  %ones = linalg.fill ins(%one : bf16) outs(%ev : tensor<16x16xbf16>) -> tensor<16x16xbf16>
  %e = tensor.empty() : tensor<16x32xbf16>
  %d = pixelfly.densify_2_4 ins(%ones, %m : tensor<16x16xbf16>, tensor<16x2xi16>) outs(%e : tensor<16x32xbf16>) -> tensor<16x32xbf16>
  return %d : tensor<16x32xbf16>
}

// -----

// In memref form (after bufferization) nothing is rewritten.
// CHECK-LABEL: func.func @memref_form(
// CHECK:         pixelfly.two_four_matmul
func.func @memref_form(%x: memref<8x32xf32>, %v: memref<16x16xf32>, %m: memref<16x2xi16>, %y: memref<8x16xf32>) {
  // expected-remark @below {{pixelfly-gpu-dense-fallback: left unchanged: no GPU configuration, and in memref form (run the pass on tensors)}}
  pixelfly.two_four_matmul ins(%x, %v, %m : memref<8x32xf32>, memref<16x16xf32>, memref<16x2xi16>) outs(%y : memref<8x16xf32>)
  return
}
