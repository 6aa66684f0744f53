// RUN: pixelfly-opt --pixelfly-gpu-config --convert-pixelfly-to-gpu %s -split-input-file -verify-diagnostics | FileCheck %s --check-prefix=RANK
// RUN: not pixelfly-opt --pixelfly-gpu-pipeline=format=isa %s -o /dev/null 2>&1 | FileCheck %s
// Was: "SmallVector unable to grow" in KernelBuilder::build: the shared-memory
// size of the rank-2^62 panel kernel overflowed, so the limit check passed.

// CHECK: error: convert-pixelfly-to-gpu: cannot lower: u of type memref<4096x4611686018427387904xf16> is too large (more than 68719476736 elements)
func.func @f(%x: memref<64x1024xf16>, %u: memref<4096x4611686018427387904xf16>, %v: memref<1024x4611686018427387904xf16>, %y: memref<64x4096xf32>) {
  // expected-remark @+1 {{convert-pixelfly-to-gpu: left unchanged: u of type memref<4096x4611686018427387904xf16> is too large (more than 68719476736 elements)}}
  pixelfly.low_rank_matmul ins(%x, %u, %v : memref<64x1024xf16>, memref<4096x4611686018427387904xf16>, memref<1024x4611686018427387904xf16>) outs(%y : memref<64x4096xf32>)
  return
}

// -----

// A rank the operand bound lets through but the tensor-core panel does not
// take (tiles are at most 1024 wide): the scalar panel kernel computes T.
// RANK-LABEL: func.func @g
// RANK: gpu.launch_func @pixelfly_kernels::@g_low_rank blocks
// RANK: gpu.launch_func @pixelfly_kernels::@g_low_rank_matmul blocks
// RANK: gpu.func @g_low_rank(%{{.*}}: memref<64x1024xf16>, %{{.*}}: memref<1024x2048xf16>, %{{.*}}: memref<64x2048xf16>) kernel attributes {known_block_size = array<i32: 256, 1, 1>}
func.func @g(%x: memref<64x1024xf16>, %u: memref<4096x2048xf16>, %v: memref<1024x2048xf16>, %y: memref<64x4096xf32>) {
  pixelfly.low_rank_matmul ins(%x, %u, %v : memref<64x1024xf16>, memref<4096x2048xf16>, memref<1024x2048xf16>) outs(%y : memref<64x4096xf32>)
  return
}
