// A block-sparse layer through the whole GPU pipeline: configured, lowered
// to the tensor-core kernel, serialized to PTX for sm_80 and sm_90a, and
// launched from the LLVM host code (skipped when M is 0).
// RUN: pixelfly-opt %s --pixelfly-gpu-pipeline | FileCheck %s
// RUN: pixelfly-opt %s --pixelfly-gpu-pipeline="chip=sm_90a" | FileCheck %s --check-prefix=HOPPER

// CHECK:       llvm.func @layer(
// CHECK:         llvm.cond_br
// CHECK:         gpu.launch_func @pixelfly_kernels::@layer_block_sparse_matmul blocks in
// CHECK:       gpu.binary @pixelfly_kernels [#gpu.object<#nvvm.target<O = 3, chip = "sm_80", features = "+ptx80">
// CHECK-SAME:    .target sm_80
// CHECK-SAME:    cp.async.cg.shared.global
// CHECK-SAME:    ldmatrix.sync.aligned.m8n8.x4.shared.b16
// CHECK-SAME:    mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32

// HOPPER:      gpu.binary @pixelfly_kernels [#gpu.object<#nvvm.target<O = 3, chip = "sm_90a", features = "+ptx82">
// HOPPER-SAME:   .target sm_90a
// HOPPER-SAME:   mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32

#l = #pixelfly.block_layout<shape = 256x128, block = 32x32, source = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 32>>
func.func @layer(%x: memref<?x128xf16>, %b: memref<16x32x32xf16>, %y: memref<?x256xf32>) {
  %xt = bufferization.to_tensor %x restrict : memref<?x128xf16> to tensor<?x128xf16>
  %bt = bufferization.to_tensor %b restrict : memref<16x32x32xf16> to tensor<16x32x32xf16>
  %yt = bufferization.to_tensor %y restrict writable : memref<?x256xf32> to tensor<?x256xf32>
  %r = pixelfly.block_sparse_matmul ins(%xt, %bt : tensor<?x128xf16>, tensor<16x32x32xf16>) outs(%yt : tensor<?x256xf32>) layout(#l) -> tensor<?x256xf32>
  bufferization.materialize_in_destination %r in restrict writable %y : (tensor<?x256xf32>, memref<?x256xf32>) -> ()
  return
}
