// With plans already in the module, mode= only filters what is rewritten.
// RUN: pixelfly-opt %s --pixelfly-sparsify="mode=butterfly" 2>&1 | FileCheck %s --check-prefix=BUTTERFLY
// RUN: pixelfly-opt %s --pixelfly-sparsify="mode=2:4" 2>&1 | FileCheck %s --check-prefix=TWOFOUR
// RUN: pixelfly-opt %s --pixelfly-sparsify="report=-" 2>&1 | FileCheck %s --check-prefix=AUTO

// BUTTERFLY: remark: pixelfly-sparsify: @layers#1 left unchanged: plan is 2:4 (mode=butterfly)
// BUTTERFLY: pixelfly.block_sparse_matmul
// BUTTERFLY: linalg.matmul {pixelfly.plan = #{{.+}}}

// TWOFOUR: remark: pixelfly-sparsify: @layers#0 left unchanged: plan is butterfly, not 2:4 (mode=2:4)
// TWOFOUR: linalg.matmul {pixelfly.plan = #{{.+}}}
// TWOFOUR: pixelfly.two_four_matmul

// Hand-written plans: the report has the projection errors alone, then the
// counts.
// AUTO:      pixelfly-sparsify: relative Frobenius error of the projected weights
// AUTO-NEXT: @layers#0      0.{{[0-9]+}}
// AUTO-NEXT: @layers#1      0.{{[0-9]+}}
// AUTO-NEXT: sparsify: 2 converted, 0 skipped, 2 dense weights removed, {{[0-9]+}} bytes saved
// AUTO:      pixelfly.block_sparse_matmul
// AUTO:      pixelfly.two_four_matmul

#bf = #pixelfly.plan<structure = butterfly, pattern = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 16>>
#tf = #pixelfly.plan<structure = two_four>
func.func @layers(%x: tensor<8x64xf32>, %a: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %c1 = arith.constant dense<0.5> : tensor<64x64xf32>
  %c2 = arith.constant dense<0.25> : tensor<64x64xf32>
  %y = linalg.matmul {pixelfly.plan = #bf} ins(%x, %c1 : tensor<8x64xf32>, tensor<64x64xf32>) outs(%a : tensor<8x64xf32>) -> tensor<8x64xf32>
  %z = linalg.matmul {pixelfly.plan = #tf} ins(%y, %c2 : tensor<8x64xf32>, tensor<64x64xf32>) outs(%a : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %z : tensor<8x64xf32>
}
