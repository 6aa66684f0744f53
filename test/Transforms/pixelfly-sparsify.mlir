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
// CHECK-DAG:     %[[E:.+]] = tensor.empty() : tensor<4x16x16xf16>
// CHECK-DAG:     %[[ROWS:.+]] = arith.constant dense<[0, 1, 2, 3]> : tensor<4xindex>
// CHECK-DAG:     %[[COLS:.+]] = arith.constant dense<[0, 0, 1, 1]> : tensor<4xindex>
// CHECK:         %[[G:.+]] = scf.for %[[P:.+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%[[ACC:.+]] = %[[E]]) -> (tensor<4x16x16xf16>) {
// CHECK:           %[[R:.+]] = tensor.extract %[[ROWS]][%[[P]]]
// CHECK:           %[[R0:.+]] = arith.muli %[[R]], %{{.+}} : index
// CHECK:           %[[C:.+]] = tensor.extract %[[COLS]][%[[P]]]
// CHECK:           %[[C0:.+]] = arith.muli %[[C]], %{{.+}} : index
// CHECK:           %[[T:.+]] = tensor.extract_slice %[[W]][%[[R0]], %[[C0]]] [16, 16] [1, 1]
// CHECK:           %[[I:.+]] = tensor.insert_slice %[[T]] into %[[ACC]][%[[P]], 0, 0] [1, 16, 16] [1, 1, 1]
// CHECK:           scf.yield %[[I]]
// CHECK:         return %[[G]] : tensor<4x16x16xf16>
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

// -----

#tf = #pixelfly.plan<structure = two_four>

// A 2:4 plan on a constant in the PyTorch layout (transposition maps): the
// two largest of every four are kept, here columns 2 and 3 of each group
// (nibble 0b1110), and the dense constant is gone.
// CHECK-LABEL: func.func @two_four_constant(
// CHECK-SAME:      %[[X:.+]]: tensor<5x16xf32>, %[[ACC:.+]]: tensor<5x8xf32>)
// CHECK-DAG:     %[[VAL:.+]] = arith.constant dense<1.000000e+00> : tensor<8x8xf32>
// CHECK-DAG:     %[[META:.+]] = arith.constant dense<-4370> : tensor<8x1xi16>
// CHECK:         %[[Y:.+]] = pixelfly.two_four_matmul ins(%[[X]], %[[VAL]], %[[META]] : tensor<5x16xf32>, tensor<8x8xf32>, tensor<8x1xi16>) outs(%[[ACC]] : tensor<5x8xf32>)
// CHECK-NEXT:    return %[[Y]]
// CHECK-NOT:     tensor<8x16xf32>
func.func @two_four_constant(%x: tensor<5x16xf32>, %acc: tensor<5x8xf32>) -> tensor<5x8xf32> {
  %w = arith.constant dense<[[0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0]]> : tensor<8x16xf32>
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>] {pixelfly.plan = #tf}
         ins(%x, %w : tensor<5x16xf32>, tensor<8x16xf32>) outs(%acc : tensor<5x8xf32>) -> tensor<5x8xf32>
  return %y : tensor<5x8xf32>
}

// -----

#tft = #pixelfly.plan<structure = two_four, transposable = true>

