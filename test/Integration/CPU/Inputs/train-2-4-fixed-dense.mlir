// @run for the reference of train-2-4-fixed.mlir: the dense step on w1
// masked by w0's structure (w0 is nonzero exactly on its mask), Y and dX.

func.func @run(%x: tensor<7x32xf32>, %w0: tensor<64x32xf32>, %w1: tensor<64x32xf32>, %dy: tensor<7x64xf32>) {
  %lr = arith.constant dense<0.5> : tensor<f32>
  %e = tensor.empty() : tensor<64x32xf32>
  %w = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%w0, %w1 : tensor<64x32xf32>, tensor<64x32xf32>) outs(%e : tensor<64x32xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %zero = arith.constant 0.0 : f32
    %on = arith.cmpf one, %a, %zero : f32
    %r = arith.select %on, %b, %zero : f32
    linalg.yield %r : f32
  } -> tensor<64x32xf32>
  %y, %dx, %w2 = func.call @step(%x, %w, %dy, %lr)
      : (tensor<7x32xf32>, tensor<64x32xf32>, tensor<7x64xf32>, tensor<f32>) -> (tensor<7x64xf32>, tensor<7x32xf32>, tensor<64x32xf32>)
  %y_ = tensor.cast %y : tensor<7x64xf32> to tensor<?x?xf32>
  %dx_ = tensor.cast %dx : tensor<7x32xf32> to tensor<?x?xf32>
  func.call @print(%y_) : (tensor<?x?xf32>) -> ()
  func.call @print(%dx_) : (tensor<?x?xf32>) -> ()
  return
}
