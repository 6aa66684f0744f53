// A 2:4 training step (torch-mlir's form, bf16, 128 tokens) through
// pixelfly-gpu-pipeline: the per-step prune and the two sparse products on
// the tensor cores, and the dense weight gradient too (pixelfly-dense-products:
// a block_sparse_weight_grad on a full layout), not a loop per element.
// Identical kernels are kept once; elementwise chains are fused.
//
// RUN: pixelfly-opt %s --pixelfly-sparsify="mode=2:4 weights=argument min-weight-size=16" \
// RUN:   --pixelfly-gpu-pipeline="lower-to-llvm=false" 2>/dev/null | FileCheck %s
// The mixed-precision example under blocks plus a low-rank term: the f32
// master parameters are rounded to bf16 at the start of the step, before
// the products that read them (merging a rounding into a later elementwise
// op, which pixelfly-gpu-fuse-elementwise once did for V, broke dominance).
// RUN: pixelfly-opt %examples/train_mlp_step_bf16.mlir \
// RUN:   --pixelfly-sparsify="mode=butterfly budget=0.31 block=32 weights=argument" \
// RUN:   --pixelfly-gpu-pipeline="lower-to-llvm=false" 2>/dev/null | FileCheck %s --check-prefix=MASTER
// MASTER-LABEL: func.func @mlp_train_step(
// MASTER:         gpu.launch_func @pixelfly_kernels::@mlp_train_step_linear
// MASTER:         gpu.launch_func @pixelfly_kernels::@mlp_train_step_block_sparse_matmul
// MASTER-COUNT-2: gpu.launch_func @pixelfly_kernels::@mlp_train_step_block_sparse_weight_grad
// MASTER-NOT:     linalg.matmul
// MASTER-LABEL: func.func @mlp_train_step_pack(
// A low-rank term alone: the step shares X V and dY U, its products are
// plain contractions (pixelfly-dense-products puts them on the tensor
// cores), and no low-rank kernel computes X V again.
// RUN: pixelfly-opt %examples/train_mlp_step_bf16.mlir \
// RUN:   --pixelfly-sparsify="mode=butterfly structures=low_rank weights=argument" \
// RUN:   --pixelfly-gpu-pipeline="lower-to-llvm=false" 2>/dev/null | FileCheck %s --check-prefix=LOWRANK
// LOWRANK-LABEL: func.func @mlp_train_step(
// LOWRANK-NOT:     linalg.matmul
// LOWRANK-NOT:     _low_rank
// LOWRANK-COUNT-4: gpu.launch_func @pixelfly_kernels::@mlp_train_step_block_sparse_matmul
// LOWRANK-NOT:     linalg.matmul
// LOWRANK-NOT:     _low_rank
// LOWRANK:       gpu.module @pixelfly_kernels
// The same step with a per-token gate (gamma=gate): the gate's sigmoid is
// a kernel of its own, the linear kernel reads one gamma per token, and the
// gate's backward leaves no product to a loop kernel. The linear kernel's
// epilogue adds the bias and applies GELU (convert-pixelfly-to-gpu's
// fused epilogues): it takes the bias and writes the pre-activation the
// backward reads and the bf16 activation, not its own f32 output.
// RUN: pixelfly-opt %examples/train_mlp_step_bf16.mlir \
// RUN:   --pixelfly-sparsify="mode=butterfly budget=0.31 block=32 weights=argument gamma=gate" \
// RUN:   --pixelfly-gpu-pipeline="lower-to-llvm=false" 2>/dev/null | FileCheck %s --check-prefix=GATE
// GATE-LABEL: func.func @mlp_train_step(
// GATE:         gpu.launch_func @pixelfly_kernels::@mlp_train_step_linear
// GATE-NOT:     linalg.matmul
// GATE:           math.exp
// GATE-NOT:     linalg.matmul
// GATE-LABEL: func.func @mlp_train_step_pack(
// GATE:       gpu.func @mlp_train_step_linear({{.+}}: memref<128x1024xf32>, %{{.+}}: memref<128xf32>, %{{.+}}: memref<1024xf32>, %[[PRE:.+]]: memref<128x1024xf32>, %[[ACT:.+]]: memref<128x1024xbf16>)
// GATE:         vector.store %{{.+}}, %[[PRE]]
// GATE:         math.tanh
// GATE:         vector.store %{{.+}}, %[[ACT]]
// What has no kernel runs dense (pixelfly-gpu-dense-fallback): an f32 2:4
// step's products (the sparse tensor cores take f16 and bf16) become TF32
// full-layout products on the densified W and W^T, after the per-step
// prune; a fixed mask's densify_2_4 in the pack function becomes a kernel.
// RUN: pixelfly-opt %examples/train_mlp_step.mlir --pixelfly-sparsify="mode=2:4 weights=argument" \
// RUN:   --pixelfly-gpu-pipeline="chip=sm_90a lower-to-llvm=false" 2>/dev/null | FileCheck %s --check-prefix=F32
// F32-LABEL: func.func @mlp_train_step(
// F32:         gpu.launch_func @pixelfly_kernels::@mlp_train_step_prune_2_4
// F32:         gpu.launch_func @pixelfly_kernels::@mlp_train_step_block_sparse_matmul
// F32-NOT:     pixelfly.
// F32-NOT:     linalg.matmul
// F32:       gpu.func @mlp_train_step_block_sparse_matmul(%{{.+}}: memref<128x256xf32>
// F32:         nvvm.convert.float.to.tf32
// RUN: pixelfly-opt %examples/train_mlp_step_bf16.mlir --pixelfly-sparsify="mode=2:4 two-four-mask=fixed weights=argument" \
// RUN:   --pixelfly-gpu-pipeline="lower-to-llvm=false" 2>/dev/null | FileCheck %s --check-prefix=FIXED
// FIXED-LABEL: func.func @mlp_train_step_pack(
// FIXED:         gpu.launch_func @pixelfly_kernels::@mlp_train_step_pack_prune_2_4
// FIXED:         gpu.launch_func @mlp_train_step_pack_kernel::@mlp_train_step_pack_kernel
// FIXED-NOT:     pixelfly.densify_2_4
// FIXED:         return