// A 2:4 plan on an argument: the signature takes values and metadata, and
// the pack function prunes and compresses with pixelfly.prune_2_4 (the
// transposable variant, as the plan says).
// CHECK-LABEL: func.func @two_four_argument(
// CHECK-SAME:      %[[X:.+]]: tensor<4x32xbf16>, %[[VAL:.+]]: tensor<16x16xbf16>, %[[META:.+]]: tensor<16x2xi16>, %[[ACC:.+]]: tensor<4x16xf32>)
// CHECK-NEXT:    pixelfly.two_four_matmul ins(%[[X]], %[[VAL]], %[[META]] : {{.*}}) outs(%[[ACC]] : tensor<4x16xf32>)
// CHECK-LABEL: func.func @two_four_argument_pack(
// CHECK-SAME:      %[[W:.+]]: tensor<32x16xbf16>) -> (tensor<16x16xbf16>, tensor<16x2xi16>)
// CHECK:         %[[WT:.+]] = linalg.transpose ins(%[[W]] : tensor<32x16xbf16>) outs(%{{.+}} : tensor<16x32xbf16>) permutation = [1, 0]
// CHECK:         %[[P:.+]]:2 = pixelfly.prune_2_4 transposable ins(%[[WT]] : tensor<16x32xbf16>)
// CHECK-NEXT:    return %[[P]]#0, %[[P]]#1
func.func @two_four_argument(%x: tensor<4x32xbf16>, %w: tensor<32x16xbf16>, %acc: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %y = linalg.matmul {pixelfly.plan = #tft} ins(%x, %w : tensor<4x32xbf16>, tensor<32x16xbf16>) outs(%acc : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}

// -----

#lr = #pixelfly.plan<structure = low_rank, rank = 16>

// linalg.batch_matmul with one weight broadcast over the batch: the batch
// folds into the tokens. A low-rank plan on an argument needs no pack
// function: U and V are parameters of their own.
// CHECK-LABEL: func.func @batch_shared(
// CHECK-SAME:      %[[X:.+]]: tensor<3x8x32xf32>, %[[U:.+]]: tensor<64x16xf32>, %[[V:.+]]: tensor<32x16xf32>, %[[ACC:.+]]: tensor<3x8x64xf32>)
// CHECK-DAG:     %[[X2:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1], [2]] : tensor<3x8x32xf32> into tensor<24x32xf32>
// CHECK-DAG:     %[[A2:.+]] = tensor.collapse_shape %[[ACC]] {{\[}}[0, 1], [2]] : tensor<3x8x64xf32> into tensor<24x64xf32>
// CHECK:         %[[Y:.+]] = pixelfly.low_rank_matmul ins(%[[X2]], %[[U]], %[[V]] : {{.*}}) outs(%[[A2]] : tensor<24x64xf32>)
// CHECK-NEXT:    %[[R:.+]] = tensor.expand_shape %[[Y]] {{\[}}[0, 1], [2]] output_shape [3, 8, 64]
// CHECK-NEXT:    return %[[R]]
// CHECK-NOT:     func.func @batch_shared_pack
func.func @batch_shared(%x: tensor<3x8x32xf32>, %w: tensor<32x64xf32>, %acc: tensor<3x8x64xf32>) -> tensor<3x8x64xf32> {
  %e = tensor.empty() : tensor<3x32x64xf32>
  %wb = linalg.broadcast ins(%w : tensor<32x64xf32>) outs(%e : tensor<3x32x64xf32>) dimensions = [0]
  %y = linalg.batch_matmul {pixelfly.plan = #lr} ins(%x, %wb : tensor<3x8x32xf32>, tensor<3x32x64xf32>) outs(%acc : tensor<3x8x64xf32>) -> tensor<3x8x64xf32>
  return %y : tensor<3x8x64xf32>
}

// -----

#lr = #pixelfly.plan<structure = low_rank, rank = 16>

// The weight is the left operand (Y^T = W X^T): the activation and the
// result are transposed around the product. A constant there is the weight
// even though the other operand is an argument.
// CHECK-LABEL: func.func @weight_left(
// CHECK-SAME:      %[[XT:.+]]: tensor<32x8xf32>, %[[ACC:.+]]: tensor<64x8xf32>)
// CHECK-DAG:     %[[U:.+]] = arith.constant dense<{{.+}}> : tensor<64x16xf32>
// CHECK-DAG:     %[[V:.+]] = arith.constant dense<{{.+}}> : tensor<32x16xf32>
// CHECK-DAG:     %[[X:.+]] = linalg.transpose ins(%[[XT]] : tensor<32x8xf32>) outs(%{{.+}} : tensor<8x32xf32>) permutation = [1, 0]
// CHECK-DAG:     %[[A:.+]] = linalg.transpose ins(%[[ACC]] : tensor<64x8xf32>) outs(%{{.+}} : tensor<8x64xf32>) permutation = [1, 0]
// CHECK:         %[[Y:.+]] = pixelfly.low_rank_matmul ins(%[[X]], %[[U]], %[[V]] : {{.*}}) outs(%[[A]] : tensor<8x64xf32>)
// CHECK:         %[[R:.+]] = linalg.transpose ins(%[[Y]] : tensor<8x64xf32>) outs(%{{.+}} : tensor<64x8xf32>) permutation = [1, 0]
// CHECK-NEXT:    return %[[R]]
func.func @weight_left(%xt: tensor<32x8xf32>, %acc: tensor<64x8xf32>) -> tensor<64x8xf32> {
  %w = arith.constant dense<1.0> : tensor<64x32xf32>
  %y = linalg.matmul {pixelfly.plan = #lr} ins(%w, %xt : tensor<64x32xf32>, tensor<32x8xf32>) outs(%acc : tensor<64x8xf32>) -> tensor<64x8xf32>
  return %y : tensor<64x8xf32>
}

// -----

#bf = #pixelfly.plan<structure = butterfly, pattern = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 16>, rank = 16>

// A weight argument behind a transposing linalg.generic copy and one with a
// unit dimension in front (a reshape that does not move entries): both are
// traced to the argument, and the pack functions undo the reshape and the
// transposition before gathering.
// CHECK-LABEL: func.func @generic_transpose(
// CHECK-SAME:      %{{.+}}: tensor<8x32xf32>, %{{.+}}: tensor<4x16x16xf32>, %{{.+}}: tensor<64x16xf32>, %{{.+}}: tensor<32x16xf32>, %{{.+}}: f32, %{{.+}}: tensor<8x64xf32>)
// CHECK-NEXT:    pixelfly.linear
// CHECK-NEXT:    return
// CHECK-LABEL: func.func @generic_transpose_pack(
// CHECK-SAME:      %[[W:.+]]: tensor<64x32xf32>) -> tensor<4x16x16xf32>
// CHECK-NOT:     linalg.transpose
// CHECK:         tensor.extract_slice %[[W]][%{{.+}}, %{{.+}}] [16, 16] [1, 1]
// CHECK-LABEL: func.func @unit_dim(
// CHECK-SAME:      %{{.+}}: tensor<8x32xf32>, %{{.+}}: tensor<4x16x16xf32>, %{{.+}}: tensor<64x16xf32>, %{{.+}}: tensor<32x16xf32>, %{{.+}}: f32, %{{.+}}: tensor<8x64xf32>)
// CHECK-NEXT:    pixelfly.linear
// CHECK-LABEL: func.func @unit_dim_pack(
// CHECK-SAME:      %[[W:.+]]: tensor<1x32x64xf32>) -> tensor<4x16x16xf32>
// CHECK:         %[[W2:.+]] = tensor.collapse_shape %[[W]] {{\[}}[0, 1], [2]] : tensor<1x32x64xf32> into tensor<32x64xf32>
// CHECK:         %[[WT:.+]] = linalg.transpose ins(%[[W2]] : tensor<32x64xf32>) outs(%{{.+}} : tensor<64x32xf32>) permutation = [1, 0]
// CHECK:         tensor.extract_slice %[[WT]][%{{.+}}, %{{.+}}] [16, 16] [1, 1]
func.func @generic_transpose(%x: tensor<8x32xf32>, %w: tensor<64x32xf32>, %acc: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %e = tensor.empty() : tensor<32x64xf32>
  %wt = linalg.generic {indexing_maps = [affine_map<(i, j) -> (j, i)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%w : tensor<64x32xf32>) outs(%e : tensor<32x64xf32>) {
  ^bb0(%a: f32, %b: f32):
    linalg.yield %a : f32
  } -> tensor<32x64xf32>
  %y = linalg.matmul {pixelfly.plan = #bf} ins(%x, %wt : tensor<8x32xf32>, tensor<32x64xf32>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}
func.func @unit_dim(%x: tensor<8x32xf32>, %w: tensor<1x32x64xf32>, %acc: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %w2 = tensor.collapse_shape %w [[0, 1], [2]] : tensor<1x32x64xf32> into tensor<32x64xf32>
  %y = linalg.matmul {pixelfly.plan = #bf} ins(%x, %w2 : tensor<8x32xf32>, tensor<32x64xf32>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

// -----

#lr = #pixelfly.plan<structure = low_rank, rank = 16>

// A dense_resource weight (as torch-mlir and IREE write them): projected from
// the blob, which is dropped with the constant. The blob is a scaled 16x16
// identity with the 4-byte alignment header of the resource format.
// CHECK-LABEL: func.func @resource(
// CHECK-SAME:      %[[X:.+]]: tensor<8x16xf32>, %[[ACC:.+]]: tensor<8x16xf32>)
// CHECK-DAG:     %[[U:.+]] = arith.constant dense<{{.+}}> : tensor<16x16xf32>
// CHECK-DAG:     %[[V:.+]] = arith.constant dense<{{.+}}> : tensor<16x16xf32>
// CHECK:         pixelfly.low_rank_matmul ins(%[[X]], %[[U]], %[[V]] : {{.*}}) outs(%[[ACC]] : tensor<8x16xf32>)
// CHECK-NOT:     dense_resource
// CHECK-NOT:     weight_blob
func.func @resource(%x: tensor<8x16xf32>, %acc: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %w = arith.constant dense_resource<weight_blob> : tensor<16x16xf32>
  %y = linalg.matmul {pixelfly.plan = #lr} ins(%x, %w : tensor<8x16xf32>, tensor<16x16xf32>) outs(%acc : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}
{-#
  dialect_resources: {
    builtin: {
      weight_blob: "0x040000000000803F000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000803F000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000803F000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000803F000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000803F000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000803F000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000803F000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000803F000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000803F000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000803F000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000803F000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000803F000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000803F000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000803F000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000803F000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000803F"
    }
  }
#-}

// -----

// Tied weights: one constant read by two layers with the same plan is
// projected once; both products read the same blocks, and the dense
// constant goes.
#bf0 = #pixelfly.plan<structure = butterfly, pattern = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 16>>
// CHECK-LABEL: func.func @tied(
// CHECK-NOT:     tensor<64x64xf32>
// CHECK:         %[[B:.+]] = arith.constant dense<{{.+}}> : tensor<8x16x16xf32>
// CHECK-NOT:     arith.constant {{.+}} : tensor<8x16x16xf32>
// CHECK:         pixelfly.block_sparse_matmul ins(%{{.+}}, %[[B]] :
// CHECK:         pixelfly.block_sparse_matmul ins(%{{.+}}, %[[B]] :
func.func @tied(%x: tensor<8x64xf32>, %acc: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %w = arith.constant dense<0.5> : tensor<64x64xf32>
  %y = linalg.matmul {pixelfly.plan = #bf0} ins(%x, %w : tensor<8x64xf32>, tensor<64x64xf32>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  %z = linalg.matmul {pixelfly.plan = #bf0} ins(%y, %w : tensor<8x64xf32>, tensor<64x64xf32>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %z : tensor<8x64xf32>
}

// -----

// Weights read through a float conversion (an autocast export rounds an f32
// weight to bf16 before its product). A constant under one plain rounding:
// the projection is stored as bf16, the conversion folded. Under a rounding
// with its own mode, the projection stays f32 and the same conversion is
// applied to it. An argument: its parameters keep the argument's type (the
// pack function reads the f32 weight) and are converted before the product.
#cv = #pixelfly.plan<structure = butterfly, pattern = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 16>>
#cid = affine_map<(i, j) -> (i, j)>
// CHECK-LABEL: func.func @rounded_constant(
// CHECK-NOT:     linalg.generic
// CHECK:         %[[B:.+]] = arith.constant dense<{{.+}}> : tensor<8x16x16xbf16>
// CHECK-NOT:     linalg.generic
// CHECK:         pixelfly.block_sparse_matmul ins(%{{.+}}, %[[B]] : tensor<8x64xbf16>, tensor<8x16x16xbf16>)
func.func @rounded_constant(%x: tensor<8x64xbf16>, %acc: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %w = arith.constant dense<0.5> : tensor<64x64xf32>
  %e = tensor.empty() : tensor<64x64xbf16>
  %wb = linalg.generic {indexing_maps = [#cid, #cid], iterator_types = ["parallel", "parallel"]}
      ins(%w : tensor<64x64xf32>) outs(%e : tensor<64x64xbf16>) {
  ^bb0(%a: f32, %o: bf16):
    %t = arith.truncf %a : f32 to bf16
    linalg.yield %t : bf16
  } -> tensor<64x64xbf16>
  %y = linalg.matmul {pixelfly.plan = #cv} ins(%x, %wb : tensor<8x64xbf16>, tensor<64x64xbf16>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

// CHECK-LABEL: func.func @rounded_with_mode(
// CHECK:         %[[B:.+]] = arith.constant dense<{{.+}}> : tensor<8x16x16xf32>
// CHECK:         %[[R:.+]] = linalg.generic {{.+}} ins(%[[B]] : tensor<8x16x16xf32>) outs(%{{.+}} : tensor<8x16x16xbf16>)
// CHECK:           arith.truncf %{{.+}} to_nearest_away : f32 to bf16
// CHECK:         pixelfly.block_sparse_matmul ins(%{{.+}}, %[[R]] : tensor<8x64xbf16>, tensor<8x16x16xbf16>)
func.func @rounded_with_mode(%x: tensor<8x64xbf16>, %acc: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %w = arith.constant dense<0.5> : tensor<64x64xf32>
  %wb = arith.truncf %w to_nearest_away : tensor<64x64xf32> to tensor<64x64xbf16>
  %y = linalg.matmul {pixelfly.plan = #cv} ins(%x, %wb : tensor<8x64xbf16>, tensor<64x64xbf16>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

// CHECK-LABEL: func.func @rounded_argument(
// CHECK-SAME:      %{{.+}}: tensor<8x64xbf16>, %[[B:.+]]: tensor<8x16x16xf32>,
// CHECK:         %[[R:.+]] = linalg.generic {{.+}} ins(%[[B]] : tensor<8x16x16xf32>) outs(%{{.+}} : tensor<8x16x16xbf16>)
// CHECK:         pixelfly.block_sparse_matmul ins(%{{.+}}, %[[R]] : tensor<8x64xbf16>, tensor<8x16x16xbf16>)
// CHECK-LABEL: func.func @rounded_argument_pack(
// CHECK-SAME:      tensor<64x64xf32>) -> tensor<8x16x16xf32>
func.func @rounded_argument(%x: tensor<8x64xbf16>, %w: tensor<64x64xf32>, %acc: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %wb = arith.truncf %w : tensor<64x64xf32> to tensor<64x64xbf16>
  %y = linalg.matmul {pixelfly.plan = #cv} ins(%x, %wb : tensor<8x64xbf16>, tensor<64x64xbf16>) outs(%acc : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}
