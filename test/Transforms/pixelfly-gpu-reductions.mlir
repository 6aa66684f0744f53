// RUN: pixelfly-opt %s -verify-diagnostics \
// RUN:   --pass-pipeline="builtin.module(func.func(pixelfly-gpu-reductions{remarks=true}))" \
// RUN: | FileCheck %s
// RUN: pixelfly-opt %s --pass-pipeline="builtin.module(func.func(pixelfly-gpu-reductions),canonicalize,func.func(pixelfly-gpu-reductions),canonicalize)" \
// RUN: | FileCheck %s --check-prefix=TWICE
// RUN: not pixelfly-opt %s --pass-pipeline="builtin.module(func.func(pixelfly-gpu-reductions{threads=0}))" 2>&1 | FileCheck %s --check-prefix=BAD

// Long reductions become partial results over chunks of at least 64
// iterations (enough partials for ~2^17 threads) and an op that combines
// them into the original init; reduction loops end up innermost. Default
// options: threads=131072, min-chunk=64.

// A bias gradient (the reduction over the tokens, written first): 1024
// features, so 128 partials of 64 tokens each; the partials are the first
// dimension (neighbouring threads read neighbouring features).
// The split op reads (outer, inner) of the split loop: (p, c) for a
// column split (loops p, n, c), (c, p) for a row split (loops n, p, c).
// CHECK-DAG:   #[[SPLIT_IN:.+]] = affine_map<(d0, d1, d2) -> (d0, d2, d1)>
// CHECK-DAG:   #[[COL_OUT:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG:   #[[T:.+]] = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-DAG:   #[[ROW1:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @bias_grad(
// CHECK-SAME:      %[[DY:[^:]+]]: tensor<8192x1024xf32>)
// CHECK:         %[[F:.+]] = linalg.fill {{.+}} -> tensor<1024xf32>
// CHECK:         %[[X:.+]] = tensor.expand_shape %[[DY]] {{\[}}[0, 1], [2]] output_shape [128, 64, 1024]
// CHECK:         %[[Z:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[PF:.+]] = linalg.fill ins(%[[Z]] : f32) outs(%{{.+}} : tensor<128x1024xf32>)
// CHECK:         %[[P:.+]] = linalg.generic {indexing_maps = [#[[SPLIT_IN]], #[[COL_OUT]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[X]] : tensor<128x64x1024xf32>) outs(%[[PF]] : tensor<128x1024xf32>)
// CHECK:           arith.addf
// CHECK:         %[[R:.+]] = linalg.generic {indexing_maps = [#[[T]], #[[ROW1]]], iterator_types = ["parallel", "reduction"]} ins(%[[P]] : tensor<128x1024xf32>) outs(%[[F]] : tensor<1024xf32>)
// CHECK:           arith.addf
// CHECK:         return %[[R]]
func.func @bias_grad(%dy: tensor<8192x1024xf32>) -> tensor<1024xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1024xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1024xf32>) -> tensor<1024xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>], iterator_types = ["reduction", "parallel"]}
      ins(%dy : tensor<8192x1024xf32>) outs(%f : tensor<1024xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %t = arith.addf %acc, %a : f32
    linalg.yield %t : f32
  } -> tensor<1024xf32>
  return %r : tensor<1024xf32>
}

// A squared norm of a matrix: the two reduction loops collapse into one of
// 2^22 iterations, split row-wise (partial p reads c * P + p) into 65536
// partials, combined by 1024 partials of 64, by 16 of 64, then 16 into the
// 0-d init.
// CHECK-LABEL: func.func @norm(
// CHECK:         tensor.collapse_shape {{.+}} : tensor<4096x1024xf32> into tensor<4194304xf32>
// CHECK:         tensor.expand_shape {{.+}} output_shape [64, 65536] : tensor<4194304xf32> into tensor<64x65536xf32>
// CHECK:         %[[N1:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]} ins(%{{.+}} : tensor<64x65536xf32>) outs(%{{.+}} : tensor<65536xf32>)
// CHECK:           arith.mulf
// CHECK:           arith.addf
// CHECK:         tensor.expand_shape %[[N1]] {{.+}} output_shape [64, 1024]
// CHECK:         %[[N2:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<1024xf32>)
// CHECK-NOT:       arith.mulf
// CHECK:         tensor.expand_shape %[[N2]] {{.+}} output_shape [64, 16]
// CHECK:         %[[N3:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<16xf32>)
// CHECK:         %[[N4:.+]] = linalg.generic {{.+}} iterator_types = ["reduction"]} ins(%[[N3]] : tensor<16xf32>) outs(%{{.+}} : tensor<f32>)
// CHECK:         return %[[N4]]
func.func @norm(%g: tensor<4096x1024xf32>) -> tensor<f32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<f32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> ()>], iterator_types = ["reduction", "reduction"]}
      ins(%g : tensor<4096x1024xf32>) outs(%f : tensor<f32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.mulf %a, %a : f32
    %t = arith.addf %acc, %s : f32
    linalg.yield %t : f32
  } -> tensor<f32>
  return %r : tensor<f32>
}

