// An attention (scores Q K^T with K^T made by a transpose, a softmax's
// elementwise part, context P V; bf16, 4 heads, 128 keys, head size 64)
// through the GPU pipeline: both linalg.batch_matmul run as block-diagonal
// products on the Hopper family's wgmma kernels (pixelfly-dense-products),
// the zero fills folded into them, and the transposes that move the heads
// inside the columns fuse with the elementwise op between the products:
// five kernels in all (Q in, scores, exp, context, the output back).
// Before, each batch_matmul was one thread per output element.
//
// ptxas assembles both product kernels (one PTX module) without spills.
//
// RUN: pixelfly-opt %s --pixelfly-gpu-pipeline="chip=sm_90a lower-to-llvm=false" | FileCheck %s
// RUN: %if ptxas %{ pixelfly-opt %s --pixelfly-gpu-pipeline="chip=sm_90a format=isa" -o %t.mlir %}
// RUN: %if ptxas %{ %python %S/../Conversion/PixelflyToGPU/extract_ptx.py %t.mlir --entry attention_block_sparse_matmul > %t.ptx %}
// RUN: %if ptxas %{ %ptxas -arch=sm_90a -v %t.ptx -o %t.cubin > %t.ptxas 2>&1 %}
// RUN: %if ptxas %{ FileCheck %s --check-prefix=PTXAS < %t.ptxas %}
// RUN: %if ptxas %{ not grep -E "[1-9][0-9]* bytes spill" %t.ptxas %}

// PTXAS-DAG: Compiling entry function 'attention_block_sparse_matmul' for 'sm_90a'
// PTXAS-DAG: Compiling entry function 'attention_block_sparse_input_grad' for 'sm_90a'

// CHECK-LABEL: func.func @attention(
// CHECK:         gpu.launch_func @attention_kernel::@attention_kernel
// CHECK:         gpu.launch_func @pixelfly_kernels::@attention_block_sparse_matmul
// CHECK:         gpu.launch_func @attention_kernel_0::@attention_kernel
// CHECK:         gpu.launch_func @pixelfly_kernels::@attention_block_sparse_input_grad
// CHECK:         gpu.launch_func @attention_kernel_1::@attention_kernel
// CHECK-NOT:     gpu.launch_func
// CHECK:         return
// CHECK:       gpu.func @attention_block_sparse_matmul(
// CHECK:         nvgpu.warpgroup.mma
// CHECK:       gpu.func @attention_block_sparse_input_grad(
// CHECK:         nvgpu.warpgroup.mma
func.func @attention(%q: tensor<4x?x64xbf16>, %k: tensor<4x128x64xbf16>, %v: tensor<4x128x64xbf16>) -> tensor<4x?x64xf32> {
  %c1 = arith.constant 1 : index
  %m = tensor.dim %q, %c1 : tensor<4x?x64xbf16>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x64x128xbf16>
  %kt = linalg.transpose ins(%k : tensor<4x128x64xbf16>) outs(%e : tensor<4x64x128xbf16>) permutation = [0, 2, 1]
  %es = tensor.empty(%m) : tensor<4x?x128xf32>
  %s0 = linalg.fill ins(%zero : f32) outs(%es : tensor<4x?x128xf32>) -> tensor<4x?x128xf32>
  %s = linalg.batch_matmul ins(%q, %kt : tensor<4x?x64xbf16>, tensor<4x64x128xbf16>) outs(%s0 : tensor<4x?x128xf32>) -> tensor<4x?x128xf32>
  %ep = tensor.empty(%m) : tensor<4x?x128xbf16>
  %p = linalg.generic {indexing_maps = [affine_map<(t, i, j) -> (t, i, j)>, affine_map<(t, i, j) -> (t, i, j)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%s : tensor<4x?x128xf32>) outs(%ep : tensor<4x?x128xbf16>) {
  ^bb0(%x: f32, %o: bf16):
    %y = math.exp %x : f32
    %t = arith.truncf %y : f32 to bf16
    linalg.yield %t : bf16
  } -> tensor<4x?x128xbf16>
  %eo = tensor.empty(%m) : tensor<4x?x64xf32>
  %o0 = linalg.fill ins(%zero : f32) outs(%eo : tensor<4x?x64xf32>) -> tensor<4x?x64xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<4x?x128xbf16>, tensor<4x128x64xbf16>) outs(%o0 : tensor<4x?x64xf32>) -> tensor<4x?x64xf32>
  return %o : tensor<4x?x64xf32>
}
