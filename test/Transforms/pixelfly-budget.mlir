// RUN: pixelfly-opt %s --pixelfly-budget="target=sm_80" | FileCheck %s
// RUN: pixelfly-opt %s --pixelfly-budget="target=sm_80 report=-" -o /dev/null | FileCheck %s --check-prefix=REPORT
// RUN: pixelfly-opt %s --pixelfly-budget="target=sm_80 report=- report-format=json" -o /dev/null | FileCheck %s --check-prefix=JSON
// RUN: pixelfly-opt %s --pixelfly-budget="target=sm_80 report=%t.json" -o /dev/null && FileCheck %s --check-prefix=JSON < %t.json
// RUN: pixelfly-opt %s --pixelfly-budget="target=sm_80 budget=1.0" | FileCheck %s --check-prefix=FULL
// RUN: pixelfly-opt %s --pixelfly-budget="target=sm_90 budget=0.6 structures=two_four transposable=true" | FileCheck %s --check-prefix=TWOFOUR
// RUN: pixelfly-opt %s --pixelfly-budget="target=sm_80 tokens=4096" | FileCheck %s --check-prefix=TOKENS
// RUN: pixelfly-opt %s --pixelfly-budget="target=sm_80" -verify-diagnostics -o /dev/null


// REPORT: pixelfly-budget: target sm_80, block 32, budget 0.25 of the dense cost, low-rank fraction 0.25
// REPORT-NEXT: layer MxNxK structure dense allocated achieved density rank butterfly blocks
// REPORT-NEXT: @gpt2_mlp#0 8192x4096x1024 butterfly 2.244e+05 5.609e+04 5.522e+04 0.2461 48 16/2 768
// REPORT-NEXT: @gpt2_mlp#1 8192x1024x4096 butterfly 2.244e+05 5.609e+04 5.522e+04 0.2461 48 16/2 768
// REPORT-NEXT: @vit_layer#0 4096x3072x768 butterfly 6.426e+04 1.774e+04 1.774e+04 0.2760 16 8/1 576
// REPORT-NEXT: total: dense 5.130e+05, budget 1.282e+05, achieved 1.282e+05 (0.2498 of dense)
// REPORT-NEXT: kept dense: @kept_dense#0 (16x64x32): too small: 2048 weights, fewer than min-weight-size 4096
// REPORT-NEXT: kept dense: @kept_dense#1 (?x1024x1024): dynamic number of tokens (set the 'tokens' option to plan it)
// REPORT-NEXT: kept dense: @kept_dense#2 (64x1024x1024): unsupported element type i8 (expected f16, bf16 or f32)
// REPORT-NEXT: kept dense: @kept_dense#3: not a contraction of an activation with a weight
// REPORT-NOT: {{.}}

// JSON: "block": 32,
// JSON: "budget": 0.25,
// JSON: "kept_dense": [
// JSON: "k": 1024,
// JSON-NEXT: "m": null,
// JSON-NEXT: "n": 1024,
// JSON-NEXT: "name": "@kept_dense#1",
// JSON-NEXT: "reason": "dynamic number of tokens (set the 'tokens' option to plan it)"
// JSON: "name": "@kept_dense#3",
// JSON-NEXT: "reason": "not a contraction of an activation with a weight"
// JSON: "layers": [
// JSON: "block": 32,
// JSON-NEXT: "butterfly_size": 16,
// JSON-NEXT: "dense_cost": {{[0-9.e+]+}},
// JSON-NEXT: "density": 0.24609375,
// JSON-NEXT: "k": 1024,
// JSON-NEXT: "m": 8192,
// JSON-NEXT: "n": 4096,
// JSON-NEXT: "n_factors": 2,
// JSON-NEXT: "name": "@gpt2_mlp#0",
// JSON-NEXT: "num_blocks": 768,
// JSON-NEXT: "rank": 48,
// JSON-NEXT: "structure": "butterfly"
// JSON: "name": "@vit_layer#0",
// JSON: "low_rank_fraction": 0.25,
// JSON-NEXT: "rank_multiple": 16,
// JSON-NEXT: "target": "sm_80",

