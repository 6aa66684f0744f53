// A two-layer transformer MLP (d_model 256, hidden 1024) whose weights are
// already Pixelfly-structured: flat block butterfly (32 x 32 blocks, 3/8 of
// the blocks) plus a rank-16 low-rank term. This is what pixelfly-sparsify
// produces from a dense MLP with weights as function arguments (training):
// the parameters of each layer are the stored blocks, U and V.
//
// Run: scripts/run-example.sh examples/sparse_mlp.mlir

#up = #pixelfly.block_layout<shape = 1024x256, block = 32x32,
    source = #pixelfly.flat_butterfly<butterfly_size = 8, n_factors = 2, block = 32>>
#down = #pixelfly.block_layout<shape = 256x1024, block = 32x32,
    source = #pixelfly.flat_butterfly<butterfly_size = 8, n_factors = 2, block = 32>>

func.func @mlp(%x: tensor<?x256xbf16>,
               // Up projection 256 -> 1024: 96 blocks, U: 1024 x 16, V: 256 x 16.
               %b1: tensor<96x32x32xbf16>, %u1: tensor<1024x16xbf16>,
               %v1: tensor<256x16xbf16>, %bias1: tensor<1024xf32>,
               // Down projection 1024 -> 256, gamma learned (a scalar).
               %b2: tensor<96x32x32xbf16>, %u2: tensor<256x16xbf16>,
               %v2: tensor<1024x16xbf16>, %gamma2: f32,
               %bias2: tensor<256xf32>) -> tensor<?x256xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %gamma1 = arith.constant 0.75 : f32
  %m = tensor.dim %x, %c0 : tensor<?x256xbf16>

  // h = relu(x * W1^T + bias1) with W1 = 0.75 * B1 + 0.25 * U1 V1^T.
  %e1 = tensor.empty(%m) : tensor<?x1024xf32>
  %z1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x1024xf32>) -> tensor<?x1024xf32>
  %y1 = pixelfly.linear ins(%x, %b1, %u1, %v1 : tensor<?x256xbf16>, tensor<96x32x32xbf16>,
                                                 tensor<1024x16xbf16>, tensor<256x16xbf16>)
          gamma(%gamma1 : f32) outs(%z1 : tensor<?x1024xf32>) layout(#up) -> tensor<?x1024xf32>
  %eh = tensor.empty(%m) : tensor<?x1024xbf16>
  %h = linalg.generic {
      indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>,
                       affine_map<(i, j) -> (i, j)>],
      iterator_types = ["parallel", "parallel"]}
      ins(%y1, %bias1 : tensor<?x1024xf32>, tensor<1024xf32>) outs(%eh : tensor<?x1024xbf16>) {
  ^bb0(%a: f32, %b: f32, %out: bf16):
    %s = arith.addf %a, %b : f32
    %r = arith.maximumf %s, %zero : f32
    %t = arith.truncf %r : f32 to bf16
    linalg.yield %t : bf16
  } -> tensor<?x1024xbf16>

  // y = h * W2^T + bias2, accumulating onto the broadcast bias.
  %e2 = tensor.empty(%m) : tensor<?x256xf32>
  %init2 = linalg.broadcast ins(%bias2 : tensor<256xf32>) outs(%e2 : tensor<?x256xf32>) dimensions = [0]
  %y = pixelfly.linear ins(%h, %b2, %u2, %v2 : tensor<?x1024xbf16>, tensor<96x32x32xbf16>,
                                                tensor<256x16xbf16>, tensor<1024x16xbf16>)
         gamma(%gamma2 : f32) outs(%init2 : tensor<?x256xf32>) layout(#down) -> tensor<?x256xf32>
  return %y : tensor<?x256xf32>
}
