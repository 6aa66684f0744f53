// RUN: pixelfly-opt %s --pass-pipeline="builtin.module(func.func(pixelfly-gpu-horizontal-fusion))" -split-input-file | FileCheck %s

// Independent elementwise ops become one parallel loop over their elements
// laid end to end (Integration/CPU/horizontal-fusion.mlir runs it): flat
// views of multi-dimensional operands, 0-d operands read as they are, an
// allocation in between moved past. The loop sits where the last one was.
// CHECK-LABEL: func.func @fused(
// CHECK-SAME:      %[[A:[a-z0-9_]+]]: memref<2x3xf32> {llvm.noalias}, %[[B:[a-z0-9_]+]]: memref<?xf32> {llvm.noalias}, %[[S:[a-z0-9_]+]]: memref<f32> {llvm.noalias}, %[[AO:[a-z0-9_]+]]: memref<2x3xf32> {llvm.noalias})
// CHECK:         %[[BO:.+]] = memref.alloc
// CHECK-DAG:     %[[C6:.+]] = arith.constant 6 : index
// CHECK-DAG:     %[[AF:.+]] = memref.collapse_shape %[[A]] {{\[\[}}0, 1]] : memref<2x3xf32> into memref<6xf32>
// CHECK-DAG:     %[[AOF:.+]] = memref.collapse_shape %[[AO]] {{\[\[}}0, 1]] : memref<2x3xf32> into memref<6xf32>
// CHECK-DAG:     %[[N:.+]] = memref.dim %[[B]], %{{.+}}
// CHECK:         %[[END:.+]] = arith.addi %[[C6]], %[[N]] : index
// CHECK:         scf.parallel (%[[I:.+]]) = (%{{.+}}) to (%[[END]])
// CHECK:           %[[IN0:.+]] = arith.cmpi ult, %[[I]], %[[C6]]
// CHECK:           scf.if %[[IN0]]
// CHECK:             %[[X:.+]] = memref.load %[[AF]][%[[I]]]
// CHECK:             %[[SV:.+]] = memref.load %[[S]][]
// CHECK:             %[[P:.+]] = arith.mulf %[[X]], %[[SV]]
// CHECK:             memref.store %[[P]], %[[AOF]][%[[I]]]
// CHECK:           %[[IN1:.+]] = arith.cmpi uge, %[[I]], %[[C6]]
// CHECK:           scf.if %[[IN1]]
// CHECK:             %[[K:.+]] = arith.subi %[[I]], %[[C6]]
// CHECK:             memref.load %[[B]][%[[K]]]
// CHECK:             memref.store %{{.+}}, %[[BO]][%[[K]]]
// CHECK-NOT:     linalg.generic
// CHECK:         return %[[BO]]
func.func @fused(%a: memref<2x3xf32> {llvm.noalias}, %b: memref<?xf32> {llvm.noalias}, %s: memref<f32> {llvm.noalias}, %ao: memref<2x3xf32> {llvm.noalias}) -> memref<?xf32> {
  %c0 = arith.constant 0 : index
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> ()>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%a, %s : memref<2x3xf32>, memref<f32>) outs(%ao : memref<2x3xf32>) {
  ^bb0(%x: f32, %sv: f32, %o: f32):
    %p = arith.mulf %x, %sv : f32
    linalg.yield %p : f32
  }
  %len = memref.dim %b, %c0 : memref<?xf32>
  %bo = memref.alloc(%len) : memref<?xf32>
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]} ins(%b : memref<?xf32>) outs(%bo : memref<?xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  }
  return %bo : memref<?xf32>
}

// -----

// Left as they are: the second reads what the first writes; arguments that
// may alias (not llvm.noalias); a store in between; an op that broadcasts
// (not flat) in between; an op that asks for its index.
// CHECK-LABEL: func.func @kept(
// CHECK-NOT:     scf.parallel
// CHECK-COUNT-11: linalg.generic
// CHECK-NOT:     scf.parallel
func.func @kept(%a: memref<8xf32> {llvm.noalias}, %t: memref<8xf32> {llvm.noalias}, %u: memref<8xf32> {llvm.noalias}, %p: memref<8xf32>, %q: memref<8xf32>, %r: memref<8xf32>, %w: memref<8xf32>, %m: memref<4x8xf32> {llvm.noalias}, %one: f32) {
  %c0 = arith.constant 0 : index
  // Dependent.
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]} ins(%a : memref<8xf32>) outs(%t : memref<8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]} ins(%t : memref<8xf32>) outs(%u : memref<8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  }
  memref.store %one, %a[%c0] : memref<8xf32>
  // May alias.
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]} ins(%p : memref<8xf32>) outs(%q : memref<8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]} ins(%r : memref<8xf32>) outs(%w : memref<8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  }
  memref.store %one, %a[%c0] : memref<8xf32>
  // A store in between.
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]} ins(%a : memref<8xf32>) outs(%t : memref<8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  }
  memref.store %one, %u[%c0] : memref<8xf32>
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]} ins(%a : memref<8xf32>) outs(%u : memref<8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  }
  memref.store %one, %a[%c0] : memref<8xf32>
  // A broadcast in between (not flat).
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]} ins(%a : memref<8xf32>) outs(%t : memref<8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%a : memref<8xf32>) outs(%m : memref<4x8xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]} ins(%a : memref<8xf32>) outs(%u : memref<8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  }
  memref.store %one, %a[%c0] : memref<8xf32>
  // An index.
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>], iterator_types = ["parallel"]} outs(%t : memref<8xf32>) {
  ^bb0(%o: f32):
    %i = linalg.index 0 : index
    %ii = arith.index_cast %i : index to i32
    %f = arith.sitofp %ii : i32 to f32
    linalg.yield %f : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]} ins(%a : memref<8xf32>) outs(%u : memref<8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  }
  return
}
