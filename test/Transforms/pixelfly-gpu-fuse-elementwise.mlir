// RUN: pixelfly-opt %s --pass-pipeline="builtin.module(func.func(pixelfly-gpu-fuse-elementwise))" | FileCheck %s

// An elementwise producer whose value is also returned is computed inside
// its elementwise consumer, which yields it as an extra result: AdamW's
// moments and weight become one op.

// CHECK-DAG:   #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[T:.+]] = affine_map<(d0, d1) -> (d1, d0)>

#id = affine_map<(i, j) -> (i, j)>
#t = affine_map<(i, j) -> (j, i)>
#scalar = affine_map<(i, j) -> ()>

// CHECK-LABEL: func.func @adamw(
// CHECK-SAME:      %[[W:[^:]+]]: tensor<4x8xf32>, %[[G:[^:]+]]: tensor<4x8xf32>, %[[M:[^:]+]]: tensor<4x8xf32>, %[[V:[^:]+]]: tensor<4x8xf32>, %[[LR:[^:]+]]: tensor<f32>)
// CHECK:         %[[R:.+]]:3 = linalg.generic
// CHECK-SAME:      ins(%[[W]], %[[LR]], %[[M]], %[[G]], %[[V]], %[[G]] :
// CHECK:         ^bb0(%{{.+}}: f32, %{{.+}}: f32, %{{.+}}: f32, %{{.+}}: f32, %{{.+}}: f32, %{{.+}}: f32, %{{.+}}: f32, %{{.+}}: f32, %{{.+}}: f32):
// CHECK:           %[[V2:.+]] = arith.addf
// CHECK:           %[[M2:.+]] = arith.addf
// CHECK:           %[[S:.+]] = math.sqrt %[[V2]]
// CHECK:           %[[U:.+]] = arith.divf %[[M2]], %[[S]]
// CHECK:           linalg.yield %{{.+}}, %[[M2]], %[[V2]] : f32, f32, f32
// CHECK-NOT:     linalg.generic
// CHECK:         return %[[R]]#0, %[[R]]#1, %[[R]]#2
func.func @adamw(%w: tensor<4x8xf32>, %g: tensor<4x8xf32>, %m: tensor<4x8xf32>, %v: tensor<4x8xf32>, %lr: tensor<f32>)
    -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  %e = tensor.empty() : tensor<4x8xf32>
  %m2 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%m, %g : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %v2 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%v, %g : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %q = arith.mulf %b, %b : f32
    %s = arith.addf %a, %q : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %w2 = linalg.generic {indexing_maps = [#id, #id, #id, #scalar, #id], iterator_types = ["parallel", "parallel"]} ins(%w, %m2, %v2, %lr : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<f32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %r: f32, %o: f32):
    %s = math.sqrt %c : f32
    %u = arith.divf %b, %s : f32
    %d = arith.mulf %r, %u : f32
    %n = arith.subf %a, %d : f32
    linalg.yield %n : f32
  } -> tensor<4x8xf32>
  return %w2, %m2, %v2 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}

