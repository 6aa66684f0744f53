// RUN: pixelfly-opt %s --pass-pipeline="builtin.module(func.func(pixelfly-gpu-reductions))" | FileCheck %s
// RUN: pixelfly-opt %s --pixelfly-gpu-pipeline=format=isa -o /dev/null
// Fuzz finding (smoke campaign, seed 1, run 41, from the corpus's
// tpp-tile-and-fuse-mha.mlir with 64 -> 512 -> 2^62): SIGFPE in
// pixelfly-gpu-reductions' planSplit, which divided the thread count by
// the product of the parallel loops' sizes: 2^62 x 2^62 wrapped to 0, and
// a loop of size 0 gave 0 as well. The product now stops at the thread
// count, and a reduction without parallel iterations is not split; both
// reductions stay whole (the first has more result elements than threads).

#in = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#out = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @huge(
// CHECK:         linalg.generic
// CHECK-SAME:    iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-NOT:     linalg.generic
func.func @huge(%x: tensor<4611686018427387904x4611686018427387904x64xf32>, %init: tensor<4611686018427387904x4611686018427387904xf32>) -> tensor<4611686018427387904x4611686018427387904xf32> {
  %r = linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x : tensor<4611686018427387904x4611686018427387904x64xf32>) outs(%init : tensor<4611686018427387904x4611686018427387904xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  } -> tensor<4611686018427387904x4611686018427387904xf32>
  return %r : tensor<4611686018427387904x4611686018427387904xf32>
}
#in0 = affine_map<(d0, d1) -> (d0, d1)>
#out0 = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @empty_rows(
// CHECK:         linalg.generic
// CHECK-SAME:    iterator_types = ["parallel", "reduction"]
// CHECK-NOT:     linalg.generic
func.func @empty_rows(%x: tensor<0x100000xf32>, %init: tensor<0xf32>) -> tensor<0xf32> {
  %r = linalg.generic {indexing_maps = [#in0, #out0], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<0x100000xf32>) outs(%init : tensor<0xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  } -> tensor<0xf32>
  return %r : tensor<0xf32>
}
