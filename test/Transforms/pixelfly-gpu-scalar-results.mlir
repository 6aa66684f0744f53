// RUN: pixelfly-opt %s --pass-pipeline="builtin.module(func.func(pixelfly-gpu-scalar-results))" | FileCheck %s

// Linalg ops without a parallel loop (0-d results) get a leading parallel
// loop of size 1, so that the GPU pipeline maps them to a kernel; named
// ops are generalized first; linalg.index moves up by one; ops with a
// parallel loop are left alone.

// CHECK-LABEL: func.func @norm(
// CHECK-SAME:      %[[G:[^:]+]]: tensor<256x64xf32>)
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<f32>
// CHECK:         %[[EE:.+]] = tensor.expand_shape %[[E]] [] output_shape [1] : tensor<f32> into tensor<1xf32>
// CHECK:         %[[F:.+]] = linalg.generic {indexing_maps = [#{{.+}}, #[[UNIT1:.+]]], iterator_types = ["parallel"]} ins(%{{.+}} : f32) outs(%[[EE]] : tensor<1xf32>)
// CHECK:         %[[FC:.+]] = tensor.collapse_shape %[[F]] [] : tensor<1xf32> into tensor<f32>
// CHECK:         %[[FE:.+]] = tensor.expand_shape %[[FC]] [] output_shape [1]
// CHECK:         %[[R:.+]] = linalg.generic {indexing_maps = [#[[IN:.+]], #[[OUT:.+]]], iterator_types = ["parallel", "reduction", "reduction"]} ins(%[[G]] : tensor<256x64xf32>) outs(%[[FE]] : tensor<1xf32>)
// CHECK:           arith.mulf
// CHECK:         %[[RC:.+]] = tensor.collapse_shape %[[R]] [] : tensor<1xf32> into tensor<f32>
// CHECK:         return %[[RC]]
func.func @norm(%g: tensor<256x64xf32>) -> tensor<f32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<f32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> ()>], iterator_types = ["reduction", "reduction"]}
      ins(%g : tensor<256x64xf32>) outs(%f : tensor<f32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.mulf %a, %a : f32
    %t = arith.addf %acc, %s : f32
    linalg.yield %t : f32
  } -> tensor<f32>
  return %r : tensor<f32>
}

// CHECK-LABEL: func.func @indexed(
// CHECK:         linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]
// CHECK:           linalg.index 1 : index
// CHECK-NOT:       linalg.index 0
func.func @indexed(%v: tensor<16xf32>, %acc: tensor<f32>) -> tensor<f32> {
  %r = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> ()>], iterator_types = ["reduction"]}
      ins(%v : tensor<16xf32>) outs(%acc : tensor<f32>) {
  ^bb0(%a: f32, %o: f32):
    %i = linalg.index 0 : index
    %ii = arith.index_cast %i : index to i64
    %fi = arith.sitofp %ii : i64 to f32
    %p = arith.mulf %a, %fi : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  } -> tensor<f32>
  return %r : tensor<f32>
}

// A 0-d elementwise op (a clipping factor) is one too; an op with a
// parallel loop is not.
// CHECK-LABEL: func.func @scalar_and_rows(
// CHECK:         linalg.generic {{.+}} iterator_types = ["parallel"]} ins(%{{.+}} : tensor<f32>) outs(%{{.+}} : tensor<1xf32>)
// CHECK:           math.sqrt
// CHECK:         linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]} ins(%{{.+}} : tensor<8x64xf32>) outs(%{{.+}} : tensor<8xf32>)
func.func @scalar_and_rows(%s: tensor<f32>, %m: tensor<8x64xf32>, %rows: tensor<8xf32>) -> (tensor<f32>, tensor<8xf32>) {
  %e = tensor.empty() : tensor<f32>
  %n = linalg.generic {indexing_maps = [affine_map<() -> ()>, affine_map<() -> ()>], iterator_types = []}
      ins(%s : tensor<f32>) outs(%e : tensor<f32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.sqrt %a : f32
    linalg.yield %r : f32
  } -> tensor<f32>
  %sum = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]}
      ins(%m : tensor<8x64xf32>) outs(%rows : tensor<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = arith.addf %o, %a : f32
    linalg.yield %t : f32
  } -> tensor<8xf32>
  return %n, %sum : tensor<f32>, tensor<8xf32>
}
