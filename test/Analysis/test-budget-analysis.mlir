// RUN: pixelfly-opt %s --test-pixelfly-budget-analysis --allow-unregistered-dialect -o /dev/null | FileCheck %s

// Which contractions are linear layers, which operand is the weight, where
// the weight comes from, and why a contraction is not eligible.

#mk = affine_map<(m, n, k) -> (m, k)>
#nk = affine_map<(m, n, k) -> (n, k)>
#mn = affine_map<(m, n, k) -> (m, n)>

// CHECK: @pytorch_layout#0 linalg.matmul: m=16 n=64 k=32 weight=1 (n, k) from argument 1 f16 eligible
func.func @pytorch_layout(%x: tensor<16x32xf16>, %w: tensor<64x32xf16>, %acc: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %y = linalg.matmul indexing_maps = [#mk, #nk, #mn]
         ins(%x, %w : tensor<16x32xf16>, tensor<64x32xf16>) outs(%acc : tensor<16x64xf32>) -> tensor<16x64xf32>
  return %y : tensor<16x64xf32>
}

// The weight behind a linalg.transpose of a constant, and behind a
// transposing linalg.generic.
// CHECK: @transposed_constant#0 linalg.matmul: m=16 n=64 k=32 weight=1 (k, n) from arith.constant bf16 eligible
// CHECK: @transposed_constant#1 linalg.matmul: m=16 n=64 k=32 weight=1 (k, n) from arith.constant bf16 eligible
func.func @transposed_constant(%x: tensor<16x32xbf16>, %acc: tensor<16x64xf32>) -> (tensor<16x64xf32>, tensor<16x64xf32>) {
  %w = arith.constant dense<1.0> : tensor<64x32xbf16>
  %e = tensor.empty() : tensor<32x64xbf16>
  %wt = linalg.transpose ins(%w : tensor<64x32xbf16>) outs(%e : tensor<32x64xbf16>) permutation = [1, 0]
  %y = linalg.matmul ins(%x, %wt : tensor<16x32xbf16>, tensor<32x64xbf16>) outs(%acc : tensor<16x64xf32>) -> tensor<16x64xf32>
  %wg = linalg.generic {indexing_maps = [affine_map<(i, j) -> (j, i)>, affine_map<(i, j) -> (i, j)>],
                        iterator_types = ["parallel", "parallel"]}
      ins(%w : tensor<64x32xbf16>) outs(%e : tensor<32x64xbf16>) {
  ^bb0(%in: bf16, %out: bf16):
    linalg.yield %in : bf16
  } -> tensor<32x64xbf16>
  %z = linalg.matmul ins(%x, %wg : tensor<16x32xbf16>, tensor<32x64xbf16>) outs(%acc : tensor<16x64xf32>) -> tensor<16x64xf32>
  return %y, %z : tensor<16x64xf32>, tensor<16x64xf32>
}

// A batch_matmul whose weight is broadcast over the batch is a layer over
// batch * tokens rows; one between two activations is not a layer.
// CHECK: @batched#0 linalg.batch_matmul: m=32 n=64 k=32 weight=1 (k, n) from argument 1 f32 eligible
// CHECK: @batched#1 linalg.batch_matmul: no weight: not a contraction of an activation with a weight
func.func @batched(%x: tensor<2x16x32xf32>, %w: tensor<32x64xf32>, %acc: tensor<2x16x64xf32>,
                   %k: tensor<2x32x16xf32>, %s: tensor<2x16x16xf32>) -> (tensor<2x16x64xf32>, tensor<2x16x16xf32>) {
  %e = tensor.empty() : tensor<2x32x64xf32>
  %wb = linalg.broadcast ins(%w : tensor<32x64xf32>) outs(%e : tensor<2x32x64xf32>) dimensions = [0]
  %y = linalg.batch_matmul ins(%x, %wb : tensor<2x16x32xf32>, tensor<2x32x64xf32>) outs(%acc : tensor<2x16x64xf32>) -> tensor<2x16x64xf32>
  %q = arith.negf %x : tensor<2x16x32xf32>
  %att = linalg.batch_matmul ins(%q, %k : tensor<2x16x32xf32>, tensor<2x32x16xf32>) outs(%s : tensor<2x16x16xf32>) -> tensor<2x16x16xf32>
  return %y, %att : tensor<2x16x64xf32>, tensor<2x16x16xf32>
}

// A linalg.generic contraction over (batch, sequence) with a shared weight.
// CHECK: @generic#0 linalg.generic: m=24 n=64 k=32 weight=1 (n, k) from argument 1 f16 eligible
func.func @generic(%x: tensor<2x12x32xf16>, %w: tensor<64x32xf16>, %acc: tensor<2x12x64xf32>) -> tensor<2x12x64xf32> {
  %y = linalg.generic {indexing_maps = [affine_map<(b, s, n, k) -> (b, s, k)>,
                                        affine_map<(b, s, n, k) -> (n, k)>,
                                        affine_map<(b, s, n, k) -> (b, s, n)>],
                       iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<2x12x32xf16>, tensor<64x32xf16>) outs(%acc : tensor<2x12x64xf32>) {
  ^bb0(%a: f16, %b: f16, %c: f32):
    %ae = arith.extf %a : f16 to f32
    %be = arith.extf %b : f16 to f32
    %p = arith.mulf %ae, %be : f32
    %s = arith.addf %c, %p : f32
    linalg.yield %s : f32
  } -> tensor<2x12x64xf32>
  return %y : tensor<2x12x64xf32>
}

// The weight on the left (Y^T = W * X^T) when the right operand is computed;
// a weight loaded from a global.
// CHECK: @weight_left#0 linalg.matmul: m=16 n=64 k=32 weight=0 (n, k) from argument 0 f32 eligible
// CHECK: @weight_left#1 linalg.matmul: m=16 n=64 k=32 weight=1 (k, n) from test.global_load f32 eligible
func.func @weight_left(%w: tensor<64x32xf32>, %x: tensor<32x16xf32>, %acc: tensor<64x16xf32>,
                       %x2: tensor<16x32xf32>, %acc2: tensor<16x64xf32>) -> (tensor<64x16xf32>, tensor<16x64xf32>) {
  %xn = arith.negf %x : tensor<32x16xf32>
  %y = linalg.matmul ins(%w, %xn : tensor<64x32xf32>, tensor<32x16xf32>) outs(%acc : tensor<64x16xf32>) -> tensor<64x16xf32>
  %g = "test.global_load"() : () -> tensor<32x64xf32>
  %z = linalg.matmul ins(%x2, %g : tensor<16x32xf32>, tensor<32x64xf32>) outs(%acc2 : tensor<16x64xf32>) -> tensor<16x64xf32>
  return %y, %z : tensor<64x16xf32>, tensor<16x64xf32>
}

// Not eligible: dynamic weight shape, unsupported element type; dynamic
// tokens are recorded as '?' (the pass decides with its 'tokens' option);
// buffers; two computed operands.
// CHECK: @not_eligible#0 linalg.matmul: m=? n=64 k=32 weight=1 (k, n) from argument 1 f32 eligible
// CHECK: @not_eligible#1 linalg.matmul: m=16 n=? k=32 weight=1 (k, n) from argument 3 f32 not eligible: dynamic shape of the weight
// CHECK: @not_eligible#2 linalg.matmul: m=16 n=64 k=32 weight=1 (k, n) from argument 5 i8 not eligible: unsupported element type i8 (expected f16, bf16 or f32)
// CHECK: @not_eligible#3 linalg.matmul: no weight: not on tensors (run before bufferization)
// CHECK: @not_eligible#4 linalg.matmul: no weight: not a contraction of an activation with a weight
func.func @not_eligible(%xd: tensor<?x32xf32>, %w: tensor<32x64xf32>, %accd: tensor<?x64xf32>,
                        %wd: tensor<32x?xf32>, %acc: tensor<16x?xf32>,
                        %wi: tensor<32x64xi8>, %xi: tensor<16x32xi8>, %acci: tensor<16x64xi32>,
                        %mx: memref<16x32xf32>, %mw: memref<32x64xf32>, %macc: memref<16x64xf32>,
                        %x: tensor<16x32xf32>, %acc2: tensor<16x64xf32>)
    -> (tensor<?x64xf32>, tensor<16x?xf32>, tensor<16x64xi32>, tensor<16x64xf32>) {
  %x0 = tensor.extract_slice %xd[0, 0] [16, 32] [1, 1] : tensor<?x32xf32> to tensor<16x32xf32>
  %a = linalg.matmul ins(%xd, %w : tensor<?x32xf32>, tensor<32x64xf32>) outs(%accd : tensor<?x64xf32>) -> tensor<?x64xf32>
  %b = linalg.matmul ins(%x0, %wd : tensor<16x32xf32>, tensor<32x?xf32>) outs(%acc : tensor<16x?xf32>) -> tensor<16x?xf32>
  %c = linalg.matmul ins(%xi, %wi : tensor<16x32xi8>, tensor<32x64xi8>) outs(%acci : tensor<16x64xi32>) -> tensor<16x64xi32>
  linalg.matmul ins(%mx, %mw : memref<16x32xf32>, memref<32x64xf32>) outs(%macc : memref<16x64xf32>)
  %xn = arith.negf %x : tensor<16x32xf32>
  %e = tensor.empty() : tensor<32x64xf32>
  %one = arith.constant 1.0 : f32
  %wc = linalg.fill ins(%one : f32) outs(%e : tensor<32x64xf32>) -> tensor<32x64xf32>
  %d = linalg.matmul ins(%xn, %wc : tensor<16x32xf32>, tensor<32x64xf32>) outs(%acc2 : tensor<16x64xf32>) -> tensor<16x64xf32>
  return %a, %b, %c, %d : tensor<?x64xf32>, tensor<16x?xf32>, tensor<16x64xi32>, tensor<16x64xf32>
}
