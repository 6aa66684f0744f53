// Training steps under pixelfly-sparsify: a weight's uses (forward product,
// input gradient, optimizer update; the weight gradient) are one group,
// checked as a whole and rewritten together. With mode=2:4 the dense
// weight stays an argument and is pruned (transposable) once per step; the
// forward product reads the compressed W, the input gradient the compressed
// W^T, the weight gradient stays dense. Uses no rewrite maps leave the whole
// group dense with a remark. With mode=butterfly the budget plans the step
// once, at the cost of its three products (butterfly steps:
// pixelfly-sparsify-training-butterfly.mlir and -lowrank.mlir).
//
// RUN: pixelfly-opt %s -split-input-file -verify-diagnostics \
// RUN:   --pixelfly-sparsify="mode=2:4 weights=argument min-weight-size=16" \
// RUN: | FileCheck %s
// RUN: pixelfly-opt %s -split-input-file \
// RUN:   --pixelfly-sparsify="mode=2:4 weights=argument min-weight-size=16" 2>/dev/null \
// RUN: | pixelfly-opt -split-input-file \
// RUN:   --pixelfly-sparsify="mode=2:4 weights=argument min-weight-size=16" 2>/dev/null \
// RUN: | FileCheck %s
// RUN: pixelfly-opt %s -split-input-file \
// RUN:   --pixelfly-sparsify="mode=butterfly weights=argument min-weight-size=16 budget=0.8 block=16 report=-" 2>&1 \
// RUN: | FileCheck %s --check-prefix=BUTTERFLY
// RUN: pixelfly-opt %s -split-input-file \
// RUN:   --pixelfly-sparsify="mode=2:4 weights=argument min-weight-size=16 report=-" 2>/dev/null \
// RUN: | FileCheck %s --check-prefix=REPORT

// The second RUN line sparsifies its own output again and gets the same
// IR (the checks below): the rewrite is idempotent.

// CHECK-LABEL: func.func @torch_step(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<8x32xbf16>, %[[W:[^:]+]]: tensor<64x32xbf16>, %[[DY:[^:]+]]: tensor<8x64xbf16>, %[[LR:[^:]+]]: tensor<f32>)
// CHECK:         %[[P:.+]]:4 = pixelfly.prune_2_4 transposable ins(%[[W]] : tensor<64x32xbf16>)
// CHECK-SAME:        -> tensor<64x16xbf16>, tensor<64x2xi16>, tensor<32x32xbf16>, tensor<32x4xi16>
// CHECK:         %[[Y:.+]] = pixelfly.two_four_matmul ins(%[[X]], %[[P]]#0, %[[P]]#1 :
// CHECK:         %[[DX:.+]] = pixelfly.two_four_matmul ins(%[[DY]], %[[P]]#2, %[[P]]#3 :
// CHECK:         %[[DW:.+]] = linalg.matmul ins(%{{.+}}, %[[X]] :
// CHECK:         %[[NEW:.+]] = linalg.generic
// CHECK-SAME:        ins(%[[W]], %[[DW]], %[[LR]] :
// CHECK:         return %[[Y]], %[[DX]], %[[NEW]]

// BUTTERFLY:     @torch_step#0  8x64x32 butterfly
// BUTTERFLY:     planned with its layer: @torch_step#1 (8x32x64): the input gradient of @torch_step#0
// BUTTERFLY:     planned with its layer: @torch_step#2 (64x32x8): the weight gradient of @torch_step#0
// BUTTERFLY:     sparsify: 3 converted, 0 skipped

// The budget report shows the layer once; its gradient products are listed
// with it.
// REPORT:      @torch_step#0 8x64x32 two_four
// REPORT:      sparsify: 2 converted, 1 skipped (part of a training step: 1)

func.func @torch_step(%x: tensor<8x32xbf16>, %w: tensor<64x32xbf16>, %dy: tensor<8x64xbf16>, %lr: tensor<f32>)
    -> (tensor<8x64xf32>, tensor<8x32xf32>, tensor<64x32xbf16>) {
  %zero = arith.constant 0.0 : f32
  %et = tensor.empty() : tensor<32x64xbf16>
  %wt = linalg.transpose ins(%w : tensor<64x32xbf16>) outs(%et : tensor<32x64xbf16>) permutation = [1, 0]
  %ey = tensor.empty() : tensor<8x64xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<8x64xf32>) -> tensor<8x64xf32>
  %y = linalg.matmul ins(%x, %wt : tensor<8x32xbf16>, tensor<32x64xbf16>) outs(%fy : tensor<8x64xf32>) -> tensor<8x64xf32>
  %ex = tensor.empty() : tensor<8x32xf32>
  %fx = linalg.fill ins(%zero : f32) outs(%ex : tensor<8x32xf32>) -> tensor<8x32xf32>
  %dx = linalg.matmul ins(%dy, %w : tensor<8x64xbf16>, tensor<64x32xbf16>) outs(%fx : tensor<8x32xf32>) -> tensor<8x32xf32>
  %edt = tensor.empty() : tensor<64x8xbf16>
  %dyt = linalg.transpose ins(%dy : tensor<8x64xbf16>) outs(%edt : tensor<64x8xbf16>) permutation = [1, 0]
  %ew = tensor.empty() : tensor<64x32xf32>
  %fw = linalg.fill ins(%zero : f32) outs(%ew : tensor<64x32xf32>) -> tensor<64x32xf32>
  // expected-remark @below {{pixelfly-sparsify: @torch_step#2 left unchanged: the weight gradient of @torch_step#0 stays dense (2:4 training is straight-through: dW = dY^T X on the dense operands)}}
  %dw = linalg.matmul ins(%dyt, %x : tensor<64x8xbf16>, tensor<8x32xbf16>) outs(%fw : tensor<64x32xf32>) -> tensor<64x32xf32>
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
  return %y, %dx, %w2 : tensor<8x64xf32>, tensor<8x32xf32>, tensor<64x32xbf16>
}

