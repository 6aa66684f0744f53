// A training step in torch-mlir's form (linalg.transpose, `N x K` weight,
// SGD with momentum), 7 tokens, for the training execution tests: the
// dense step, sparsified by each test (train-butterfly*.mlir).

#id = affine_map<(i, j) -> (i, j)>
#scalar = affine_map<(i, j) -> ()>

func.func @step(%x: tensor<7x64xf32>, %w: tensor<64x64xf32>, %dy: tensor<7x64xf32>, %v: tensor<64x64xf32>, %lr: tensor<f32>, %mu: tensor<f32>)
    -> (tensor<7x64xf32>, tensor<7x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %et = tensor.empty() : tensor<64x64xf32>
  %wt = linalg.transpose ins(%w : tensor<64x64xf32>) outs(%et : tensor<64x64xf32>) permutation = [1, 0]
  %ey = tensor.empty() : tensor<7x64xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<7x64xf32>) -> tensor<7x64xf32>
  %y = linalg.matmul ins(%x, %wt : tensor<7x64xf32>, tensor<64x64xf32>) outs(%fy : tensor<7x64xf32>) -> tensor<7x64xf32>
  %dx = linalg.matmul ins(%dy, %w : tensor<7x64xf32>, tensor<64x64xf32>) outs(%fy : tensor<7x64xf32>) -> tensor<7x64xf32>
  %edt = tensor.empty() : tensor<64x7xf32>
  %dyt = linalg.transpose ins(%dy : tensor<7x64xf32>) outs(%edt : tensor<64x7xf32>) permutation = [1, 0]
  %fw = linalg.fill ins(%zero : f32) outs(%et : tensor<64x64xf32>) -> tensor<64x64xf32>
  %dw = linalg.matmul ins(%dyt, %x : tensor<64x7xf32>, tensor<7x64xf32>) outs(%fw : tensor<64x64xf32>) -> tensor<64x64xf32>
  // v' = mu * v + dw; w' = w - lr * v'
  %v2 = linalg.generic {indexing_maps = [#scalar, #id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%mu, %v, %dw : tensor<f32>, tensor<64x64xf32>, tensor<64x64xf32>) outs(%et : tensor<64x64xf32>) {
  ^bb0(%m: f32, %a: f32, %g: f32, %o: f32):
    %s = arith.mulf %m, %a : f32
    %t = arith.addf %s, %g : f32
    linalg.yield %t : f32
  } -> tensor<64x64xf32>
  %w2 = linalg.generic {indexing_maps = [#scalar, #id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%lr, %w, %v2 : tensor<f32>, tensor<64x64xf32>, tensor<64x64xf32>) outs(%et : tensor<64x64xf32>) {
  ^bb0(%r: f32, %a: f32, %g: f32, %o: f32):
    %s = arith.mulf %r, %g : f32
    %t = arith.subf %a, %s : f32
    linalg.yield %t : f32
  } -> tensor<64x64xf32>
  return %y, %dx, %w2, %v2 : tensor<7x64xf32>, tensor<7x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>
}
