// RUN: pixelfly-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// #pixelfly.flat_butterfly
//===----------------------------------------------------------------------===//

// expected-error @+1 {{invalid flat butterfly: butterfly_size must be a power of 2 and at least 2, got 6}}
#fb = #pixelfly.flat_butterfly<butterfly_size = 6, n_factors = 1, block = 32>

// -----

// expected-error @+1 {{invalid flat butterfly: n_factors must be between 1 and log2(butterfly_size) = 3, got 4}}
#fb = #pixelfly.flat_butterfly<butterfly_size = 8, n_factors = 4, block = 32>

// -----

// expected-error @+1 {{invalid flat butterfly: block must be positive, got 0}}
#fb = #pixelfly.flat_butterfly<butterfly_size = 8, n_factors = 2, block = 0>

// -----

// expected-error @+1 {{invalid flat butterfly: global_size must be non-negative, got -32}}
#fb = #pixelfly.flat_butterfly<butterfly_size = 8, n_factors = 2, block = 32, global_size = -32>

//===----------------------------------------------------------------------===//
// #pixelfly.block_layout: parser
//===----------------------------------------------------------------------===//

// -----

// expected-error @+1 {{expected 'shape' as RxC}}
#l = #pixelfly.block_layout<shape = 64, block = 32x32, row_ptr = [0, 1, 1], col_idx = [0]>

// -----

// expected-error @+1 {{expected 'block' as RxC}}
#l = #pixelfly.block_layout<shape = 64x64, block = 32x32x1, row_ptr = [0, 1, 1], col_idx = [0]>

// -----

// expected-error @+1 {{block layout needs row_ptr and col_idx, or a source to materialize them from}}
#l = #pixelfly.block_layout<shape = 64x64, block = 32x32>

// -----

// expected-error @+1 {{block layout row_ptr must not be empty}}
#l = #pixelfly.block_layout<shape = 64x64, block = 32x32, row_ptr = [], col_idx = []>

// -----

// expected-error @+1 {{block layout has more than one 'row_ptr'}}
#l = #pixelfly.block_layout<shape = 64x64, block = 32x32, row_ptr = [0, 1, 1], col_idx = [0], row_ptr = [0, 1, 1], col_idx = [0]>

// -----

#fb = #pixelfly.flat_butterfly<butterfly_size = 2, n_factors = 1, block = 32>
// expected-error @+1 {{block layout has more than one 'source'}}
#l = #pixelfly.block_layout<shape = 64x64, block = 32x32, source = #fb, source = #fb>

// -----

// expected-error @+1 {{invalid kind of attribute specified}}
#l = #pixelfly.block_layout<shape = 64x64, block = 32x32, source = #pixelfly.plan<structure = dense>>

// -----

#fb = #pixelfly.flat_butterfly<butterfly_size = 8, n_factors = 2, block = 32>
// expected-error @+1 {{block layout block 16x16 differs from its source's block 32}}
#l = #pixelfly.block_layout<shape = 256x256, block = 16x16, source = #fb>

// -----

#fb = #pixelfly.flat_butterfly<butterfly_size = 8, n_factors = 2, block = 32>
// expected-error @+1 {{cannot materialize flat butterfly: weight shape 0x256 must be positive}}
#l = #pixelfly.block_layout<shape = 0x256, block = 32x32, source = #fb>

// -----

#fb = #pixelfly.flat_butterfly<butterfly_size = 8, n_factors = 2, block = 32>
// expected-error @+1 {{cannot materialize flat butterfly: weight shape 256x100 is not a multiple of butterfly_size 8}}
#l = #pixelfly.block_layout<shape = 256x100, block = 32x32, source = #fb>

// -----

#fb = #pixelfly.flat_butterfly<butterfly_size = 8, n_factors = 2, block = 32>
// expected-error @+1 {{cannot materialize flat butterfly: weight shape 256x200 is not a multiple of block 32}}
#l = #pixelfly.block_layout<shape = 256x200, block = 32x32, source = #fb>

//===----------------------------------------------------------------------===//
// #pixelfly.block_layout: verifier
//===----------------------------------------------------------------------===//

// -----

// expected-error @+1 {{block layout shape 0x64 must be positive}}
#l = #pixelfly.block_layout<shape = 0x64, block = 32x32, row_ptr = [0], col_idx = []>

// -----

// expected-error @+1 {{block layout block 32x0 must be positive}}
#l = #pixelfly.block_layout<shape = 64x64, block = 32x0, row_ptr = [0, 0, 0], col_idx = []>

// -----

// expected-error @+1 {{block layout shape 64x48 is not divisible by the block 32x32}}
#l = #pixelfly.block_layout<shape = 64x48, block = 32x32, row_ptr = [0, 0, 0], col_idx = []>

// -----

// expected-error @+1 {{block layout row_ptr has 2 entries, expected 3 (number of block rows + 1)}}
#l = #pixelfly.block_layout<shape = 64x64, block = 32x32, row_ptr = [0, 1], col_idx = [0]>

// -----

// expected-error @+1 {{block layout row_ptr must start at 0, got 1}}
#l = #pixelfly.block_layout<shape = 64x64, block = 32x32, row_ptr = [1, 1, 2], col_idx = [0, 1]>

// -----

// expected-error @+1 {{block layout row_ptr must be non-decreasing, but entry 2 (1) is smaller than entry 1 (2)}}
#l = #pixelfly.block_layout<shape = 64x64, block = 32x32, row_ptr = [0, 2, 1], col_idx = [0, 1]>

// -----

// expected-error @+1 {{block layout row_ptr ends at 2 but col_idx has 3 entries}}
#l = #pixelfly.block_layout<shape = 64x64, block = 32x32, row_ptr = [0, 1, 2], col_idx = [0, 1, 1]>

// -----

// expected-error @+1 {{block layout column index 2 of block row 1 is out of range [0, 2)}}
#l = #pixelfly.block_layout<shape = 64x64, block = 32x32, row_ptr = [0, 1, 2], col_idx = [0, 2]>

// -----

// expected-error @+1 {{block layout column index -1 of block row 0 is out of range [0, 2)}}
#l = #pixelfly.block_layout<shape = 64x64, block = 32x32, row_ptr = [0, 1, 1], col_idx = [-1]>

// -----

// expected-error @+1 {{block layout column indices of block row 0 must be strictly increasing, got 1 then 0}}
#l = #pixelfly.block_layout<shape = 64x64, block = 32x32, row_ptr = [0, 2, 2], col_idx = [1, 0]>

// -----

// expected-error @+1 {{block layout column indices of block row 1 must be strictly increasing, got 1 then 1}}
#l = #pixelfly.block_layout<shape = 64x64, block = 32x32, row_ptr = [0, 1, 3], col_idx = [0, 1, 1]>

// -----

// The arrays are valid on their own, but the source does not fit the shape.
#fb = #pixelfly.flat_butterfly<butterfly_size = 64, n_factors = 1, block = 32>
// expected-error @+1 {{block layout source cannot be materialized: weight shape 64x96 is not a multiple of butterfly_size 64}}
#l = #pixelfly.block_layout<shape = 64x96, block = 32x32, row_ptr = [0, 1, 2], col_idx = [0, 1], source = #fb>

// -----

// Butterfly 2 x 2 with stride 1 is dense; one block is missing.
#fb = #pixelfly.flat_butterfly<butterfly_size = 2, n_factors = 1, block = 32>
// expected-error @+1 {{block layout does not match its source #pixelfly.flat_butterfly<butterfly_size = 2, n_factors = 1, block = 32>}}
#l = #pixelfly.block_layout<shape = 64x64, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 1, 1], source = #fb>

//===----------------------------------------------------------------------===//
// #pixelfly.plan
//===----------------------------------------------------------------------===//

// -----

// expected-error @+1 {{plan rank must be non-negative, got -16}}
#p = #pixelfly.plan<structure = low_rank, rank = -16>

// -----

// expected-error @+1 {{plan with structure 'butterfly' needs a pattern}}
#p = #pixelfly.plan<structure = butterfly, rank = 16>

// -----

// expected-error @+1 {{plan with structure 'low_rank' must not have a pattern}}
#p = #pixelfly.plan<structure = low_rank, pattern = #pixelfly.flat_butterfly<butterfly_size = 8, n_factors = 2, block = 32>, rank = 16>

// -----

// expected-error @+1 {{plan with structure 'low_rank' needs a positive rank}}
#p = #pixelfly.plan<structure = low_rank>

// -----

// expected-error @+1 {{plan with structure 'two_four' must not have a rank}}
#p = #pixelfly.plan<structure = two_four, rank = 16>

// -----

// expected-error @+1 {{only a plan with structure 'two_four' can be transposable}}
#p = #pixelfly.plan<structure = dense, transposable = true>