// A budget of 1 keeps every layer dense.
// FULL: #[[FULL:plan[0-9]*]] = #pixelfly.plan<structure = dense>
// FULL-NOT: = #pixelfly.plan
// FULL-COUNT-6: {pixelfly.plan = #[[FULL]]}
// FULL-NOT: pixelfly.plan

// Only 2:4, transposable: the MLP layers get it; leftovers make the ViT
// layer affordable dense.
// TWOFOUR-DAG: #[[TF:.+]] = #pixelfly.plan<structure = two_four, transposable = true>
// TWOFOUR-DAG: #[[TD:.+]] = #pixelfly.plan<structure = dense>
// TWOFOUR-LABEL: func.func @gpt2_mlp
// TWOFOUR-COUNT-2: {pixelfly.plan = #[[TF]]}
// TWOFOUR-LABEL: func.func @vit_layer
// TWOFOUR: {pixelfly.plan = #[[TD]]}

// With an assumed number of tokens, the dynamic layer is planned too.
// TOKENS-DAG: #[[TPLAN:plan[0-9]*]] = #pixelfly.plan<structure = butterfly, pattern = #{{butterfly[0-9]*}}, rank = 32>
// TOKENS-DAG: #[[TDENSE:plan[0-9]*]] = #pixelfly.plan<structure = dense>
// TOKENS-LABEL: func.func @kept_dense
// TOKENS: linalg.matmul {pixelfly.plan = #[[TDENSE]]} ins(%{{.*}} : tensor<16x32xf32>
// TOKENS: linalg.matmul {pixelfly.plan = #[[TPLAN]]} ins(%{{.*}} : tensor<?x1024xf32>

// A GPT-2-medium MLP (weights as arguments, PyTorch layout and transposed),
// a ViT-B MLP layer with a constant weight, and contractions that stay
// dense.

#mk = affine_map<(m, n, k) -> (m, k)>
#nk = affine_map<(m, n, k) -> (n, k)>
#mn = affine_map<(m, n, k) -> (m, n)>

// CHECK-DAG: #[[BF16_2:.+]] = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 2, block = 32>
// CHECK-DAG: #[[PLAN_BF:.+]] = #pixelfly.plan<structure = butterfly, pattern = #[[BF16_2]], rank = 48>
// CHECK-DAG: #[[BF8_1:.+]] = #pixelfly.flat_butterfly<butterfly_size = 8, n_factors = 1, block = 32>
// CHECK-DAG: #[[PLAN_VIT:.+]] = #pixelfly.plan<structure = butterfly, pattern = #[[BF8_1]], rank = 16>
// CHECK-DAG: #[[DENSE:.+]] = #pixelfly.plan<structure = dense>

