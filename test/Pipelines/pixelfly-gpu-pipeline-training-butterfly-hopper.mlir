// A training step of a butterfly + rank-32 layer (torch-mlir's form, bf16,
// 128 tokens, a 256 x 512 weight in 64 x 64 blocks, SGD) through
// pixelfly-gpu-pipeline for sm_90a. The input gradient dY W is the layer
// transposed, pixelfly.linear over W^T's blocks on the 512 x 256 layout:
// a gather kernel builds those blocks from the table of source blocks (the
// transposed layout's CSR order; each block read transposed), then the
// input gradient runs as the forward does, its panel's first kernel
// (T = (1 - g) dY U) and the Hopper linear kernel (TMA, wgmma) with the
// low-rank term fused: no low_rank_matmul whose M x K f32 result the block
// product reads back. `X V` and `dY U` are products of their own, shared
// with the factors' gradients: the Hopper linear kernels read their boxes
// (tensor maps of them) in T's place, with no panel kernel and no T buffer.
// They are column products (U and V as one dense block column of 32 x 32
// blocks), which run on the Hopper family's one-block kernel (tensor maps
// of dY or X and of U or V), rounding to bf16 in the epilogue. So are the
// factors' gradients dY^T (X V) and X^T (dY U), on the weight-gradient
// kernel, their results passed as 64-row blocks of 32 columns.
// ptxas assembles the input gradient's kernel without spills.
//
// RUN: pixelfly-opt %s --pixelfly-sparsify="weights=argument min-weight-size=16" \
// RUN:   --pixelfly-gpu-pipeline="chip=sm_90a lower-to-llvm=false" 2>/dev/null | FileCheck %s
// RUN: %if ptxas %{ pixelfly-opt %s --pixelfly-sparsify="weights=argument min-weight-size=16" --pixelfly-gpu-pipeline="chip=sm_90a format=isa" -o %t.mlir 2>/dev/null %}
// RUN: %if ptxas %{ %python %S/../Conversion/PixelflyToGPU/extract_ptx.py %t.mlir --entry step_linear_1 > %t.ptx %}
// RUN: %if ptxas %{ %ptxas -arch=sm_90a -v %t.ptx -o %t.cubin > %t.ptxas 2>&1 %}
// RUN: %if ptxas %{ FileCheck %s --check-prefix=PTXAS < %t.ptxas %}
// RUN: %if ptxas %{ not grep -E "[1-9][0-9]* bytes spill" %t.ptxas %}

// CHECK-LABEL: func.func @step(
// CHECK:     gpu.launch_func @pixelfly_kernels::@step_block_sparse_input_grad blocks in (%c1, %c2, %c1) threads in (%c256, %c1, %c1) {{.*}} args(%{{.+}} : !llvm.ptr, %{{.+}} : !llvm.ptr, %[[XV:.+]] : memref<128x32xbf16>)
// CHECK:     %[[XVC:.+]] = memref.cast %[[XV]] : memref<128x32xbf16> to memref<*xbf16>
// CHECK:     %[[XVD:.+]] = nvgpu.tma.create.descriptor %[[XVC]]
// CHECK:     %[[XVMAP:.+]] = builtin.unrealized_conversion_cast %[[XVD]]
// CHECK-NOT: gpu.launch_func
// CHECK:     gpu.launch_func @pixelfly_kernels::@step_linear blocks {{.*}} args(%{{.+}} : !llvm.ptr, %{{.+}} : !llvm.ptr, %[[XVMAP]] : !llvm.ptr,
// CHECK:     gpu.launch_func @[[GATHER:step_kernel(_[0-9]+)?]]::@step_kernel blocks in (%c32, %c16, %c1) threads in (%c64, %c2, %c1) args({{.*}}%arg1 : memref<16x64x64xbf16>, %{{.+}} : memref<16x64x64xbf16>{{.*}})
// CHECK:     gpu.launch_func @pixelfly_kernels::@step_block_sparse_input_grad_1 blocks in (%c1, %c2, %c1) threads in (%c256, %c1, %c1) {{.*}} args(%{{.+}} : !llvm.ptr, %{{.+}} : !llvm.ptr, %[[DYU:.+]] : memref<128x32xbf16>)
// CHECK:     %[[DYUC:.+]] = memref.cast %[[DYU]] : memref<128x32xbf16> to memref<*xbf16>
// CHECK:     %[[DYUD:.+]] = nvgpu.tma.create.descriptor %[[DYUC]]
// CHECK:     %[[DYUMAP:.+]] = builtin.unrealized_conversion_cast %[[DYUD]]
// CHECK-NOT: gpu.launch_func
// CHECK:     gpu.launch_func @pixelfly_kernels::@step_linear_1 blocks {{.*}} args(%{{.+}} : !llvm.ptr, %{{.+}} : !llvm.ptr, %[[DYUMAP]] : !llvm.ptr,
// CHECK-NOT: @step_low_rank
// CHECK-NOT: gpu.launch_func @pixelfly_kernels::@step_block_sparse_input_grad{{.*}}x64x64xbf16>
// CHECK:     gpu.launch_func @pixelfly_kernels::@step_block_sparse_weight_grad blocks
// CHECK:     nvgpu.tma.create.descriptor %[[XVC]] box[%c64, %c64]
// CHECK:     %[[DU:.+]] = memref.expand_shape %{{.+}} {{\[\[}}0, 1, 2]] output_shape [4, 64, 32] : memref<8192xf32> into memref<4x64x32xf32>
// CHECK:     gpu.launch_func @pixelfly_kernels::@step_block_sparse_weight_grad_1 blocks in (%c4, %c1, %c1) threads in (%c256, %c1, %c1) {{.*}} args(%{{.+}} : !llvm.ptr, %{{.+}} : !llvm.ptr, %arg5 : memref<128x256xbf16>, %[[DU]] : memref<4x64x32xf32>)
// CHECK:     nvgpu.tma.create.descriptor %[[DYUC]] box[%c64, %c64]
// CHECK:     %[[DV:.+]] = memref.expand_shape %{{.+}} {{\[\[}}0, 1, 2]] output_shape [8, 64, 32] : memref<16384xf32> into memref<8x64x32xf32>
// CHECK:     gpu.launch_func @pixelfly_kernels::@step_block_sparse_weight_grad_2 blocks in (%c8, %c1, %c1) threads in (%c256, %c1, %c1) {{.*}} args(%{{.+}} : !llvm.ptr, %{{.+}} : !llvm.ptr, %arg0 : memref<128x512xbf16>, %[[DV]] : memref<8x64x32xf32>)
// Block p of W^T is block table[p] of W, read with its two indices swapped.
// CHECK:     gpu.module @[[GATHER]]
// CHECK:       memref.global "private" constant @[[TABLE:.+]] : memref<16xindex> = dense<[0, 4, 1, 5, 2, 6, 3, 7, 8, 12, 9, 13, 10, 14, 11, 15]>
// CHECK:       gpu.func @step_kernel(
// CHECK:         %[[T:.+]] = memref.get_global @[[TABLE]]
// CHECK:         %[[Q:.+]] = memref.load %[[T]][%[[P:.+]]] : memref<16xindex>
// CHECK:         %[[V:.+]] = memref.load %{{.+}}[%[[Q]], %[[J:.+]], %[[I:.+]]] : memref<16x64x64xbf16>
// CHECK:         memref.store %[[V]], %{{.+}}[%[[P]], %[[I]], %[[J]]] : memref<16x64x64xbf16>
// CHECK-LABEL: func.func @step_pack(
// CHECK:     gpu.module @pixelfly_kernels
// CHECK:       gpu.func @step_linear_1(
// CHECK:         nvgpu.tma.async.load
// CHECK:         nvgpu.warpgroup.mma

