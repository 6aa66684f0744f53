// Data and printing for the training-step execution tests (appended to a
// program that defines @run). @main builds the inputs, small integers, so
// every sum is exact whatever its order, and calls
// @run(x, w, dy, v, on_layout): `w` is zero off the 64 x 64 layout of two
// 32 x 32 diagonal blocks when `on_layout` is true.


func.func private @printMemrefF32(tensor<*xf32>)

// Small integers in [-3, 3] from the indices, (5i + 3j + ij + salt) mod 7
// - 3;
// with `diagonal`, zero where i / 32 != j / 32.
func.func @make(%rows: index, %cols: index, %salt: index, %diagonal: i1) -> tensor<?x?xf32> {
  %t = tensor.empty(%rows, %cols) : tensor<?x?xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} outs(%t : tensor<?x?xf32>) {
  ^bb0(%o: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %c3 = arith.constant 3 : index
    %c5 = arith.constant 5 : index
    %c7 = arith.constant 7 : index
    %c32 = arith.constant 32 : index
    %a = arith.muli %i, %c5 : index
    %b = arith.muli %j, %c3 : index
    %ij = arith.muli %i, %j : index
    %ab = arith.addi %a, %b : index
    %abij = arith.addi %ab, %ij : index
    %all = arith.addi %abij, %salt : index
    %m = arith.remui %all, %c7 : index
    %mi = arith.index_cast %m : index to i64
    %mf = arith.sitofp %mi : i64 to f32
    %three = arith.constant 3.0 : f32
    %val = arith.subf %mf, %three : f32
    %bi = arith.divui %i, %c32 : index
    %bj = arith.divui %j, %c32 : index
    %off = arith.cmpi ne, %bi, %bj : index
    %drop = arith.andi %off, %diagonal : i1
    %zero = arith.constant 0.0 : f32
    %res = arith.select %drop, %zero, %val : f32
    linalg.yield %res : f32
  } -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

func.func @print2(%t: tensor<?x?xf32>) {
  %u = tensor.cast %t : tensor<?x?xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}

func.func @print3(%t: tensor<8x16x16xf32>) {
  %u = tensor.cast %t : tensor<8x16x16xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}

func.func @main() {
  %on_layout = arith.constant true
  %false = arith.constant false
  %c7 = arith.constant 7 : index
  %c64 = arith.constant 64 : index
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %x0 = func.call @make(%c7, %c64, %c0, %false) : (index, index, index, i1) -> tensor<?x?xf32>
  %w0 = func.call @make(%c64, %c64, %c1, %on_layout) : (index, index, index, i1) -> tensor<?x?xf32>
  %dy0 = func.call @make(%c7, %c64, %c2, %false) : (index, index, index, i1) -> tensor<?x?xf32>
  %v0 = func.call @make(%c64, %c64, %c3, %on_layout) : (index, index, index, i1) -> tensor<?x?xf32>
  %x = tensor.cast %x0 : tensor<?x?xf32> to tensor<7x64xf32>
  %w = tensor.cast %w0 : tensor<?x?xf32> to tensor<64x64xf32>
  %dy = tensor.cast %dy0 : tensor<?x?xf32> to tensor<7x64xf32>
  %v = tensor.cast %v0 : tensor<?x?xf32> to tensor<64x64xf32>
  func.call @run(%x, %w, %dy, %v) : (tensor<7x64xf32>, tensor<64x64xf32>, tensor<7x64xf32>, tensor<64x64xf32>) -> ()
  return
}
