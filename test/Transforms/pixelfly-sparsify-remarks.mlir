// RUN: pixelfly-opt %s --pixelfly-sparsify -split-input-file -verify-diagnostics | FileCheck %s

// Every reason a contraction is left unchanged, each with its remark. The
// functions are kept as they were.

#bf = #pixelfly.plan<structure = butterfly, pattern = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 16>, rank = 16>
#bf32 = #pixelfly.plan<structure = butterfly, pattern = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 32>>
#tf = #pixelfly.plan<structure = two_four>
#dense = #pixelfly.plan<structure = dense>

// CHECK-LABEL: func.func @dynamic_weight(
// CHECK-SAME:      %{{.+}}: tensor<8x?xf32>, %{{.+}}: tensor<?x64xf32>, %{{.+}}: tensor<8x64xf32>)
// CHECK-NEXT:    linalg.matmul
func.func @dynamic_weight(%x: tensor<8x?xf32>, %w: tensor<?x64xf32>, %acc: tensor<8x64xf32>) -> tensor<8x64xf32> {
  // expected-remark @below {{pixelfly-sparsify: @dynamic_weight#0 left unchanged: dynamic shape of the weight}}
  %y = linalg.matmul ins(%x, %w : tensor<8x?xf32>, tensor<?x64xf32>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

// CHECK-LABEL: func.func @dense_plan(
// CHECK-NEXT:    linalg.matmul {pixelfly.plan = #{{.+}}}
func.func @dense_plan(%x: tensor<8x32xf32>, %w: tensor<32x64xf32>, %acc: tensor<8x64xf32>) -> tensor<8x64xf32> {
  // expected-remark @below {{pixelfly-sparsify: @dense_plan#0 left unchanged: the plan keeps it dense}}
  %y = linalg.matmul {pixelfly.plan = #dense} ins(%x, %w : tensor<8x32xf32>, tensor<32x64xf32>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

// CHECK-LABEL: func.func @plan_does_not_fit(
// CHECK-NEXT:    linalg.matmul
// CHECK-NOT:   func.func @plan_does_not_fit_pack
func.func @plan_does_not_fit(%x: tensor<8x32xf32>, %w: tensor<32x48xf32>, %acc: tensor<8x48xf32>) -> tensor<8x48xf32> {
  // expected-remark @below {{pixelfly-sparsify: @plan_does_not_fit#0 left unchanged: its plan does not fit the weight: weight shape 48x32 is not a multiple of block 32}}
  %y = linalg.matmul {pixelfly.plan = #bf32} ins(%x, %w : tensor<8x32xf32>, tensor<32x48xf32>) outs(%acc : tensor<8x48xf32>) -> tensor<8x48xf32>
  return %y : tensor<8x48xf32>
}

// CHECK-LABEL: func.func @mixed_types(
// CHECK-NEXT:    linalg.matmul
func.func @mixed_types(%x: tensor<8x32xf16>, %w: tensor<32x64xf32>, %acc: tensor<8x64xf32>) -> tensor<8x64xf32> {
  // expected-remark @below {{pixelfly-sparsify: @mixed_types#0 left unchanged: the activation's element type differs from the weight's}}
  %y = linalg.matmul {pixelfly.plan = #bf} ins(%x, %w : tensor<8x32xf16>, tensor<32x64xf32>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

// CHECK-LABEL: func.func @i8(
// CHECK-NEXT:    linalg.matmul
func.func @i8(%x: tensor<8x32xi8>, %w: tensor<32x64xi8>, %acc: tensor<8x64xi32>) -> tensor<8x64xi32> {
  // expected-remark @below {{pixelfly-sparsify: @i8#0 left unchanged: unsupported element type i8 (expected f16, bf16 or f32)}}
  %y = linalg.matmul {pixelfly.plan = #bf} ins(%x, %w : tensor<8x32xi8>, tensor<32x64xi8>) outs(%acc : tensor<8x64xi32>) -> tensor<8x64xi32>
  return %y : tensor<8x64xi32>
}

// The argument is also read by an op no rewrite maps: the whole group stays
// dense, and the remark names that op.
// CHECK-LABEL: func.func @other_uses(
// CHECK-SAME:      %{{.+}}: tensor<8x32xf32>, %{{.+}}: tensor<32x64xf32>, %{{.+}}: tensor<8x64xf32>)
// CHECK-NEXT:    linalg.matmul
func.func @other_uses(%x: tensor<8x32xf32>, %w: tensor<32x64xf32>, %acc: tensor<8x64xf32>) -> (tensor<8x64xf32>, tensor<4x64xf32>) {
  // expected-remark @below {{pixelfly-sparsify: @other_uses#0 left unchanged: the weight has a use the rewrite cannot map: 'tensor.extract_slice' at}}
  %y = linalg.matmul {pixelfly.plan = #bf} ins(%x, %w : tensor<8x32xf32>, tensor<32x64xf32>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  %s = tensor.extract_slice %w[0, 0] [4, 64] [1, 1] : tensor<32x64xf32> to tensor<4x64xf32>
  return %y, %s : tensor<8x64xf32>, tensor<4x64xf32>
}

// The callers would have to pack the weight: left to them.
// CHECK-LABEL: func.func private @called(
// CHECK-SAME:      %{{.+}}: tensor<8x32xf32>, %{{.+}}: tensor<32x64xf32>, %{{.+}}: tensor<8x64xf32>)
// CHECK-NEXT:    linalg.matmul
func.func private @called(%x: tensor<8x32xf32>, %w: tensor<32x64xf32>, %acc: tensor<8x64xf32>) -> tensor<8x64xf32> {
  // expected-remark @below {{pixelfly-sparsify: @called#0 left unchanged: the weight is an argument of a function called in the module}}
  %y = linalg.matmul {pixelfly.plan = #bf} ins(%x, %w : tensor<8x32xf32>, tensor<32x64xf32>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}
func.func @caller(%x: tensor<8x32xf32>, %w: tensor<32x64xf32>, %acc: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %y = func.call @called(%x, %w, %acc) : (tensor<8x32xf32>, tensor<32x64xf32>, tensor<8x64xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

// CHECK-LABEL: func.func @global_weight(
// CHECK:         ml_program.global_load_const @gw
// CHECK-NEXT:    linalg.matmul
ml_program.global private @gw(dense<1.0> : tensor<32x64xf32>) : tensor<32x64xf32>
func.func @global_weight(%x: tensor<8x32xf32>, %acc: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %w = ml_program.global_load_const @gw : tensor<32x64xf32>
  // expected-remark @below {{pixelfly-sparsify: @global_weight#0 left unchanged: the weight is a global variable (only constants and function arguments are rewritten)}}
  %y = linalg.matmul {pixelfly.plan = #bf} ins(%x, %w : tensor<8x32xf32>, tensor<32x64xf32>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

// Both operands are computed: there is no weight.
// CHECK-LABEL: func.func @not_a_weight(
// CHECK:         linalg.matmul
func.func @not_a_weight(%a: tensor<8x32xf32>, %b: tensor<32x64xf32>, %acc: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %x = arith.negf %a : tensor<8x32xf32>
  %w = arith.negf %b : tensor<32x64xf32>
  // expected-remark @below {{pixelfly-sparsify: @not_a_weight#0 left unchanged: not a contraction of an activation with a weight}}
  %y = linalg.matmul {pixelfly.plan = #bf} ins(%x, %w : tensor<8x32xf32>, tensor<32x64xf32>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

// CHECK-LABEL: func.func @two_four_k(
// CHECK-NEXT:    linalg.matmul
func.func @two_four_k(%x: tensor<8x24xf32>, %w: tensor<24x64xf32>, %acc: tensor<8x64xf32>) -> tensor<8x64xf32> {
  // expected-remark @below {{pixelfly-sparsify: @two_four_k#0 left unchanged: weight shape 64x24: K must be a multiple of 16}}
  %y = linalg.matmul {pixelfly.plan = #tf} ins(%x, %w : tensor<8x24xf32>, tensor<24x64xf32>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

// CHECK-LABEL: func.func @memref_form(
// CHECK-NEXT:    linalg.matmul
func.func @memref_form(%x: memref<8x32xf32>, %w: memref<32x64xf32>, %acc: memref<8x64xf32>) {
  // expected-remark @below {{pixelfly-sparsify: @memref_form#0 left unchanged: not on tensors (run before bufferization)}}
  linalg.matmul {pixelfly.plan = #bf} ins(%x, %w : memref<8x32xf32>, memref<32x64xf32>) outs(%acc : memref<8x64xf32>)
  return
}

// -----

// Without plans the budget analysis decides, and its reasons come back as
// remarks: too small, a dynamic number of tokens. The large layer takes the
// budget. The plans the pass attached are gone from the layers it left.
// CHECK-LABEL: func.func @budget_reasons(
// CHECK-NOT:     linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<64x1024xf16>
// CHECK:         pixelfly.
// CHECK:         linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<64x32xf16>
// CHECK:         linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<?x1024xf16>
func.func @budget_reasons(%x: tensor<64x1024xf16>, %w: tensor<1024x1024xf16>, %a: tensor<64x1024xf32>,
                          %xs: tensor<64x32xf16>, %ws: tensor<32x32xf16>, %as: tensor<64x32xf32>,
                          %xd: tensor<?x1024xf16>, %wd: tensor<1024x1024xf16>, %ad: tensor<?x1024xf32>)
    -> (tensor<64x1024xf32>, tensor<64x32xf32>, tensor<?x1024xf32>) {
  %y = linalg.matmul ins(%x, %w : tensor<64x1024xf16>, tensor<1024x1024xf16>) outs(%a : tensor<64x1024xf32>) -> tensor<64x1024xf32>
  // expected-remark @below {{pixelfly-sparsify: @budget_reasons#1 left unchanged: too small: 1024 weights, fewer than min-weight-size 4096}}
  %ys = linalg.matmul ins(%xs, %ws : tensor<64x32xf16>, tensor<32x32xf16>) outs(%as : tensor<64x32xf32>) -> tensor<64x32xf32>
  // expected-remark @below {{pixelfly-sparsify: @budget_reasons#2 left unchanged: dynamic number of tokens (set the 'tokens' option to plan it)}}
  %yd = linalg.matmul ins(%xd, %wd : tensor<?x1024xf16>, tensor<1024x1024xf16>) outs(%ad : tensor<?x1024xf32>) -> tensor<?x1024xf32>
  return %y, %ys, %yd : tensor<64x1024xf32>, tensor<64x32xf32>, tensor<?x1024xf32>
}
