// RUN: pixelfly-opt %s --pixelfly-sparsify -split-input-file | FileCheck %s
// RUN: pixelfly-opt %s --pixelfly-sparsify -split-input-file -verify-diagnostics -o /dev/null

// Every recognized form of a linear layer, with plans given by hand so that
// each check pins one rewrite.

#bf = #pixelfly.plan<structure = butterfly, pattern = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 16>, rank = 16>
#mk = affine_map<(m, n, k) -> (m, k)>
#nk = affine_map<(m, n, k) -> (n, k)>
#mn = affine_map<(m, n, k) -> (m, n)>

// A weight argument in the PyTorch layout: the signature takes the blocks,
// U, V and a learned gamma in its place, and @layer_pack gathers the blocks
// from a dense weight.
// CHECK: #[[L:.+]] = #pixelfly.block_layout<shape = 64x32, block = 16x16, source = #{{.*}}>
// CHECK-LABEL: func.func @layer(
// CHECK-SAME:      %[[X:.+]]: tensor<?x32xf16>, %[[B:.+]]: tensor<4x16x16xf16>, %[[U:.+]]: tensor<64x16xf16>, %[[V:.+]]: tensor<32x16xf16>, %[[G:.+]]: f32, %[[ACC:.+]]: tensor<?x64xf32>)
// CHECK-NEXT:    %[[Y:.+]] = pixelfly.linear ins(%[[X]], %[[B]], %[[U]], %[[V]] : tensor<?x32xf16>, tensor<4x16x16xf16>, tensor<64x16xf16>, tensor<32x16xf16>) gamma(%[[G]] : f32) outs(%[[ACC]] : tensor<?x64xf32>) layout(#[[L]]) -> tensor<?x64xf32>
// CHECK-NEXT:    return %[[Y]]
// CHECK-LABEL: func.func @layer_pack(
// CHECK-SAME:      %[[W:.+]]: tensor<64x32xf16>) -> tensor<4x16x16xf16>
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<4x16x16xf16>
// CHECK:         %[[S0:.+]] = tensor.extract_slice %[[W]][0, 0] [16, 16] [1, 1]
// CHECK:         %[[I0:.+]] = tensor.insert_slice %[[S0]] into %[[E]][0, 0, 0] [1, 16, 16] [1, 1, 1]
// CHECK:         tensor.extract_slice %[[W]][16, 0] [16, 16] [1, 1]
// CHECK:         tensor.extract_slice %[[W]][32, 16] [16, 16] [1, 1]
// CHECK:         %[[S3:.+]] = tensor.extract_slice %[[W]][48, 16] [16, 16] [1, 1]
// CHECK:         %[[I3:.+]] = tensor.insert_slice %[[S3]] into %{{.+}}[3, 0, 0] [1, 16, 16] [1, 1, 1]
// CHECK:         return %[[I3]] : tensor<4x16x16xf16>
func.func @layer(%x: tensor<?x32xf16>, %w: tensor<64x32xf16>, %acc: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %y = linalg.matmul indexing_maps = [#mk, #nk, #mn] {pixelfly.plan = #bf}
         ins(%x, %w : tensor<?x32xf16>, tensor<64x32xf16>) outs(%acc : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// -----

#bf0 = #pixelfly.plan<structure = butterfly, pattern = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 16>>

// A constant weight behind linalg.transpose with a rank-0 plan: a
// block-sparse product on new constant blocks; the dense constant and the
// transpose are gone. The bias add that consumes the result stays.
// CHECK-LABEL: func.func @constant_behind_transpose(
// CHECK-SAME:      %[[X:.+]]: tensor<8x32xf32>, %[[BIAS:.+]]: tensor<8x64xf32>, %[[ACC:.+]]: tensor<8x64xf32>)
// CHECK-NEXT:    %[[B:.+]] = arith.constant dense<{{.+}}> : tensor<4x16x16xf32>
// CHECK-NEXT:    %[[Y:.+]] = pixelfly.block_sparse_matmul ins(%[[X]], %[[B]] : tensor<8x32xf32>, tensor<4x16x16xf32>) outs(%[[ACC]] : tensor<8x64xf32>)
// CHECK-NEXT:    %[[R:.+]] = arith.addf %[[Y]], %[[BIAS]]
// CHECK-NEXT:    return %[[R]]
func.func @constant_behind_transpose(%x: tensor<8x32xf32>, %bias: tensor<8x64xf32>, %acc: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %w = arith.constant dense<0.25> : tensor<64x32xf32>
  %e = tensor.empty() : tensor<32x64xf32>
  %wt = linalg.transpose ins(%w : tensor<64x32xf32>) outs(%e : tensor<32x64xf32>) permutation = [1, 0]
  %y = linalg.matmul {pixelfly.plan = #bf0} ins(%x, %wt : tensor<8x32xf32>, tensor<32x64xf32>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  %r = arith.addf %y, %bias : tensor<8x64xf32>
  return %r : tensor<8x64xf32>
}

// -----

#bf = #pixelfly.plan<structure = butterfly, pattern = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 16>, rank = 16>

// A linalg.generic over (batch, sequence) with a (k, n) constant weight: the
// activation and the result are collapsed to 2-D around a pixelfly.linear
// with a constant gamma and constant parameters.
// CHECK-LABEL: func.func @generic_batched(
// CHECK-SAME:      %[[X:.+]]: tensor<2x4x32xbf16>, %[[ACC:.+]]: tensor<2x4x64xf32>)
// CHECK-DAG:     %[[B:.+]] = arith.constant dense<{{.+}}> : tensor<4x16x16xbf16>
// CHECK-DAG:     %[[U:.+]] = arith.constant dense<{{.+}}> : tensor<64x16xbf16>
// CHECK-DAG:     %[[V:.+]] = arith.constant dense<{{.+}}> : tensor<32x16xbf16>
// CHECK-DAG:     %[[X2:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1], [2]] : tensor<2x4x32xbf16> into tensor<8x32xbf16>
// CHECK-DAG:     %[[A2:.+]] = tensor.collapse_shape %[[ACC]] {{\[}}[0, 1], [2]] : tensor<2x4x64xf32> into tensor<8x64xf32>
// CHECK:         %[[Y:.+]] = pixelfly.linear ins(%[[X2]], %[[B]], %[[U]], %[[V]] : {{.*}}) gamma({{[0-9.e+-]+}}) outs(%[[A2]] : tensor<8x64xf32>)
// CHECK-NEXT:    %[[R:.+]] = tensor.expand_shape %[[Y]] {{\[}}[0, 1], [2]] output_shape [2, 4, 64] : tensor<8x64xf32> into tensor<2x4x64xf32>
// CHECK-NEXT:    return %[[R]]
// CHECK-NOT:     linalg.generic
func.func @generic_batched(%x: tensor<2x4x32xbf16>, %acc: tensor<2x4x64xf32>) -> tensor<2x4x64xf32> {
  %w = arith.constant dense<0.5> : tensor<32x64xbf16>
  %y = linalg.generic {indexing_maps = [affine_map<(b, s, n, k) -> (b, s, k)>, affine_map<(b, s, n, k) -> (k, n)>, affine_map<(b, s, n, k) -> (b, s, n)>],
                       iterator_types = ["parallel", "parallel", "parallel", "reduction"], pixelfly.plan = #bf}
      ins(%x, %w : tensor<2x4x32xbf16>, tensor<32x64xbf16>) outs(%acc : tensor<2x4x64xf32>) {
  ^bb0(%a: bf16, %b: bf16, %c: f32):
    %ae = arith.extf %a : bf16 to f32
    %be = arith.extf %b : bf16 to f32
    %p = arith.mulf %ae, %be : f32
    %s = arith.addf %c, %p : f32
    linalg.yield %s : f32
  } -> tensor<2x4x64xf32>
  return %y : tensor<2x4x64xf32>
}
