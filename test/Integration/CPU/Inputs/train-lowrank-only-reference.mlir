// @run for the reference of the step sparsified to a rank-16 term alone:
// the dense step on W = U V^T (U and V small integers: every sum exact)
// with zero momentum, so that the updated momentum is dW = dY^T X. Prints
// Y, dX, then the factors' gradients by the chain rule from dW, as the
// sparsified step's updated momenta hold them: U: dW V, V: dW^T U.

func.func @run(%x: tensor<7x64xf32>, %w: tensor<64x64xf32>, %dy: tensor<7x64xf32>, %v: tensor<64x64xf32>) {
  %lr = arith.constant dense<0.5> : tensor<f32>
  %mu = arith.constant dense<0.25> : tensor<f32>
  %zero = arith.constant 0.0 : f32
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %false = arith.constant false
  %u0 = func.call @make(%c64, %c16, %c4, %false) : (index, index, index, i1) -> tensor<?x?xf32>
  %f0 = func.call @make(%c64, %c16, %c5, %false) : (index, index, index, i1) -> tensor<?x?xf32>
  %e64 = tensor.empty() : tensor<64x64xf32>
  %z64 = linalg.fill ins(%zero : f32) outs(%e64 : tensor<64x64xf32>) -> tensor<64x64xf32>
  %uvt = linalg.matmul indexing_maps = [affine_map<(i, j, l) -> (i, l)>, affine_map<(i, j, l) -> (j, l)>, affine_map<(i, j, l) -> (i, j)>]
      ins(%u0, %f0 : tensor<?x?xf32>, tensor<?x?xf32>) outs(%z64 : tensor<64x64xf32>) -> tensor<64x64xf32>
  %y, %dx, %w2, %dw = func.call @step(%x, %uvt, %dy, %z64, %lr, %mu)
      : (tensor<7x64xf32>, tensor<64x64xf32>, tensor<7x64xf32>, tensor<64x64xf32>, tensor<f32>, tensor<f32>)
     -> (tensor<7x64xf32>, tensor<7x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>)
  %e16 = tensor.empty() : tensor<64x16xf32>
  %z16 = linalg.fill ins(%zero : f32) outs(%e16 : tensor<64x16xf32>) -> tensor<64x16xf32>
  %gu = linalg.matmul ins(%dw, %f0 : tensor<64x64xf32>, tensor<?x?xf32>) outs(%z16 : tensor<64x16xf32>) -> tensor<64x16xf32>
  %gv = linalg.matmul indexing_maps = [affine_map<(i, j, l) -> (l, i)>, affine_map<(i, j, l) -> (l, j)>, affine_map<(i, j, l) -> (i, j)>]
      ins(%dw, %u0 : tensor<64x64xf32>, tensor<?x?xf32>) outs(%z16 : tensor<64x16xf32>) -> tensor<64x16xf32>
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