// -----

// A use no rewrite maps (a slice of the weight) keeps every product of the
// step dense; the remark names the use.
// CHECK-LABEL: func.func @unknown_use(
// CHECK-NOT:     pixelfly.
// CHECK-COUNT-2: linalg.matmul
func.func @unknown_use(%x: tensor<8x32xf32>, %w: tensor<64x32xf32>, %dy: tensor<8x64xf32>) -> (tensor<8x64xf32>, tensor<8x32xf32>, tensor<4x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %ey = tensor.empty() : tensor<8x64xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<8x64xf32>) -> tensor<8x64xf32>
  // expected-remark @below {{pixelfly-sparsify: @unknown_use#0 left unchanged: the weight has a use the rewrite cannot map: 'tensor.extract_slice' at}}
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%x, %w : tensor<8x32xf32>, tensor<64x32xf32>) outs(%fy : tensor<8x64xf32>) -> tensor<8x64xf32>
  %ex = tensor.empty() : tensor<8x32xf32>
  %fx = linalg.fill ins(%zero : f32) outs(%ex : tensor<8x32xf32>) -> tensor<8x32xf32>
  // expected-remark @below {{pixelfly-sparsify: @unknown_use#1 left unchanged: the input gradient of @unknown_use#0 (planned with that layer), which stays dense}}
  %dx = linalg.matmul ins(%dy, %w : tensor<8x64xf32>, tensor<64x32xf32>) outs(%fx : tensor<8x32xf32>) -> tensor<8x32xf32>
  %s = tensor.extract_slice %w[0, 0] [4, 32] [1, 1] : tensor<64x32xf32> to tensor<4x32xf32>
  return %y, %dx, %s : tensor<8x64xf32>, tensor<8x32xf32>, tensor<4x32xf32>
}

// -----

// W^T must be 2:4 along N too: N = 40 is no multiple of 16.
// CHECK-LABEL: func.func @ragged_n(
// CHECK-NOT:     pixelfly.
func.func @ragged_n(%x: tensor<8x32xf32>, %w: tensor<40x32xf32>, %dy: tensor<8x40xf32>) -> (tensor<8x40xf32>, tensor<8x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %ey = tensor.empty() : tensor<8x40xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<8x40xf32>) -> tensor<8x40xf32>
  // expected-remark @below {{pixelfly-sparsify: @ragged_n#0 left unchanged: weight shape 40x32: N must be a multiple of 16}}
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%x, %w : tensor<8x32xf32>, tensor<40x32xf32>) outs(%fy : tensor<8x40xf32>) -> tensor<8x40xf32>
  %ex = tensor.empty() : tensor<8x32xf32>
  %fx = linalg.fill ins(%zero : f32) outs(%ex : tensor<8x32xf32>) -> tensor<8x32xf32>
  // expected-remark @below {{pixelfly-sparsify: @ragged_n#1 left unchanged: the input gradient of @ragged_n#0 (planned with that layer), which stays dense}}
  %dx = linalg.matmul ins(%dy, %w : tensor<8x40xf32>, tensor<40x32xf32>) outs(%fx : tensor<8x32xf32>) -> tensor<8x32xf32>
  return %y, %dx : tensor<8x40xf32>, tensor<8x32xf32>
}

// -----

// An f32 master weight read rounded to bf16 by the forward product but as
// f32 by the input gradient: one prune cannot serve both, so the layer stays
// dense. (A master weight read as bf16 by every product is rewritten:
// Integration/CPU/train-2-4.mlir.)
// CHECK-LABEL: func.func @mixed_reads(
// CHECK-NOT:     pixelfly.
// CHECK-COUNT-2: linalg.matmul
func.func @mixed_reads(%x: tensor<8x32xbf16>, %w: tensor<64x32xf32>, %dy: tensor<8x64xf32>) -> (tensor<8x64xf32>, tensor<8x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %wb = arith.truncf %w : tensor<64x32xf32> to tensor<64x32xbf16>
  %ey = tensor.empty() : tensor<8x64xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<8x64xf32>) -> tensor<8x64xf32>
  // expected-remark @below {{pixelfly-sparsify: @mixed_reads#0 left unchanged: @mixed_reads#1: the products read the weight in different element types}}
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%x, %wb : tensor<8x32xbf16>, tensor<64x32xbf16>) outs(%fy : tensor<8x64xf32>) -> tensor<8x64xf32>
  %ex = tensor.empty() : tensor<8x32xf32>
  %fx = linalg.fill ins(%zero : f32) outs(%ex : tensor<8x32xf32>) -> tensor<8x32xf32>
  // expected-remark @below {{pixelfly-sparsify: @mixed_reads#1 left unchanged: the input gradient of @mixed_reads#0 (planned with that layer), which stays dense}}
  %dx = linalg.matmul ins(%dy, %w : tensor<8x64xf32>, tensor<64x32xf32>) outs(%fx : tensor<8x32xf32>) -> tensor<8x32xf32>
  return %y, %dx : tensor<8x64xf32>, tensor<8x32xf32>
}
