// @run for the dense step: Y, dX, then the updated weight and momentum
// gathered on the layout (Inputs/train-gather.mlir).

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
