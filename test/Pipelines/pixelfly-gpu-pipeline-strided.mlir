// A product whose result is inserted into a slice of a larger tensor (a
// fused QKV-style output): empty-tensor elimination computes it in place,
// into a strided view of the output buffer, which the kernels take through
// a contiguous device temporary (copy kernels in and out). The zero fill
// stays on the view: the product reads its temporary, not the view, so
// nothing is folded into the product; it runs in the copy-in kernel (one
// loop over the same space, fused).
// RUN: pixelfly-opt %s --pixelfly-gpu-pipeline="lower-to-llvm=false" | FileCheck %s
// RUN: pixelfly-opt %s --pixelfly-gpu-pipeline -o /dev/null

// CHECK-LABEL: func.func @f(
// CHECK:         %[[V:.*]] = memref.subview
// CHECK:         %[[T:.*]], %{{.*}} = gpu.alloc async {{.*}} : memref<?x64xf32>
// CHECK:         gpu.launch_func @[[FILL:.*]]::@{{.*}} args({{.*}}%[[V]] : memref<?x64xf32, strided<[128, 1], offset: 64>>, %[[T]] : memref<?x64xf32>{{.*}})
// CHECK-NOT:     gpu.launch_func
// CHECK:         gpu.launch_func @pixelfly_kernels::@f_block_sparse_matmul {{.*}}, %[[T]] : memref<?x64xf32>)
// CHECK:         gpu.launch_func @{{.*}} args({{.*}}%[[T]] : memref<?x64xf32>, %[[V]] : memref<?x64xf32, strided<[128, 1], offset: 64>>{{.*}})
// CHECK:         gpu.dealloc async {{.*}} %[[T]]
// The fill and the copy in, one kernel.
// CHECK:       gpu.module @[[FILL]]
// CHECK:         memref.store %{{.*}}, %[[VK:.*]][%[[I:.*]], %[[J:.*]]] : memref<?x64xf32, strided<[128, 1], offset: 64>>
// CHECK-NEXT:    %[[E:.*]] = memref.load %[[VK]][%[[I]], %[[J]]]
// CHECK-NEXT:    memref.store %[[E]], %{{.*}}[%[[I]], %[[J]]] : memref<?x64xf32>

#l = #pixelfly.block_layout<shape = 64x64, block = 32x32, row_ptr = [0, 1, 2], col_idx = [1, 0]>
func.func @f(%x: tensor<?x64xf16>, %b: tensor<2x32x32xf16>, %out: tensor<?x128xf32>) -> tensor<?x128xf32> {
  %c0 = arith.constant 0 : index
  %m = tensor.dim %x, %c0 : tensor<?x64xf16>
  %e = tensor.empty(%m) : tensor<?x64xf32>
  %zero = arith.constant 0.0 : f32
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<?x64xf32>) -> tensor<?x64xf32>
  %r = pixelfly.block_sparse_matmul ins(%x, %b : tensor<?x64xf16>, tensor<2x32x32xf16>) outs(%z : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  %i = tensor.insert_slice %r into %out[0, 64] [%m, 64] [1, 1] : tensor<?x64xf32> into tensor<?x128xf32>
  return %i : tensor<?x128xf32>
}