// A row maximum (linalg.reduce) over 1000 columns, dynamic rows: 15
// partials per row (the last dimension) of 66 columns, 990 columns in all;
// the last 10 columns are reduced into the combined result.
// CHECK-LABEL: func.func @row_max(
// CHECK-SAME:      %[[A:[^:]+]]: tensor<?x1000xf32>)
// CHECK:         %[[HEAD:.+]] = tensor.extract_slice %[[A]][0, 0] [%{{.+}}, 990] [1, 1]
// CHECK:         %[[TAIL:.+]] = tensor.extract_slice %[[A]][0, 990] [%{{.+}}, 10] [1, 1]
// CHECK:         %[[HX:.+]] = tensor.expand_shape %[[HEAD]] {{\[}}[0], [1, 2]] output_shape [%{{.+}}, 66, 15]
// CHECK:         %[[NEG:.+]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[PF:.+]] = linalg.fill ins(%[[NEG]] : f32) outs(%{{.+}} : tensor<?x15xf32>)
// CHECK:         %[[P:.+]] = linalg.generic {indexing_maps = [#[[SPLIT_IN]], #{{.+}}], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[HX]] : tensor<?x66x15xf32>) outs(%[[PF]] : tensor<?x15xf32>)
// CHECK:           arith.maximumf
// CHECK:         %[[C:.+]] = linalg.generic {{.+}} ins(%[[P]] : tensor<?x15xf32>)
// CHECK:         %[[R:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]} ins(%[[TAIL]] : tensor<?x10xf32>) outs(%[[C]] : tensor<?xf32>)
// CHECK:         return %[[R]]
func.func @row_max(%g: tensor<?x1000xf32>) -> tensor<?xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %c0 = arith.constant 0 : index
  %d = tensor.dim %g, %c0 : tensor<?x1000xf32>
  %e = tensor.empty(%d) : tensor<?xf32>
  %f = linalg.fill ins(%ninf : f32) outs(%e : tensor<?xf32>) -> tensor<?xf32>
  %r = linalg.reduce ins(%g : tensor<?x1000xf32>) outs(%f : tensor<?xf32>) dimensions = [1]
    (%a: f32, %acc: f32) {
      %t = arith.maximumf %acc, %a : f32
      linalg.yield %t : f32
    }
  return %r : tensor<?xf32>
}

// Dynamic tokens, bf16 into f32: where there are at least 64 tokens,
// tokens / 64 partials of 64 (split once more under its own guard: P is
// dynamic too), then the rests; with fewer, the op whole (tokens / 64
// partials would be an empty grid). At most two levels for a dynamic size.
// CHECK-LABEL: func.func @dynamic_tokens(
// CHECK:         %[[TOK:.+]] = tensor.dim
// CHECK:         %[[OK:.+]] = arith.cmpi uge, %[[TOK]], %{{.+}} : index
// CHECK:         %[[R:.+]] = scf.if %[[OK]] -> (tensor<1000xf32>) {
// CHECK:           %[[P:.+]] = arith.divui %[[TOK]], %{{.+}} : index
// CHECK:           tensor.expand_shape {{.+}} output_shape [%[[P]], 64, 1000] : tensor<?x1000xbf16> into tensor<?x64x1000xbf16>
// CHECK:           arith.extf
// CHECK:           scf.if
// CHECK:             tensor.expand_shape {{.+}} : tensor<?x1000xf32> into tensor<?x64x1000xf32>
// CHECK-NOT:         tensor.expand_shape
// CHECK:         } else {
// CHECK:           %[[W:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]} ins(%{{.+}} : tensor<?x1000xbf16>)
// CHECK:           scf.yield %[[W]]
// CHECK:         return %[[R]]
func.func @dynamic_tokens(%g: tensor<?x1000xbf16>) -> tensor<1000xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1000xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1000xf32>) -> tensor<1000xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>], iterator_types = ["reduction", "parallel"]}
      ins(%g : tensor<?x1000xbf16>) outs(%f : tensor<1000xf32>) {
  ^bb0(%a: bf16, %acc: f32):
    %x = arith.extf %a : bf16 to f32
    %t = arith.addf %acc, %x : f32
    linalg.yield %t : f32
  } -> tensor<1000xf32>
  return %r : tensor<1000xf32>
}

