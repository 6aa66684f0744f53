// @run for the reference of the step sparsified to blocks plus a low-rank
// term: the dense step on W = gamma B + (1 - gamma) U V^T (gamma 0.25, B the
// dense weight on the layout, U and V small integers: every sum exact) with
// zero momentum, so that the updated momentum is dW = dY^T X. Prints Y, dX,
// then each parameter's gradient by the chain rule from dW, as the
// sparsified step's updated momenta hold them:
//   blocks: gamma dW on the layout, U: (1 - gamma) dW V,
//   V: (1 - gamma) dW^T U, gamma: <dW, B> - <dW, U V^T>.

func.func @sum_of_products(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>) -> tensor<f32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<f32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> ()>], iterator_types = ["reduction", "reduction"]}
      ins(%a, %b : tensor<?x?xf32>, tensor<?x?xf32>) outs(%acc : tensor<f32>) {
  ^bb0(%p: f32, %q: f32, %s: f32):
    %m = arith.mulf %p, %q : f32
    %t = arith.addf %s, %m : f32
    linalg.yield %t : f32
  } -> tensor<f32>
  return %r : tensor<f32>
}

func.func @scale(%a: tensor<?x?xf32>, %f: f32) -> tensor<?x?xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<?x?xf32>) outs(%a : tensor<?x?xf32>) {
  ^bb0(%p: f32, %o: f32):
    %m = arith.mulf %f, %p : f32
    linalg.yield %m : f32
  } -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

func.func @run(%x: tensor<7x64xf32>, %w: tensor<64x64xf32>, %dy: tensor<7x64xf32>, %v: tensor<64x64xf32>) {
  %lr = arith.constant dense<0.5> : tensor<f32>
  %mu = arith.constant dense<0.25> : tensor<f32>
  %zero = arith.constant 0.0 : f32
  %gamma = arith.constant 0.25 : f32
  %rest = arith.constant 0.75 : f32
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
  %weff = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%w, %uvt : tensor<64x64xf32>, tensor<64x64xf32>) outs(%e64 : tensor<64x64xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %a = arith.mulf %gamma, %p : f32
    %b = arith.mulf %rest, %q : f32
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<64x64xf32>
  %y, %dx, %w2, %dw = func.call @step(%x, %weff, %dy, %z64, %lr, %mu)
      : (tensor<7x64xf32>, tensor<64x64xf32>, tensor<7x64xf32>, tensor<64x64xf32>, tensor<f32>, tensor<f32>)
     -> (tensor<7x64xf32>, tensor<7x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>)
  %y_ = tensor.cast %y : tensor<7x64xf32> to tensor<?x?xf32>
  %dx_ = tensor.cast %dx : tensor<7x64xf32> to tensor<?x?xf32>
  func.call @print2(%y_) : (tensor<?x?xf32>) -> ()
  func.call @print2(%dx_) : (tensor<?x?xf32>) -> ()
  %dw_ = tensor.cast %dw : tensor<64x64xf32> to tensor<?x?xf32>
  %hdw = func.call @scale(%dw_, %gamma) : (tensor<?x?xf32>, f32) -> tensor<?x?xf32>
  %hdw_ = tensor.cast %hdw : tensor<?x?xf32> to tensor<64x64xf32>
  %gb = func.call @gather(%hdw_) : (tensor<64x64xf32>) -> tensor<8x16x16xf32>
  func.call @print3(%gb) : (tensor<8x16x16xf32>) -> ()
  %e16 = tensor.empty() : tensor<64x16xf32>
  %z16 = linalg.fill ins(%zero : f32) outs(%e16 : tensor<64x16xf32>) -> tensor<64x16xf32>
  %dwv = linalg.matmul ins(%dw, %f0 : tensor<64x64xf32>, tensor<?x?xf32>) outs(%z16 : tensor<64x16xf32>) -> tensor<64x16xf32>
  %dwtu = linalg.matmul indexing_maps = [affine_map<(i, j, l) -> (l, i)>, affine_map<(i, j, l) -> (l, j)>, affine_map<(i, j, l) -> (i, j)>]
      ins(%dw, %u0 : tensor<64x64xf32>, tensor<?x?xf32>) outs(%z16 : tensor<64x16xf32>) -> tensor<64x16xf32>
  %dwv_ = tensor.cast %dwv : tensor<64x16xf32> to tensor<?x?xf32>
  %dwtu_ = tensor.cast %dwtu : tensor<64x16xf32> to tensor<?x?xf32>
  %gu = func.call @scale(%dwv_, %rest) : (tensor<?x?xf32>, f32) -> tensor<?x?xf32>
  %gv = func.call @scale(%dwtu_, %rest) : (tensor<?x?xf32>, f32) -> tensor<?x?xf32>
  func.call @print2(%gu) : (tensor<?x?xf32>) -> ()
  func.call @print2(%gv) : (tensor<?x?xf32>) -> ()
  %w_ = tensor.cast %w : tensor<64x64xf32> to tensor<?x?xf32>
  %uvt_ = tensor.cast %uvt : tensor<64x64xf32> to tensor<?x?xf32>
  %onb = func.call @sum_of_products(%dw_, %w_) : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<f32>
  %onlr = func.call @sum_of_products(%dw_, %uvt_) : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<f32>
  %gg = arith.subf %onb, %onlr : tensor<f32>
  %gg_ = tensor.cast %gg : tensor<f32> to tensor<*xf32>
  func.call @printMemrefF32(%gg_) : (tensor<*xf32>) -> ()
  return
}
