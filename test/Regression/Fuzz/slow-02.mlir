// RUN: pixelfly-opt --pixelfly-gpu-pipeline="lower-to-llvm=false" %s | FileCheck %s
// RUN: pixelfly-opt --pixelfly-gpu-pipeline=format=isa %s | wc -c | %python -c "import sys; n = int(sys.stdin.read()); print('bytes', n); sys.exit(n > 200000)"
// Was: a one-literal splat weight copied into the GPU module as data and
// written out element by element: 63 MB of output and 4 s for 2048 x 2048
// (252 MB and 16 s for 4096 x 4096; the unmodified corpus file
// llvm-linalg-fold-add-into-dest.mlir took a minute). The kernel's loads of
// a splat become the constant instead.

// CHECK: gpu.module
// CHECK-NOT: memref.global
// CHECK: gpu.func
// CHECK: arith.constant 2.000000e+00 : f32
// CHECK-NOT: memref.get_global
// CHECK: gpu.return
func.func @f(%x: tensor<2048x2048xf32>, %acc: tensor<2048x2048xf32>) -> tensor<2048x2048xf32> {
  %w = arith.constant dense<2.0> : tensor<2048x2048xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2048x2048xf32>, tensor<2048x2048xf32>) outs(%acc : tensor<2048x2048xf32>) -> tensor<2048x2048xf32>
  return %y : tensor<2048x2048xf32>
}