// The consumer reads the producer's result transposed: the producer's
// inputs are read through the same transposition, and its value is
// written back through it.
// CHECK-LABEL: func.func @transposed(
// CHECK-SAME:      %[[A:[^:]+]]: tensor<8x4xf32>, %[[B:[^:]+]]: tensor<4x8xf32>)
// CHECK:         %[[R:.+]]:2 = linalg.generic {indexing_maps = [#[[ID]], #[[T]], #[[ID]], #[[T]]], {{.+}} ins(%[[B]], %[[A]] : tensor<4x8xf32>, tensor<8x4xf32>)
// CHECK:         return %[[R]]#0, %[[R]]#1
func.func @transposed(%a: tensor<8x4xf32>, %b: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<8x4xf32>) {
  %e = tensor.empty() : tensor<8x4xf32>
  %p = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x4xf32>) outs(%e : tensor<8x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.mulf %x, %x : f32
    linalg.yield %s : f32
  } -> tensor<8x4xf32>
  %e2 = tensor.empty() : tensor<4x8xf32>
  %c = linalg.generic {indexing_maps = [#id, #t, #id], iterator_types = ["parallel", "parallel"]} ins(%b, %p : tensor<4x8xf32>, tensor<8x4xf32>) outs(%e2 : tensor<4x8xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  return %c, %p : tensor<4x8xf32>, tensor<8x4xf32>
}

// Left alone: a producer two elementwise consumers read (merging it into
// both would compute it twice), a producer a reduction reads, one that
// reads linalg.index, one only its consumer reads (upstream fusion's
// case), one its consumer reads both as it is and transposed, and one its
// consumer reads and also writes into (its init), and one another op reads
// before the consumer (the merged op's result would not dominate it).
// CHECK-LABEL: func.func @two_consumers(
// CHECK-COUNT-3: linalg.generic
// CHECK-LABEL: func.func @reduction_consumer(
// CHECK-COUNT-2: linalg.generic
// CHECK-LABEL: func.func @index_producer(
// CHECK-COUNT-2: linalg.generic
// CHECK-LABEL: func.func @single_use(
// CHECK-COUNT-2: linalg.generic
// CHECK-LABEL: func.func @read_twice(
// CHECK-COUNT-2: linalg.generic
// CHECK-LABEL: func.func @into_init(
// CHECK-COUNT-2: linalg.generic
// CHECK-LABEL: func.func @read_before(
// CHECK-COUNT-2: linalg.generic
func.func @two_consumers(%a: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  %e = tensor.empty() : tensor<4x8xf32>
  %p = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = math.exp %x : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %c1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%p : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %x : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %c2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%p : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.mulf %x, %x : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  return %p, %c1, %c2 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}
func.func @reduction_consumer(%a: tensor<4x8xf32>, %acc: tensor<8xf32>) -> (tensor<4x8xf32>, tensor<8xf32>) {
  %e = tensor.empty() : tensor<4x8xf32>
  %p = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = math.exp %x : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, affine_map<(i, j) -> (j)>], iterator_types = ["reduction", "parallel"]} ins(%p : tensor<4x8xf32>) outs(%acc : tensor<8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %o : f32
    linalg.yield %s : f32
  } -> tensor<8xf32>
  return %p, %r : tensor<4x8xf32>, tensor<8xf32>
}
func.func @index_producer(%a: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %e = tensor.empty() : tensor<4x8xf32>
  %p = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %i = linalg.index 0 : index
    %ii = arith.index_cast %i : index to i32
    %f = arith.sitofp %ii : i32 to f32
    %s = arith.addf %x, %f : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %c = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%p : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.mulf %x, %x : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  return %p, %c : tensor<4x8xf32>, tensor<4x8xf32>
}
func.func @single_use(%a: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  %p = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = math.exp %x : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %c = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%p : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.mulf %x, %x : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  return %c : tensor<4x8xf32>
}
func.func @read_twice(%a: tensor<8x8xf32>) -> (tensor<8x8xf32>, tensor<8x8xf32>) {
  %e = tensor.empty() : tensor<8x8xf32>
  %p = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x8xf32>) outs(%e : tensor<8x8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = math.exp %x : f32
    linalg.yield %s : f32
  } -> tensor<8x8xf32>
  %c = linalg.generic {indexing_maps = [#id, #t, #id], iterator_types = ["parallel", "parallel"]} ins(%p, %p : tensor<8x8xf32>, tensor<8x8xf32>) outs(%e : tensor<8x8xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.subf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<8x8xf32>
  return %p, %c : tensor<8x8xf32>, tensor<8x8xf32>
}
func.func @into_init(%a: tensor<8x8xf32>) -> (tensor<8x8xf32>, tensor<8x8xf32>) {
  %e = tensor.empty() : tensor<8x8xf32>
  %p = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x8xf32>) outs(%e : tensor<8x8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = math.exp %x : f32
    linalg.yield %s : f32
  } -> tensor<8x8xf32>
  %c = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%p, %a : tensor<8x8xf32>, tensor<8x8xf32>) outs(%p : tensor<8x8xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %t = arith.mulf %x, %y : f32
    %s = arith.addf %t, %o : f32
    linalg.yield %s : f32
  } -> tensor<8x8xf32>
  return %p, %c : tensor<8x8xf32>, tensor<8x8xf32>
}
func.func @read_before(%a: tensor<8x8xf32>) -> (f32, tensor<8x8xf32>) {
  %c0 = arith.constant 0 : index
  %e = tensor.empty() : tensor<8x8xf32>
  %p = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x8xf32>) outs(%e : tensor<8x8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = math.exp %x : f32
    linalg.yield %s : f32
  } -> tensor<8x8xf32>
  %first = tensor.extract %p[%c0, %c0] : tensor<8x8xf32>
  %c = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%p : tensor<8x8xf32>) outs(%e : tensor<8x8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %t = arith.mulf %x, %x : f32
    linalg.yield %t : f32
  } -> tensor<8x8xf32>
  return %first, %c : f32, tensor<8x8xf32>
}