// PTXAS:      Compiling entry function 'step_linear_1' for 'sm_90a'
// PTXAS-NEXT: Function properties for step_linear_1
// PTXAS-NEXT: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// PTXAS-NEXT: Used {{[0-9]+}} registers

#bfr = #pixelfly.plan<structure = butterfly, pattern = #pixelfly.flat_butterfly<butterfly_size = 4, n_factors = 1, block = 64>, rank = 32>
func.func @step(%x: tensor<128x512xbf16>, %w: tensor<256x512xbf16>, %dy: tensor<128x256xbf16>, %lr: tensor<f32>)
    -> (tensor<128x256xf32>, tensor<128x512xf32>, tensor<256x512xbf16>) {
  %zero = arith.constant 0.0 : f32
  %ey = tensor.empty() : tensor<128x256xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<128x256xf32>) -> tensor<128x256xf32>
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>] {pixelfly.plan = #bfr}
         ins(%x, %w : tensor<128x512xbf16>, tensor<256x512xbf16>) outs(%fy : tensor<128x256xf32>) -> tensor<128x256xf32>
  %ex = tensor.empty() : tensor<128x512xf32>
  %fx = linalg.fill ins(%zero : f32) outs(%ex : tensor<128x512xf32>) -> tensor<128x512xf32>
  %dx = linalg.matmul ins(%dy, %w : tensor<128x256xbf16>, tensor<256x512xbf16>) outs(%fx : tensor<128x512xf32>) -> tensor<128x512xf32>
  %ew = tensor.empty() : tensor<256x512xf32>
  %fw = linalg.fill ins(%zero : f32) outs(%ew : tensor<256x512xf32>) -> tensor<256x512xf32>
  %dw = linalg.matmul indexing_maps = [affine_map<(n, k, m) -> (m, n)>, affine_map<(n, k, m) -> (m, k)>, affine_map<(n, k, m) -> (n, k)>]
         ins(%dy, %x : tensor<128x256xbf16>, tensor<128x512xbf16>) outs(%fw : tensor<256x512xf32>) -> tensor<256x512xf32>
  %eb = tensor.empty() : tensor<256x512xbf16>
  %w2 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> ()>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%w, %dw, %lr : tensor<256x512xbf16>, tensor<256x512xf32>, tensor<f32>) outs(%eb : tensor<256x512xbf16>) {
  ^bb0(%a: bf16, %g: f32, %r: f32, %o: bf16):
    %af = arith.extf %a : bf16 to f32
    %s = arith.mulf %r, %g : f32
    %d = arith.subf %af, %s : f32
    %t = arith.truncf %d : f32 to bf16
    linalg.yield %t : bf16
  } -> tensor<256x512xbf16>
  return %y, %dx, %w2 : tensor<128x256xf32>, tensor<128x512xf32>, tensor<256x512xbf16>
}
