// RUN: pixelfly-opt %s | pixelfly-opt | FileCheck %s
// RUN: pixelfly-opt %s --mlir-print-op-generic | pixelfly-opt | FileCheck %s

// Round trip of every pixelfly op, in tensor and memref form, and of every
// pixelfly attribute.

//===----------------------------------------------------------------------===//
// Attribute aliases
//===----------------------------------------------------------------------===//

// A 64 x 128 weight in 32 x 32 blocks: block row 0 keeps block columns 0 and
// 2, block row 1 keeps block column 3.
#l = #pixelfly.block_layout<shape = 64x128, block = 32x32,
                            row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>

// Flat butterfly 8 x 8 with strides 1 and 2 on a 256 x 256 weight in 32 x 32
// blocks (one mask entry per block): 3 blocks per block row, 24 in all.
#fb = #pixelfly.flat_butterfly<butterfly_size = 8, n_factors = 2, block = 32>
#l_fb = #pixelfly.block_layout<shape = 256x256, block = 32x32, source = #fb>

// The same layout written out explicitly together with its source: the
// verifier checks the arrays, and the attribute is the same as the compact one.
#l_fb_explicit = #pixelfly.block_layout<shape = 256x256, block = 32x32,
    row_ptr = [0, 3, 6, 9, 12, 15, 18, 21, 24],
    col_idx = [0, 1, 2,  0, 1, 3,  0, 2, 3,  1, 2, 3,
               4, 5, 6,  4, 5, 7,  4, 6, 7,  5, 6, 7],
    source = #fb>

// With global_size: 4 x 4 blocks of 16, first block row and column dense:
// rows {0,1,2,3}, {0,1}, {0,2,3}, {0,2,3}, 12 blocks.
#l_global = #pixelfly.block_layout<shape = 64x64, block = 16x16,
    source = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1,
                                      block = 16, global_size = 16>>

// CHECK-DAG: #[[FB:butterfly[0-9]*]] = #pixelfly.flat_butterfly<butterfly_size = 8, n_factors = 2, block = 32>{{$}}
// CHECK-DAG: #[[FB_GLOBAL:butterfly[0-9]*]] = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 16, global_size = 16>{{$}}
// CHECK-DAG: #[[FB_NOGLOBAL:butterfly[0-9]*]] = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 2, block = 8>{{$}}
// CHECK-DAG: #[[FB_PLAN:butterfly[0-9]*]] = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 3, block = 32>{{$}}
// CHECK-DAG: #[[L:layout[0-9]*]] = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>{{$}}
// CHECK-DAG: #[[L_FB:layout[0-9]*]] = #pixelfly.block_layout<shape = 256x256, block = 32x32, source = #[[FB]]>{{$}}
// CHECK-DAG: #[[L_GLOBAL:layout[0-9]*]] = #pixelfly.block_layout<shape = 64x64, block = 16x16, source = #[[FB_GLOBAL]]>{{$}}
// CHECK-DAG: #[[L_EMPTY:layout[0-9]*]] = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 0, 0], col_idx = []>{{$}}
// CHECK-DAG: #[[L_RECT:layout[0-9]*]] = #pixelfly.block_layout<shape = 32x64, block = 16x32, row_ptr = [0, 1, 2], col_idx = [1, 0]>{{$}}
// CHECK-DAG: #[[P_DENSE:plan[0-9]*]] = #pixelfly.plan<structure = dense>{{$}}
// CHECK-DAG: #[[P_BFLY:plan[0-9]*]] = #pixelfly.plan<structure = butterfly, pattern = #[[FB_PLAN]], rank = 64>{{$}}
// CHECK-DAG: #[[P_BFLY0:plan[0-9]*]] = #pixelfly.plan<structure = butterfly, pattern = #[[FB]]>{{$}}
// CHECK-DAG: #[[P_LR:plan[0-9]*]] = #pixelfly.plan<structure = low_rank, rank = 32>{{$}}
// CHECK-DAG: #[[P_24:plan[0-9]*]] = #pixelfly.plan<structure = two_four>{{$}}
// CHECK-DAG: #[[P_24T:plan[0-9]*]] = #pixelfly.plan<structure = two_four, transposable = true>{{$}}

