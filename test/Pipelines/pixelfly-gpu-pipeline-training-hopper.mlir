// The 2:4 training step of pixelfly-gpu-pipeline-training.mlir (torch-mlir's
// form, bf16, 128 tokens) at 256 x 256, compiled for sm_90a: the per-step
// transposable prune, the forward and input-gradient products on the
// Hopper family's sparse wgmma kernel (one kernel, kept once), and the
// dense straight-through weight gradient (pixelfly-dense-products: a
// block_sparse_weight_grad on a full layout of 64 x 64 blocks) on the
// Hopper weight-gradient kernel (both operands MN-major through
// nvvm.wgmma.mma_async). ptxas assembles every kernel of the step without
// spills.
//
// RUN: pixelfly-opt %s --pixelfly-sparsify="mode=2:4 weights=argument min-weight-size=16" \
// RUN:   --pixelfly-gpu-pipeline="chip=sm_90a lower-to-llvm=false" 2>/dev/null | FileCheck %s
// RUN: %if ptxas %{ pixelfly-opt %s --pixelfly-sparsify="mode=2:4 weights=argument min-weight-size=16" --pixelfly-gpu-pipeline="chip=sm_90a format=isa" -o %t.mlir 2>/dev/null %}
// RUN: %if ptxas %{ %python %S/../Conversion/PixelflyToGPU/extract_ptx.py %t.mlir --entry torch_step_two_four_matmul > %t.ptx %}
// RUN: %if ptxas %{ %ptxas -arch=sm_90a -v %t.ptx -o %t.cubin > %t.ptxas 2>&1 %}
// RUN: %if ptxas %{ FileCheck %s --check-prefix=PTXAS < %t.ptxas %}
// RUN: %if ptxas %{ not grep -E "[1-9][0-9]* bytes spill" %t.ptxas %}
// With persistent=132 and tma-store=1 (the pipeline hands both to
// pixelfly-gpu-config): both 2:4 products on 132 thread blocks, each
// walking its tiles, their f32 outputs through boxes of 32 columns and TMA
// stores; the weight gradient keeps a thread block per block. ptxas
// assembles the kernel without spills.
// RUN: pixelfly-opt %s --pixelfly-sparsify="mode=2:4 weights=argument min-weight-size=16" \
// RUN:   --pixelfly-gpu-pipeline="chip=sm_90a persistent=132 tma-store=1 lower-to-llvm=false" 2>/dev/null | FileCheck %s --check-prefix=KNOBS
// RUN: %if ptxas %{ pixelfly-opt %s --pixelfly-sparsify="mode=2:4 weights=argument min-weight-size=16" --pixelfly-gpu-pipeline="chip=sm_90a persistent=132 tma-store=1 format=isa" -o %t.knobs.mlir 2>/dev/null %}
// RUN: %if ptxas %{ %python %S/../Conversion/PixelflyToGPU/extract_ptx.py %t.knobs.mlir --entry torch_step_two_four_matmul > %t.knobs.ptx %}
// RUN: %if ptxas %{ %ptxas -arch=sm_90a -v %t.knobs.ptx -o %t.knobs.cubin > %t.knobs.ptxas 2>&1 %}
// RUN: %if ptxas %{ FileCheck %s --check-prefix=PTXAS < %t.knobs.ptxas %}
// RUN: %if ptxas %{ not grep -E "[1-9][0-9]* bytes spill" %t.knobs.ptxas %}
// RUN: %if ptxas %{ grep -c "cp.async.bulk.tensor.2d.global.shared::cta" %t.knobs.ptx %}

// CHECK:     gpu.launch_func @pixelfly_kernels::@torch_step_prune_2_4
// CHECK:     gpu.launch_func @pixelfly_kernels::@torch_step_two_four_matmul
// CHECK:     gpu.launch_func @pixelfly_kernels::@torch_step_two_four_matmul
// CHECK:     gpu.launch_func @pixelfly_kernels::@torch_step_block_sparse_weight_grad
// CHECK-NOT: linalg.matmul
// CHECK:     gpu.module @pixelfly_kernels
// CHECK:       gpu.func @torch_step_two_four_matmul(
// CHECK:         wgmma.mma_async.sp.sync.aligned.m64n128k32.f32.bf16.bf16
// CHECK:       gpu.func @torch_step_block_sparse_weight_grad(
// CHECK:         nvvm.wgmma.mma_async {{.+}} A[<bf16>, <one>, <col>], B[<bf16>, <one>, <row>]

