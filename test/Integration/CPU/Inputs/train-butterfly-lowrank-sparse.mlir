// @run for the step sparsified to blocks plus a low-rank term, on the
// parameters of Inputs/train-lowrank-reference.mlir: the blocks packed by
// the generated @step_pack, U and V the same small integers, gamma 0.25,
// every momentum zero, so that the updated momenta are the parameters'
// gradients. Prints Y, dX and those gradients.

func.func @run(%x: tensor<7x64xf32>, %w: tensor<64x64xf32>, %dy: tensor<7x64xf32>, %v: tensor<64x64xf32>) {
  %lr = arith.constant dense<0.5> : tensor<f32>
  %mu = arith.constant dense<0.25> : tensor<f32>
  %gamma = arith.constant dense<0.25> : tensor<f32>
  %z0 = arith.constant dense<0.0> : tensor<f32>
  %z16 = arith.constant dense<0.0> : tensor<64x16xf32>
  %z64 = arith.constant dense<0.0> : tensor<64x64xf32>
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %false = arith.constant false
  %u0 = func.call @make(%c64, %c16, %c4, %false) : (index, index, index, i1) -> tensor<?x?xf32>
  %f0 = func.call @make(%c64, %c16, %c5, %false) : (index, index, index, i1) -> tensor<?x?xf32>
  %u = tensor.cast %u0 : tensor<?x?xf32> to tensor<64x16xf32>
  %f = tensor.cast %f0 : tensor<?x?xf32> to tensor<64x16xf32>
  %b, %vb = func.call @step_pack(%w, %z64) : (tensor<64x64xf32>, tensor<64x64xf32>) -> (tensor<8x16x16xf32>, tensor<8x16x16xf32>)
  %y, %dx, %b2, %u2, %f2, %g2, %gb, %gu, %gv, %gg = func.call @step(%x, %b, %u, %f, %gamma, %dy, %vb, %z16, %z16, %z0, %lr, %mu)
      : (tensor<7x64xf32>, tensor<8x16x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<f32>, tensor<7x64xf32>,
         tensor<8x16x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<f32>, tensor<f32>, tensor<f32>)
     -> (tensor<7x64xf32>, tensor<7x64xf32>, tensor<8x16x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<f32>,
         tensor<8x16x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<f32>)
  %y_ = tensor.cast %y : tensor<7x64xf32> to tensor<?x?xf32>
  %dx_ = tensor.cast %dx : tensor<7x64xf32> to tensor<?x?xf32>
  func.call @print2(%y_) : (tensor<?x?xf32>) -> ()
  func.call @print2(%dx_) : (tensor<?x?xf32>) -> ()
  func.call @print3(%gb) : (tensor<8x16x16xf32>) -> ()
  %gu_ = tensor.cast %gu : tensor<64x16xf32> to tensor<?x?xf32>
  %gv_ = tensor.cast %gv : tensor<64x16xf32> to tensor<?x?xf32>
  func.call @print2(%gu_) : (tensor<?x?xf32>) -> ()
  func.call @print2(%gv_) : (tensor<?x?xf32>) -> ()
  %gg_ = tensor.cast %gg : tensor<f32> to tensor<*xf32>
  func.call @printMemrefF32(%gg_) : (tensor<*xf32>) -> ()
  return
}
