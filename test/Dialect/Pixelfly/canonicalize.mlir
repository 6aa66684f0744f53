// RUN: pixelfly-opt %s -canonicalize -split-input-file | FileCheck %s

//===----------------------------------------------------------------------===//
// linear with a constant gamma of 1 or 0 drops one of its terms
//===----------------------------------------------------------------------===//

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK: #[[L:layout[0-9]*]] = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
// CHECK-LABEL: func.func @linear_gamma_one(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: tensor<?x128xbf16>, %[[B:[a-zA-Z0-9_]+]]: tensor<3x32x32xbf16>, %[[U:[a-zA-Z0-9_]+]]: tensor<64x16xbf16>, %[[V:[a-zA-Z0-9_]+]]: tensor<128x16xbf16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<?x64xf32>)
// CHECK-NEXT:    %[[R:.+]] = pixelfly.block_sparse_matmul ins(%[[X]], %[[B]] : tensor<?x128xbf16>, tensor<3x32x32xbf16>) outs(%[[INIT]] : tensor<?x64xf32>) layout(#[[L]]) -> tensor<?x64xf32>
// CHECK-NEXT:    return %[[R]]
func.func @linear_gamma_one(%x: tensor<?x128xbf16>, %b: tensor<3x32x32xbf16>,
                            %u: tensor<64x16xbf16>, %v: tensor<128x16xbf16>,
                            %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %0 = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>)
         gamma(1.0) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @linear_gamma_one_memref(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: memref<?x128xf16>, %[[B:[a-zA-Z0-9_]+]]: memref<3x32x32xf16>, %[[U:[a-zA-Z0-9_]+]]: memref<64x16xf16>, %[[V:[a-zA-Z0-9_]+]]: memref<128x16xf16>, %[[INIT:[a-zA-Z0-9_]+]]: memref<?x64xf16>)
