// Data for train-2-4-fixed.mlir (appended to a program that defines @step
// and @run): x (7 x 32) and dy (7 x 64) small integers; w0 (64 x 32) on the
// checkerboard 2:4 mask ((i + j) even: two of every four entries along
// rows and columns), nonzero there; w1 (64 x 32) nonzero everywhere. Every
// entry is a small integer, so every sum is exact.

func.func private @printMemrefF32(tensor<*xf32>)

func.func @fill(%t: tensor<?x?xf32>, %salt: index, %masked: i1) -> tensor<?x?xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} outs(%t : tensor<?x?xf32>) {
  ^bb0(%o: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c3 = arith.constant 3 : index
    %c5 = arith.constant 5 : index
    %c0 = arith.constant 0 : index
    %a = arith.muli %i, %c5 : index
    %b = arith.muli %j, %c3 : index
    %ab = arith.addi %a, %b : index
    %abs = arith.addi %ab, %salt : index
    %m = arith.remui %abs, %c3 : index
    %mag = arith.addi %m, %c1 : index
    %jm = arith.remui %j, %c2 : index
    %neg = arith.cmpi eq, %jm, %c0 : index
    %mi = arith.index_cast %mag : index to i64
    %mf = arith.sitofp %mi : i64 to f32
    %nf = arith.negf %mf : f32
    %val = arith.select %neg, %nf, %mf : f32
    %ij = arith.addi %i, %j : index
    %p = arith.remui %ij, %c2 : index
    %off = arith.cmpi ne, %p, %c0 : index
    %drop = arith.andi %off, %masked : i1
    %zero = arith.constant 0.0 : f32
    %res = arith.select %drop, %zero, %val : f32
    linalg.yield %res : f32
  } -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

func.func @make(%rows: index, %cols: index, %salt: index, %masked: i1) -> tensor<?x?xf32> {
  %e = tensor.empty(%rows, %cols) : tensor<?x?xf32>
  %r = func.call @fill(%e, %salt, %masked) : (tensor<?x?xf32>, index, i1) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

func.func @print(%t: tensor<?x?xf32>) {
  %u = tensor.cast %t : tensor<?x?xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}

func.func @main() {
  %true = arith.constant true
  %false = arith.constant false
  %c7 = arith.constant 7 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %x0 = func.call @make(%c7, %c32, %c0, %false) : (index, index, index, i1) -> tensor<?x?xf32>
  %w00 = func.call @make(%c64, %c32, %c1, %true) : (index, index, index, i1) -> tensor<?x?xf32>
  %w10 = func.call @make(%c64, %c32, %c4, %false) : (index, index, index, i1) -> tensor<?x?xf32>
  %dy0 = func.call @make(%c7, %c64, %c2, %false) : (index, index, index, i1) -> tensor<?x?xf32>
  %x = tensor.cast %x0 : tensor<?x?xf32> to tensor<7x32xf32>
  %w0 = tensor.cast %w00 : tensor<?x?xf32> to tensor<64x32xf32>
  %w1 = tensor.cast %w10 : tensor<?x?xf32> to tensor<64x32xf32>
  %dy = tensor.cast %dy0 : tensor<?x?xf32> to tensor<7x64xf32>
  func.call @run(%x, %w0, %w1, %dy) : (tensor<7x32xf32>, tensor<64x32xf32>, tensor<64x32xf32>, tensor<7x64xf32>) -> ()
  return
}