//===----------------------------------------------------------------------===//
// block_sparse_matmul
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @block_sparse_matmul_tensor(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: tensor<?x128xbf16>, %[[B:[a-zA-Z0-9_]+]]: tensor<3x32x32xbf16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<?x64xf32>)
// CHECK:         %[[R:.+]] = pixelfly.block_sparse_matmul ins(%[[X]], %[[B]] : tensor<?x128xbf16>, tensor<3x32x32xbf16>) outs(%[[INIT]] : tensor<?x64xf32>) layout(#[[L]]) -> tensor<?x64xf32>
// CHECK:         return %[[R]]
func.func @block_sparse_matmul_tensor(%x: tensor<?x128xbf16>,
                                      %blocks: tensor<3x32x32xbf16>,
                                      %init: tensor<?x64xf32>)
    -> tensor<?x64xf32> {
  %y = pixelfly.block_sparse_matmul
         ins(%x, %blocks : tensor<?x128xbf16>, tensor<3x32x32xbf16>)
         outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// Same-type accumulator, static M.
// CHECK-LABEL: func.func @block_sparse_matmul_tensor_f16(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: tensor<16x128xf16>, %[[B:[a-zA-Z0-9_]+]]: tensor<3x32x32xf16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<16x64xf16>)
// CHECK:         %[[R:.+]] = pixelfly.block_sparse_matmul ins(%[[X]], %[[B]] : tensor<16x128xf16>, tensor<3x32x32xf16>) outs(%[[INIT]] : tensor<16x64xf16>) layout(#[[L]]) -> tensor<16x64xf16>
// CHECK:         return %[[R]]
func.func @block_sparse_matmul_tensor_f16(%x: tensor<16x128xf16>,
                                          %blocks: tensor<3x32x32xf16>,
                                          %init: tensor<16x64xf16>)
    -> tensor<16x64xf16> {
  %y = pixelfly.block_sparse_matmul
         ins(%x, %blocks : tensor<16x128xf16>, tensor<3x32x32xf16>)
         outs(%init : tensor<16x64xf16>) layout(#l) -> tensor<16x64xf16>
  return %y : tensor<16x64xf16>
}

// CHECK-LABEL: func.func @block_sparse_matmul_memref(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: memref<?x128xf32>, %[[B:[a-zA-Z0-9_]+]]: memref<3x32x32xf32>, %[[INIT:[a-zA-Z0-9_]+]]: memref<?x64xf32>)
// CHECK-NEXT:    pixelfly.block_sparse_matmul ins(%[[X]], %[[B]] : memref<?x128xf32>, memref<3x32x32xf32>) outs(%[[INIT]] : memref<?x64xf32>) layout(#[[L]]){{$}}
// CHECK-NEXT:    return{{$}}
func.func @block_sparse_matmul_memref(%x: memref<?x128xf32>,
                                      %blocks: memref<3x32x32xf32>,
                                      %init: memref<?x64xf32>) {
  pixelfly.block_sparse_matmul
    ins(%x, %blocks : memref<?x128xf32>, memref<3x32x32xf32>)
    outs(%init : memref<?x64xf32>) layout(#l)
  return
}

// A layout without blocks, and rectangular blocks.
// CHECK-LABEL: func.func @block_sparse_matmul_other_layouts(
// CHECK:         pixelfly.block_sparse_matmul ins(%{{.*}}, %{{.*}} : memref<8x128xbf16>, memref<0x32x32xbf16>) outs(%{{.*}} : memref<8x64xbf16>) layout(#[[L_EMPTY]]){{$}}
// CHECK:         pixelfly.block_sparse_matmul ins(%{{.*}}, %{{.*}} : memref<8x64xbf16>, memref<2x16x32xbf16>) outs(%{{.*}} : memref<8x32xf32>) layout(#[[L_RECT]]){{$}}
func.func @block_sparse_matmul_other_layouts(
    %x: memref<8x128xbf16>, %blocks: memref<0x32x32xbf16>,
    %init: memref<8x64xbf16>, %x2: memref<8x64xbf16>,
    %blocks2: memref<2x16x32xbf16>, %init2: memref<8x32xf32>) {
  pixelfly.block_sparse_matmul
    ins(%x, %blocks : memref<8x128xbf16>, memref<0x32x32xbf16>)
    outs(%init : memref<8x64xbf16>)
    layout(#pixelfly.block_layout<shape = 64x128, block = 32x32,
                                  row_ptr = [0, 0, 0], col_idx = []>)
  pixelfly.block_sparse_matmul
    ins(%x2, %blocks2 : memref<8x64xbf16>, memref<2x16x32xbf16>)
    outs(%init2 : memref<8x32xf32>)
    layout(#pixelfly.block_layout<shape = 32x64, block = 16x32,
                                  row_ptr = [0, 1, 2], col_idx = [1, 0]>)
  return
}

//===----------------------------------------------------------------------===//
// Flat butterfly layouts
//===----------------------------------------------------------------------===//

// The compact and the explicit form are the same attribute; the number of
// blocks (24 and 12) is checked against the materialized layouts.
// CHECK-LABEL: func.func @butterfly_layouts(
// CHECK:         %[[Y0:.+]] = pixelfly.block_sparse_matmul ins(%{{.*}}, %{{.*}} : tensor<?x256xbf16>, tensor<24x32x32xbf16>) outs(%{{.*}} : tensor<?x256xf32>) layout(#[[L_FB]]) -> tensor<?x256xf32>
// CHECK:         %[[Y1:.+]] = pixelfly.block_sparse_matmul ins(%{{.*}}, %{{.*}} : tensor<?x256xbf16>, tensor<24x32x32xbf16>) outs(%[[Y0]] : tensor<?x256xf32>) layout(#[[L_FB]]) -> tensor<?x256xf32>
// CHECK:         %[[Y2:.+]] = pixelfly.block_sparse_matmul ins(%{{.*}}, %{{.*}} : tensor<?x64xbf16>, tensor<12x16x16xbf16>) outs(%{{.*}} : tensor<?x64xbf16>) layout(#[[L_GLOBAL]]) -> tensor<?x64xbf16>
// CHECK:         return %[[Y1]], %[[Y2]]
func.func @butterfly_layouts(%x: tensor<?x256xbf16>,
                             %blocks: tensor<24x32x32xbf16>,
                             %init: tensor<?x256xf32>,
                             %x2: tensor<?x64xbf16>,
                             %blocks2: tensor<12x16x16xbf16>,
                             %init2: tensor<?x64xbf16>)
    -> (tensor<?x256xf32>, tensor<?x64xbf16>) {
  %y0 = pixelfly.block_sparse_matmul
          ins(%x, %blocks : tensor<?x256xbf16>, tensor<24x32x32xbf16>)
          outs(%init : tensor<?x256xf32>) layout(#l_fb) -> tensor<?x256xf32>
  %y1 = pixelfly.block_sparse_matmul
          ins(%x, %blocks : tensor<?x256xbf16>, tensor<24x32x32xbf16>)
          outs(%y0 : tensor<?x256xf32>) layout(#l_fb_explicit)
          -> tensor<?x256xf32>
  %y2 = pixelfly.block_sparse_matmul
          ins(%x2, %blocks2 : tensor<?x64xbf16>, tensor<12x16x16xbf16>)
          outs(%init2 : tensor<?x64xbf16>) layout(#l_global)
          -> tensor<?x64xbf16>
  return %y1, %y2 : tensor<?x256xf32>, tensor<?x64xbf16>
}

// Flat butterfly generators on their own, as discardable attributes; a
// global_size of 0 is the default and is not printed.
// CHECK-LABEL: func.func @flat_butterfly_attrs()
// CHECK-SAME:      attributes {pixelfly.a = #[[FB_NOGLOBAL]], pixelfly.b = #[[FB_NOGLOBAL]], pixelfly.c = #[[FB_GLOBAL]]}
func.func @flat_butterfly_attrs() attributes {
    pixelfly.a = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 2, block = 8>,
    pixelfly.b = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 2, block = 8, global_size = 0>,
    pixelfly.c = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 16, global_size = 16>} {
  return
}

//===----------------------------------------------------------------------===//
// Plans
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @plans(
// CHECK-SAME:      attributes {pixelfly.plan = #[[P_BFLY]]}
// CHECK:         linalg.matmul {pixelfly.plan = #[[P_DENSE]]} ins(
// CHECK:         linalg.matmul {pixelfly.plan = #[[P_BFLY0]]} ins(
// CHECK:         linalg.matmul {pixelfly.plan = #[[P_LR]]} ins(
// CHECK:         linalg.matmul {pixelfly.plan = #[[P_24]]} ins(
// CHECK:         linalg.matmul {pixelfly.plan = #[[P_24T]]} ins(
func.func @plans(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>,
                 %c: tensor<4x16xf32>) -> tensor<4x16xf32>
    attributes {pixelfly.plan = #pixelfly.plan<structure = butterfly,
        pattern = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 3,
                                           block = 32>,
        rank = 64>} {
  %0 = linalg.matmul {pixelfly.plan = #pixelfly.plan<structure = dense>}
         ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>)
         outs(%c : tensor<4x16xf32>) -> tensor<4x16xf32>
  %1 = linalg.matmul {pixelfly.plan = #pixelfly.plan<structure = butterfly,
                                                     pattern = #fb, rank = 0>}
         ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>)
         outs(%0 : tensor<4x16xf32>) -> tensor<4x16xf32>
  %2 = linalg.matmul {pixelfly.plan = #pixelfly.plan<structure = low_rank,
                                                     rank = 32>}
         ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>)
         outs(%1 : tensor<4x16xf32>) -> tensor<4x16xf32>
  %3 = linalg.matmul {pixelfly.plan = #pixelfly.plan<structure = two_four,
                                                     transposable = false>}
         ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>)
         outs(%2 : tensor<4x16xf32>) -> tensor<4x16xf32>
  %4 = linalg.matmul {pixelfly.plan = #pixelfly.plan<structure = two_four,
                                                     transposable = true>}
         ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>)
         outs(%3 : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %4 : tensor<4x16xf32>
}

//===----------------------------------------------------------------------===//
// block_sparse_input_grad
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @block_sparse_input_grad_tensor(
// CHECK-SAME:      %[[DY:[a-zA-Z0-9_]+]]: tensor<16x64xf16>, %[[B:[a-zA-Z0-9_]+]]: tensor<3x32x32xf16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<16x128xf32>)
// CHECK:         %[[R:.+]] = pixelfly.block_sparse_input_grad ins(%[[DY]], %[[B]] : tensor<16x64xf16>, tensor<3x32x32xf16>) outs(%[[INIT]] : tensor<16x128xf32>) layout(#[[L]]) -> tensor<16x128xf32>
// CHECK:         return %[[R]]
func.func @block_sparse_input_grad_tensor(%dy: tensor<16x64xf16>,
                                          %blocks: tensor<3x32x32xf16>,
                                          %init: tensor<16x128xf32>)
    -> tensor<16x128xf32> {
  %dx = pixelfly.block_sparse_input_grad
          ins(%dy, %blocks : tensor<16x64xf16>, tensor<3x32x32xf16>)
          outs(%init : tensor<16x128xf32>) layout(#l) -> tensor<16x128xf32>
  return %dx : tensor<16x128xf32>
}

// CHECK-LABEL: func.func @block_sparse_input_grad_memref(
// CHECK-SAME:      %[[DY:[a-zA-Z0-9_]+]]: memref<?x64xbf16>, %[[B:[a-zA-Z0-9_]+]]: memref<3x32x32xbf16>, %[[INIT:[a-zA-Z0-9_]+]]: memref<?x128xbf16>)
// CHECK-NEXT:    pixelfly.block_sparse_input_grad ins(%[[DY]], %[[B]] : memref<?x64xbf16>, memref<3x32x32xbf16>) outs(%[[INIT]] : memref<?x128xbf16>) layout(#[[L]]){{$}}
// CHECK-NEXT:    return{{$}}
func.func @block_sparse_input_grad_memref(%dy: memref<?x64xbf16>,
                                          %blocks: memref<3x32x32xbf16>,
                                          %init: memref<?x128xbf16>) {
  pixelfly.block_sparse_input_grad
    ins(%dy, %blocks : memref<?x64xbf16>, memref<3x32x32xbf16>)
    outs(%init : memref<?x128xbf16>) layout(#l)
  return
}

//===----------------------------------------------------------------------===//
// block_sparse_weight_grad
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @block_sparse_weight_grad_tensor(
// CHECK-SAME:      %[[DY:[a-zA-Z0-9_]+]]: tensor<?x64xbf16>, %[[X:[a-zA-Z0-9_]+]]: tensor<?x128xbf16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<3x32x32xf32>)
// CHECK:         %[[R:.+]] = pixelfly.block_sparse_weight_grad ins(%[[DY]], %[[X]] : tensor<?x64xbf16>, tensor<?x128xbf16>) outs(%[[INIT]] : tensor<3x32x32xf32>) layout(#[[L]]) -> tensor<3x32x32xf32>
// CHECK:         return %[[R]]
func.func @block_sparse_weight_grad_tensor(%dy: tensor<?x64xbf16>,
                                           %x: tensor<?x128xbf16>,
                                           %init: tensor<3x32x32xf32>)
    -> tensor<3x32x32xf32> {
  %dw = pixelfly.block_sparse_weight_grad
          ins(%dy, %x : tensor<?x64xbf16>, tensor<?x128xbf16>)
          outs(%init : tensor<3x32x32xf32>) layout(#l) -> tensor<3x32x32xf32>
  return %dw : tensor<3x32x32xf32>
}

// CHECK-LABEL: func.func @block_sparse_weight_grad_memref(
// CHECK-SAME:      %[[DY:[a-zA-Z0-9_]+]]: memref<32x64xf16>, %[[X:[a-zA-Z0-9_]+]]: memref<32x128xf16>, %[[INIT:[a-zA-Z0-9_]+]]: memref<3x32x32xf16>)
// CHECK-NEXT:    pixelfly.block_sparse_weight_grad ins(%[[DY]], %[[X]] : memref<32x64xf16>, memref<32x128xf16>) outs(%[[INIT]] : memref<3x32x32xf16>) layout(#[[L]]){{$}}
// CHECK-NEXT:    return{{$}}
func.func @block_sparse_weight_grad_memref(%dy: memref<32x64xf16>,
                                           %x: memref<32x128xf16>,
                                           %init: memref<3x32x32xf16>) {
  pixelfly.block_sparse_weight_grad
    ins(%dy, %x : memref<32x64xf16>, memref<32x128xf16>)
    outs(%init : memref<3x32x32xf16>) layout(#l)
  return
}

//===----------------------------------------------------------------------===//
// low_rank_matmul
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @low_rank_matmul_tensor(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: tensor<?x128xf16>, %[[U:[a-zA-Z0-9_]+]]: tensor<64x16xf16>, %[[V:[a-zA-Z0-9_]+]]: tensor<128x16xf16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<?x64xf32>)
// CHECK:         %[[R:.+]] = pixelfly.low_rank_matmul ins(%[[X]], %[[U]], %[[V]] : tensor<?x128xf16>, tensor<64x16xf16>, tensor<128x16xf16>) outs(%[[INIT]] : tensor<?x64xf32>) -> tensor<?x64xf32>
// CHECK:         return %[[R]]
func.func @low_rank_matmul_tensor(%x: tensor<?x128xf16>, %u: tensor<64x16xf16>,
                                  %v: tensor<128x16xf16>,
                                  %init: tensor<?x64xf32>)
    -> tensor<?x64xf32> {
  %y = pixelfly.low_rank_matmul
         ins(%x, %u, %v : tensor<?x128xf16>, tensor<64x16xf16>,
                          tensor<128x16xf16>)
         outs(%init : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// A dynamic rank is accepted too.
// CHECK-LABEL: func.func @low_rank_matmul_memref(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: memref<8x128xbf16>, %[[U:[a-zA-Z0-9_]+]]: memref<64x?xbf16>, %[[V:[a-zA-Z0-9_]+]]: memref<128x?xbf16>, %[[INIT:[a-zA-Z0-9_]+]]: memref<8x64xbf16>)
// CHECK-NEXT:    pixelfly.low_rank_matmul ins(%[[X]], %[[U]], %[[V]] : memref<8x128xbf16>, memref<64x?xbf16>, memref<128x?xbf16>) outs(%[[INIT]] : memref<8x64xbf16>){{$}}
// CHECK-NEXT:    return{{$}}
func.func @low_rank_matmul_memref(%x: memref<8x128xbf16>,
                                  %u: memref<64x?xbf16>,
                                  %v: memref<128x?xbf16>,
                                  %init: memref<8x64xbf16>) {
  pixelfly.low_rank_matmul
    ins(%x, %u, %v : memref<8x128xbf16>, memref<64x?xbf16>, memref<128x?xbf16>)
    outs(%init : memref<8x64xbf16>)
  return
}

//===----------------------------------------------------------------------===//
// linear
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @linear_constant_gamma_tensor(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: tensor<?x128xbf16>, %[[B:[a-zA-Z0-9_]+]]: tensor<3x32x32xbf16>, %[[U:[a-zA-Z0-9_]+]]: tensor<64x16xbf16>, %[[V:[a-zA-Z0-9_]+]]: tensor<128x16xbf16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<?x64xf32>)
// CHECK:         %[[R0:.+]] = pixelfly.linear ins(%[[X]], %[[B]], %[[U]], %[[V]] : tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>) gamma(2.500000e-01) outs(%[[INIT]] : tensor<?x64xf32>) layout(#[[L]]) -> tensor<?x64xf32>
// CHECK:         %[[R1:.+]] = pixelfly.linear ins(%[[X]], %[[B]], %[[U]], %[[V]] : tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>) gamma(-1.500000e+00) outs(%[[R0]] : tensor<?x64xf32>) layout(#[[L]]) -> tensor<?x64xf32>
// CHECK:         %[[R2:.+]] = pixelfly.linear ins(%[[X]], %[[B]], %[[U]], %[[V]] : tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>) gamma(1.000000e+00) outs(%[[R1]] : tensor<?x64xf32>) layout(#[[L]]) {pixelfly.plan = #[[P_BFLY]]} -> tensor<?x64xf32>
// CHECK:         return %[[R2]]
func.func @linear_constant_gamma_tensor(%x: tensor<?x128xbf16>,
                                        %blocks: tensor<3x32x32xbf16>,
                                        %u: tensor<64x16xbf16>,
                                        %v: tensor<128x16xbf16>,
                                        %init: tensor<?x64xf32>)
    -> tensor<?x64xf32> {
  %y0 = pixelfly.linear
          ins(%x, %blocks, %u, %v : tensor<?x128xbf16>, tensor<3x32x32xbf16>,
                                   tensor<64x16xbf16>, tensor<128x16xbf16>)
          gamma(0.25)
          outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  %y1 = pixelfly.linear
          ins(%x, %blocks, %u, %v : tensor<?x128xbf16>, tensor<3x32x32xbf16>,
                                   tensor<64x16xbf16>, tensor<128x16xbf16>)
          gamma(-1.5)
          outs(%y0 : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  %y2 = pixelfly.linear
          ins(%x, %blocks, %u, %v : tensor<?x128xbf16>, tensor<3x32x32xbf16>,
                                   tensor<64x16xbf16>, tensor<128x16xbf16>)
          gamma(1.0)
          outs(%y1 : tensor<?x64xf32>) layout(#l)
          {pixelfly.plan = #pixelfly.plan<structure = butterfly,
              pattern = #pixelfly.flat_butterfly<butterfly_size = 16,
                                                 n_factors = 3, block = 32>,
              rank = 64>}
          -> tensor<?x64xf32>
  return %y2 : tensor<?x64xf32>
}

// CHECK-LABEL: func.func @linear_scalar_gamma_tensor(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: tensor<8x128xf16>, %[[B:[a-zA-Z0-9_]+]]: tensor<3x32x32xf16>, %[[U:[a-zA-Z0-9_]+]]: tensor<64x16xf16>, %[[V:[a-zA-Z0-9_]+]]: tensor<128x16xf16>, %[[G:[a-zA-Z0-9_]+]]: f32, %[[INIT:[a-zA-Z0-9_]+]]: tensor<8x64xf16>)
// CHECK:         %[[R:.+]] = pixelfly.linear ins(%[[X]], %[[B]], %[[U]], %[[V]] : tensor<8x128xf16>, tensor<3x32x32xf16>, tensor<64x16xf16>, tensor<128x16xf16>) gamma(%[[G]] : f32) outs(%[[INIT]] : tensor<8x64xf16>) layout(#[[L]]) -> tensor<8x64xf16>
// CHECK:         return %[[R]]
func.func @linear_scalar_gamma_tensor(%x: tensor<8x128xf16>,
                                      %blocks: tensor<3x32x32xf16>,
                                      %u: tensor<64x16xf16>,
                                      %v: tensor<128x16xf16>, %g: f32,
                                      %init: tensor<8x64xf16>)
    -> tensor<8x64xf16> {
  %y = pixelfly.linear
         ins(%x, %blocks, %u, %v : tensor<8x128xf16>, tensor<3x32x32xf16>,
                                  tensor<64x16xf16>, tensor<128x16xf16>)
         gamma(%g : f32)
         outs(%init : tensor<8x64xf16>) layout(#l) -> tensor<8x64xf16>
  return %y : tensor<8x64xf16>
}

// CHECK-LABEL: func.func @linear_per_row_gamma_tensor(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: tensor<?x128xbf16>, %[[B:[a-zA-Z0-9_]+]]: tensor<3x32x32xbf16>, %[[U:[a-zA-Z0-9_]+]]: tensor<64x16xbf16>, %[[V:[a-zA-Z0-9_]+]]: tensor<128x16xbf16>, %[[G:[a-zA-Z0-9_]+]]: tensor<?xf32>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<?x64xbf16>)
// CHECK:         %[[R:.+]] = pixelfly.linear ins(%[[X]], %[[B]], %[[U]], %[[V]] : tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>) gamma(%[[G]] : tensor<?xf32>) outs(%[[INIT]] : tensor<?x64xbf16>) layout(#[[L]]) -> tensor<?x64xbf16>
// CHECK:         return %[[R]]
func.func @linear_per_row_gamma_tensor(%x: tensor<?x128xbf16>,
                                       %blocks: tensor<3x32x32xbf16>,
                                       %u: tensor<64x16xbf16>,
                                       %v: tensor<128x16xbf16>,
                                       %g: tensor<?xf32>,
                                       %init: tensor<?x64xbf16>)
    -> tensor<?x64xbf16> {
  %y = pixelfly.linear
         ins(%x, %blocks, %u, %v : tensor<?x128xbf16>, tensor<3x32x32xbf16>,
                                  tensor<64x16xbf16>, tensor<128x16xbf16>)
         gamma(%g : tensor<?xf32>)
         outs(%init : tensor<?x64xbf16>) layout(#l) -> tensor<?x64xbf16>
  return %y : tensor<?x64xbf16>
}

// CHECK-LABEL: func.func @linear_memref(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: memref<?x256xf32>, %[[B:[a-zA-Z0-9_]+]]: memref<24x32x32xf32>, %[[U:[a-zA-Z0-9_]+]]: memref<256x32xf32>, %[[V:[a-zA-Z0-9_]+]]: memref<256x32xf32>, %[[G:[a-zA-Z0-9_]+]]: f32, %[[GR:[a-zA-Z0-9_]+]]: memref<?xf32>, %[[INIT:[a-zA-Z0-9_]+]]: memref<?x256xf32>)
// CHECK-NEXT:    pixelfly.linear ins(%[[X]], %[[B]], %[[U]], %[[V]] : memref<?x256xf32>, memref<24x32x32xf32>, memref<256x32xf32>, memref<256x32xf32>) gamma(7.500000e-01) outs(%[[INIT]] : memref<?x256xf32>) layout(#[[L_FB]]){{$}}
// CHECK-NEXT:    pixelfly.linear ins(%[[X]], %[[B]], %[[U]], %[[V]] : memref<?x256xf32>, memref<24x32x32xf32>, memref<256x32xf32>, memref<256x32xf32>) gamma(%[[G]] : f32) outs(%[[INIT]] : memref<?x256xf32>) layout(#[[L_FB]]){{$}}
// CHECK-NEXT:    pixelfly.linear ins(%[[X]], %[[B]], %[[U]], %[[V]] : memref<?x256xf32>, memref<24x32x32xf32>, memref<256x32xf32>, memref<256x32xf32>) gamma(%[[GR]] : memref<?xf32>) outs(%[[INIT]] : memref<?x256xf32>) layout(#[[L_FB]]){{$}}
// CHECK-NEXT:    return{{$}}
func.func @linear_memref(%x: memref<?x256xf32>, %blocks: memref<24x32x32xf32>,
                         %u: memref<256x32xf32>, %v: memref<256x32xf32>,
                         %g: f32, %gr: memref<?xf32>,
                         %init: memref<?x256xf32>) {
  pixelfly.linear
    ins(%x, %blocks, %u, %v : memref<?x256xf32>, memref<24x32x32xf32>,
                             memref<256x32xf32>, memref<256x32xf32>)
    gamma(0.75) outs(%init : memref<?x256xf32>) layout(#l_fb)
  pixelfly.linear
    ins(%x, %blocks, %u, %v : memref<?x256xf32>, memref<24x32x32xf32>,
                             memref<256x32xf32>, memref<256x32xf32>)
    gamma(%g : f32) outs(%init : memref<?x256xf32>) layout(#l_fb)
  pixelfly.linear
    ins(%x, %blocks, %u, %v : memref<?x256xf32>, memref<24x32x32xf32>,
                             memref<256x32xf32>, memref<256x32xf32>)
    gamma(%gr : memref<?xf32>) outs(%init : memref<?x256xf32>) layout(#l_fb)
  return
}

// The caller's X V, on tensors and on memrefs.
// CHECK-LABEL: func.func @linear_xv(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: tensor<?x128xbf16>, %[[B:[a-zA-Z0-9_]+]]: tensor<3x32x32xbf16>, %[[U:[a-zA-Z0-9_]+]]: tensor<64x16xbf16>, %[[V:[a-zA-Z0-9_]+]]: tensor<128x16xbf16>, %[[XV:[a-zA-Z0-9_]+]]: tensor<?x16xbf16>, %[[G:[a-zA-Z0-9_]+]]: f32, %[[INIT:[a-zA-Z0-9_]+]]: tensor<?x64xf32>, %[[M:[a-zA-Z0-9_]+]]: memref<?x128xbf16>, %[[MB:[a-zA-Z0-9_]+]]: memref<3x32x32xbf16>, %[[MU:[a-zA-Z0-9_]+]]: memref<64x16xbf16>, %[[MV:[a-zA-Z0-9_]+]]: memref<128x16xbf16>, %[[MXV:[a-zA-Z0-9_]+]]: memref<?x16xbf16>, %[[MY:[a-zA-Z0-9_]+]]: memref<?x64xf32>)
// CHECK-NEXT:    %[[R:.+]] = pixelfly.linear ins(%[[X]], %[[B]], %[[U]], %[[V]] : tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>) xv(%[[XV]] : tensor<?x16xbf16>) gamma(%[[G]] : f32) outs(%[[INIT]] : tensor<?x64xf32>) layout(#[[L]]) -> tensor<?x64xf32>
// CHECK-NEXT:    pixelfly.linear ins(%[[M]], %[[MB]], %[[MU]], %[[MV]] : memref<?x128xbf16>, memref<3x32x32xbf16>, memref<64x16xbf16>, memref<128x16xbf16>) xv(%[[MXV]] : memref<?x16xbf16>) gamma(2.500000e-01) outs(%[[MY]] : memref<?x64xf32>) layout(#[[L]]){{$}}
// CHECK-NEXT:    return %[[R]]
func.func @linear_xv(%x: tensor<?x128xbf16>, %blocks: tensor<3x32x32xbf16>,
                     %u: tensor<64x16xbf16>, %v: tensor<128x16xbf16>,
                     %xv: tensor<?x16xbf16>, %g: f32, %init: tensor<?x64xf32>,
                     %mx: memref<?x128xbf16>, %mb: memref<3x32x32xbf16>,
                     %mu: memref<64x16xbf16>, %mv: memref<128x16xbf16>,
                     %mxv: memref<?x16xbf16>, %my: memref<?x64xf32>)
    -> tensor<?x64xf32> {
  %y = pixelfly.linear
         ins(%x, %blocks, %u, %v : tensor<?x128xbf16>, tensor<3x32x32xbf16>,
                                  tensor<64x16xbf16>, tensor<128x16xbf16>)
         xv(%xv : tensor<?x16xbf16>) gamma(%g : f32)
         outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  pixelfly.linear
    ins(%mx, %mb, %mu, %mv : memref<?x128xbf16>, memref<3x32x32xbf16>,
                             memref<64x16xbf16>, memref<128x16xbf16>)
    xv(%mxv : memref<?x16xbf16>) gamma(0.25)
    outs(%my : memref<?x64xf32>) layout(#l)
  return %y : tensor<?x64xf32>
}

//===----------------------------------------------------------------------===//
// two_four_matmul
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @two_four_matmul_tensor(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: tensor<?x64xf16>, %[[VAL:[a-zA-Z0-9_]+]]: tensor<32x32xf16>, %[[META:[a-zA-Z0-9_]+]]: tensor<32x4xi16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<?x32xf32>)
// CHECK:         %[[R:.+]] = pixelfly.two_four_matmul ins(%[[X]], %[[VAL]], %[[META]] : tensor<?x64xf16>, tensor<32x32xf16>, tensor<32x4xi16>) outs(%[[INIT]] : tensor<?x32xf32>) -> tensor<?x32xf32>
// CHECK:         return %[[R]]
func.func @two_four_matmul_tensor(%x: tensor<?x64xf16>,
                                  %values: tensor<32x32xf16>,
                                  %meta: tensor<32x4xi16>,
                                  %init: tensor<?x32xf32>)
    -> tensor<?x32xf32> {
  %y = pixelfly.two_four_matmul
         ins(%x, %values, %meta : tensor<?x64xf16>, tensor<32x32xf16>,
                                  tensor<32x4xi16>)
         outs(%init : tensor<?x32xf32>) -> tensor<?x32xf32>
  return %y : tensor<?x32xf32>
}

// CHECK-LABEL: func.func @two_four_matmul_memref(
// CHECK-SAME:      %[[X:[a-zA-Z0-9_]+]]: memref<128x64xbf16>, %[[VAL:[a-zA-Z0-9_]+]]: memref<32x32xbf16>, %[[META:[a-zA-Z0-9_]+]]: memref<32x4xi16>, %[[INIT:[a-zA-Z0-9_]+]]: memref<128x32xbf16>)
// CHECK-NEXT:    pixelfly.two_four_matmul ins(%[[X]], %[[VAL]], %[[META]] : memref<128x64xbf16>, memref<32x32xbf16>, memref<32x4xi16>) outs(%[[INIT]] : memref<128x32xbf16>){{$}}
// CHECK-NEXT:    return{{$}}
func.func @two_four_matmul_memref(%x: memref<128x64xbf16>,
                                  %values: memref<32x32xbf16>,
                                  %meta: memref<32x4xi16>,
                                  %init: memref<128x32xbf16>) {
  pixelfly.two_four_matmul
    ins(%x, %values, %meta : memref<128x64xbf16>, memref<32x32xbf16>,
                             memref<32x4xi16>)
    outs(%init : memref<128x32xbf16>)
  return
}

//===----------------------------------------------------------------------===//
// prune_2_4
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @prune_2_4_tensor(
// CHECK-SAME:      %[[W:[a-zA-Z0-9_]+]]: tensor<64x128xbf16>, %[[V0:[a-zA-Z0-9_]+]]: tensor<64x64xbf16>, %[[M0:[a-zA-Z0-9_]+]]: tensor<64x8xi16>, %[[VT0:[a-zA-Z0-9_]+]]: tensor<128x32xbf16>, %[[MT0:[a-zA-Z0-9_]+]]: tensor<128x4xi16>)
// CHECK:         %[[R:.+]]:2 = pixelfly.prune_2_4 ins(%[[W]] : tensor<64x128xbf16>) outs(%[[V0]], %[[M0]] : tensor<64x64xbf16>, tensor<64x8xi16>) -> tensor<64x64xbf16>, tensor<64x8xi16>
// CHECK:         %[[RT:.+]]:2 = pixelfly.prune_2_4 transposable ins(%[[W]] : tensor<64x128xbf16>) outs(%[[V0]], %[[M0]] : tensor<64x64xbf16>, tensor<64x8xi16>) -> tensor<64x64xbf16>, tensor<64x8xi16>
// CHECK:         %[[RT4:.+]]:4 = pixelfly.prune_2_4 transposable ins(%[[W]] : tensor<64x128xbf16>) outs(%[[V0]], %[[M0]], %[[VT0]], %[[MT0]] : tensor<64x64xbf16>, tensor<64x8xi16>, tensor<128x32xbf16>, tensor<128x4xi16>) -> tensor<64x64xbf16>, tensor<64x8xi16>, tensor<128x32xbf16>, tensor<128x4xi16>
// CHECK:         return %[[R]]#0, %[[R]]#1, %[[RT]]#1, %[[RT4]]#2, %[[RT4]]#3
func.func @prune_2_4_tensor(%w: tensor<64x128xbf16>, %v0: tensor<64x64xbf16>,
                            %m0: tensor<64x8xi16>, %vt0: tensor<128x32xbf16>,
                            %mt0: tensor<128x4xi16>)
    -> (tensor<64x64xbf16>, tensor<64x8xi16>, tensor<64x8xi16>,
        tensor<128x32xbf16>, tensor<128x4xi16>) {
  %v, %m = pixelfly.prune_2_4 ins(%w : tensor<64x128xbf16>)
             outs(%v0, %m0 : tensor<64x64xbf16>, tensor<64x8xi16>)
             -> tensor<64x64xbf16>, tensor<64x8xi16>
  // Transposable mask, without the transpose.
  %v1, %m1 = pixelfly.prune_2_4 transposable ins(%w : tensor<64x128xbf16>)
               outs(%v0, %m0 : tensor<64x64xbf16>, tensor<64x8xi16>)
               -> tensor<64x64xbf16>, tensor<64x8xi16>
  %v2, %m2, %vt, %mt = pixelfly.prune_2_4 transposable
             ins(%w : tensor<64x128xbf16>)
             outs(%v0, %m0, %vt0, %mt0 : tensor<64x64xbf16>, tensor<64x8xi16>,
                                         tensor<128x32xbf16>, tensor<128x4xi16>)
             -> tensor<64x64xbf16>, tensor<64x8xi16>, tensor<128x32xbf16>,
                tensor<128x4xi16>
  return %v, %m, %m1, %vt, %mt : tensor<64x64xbf16>, tensor<64x8xi16>,
      tensor<64x8xi16>, tensor<128x32xbf16>, tensor<128x4xi16>
}

// Dynamic N.
// CHECK-LABEL: func.func @prune_2_4_dynamic(
// CHECK:         %{{.+}}:2 = pixelfly.prune_2_4 ins(%{{.*}} : tensor<?x32xf32>) outs(%{{.*}}, %{{.*}} : tensor<?x16xf32>, tensor<?x2xi16>) -> tensor<?x16xf32>, tensor<?x2xi16>
func.func @prune_2_4_dynamic(%w: tensor<?x32xf32>, %v0: tensor<?x16xf32>,
                             %m0: tensor<?x2xi16>)
    -> (tensor<?x16xf32>, tensor<?x2xi16>) {
  %v, %m = pixelfly.prune_2_4 ins(%w : tensor<?x32xf32>)
             outs(%v0, %m0 : tensor<?x16xf32>, tensor<?x2xi16>)
             -> tensor<?x16xf32>, tensor<?x2xi16>
  return %v, %m : tensor<?x16xf32>, tensor<?x2xi16>
}

// CHECK-LABEL: func.func @prune_2_4_memref(
// CHECK-SAME:      %[[W:[a-zA-Z0-9_]+]]: memref<32x64xf16>, %[[V0:[a-zA-Z0-9_]+]]: memref<32x32xf16>, %[[M0:[a-zA-Z0-9_]+]]: memref<32x4xi16>, %[[VT0:[a-zA-Z0-9_]+]]: memref<64x16xf16>, %[[MT0:[a-zA-Z0-9_]+]]: memref<64x2xi16>)
// CHECK-NEXT:    pixelfly.prune_2_4 ins(%[[W]] : memref<32x64xf16>) outs(%[[V0]], %[[M0]] : memref<32x32xf16>, memref<32x4xi16>){{$}}
// CHECK-NEXT:    pixelfly.prune_2_4 transposable ins(%[[W]] : memref<32x64xf16>) outs(%[[V0]], %[[M0]], %[[VT0]], %[[MT0]] : memref<32x32xf16>, memref<32x4xi16>, memref<64x16xf16>, memref<64x2xi16>){{$}}
// CHECK-NEXT:    return{{$}}
func.func @prune_2_4_memref(%w: memref<32x64xf16>, %v0: memref<32x32xf16>,
                            %m0: memref<32x4xi16>, %vt0: memref<64x16xf16>,
                            %mt0: memref<64x2xi16>) {
  pixelfly.prune_2_4 ins(%w : memref<32x64xf16>)
    outs(%v0, %m0 : memref<32x32xf16>, memref<32x4xi16>)
  pixelfly.prune_2_4 transposable ins(%w : memref<32x64xf16>)
    outs(%v0, %m0, %vt0, %mt0 : memref<32x32xf16>, memref<32x4xi16>,
                                memref<64x16xf16>, memref<64x2xi16>)
  return
}

//===----------------------------------------------------------------------===//
// densify
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @densify_tensor(
// CHECK-SAME:      %[[B:[a-zA-Z0-9_]+]]: tensor<3x32x32xf16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<64x128xf16>)
// CHECK:         %[[R:.+]] = pixelfly.densify ins(%[[B]] : tensor<3x32x32xf16>) outs(%[[INIT]] : tensor<64x128xf16>) layout(#[[L]]) -> tensor<64x128xf16>
// CHECK:         return %[[R]]
func.func @densify_tensor(%blocks: tensor<3x32x32xf16>,
                          %init: tensor<64x128xf16>) -> tensor<64x128xf16> {
  %w = pixelfly.densify ins(%blocks : tensor<3x32x32xf16>)
         outs(%init : tensor<64x128xf16>) layout(#l) -> tensor<64x128xf16>
  return %w : tensor<64x128xf16>
}

// CHECK-LABEL: func.func @densify_memref(
// CHECK-SAME:      %[[B:[a-zA-Z0-9_]+]]: memref<12x16x16xbf16>, %[[INIT:[a-zA-Z0-9_]+]]: memref<64x64xbf16>)
// CHECK-NEXT:    pixelfly.densify ins(%[[B]] : memref<12x16x16xbf16>) outs(%[[INIT]] : memref<64x64xbf16>) layout(#[[L_GLOBAL]]){{$}}
// CHECK-NEXT:    return{{$}}
func.func @densify_memref(%blocks: memref<12x16x16xbf16>,
                          %init: memref<64x64xbf16>) {
  pixelfly.densify ins(%blocks : memref<12x16x16xbf16>)
    outs(%init : memref<64x64xbf16>) layout(#l_global)
  return
}

//===----------------------------------------------------------------------===//
// densify_2_4
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @densify_2_4_tensor(
// CHECK-SAME:      %[[VAL:[a-zA-Z0-9_]+]]: tensor<32x32xf16>, %[[META:[a-zA-Z0-9_]+]]: tensor<32x4xi16>, %[[INIT:[a-zA-Z0-9_]+]]: tensor<32x64xf16>)
// CHECK:         %[[R:.+]] = pixelfly.densify_2_4 ins(%[[VAL]], %[[META]] : tensor<32x32xf16>, tensor<32x4xi16>) outs(%[[INIT]] : tensor<32x64xf16>) -> tensor<32x64xf16>
// CHECK:         return %[[R]]
func.func @densify_2_4_tensor(%values: tensor<32x32xf16>,
                              %meta: tensor<32x4xi16>,
                              %init: tensor<32x64xf16>) -> tensor<32x64xf16> {
  %w = pixelfly.densify_2_4 ins(%values, %meta : tensor<32x32xf16>,
                                                 tensor<32x4xi16>)
         outs(%init : tensor<32x64xf16>) -> tensor<32x64xf16>
  return %w : tensor<32x64xf16>
}

// CHECK-LABEL: func.func @densify_2_4_memref(
// CHECK-SAME:      %[[VAL:[a-zA-Z0-9_]+]]: memref<?x64xf32>, %[[META:[a-zA-Z0-9_]+]]: memref<?x8xi16>, %[[INIT:[a-zA-Z0-9_]+]]: memref<?x128xf32>)
// CHECK-NEXT:    pixelfly.densify_2_4 ins(%[[VAL]], %[[META]] : memref<?x64xf32>, memref<?x8xi16>) outs(%[[INIT]] : memref<?x128xf32>){{$}}
// CHECK-NEXT:    return{{$}}
func.func @densify_2_4_memref(%values: memref<?x64xf32>,
                              %meta: memref<?x8xi16>,
                              %init: memref<?x128xf32>) {
  pixelfly.densify_2_4 ins(%values, %meta : memref<?x64xf32>, memref<?x8xi16>)
    outs(%init : memref<?x128xf32>)
  return
}

// The GPU configuration attribute round-trips (as a discardable attribute).
// CHECK-LABEL: func.func @gpu_config(
// CHECK:         {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_90a", tile_m = 128, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 4>}
func.func @gpu_config(%x: memref<?x64xf16>, %b: memref<2x32x32xf16>, %init: memref<?x64xf32>) {
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xf16>, memref<2x32x32xf16>) outs(%init : memref<?x64xf32>)
    layout(#pixelfly.block_layout<shape = 64x64, block = 32x32, row_ptr = [0, 1, 2], col_idx = [0, 1]>)
    {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_90a", tile_m = 128, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 4>}
  return
}

// So does the Hopper family's.
// CHECK-LABEL: func.func @hopper_config()
// CHECK-SAME:    config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 256, tile_k = 64, consumers = 2, stages = 4, cluster_m = 2, cluster_n = 1>
func.func @hopper_config() attributes {config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 256, tile_k = 64, consumers = 2, stages = 4, cluster_m = 2, cluster_n = 1>} {
  return
}

// A persistent grid is an optional parameter, printed when set.
// CHECK-LABEL: func.func @hopper_persistent()
// CHECK-SAME:    config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 2, stages = 4, cluster_m = 1, cluster_n = 1, persistent = 132>
func.func @hopper_persistent() attributes {config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 2, stages = 4, cluster_m = 1, cluster_n = 1, persistent = 132>} {
  return
}

// The CPU configuration attribute round-trips.
// CHECK-LABEL: func.func @cpu_config()
// CHECK-SAME:    config = #pixelfly.cpu_config<cpu = "x86-64-v3", vector_bits = 256, vector_registers = 16, tile_m = 6, tile_n = 16, tile_k = 8, panel_m = 126>
func.func @cpu_config() attributes {config = #pixelfly.cpu_config<cpu = "x86-64-v3", vector_bits = 256, vector_registers = 16, tile_m = 6, tile_n = 16, tile_k = 8, panel_m = 126>} {
  return
}
