// A dense transformer MLP block as a front end emits it in linalg on
// tensors: GPT-2-small sizes (d_model 768, hidden 3072), 2048 tokens, bf16,
// weights in the PyTorch layout (out x in) as function arguments, biases
// and a GELU (tanh approximation) in between.
//
// Run: scripts/run-example.sh   (budget analysis: plans and report)

#mk = affine_map<(m, n, k) -> (m, k)>
#nk = affine_map<(m, n, k) -> (n, k)>
#mn = affine_map<(m, n, k) -> (m, n)>
#id = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (j)>

func.func @mlp(%x: tensor<2048x768xbf16>,
               %w_fc: tensor<3072x768xbf16>, %b_fc: tensor<3072xf32>,
               %w_proj: tensor<768x3072xbf16>, %b_proj: tensor<768xf32>)
    -> tensor<2048x768xf32> {
  %zero = arith.constant 0.0 : f32
  %half = arith.constant 0.5 : f32
  %one = arith.constant 1.0 : f32
  %c = arith.constant 0.7978845608 : f32   // sqrt(2 / pi)
  %a = arith.constant 0.044715 : f32

  // h = gelu(x * W_fc^T + b_fc)
  %e1 = tensor.empty() : tensor<2048x3072xf32>
  %z1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<2048x3072xf32>) -> tensor<2048x3072xf32>
  %fc = linalg.matmul indexing_maps = [#mk, #nk, #mn]
          ins(%x, %w_fc : tensor<2048x768xbf16>, tensor<3072x768xbf16>)
          outs(%z1 : tensor<2048x3072xf32>) -> tensor<2048x3072xf32>
  %eh = tensor.empty() : tensor<2048x3072xbf16>
  %h = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%fc, %b_fc : tensor<2048x3072xf32>, tensor<3072xf32>) outs(%eh : tensor<2048x3072xbf16>) {
  ^bb0(%v: f32, %b: f32, %out: bf16):
    %s = arith.addf %v, %b : f32
    %s3 = arith.mulf %s, %s : f32
    %s3b = arith.mulf %s3, %s : f32
    %t0 = arith.mulf %s3b, %a : f32
    %t1 = arith.addf %s, %t0 : f32
    %t2 = arith.mulf %t1, %c : f32
    %t3 = math.tanh %t2 : f32
    %t4 = arith.addf %t3, %one : f32
    %t5 = arith.mulf %t4, %half : f32
    %g = arith.mulf %s, %t5 : f32
    %r = arith.truncf %g : f32 to bf16
    linalg.yield %r : bf16
  } -> tensor<2048x3072xbf16>

  // y = h * W_proj^T + b_proj, accumulated onto the broadcast bias.
  %e2 = tensor.empty() : tensor<2048x768xf32>
  %bias = linalg.broadcast ins(%b_proj : tensor<768xf32>) outs(%e2 : tensor<2048x768xf32>) dimensions = [0]
  %y = linalg.matmul indexing_maps = [#mk, #nk, #mn]
         ins(%h, %w_proj : tensor<2048x3072xbf16>, tensor<768x3072xbf16>)
         outs(%bias : tensor<2048x768xf32>) -> tensor<2048x768xf32>
  return %y : tensor<2048x768xf32>
}
