// The step of Inputs/train-momentum-step.mlir in mixed precision as
// autocast runs it: the weight, its momentum and the update stay f32 (the
// master copy); the products read x, dy and the weight rounded to bf16 and
// accumulate in f32. Same signature, so the same @run and data serve both;
// on small integers (exact in bf16) both steps give the same results.

#id = affine_map<(i, j) -> (i, j)>
#scalar = affine_map<(i, j) -> ()>

func.func @step(%x: tensor<7x64xf32>, %w: tensor<64x64xf32>, %dy: tensor<7x64xf32>, %v: tensor<64x64xf32>, %lr: tensor<f32>, %mu: tensor<f32>)
    -> (tensor<7x64xf32>, tensor<7x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %ea = tensor.empty() : tensor<7x64xbf16>
  %x16 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<7x64xf32>) outs(%ea : tensor<7x64xbf16>) {
  ^bb0(%a: f32, %o: bf16):
    %t = arith.truncf %a : f32 to bf16
    linalg.yield %t : bf16
  } -> tensor<7x64xbf16>
  %dy16 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%dy : tensor<7x64xf32>) outs(%ea : tensor<7x64xbf16>) {
  ^bb0(%a: f32, %o: bf16):
    %t = arith.truncf %a : f32 to bf16
    linalg.yield %t : bf16
  } -> tensor<7x64xbf16>
  %ew16 = tensor.empty() : tensor<64x64xbf16>
  %w16 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%w : tensor<64x64xf32>) outs(%ew16 : tensor<64x64xbf16>) {
  ^bb0(%a: f32, %o: bf16):
    %t = arith.truncf %a : f32 to bf16
    linalg.yield %t : bf16
  } -> tensor<64x64xbf16>
  %wt = linalg.transpose ins(%w16 : tensor<64x64xbf16>) outs(%ew16 : tensor<64x64xbf16>) permutation = [1, 0]
  %ey = tensor.empty() : tensor<7x64xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<7x64xf32>) -> tensor<7x64xf32>
  %y = linalg.matmul ins(%x16, %wt : tensor<7x64xbf16>, tensor<64x64xbf16>) outs(%fy : tensor<7x64xf32>) -> tensor<7x64xf32>
  %dx = linalg.matmul ins(%dy16, %w16 : tensor<7x64xbf16>, tensor<64x64xbf16>) outs(%fy : tensor<7x64xf32>) -> tensor<7x64xf32>
  %edt = tensor.empty() : tensor<64x7xbf16>
  %dyt = linalg.transpose ins(%dy16 : tensor<7x64xbf16>) outs(%edt : tensor<64x7xbf16>) permutation = [1, 0]
  %et = tensor.empty() : tensor<64x64xf32>
  %fw = linalg.fill ins(%zero : f32) outs(%et : tensor<64x64xf32>) -> tensor<64x64xf32>
  %dw = linalg.matmul ins(%dyt, %x16 : tensor<64x7xbf16>, tensor<7x64xbf16>) outs(%fw : tensor<64x64xf32>) -> tensor<64x64xf32>
  // v' = mu * v + dw; w' = w - lr * v', on the f32 master weight.
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
