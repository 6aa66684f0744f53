// pixelfly-gpu-scalar-results (a unit parallel loop for linalg ops with 0-d
// results, so that the GPU pipeline runs them in a kernel) keeps what they
// compute: a sum of squares, an index-weighted sum (linalg.index
// renumbered) and a 0-d elementwise op give the same values, run on the
// CPU before and after the pass.
//
// REQUIRES: mlir-runner
// DEFINE: %{run} = mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils | sed -e 's/base@ = 0x[0-9a-f]*//'
// RUN: pixelfly-opt %s --pixelfly-cpu-pipeline | %{run} > %t.ref
// RUN: pixelfly-opt %s --pass-pipeline="builtin.module(func.func(pixelfly-gpu-scalar-results))" \
// RUN: | pixelfly-opt --pixelfly-cpu-pipeline | %{run} > %t.new
// RUN: diff %t.ref %t.new
// RUN: FileCheck %s --input-file=%t.new

// 1 + 4 + ... + 15^2 = 1240; 0*0 + 1*1 + ... + 15*15 = 1240; sqrt(1240).
// CHECK: [1240]
// CHECK: [1240]
// CHECK: [35.2136]

func.func private @printMemrefF32(tensor<*xf32>)

func.func @squares(%v: tensor<16xf32>) -> tensor<f32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<f32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %r = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> ()>], iterator_types = ["reduction"]}
      ins(%v : tensor<16xf32>) outs(%f : tensor<f32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.mulf %a, %a : f32
    %t = arith.addf %acc, %s : f32
    linalg.yield %t : f32
  } -> tensor<f32>
  return %r : tensor<f32>
}

func.func @indexed(%v: tensor<16xf32>) -> tensor<f32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<f32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %r = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> ()>], iterator_types = ["reduction"]}
      ins(%v : tensor<16xf32>) outs(%f : tensor<f32>) {
  ^bb0(%a: f32, %o: f32):
    %i = linalg.index 0 : index
    %ii = arith.index_cast %i : index to i64
    %fi = arith.sitofp %ii : i64 to f32
    %p = arith.mulf %a, %fi : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  } -> tensor<f32>
  return %r : tensor<f32>
}

func.func @root(%s: tensor<f32>) -> tensor<f32> {
  %e = tensor.empty() : tensor<f32>
  %n = linalg.generic {indexing_maps = [affine_map<() -> ()>, affine_map<() -> ()>], iterator_types = []}
      ins(%s : tensor<f32>) outs(%e : tensor<f32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.sqrt %a : f32
    linalg.yield %r : f32
  } -> tensor<f32>
  return %n : tensor<f32>
}

func.func @main() {
  %e = tensor.empty() : tensor<16xf32>
  %v = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>], iterator_types = ["parallel"]} outs(%e : tensor<16xf32>) {
  ^bb0(%o: f32):
    %i = linalg.index 0 : index
    %ii = arith.index_cast %i : index to i64
    %fi = arith.sitofp %ii : i64 to f32
    linalg.yield %fi : f32
  } -> tensor<16xf32>
  %a = func.call @squares(%v) : (tensor<16xf32>) -> tensor<f32>
  %b = func.call @indexed(%v) : (tensor<16xf32>) -> tensor<f32>
  %c = func.call @root(%a) : (tensor<f32>) -> tensor<f32>
  %a_ = tensor.cast %a : tensor<f32> to tensor<*xf32>
  %b_ = tensor.cast %b : tensor<f32> to tensor<*xf32>
  %c_ = tensor.cast %c : tensor<f32> to tensor<*xf32>
  func.call @printMemrefF32(%a_) : (tensor<*xf32>) -> ()
  func.call @printMemrefF32(%b_) : (tensor<*xf32>) -> ()
  func.call @printMemrefF32(%c_) : (tensor<*xf32>) -> ()
  return
}
