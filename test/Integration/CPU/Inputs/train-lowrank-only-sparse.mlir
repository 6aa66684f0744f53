// @run for the step sparsified to a rank-16 term alone, on the factors of
// Inputs/train-lowrank-only-reference.mlir (small integers), every
// momentum zero, so that the updated momenta are the factors' gradients.
// Prints Y, dX and those gradients.

func.func @run(%x: tensor<7x64xf32>, %w: tensor<64x64xf32>, %dy: tensor<7x64xf32>, %v: tensor<64x64xf32>) {
  %lr = arith.constant dense<0.5> : tensor<f32>
  %mu = arith.constant dense<0.25> : tensor<f32>
  %z16 = arith.constant dense<0.0> : tensor<64x16xf32>
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %false = arith.constant false
  %u0 = func.call @make(%c64, %c16, %c4, %false) : (index, index, index, i1) -> tensor<?x?xf32>
  %f0 = func.call @make(%c64, %c16, %c5, %false) : (index, index, index, i1) -> tensor<?x?xf32>
  %u = tensor.cast %u0 : tensor<?x?xf32> to tensor<64x16xf32>
  %f = tensor.cast %f0 : tensor<?x?xf32> to tensor<64x16xf32>
  %y, %dx, %u2, %f2, %gu, %gv = func.call @step(%x, %u, %f, %dy, %z16, %z16, %lr, %mu)
      : (tensor<7x64xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<7x64xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<f32>, tensor<f32>)
     -> (tensor<7x64xf32>, tensor<7x64xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>)
  %y_ = tensor.cast %y : tensor<7x64xf32> to tensor<?x?xf32>
  %dx_ = tensor.cast %dx : tensor<7x64xf32> to tensor<?x?xf32>
  %gu_ = tensor.cast %gu : tensor<64x16xf32> to tensor<?x?xf32>
  %gv_ = tensor.cast %gv : tensor<64x16xf32> to tensor<?x?xf32>
  func.call @print2(%y_) : (tensor<?x?xf32>) -> ()
  func.call @print2(%dx_) : (tensor<?x?xf32>) -> ()
  func.call @print2(%gu_) : (tensor<?x?xf32>) -> ()
  func.call @print2(%gv_) : (tensor<?x?xf32>) -> ()
  return
}