// KNOBS:     gpu.launch_func @pixelfly_kernels::@torch_step_two_four_matmul blocks in (%c132, %c1, %c1)
// KNOBS:     gpu.launch_func @pixelfly_kernels::@torch_step_two_four_matmul blocks in (%c132, %c1, %c1)
// KNOBS:     gpu.launch_func @pixelfly_kernels::@torch_step_block_sparse_weight_grad blocks in (%c16, %c1, %c1)
// KNOBS:     gpu.func @torch_step_two_four_matmul(
// KNOBS:       scf.for %{{.+}} = %block_id_x to %{{.+}} step %c132 iter_args(
// KNOBS:       nvgpu.tma.async.store %{{.+}} : memref<64x32xf32, #gpu.address_space<workgroup>>
// KNOBS:     gpu.func @torch_step_block_sparse_weight_grad(
// KNOBS-NOT:   nvgpu.tma.async.store

// PTXAS-DAG: Compiling entry function 'torch_step_prune_2_4' for 'sm_90a'
// PTXAS-DAG: Compiling entry function 'torch_step_two_four_matmul' for 'sm_90a'
// PTXAS-DAG: Compiling entry function 'torch_step_block_sparse_weight_grad' for 'sm_90a'

func.func @torch_step(%x: tensor<128x256xbf16>, %w: tensor<256x256xbf16>, %dy: tensor<128x256xbf16>, %lr: tensor<f32>)
    -> (tensor<128x256xf32>, tensor<128x256xf32>, tensor<256x256xbf16>) {
  %zero = arith.constant 0.0 : f32
  %et = tensor.empty() : tensor<256x256xbf16>
  %wt = linalg.transpose ins(%w : tensor<256x256xbf16>) outs(%et : tensor<256x256xbf16>) permutation = [1, 0]
  %ey = tensor.empty() : tensor<128x256xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<128x256xf32>) -> tensor<128x256xf32>
  %y = linalg.matmul ins(%x, %wt : tensor<128x256xbf16>, tensor<256x256xbf16>) outs(%fy : tensor<128x256xf32>) -> tensor<128x256xf32>
  %ex = tensor.empty() : tensor<128x256xf32>
  %fx = linalg.fill ins(%zero : f32) outs(%ex : tensor<128x256xf32>) -> tensor<128x256xf32>
  %dx = linalg.matmul ins(%dy, %w : tensor<128x256xbf16>, tensor<256x256xbf16>) outs(%fx : tensor<128x256xf32>) -> tensor<128x256xf32>
  %edt = tensor.empty() : tensor<256x128xbf16>
  %dyt = linalg.transpose ins(%dy : tensor<128x256xbf16>) outs(%edt : tensor<256x128xbf16>) permutation = [1, 0]
  %ew = tensor.empty() : tensor<256x256xf32>
  %fw = linalg.fill ins(%zero : f32) outs(%ew : tensor<256x256xf32>) -> tensor<256x256xf32>
  %dw = linalg.matmul ins(%dyt, %x : tensor<256x128xbf16>, tensor<128x256xbf16>) outs(%fw : tensor<256x256xf32>) -> tensor<256x256xf32>
  %eb = tensor.empty() : tensor<256x256xbf16>
  %w2 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> ()>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%w, %dw, %lr : tensor<256x256xbf16>, tensor<256x256xf32>, tensor<f32>) outs(%eb : tensor<256x256xbf16>) {
  ^bb0(%a: bf16, %g: f32, %r: f32, %o: bf16):
    %af = arith.extf %a : bf16 to f32
    %s = arith.mulf %r, %g : f32
    %d = arith.subf %af, %s : f32
    %t = arith.truncf %d : f32 to bf16
    linalg.yield %t : bf16
  } -> tensor<256x256xbf16>
  return %y, %dx, %w2 : tensor<128x256xf32>, tensor<128x256xf32>, tensor<256x256xbf16>
}