// Two outputs with their own combiners (a sum and a maximum) are split
// together: one partial op, one combining op per output.
// CHECK-LABEL: func.func @two_outputs(
// CHECK:         %[[P:.+]]:2 = linalg.generic
// CHECK:         } -> (tensor<128x512xf32>, tensor<128x512xf32>)
// CHECK:         linalg.generic {{.+}} ins(%[[P]]#0 : tensor<128x512xf32>)
// CHECK:           arith.addf
// CHECK:         linalg.generic {{.+}} ins(%[[P]]#1 : tensor<128x512xf32>)
// CHECK:           arith.maximumf
func.func @two_outputs(%g: tensor<8192x512xf32>, %s0: tensor<512xf32>, %m0: tensor<512xf32>) -> (tensor<512xf32>, tensor<512xf32>) {
  %r:2 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (j)>], iterator_types = ["reduction", "parallel"]}
      ins(%g : tensor<8192x512xf32>) outs(%s0, %m0 : tensor<512xf32>, tensor<512xf32>) {
  ^bb0(%a: f32, %s: f32, %m: f32):
    %t = arith.addf %s, %a : f32
    %u = arith.maximumf %m, %a : f32
    linalg.yield %t, %u : f32, f32
  } -> (tensor<512xf32>, tensor<512xf32>)
  return %r#0, %r#1 : tensor<512xf32>, tensor<512xf32>
}

// Short reductions, or ones with enough parallel iterations already, are
// not split; a reduction loop written first still moves innermost.
// CHECK-LABEL: func.func @short(
// CHECK:         linalg.generic {indexing_maps = [#[[T]], #[[ROW1]]], iterator_types = ["parallel", "reduction"]} ins(%{{.+}} : tensor<128x1024xf32>)
// CHECK-NOT:     linalg.generic
// CHECK-LABEL: func.func @wide(
// CHECK:         linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]} ins(%{{.+}} : tensor<8192x131072xf32>)
// CHECK-NOT:     linalg.generic
func.func @short(%g: tensor<128x1024xf32>, %acc: tensor<1024xf32>) -> tensor<1024xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>], iterator_types = ["reduction", "parallel"]}
      ins(%g : tensor<128x1024xf32>) outs(%acc : tensor<1024xf32>) {
  ^bb0(%a: f32, %s: f32):
    %t = arith.addf %s, %a : f32
    linalg.yield %t : f32
  } -> tensor<1024xf32>
  return %r : tensor<1024xf32>
}
func.func @wide(%g: tensor<8192x131072xf32>, %acc: tensor<131072xf32>) -> tensor<131072xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>], iterator_types = ["reduction", "parallel"]}
      ins(%g : tensor<8192x131072xf32>) outs(%acc : tensor<131072xf32>) {
  ^bb0(%a: f32, %s: f32):
    %t = arith.addf %s, %a : f32
    linalg.yield %t : f32
  } -> tensor<131072xf32>
  return %r : tensor<131072xf32>
}

