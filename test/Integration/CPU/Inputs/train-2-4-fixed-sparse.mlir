// @run for the step sparsified with two-four-mask=fixed: the mask made once
// by the generated @step_pack from w0, then one step on w1, Y and dX.

func.func @run(%x: tensor<7x32xf32>, %w0: tensor<64x32xf32>, %w1: tensor<64x32xf32>, %dy: tensor<7x64xf32>) {
  %lr = arith.constant dense<0.5> : tensor<f32>
  %mask = func.call @step_pack(%w0) : (tensor<64x32xf32>) -> tensor<64x32xf32>
  %y, %dx, %w2 = func.call @step(%x, %w1, %mask, %dy, %lr)
      : (tensor<7x32xf32>, tensor<64x32xf32>, tensor<64x32xf32>, tensor<7x64xf32>, tensor<f32>) -> (tensor<7x64xf32>, tensor<7x32xf32>, tensor<64x32xf32>)
  %y_ = tensor.cast %y : tensor<7x64xf32> to tensor<?x?xf32>
  %dx_ = tensor.cast %dx : tensor<7x32xf32> to tensor<?x?xf32>
  func.call @print(%y_) : (tensor<?x?xf32>) -> ()
  func.call @print(%dx_) : (tensor<?x?xf32>) -> ()
  return
}
