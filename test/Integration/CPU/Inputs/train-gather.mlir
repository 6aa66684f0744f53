// @gather for the training execution tests: a 64 x 64 weight's blocks on
// the layout of two 32 x 32 diagonal blocks of 16 x 16 blocks (block row r
// holds block columns 2(r/2) and 2(r/2)+1), in CSR order, the sparse
// step's parameter order.

func.func @gather(%w: tensor<64x64xf32>) -> tensor<8x16x16xf32> {
  %e = tensor.empty() : tensor<8x16x16xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %r = scf.for %b = %c0 to %c8 step %c1 iter_args(%acc = %e) -> (tensor<8x16x16xf32>) {
    %row = arith.divui %b, %c2 : index
    %pair = arith.divui %row, %c2 : index
    %first = arith.muli %pair, %c2 : index
    %which = arith.remui %b, %c2 : index
    %col = arith.addi %first, %which : index
    %i = arith.muli %row, %c16 : index
    %j = arith.muli %col, %c16 : index
    %s = tensor.extract_slice %w[%i, %j] [16, 16] [1, 1] : tensor<64x64xf32> to tensor<16x16xf32>
    %n = tensor.insert_slice %s into %acc[%b, 0, 0] [1, 16, 16] [1, 1, 1] : tensor<16x16xf32> into tensor<8x16x16xf32>
    scf.yield %n : tensor<8x16x16xf32>
  }
  return %r : tensor<8x16x16xf32>
}