// Left whole, each with a remark: the reduction is not one associative
// op (a compare and select; a subtraction), the body reads
// linalg.index, an output's value depends on another output, the reduced
// loop reaches an input through an expression (a convolution window), an
// output read through a map that is not a projected permutation. The
// reduction loops still move innermost.
// CHECK-LABEL: func.func @select_max(
// CHECK:         linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]}
// CHECK:         arith.select
// CHECK-NEXT:    linalg.yield
// CHECK-NEXT:  } -> tensor<64xf32>
// CHECK-NEXT:  return
func.func @select_max(%g: tensor<8192x64xf32>, %v0: tensor<64xf32>) -> tensor<64xf32> {
  // expected-remark @below {{pixelfly-gpu-reductions: left a long reduction whole: output #0 is not one associative arith op of the output and a value that depends on no output}}
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>], iterator_types = ["reduction", "parallel"]}
      ins(%g : tensor<8192x64xf32>) outs(%v0 : tensor<64xf32>) {
  ^bb0(%a: f32, %v: f32):
    %gt = arith.cmpf ogt, %a, %v : f32
    %nv = arith.select %gt, %a, %v : f32
    linalg.yield %nv : f32
  } -> tensor<64xf32>
  return %r : tensor<64xf32>
}
func.func @subtract(%g: tensor<8192x64xf32>, %acc: tensor<64xf32>) -> tensor<64xf32> {
  // expected-remark @below {{output #0 is not one associative arith op}}
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>], iterator_types = ["reduction", "parallel"]}
      ins(%g : tensor<8192x64xf32>) outs(%acc : tensor<64xf32>) {
  ^bb0(%a: f32, %s: f32):
    %t = arith.subf %s, %a : f32
    linalg.yield %t : f32
  } -> tensor<64xf32>
  return %r : tensor<64xf32>
}
func.func @index(%g: tensor<8192x64xf32>, %acc: tensor<64xf32>) -> tensor<64xf32> {
  // expected-remark @below {{its body reads linalg.index}}
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>], iterator_types = ["reduction", "parallel"]}
      ins(%g : tensor<8192x64xf32>) outs(%acc : tensor<64xf32>) {
  ^bb0(%a: f32, %s: f32):
    %k = linalg.index 0 : index
    %kf = arith.index_cast %k : index to i32
    %f = arith.sitofp %kf : i32 to f32
    %w = arith.mulf %a, %f : f32
    %t = arith.addf %s, %w : f32
    linalg.yield %t : f32
  } -> tensor<64xf32>
  return %r : tensor<64xf32>
}
func.func @coupled(%g: tensor<8192x64xf32>, %s0: tensor<64xf32>, %m0: tensor<64xf32>) -> (tensor<64xf32>, tensor<64xf32>) {
  // expected-remark @below {{output #0 is not one associative arith op}}
  %r:2 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (j)>], iterator_types = ["reduction", "parallel"]}
      ins(%g : tensor<8192x64xf32>) outs(%s0, %m0 : tensor<64xf32>, tensor<64xf32>) {
  ^bb0(%a: f32, %s: f32, %m: f32):
    %t = arith.addf %s, %a : f32
    %w = arith.mulf %a, %s : f32
    %u = arith.maximumf %m, %w : f32
    linalg.yield %t, %u : f32, f32
  } -> (tensor<64xf32>, tensor<64xf32>)
  return %r#0, %r#1 : tensor<64xf32>, tensor<64xf32>
}
func.func @window(%g: tensor<8200xf32>, %k: tensor<8192xf32>, %acc: tensor<8xf32>) -> tensor<8xf32> {
  // expected-remark @below {{the reduction reaches an input other than as one plain dimension}}
  %r = linalg.generic {indexing_maps = [affine_map<(i, k) -> (i + k)>, affine_map<(i, k) -> (k)>, affine_map<(i, k) -> (i)>], iterator_types = ["parallel", "reduction"]}
      ins(%g, %k : tensor<8200xf32>, tensor<8192xf32>) outs(%acc : tensor<8xf32>) {
  ^bb0(%a: f32, %b: f32, %s: f32):
    %p = arith.mulf %a, %b : f32
    %t = arith.addf %s, %p : f32
    linalg.yield %t : f32
  } -> tensor<8xf32>
  return %r : tensor<8xf32>
}
func.func @diagonal_out(%g: tensor<8192x8x8xf32>, %acc: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-remark @below {{an output is not read through a projected permutation}}
  %r = linalg.generic {indexing_maps = [affine_map<(k, i) -> (k, i, i)>, affine_map<(k, i) -> (i, i)>], iterator_types = ["reduction", "parallel"]}
      ins(%g : tensor<8192x8x8xf32>) outs(%acc : tensor<8x8xf32>) {
  ^bb0(%a: f32, %s: f32):
    %t = arith.addf %s, %a : f32
    linalg.yield %t : f32
  } -> tensor<8x8xf32>
  return %r : tensor<8x8xf32>
}

// Twice is once: the partial and combining ops are not split again.
// TWICE-LABEL: func.func @bias_grad(
// TWICE-COUNT-2: linalg.generic
// TWICE-NOT:     linalg.generic
// TWICE-LABEL: func.func @norm(

// BAD: error: pixelfly-gpu-reductions: threads and min-chunk must be positive