// CHECK-NEXT:    pixelfly.block_sparse_matmul ins(%[[X]], %[[B]] : memref<?x128xf16>, memref<3x32x32xf16>) outs(%[[INIT]] : memref<?x64xf16>) layout(#[[L]]){{$}}
// CHECK-NEXT:    return
func.func @linear_gamma_one_memref(%x: memref<?x128xf16>, %b: memref<3x32x32xf16>,
                                   %u: memref<64x16xf16>, %v: memref<128x16xf16>,
                                   %init: memref<?x64xf16>) {
  pixelfly.linear ins(%x, %b, %u, %v : memref<?x128xf16>, memref<3x32x32xf16>, memref<64x16xf16>, memref<128x16xf16>)
    gamma(1.0) outs(%init : memref<?x64xf16>) layout(#l)
  return
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @linear_gamma_zero(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: tensor<?x128xbf16>, %[[B:[a-zA-Z0-9_]+]]: tensor<3x32x32xbf16>, %[[U:[a-zA-Z0-9_]+]]: tensor<64x16xbf16>, %[[V:[a-zA-Z0-9_]+]]: tensor<128x16xbf16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<?x64xf32>)
// CHECK-NEXT:    %[[R:.+]] = pixelfly.low_rank_matmul ins(%[[X]], %[[U]], %[[V]] : tensor<?x128xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>) outs(%[[INIT]] : tensor<?x64xf32>) -> tensor<?x64xf32>
// CHECK-NEXT:    return %[[R]]
func.func @linear_gamma_zero(%x: tensor<?x128xbf16>, %b: tensor<3x32x32xbf16>,
                             %u: tensor<64x16xbf16>, %v: tensor<128x16xbf16>,
                             %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %0 = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>)
         gamma(0.0) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// With the caller's X V, gamma 0 keeps the op (the low-rank product would
// compute X V again); gamma 1 drops the term that reads it.
#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @linear_xv_gamma_zero_one(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: tensor<?x128xbf16>, %[[B:[a-zA-Z0-9_]+]]: tensor<3x32x32xbf16>, %[[U:[a-zA-Z0-9_]+]]: tensor<64x16xbf16>, %[[V:[a-zA-Z0-9_]+]]: tensor<128x16xbf16>, %[[XV:[a-zA-Z0-9_]+]]: tensor<?x16xbf16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<?x64xf32>)
// CHECK-NEXT:    %[[R0:.+]] = pixelfly.linear ins(%[[X]], %[[B]], %[[U]], %[[V]] : {{.*}}) xv(%[[XV]] : tensor<?x16xbf16>) gamma(0.000000e+00) outs(%[[INIT]] : tensor<?x64xf32>)
// CHECK-NEXT:    %[[R1:.+]] = pixelfly.block_sparse_matmul ins(%[[X]], %[[B]] : tensor<?x128xbf16>, tensor<3x32x32xbf16>) outs(%[[R0]] : tensor<?x64xf32>)
// CHECK-NEXT:    return %[[R1]]
func.func @linear_xv_gamma_zero_one(%x: tensor<?x128xbf16>, %b: tensor<3x32x32xbf16>,
                                    %u: tensor<64x16xbf16>, %v: tensor<128x16xbf16>,
                                    %xv: tensor<?x16xbf16>,
                                    %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %0 = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>)
         xv(%xv : tensor<?x16xbf16>) gamma(0.0) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  %1 = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>)
         xv(%xv : tensor<?x16xbf16>) gamma(1.0) outs(%0 : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %1 : tensor<?x64xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @linear_gamma_zero_memref(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: memref<8x128xf32>, %[[B:[a-zA-Z0-9_]+]]: memref<3x32x32xf32>, %[[U:[a-zA-Z0-9_]+]]: memref<64x16xf32>, %[[V:[a-zA-Z0-9_]+]]: memref<128x16xf32>, %[[INIT:[a-zA-Z0-9_]+]]: memref<8x64xf32>)
// CHECK-NEXT:    pixelfly.low_rank_matmul ins(%[[X]], %[[U]], %[[V]] : memref<8x128xf32>, memref<64x16xf32>, memref<128x16xf32>) outs(%[[INIT]] : memref<8x64xf32>){{$}}
// CHECK-NEXT:    return
func.func @linear_gamma_zero_memref(%x: memref<8x128xf32>, %b: memref<3x32x32xf32>,
                                    %u: memref<64x16xf32>, %v: memref<128x16xf32>,
                                    %init: memref<8x64xf32>) {
  pixelfly.linear ins(%x, %b, %u, %v : memref<8x128xf32>, memref<3x32x32xf32>, memref<64x16xf32>, memref<128x16xf32>)
    gamma(0.0) outs(%init : memref<8x64xf32>) layout(#l)
  return
}

//===----------------------------------------------------------------------===//
// A gamma operand defined by a constant becomes a constant gamma
//===----------------------------------------------------------------------===//

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @linear_scalar_constant_gamma(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: tensor<?x128xbf16>, %[[B:[a-zA-Z0-9_]+]]: tensor<3x32x32xbf16>, %[[U:[a-zA-Z0-9_]+]]: tensor<64x16xbf16>, %[[V:[a-zA-Z0-9_]+]]: tensor<128x16xbf16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<?x64xf32>)
// CHECK-NEXT:    %[[R:.+]] = pixelfly.linear ins(%[[X]], %[[B]], %[[U]], %[[V]] : tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>) gamma(2.500000e-01) outs(%[[INIT]] : tensor<?x64xf32>) layout(#[[L]]) -> tensor<?x64xf32>
// CHECK-NEXT:    return %[[R]]
func.func @linear_scalar_constant_gamma(%x: tensor<?x128xbf16>, %b: tensor<3x32x32xbf16>,
                                        %u: tensor<64x16xbf16>, %v: tensor<128x16xbf16>,
                                        %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %g = arith.constant 0.25 : f32
  %0 = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>)
         gamma(%g : f32) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// The scalar need not be f32; the constant is then 1, which selects the
// block-sparse term.
#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @linear_scalar_constant_gamma_one(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: tensor<?x128xf16>, %[[B:[a-zA-Z0-9_]+]]: tensor<3x32x32xf16>, %[[U:[a-zA-Z0-9_]+]]: tensor<64x16xf16>, %[[V:[a-zA-Z0-9_]+]]: tensor<128x16xf16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<?x64xf16>)
// CHECK-NEXT:    %[[R:.+]] = pixelfly.block_sparse_matmul ins(%[[X]], %[[B]] : tensor<?x128xf16>, tensor<3x32x32xf16>) outs(%[[INIT]] : tensor<?x64xf16>) layout(#[[L]]) -> tensor<?x64xf16>
// CHECK-NEXT:    return %[[R]]
func.func @linear_scalar_constant_gamma_one(%x: tensor<?x128xf16>, %b: tensor<3x32x32xf16>,
                                            %u: tensor<64x16xf16>, %v: tensor<128x16xf16>,
                                            %init: tensor<?x64xf16>) -> tensor<?x64xf16> {
  %g = arith.constant 1.0 : f16
  %0 = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x128xf16>, tensor<3x32x32xf16>, tensor<64x16xf16>, tensor<128x16xf16>)
         gamma(%g : f16) outs(%init : tensor<?x64xf16>) layout(#l) -> tensor<?x64xf16>
  return %0 : tensor<?x64xf16>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @linear_splat_per_row_gamma(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: tensor<8x128xbf16>, %[[B:[a-zA-Z0-9_]+]]: tensor<3x32x32xbf16>, %[[U:[a-zA-Z0-9_]+]]: tensor<64x16xbf16>, %[[V:[a-zA-Z0-9_]+]]: tensor<128x16xbf16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<8x64xf32>)
// CHECK-NEXT:    %[[R:.+]] = pixelfly.linear ins(%[[X]], %[[B]], %[[U]], %[[V]] : tensor<8x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>) gamma(7.500000e-01) outs(%[[INIT]] : tensor<8x64xf32>) layout(#[[L]]) -> tensor<8x64xf32>
// CHECK-NEXT:    return %[[R]]
func.func @linear_splat_per_row_gamma(%x: tensor<8x128xbf16>, %b: tensor<3x32x32xbf16>,
                                      %u: tensor<64x16xbf16>, %v: tensor<128x16xbf16>,
                                      %init: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %g = arith.constant dense<0.75> : tensor<8xf32>
  %0 = pixelfly.linear ins(%x, %b, %u, %v : tensor<8x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>)
         gamma(%g : tensor<8xf32>) outs(%init : tensor<8x64xf32>) layout(#l) -> tensor<8x64xf32>
  return %0 : tensor<8x64xf32>
}

// -----

// A splat of zeros selects the low-rank term.
#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @linear_splat_per_row_gamma_zero(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: tensor<8x128xbf16>, %[[B:[a-zA-Z0-9_]+]]: tensor<3x32x32xbf16>, %[[U:[a-zA-Z0-9_]+]]: tensor<64x16xbf16>, %[[V:[a-zA-Z0-9_]+]]: tensor<128x16xbf16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<8x64xf32>)
// CHECK-NEXT:    %[[R:.+]] = pixelfly.low_rank_matmul ins(%[[X]], %[[U]], %[[V]] : tensor<8x128xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>) outs(%[[INIT]] : tensor<8x64xf32>) -> tensor<8x64xf32>
// CHECK-NEXT:    return %[[R]]
func.func @linear_splat_per_row_gamma_zero(%x: tensor<8x128xbf16>, %b: tensor<3x32x32xbf16>,
                                           %u: tensor<64x16xbf16>, %v: tensor<128x16xbf16>,
                                           %init: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %g = arith.constant dense<0.0> : tensor<8xbf16>
  %0 = pixelfly.linear ins(%x, %b, %u, %v : tensor<8x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>)
         gamma(%g : tensor<8xbf16>) outs(%init : tensor<8x64xf32>) layout(#l) -> tensor<8x64xf32>
  return %0 : tensor<8x64xf32>
}

//===----------------------------------------------------------------------===//
// Products that add nothing fold to their destination
//===----------------------------------------------------------------------===//

// -----

#empty = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 0, 0], col_idx = []>

// CHECK-LABEL: func.func @empty_layout_tensor(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: tensor<?x128xbf16>, %[[DY:[a-zA-Z0-9_]+]]: tensor<?x64xbf16>, %[[B:[a-zA-Z0-9_]+]]: tensor<0x32x32xbf16>, %[[Y:[a-zA-Z0-9_]+]]: tensor<?x64xf32>, %[[DX:[a-zA-Z0-9_]+]]: tensor<?x128xf32>, %[[DW:[a-zA-Z0-9_]+]]: tensor<0x32x32xf32>)
// CHECK-NEXT:    return %[[Y]], %[[DX]], %[[DW]] : tensor<?x64xf32>, tensor<?x128xf32>, tensor<0x32x32xf32>
func.func @empty_layout_tensor(%x: tensor<?x128xbf16>, %dy: tensor<?x64xbf16>,
                               %b: tensor<0x32x32xbf16>, %y: tensor<?x64xf32>,
                               %dx: tensor<?x128xf32>, %dw: tensor<0x32x32xf32>)
    -> (tensor<?x64xf32>, tensor<?x128xf32>, tensor<0x32x32xf32>) {
  %0 = pixelfly.block_sparse_matmul ins(%x, %b : tensor<?x128xbf16>, tensor<0x32x32xbf16>)
         outs(%y : tensor<?x64xf32>) layout(#empty) -> tensor<?x64xf32>
  %1 = pixelfly.block_sparse_input_grad ins(%dy, %b : tensor<?x64xbf16>, tensor<0x32x32xbf16>)
         outs(%dx : tensor<?x128xf32>) layout(#empty) -> tensor<?x128xf32>
  %2 = pixelfly.block_sparse_weight_grad ins(%dy, %x : tensor<?x64xbf16>, tensor<?x128xbf16>)
         outs(%dw : tensor<0x32x32xf32>) layout(#empty) -> tensor<0x32x32xf32>
  return %0, %1, %2 : tensor<?x64xf32>, tensor<?x128xf32>, tensor<0x32x32xf32>
}

// -----

#empty = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 0, 0], col_idx = []>

// CHECK-LABEL: func.func @empty_layout_memref(
// CHECK-NEXT:    return{{$}}
func.func @empty_layout_memref(%x: memref<?x128xbf16>, %dy: memref<?x64xbf16>,
                               %b: memref<0x32x32xbf16>, %y: memref<?x64xf32>,
                               %dx: memref<?x128xf32>, %dw: memref<0x32x32xf32>) {
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x128xbf16>, memref<0x32x32xbf16>)
    outs(%y : memref<?x64xf32>) layout(#empty)
  pixelfly.block_sparse_input_grad ins(%dy, %b : memref<?x64xbf16>, memref<0x32x32xbf16>)
    outs(%dx : memref<?x128xf32>) layout(#empty)
  pixelfly.block_sparse_weight_grad ins(%dy, %x : memref<?x64xbf16>, memref<?x128xbf16>)
    outs(%dw : memref<0x32x32xf32>) layout(#empty)
  return
}

// -----

// CHECK-LABEL: func.func @low_rank_rank_zero(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: tensor<?x128xf16>, %[[U:[a-zA-Z0-9_]+]]: tensor<64x0xf16>, %[[V:[a-zA-Z0-9_]+]]: tensor<128x0xf16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<?x64xf32>, %[[XM:[a-zA-Z0-9_]+]]: memref<?x128xf16>, %[[UM:[a-zA-Z0-9_]+]]: memref<64x0xf16>, %[[VM:[a-zA-Z0-9_]+]]: memref<128x0xf16>, %[[INITM:[a-zA-Z0-9_]+]]: memref<?x64xf32>)
// CHECK-NEXT:    return %[[INIT]] : tensor<?x64xf32>
func.func @low_rank_rank_zero(%x: tensor<?x128xf16>, %u: tensor<64x0xf16>,
                              %v: tensor<128x0xf16>, %init: tensor<?x64xf32>,
                              %xm: memref<?x128xf16>, %um: memref<64x0xf16>,
                              %vm: memref<128x0xf16>, %initm: memref<?x64xf32>)
    -> tensor<?x64xf32> {
  %0 = pixelfly.low_rank_matmul ins(%x, %u, %v : tensor<?x128xf16>, tensor<64x0xf16>, tensor<128x0xf16>)
         outs(%init : tensor<?x64xf32>) -> tensor<?x64xf32>
  pixelfly.low_rank_matmul ins(%xm, %um, %vm : memref<?x128xf16>, memref<64x0xf16>, memref<128x0xf16>)
    outs(%initm : memref<?x64xf32>)
  return %0 : tensor<?x64xf32>
}

// -----

// Neither blocks nor rank: nothing remains, whatever gamma is.
#empty = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 0, 0], col_idx = []>

// CHECK-LABEL: func.func @linear_no_blocks_rank_zero(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: tensor<?x128xbf16>, %[[B:[a-zA-Z0-9_]+]]: tensor<0x32x32xbf16>, %[[U:[a-zA-Z0-9_]+]]: tensor<64x0xbf16>, %[[V:[a-zA-Z0-9_]+]]: tensor<128x0xbf16>, %[[G:[a-zA-Z0-9_]+]]: tensor<?xf32>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<?x64xf32>, %[[XM:[a-zA-Z0-9_]+]]: memref<?x128xbf16>, %[[BM:[a-zA-Z0-9_]+]]: memref<0x32x32xbf16>, %[[UM:[a-zA-Z0-9_]+]]: memref<64x0xbf16>, %[[VM:[a-zA-Z0-9_]+]]: memref<128x0xbf16>, %[[INITM:[a-zA-Z0-9_]+]]: memref<?x64xf32>)
// CHECK-NEXT:    return %[[INIT]] : tensor<?x64xf32>
func.func @linear_no_blocks_rank_zero(
    %x: tensor<?x128xbf16>, %b: tensor<0x32x32xbf16>, %u: tensor<64x0xbf16>,
    %v: tensor<128x0xbf16>, %g: tensor<?xf32>, %init: tensor<?x64xf32>,
    %xm: memref<?x128xbf16>, %bm: memref<0x32x32xbf16>, %um: memref<64x0xbf16>,
    %vm: memref<128x0xbf16>, %initm: memref<?x64xf32>) -> tensor<?x64xf32> {
  %0 = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x128xbf16>, tensor<0x32x32xbf16>, tensor<64x0xbf16>, tensor<128x0xbf16>)
         gamma(%g : tensor<?xf32>) outs(%init : tensor<?x64xf32>) layout(#empty) -> tensor<?x64xf32>
  pixelfly.linear ins(%xm, %bm, %um, %vm : memref<?x128xbf16>, memref<0x32x32xbf16>, memref<64x0xbf16>, memref<128x0xbf16>)
    gamma(0.5) outs(%initm : memref<?x64xf32>) layout(#empty)
  return %0 : tensor<?x64xf32>
}

//===----------------------------------------------------------------------===//
// Negative cases: nothing changes
//===----------------------------------------------------------------------===//

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// Both terms contribute.
// CHECK-LABEL: func.func @linear_gamma_half(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: tensor<?x128xbf16>, %[[B:[a-zA-Z0-9_]+]]: tensor<3x32x32xbf16>, %[[U:[a-zA-Z0-9_]+]]: tensor<64x16xbf16>, %[[V:[a-zA-Z0-9_]+]]: tensor<128x16xbf16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<?x64xf32>)
// CHECK-NEXT:    %[[R:.+]] = pixelfly.linear ins(%[[X]], %[[B]], %[[U]], %[[V]] : tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>) gamma(5.000000e-01) outs(%[[INIT]] : tensor<?x64xf32>) layout(#[[L]]) -> tensor<?x64xf32>
// CHECK-NEXT:    return %[[R]]
func.func @linear_gamma_half(%x: tensor<?x128xbf16>, %b: tensor<3x32x32xbf16>,
                             %u: tensor<64x16xbf16>, %v: tensor<128x16xbf16>,
                             %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %0 = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>)
         gamma(0.5) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// Gamma operands that are not constants, a per-row constant that is not a
// splat, and a constant that is not finite stay operands.
// CHECK-LABEL: func.func @linear_gamma_not_constant(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: tensor<4x128xbf16>, %[[B:[a-zA-Z0-9_]+]]: tensor<3x32x32xbf16>, %[[U:[a-zA-Z0-9_]+]]: tensor<64x16xbf16>, %[[V:[a-zA-Z0-9_]+]]: tensor<128x16xbf16>, %[[G:[a-zA-Z0-9_]+]]: f32, %[[GR:[a-zA-Z0-9_]+]]: tensor<4xf32>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<4x64xf32>)
// CHECK-DAG:     %[[NAN:.+]] = arith.constant 0x7FC00000 : f32
// CHECK-DAG:     %[[CST:.+]] = arith.constant dense<[0.000000e+00, 1.000000e+00, 0.000000e+00, 1.000000e+00]> : tensor<4xf32>
// CHECK:         %[[R0:.+]] = pixelfly.linear ins(%[[X]], %[[B]], %[[U]], %[[V]] : {{.*}}) gamma(%[[G]] : f32) outs(%[[INIT]] : tensor<4x64xf32>)
// CHECK-NEXT:    %[[R1:.+]] = pixelfly.linear ins(%[[X]], %[[B]], %[[U]], %[[V]] : {{.*}}) gamma(%[[GR]] : tensor<4xf32>) outs(%[[R0]] : tensor<4x64xf32>)
// CHECK-NEXT:    %[[R2:.+]] = pixelfly.linear ins(%[[X]], %[[B]], %[[U]], %[[V]] : {{.*}}) gamma(%[[CST]] : tensor<4xf32>) outs(%[[R1]] : tensor<4x64xf32>)
// CHECK-NEXT:    %[[R3:.+]] = pixelfly.linear ins(%[[X]], %[[B]], %[[U]], %[[V]] : {{.*}}) gamma(%[[NAN]] : f32) outs(%[[R2]] : tensor<4x64xf32>)
// CHECK-NEXT:    return %[[R3]]
func.func @linear_gamma_not_constant(%x: tensor<4x128xbf16>, %b: tensor<3x32x32xbf16>,
                                     %u: tensor<64x16xbf16>, %v: tensor<128x16xbf16>,
                                     %g: f32, %gr: tensor<4xf32>,
                                     %init: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %cst = arith.constant dense<[0.0, 1.0, 0.0, 1.0]> : tensor<4xf32>
  %nan = arith.constant 0x7FC00000 : f32
  %0 = pixelfly.linear ins(%x, %b, %u, %v : tensor<4x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>)
         gamma(%g : f32) outs(%init : tensor<4x64xf32>) layout(#l) -> tensor<4x64xf32>
  %1 = pixelfly.linear ins(%x, %b, %u, %v : tensor<4x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>)
         gamma(%gr : tensor<4xf32>) outs(%0 : tensor<4x64xf32>) layout(#l) -> tensor<4x64xf32>
  %2 = pixelfly.linear ins(%x, %b, %u, %v : tensor<4x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>)
         gamma(%cst : tensor<4xf32>) outs(%1 : tensor<4x64xf32>) layout(#l) -> tensor<4x64xf32>
  %3 = pixelfly.linear ins(%x, %b, %u, %v : tensor<4x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>)
         gamma(%nan : f32) outs(%2 : tensor<4x64xf32>) layout(#l) -> tensor<4x64xf32>
  return %3 : tensor<4x64xf32>
}

// -----

// Rank 0 but blocks present: the low-rank term is zero, but gamma still
// scales the block-sparse term, so the op stays.
#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @linear_rank_zero_gamma_half(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: tensor<?x128xbf16>, %[[B:[a-zA-Z0-9_]+]]: tensor<3x32x32xbf16>, %[[U:[a-zA-Z0-9_]+]]: tensor<64x0xbf16>, %[[V:[a-zA-Z0-9_]+]]: tensor<128x0xbf16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<?x64xf32>)
// CHECK-NEXT:    %[[R:.+]] = pixelfly.linear ins(%[[X]], %[[B]], %[[U]], %[[V]] : tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<64x0xbf16>, tensor<128x0xbf16>) gamma(5.000000e-01) outs(%[[INIT]] : tensor<?x64xf32>) layout(#[[L]]) -> tensor<?x64xf32>
// CHECK-NEXT:    return %[[R]]
func.func @linear_rank_zero_gamma_half(%x: tensor<?x128xbf16>, %b: tensor<3x32x32xbf16>,
                                       %u: tensor<64x0xbf16>, %v: tensor<128x0xbf16>,
                                       %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %0 = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<64x0xbf16>, tensor<128x0xbf16>)
         gamma(0.5) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// No blocks but a rank: same, the sparse term is zero but gamma scales the
// low-rank term.
#empty = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 0, 0], col_idx = []>

// CHECK-LABEL: func.func @linear_no_blocks_gamma_half(
// CHECK-NEXT:    pixelfly.linear ins(%{{.*}} : memref<?x128xbf16>, memref<0x32x32xbf16>, memref<64x16xbf16>, memref<128x16xbf16>) gamma(5.000000e-01) outs(%{{.*}} : memref<?x64xf32>) layout(#[[L]]){{$}}
// CHECK-NEXT:    return
func.func @linear_no_blocks_gamma_half(%x: memref<?x128xbf16>, %b: memref<0x32x32xbf16>,
                                       %u: memref<64x16xbf16>, %v: memref<128x16xbf16>,
                                       %init: memref<?x64xf32>) {
  pixelfly.linear ins(%x, %b, %u, %v : memref<?x128xbf16>, memref<0x32x32xbf16>, memref<64x16xbf16>, memref<128x16xbf16>)
    gamma(0.5) outs(%init : memref<?x64xf32>) layout(#empty)
  return
}

// -----

// A dynamic rank may be 0 or not: the op stays. So do products on layouts
// with blocks.
#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// CHECK-LABEL: func.func @not_empty(
// CHECK-NEXT:    pixelfly.low_rank_matmul ins(%{{.*}} : memref<?x128xf16>, memref<64x?xf16>, memref<128x?xf16>) outs(%{{.*}} : memref<?x64xf32>){{$}}
// CHECK-NEXT:    pixelfly.block_sparse_matmul ins(%{{.*}} : memref<?x128xf16>, memref<3x32x32xf16>) outs(%{{.*}} : memref<?x64xf32>) layout(#[[L]]){{$}}
// CHECK-NEXT:    pixelfly.block_sparse_input_grad ins(%{{.*}} : memref<?x64xf16>, memref<3x32x32xf16>) outs(%{{.*}} : memref<?x128xf32>) layout(#[[L]]){{$}}
// CHECK-NEXT:    pixelfly.block_sparse_weight_grad ins(%{{.*}} : memref<?x64xf16>, memref<?x128xf16>) outs(%{{.*}} : memref<3x32x32xf32>) layout(#[[L]]){{$}}
// CHECK-NEXT:    return
func.func @not_empty(%x: memref<?x128xf16>, %u: memref<64x?xf16>, %v: memref<128x?xf16>,
                     %y: memref<?x64xf32>, %b: memref<3x32x32xf16>, %dy: memref<?x64xf16>,
                     %dx: memref<?x128xf32>, %dw: memref<3x32x32xf32>) {
  pixelfly.low_rank_matmul ins(%x, %u, %v : memref<?x128xf16>, memref<64x?xf16>, memref<128x?xf16>)
    outs(%y : memref<?x64xf32>)
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x128xf16>, memref<3x32x32xf16>)
    outs(%y : memref<?x64xf32>) layout(#l)
  pixelfly.block_sparse_input_grad ins(%dy, %b : memref<?x64xf16>, memref<3x32x32xf16>)
    outs(%dx : memref<?x128xf32>) layout(#l)
  pixelfly.block_sparse_weight_grad ins(%dy, %x : memref<?x64xf16>, memref<?x128xf16>)
    outs(%dw : memref<3x32x32xf32>) layout(#l)
  return
}
