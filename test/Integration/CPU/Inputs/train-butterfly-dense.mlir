// @run for the dense step: Y, dX, then the updated weight and momentum
// gathered on the layout (block row r holds block columns 2(r/2) and
// 2(r/2)+1 of 16 x 16 blocks: two 32 x 32 diagonal blocks) in CSR order,
// the sparse step's parameter order.

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

func.func @run(%x: tensor<7x64xf32>, %w: tensor<64x64xf32>, %dy: tensor<7x64xf32>, %v: tensor<64x64xf32>) {
  %lr = arith.constant dense<0.5> : tensor<f32>
  %mu = arith.constant dense<0.25> : tensor<f32>
  %y, %dx, %w2, %v2 = func.call @step(%x, %w, %dy, %v, %lr, %mu)
      : (tensor<7x64xf32>, tensor<64x64xf32>, tensor<7x64xf32>, tensor<64x64xf32>, tensor<f32>, tensor<f32>)
     -> (tensor<7x64xf32>, tensor<7x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>)
  %y_ = tensor.cast %y : tensor<7x64xf32> to tensor<?x?xf32>
  %dx_ = tensor.cast %dx : tensor<7x64xf32> to tensor<?x?xf32>
  func.call @print2(%y_) : (tensor<?x?xf32>) -> ()
  func.call @print2(%dx_) : (tensor<?x?xf32>) -> ()
  %wb = func.call @gather(%w2) : (tensor<64x64xf32>) -> tensor<8x16x16xf32>
  %vb = func.call @gather(%v2) : (tensor<64x64xf32>) -> tensor<8x16x16xf32>
  func.call @print3(%wb) : (tensor<8x16x16xf32>) -> ()
  func.call @print3(%vb) : (tensor<8x16x16xf32>) -> ()
  return
}
