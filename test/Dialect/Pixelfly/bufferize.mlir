// RUN: pixelfly-opt %s -one-shot-bufferize="bufferize-function-boundaries" -split-input-file | FileCheck %s

// Every pixelfly op bufferizes to its memref form, which has no results.
// Ops that accumulate read their destination, so a destination that is still
// needed afterwards is copied first; ops that overwrite it (densify,
// densify_2_4, prune_2_4) get a fresh buffer without a copy.

//===----------------------------------------------------------------------===//
// Accumulating ops, in place on a function argument
//===----------------------------------------------------------------------===//

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK: #[[L:layout[0-9]*]] = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
// CHECK-LABEL: func.func @block_sparse_matmul(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: memref<?x128xbf16, strided<[?, ?], offset: ?>>, %[[B:[a-zA-Z0-9_]+]]: memref<3x32x32xbf16, strided<[?, ?, ?], offset: ?>>, %[[INIT:[a-zA-Z0-9_]+]]: memref<?x64xf32, strided<[?, ?], offset: ?>>) -> memref<?x64xf32, strided<[?, ?], offset: ?>>
// CHECK-NEXT:    pixelfly.block_sparse_matmul ins(%[[X]], %[[B]] : memref<?x128xbf16, strided<[?, ?], offset: ?>>, memref<3x32x32xbf16, strided<[?, ?, ?], offset: ?>>) outs(%[[INIT]] : memref<?x64xf32, strided<[?, ?], offset: ?>>) layout(#[[L]]){{$}}
// CHECK-NEXT:    return %[[INIT]]
func.func @block_sparse_matmul(%x: tensor<?x128xbf16>, %b: tensor<3x32x32xbf16>,
                               %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %0 = pixelfly.block_sparse_matmul ins(%x, %b : tensor<?x128xbf16>, tensor<3x32x32xbf16>)
         outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// linear with a gamma operand and the caller's X V: both optional operands
// keep their places.
#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @linear_xv(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: memref<?x128xbf16, {{.*}}>, %[[B:[a-zA-Z0-9_]+]]: memref<3x32x32xbf16, {{.*}}>, %[[U:[a-zA-Z0-9_]+]]: memref<64x16xbf16, {{.*}}>, %[[V:[a-zA-Z0-9_]+]]: memref<128x16xbf16, {{.*}}>, %[[XV:[a-zA-Z0-9_]+]]: memref<?x16xbf16, {{.*}}>, %[[G:[a-zA-Z0-9_]+]]: f32, %[[INIT:[a-zA-Z0-9_]+]]: memref<?x64xf32, {{.*}}>)
// CHECK-NEXT:    pixelfly.linear ins(%[[X]], %[[B]], %[[U]], %[[V]] : {{.*}}) xv(%[[XV]] : memref<?x16xbf16, strided<[?, ?], offset: ?>>) gamma(%[[G]] : f32) outs(%[[INIT]] : {{.*}}) layout(#[[L]]){{$}}
// CHECK-NEXT:    return %[[INIT]]
func.func @linear_xv(%x: tensor<?x128xbf16>, %b: tensor<3x32x32xbf16>,
                     %u: tensor<64x16xbf16>, %v: tensor<128x16xbf16>,
                     %xv: tensor<?x16xbf16>, %g: f32,
                     %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %0 = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>)
         xv(%xv : tensor<?x16xbf16>) gamma(%g : f32) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @block_sparse_input_grad(
// CHECK-SAME:      %[[DY:[a-zA-Z0-9_]+]]: memref<16x64xf16, strided<[?, ?], offset: ?>>, %[[B:[a-zA-Z0-9_]+]]: memref<3x32x32xf16, strided<[?, ?, ?], offset: ?>>, %[[INIT:[a-zA-Z0-9_]+]]: memref<16x128xf32, strided<[?, ?], offset: ?>>)
// CHECK-NEXT:    pixelfly.block_sparse_input_grad ins(%[[DY]], %[[B]] : memref<16x64xf16, strided<[?, ?], offset: ?>>, memref<3x32x32xf16, strided<[?, ?, ?], offset: ?>>) outs(%[[INIT]] : memref<16x128xf32, strided<[?, ?], offset: ?>>) layout(#[[L]]){{$}}
// CHECK-NEXT:    return %[[INIT]]
func.func @block_sparse_input_grad(%dy: tensor<16x64xf16>, %b: tensor<3x32x32xf16>,
                                   %init: tensor<16x128xf32>) -> tensor<16x128xf32> {
  %0 = pixelfly.block_sparse_input_grad ins(%dy, %b : tensor<16x64xf16>, tensor<3x32x32xf16>)
         outs(%init : tensor<16x128xf32>) layout(#l) -> tensor<16x128xf32>
  return %0 : tensor<16x128xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @block_sparse_weight_grad(
// CHECK-SAME:      %[[DY:[a-zA-Z0-9_]+]]: memref<?x64xbf16, strided<[?, ?], offset: ?>>, %[[X:[a-zA-Z0-9_]+]]: memref<?x128xbf16, strided<[?, ?], offset: ?>>, %[[INIT:[a-zA-Z0-9_]+]]: memref<3x32x32xf32, strided<[?, ?, ?], offset: ?>>)
// CHECK-NEXT:    pixelfly.block_sparse_weight_grad ins(%[[DY]], %[[X]] : memref<?x64xbf16, strided<[?, ?], offset: ?>>, memref<?x128xbf16, strided<[?, ?], offset: ?>>) outs(%[[INIT]] : memref<3x32x32xf32, strided<[?, ?, ?], offset: ?>>) layout(#[[L]]){{$}}
// CHECK-NEXT:    return %[[INIT]]
func.func @block_sparse_weight_grad(%dy: tensor<?x64xbf16>, %x: tensor<?x128xbf16>,
                                    %init: tensor<3x32x32xf32>) -> tensor<3x32x32xf32> {
  %0 = pixelfly.block_sparse_weight_grad ins(%dy, %x : tensor<?x64xbf16>, tensor<?x128xbf16>)
         outs(%init : tensor<3x32x32xf32>) layout(#l) -> tensor<3x32x32xf32>
  return %0 : tensor<3x32x32xf32>
}

// -----

// CHECK-LABEL: func.func @low_rank_matmul(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: memref<?x128xf16, strided<[?, ?], offset: ?>>, %[[U:[a-zA-Z0-9_]+]]: memref<64x16xf16, strided<[?, ?], offset: ?>>, %[[V:[a-zA-Z0-9_]+]]: memref<128x16xf16, strided<[?, ?], offset: ?>>, %[[INIT:[a-zA-Z0-9_]+]]: memref<?x64xf16, strided<[?, ?], offset: ?>>)
// CHECK-NEXT:    pixelfly.low_rank_matmul ins(%[[X]], %[[U]], %[[V]] : memref<?x128xf16, strided<[?, ?], offset: ?>>, memref<64x16xf16, strided<[?, ?], offset: ?>>, memref<128x16xf16, strided<[?, ?], offset: ?>>) outs(%[[INIT]] : memref<?x64xf16, strided<[?, ?], offset: ?>>){{$}}
// CHECK-NEXT:    return %[[INIT]]
func.func @low_rank_matmul(%x: tensor<?x128xf16>, %u: tensor<64x16xf16>,
                           %v: tensor<128x16xf16>, %init: tensor<?x64xf16>)
    -> tensor<?x64xf16> {
  %0 = pixelfly.low_rank_matmul ins(%x, %u, %v : tensor<?x128xf16>, tensor<64x16xf16>, tensor<128x16xf16>)
         outs(%init : tensor<?x64xf16>) -> tensor<?x64xf16>
  return %0 : tensor<?x64xf16>
}

// -----

// The three kinds of gamma: a constant stays an attribute, a scalar stays a
// scalar, a per-row tensor becomes a buffer. The chain of accumulations stays
// in place.
#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @linear(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: memref<?x128xbf16, strided<[?, ?], offset: ?>>, %[[B:[a-zA-Z0-9_]+]]: memref<3x32x32xbf16, strided<[?, ?, ?], offset: ?>>, %[[U:[a-zA-Z0-9_]+]]: memref<64x16xbf16, strided<[?, ?], offset: ?>>, %[[V:[a-zA-Z0-9_]+]]: memref<128x16xbf16, strided<[?, ?], offset: ?>>, %[[G:[a-zA-Z0-9_]+]]: f32, %[[GR:[a-zA-Z0-9_]+]]: memref<?xf32, strided<[?], offset: ?>>, %[[INIT:[a-zA-Z0-9_]+]]: memref<?x64xf32, strided<[?, ?], offset: ?>>)
// CHECK-NEXT:    pixelfly.linear ins(%[[X]], %[[B]], %[[U]], %[[V]] : memref<?x128xbf16, strided<[?, ?], offset: ?>>, memref<3x32x32xbf16, strided<[?, ?, ?], offset: ?>>, memref<64x16xbf16, strided<[?, ?], offset: ?>>, memref<128x16xbf16, strided<[?, ?], offset: ?>>) gamma(2.500000e-01) outs(%[[INIT]] : memref<?x64xf32, strided<[?, ?], offset: ?>>) layout(#[[L]]){{$}}
// CHECK-NEXT:    pixelfly.linear ins(%[[X]], %[[B]], %[[U]], %[[V]] : {{.*}}) gamma(%[[G]] : f32) outs(%[[INIT]] : memref<?x64xf32, strided<[?, ?], offset: ?>>) layout(#[[L]]){{$}}
// CHECK-NEXT:    pixelfly.linear ins(%[[X]], %[[B]], %[[U]], %[[V]] : {{.*}}) gamma(%[[GR]] : memref<?xf32, strided<[?], offset: ?>>) outs(%[[INIT]] : memref<?x64xf32, strided<[?, ?], offset: ?>>) layout(#[[L]]){{$}}
// CHECK-NEXT:    return %[[INIT]]
func.func @linear(%x: tensor<?x128xbf16>, %b: tensor<3x32x32xbf16>,
                  %u: tensor<64x16xbf16>, %v: tensor<128x16xbf16>, %g: f32,
                  %gr: tensor<?xf32>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %0 = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>)
         gamma(0.25) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  %1 = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>)
         gamma(%g : f32) outs(%0 : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  %2 = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>)
         gamma(%gr : tensor<?xf32>) outs(%1 : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %2 : tensor<?x64xf32>
}

// -----

// CHECK-LABEL: func.func @two_four_matmul(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: memref<?x64xf16, strided<[?, ?], offset: ?>>, %[[VAL:[a-zA-Z0-9_]+]]: memref<32x32xf16, strided<[?, ?], offset: ?>>, %[[META:[a-zA-Z0-9_]+]]: memref<32x4xi16, strided<[?, ?], offset: ?>>, %[[INIT:[a-zA-Z0-9_]+]]: memref<?x32xf32, strided<[?, ?], offset: ?>>)
// CHECK-NEXT:    pixelfly.two_four_matmul ins(%[[X]], %[[VAL]], %[[META]] : memref<?x64xf16, strided<[?, ?], offset: ?>>, memref<32x32xf16, strided<[?, ?], offset: ?>>, memref<32x4xi16, strided<[?, ?], offset: ?>>) outs(%[[INIT]] : memref<?x32xf32, strided<[?, ?], offset: ?>>){{$}}
// CHECK-NEXT:    return %[[INIT]]
func.func @two_four_matmul(%x: tensor<?x64xf16>, %values: tensor<32x32xf16>,
                           %meta: tensor<32x4xi16>, %init: tensor<?x32xf32>)
    -> tensor<?x32xf32> {
  %0 = pixelfly.two_four_matmul ins(%x, %values, %meta : tensor<?x64xf16>, tensor<32x32xf16>, tensor<32x4xi16>)
         outs(%init : tensor<?x32xf32>) -> tensor<?x32xf32>
  return %0 : tensor<?x32xf32>
}

//===----------------------------------------------------------------------===//
// Accumulating ops copy a destination that is still used
//===----------------------------------------------------------------------===//

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @block_sparse_matmul_copy(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: memref<?x128xbf16, strided<[?, ?], offset: ?>>, %[[B:[a-zA-Z0-9_]+]]: memref<3x32x32xbf16, strided<[?, ?, ?], offset: ?>>, %[[INIT:[a-zA-Z0-9_]+]]: memref<?x64xf32, strided<[?, ?], offset: ?>>)
// CHECK:         %[[DIM:.+]] = memref.dim %[[INIT]], %{{.+}}
// CHECK-NEXT:    %[[ALLOC:.+]] = memref.alloc(%[[DIM]]) {{.*}}: memref<?x64xf32>
// CHECK-NEXT:    memref.copy %[[INIT]], %[[ALLOC]] : memref<?x64xf32, strided<[?, ?], offset: ?>> to memref<?x64xf32>
// CHECK-NEXT:    pixelfly.block_sparse_matmul ins(%[[X]], %[[B]] : {{.*}}) outs(%[[ALLOC]] : memref<?x64xf32>) layout(#{{.*}}){{$}}
// CHECK:         return %[[ALLOC]], %[[INIT]]
func.func @block_sparse_matmul_copy(%x: tensor<?x128xbf16>, %b: tensor<3x32x32xbf16>,
                                    %init: tensor<?x64xf32>)
    -> (tensor<?x64xf32>, tensor<?x64xf32>) {
  %0 = pixelfly.block_sparse_matmul ins(%x, %b : tensor<?x128xbf16>, tensor<3x32x32xbf16>)
         outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0, %init : tensor<?x64xf32>, tensor<?x64xf32>
}

// -----

// Destinations that are returned too must be copied before the product
// accumulates into them.
#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @weight_grad_and_two_four_copy(
// CHECK-SAME:      %[[DY:[a-zA-Z0-9_]+]]: memref<8x64xf16, strided<[?, ?], offset: ?>>, %[[X:[a-zA-Z0-9_]+]]: memref<8x128xf16, strided<[?, ?], offset: ?>>, %[[DW:[a-zA-Z0-9_]+]]: memref<3x32x32xf32, strided<[?, ?, ?], offset: ?>>, %[[VAL:[a-zA-Z0-9_]+]]: memref<64x64xf16, strided<[?, ?], offset: ?>>, %[[META:[a-zA-Z0-9_]+]]: memref<64x8xi16, strided<[?, ?], offset: ?>>, %[[Y:[a-zA-Z0-9_]+]]: memref<8x64xf16, strided<[?, ?], offset: ?>>)
// CHECK:         %[[A0:.+]] = memref.alloc() {{.*}}: memref<3x32x32xf32>
// CHECK-NEXT:    memref.copy %[[DW]], %[[A0]] : memref<3x32x32xf32, strided<[?, ?, ?], offset: ?>> to memref<3x32x32xf32>
// CHECK-NEXT:    pixelfly.block_sparse_weight_grad ins(%[[DY]], %[[X]] : {{.*}}) outs(%[[A0]] : memref<3x32x32xf32>) layout(#{{.*}}){{$}}
// CHECK-NEXT:    %[[A1:.+]] = memref.alloc() {{.*}}: memref<8x64xf16>
// CHECK-NEXT:    memref.copy %[[Y]], %[[A1]] : memref<8x64xf16, strided<[?, ?], offset: ?>> to memref<8x64xf16>
// CHECK-NEXT:    pixelfly.two_four_matmul ins(%[[X]], %[[VAL]], %[[META]] : {{.*}}) outs(%[[A1]] : memref<8x64xf16>){{$}}
// CHECK:         return %[[A0]], %[[A1]], %[[DW]], %[[Y]]
func.func @weight_grad_and_two_four_copy(%dy: tensor<8x64xf16>, %x: tensor<8x128xf16>,
                                         %dw: tensor<3x32x32xf32>,
                                         %values: tensor<64x64xf16>, %meta: tensor<64x8xi16>,
                                         %y: tensor<8x64xf16>)
    -> (tensor<3x32x32xf32>, tensor<8x64xf16>, tensor<3x32x32xf32>, tensor<8x64xf16>) {
  %0 = pixelfly.block_sparse_weight_grad ins(%dy, %x : tensor<8x64xf16>, tensor<8x128xf16>)
         outs(%dw : tensor<3x32x32xf32>) layout(#l) -> tensor<3x32x32xf32>
  %1 = pixelfly.two_four_matmul ins(%x, %values, %meta : tensor<8x128xf16>, tensor<64x64xf16>, tensor<64x8xi16>)
         outs(%y : tensor<8x64xf16>) -> tensor<8x64xf16>
  return %0, %1, %dw, %y : tensor<3x32x32xf32>, tensor<8x64xf16>, tensor<3x32x32xf32>, tensor<8x64xf16>
}

// -----

// A destination that is also an input of the same product cannot be
// accumulated into in place: the product still reads the input.
// CHECK-LABEL: func.func @destination_is_input(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: memref<8x64xf32, strided<[?, ?], offset: ?>>, %[[U:[a-zA-Z0-9_]+]]: memref<64x16xf32, strided<[?, ?], offset: ?>>, %[[V:[a-zA-Z0-9_]+]]: memref<64x16xf32, strided<[?, ?], offset: ?>>)
// CHECK-NEXT:    %[[ALLOC:.+]] = memref.alloc() {{.*}}: memref<8x64xf32>
// CHECK-NEXT:    memref.copy %[[X]], %[[ALLOC]] : memref<8x64xf32, strided<[?, ?], offset: ?>> to memref<8x64xf32>
// CHECK-NEXT:    pixelfly.low_rank_matmul ins(%[[X]], %[[U]], %[[V]] : {{.*}}) outs(%[[ALLOC]] : memref<8x64xf32>){{$}}
// CHECK:         return %[[ALLOC]]
func.func @destination_is_input(%x: tensor<8x64xf32>, %u: tensor<64x16xf32>,
                                %v: tensor<64x16xf32>) -> tensor<8x64xf32> {
  %0 = pixelfly.low_rank_matmul ins(%x, %u, %v : tensor<8x64xf32>, tensor<64x16xf32>, tensor<64x16xf32>)
         outs(%x : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %0 : tensor<8x64xf32>
}

//===----------------------------------------------------------------------===//
// Ops that overwrite their destination never copy it
//===----------------------------------------------------------------------===//

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @densify_empty(
// CHECK-SAME:      %[[B:[a-zA-Z0-9_]+]]: memref<3x32x32xf16, strided<[?, ?, ?], offset: ?>>)
// CHECK-NOT:     memref.copy
// CHECK:         %[[ALLOC:.+]] = memref.alloc() {{.*}}: memref<64x128xf16>
// CHECK-NOT:     memref.copy
// CHECK-NEXT:    pixelfly.densify ins(%[[B]] : memref<3x32x32xf16, strided<[?, ?, ?], offset: ?>>) outs(%[[ALLOC]] : memref<64x128xf16>) layout(#{{.*}}){{$}}
// CHECK-NOT:     memref.copy
// CHECK:         return %[[ALLOC]]
func.func @densify_empty(%b: tensor<3x32x32xf16>) -> tensor<64x128xf16> {
  %e = tensor.empty() : tensor<64x128xf16>
  %0 = pixelfly.densify ins(%b : tensor<3x32x32xf16>) outs(%e : tensor<64x128xf16>)
         layout(#l) -> tensor<64x128xf16>
  return %0 : tensor<64x128xf16>
}

// -----

// The destination is still used, so it gets a new buffer, but its contents
// are not needed.
#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @densify_argument(
// CHECK-SAME:      %[[B:[a-zA-Z0-9_]+]]: memref<3x32x32xf16, strided<[?, ?, ?], offset: ?>>, %[[INIT:[a-zA-Z0-9_]+]]: memref<64x128xf16, strided<[?, ?], offset: ?>>)
// CHECK-NOT:     memref.copy
// CHECK:         %[[ALLOC:.+]] = memref.alloc() {{.*}}: memref<64x128xf16>
// CHECK-NOT:     memref.copy
// CHECK-NEXT:    pixelfly.densify ins(%[[B]] : memref<3x32x32xf16, strided<[?, ?, ?], offset: ?>>) outs(%[[ALLOC]] : memref<64x128xf16>) layout(#{{.*}}){{$}}
// CHECK-NOT:     memref.copy
// CHECK:         return %[[ALLOC]], %[[INIT]]
func.func @densify_argument(%b: tensor<3x32x32xf16>, %init: tensor<64x128xf16>)
    -> (tensor<64x128xf16>, tensor<64x128xf16>) {
  %0 = pixelfly.densify ins(%b : tensor<3x32x32xf16>) outs(%init : tensor<64x128xf16>)
         layout(#l) -> tensor<64x128xf16>
  return %0, %init : tensor<64x128xf16>, tensor<64x128xf16>
}

// -----

// In place on a function argument that is not used afterwards.
#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @densify_in_place(
// CHECK-SAME:      %[[B:[a-zA-Z0-9_]+]]: memref<3x32x32xbf16, strided<[?, ?, ?], offset: ?>>, %[[INIT:[a-zA-Z0-9_]+]]: memref<64x128xbf16, strided<[?, ?], offset: ?>>)
// CHECK-NEXT:    pixelfly.densify ins(%[[B]] : memref<3x32x32xbf16, strided<[?, ?, ?], offset: ?>>) outs(%[[INIT]] : memref<64x128xbf16, strided<[?, ?], offset: ?>>) layout(#{{.*}}){{$}}
// CHECK-NEXT:    return %[[INIT]]
func.func @densify_in_place(%b: tensor<3x32x32xbf16>, %init: tensor<64x128xbf16>)
    -> tensor<64x128xbf16> {
  %0 = pixelfly.densify ins(%b : tensor<3x32x32xbf16>) outs(%init : tensor<64x128xbf16>)
         layout(#l) -> tensor<64x128xbf16>
  return %0 : tensor<64x128xbf16>
}

// -----

// CHECK-LABEL: func.func @densify_2_4(
// CHECK-SAME:      %[[VAL:[a-zA-Z0-9_]+]]: memref<32x32xf16, strided<[?, ?], offset: ?>>, %[[META:[a-zA-Z0-9_]+]]: memref<32x4xi16, strided<[?, ?], offset: ?>>, %[[INIT:[a-zA-Z0-9_]+]]: memref<32x64xf16, strided<[?, ?], offset: ?>>)
// CHECK-NOT:     memref.copy
// CHECK:         %[[ALLOC:.+]] = memref.alloc() {{.*}}: memref<32x64xf16>
// CHECK-NOT:     memref.copy
// CHECK-NEXT:    pixelfly.densify_2_4 ins(%[[VAL]], %[[META]] : memref<32x32xf16, strided<[?, ?], offset: ?>>, memref<32x4xi16, strided<[?, ?], offset: ?>>) outs(%[[ALLOC]] : memref<32x64xf16>){{$}}
// CHECK-NOT:     memref.copy
// CHECK:         %[[ALLOC2:.+]] = memref.alloc() {{.*}}: memref<32x64xf16>
// CHECK-NOT:     memref.copy
// CHECK-NEXT:    pixelfly.densify_2_4 ins(%[[VAL]], %[[META]] : {{.*}}) outs(%[[ALLOC2]] : memref<32x64xf16>){{$}}
// CHECK-NOT:     memref.copy
// CHECK:         return %[[ALLOC]], %[[ALLOC2]], %[[INIT]]
func.func @densify_2_4(%values: tensor<32x32xf16>, %meta: tensor<32x4xi16>,
                       %init: tensor<32x64xf16>)
    -> (tensor<32x64xf16>, tensor<32x64xf16>, tensor<32x64xf16>) {
  %e = tensor.empty() : tensor<32x64xf16>
  %0 = pixelfly.densify_2_4 ins(%values, %meta : tensor<32x32xf16>, tensor<32x4xi16>)
         outs(%e : tensor<32x64xf16>) -> tensor<32x64xf16>
  %1 = pixelfly.densify_2_4 ins(%values, %meta : tensor<32x32xf16>, tensor<32x4xi16>)
         outs(%init : tensor<32x64xf16>) -> tensor<32x64xf16>
  return %0, %1, %init : tensor<32x64xf16>, tensor<32x64xf16>, tensor<32x64xf16>
}

// -----

// CHECK-LABEL: func.func @prune_2_4(
// CHECK-SAME:      %[[W:[a-zA-Z0-9_]+]]: memref<32x64xf16, strided<[?, ?], offset: ?>>)
// CHECK-NOT:     memref.copy
// CHECK-DAG:     %[[V:.+]] = memref.alloc() {{.*}}: memref<32x32xf16>
// CHECK-DAG:     %[[M:.+]] = memref.alloc() {{.*}}: memref<32x4xi16>
// CHECK-DAG:     %[[VT:.+]] = memref.alloc() {{.*}}: memref<64x16xf16>
// CHECK-DAG:     %[[MT:.+]] = memref.alloc() {{.*}}: memref<64x2xi16>
// CHECK-NOT:     memref.copy
// CHECK:         pixelfly.prune_2_4 transposable ins(%[[W]] : memref<32x64xf16, strided<[?, ?], offset: ?>>) outs(%[[V]], %[[M]], %[[VT]], %[[MT]] : memref<32x32xf16>, memref<32x4xi16>, memref<64x16xf16>, memref<64x2xi16>){{$}}
// CHECK-NOT:     memref.copy
// CHECK:         return %[[V]], %[[M]], %[[VT]], %[[MT]]
func.func @prune_2_4(%w: tensor<32x64xf16>)
    -> (tensor<32x32xf16>, tensor<32x4xi16>, tensor<64x16xf16>, tensor<64x2xi16>) {
  %v0 = tensor.empty() : tensor<32x32xf16>
  %m0 = tensor.empty() : tensor<32x4xi16>
  %vt0 = tensor.empty() : tensor<64x16xf16>
  %mt0 = tensor.empty() : tensor<64x2xi16>
  %0:4 = pixelfly.prune_2_4 transposable ins(%w : tensor<32x64xf16>)
           outs(%v0, %m0, %vt0, %mt0 : tensor<32x32xf16>, tensor<32x4xi16>, tensor<64x16xf16>, tensor<64x2xi16>)
           -> tensor<32x32xf16>, tensor<32x4xi16>, tensor<64x16xf16>, tensor<64x2xi16>
  return %0#0, %0#1, %0#2, %0#3 : tensor<32x32xf16>, tensor<32x4xi16>, tensor<64x16xf16>, tensor<64x2xi16>
}

// -----

// Destinations that are function arguments: in place when dead afterwards,
// a fresh buffer without a copy when still used.
// CHECK-LABEL: func.func @prune_2_4_arguments(
// CHECK-SAME:      %[[W:[a-zA-Z0-9_]+]]: memref<32x64xbf16, strided<[?, ?], offset: ?>>, %[[V0:[a-zA-Z0-9_]+]]: memref<32x32xbf16, strided<[?, ?], offset: ?>>, %[[M0:[a-zA-Z0-9_]+]]: memref<32x4xi16, strided<[?, ?], offset: ?>>)
// CHECK-NOT:     memref.copy
// CHECK:         %[[M:.+]] = memref.alloc() {{.*}}: memref<32x4xi16>
// CHECK-NOT:     memref.copy
// CHECK-NEXT:    pixelfly.prune_2_4 ins(%[[W]] : memref<32x64xbf16, strided<[?, ?], offset: ?>>) outs(%[[V0]], %[[M]] : memref<32x32xbf16, strided<[?, ?], offset: ?>>, memref<32x4xi16>){{$}}
// CHECK-NOT:     memref.copy
// CHECK:         return %[[V0]], %[[M]], %[[M0]]
func.func @prune_2_4_arguments(%w: tensor<32x64xbf16>, %v0: tensor<32x32xbf16>,
                               %m0: tensor<32x4xi16>)
    -> (tensor<32x32xbf16>, tensor<32x4xi16>, tensor<32x4xi16>) {
  %0:2 = pixelfly.prune_2_4 ins(%w : tensor<32x64xbf16>)
           outs(%v0, %m0 : tensor<32x32xbf16>, tensor<32x4xi16>)
           -> tensor<32x32xbf16>, tensor<32x4xi16>
  return %0#0, %0#1, %m0 : tensor<32x32xbf16>, tensor<32x4xi16>, tensor<32x4xi16>
}
