// @run for the sparsified step: the dense weight and momentum packed by the
// generated @step_pack, one step, Y, dX and the updated parameters.

func.func @run(%x: tensor<7x64xf32>, %w: tensor<64x64xf32>, %dy: tensor<7x64xf32>, %v: tensor<64x64xf32>) {
  %lr = arith.constant dense<0.5> : tensor<f32>
  %mu = arith.constant dense<0.25> : tensor<f32>
  %b, %vb = func.call @step_pack(%w, %v) : (tensor<64x64xf32>, tensor<64x64xf32>) -> (tensor<8x16x16xf32>, tensor<8x16x16xf32>)
  %y, %dx, %b2, %vb2 = func.call @step(%x, %b, %dy, %vb, %lr, %mu)
      : (tensor<7x64xf32>, tensor<8x16x16xf32>, tensor<7x64xf32>, tensor<8x16x16xf32>, tensor<f32>, tensor<f32>)
     -> (tensor<7x64xf32>, tensor<7x64xf32>, tensor<8x16x16xf32>, tensor<8x16x16xf32>)
  %y_ = tensor.cast %y : tensor<7x64xf32> to tensor<?x?xf32>
  %dx_ = tensor.cast %dx : tensor<7x64xf32> to tensor<?x?xf32>
  func.call @print2(%y_) : (tensor<?x?xf32>) -> ()
  func.call @print2(%dx_) : (tensor<?x?xf32>) -> ()
  func.call @print3(%b2) : (tensor<8x16x16xf32>) -> ()
  func.call @print3(%vb2) : (tensor<8x16x16xf32>) -> ()
  return
}