// CHECK-LABEL: func.func @gpt2_mlp
// CHECK:         linalg.matmul indexing_maps = {{.*}} {pixelfly.plan = #[[PLAN_BF]]}
// CHECK:         linalg.matmul {pixelfly.plan = #[[PLAN_BF]]}
func.func @gpt2_mlp(%x: tensor<8192x1024xbf16>, %w1: tensor<4096x1024xbf16>,
                    %w2: tensor<1024x4096xbf16>, %a1: tensor<8192x4096xf32>,
                    %a2: tensor<8192x1024xf32>) -> tensor<8192x1024xf32> {
  %h = linalg.matmul indexing_maps = [#mk, #nk, #mn]
         ins(%x, %w1 : tensor<8192x1024xbf16>, tensor<4096x1024xbf16>)
         outs(%a1 : tensor<8192x4096xf32>) -> tensor<8192x4096xf32>
  %hb = arith.truncf %h : tensor<8192x4096xf32> to tensor<8192x4096xbf16>
  %e = tensor.empty() : tensor<4096x1024xbf16>
  %w2t = linalg.transpose ins(%w2 : tensor<1024x4096xbf16>) outs(%e : tensor<4096x1024xbf16>) permutation = [1, 0]
  %y = linalg.matmul ins(%hb, %w2t : tensor<8192x4096xbf16>, tensor<4096x1024xbf16>)
         outs(%a2 : tensor<8192x1024xf32>) -> tensor<8192x1024xf32>
  return %y : tensor<8192x1024xf32>
}

// CHECK-LABEL: func.func @vit_layer
// CHECK:         linalg.matmul {pixelfly.plan = #[[PLAN_VIT]]}
func.func @vit_layer(%x: tensor<4096x768xf16>, %a: tensor<4096x3072xf32>) -> tensor<4096x3072xf32> {
  %w = arith.constant dense<0.5> : tensor<768x3072xf16>
  %y = linalg.matmul ins(%x, %w : tensor<4096x768xf16>, tensor<768x3072xf16>)
         outs(%a : tensor<4096x3072xf32>) -> tensor<4096x3072xf32>
  return %y : tensor<4096x3072xf32>
}

// CHECK-LABEL: func.func @kept_dense
// CHECK:         linalg.matmul {pixelfly.plan = #[[DENSE]]}
// CHECK:         linalg.matmul {pixelfly.plan = #[[DENSE]]}
// CHECK:         linalg.matmul {pixelfly.plan = #[[DENSE]]}
// CHECK:         linalg.batch_matmul ins
// CHECK-NOT:     pixelfly.plan
// CHECK:         return
func.func @kept_dense(%x: tensor<16x32xf32>, %w: tensor<32x64xf32>, %a: tensor<16x64xf32>,
                      %xd: tensor<?x1024xf32>, %wd: tensor<1024x1024xf32>, %ad: tensor<?x1024xf32>,
                      %xi: tensor<64x1024xi8>, %wi: tensor<1024x1024xi8>, %ai: tensor<64x1024xi32>,
                      %q: tensor<2x16x32xf32>, %k: tensor<2x32x16xf32>, %s: tensor<2x16x16xf32>)
    -> (tensor<16x64xf32>, tensor<?x1024xf32>, tensor<64x1024xi32>, tensor<2x16x16xf32>) {
  // expected-remark @below {{pixelfly-budget: @kept_dense#0 kept dense: too small: 2048 weights, fewer than min-weight-size 4096}}
  %0 = linalg.matmul ins(%x, %w : tensor<16x32xf32>, tensor<32x64xf32>) outs(%a : tensor<16x64xf32>) -> tensor<16x64xf32>
  // expected-remark @below {{pixelfly-budget: @kept_dense#1 kept dense: dynamic number of tokens (set the 'tokens' option to plan it)}}
  %1 = linalg.matmul ins(%xd, %wd : tensor<?x1024xf32>, tensor<1024x1024xf32>) outs(%ad : tensor<?x1024xf32>) -> tensor<?x1024xf32>
  // expected-remark @below {{pixelfly-budget: @kept_dense#2 kept dense: unsupported element type i8 (expected f16, bf16 or f32)}}
  %2 = linalg.matmul ins(%xi, %wi : tensor<64x1024xi8>, tensor<1024x1024xi8>) outs(%ai : tensor<64x1024xi32>) -> tensor<64x1024xi32>
  %qn = arith.negf %q : tensor<2x16x32xf32>
  // expected-remark @below {{pixelfly-budget: @kept_dense#3 kept dense: not a contraction of an activation with a weight}}
  %3 = linalg.batch_matmul ins(%qn, %k : tensor<2x16x32xf32>, tensor<2x32x16xf32>) outs(%s : tensor<2x16x16xf32>) -> tensor<2x16x16xf32>
  return %0, %1, %2, %3 : tensor<16x64xf32>, tensor<?x1024xf32>, tensor<64x1024xi32>, tensor<2x16x16xf32>
}