// CHECK:     gpu.launch_func @pixelfly_kernels::@torch_step_prune_2_4
// CHECK:     gpu.launch_func @pixelfly_kernels::@torch_step_two_four_matmul
// CHECK:     gpu.launch_func @pixelfly_kernels::@torch_step_two_four_matmul
// CHECK:     gpu.launch_func @pixelfly_kernels::@torch_step_block_sparse_weight_grad
// CHECK-NOT: linalg.matmul

func.func @torch_step(%x: tensor<128x32xbf16>, %w: tensor<64x32xbf16>, %dy: tensor<128x64xbf16>, %lr: tensor<f32>)
    -> (tensor<128x64xf32>, tensor<128x32xf32>, tensor<64x32xbf16>) {
  %zero = arith.constant 0.0 : f32
  %et = tensor.empty() : tensor<32x64xbf16>
  %wt = linalg.transpose ins(%w : tensor<64x32xbf16>) outs(%et : tensor<32x64xbf16>) permutation = [1, 0]
  %ey = tensor.empty() : tensor<128x64xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<128x64xf32>) -> tensor<128x64xf32>
  %y = linalg.matmul ins(%x, %wt : tensor<128x32xbf16>, tensor<32x64xbf16>) outs(%fy : tensor<128x64xf32>) -> tensor<128x64xf32>
  %ex = tensor.empty() : tensor<128x32xf32>
  %fx = linalg.fill ins(%zero : f32) outs(%ex : tensor<128x32xf32>) -> tensor<128x32xf32>
  %dx = linalg.matmul ins(%dy, %w : tensor<128x64xbf16>, tensor<64x32xbf16>) outs(%fx : tensor<128x32xf32>) -> tensor<128x32xf32>
  %edt = tensor.empty() : tensor<64x128xbf16>
  %dyt = linalg.transpose ins(%dy : tensor<128x64xbf16>) outs(%edt : tensor<64x128xbf16>) permutation = [1, 0]
  %ew = tensor.empty() : tensor<64x32xf32>
  %fw = linalg.fill ins(%zero : f32) outs(%ew : tensor<64x32xf32>) -> tensor<64x32xf32>
  %dw = linalg.matmul ins(%dyt, %x : tensor<64x128xbf16>, tensor<128x32xbf16>) outs(%fw : tensor<64x32xf32>) -> tensor<64x32xf32>
  %eb = tensor.empty() : tensor<64x32xbf16>
  %w2 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> ()>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%w, %dw, %lr : tensor<64x32xbf16>, tensor<64x32xf32>, tensor<f32>) outs(%eb : tensor<64x32xbf16>) {
  ^bb0(%a: bf16, %g: f32, %r: f32, %o: bf16):
    %af = arith.extf %a : bf16 to f32
    %s = arith.mulf %r, %g : f32
    %d = arith.subf %af, %s : f32
    %t = arith.truncf %d : f32 to bf16
    linalg.yield %t : bf16
  } -> tensor<64x32xbf16>
  return %y, %dx, %w2 : tensor<128x64xf32>, tensor<128x32xf32>, tensor<64x32xbf16>
}