//===----------------------------------------------------------------------===//
// Common to all ops
//===----------------------------------------------------------------------===//

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @mix(%x: tensor<?x128xbf16>, %b: memref<3x32x32xbf16>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.block_sparse_matmul' op expected all shaped operands to be tensors or all to be memrefs, not a mix}}
  %0 = pixelfly.block_sparse_matmul ins(%x, %b : tensor<?x128xbf16>, memref<3x32x32xbf16>) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @unranked(%x: tensor<*xbf16>, %b: tensor<3x32x32xbf16>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.block_sparse_matmul' op operand #0 must be ranked tensor or memref, but got 'tensor<*xbf16>'}}
  %0 = pixelfly.block_sparse_matmul ins(%x, %b : tensor<*xbf16>, tensor<3x32x32xbf16>) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// DestinationStyleOpInterface: one tensor result per tensor destination.
#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @dps_result_count(%x: tensor<?x128xbf16>, %b: tensor<3x32x32xbf16>, %init: tensor<?x64xf32>) {
  // expected-error @+1 {{'pixelfly.block_sparse_matmul' op expected the number of tensor results (0) to be equal to the number of output tensors (1)}}
  pixelfly.block_sparse_matmul ins(%x, %b : tensor<?x128xbf16>, tensor<3x32x32xbf16>) outs(%init : tensor<?x64xf32>) layout(#l)
  return
}

// -----

// DestinationStyleOpInterface: the result has the type of its destination.
#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @dps_result_type(%x: tensor<?x128xbf16>, %b: tensor<3x32x32xbf16>, %init: tensor<?x64xf32>) -> tensor<8x64xf32> {
  // expected-error @+1 {{'pixelfly.block_sparse_matmul' op expected type of operand #2 ('tensor<?x64xf32>') to match type of corresponding result ('tensor<8x64xf32>')}}
  %0 = pixelfly.block_sparse_matmul ins(%x, %b : tensor<?x128xbf16>, tensor<3x32x32xbf16>) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<8x64xf32>
  return %0 : tensor<8x64xf32>
}

// -----

// DestinationStyleOpInterface: memref destinations have no results.
#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @dps_memref_result(%x: memref<?x128xbf16>, %b: memref<3x32x32xbf16>, %init: memref<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.block_sparse_matmul' op expected the number of tensor results (1) to be equal to the number of output tensors (0)}}
  %0 = pixelfly.block_sparse_matmul ins(%x, %b : memref<?x128xbf16>, memref<3x32x32xbf16>) outs(%init : memref<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

//===----------------------------------------------------------------------===//
// block_sparse_matmul
//===----------------------------------------------------------------------===//

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @bsm_x_rank(%x: tensor<2x4x128xbf16>, %b: tensor<3x32x32xbf16>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.block_sparse_matmul' op expected 'x' to have rank 2, got 3}}
  %0 = pixelfly.block_sparse_matmul ins(%x, %b : tensor<2x4x128xbf16>, tensor<3x32x32xbf16>) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @bsm_blocks_rank(%x: tensor<?x128xbf16>, %b: tensor<96x32xbf16>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.block_sparse_matmul' op expected 'blocks' to have rank 3, got 2}}
  %0 = pixelfly.block_sparse_matmul ins(%x, %b : tensor<?x128xbf16>, tensor<96x32xbf16>) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @bsm_init_rank(%x: memref<?x128xbf16>, %b: memref<3x32x32xbf16>, %init: memref<64xf32>) {
  // expected-error @+1 {{'pixelfly.block_sparse_matmul' op expected 'init' to have rank 2, got 1}}
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x128xbf16>, memref<3x32x32xbf16>) outs(%init : memref<64xf32>) layout(#l)
  return
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @bsm_x_element_type(%x: tensor<?x128xf64>, %b: tensor<3x32x32xf64>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.block_sparse_matmul' op expected 'x' to have element type f16, bf16 or f32, got 'f64'}}
  %0 = pixelfly.block_sparse_matmul ins(%x, %b : tensor<?x128xf64>, tensor<3x32x32xf64>) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @bsm_blocks_element_type(%x: tensor<?x128xbf16>, %b: tensor<3x32x32xf16>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.block_sparse_matmul' op expected 'blocks' to have element type 'bf16' like 'x', got 'f16'}}
  %0 = pixelfly.block_sparse_matmul ins(%x, %b : tensor<?x128xbf16>, tensor<3x32x32xf16>) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @bsm_accumulator(%x: tensor<?x128xbf16>, %b: tensor<3x32x32xbf16>, %init: tensor<?x64xf16>) -> tensor<?x64xf16> {
  // expected-error @+1 {{'pixelfly.block_sparse_matmul' op expected 'init' to have element type f32 or 'bf16', got 'f16'}}
  %0 = pixelfly.block_sparse_matmul ins(%x, %b : tensor<?x128xbf16>, tensor<3x32x32xbf16>) outs(%init : tensor<?x64xf16>) layout(#l) -> tensor<?x64xf16>
  return %0 : tensor<?x64xf16>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @bsm_num_blocks(%x: tensor<?x128xbf16>, %b: tensor<4x32x32xbf16>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.block_sparse_matmul' op expected dimension 0 of 'blocks' to be 3 (number of blocks in the layout), got 4}}
  %0 = pixelfly.block_sparse_matmul ins(%x, %b : tensor<?x128xbf16>, tensor<4x32x32xbf16>) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @bsm_block_rows(%x: tensor<?x128xbf16>, %b: tensor<3x16x32xbf16>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.block_sparse_matmul' op expected dimension 1 of 'blocks' to be 32 (block rows of the layout), got 16}}
  %0 = pixelfly.block_sparse_matmul ins(%x, %b : tensor<?x128xbf16>, tensor<3x16x32xbf16>) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @bsm_block_cols(%x: tensor<?x128xbf16>, %b: tensor<3x32x64xbf16>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.block_sparse_matmul' op expected dimension 2 of 'blocks' to be 32 (block columns of the layout), got 64}}
  %0 = pixelfly.block_sparse_matmul ins(%x, %b : tensor<?x128xbf16>, tensor<3x32x64xbf16>) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @bsm_x_cols(%x: tensor<?x64xbf16>, %b: tensor<3x32x32xbf16>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.block_sparse_matmul' op expected dimension 1 of 'x' to be 128 (K, the columns of the layout), got 64}}
  %0 = pixelfly.block_sparse_matmul ins(%x, %b : tensor<?x64xbf16>, tensor<3x32x32xbf16>) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @bsm_init_cols(%x: tensor<?x128xbf16>, %b: tensor<3x32x32xbf16>, %init: tensor<?x128xf32>) -> tensor<?x128xf32> {
  // expected-error @+1 {{'pixelfly.block_sparse_matmul' op expected dimension 1 of 'init' to be 64 (N, the rows of the layout), got 128}}
  %0 = pixelfly.block_sparse_matmul ins(%x, %b : tensor<?x128xbf16>, tensor<3x32x32xbf16>) outs(%init : tensor<?x128xf32>) layout(#l) -> tensor<?x128xf32>
  return %0 : tensor<?x128xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @bsm_rows(%x: tensor<8x128xbf16>, %b: tensor<3x32x32xbf16>, %init: tensor<16x64xf32>) -> tensor<16x64xf32> {
  // expected-error @+1 {{'pixelfly.block_sparse_matmul' op dimension 0 of 'x' (8) does not match dimension 0 of 'init' (16)}}
  %0 = pixelfly.block_sparse_matmul ins(%x, %b : tensor<8x128xbf16>, tensor<3x32x32xbf16>) outs(%init : tensor<16x64xf32>) layout(#l) -> tensor<16x64xf32>
  return %0 : tensor<16x64xf32>
}

//===----------------------------------------------------------------------===//
// block_sparse_input_grad
//===----------------------------------------------------------------------===//

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @ig_dy_rank(%dy: tensor<64xf16>, %b: tensor<3x32x32xf16>, %init: tensor<?x128xf32>) -> tensor<?x128xf32> {
  // expected-error @+1 {{'pixelfly.block_sparse_input_grad' op expected 'dy' to have rank 2, got 1}}
  %0 = pixelfly.block_sparse_input_grad ins(%dy, %b : tensor<64xf16>, tensor<3x32x32xf16>) outs(%init : tensor<?x128xf32>) layout(#l) -> tensor<?x128xf32>
  return %0 : tensor<?x128xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @ig_dy_element_type(%dy: tensor<?x64xi8>, %b: tensor<3x32x32xi8>, %init: tensor<?x128xf32>) -> tensor<?x128xf32> {
  // expected-error @+1 {{'pixelfly.block_sparse_input_grad' op expected 'dy' to have element type f16, bf16 or f32, got 'i8'}}
  %0 = pixelfly.block_sparse_input_grad ins(%dy, %b : tensor<?x64xi8>, tensor<3x32x32xi8>) outs(%init : tensor<?x128xf32>) layout(#l) -> tensor<?x128xf32>
  return %0 : tensor<?x128xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @ig_blocks_element_type(%dy: tensor<?x64xf16>, %b: tensor<3x32x32xf32>, %init: tensor<?x128xf32>) -> tensor<?x128xf32> {
  // expected-error @+1 {{'pixelfly.block_sparse_input_grad' op expected 'blocks' to have element type 'f16' like 'dy', got 'f32'}}
  %0 = pixelfly.block_sparse_input_grad ins(%dy, %b : tensor<?x64xf16>, tensor<3x32x32xf32>) outs(%init : tensor<?x128xf32>) layout(#l) -> tensor<?x128xf32>
  return %0 : tensor<?x128xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @ig_accumulator(%dy: tensor<?x64xf32>, %b: tensor<3x32x32xf32>, %init: tensor<?x128xbf16>) -> tensor<?x128xbf16> {
  // expected-error @+1 {{'pixelfly.block_sparse_input_grad' op expected 'init' to have element type f32 or 'f32', got 'bf16'}}
  %0 = pixelfly.block_sparse_input_grad ins(%dy, %b : tensor<?x64xf32>, tensor<3x32x32xf32>) outs(%init : tensor<?x128xbf16>) layout(#l) -> tensor<?x128xbf16>
  return %0 : tensor<?x128xbf16>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @ig_dy_cols(%dy: tensor<?x128xf16>, %b: tensor<3x32x32xf16>, %init: tensor<?x128xf32>) -> tensor<?x128xf32> {
  // expected-error @+1 {{'pixelfly.block_sparse_input_grad' op expected dimension 1 of 'dy' to be 64 (N, the rows of the layout), got 128}}
  %0 = pixelfly.block_sparse_input_grad ins(%dy, %b : tensor<?x128xf16>, tensor<3x32x32xf16>) outs(%init : tensor<?x128xf32>) layout(#l) -> tensor<?x128xf32>
  return %0 : tensor<?x128xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @ig_init_cols(%dy: memref<?x64xf16>, %b: memref<3x32x32xf16>, %init: memref<?x64xf32>) {
  // expected-error @+1 {{'pixelfly.block_sparse_input_grad' op expected dimension 1 of 'init' to be 128 (K, the columns of the layout), got 64}}
  pixelfly.block_sparse_input_grad ins(%dy, %b : memref<?x64xf16>, memref<3x32x32xf16>) outs(%init : memref<?x64xf32>) layout(#l)
  return
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @ig_rows(%dy: memref<4x64xf16>, %b: memref<3x32x32xf16>, %init: memref<2x128xf32>) {
  // expected-error @+1 {{'pixelfly.block_sparse_input_grad' op dimension 0 of 'dy' (4) does not match dimension 0 of 'init' (2)}}
  pixelfly.block_sparse_input_grad ins(%dy, %b : memref<4x64xf16>, memref<3x32x32xf16>) outs(%init : memref<2x128xf32>) layout(#l)
  return
}

//===----------------------------------------------------------------------===//
// block_sparse_weight_grad
//===----------------------------------------------------------------------===//

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @wg_x_rank(%dy: tensor<?x64xbf16>, %x: tensor<128xbf16>, %init: tensor<3x32x32xf32>) -> tensor<3x32x32xf32> {
  // expected-error @+1 {{'pixelfly.block_sparse_weight_grad' op expected 'x' to have rank 2, got 1}}
  %0 = pixelfly.block_sparse_weight_grad ins(%dy, %x : tensor<?x64xbf16>, tensor<128xbf16>) outs(%init : tensor<3x32x32xf32>) layout(#l) -> tensor<3x32x32xf32>
  return %0 : tensor<3x32x32xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @wg_init_rank(%dy: tensor<?x64xbf16>, %x: tensor<?x128xbf16>, %init: tensor<64x128xf32>) -> tensor<64x128xf32> {
  // expected-error @+1 {{'pixelfly.block_sparse_weight_grad' op expected 'init' to have rank 3, got 2}}
  %0 = pixelfly.block_sparse_weight_grad ins(%dy, %x : tensor<?x64xbf16>, tensor<?x128xbf16>) outs(%init : tensor<64x128xf32>) layout(#l) -> tensor<64x128xf32>
  return %0 : tensor<64x128xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @wg_x_element_type(%dy: tensor<?x64xbf16>, %x: tensor<?x128xf32>, %init: tensor<3x32x32xf32>) -> tensor<3x32x32xf32> {
  // expected-error @+1 {{'pixelfly.block_sparse_weight_grad' op expected 'x' to have element type 'bf16' like 'dy', got 'f32'}}
  %0 = pixelfly.block_sparse_weight_grad ins(%dy, %x : tensor<?x64xbf16>, tensor<?x128xf32>) outs(%init : tensor<3x32x32xf32>) layout(#l) -> tensor<3x32x32xf32>
  return %0 : tensor<3x32x32xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @wg_accumulator(%dy: tensor<?x64xf16>, %x: tensor<?x128xf16>, %init: tensor<3x32x32xf64>) -> tensor<3x32x32xf64> {
  // expected-error @+1 {{'pixelfly.block_sparse_weight_grad' op expected 'init' to have element type f32 or 'f16', got 'f64'}}
  %0 = pixelfly.block_sparse_weight_grad ins(%dy, %x : tensor<?x64xf16>, tensor<?x128xf16>) outs(%init : tensor<3x32x32xf64>) layout(#l) -> tensor<3x32x32xf64>
  return %0 : tensor<3x32x32xf64>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @wg_num_blocks(%dy: tensor<?x64xbf16>, %x: tensor<?x128xbf16>, %init: tensor<2x32x32xf32>) -> tensor<2x32x32xf32> {
  // expected-error @+1 {{'pixelfly.block_sparse_weight_grad' op expected dimension 0 of 'init' to be 3 (number of blocks in the layout), got 2}}
  %0 = pixelfly.block_sparse_weight_grad ins(%dy, %x : tensor<?x64xbf16>, tensor<?x128xbf16>) outs(%init : tensor<2x32x32xf32>) layout(#l) -> tensor<2x32x32xf32>
  return %0 : tensor<2x32x32xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @wg_block_rows(%dy: tensor<?x64xbf16>, %x: tensor<?x128xbf16>, %init: tensor<3x8x32xf32>) -> tensor<3x8x32xf32> {
  // expected-error @+1 {{'pixelfly.block_sparse_weight_grad' op expected dimension 1 of 'init' to be 32 (block rows of the layout), got 8}}
  %0 = pixelfly.block_sparse_weight_grad ins(%dy, %x : tensor<?x64xbf16>, tensor<?x128xbf16>) outs(%init : tensor<3x8x32xf32>) layout(#l) -> tensor<3x8x32xf32>
  return %0 : tensor<3x8x32xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @wg_block_cols(%dy: tensor<?x64xbf16>, %x: tensor<?x128xbf16>, %init: tensor<3x32x8xf32>) -> tensor<3x32x8xf32> {
  // expected-error @+1 {{'pixelfly.block_sparse_weight_grad' op expected dimension 2 of 'init' to be 32 (block columns of the layout), got 8}}
  %0 = pixelfly.block_sparse_weight_grad ins(%dy, %x : tensor<?x64xbf16>, tensor<?x128xbf16>) outs(%init : tensor<3x32x8xf32>) layout(#l) -> tensor<3x32x8xf32>
  return %0 : tensor<3x32x8xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @wg_dy_cols(%dy: tensor<?x32xbf16>, %x: tensor<?x128xbf16>, %init: tensor<3x32x32xf32>) -> tensor<3x32x32xf32> {
  // expected-error @+1 {{'pixelfly.block_sparse_weight_grad' op expected dimension 1 of 'dy' to be 64 (N, the rows of the layout), got 32}}
  %0 = pixelfly.block_sparse_weight_grad ins(%dy, %x : tensor<?x32xbf16>, tensor<?x128xbf16>) outs(%init : tensor<3x32x32xf32>) layout(#l) -> tensor<3x32x32xf32>
  return %0 : tensor<3x32x32xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @wg_x_cols(%dy: tensor<?x64xbf16>, %x: tensor<?x256xbf16>, %init: tensor<3x32x32xf32>) -> tensor<3x32x32xf32> {
  // expected-error @+1 {{'pixelfly.block_sparse_weight_grad' op expected dimension 1 of 'x' to be 128 (K, the columns of the layout), got 256}}
  %0 = pixelfly.block_sparse_weight_grad ins(%dy, %x : tensor<?x64xbf16>, tensor<?x256xbf16>) outs(%init : tensor<3x32x32xf32>) layout(#l) -> tensor<3x32x32xf32>
  return %0 : tensor<3x32x32xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @wg_rows(%dy: tensor<16x64xbf16>, %x: tensor<32x128xbf16>, %init: tensor<3x32x32xf32>) -> tensor<3x32x32xf32> {
  // expected-error @+1 {{'pixelfly.block_sparse_weight_grad' op dimension 0 of 'dy' (16) does not match dimension 0 of 'x' (32)}}
  %0 = pixelfly.block_sparse_weight_grad ins(%dy, %x : tensor<16x64xbf16>, tensor<32x128xbf16>) outs(%init : tensor<3x32x32xf32>) layout(#l) -> tensor<3x32x32xf32>
  return %0 : tensor<3x32x32xf32>
}

//===----------------------------------------------------------------------===//
// low_rank_matmul
//===----------------------------------------------------------------------===//

// -----

func.func @lr_u_rank(%x: tensor<?x128xf16>, %u: tensor<64x16x1xf16>, %v: tensor<128x16xf16>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.low_rank_matmul' op expected 'u' to have rank 2, got 3}}
  %0 = pixelfly.low_rank_matmul ins(%x, %u, %v : tensor<?x128xf16>, tensor<64x16x1xf16>, tensor<128x16xf16>) outs(%init : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

func.func @lr_v_rank(%x: tensor<?x128xf16>, %u: tensor<64x16xf16>, %v: tensor<128xf16>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.low_rank_matmul' op expected 'v' to have rank 2, got 1}}
  %0 = pixelfly.low_rank_matmul ins(%x, %u, %v : tensor<?x128xf16>, tensor<64x16xf16>, tensor<128xf16>) outs(%init : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

func.func @lr_u_element_type(%x: tensor<?x128xf16>, %u: tensor<64x16xbf16>, %v: tensor<128x16xf16>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.low_rank_matmul' op expected 'u' to have element type 'f16' like 'x', got 'bf16'}}
  %0 = pixelfly.low_rank_matmul ins(%x, %u, %v : tensor<?x128xf16>, tensor<64x16xbf16>, tensor<128x16xf16>) outs(%init : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

func.func @lr_v_element_type(%x: tensor<?x128xf16>, %u: tensor<64x16xf16>, %v: tensor<128x16xf32>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.low_rank_matmul' op expected 'v' to have element type 'f16' like 'x', got 'f32'}}
  %0 = pixelfly.low_rank_matmul ins(%x, %u, %v : tensor<?x128xf16>, tensor<64x16xf16>, tensor<128x16xf32>) outs(%init : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

func.func @lr_accumulator(%x: tensor<?x128xf16>, %u: tensor<64x16xf16>, %v: tensor<128x16xf16>, %init: tensor<?x64xi32>) -> tensor<?x64xi32> {
  // expected-error @+1 {{'pixelfly.low_rank_matmul' op expected 'init' to have element type f32 or 'f16', got 'i32'}}
  %0 = pixelfly.low_rank_matmul ins(%x, %u, %v : tensor<?x128xf16>, tensor<64x16xf16>, tensor<128x16xf16>) outs(%init : tensor<?x64xi32>) -> tensor<?x64xi32>
  return %0 : tensor<?x64xi32>
}

// -----

func.func @lr_rank_mismatch(%x: tensor<?x128xf16>, %u: tensor<64x16xf16>, %v: tensor<128x32xf16>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.low_rank_matmul' op dimension 1 of 'u' (16) does not match dimension 1 of 'v' (32)}}
  %0 = pixelfly.low_rank_matmul ins(%x, %u, %v : tensor<?x128xf16>, tensor<64x16xf16>, tensor<128x32xf16>) outs(%init : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

func.func @lr_k_mismatch(%x: memref<?x128xf16>, %u: memref<64x16xf16>, %v: memref<96x16xf16>, %init: memref<?x64xf32>) {
  // expected-error @+1 {{'pixelfly.low_rank_matmul' op dimension 0 of 'v' (96) does not match dimension 1 of 'x' (128)}}
  pixelfly.low_rank_matmul ins(%x, %u, %v : memref<?x128xf16>, memref<64x16xf16>, memref<96x16xf16>) outs(%init : memref<?x64xf32>)
  return
}

// -----

func.func @lr_n_mismatch(%x: tensor<?x128xf16>, %u: tensor<32x16xf16>, %v: tensor<128x16xf16>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.low_rank_matmul' op dimension 0 of 'u' (32) does not match dimension 1 of 'init' (64)}}
  %0 = pixelfly.low_rank_matmul ins(%x, %u, %v : tensor<?x128xf16>, tensor<32x16xf16>, tensor<128x16xf16>) outs(%init : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

func.func @lr_m_mismatch(%x: tensor<8x128xf16>, %u: tensor<64x16xf16>, %v: tensor<128x16xf16>, %init: tensor<4x64xf32>) -> tensor<4x64xf32> {
  // expected-error @+1 {{'pixelfly.low_rank_matmul' op dimension 0 of 'x' (8) does not match dimension 0 of 'init' (4)}}
  %0 = pixelfly.low_rank_matmul ins(%x, %u, %v : tensor<8x128xf16>, tensor<64x16xf16>, tensor<128x16xf16>) outs(%init : tensor<4x64xf32>) -> tensor<4x64xf32>
  return %0 : tensor<4x64xf32>
}

//===----------------------------------------------------------------------===//
// linear
//===----------------------------------------------------------------------===//

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @linear_blocks_rank(%x: tensor<?x128xbf16>, %b: tensor<3x1024xbf16>, %u: tensor<64x16xbf16>, %v: tensor<128x16xbf16>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.linear' op expected 'blocks' to have rank 3, got 2}}
  %0 = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x128xbf16>, tensor<3x1024xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>) gamma(0.5) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @linear_u_element_type(%x: tensor<?x128xbf16>, %b: tensor<3x32x32xbf16>, %u: tensor<64x16xf32>, %v: tensor<128x16xbf16>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.linear' op expected 'u' to have element type 'bf16' like 'x', got 'f32'}}
  %0 = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xf32>, tensor<128x16xbf16>) gamma(0.5) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @linear_n_mismatch(%x: tensor<?x128xbf16>, %b: tensor<3x32x32xbf16>, %u: tensor<32x16xbf16>, %v: tensor<128x16xbf16>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.linear' op dimension 0 of 'u' (32) does not match dimension 1 of 'init' (64)}}
  %0 = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<32x16xbf16>, tensor<128x16xbf16>) gamma(0.5) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @linear_accumulator(%x: tensor<?x128xbf16>, %b: tensor<3x32x32xbf16>, %u: tensor<64x16xbf16>, %v: tensor<128x16xbf16>, %init: tensor<?x64xf16>) -> tensor<?x64xf16> {
  // expected-error @+1 {{'pixelfly.linear' op expected 'init' to have element type f32 or 'bf16', got 'f16'}}
  %0 = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>) gamma(0.5) outs(%init : tensor<?x64xf16>) layout(#l) -> tensor<?x64xf16>
  return %0 : tensor<?x64xf16>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @linear_num_blocks(%x: tensor<?x128xbf16>, %b: tensor<2x32x32xbf16>, %u: tensor<64x16xbf16>, %v: tensor<128x16xbf16>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.linear' op expected dimension 0 of 'blocks' to be 3 (number of blocks in the layout), got 2}}
  %0 = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x128xbf16>, tensor<2x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>) gamma(0.5) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @linear_x_cols(%x: tensor<?x64xbf16>, %b: tensor<3x32x32xbf16>, %u: tensor<64x16xbf16>, %v: tensor<64x16xbf16>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.linear' op expected dimension 1 of 'x' to be 128 (K, the columns of the layout), got 64}}
  %0 = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x64xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<64x16xbf16>) gamma(0.5) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @linear_init_cols(%x: tensor<?x128xbf16>, %b: tensor<3x32x32xbf16>, %u: tensor<32x16xbf16>, %v: tensor<128x16xbf16>, %init: tensor<?x32xf32>) -> tensor<?x32xf32> {
  // expected-error @+1 {{'pixelfly.linear' op expected dimension 1 of 'init' to be 64 (N, the rows of the layout), got 32}}
  %0 = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<32x16xbf16>, tensor<128x16xbf16>) gamma(0.5) outs(%init : tensor<?x32xf32>) layout(#l) -> tensor<?x32xf32>
  return %0 : tensor<?x32xf32>
}

// -----

// The generic form can carry both kinds of gamma.
#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @linear_gamma_both(%x: tensor<?x128xbf16>, %b: tensor<3x32x32xbf16>, %u: tensor<64x16xbf16>, %v: tensor<128x16xbf16>, %g: f32, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.linear' op expected either a gamma operand or a constant gamma, not both}}
  %0 = "pixelfly.linear"(%x, %b, %u, %v, %g, %init) <{gamma_const = 5.000000e-01 : f64, layout = #l, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 1, 1>}> : (tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>, f32, tensor<?x64xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @linear_gamma_neither(%x: tensor<?x128xbf16>, %b: tensor<3x32x32xbf16>, %u: tensor<64x16xbf16>, %v: tensor<128x16xbf16>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.linear' op expected a gamma operand or a constant gamma}}
  %0 = "pixelfly.linear"(%x, %b, %u, %v, %init) <{layout = #l, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0, 1>}> : (tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>, tensor<?x64xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @linear_gamma_not_finite(%x: tensor<?x128xbf16>, %b: tensor<3x32x32xbf16>, %u: tensor<64x16xbf16>, %v: tensor<128x16xbf16>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.linear' op expected a finite constant gamma, got INF}}
  %0 = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>) gamma(0x7FF0000000000000) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @linear_gamma_type(%x: tensor<?x128xbf16>, %b: tensor<3x32x32xbf16>, %u: tensor<64x16xbf16>, %v: tensor<128x16xbf16>, %g: tensor<?xi32>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.linear' op expected gamma to be a float scalar or a 1-D tensor/memref of floats, got 'tensor<?xi32>'}}
  %0 = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>) gamma(%g : tensor<?xi32>) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @linear_gamma_vector(%x: tensor<?x128xbf16>, %b: tensor<3x32x32xbf16>, %u: tensor<64x16xbf16>, %v: tensor<128x16xbf16>, %g: vector<8xf32>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.linear' op expected gamma to be a float scalar or a 1-D tensor/memref of floats, got 'vector<8xf32>'}}
  %0 = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>) gamma(%g : vector<8xf32>) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @linear_gamma_rank(%x: memref<8x128xbf16>, %b: memref<3x32x32xbf16>, %u: memref<64x16xbf16>, %v: memref<128x16xbf16>, %g: memref<8x1xf32>, %init: memref<8x64xf32>) {
  // expected-error @+1 {{'pixelfly.linear' op expected a per-row gamma of rank 1 (one value per row of 'x'), got rank 2}}
  pixelfly.linear ins(%x, %b, %u, %v : memref<8x128xbf16>, memref<3x32x32xbf16>, memref<64x16xbf16>, memref<128x16xbf16>) gamma(%g : memref<8x1xf32>) outs(%init : memref<8x64xf32>) layout(#l)
  return
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @linear_gamma_size(%x: tensor<8x128xbf16>, %b: tensor<3x32x32xbf16>, %u: tensor<64x16xbf16>, %v: tensor<128x16xbf16>, %g: tensor<16xf32>, %init: tensor<8x64xf32>) -> tensor<8x64xf32> {
  // expected-error @+1 {{'pixelfly.linear' op dimension 0 of 'gamma' (16) does not match dimension 0 of 'x' (8)}}
  %0 = pixelfly.linear ins(%x, %b, %u, %v : tensor<8x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>) gamma(%g : tensor<16xf32>) outs(%init : tensor<8x64xf32>) layout(#l) -> tensor<8x64xf32>
  return %0 : tensor<8x64xf32>
}

//===----------------------------------------------------------------------===//
// two_four_matmul
//===----------------------------------------------------------------------===//

// -----

func.func @tf_metadata_rank(%x: tensor<?x64xf16>, %v: tensor<32x32xf16>, %m: tensor<128xi16>, %init: tensor<?x32xf32>) -> tensor<?x32xf32> {
  // expected-error @+1 {{'pixelfly.two_four_matmul' op expected 'metadata' to have rank 2, got 1}}
  %0 = pixelfly.two_four_matmul ins(%x, %v, %m : tensor<?x64xf16>, tensor<32x32xf16>, tensor<128xi16>) outs(%init : tensor<?x32xf32>) -> tensor<?x32xf32>
  return %0 : tensor<?x32xf32>
}

// -----

func.func @tf_values_element_type(%x: tensor<?x64xf16>, %v: tensor<32x32xbf16>, %m: tensor<32x4xi16>, %init: tensor<?x32xf32>) -> tensor<?x32xf32> {
  // expected-error @+1 {{'pixelfly.two_four_matmul' op expected 'values' to have element type 'f16' like 'x', got 'bf16'}}
  %0 = pixelfly.two_four_matmul ins(%x, %v, %m : tensor<?x64xf16>, tensor<32x32xbf16>, tensor<32x4xi16>) outs(%init : tensor<?x32xf32>) -> tensor<?x32xf32>
  return %0 : tensor<?x32xf32>
}

// -----

func.func @tf_metadata_element_type(%x: tensor<?x64xf16>, %v: tensor<32x32xf16>, %m: tensor<32x4xi32>, %init: tensor<?x32xf32>) -> tensor<?x32xf32> {
  // expected-error @+1 {{'pixelfly.two_four_matmul' op expected 'metadata' to have element type i16, got 'i32'}}
  %0 = pixelfly.two_four_matmul ins(%x, %v, %m : tensor<?x64xf16>, tensor<32x32xf16>, tensor<32x4xi32>) outs(%init : tensor<?x32xf32>) -> tensor<?x32xf32>
  return %0 : tensor<?x32xf32>
}

// -----

func.func @tf_k_multiple_of_16(%x: tensor<?x40xf16>, %v: tensor<32x20xf16>, %m: tensor<32x2xi16>, %init: tensor<?x32xf32>) -> tensor<?x32xf32> {
  // expected-error @+1 {{'pixelfly.two_four_matmul' op expected the reduction size of the weight (40) to be a multiple of 16 for 2:4 sparsity}}
  %0 = pixelfly.two_four_matmul ins(%x, %v, %m : tensor<?x40xf16>, tensor<32x20xf16>, tensor<32x2xi16>) outs(%init : tensor<?x32xf32>) -> tensor<?x32xf32>
  return %0 : tensor<?x32xf32>
}

// -----

// With a dynamic K in 'x', K comes from 'values'.
func.func @tf_k_from_values(%x: tensor<?x?xf16>, %v: tensor<32x12xf16>, %m: tensor<32x2xi16>, %init: tensor<?x32xf32>) -> tensor<?x32xf32> {
  // expected-error @+1 {{'pixelfly.two_four_matmul' op expected the reduction size of the weight (24) to be a multiple of 16 for 2:4 sparsity}}
  %0 = pixelfly.two_four_matmul ins(%x, %v, %m : tensor<?x?xf16>, tensor<32x12xf16>, tensor<32x2xi16>) outs(%init : tensor<?x32xf32>) -> tensor<?x32xf32>
  return %0 : tensor<?x32xf32>
}

// -----

func.func @tf_values_rows(%x: tensor<?x64xf16>, %v: tensor<16x32xf16>, %m: tensor<32x4xi16>, %init: tensor<?x32xf32>) -> tensor<?x32xf32> {
  // expected-error @+1 {{'pixelfly.two_four_matmul' op expected dimension 0 of 'values' to be 32 (rows of the weight), got 16}}
  %0 = pixelfly.two_four_matmul ins(%x, %v, %m : tensor<?x64xf16>, tensor<16x32xf16>, tensor<32x4xi16>) outs(%init : tensor<?x32xf32>) -> tensor<?x32xf32>
  return %0 : tensor<?x32xf32>
}

// -----

func.func @tf_values_cols(%x: tensor<?x64xf16>, %v: tensor<32x64xf16>, %m: tensor<32x4xi16>, %init: tensor<?x32xf32>) -> tensor<?x32xf32> {
  // expected-error @+1 {{'pixelfly.two_four_matmul' op expected dimension 1 of 'values' to be 32 (half the reduction size of the weight), got 64}}
  %0 = pixelfly.two_four_matmul ins(%x, %v, %m : tensor<?x64xf16>, tensor<32x64xf16>, tensor<32x4xi16>) outs(%init : tensor<?x32xf32>) -> tensor<?x32xf32>
  return %0 : tensor<?x32xf32>
}

// -----

func.func @tf_metadata_rows(%x: memref<?x64xf16>, %v: memref<32x32xf16>, %m: memref<64x4xi16>, %init: memref<?x32xf32>) {
  // expected-error @+1 {{'pixelfly.two_four_matmul' op expected dimension 0 of 'metadata' to be 32 (rows of the weight), got 64}}
  pixelfly.two_four_matmul ins(%x, %v, %m : memref<?x64xf16>, memref<32x32xf16>, memref<64x4xi16>) outs(%init : memref<?x32xf32>)
  return
}

// -----

func.func @tf_metadata_cols(%x: tensor<?x64xf16>, %v: tensor<32x32xf16>, %m: tensor<32x8xi16>, %init: tensor<?x32xf32>) -> tensor<?x32xf32> {
  // expected-error @+1 {{'pixelfly.two_four_matmul' op expected dimension 1 of 'metadata' to be 4 (one i16 per 16 columns of the weight), got 8}}
  %0 = pixelfly.two_four_matmul ins(%x, %v, %m : tensor<?x64xf16>, tensor<32x32xf16>, tensor<32x8xi16>) outs(%init : tensor<?x32xf32>) -> tensor<?x32xf32>
  return %0 : tensor<?x32xf32>
}

// -----

func.func @tf_rows(%x: tensor<8x64xf16>, %v: tensor<32x32xf16>, %m: tensor<32x4xi16>, %init: tensor<16x32xf16>) -> tensor<16x32xf16> {
  // expected-error @+1 {{'pixelfly.two_four_matmul' op dimension 0 of 'x' (8) does not match dimension 0 of 'init' (16)}}
  %0 = pixelfly.two_four_matmul ins(%x, %v, %m : tensor<8x64xf16>, tensor<32x32xf16>, tensor<32x4xi16>) outs(%init : tensor<16x32xf16>) -> tensor<16x32xf16>
  return %0 : tensor<16x32xf16>
}

//===----------------------------------------------------------------------===//
// prune_2_4
//===----------------------------------------------------------------------===//

// -----

func.func @prune_outs_count(%w: tensor<32x64xf16>, %v: tensor<32x32xf16>, %m: tensor<32x4xi16>) -> (tensor<32x32xf16>, tensor<32x4xi16>, tensor<32x4xi16>) {
  // expected-error @+1 {{'pixelfly.prune_2_4' op expected 2 outs operands (values, metadata), or 4 with 'transposable' (and those of the transpose), got 3}}
  %0:3 = pixelfly.prune_2_4 ins(%w : tensor<32x64xf16>) outs(%v, %m, %m : tensor<32x32xf16>, tensor<32x4xi16>, tensor<32x4xi16>) -> tensor<32x32xf16>, tensor<32x4xi16>, tensor<32x4xi16>
  return %0#0, %0#1, %0#2 : tensor<32x32xf16>, tensor<32x4xi16>, tensor<32x4xi16>
}

// -----

func.func @prune_four_outs_not_transposable(%w: memref<32x64xf16>, %v: memref<32x32xf16>, %m: memref<32x4xi16>, %vt: memref<64x16xf16>, %mt: memref<64x2xi16>) {
  // expected-error @+1 {{'pixelfly.prune_2_4' op expected 'transposable' to produce the compressed transpose (4 outs operands)}}
  pixelfly.prune_2_4 ins(%w : memref<32x64xf16>) outs(%v, %m, %vt, %mt : memref<32x32xf16>, memref<32x4xi16>, memref<64x16xf16>, memref<64x2xi16>)
  return
}

// -----

func.func @prune_input_rank(%w: tensor<2048xf16>, %v: tensor<32x32xf16>, %m: tensor<32x4xi16>) -> (tensor<32x32xf16>, tensor<32x4xi16>) {
  // expected-error @+1 {{'pixelfly.prune_2_4' op expected 'input' to have rank 2, got 1}}
  %0:2 = pixelfly.prune_2_4 ins(%w : tensor<2048xf16>) outs(%v, %m : tensor<32x32xf16>, tensor<32x4xi16>) -> tensor<32x32xf16>, tensor<32x4xi16>
  return %0#0, %0#1 : tensor<32x32xf16>, tensor<32x4xi16>
}

// -----

func.func @prune_input_element_type(%w: tensor<32x64xi8>, %v: tensor<32x32xi8>, %m: tensor<32x4xi16>) -> (tensor<32x32xi8>, tensor<32x4xi16>) {
  // expected-error @+1 {{'pixelfly.prune_2_4' op expected 'input' to have element type f16, bf16 or f32, got 'i8'}}
  %0:2 = pixelfly.prune_2_4 ins(%w : tensor<32x64xi8>) outs(%v, %m : tensor<32x32xi8>, tensor<32x4xi16>) -> tensor<32x32xi8>, tensor<32x4xi16>
  return %0#0, %0#1 : tensor<32x32xi8>, tensor<32x4xi16>
}

// -----

func.func @prune_values_element_type(%w: tensor<32x64xf32>, %v: tensor<32x32xf16>, %m: tensor<32x4xi16>) -> (tensor<32x32xf16>, tensor<32x4xi16>) {
  // expected-error @+1 {{'pixelfly.prune_2_4' op expected 'values' to have element type 'f32' like 'input', got 'f16'}}
  %0:2 = pixelfly.prune_2_4 ins(%w : tensor<32x64xf32>) outs(%v, %m : tensor<32x32xf16>, tensor<32x4xi16>) -> tensor<32x32xf16>, tensor<32x4xi16>
  return %0#0, %0#1 : tensor<32x32xf16>, tensor<32x4xi16>
}

// -----

// With a dynamic K, the compressed operands must still agree with each other.
func.func @prune_values_metadata_columns(%w: tensor<32x?xf16>, %v: tensor<32x32xf16>, %m: tensor<32x2xi16>) -> (tensor<32x32xf16>, tensor<32x2xi16>) {
  // expected-error @+1 {{'pixelfly.prune_2_4' op expected 'values' to have 8 columns per column of 'metadata', got 32 and 2}}
  %0:2 = pixelfly.prune_2_4 ins(%w : tensor<32x?xf16>) outs(%v, %m : tensor<32x32xf16>, tensor<32x2xi16>) -> tensor<32x32xf16>, tensor<32x2xi16>
  return %0#0, %0#1 : tensor<32x32xf16>, tensor<32x2xi16>
}

// -----

func.func @prune_transposable_rows(%w: tensor<6x32xf16>, %v: tensor<6x16xf16>, %m: tensor<6x2xi16>) -> (tensor<6x16xf16>, tensor<6x2xi16>) {
  // expected-error @+1 {{'pixelfly.prune_2_4' op expected the rows of a transposable weight (6) to be a multiple of 4}}
  %0:2 = pixelfly.prune_2_4 transposable ins(%w : tensor<6x32xf16>) outs(%v, %m : tensor<6x16xf16>, tensor<6x2xi16>) -> tensor<6x16xf16>, tensor<6x2xi16>
  return %0#0, %0#1 : tensor<6x16xf16>, tensor<6x2xi16>
}

// -----

// The transpose is 2:4 along N, so N must be a multiple of 16 too.
func.func @prune_transposed_k_multiple_of_16(%w: memref<8x32xf16>, %v: memref<8x16xf16>, %m: memref<8x2xi16>, %vt: memref<32x4xf16>, %mt: memref<32x1xi16>) {
  // expected-error @+1 {{'pixelfly.prune_2_4' op expected the reduction size of the transposed weight (8) to be a multiple of 16 for 2:4 sparsity}}
  pixelfly.prune_2_4 transposable ins(%w : memref<8x32xf16>) outs(%v, %m, %vt, %mt : memref<8x16xf16>, memref<8x2xi16>, memref<32x4xf16>, memref<32x1xi16>)
  return
}

// -----

func.func @prune_transposed_values_rank(%w: memref<32x64xf16>, %v: memref<32x32xf16>, %m: memref<32x4xi16>, %vt: memref<1024xf16>, %mt: memref<64x2xi16>) {
  // expected-error @+1 {{'pixelfly.prune_2_4' op expected 'transposed values' to have rank 2, got 1}}
  pixelfly.prune_2_4 transposable ins(%w : memref<32x64xf16>) outs(%v, %m, %vt, %mt : memref<32x32xf16>, memref<32x4xi16>, memref<1024xf16>, memref<64x2xi16>)
  return
}

// -----

func.func @prune_transposed_metadata_rank(%w: memref<32x64xf16>, %v: memref<32x32xf16>, %m: memref<32x4xi16>, %vt: memref<64x16xf16>, %mt: memref<64x2x1xi16>) {
  // expected-error @+1 {{'pixelfly.prune_2_4' op expected 'transposed metadata' to have rank 2, got 3}}
  pixelfly.prune_2_4 transposable ins(%w : memref<32x64xf16>) outs(%v, %m, %vt, %mt : memref<32x32xf16>, memref<32x4xi16>, memref<64x16xf16>, memref<64x2x1xi16>)
  return
}

// -----

func.func @prune_transposed_values_element_type(%w: memref<32x64xf16>, %v: memref<32x32xf16>, %m: memref<32x4xi16>, %vt: memref<64x16xbf16>, %mt: memref<64x2xi16>) {
  // expected-error @+1 {{'pixelfly.prune_2_4' op expected 'transposed values' to have element type 'f16' like 'input', got 'bf16'}}
  pixelfly.prune_2_4 transposable ins(%w : memref<32x64xf16>) outs(%v, %m, %vt, %mt : memref<32x32xf16>, memref<32x4xi16>, memref<64x16xbf16>, memref<64x2xi16>)
  return
}

// -----

func.func @prune_transposed_metadata_element_type(%w: memref<32x64xf16>, %v: memref<32x32xf16>, %m: memref<32x4xi16>, %vt: memref<64x16xf16>, %mt: memref<64x2xi8>) {
  // expected-error @+1 {{'pixelfly.prune_2_4' op expected 'transposed metadata' to have element type i16, got 'i8'}}
  pixelfly.prune_2_4 transposable ins(%w : memref<32x64xf16>) outs(%v, %m, %vt, %mt : memref<32x32xf16>, memref<32x4xi16>, memref<64x16xf16>, memref<64x2xi8>)
  return
}

// -----

func.func @prune_transposed_values_rows(%w: tensor<32x64xf16>, %v: tensor<32x32xf16>, %m: tensor<32x4xi16>, %vt: tensor<32x16xf16>, %mt: tensor<64x2xi16>) -> tensor<32x16xf16> {
  // expected-error @+1 {{'pixelfly.prune_2_4' op expected dimension 0 of 'transposed values' to be 64 (rows of the transposed weight), got 32}}
  %0:4 = pixelfly.prune_2_4 transposable ins(%w : tensor<32x64xf16>) outs(%v, %m, %vt, %mt : tensor<32x32xf16>, tensor<32x4xi16>, tensor<32x16xf16>, tensor<64x2xi16>) -> tensor<32x32xf16>, tensor<32x4xi16>, tensor<32x16xf16>, tensor<64x2xi16>
  return %0#2 : tensor<32x16xf16>
}

// -----

func.func @prune_transposed_values_cols(%w: tensor<32x64xf16>, %v: tensor<32x32xf16>, %m: tensor<32x4xi16>, %vt: tensor<64x32xf16>, %mt: tensor<64x2xi16>) -> tensor<64x32xf16> {
  // expected-error @+1 {{'pixelfly.prune_2_4' op expected dimension 1 of 'transposed values' to be 16 (half the reduction size of the transposed weight), got 32}}
  %0:4 = pixelfly.prune_2_4 transposable ins(%w : tensor<32x64xf16>) outs(%v, %m, %vt, %mt : tensor<32x32xf16>, tensor<32x4xi16>, tensor<64x32xf16>, tensor<64x2xi16>) -> tensor<32x32xf16>, tensor<32x4xi16>, tensor<64x32xf16>, tensor<64x2xi16>
  return %0#2 : tensor<64x32xf16>
}

// -----

func.func @prune_transposed_metadata_rows(%w: tensor<32x64xf16>, %v: tensor<32x32xf16>, %m: tensor<32x4xi16>, %vt: tensor<64x16xf16>, %mt: tensor<32x2xi16>) -> tensor<32x2xi16> {
  // expected-error @+1 {{'pixelfly.prune_2_4' op expected dimension 0 of 'transposed metadata' to be 64 (rows of the transposed weight), got 32}}
  %0:4 = pixelfly.prune_2_4 transposable ins(%w : tensor<32x64xf16>) outs(%v, %m, %vt, %mt : tensor<32x32xf16>, tensor<32x4xi16>, tensor<64x16xf16>, tensor<32x2xi16>) -> tensor<32x32xf16>, tensor<32x4xi16>, tensor<64x16xf16>, tensor<32x2xi16>
  return %0#3 : tensor<32x2xi16>
}

// -----

func.func @prune_transposed_metadata_cols(%w: tensor<32x64xf16>, %v: tensor<32x32xf16>, %m: tensor<32x4xi16>, %vt: tensor<64x16xf16>, %mt: tensor<64x4xi16>) -> tensor<64x4xi16> {
  // expected-error @+1 {{'pixelfly.prune_2_4' op expected dimension 1 of 'transposed metadata' to be 2 (one i16 per 16 columns of the transposed weight), got 4}}
  %0:4 = pixelfly.prune_2_4 transposable ins(%w : tensor<32x64xf16>) outs(%v, %m, %vt, %mt : tensor<32x32xf16>, tensor<32x4xi16>, tensor<64x16xf16>, tensor<64x4xi16>) -> tensor<32x32xf16>, tensor<32x4xi16>, tensor<64x16xf16>, tensor<64x4xi16>
  return %0#3 : tensor<64x4xi16>
}

// -----

// With a dynamic N, the compressed transpose must still agree with itself.
func.func @prune_transposed_values_metadata_columns(%w: tensor<?x64xf16>, %v: tensor<?x32xf16>, %m: tensor<?x4xi16>, %vt: tensor<64x16xf16>, %mt: tensor<64x4xi16>) -> tensor<64x4xi16> {
  // expected-error @+1 {{'pixelfly.prune_2_4' op expected 'transposed values' to have 8 columns per column of 'transposed metadata', got 16 and 4}}
  %0:4 = pixelfly.prune_2_4 transposable ins(%w : tensor<?x64xf16>) outs(%v, %m, %vt, %mt : tensor<?x32xf16>, tensor<?x4xi16>, tensor<64x16xf16>, tensor<64x4xi16>) -> tensor<?x32xf16>, tensor<?x4xi16>, tensor<64x16xf16>, tensor<64x4xi16>
  return %0#3 : tensor<64x4xi16>
}

//===----------------------------------------------------------------------===//
// densify
//===----------------------------------------------------------------------===//

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @densify_init_rank(%b: tensor<3x32x32xf16>, %init: tensor<8192xf16>) -> tensor<8192xf16> {
  // expected-error @+1 {{'pixelfly.densify' op expected 'init' to have rank 2, got 1}}
  %0 = pixelfly.densify ins(%b : tensor<3x32x32xf16>) outs(%init : tensor<8192xf16>) layout(#l) -> tensor<8192xf16>
  return %0 : tensor<8192xf16>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @densify_blocks_element_type(%b: tensor<3x32x32xi16>, %init: tensor<64x128xi16>) -> tensor<64x128xi16> {
  // expected-error @+1 {{'pixelfly.densify' op expected 'blocks' to have element type f16, bf16 or f32, got 'i16'}}
  %0 = pixelfly.densify ins(%b : tensor<3x32x32xi16>) outs(%init : tensor<64x128xi16>) layout(#l) -> tensor<64x128xi16>
  return %0 : tensor<64x128xi16>
}

// -----

// densify does not accumulate: 'init' has the element type of the blocks.
#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @densify_init_element_type(%b: tensor<3x32x32xf16>, %init: tensor<64x128xf32>) -> tensor<64x128xf32> {
  // expected-error @+1 {{'pixelfly.densify' op expected 'init' to have element type 'f16' like 'blocks', got 'f32'}}
  %0 = pixelfly.densify ins(%b : tensor<3x32x32xf16>) outs(%init : tensor<64x128xf32>) layout(#l) -> tensor<64x128xf32>
  return %0 : tensor<64x128xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @densify_init_rows(%b: memref<3x32x32xf16>, %init: memref<128x128xf16>) {
  // expected-error @+1 {{'pixelfly.densify' op expected dimension 0 of 'init' to be 64 (N, the rows of the layout), got 128}}
  pixelfly.densify ins(%b : memref<3x32x32xf16>) outs(%init : memref<128x128xf16>) layout(#l)
  return
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @densify_init_cols(%b: memref<3x32x32xf16>, %init: memref<64x64xf16>) {
  // expected-error @+1 {{'pixelfly.densify' op expected dimension 1 of 'init' to be 128 (K, the columns of the layout), got 64}}
  pixelfly.densify ins(%b : memref<3x32x32xf16>) outs(%init : memref<64x64xf16>) layout(#l)
  return
}

//===----------------------------------------------------------------------===//
// densify_2_4
//===----------------------------------------------------------------------===//

// -----

func.func @densify_2_4_values_rank(%v: tensor<32x32x1xf16>, %m: tensor<32x4xi16>, %init: tensor<32x64xf16>) -> tensor<32x64xf16> {
  // expected-error @+1 {{'pixelfly.densify_2_4' op expected 'values' to have rank 2, got 3}}
  %0 = pixelfly.densify_2_4 ins(%v, %m : tensor<32x32x1xf16>, tensor<32x4xi16>) outs(%init : tensor<32x64xf16>) -> tensor<32x64xf16>
  return %0 : tensor<32x64xf16>
}

// -----

func.func @densify_2_4_values_element_type(%v: tensor<32x32xf64>, %m: tensor<32x4xi16>, %init: tensor<32x64xf64>) -> tensor<32x64xf64> {
  // expected-error @+1 {{'pixelfly.densify_2_4' op expected 'values' to have element type f16, bf16 or f32, got 'f64'}}
  %0 = pixelfly.densify_2_4 ins(%v, %m : tensor<32x32xf64>, tensor<32x4xi16>) outs(%init : tensor<32x64xf64>) -> tensor<32x64xf64>
  return %0 : tensor<32x64xf64>
}

// -----

func.func @densify_2_4_init_element_type(%v: tensor<32x32xbf16>, %m: tensor<32x4xi16>, %init: tensor<32x64xf32>) -> tensor<32x64xf32> {
  // expected-error @+1 {{'pixelfly.densify_2_4' op expected 'init' to have element type 'bf16' like 'values', got 'f32'}}
  %0 = pixelfly.densify_2_4 ins(%v, %m : tensor<32x32xbf16>, tensor<32x4xi16>) outs(%init : tensor<32x64xf32>) -> tensor<32x64xf32>
  return %0 : tensor<32x64xf32>
}

// -----

func.func @densify_2_4_init_rows(%v: memref<32x32xf16>, %m: memref<32x4xi16>, %init: memref<16x64xf16>) {
  // expected-error @+1 {{'pixelfly.densify_2_4' op expected dimension 0 of 'values' to be 16 (rows of the weight), got 32}}
  pixelfly.densify_2_4 ins(%v, %m : memref<32x32xf16>, memref<32x4xi16>) outs(%init : memref<16x64xf16>)
  return
}

// -----

func.func @densify_2_4_init_cols(%v: memref<32x32xf16>, %m: memref<32x4xi16>, %init: memref<32x128xf16>) {
  // expected-error @+1 {{'pixelfly.densify_2_4' op expected dimension 1 of 'values' to be 64 (half the reduction size of the weight), got 32}}
  pixelfly.densify_2_4 ins(%v, %m : memref<32x32xf16>, memref<32x4xi16>) outs(%init : memref<32x128xf16>)
  return
}

//===----------------------------------------------------------------------===//
// #pixelfly.gpu_config
//===----------------------------------------------------------------------===//

// -----

// expected-error @+1 {{gpu_config chip must name an sm_XY target, got 'gfx90a'}}
#c = #pixelfly.gpu_config<chip = "gfx90a", tile_m = 128, tile_n = 128, tile_k = 32, warps_m = 2, warps_n = 2, stages = 3>
func.func private @use() attributes {config = #c}

// -----

// expected-error @+1 {{gpu_config needs 1 to 16 warps, got 8 x 4}}
#c = #pixelfly.gpu_config<chip = "sm_80", tile_m = 128, tile_n = 128, tile_k = 32, warps_m = 8, warps_n = 4, stages = 3>
func.func private @use() attributes {config = #c}

// -----

// A warp count whose product with the other wraps around 64 bits (fuzz
// reproducer crash-03: a division by zero while parsing).
// expected-error @+1 {{gpu_config needs 1 to 16 warps, got 4611686018427387904 x 4}}
#c = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 4611686018427387904, warps_n = 4, stages = 3>
func.func private @use() attributes {config = #c}

// -----

// fuzz reproducer crash-04: 2 x INT64_MAX wraps to -2.
// expected-error @+1 {{gpu_config needs 1 to 16 warps, got 2 x 9223372036854775807}}
#c = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 9223372036854775807, stages = 3>
func.func private @use() attributes {config = #c}

// -----

// expected-error @+1 {{gpu_config tiles must be at most 1024, got 128 x 2048 x 32}}
#c = #pixelfly.gpu_config<chip = "sm_80", tile_m = 128, tile_n = 2048, tile_k = 32, warps_m = 2, warps_n = 2, stages = 3>
func.func private @use() attributes {config = #c}

// -----

// expected-error @+1 {{gpu_config tile_m (96) must be a positive multiple of 16 x warps_m (64)}}
#c = #pixelfly.gpu_config<chip = "sm_80", tile_m = 96, tile_n = 128, tile_k = 32, warps_m = 4, warps_n = 1, stages = 3>
func.func private @use() attributes {config = #c}

// -----

// expected-error @+1 {{gpu_config tile_n (24) must be a positive multiple of 8 x warps_n (16)}}
#c = #pixelfly.gpu_config<chip = "sm_80", tile_m = 128, tile_n = 24, tile_k = 32, warps_m = 2, warps_n = 2, stages = 3>
func.func private @use() attributes {config = #c}

// -----

// expected-error @+1 {{gpu_config tile_k (12) must be a positive multiple of 8}}
#c = #pixelfly.gpu_config<chip = "sm_80", tile_m = 128, tile_n = 128, tile_k = 12, warps_m = 2, warps_n = 2, stages = 3>
func.func private @use() attributes {config = #c}

// -----

// expected-error @+1 {{gpu_config stages must be in [2, 8], got 1}}
#c = #pixelfly.gpu_config<chip = "sm_80", tile_m = 128, tile_n = 128, tile_k = 32, warps_m = 2, warps_n = 2, stages = 1>
func.func private @use() attributes {config = #c}

//===----------------------------------------------------------------------===//
// #pixelfly.hopper_config
//===----------------------------------------------------------------------===//

// -----

// expected-error @+1 {{hopper_config chip must name an sm_XY target, got 'gfx942'}}
#c = #pixelfly.hopper_config<chip = "gfx942", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 2, stages = 4, cluster_m = 1, cluster_n = 1>
func.func private @use() attributes {config = #c}

// -----

// expected-error @+1 {{hopper_config needs 1 to 2 consumer warpgroups, got 3}}
#c = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 192, tile_n = 128, tile_k = 64, consumers = 3, stages = 4, cluster_m = 1, cluster_n = 1>
func.func private @use() attributes {config = #c}

// -----

// expected-error @+1 {{hopper_config needs 1 to 2 consumer warpgroups, got 9223372036854775807}}
#c = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 9223372036854775807, stages = 4, cluster_m = 1, cluster_n = 1>
func.func private @use() attributes {config = #c}

// -----

// expected-error @+1 {{hopper_config tile_m (64) must be a positive multiple of 64 x consumers (128), at most 1024}}
#c = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 128, tile_k = 64, consumers = 2, stages = 4, cluster_m = 1, cluster_n = 1>
func.func private @use() attributes {config = #c}

// -----

// expected-error @+1 {{hopper_config tile_n (512) must be a multiple of 8 in [8, 256] (wgmma's N)}}
#c = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 512, tile_k = 64, consumers = 1, stages = 4, cluster_m = 1, cluster_n = 1>
func.func private @use() attributes {config = #c}

// -----

// expected-error @+1 {{hopper_config tile_k (12) must be a positive multiple of 8, at most 1024}}
#c = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 12, consumers = 1, stages = 4, cluster_m = 1, cluster_n = 1>
func.func private @use() attributes {config = #c}

// -----

// expected-error @+1 {{hopper_config stages must be in [2, 8], got 9}}
#c = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 1, stages = 9, cluster_m = 1, cluster_n = 1>
func.func private @use() attributes {config = #c}

// -----

// expected-error @+1 {{hopper_config cluster 4 x 4 must have 1 to 8 thread blocks}}
#c = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 1, stages = 4, cluster_m = 4, cluster_n = 4>
func.func private @use() attributes {config = #c}

// -----

// expected-error @+1 {{hopper_config cluster 0 x 1 must have 1 to 8 thread blocks}}
#c = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 1, stages = 4, cluster_m = 0, cluster_n = 1>
func.func private @use() attributes {config = #c}

// -----

// expected-error @+1 {{hopper_config persistent must be in [0, 65535] thread blocks, got -1}}
#c = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 1, stages = 4, cluster_m = 1, cluster_n = 1, persistent = -1>
func.func private @use() attributes {config = #c}

//===----------------------------------------------------------------------===//
// #pixelfly.cpu_config
//===----------------------------------------------------------------------===//

// -----

// expected-error @+1 {{cpu_config cpu must name a CPU}}
#c = #pixelfly.cpu_config<cpu = "", vector_bits = 256, vector_registers = 16, tile_m = 6, tile_n = 16, tile_k = 8, panel_m = 126>
func.func private @use() attributes {config = #c}

// -----

// expected-error @+1 {{cpu_config features must be +name or -name, comma-separated, got '+avx2,fma'}}
#c = #pixelfly.cpu_config<cpu = "x86-64-v3", features = "+avx2,fma", vector_bits = 256, vector_registers = 16, tile_m = 6, tile_n = 16, tile_k = 8, panel_m = 126>

// -----

// expected-error @+1 {{cpu_config vector_bits must be 128, 256 or 512, got 1024}}
#c = #pixelfly.cpu_config<cpu = "x86-64-v3", vector_bits = 1024, vector_registers = 16, tile_m = 6, tile_n = 16, tile_k = 8, panel_m = 126>
func.func private @use() attributes {config = #c}

// -----

// expected-error @+1 {{cpu_config vector_registers must be in [8, 64], got 4}}
#c = #pixelfly.cpu_config<cpu = "x86-64-v3", vector_bits = 256, vector_registers = 4, tile_m = 6, tile_n = 16, tile_k = 8, panel_m = 126>
func.func private @use() attributes {config = #c}

// -----

// expected-error @+1 {{cpu_config tile 0 x 16 x 8 must be positive}}
#c = #pixelfly.cpu_config<cpu = "x86-64-v3", vector_bits = 256, vector_registers = 16, tile_m = 0, tile_n = 16, tile_k = 8, panel_m = 126>
func.func private @use() attributes {config = #c}

// -----

// A product that wraps around 64 bits is refused, not multiplied.
// expected-error @+1 {{cpu_config tile 4611686018427387904 x 4 x 8 must be positive with at most 4096 accumulators (tile_m x tile_n) and 131072 multiply-adds}}
#c = #pixelfly.cpu_config<cpu = "x86-64-v3", vector_bits = 256, vector_registers = 16, tile_m = 4611686018427387904, tile_n = 4, tile_k = 8, panel_m = 126>
func.func private @use() attributes {config = #c}

// -----

// expected-error @+1 {{cpu_config tile 64 x 64 x 64 must be positive with at most 4096 accumulators}}
#c = #pixelfly.cpu_config<cpu = "x86-64-v3", vector_bits = 256, vector_registers = 16, tile_m = 64, tile_n = 64, tile_k = 64, panel_m = 128>
func.func private @use() attributes {config = #c}

// -----

// expected-error @+1 {{cpu_config panel_m must be in [tile_m, 1048576], got 4}}
#c = #pixelfly.cpu_config<cpu = "x86-64-v3", vector_bits = 256, vector_registers = 16, tile_m = 6, tile_n = 16, tile_k = 8, panel_m = 4>
func.func private @use() attributes {config = #c}

// -----

// expected-error @+1 {{gpu_config splits must be in [1, 64], got 0}}
#c = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 3, splits = 0>
func.func private @use() attributes {config = #c}

// -----

// expected-error @+1 {{hopper_config splits must be in [1, 64], got 65}}
#c = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 64, consumers = 1, stages = 4, cluster_m = 1, cluster_n = 1, splits = 65>
func.func private @use() attributes {config = #c}

// -----

// expected-error @+1 {{hopper_config cannot split the tokens of a persistent grid}}
#c = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 64, consumers = 1, stages = 4, cluster_m = 1, cluster_n = 1, persistent = 8, splits = 2>
func.func private @use() attributes {config = #c}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @linear_xv_rank(%x: tensor<?x128xbf16>, %b: tensor<3x32x32xbf16>, %u: tensor<64x16xbf16>, %v: tensor<128x16xbf16>, %xv: tensor<16xbf16>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.linear' op expected 'xv' to have rank 2, got 1}}
  %0 = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>) xv(%xv : tensor<16xbf16>) gamma(0.5) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @linear_xv_element_type(%x: tensor<?x128xbf16>, %b: tensor<3x32x32xbf16>, %u: tensor<64x16xbf16>, %v: tensor<128x16xbf16>, %xv: tensor<?x16xf32>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.linear' op expected 'xv' to have element type 'bf16' like 'x', got 'f32'}}
  %0 = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>) xv(%xv : tensor<?x16xf32>) gamma(0.5) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @linear_xv_rows(%x: tensor<8x128xbf16>, %b: tensor<3x32x32xbf16>, %u: tensor<64x16xbf16>, %v: tensor<128x16xbf16>, %xv: tensor<4x16xbf16>, %init: tensor<8x64xf32>) -> tensor<8x64xf32> {
  // expected-error @+1 {{'pixelfly.linear' op dimension 0 of 'xv' (4) does not match dimension 0 of 'x' (8)}}
  %0 = pixelfly.linear ins(%x, %b, %u, %v : tensor<8x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>) xv(%xv : tensor<4x16xbf16>) gamma(0.5) outs(%init : tensor<8x64xf32>) layout(#l) -> tensor<8x64xf32>
  return %0 : tensor<8x64xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 64x128, block = 32x32, row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
func.func @linear_xv_rank_mismatch(%x: tensor<?x128xbf16>, %b: tensor<3x32x32xbf16>, %u: tensor<64x16xbf16>, %v: tensor<128x16xbf16>, %xv: tensor<?x32xbf16>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'pixelfly.linear' op dimension 1 of 'xv' (32) does not match dimension 1 of 'u' (16)}}
  %0 = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x128xbf16>, tensor<3x32x32xbf16>, tensor<64x16xbf16>, tensor<128x16xbf16>) xv(%xv : tensor<?x32xbf16>) gamma(0.5) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// expected-error @+1 {{hopper_config cannot store split partials with TMA (tma_store with splits = 2)}}
#c = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 64, consumers = 1, stages = 4, cluster_m = 1, cluster_n = 1, splits = 2, tma_store = true>
func.func private @use() attributes {config = #c}
