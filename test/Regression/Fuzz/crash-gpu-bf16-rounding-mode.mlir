// RUN: pixelfly-opt --pixelfly-gpu-pipeline=format=isa %s | FileCheck %s
// Fuzz finding (smoke campaign, seed 1, run 628, from
// test/Transforms/pixelfly-dense-products.mlir with its sizes made 2^40, so
// that its products stayed elementwise kernels): "LLVM ERROR: unsupported
// library call operation" in the NVPTX backend. An f32 -> bf16 arith.truncf
// with a rounding mode (here to_nearest_away, as the test's @rounded_kept
// has) became a constrained fptrunc, which NVPTX cannot lower; now
// pixelfly-expand-rounding makes it integer code first.
// CHECK: gpu.binary @rounded_kernel
func.func @rounded(%r: tensor<?x64xf32>) -> tensor<?x64xbf16> {
  %c0 = arith.constant 0 : index
  %m = tensor.dim %r, %c0 : tensor<?x64xf32>
  %e = tensor.empty(%m) : tensor<?x64xbf16>
  %t = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%r : tensor<?x64xf32>) outs(%e : tensor<?x64xbf16>) {
  ^bb0(%in: f32, %o: bf16):
    %v = arith.truncf %in to_nearest_away : f32 to bf16
    linalg.yield %v : bf16
  } -> tensor<?x64xbf16>
  return %t : tensor<?x64xbf16>
}