// A JAX-style update (arith on tensors, three ops) is one kernel, not three.
// A squared gradient norm (a fill and a reduction into a 0-d tensor) runs
// in kernels, not as host loops over device memory: 256 threads of 64
// elements each (pixelfly-gpu-reductions), then 4 partials of 64, then
// one thread adds the 4; three kernels, each starting from the fill's value
// in a register (pixelfly-gpu-accumulators), none for the fills.
// CHECK-LABEL: func.func @jax_update(
// CHECK:         gpu.launch_func
// CHECK-NOT:     gpu.launch_func
// CHECK:         return
// CHECK-LABEL: func.func @norm(
// CHECK-NOT:     scf.for
// CHECK-NOT:     gpu.launch_func
// CHECK:         memref.expand_shape {{.+}} output_shape [64, 256] : memref<16384xf32> into memref<64x256xf32>
// CHECK-NOT:     scf.for
// CHECK:         gpu.launch_func {{.+}} blocks in (%c2, %c1, %c1) threads in (%c128, %c1, %c1)
// CHECK-NOT:     scf.for
// CHECK:         memref.expand_shape {{.+}} output_shape [64, 4]
// CHECK-NOT:     scf.for
// CHECK:         gpu.launch_func
// CHECK-NEXT:    gpu.launch_func
// CHECK-NOT:     gpu.launch_func
// CHECK:         return
// AdamW's moments are results and inputs of the weight's update: one
// kernel (pixelfly-gpu-fuse-elementwise), not three.
// CHECK-LABEL: func.func @adamw(
// CHECK:         gpu.launch_func
// CHECK-NOT:     gpu.launch_func
// CHECK:         return
// The same with the gradient scaled first (a Pixelfly step's gamma * dB):
// once the moments are merged into the update, the scaling has one
// consumer and is fused too (upstream's fusion runs again): one kernel.
// CHECK-LABEL: func.func @adamw_scaled(
// CHECK:         gpu.launch_func
// CHECK-NOT:     gpu.launch_func
// CHECK:         return
// CHECK:       gpu.module @pixelfly_kernels
func.func @jax_update(%w: tensor<64x32xf32>, %g: tensor<64x32xf32>, %lr: tensor<64x32xf32>) -> tensor<64x32xf32> {
  %s = arith.mulf %lr, %g : tensor<64x32xf32>
  %d = arith.subf %w, %s : tensor<64x32xf32>
  %n = arith.negf %d : tensor<64x32xf32>
  return %n : tensor<64x32xf32>
}

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

func.func @adamw(%w: tensor<64x32xf32>, %g: tensor<64x32xf32>, %m: tensor<64x32xf32>, %v: tensor<64x32xf32>, %lr: tensor<f32>)
    -> (tensor<64x32xf32>, tensor<64x32xf32>, tensor<64x32xf32>) {
  %e = tensor.empty() : tensor<64x32xf32>
  %m2 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%m, %g : tensor<64x32xf32>, tensor<64x32xf32>) outs(%e : tensor<64x32xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %c = arith.constant 0.9 : f32
    %p = arith.mulf %c, %a : f32
    %s = arith.addf %p, %b : f32
    linalg.yield %s : f32
  } -> tensor<64x32xf32>
  %v2 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%v, %g : tensor<64x32xf32>, tensor<64x32xf32>) outs(%e : tensor<64x32xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %q = arith.mulf %b, %b : f32
    %s = arith.addf %a, %q : f32
    linalg.yield %s : f32
  } -> tensor<64x32xf32>
  %w2 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> ()>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%w, %m2, %v2, %lr : tensor<64x32xf32>, tensor<64x32xf32>, tensor<64x32xf32>, tensor<f32>) outs(%e : tensor<64x32xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %r: f32, %o: f32):
    %s = math.sqrt %c : f32
    %u = arith.divf %b, %s : f32
    %d = arith.mulf %r, %u : f32
    %n = arith.subf %a, %d : f32
    linalg.yield %n : f32
  } -> tensor<64x32xf32>
  return %w2, %m2, %v2 : tensor<64x32xf32>, tensor<64x32xf32>, tensor<64x32xf32>
}

func.func @adamw_scaled(%w: tensor<64x32xf32>, %g0: tensor<64x32xf32>, %gamma: tensor<f32>, %m: tensor<64x32xf32>, %v: tensor<64x32xf32>, %lr: tensor<f32>)
    -> (tensor<64x32xf32>, tensor<64x32xf32>, tensor<64x32xf32>) {
  %e = tensor.empty() : tensor<64x32xf32>
  %g = linalg.generic {indexing_maps = [affine_map<(i, j) -> ()>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%gamma, %g0 : tensor<f32>, tensor<64x32xf32>) outs(%e : tensor<64x32xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.mulf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<64x32xf32>
  %m2 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%m, %g : tensor<64x32xf32>, tensor<64x32xf32>) outs(%e : tensor<64x32xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %c = arith.constant 0.9 : f32
    %p = arith.mulf %c, %a : f32
    %s = arith.addf %p, %b : f32
    linalg.yield %s : f32
  } -> tensor<64x32xf32>
  %v2 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%v, %g : tensor<64x32xf32>, tensor<64x32xf32>) outs(%e : tensor<64x32xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %q = arith.mulf %b, %b : f32
    %s = arith.addf %a, %q : f32
    linalg.yield %s : f32
  } -> tensor<64x32xf32>
  %w2 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> ()>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%w, %m2, %v2, %lr : tensor<64x32xf32>, tensor<64x32xf32>, tensor<64x32xf32>, tensor<f32>) outs(%e : tensor<64x32xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %r: f32, %o: f32):
    %s = math.sqrt %c : f32
    %u = arith.divf %b, %s : f32
    %d = arith.mulf %r, %u : f32
    %n = arith.subf %a, %d : f32
    linalg.yield %n : f32
  } -> tensor<64x32xf32>
  return %w2, %m2, %v2 : tensor<64x32xf32>, tensor<64x32xf32>, tensor<64x32xf32>
}
