// RUN: pixelfly-opt %s --convert-pixelfly-to-gpu -split-input-file | FileCheck %s
// RUN: pixelfly-opt %s --convert-pixelfly-to-gpu=fuse-epilogues=false -split-input-file | FileCheck %s --check-prefix=OFF

// Elementwise consumers of a product's output (linalg.generic over its
// M x N elements, reading it at the element they write) are computed by the
// product kernel's epilogue: their outputs become kernel arguments, their
// other operands are loaded per element (identity, per column, per row),
// and the output itself is stored only when something else reads it. A
// thread's pair of neighbouring columns loads and stores operands laid out
// for it as one aligned vector (a row of odd length: per element). The
// emulators check the numbers (emulate.test, emulate-hopper.test).

#l = #pixelfly.block_layout<shape = 128x64, block = 32x32, row_ptr = [0, 1, 3, 4, 6], col_idx = [1, 0, 1, 0, 0, 1]>
#cfg = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 2>
// A chain: pre = Y + bias (returned, so stored), act = relu(pre) with a
// constant from above, allocated after the product (the allocation moves
// up). Y itself is only filled, read by the chain and freed: not stored.
// CHECK-LABEL: func.func @chain(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: memref<?x64xbf16>, %[[B:[a-z0-9_]+]]: memref<6x32x32xbf16>, %[[BIAS:[a-z0-9_]+]]: memref<128xf32>)
// CHECK:         %[[Y:.*]] = memref.alloc(%{{.*}}) : memref<?x128xf32>
// CHECK-NOT:     linalg.fill
// CHECK:         %[[PRE:.*]] = memref.alloc(%{{.*}}) : memref<?x128xf32>
// CHECK:         %[[ACT:.*]] = memref.alloc(%{{.*}}) : memref<?x128xbf16>
// CHECK:         gpu.launch_func @pixelfly_kernels::@chain_block_sparse_matmul {{.*}} args(%[[X]] : memref<?x64xbf16>, %[[B]] : memref<6x32x32xbf16>, %[[Y]] : memref<?x128xf32>, %[[BIAS]] : memref<128xf32>, %[[PRE]] : memref<?x128xf32>, %[[ACT]] : memref<?x128xbf16>)
// CHECK-NOT:     linalg.generic
// CHECK:         return %[[PRE]], %[[ACT]]
// CHECK:       gpu.func @chain_block_sparse_matmul(%{{.*}}: memref<?x64xbf16>, %{{.*}}: memref<6x32x32xbf16>, %[[KY:.*]]: memref<?x128xf32>, %[[KBIAS:.*]]: memref<128xf32>, %[[KPRE:.*]]: memref<?x128xf32>, %[[KACT:.*]]: memref<?x128xbf16>)
// CHECK-NOT:     vector.store {{.*}}%[[KY]]
// CHECK:         %[[SUM:.*]] = arith.addf %{{.*}} : vector<2xf32>
// CHECK:         %[[Y0:.*]] = vector.extract %[[SUM]][0]
// CHECK:         %[[Y1:.*]] = vector.extract %[[SUM]][1]
// CHECK-NOT:     arith.addi
// CHECK:         %[[BV:.*]] = vector.load %[[KBIAS]][%[[COL:.*]]] {alignment = 8 : i64} : memref<128xf32>, vector<2xf32>
// CHECK:         %[[B0:.*]] = vector.extract %[[BV]][0]
// CHECK:         %[[B1:.*]] = vector.extract %[[BV]][1]
// CHECK:         %[[P0:.*]] = arith.addf %[[Y0]], %[[B0]] : f32
// CHECK:         %[[P1:.*]] = arith.addf %[[Y1]], %[[B1]] : f32
// CHECK:         %[[PV:.*]] = vector.from_elements %[[P0]], %[[P1]] : vector<2xf32>
// CHECK:         vector.store %[[PV]], %[[KPRE]][%[[ROW:.*]], %[[COL]]] {alignment = 8 : i64}
// CHECK:         %[[R0:.*]] = arith.maximumf %[[P0]], %{{.*}} : f32
// CHECK:         %[[T0:.*]] = arith.truncf %[[R0]] : f32 to bf16
// CHECK:         %[[R1:.*]] = arith.maximumf %[[P1]], %{{.*}} : f32
// CHECK:         %[[T1:.*]] = arith.truncf %[[R1]] : f32 to bf16
// CHECK:         %[[TV:.*]] = vector.from_elements %[[T0]], %[[T1]] : vector<2xbf16>
// CHECK:         vector.store %[[TV]], %[[KACT]][%[[ROW]], %[[COL]]] {alignment = 4 : i64}
// CHECK-NOT:     vector.store {{.*}}%[[KY]]
// CHECK:       gpu.return
// OFF-LABEL:   func.func @chain(
// OFF-COUNT-2:   linalg.generic
func.func @chain(%x: memref<?x64xbf16>, %b: memref<6x32x32xbf16>, %bias: memref<128xf32>) -> (memref<?x128xf32>, memref<?x128xbf16>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %m = memref.dim %x, %c0 : memref<?x64xbf16>
  %y = memref.alloc(%m) : memref<?x128xf32>
  linalg.fill ins(%zero : f32) outs(%y : memref<?x128xf32>)
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xbf16>, memref<6x32x32xbf16>) outs(%y : memref<?x128xf32>) layout(#l) {pixelfly.gpu_config = #cfg}
  %pre = memref.alloc(%m) : memref<?x128xf32>
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%y, %bias : memref<?x128xf32>, memref<128xf32>) outs(%pre : memref<?x128xf32>) {
  ^bb0(%yv: f32, %bv: f32, %o: f32):
    %s = arith.addf %yv, %bv : f32
    linalg.yield %s : f32
  }
  %act = memref.alloc(%m) : memref<?x128xbf16>
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%pre : memref<?x128xf32>) outs(%act : memref<?x128xbf16>) {
  ^bb0(%pv: f32, %o: bf16):
    %r = arith.maximumf %pv, %zero : f32
    %t = arith.truncf %r : f32 to bf16
    linalg.yield %t : bf16
  }
  memref.dealloc %y : memref<?x128xf32>
  return %pre, %act : memref<?x128xf32>, memref<?x128xbf16>
}

// -----

#l = #pixelfly.block_layout<shape = 128x64, block = 32x32, row_ptr = [0, 1, 3, 4, 6], col_idx = [1, 0, 1, 0, 0, 1]>
#cfg = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 2>
// Y is returned (so stored), its init is not zero, and the consumer reads
// a per-row scale: the kernel adds init, stores Y, and computes the
// consumer. A copy between the product and the consumer reads an argument
// and writes a buffer of its own: it neither changes what the consumer
// reads nor sees what it writes.
// CHECK-LABEL: func.func @stored(
// CHECK-SAME:      %[[S:[a-z0-9_]+]]: memref<?xf32>, %[[W:[a-z0-9_]+]]: memref<4xf32>)
// CHECK:         %[[Y:.*]] = memref.alloc
// CHECK:         linalg.fill
// CHECK:         %[[OUT:.*]] = memref.alloc
// CHECK:         gpu.launch_func @pixelfly_kernels::@stored_block_sparse_matmul {{.*}} %[[Y]] : memref<?x128xf32>, %[[S]] : memref<?xf32>, %[[OUT]] : memref<?x128xf32>)
// CHECK:         memref.copy %[[W]]
// CHECK-NOT:     linalg.generic
// CHECK:         return %[[Y]], %[[OUT]]
// CHECK:       gpu.func @stored_block_sparse_matmul(%{{.*}}, %{{.*}}, %[[KY:.*]]: memref<?x128xf32>, %[[KS:.*]]: memref<?xf32>, %[[KOUT:.*]]: memref<?x128xf32>)
// CHECK:         %[[OLD:.*]] = vector.load %[[KY]]
// CHECK:         %[[SUM:.*]] = arith.addf %[[OLD]], %{{.*}} : vector<2xf32>
// CHECK:         vector.store %[[SUM]], %[[KY]]
// CHECK:         %[[Y0:.*]] = vector.extract %[[SUM]][0]
// CHECK:         %[[Y1:.*]] = vector.extract %[[SUM]][1]
// CHECK:         %[[S0:.*]] = memref.load %[[KS]][%[[ROW:.*]]]
// CHECK-NOT:     memref.load %[[KS]]
// CHECK:         %[[P0:.*]] = arith.mulf %[[Y0]], %[[S0]]
// CHECK:         %[[P1:.*]] = arith.mulf %[[Y1]], %[[S0]]
// CHECK:         %[[PV:.*]] = vector.from_elements %[[P0]], %[[P1]]
// CHECK:         vector.store %[[PV]], %[[KOUT]][%[[ROW]], %{{.*}}] {alignment = 8 : i64}
func.func @stored(%x: memref<?x64xbf16>, %b: memref<6x32x32xbf16>, %s: memref<?xf32>, %w: memref<4xf32>) -> (memref<?x128xf32>, memref<?x128xf32>) {
  %c0 = arith.constant 0 : index
  %one = arith.constant 1.0 : f32
  %m = memref.dim %x, %c0 : memref<?x64xbf16>
  %y = memref.alloc(%m) : memref<?x128xf32>
  linalg.fill ins(%one : f32) outs(%y : memref<?x128xf32>)
  %out = memref.alloc(%m) : memref<?x128xf32>
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xbf16>, memref<6x32x32xbf16>) outs(%y : memref<?x128xf32>) layout(#l) {pixelfly.gpu_config = #cfg}
  %t = memref.alloc() : memref<4xf32>
  memref.copy %w, %t : memref<4xf32> to memref<4xf32>
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%y, %s : memref<?x128xf32>, memref<?xf32>) outs(%out : memref<?x128xf32>) {
  ^bb0(%yv: f32, %sv: f32, %o: f32):
    %p = arith.mulf %yv, %sv : f32
    linalg.yield %p : f32
  }
  memref.dealloc %t : memref<4xf32>
  return %y, %out : memref<?x128xf32>, memref<?x128xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 128x64, block = 32x32, row_ptr = [0, 1, 3, 4, 6], col_idx = [1, 0, 1, 0, 0, 1]>
#cfg = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 2>
// An operand read transposed (its columns are the output's rows) is loaded
// per element, at both columns of the pair; the output is still one
// vector.
// CHECK-LABEL: func.func @transposed_operand(
// CHECK:       gpu.func @transposed_operand_block_sparse_matmul(%{{.*}}, %{{.*}}, %[[KY:.*]]: memref<?x128xf32>, %[[KT:.*]]: memref<128x?xf32>, %[[KOUT:.*]]: memref<?x128xf32>)
// CHECK:         arith.addf %{{.*}} : vector<2xf32>
// CHECK:         %[[COL1:.*]] = arith.addi %[[COL:.*]], %c1
// CHECK:         memref.load %[[KT]][%[[COL]], %[[ROW:[a-z0-9_]+]]]
// CHECK:         memref.load %[[KT]][%[[COL1]], %[[ROW]]]
// CHECK-NOT:     vector.load %[[KT]]
// CHECK:         vector.store %{{.*}}, %[[KOUT]][%[[ROW]], %[[COL]]] {alignment = 8 : i64}
func.func @transposed_operand(%x: memref<?x64xbf16>, %b: memref<6x32x32xbf16>, %t: memref<128x?xf32>) -> memref<?x128xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %m = memref.dim %x, %c0 : memref<?x64xbf16>
  %y = memref.alloc(%m) : memref<?x128xf32>
  linalg.fill ins(%zero : f32) outs(%y : memref<?x128xf32>)
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xbf16>, memref<6x32x32xbf16>) outs(%y : memref<?x128xf32>) layout(#l) {pixelfly.gpu_config = #cfg}
  %out = memref.alloc(%m) : memref<?x128xf32>
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j, i)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%y, %t : memref<?x128xf32>, memref<128x?xf32>) outs(%out : memref<?x128xf32>) {
  ^bb0(%yv: f32, %tv: f32, %o: f32):
    %p = arith.addf %yv, %tv : f32
    linalg.yield %p : f32
  }
  memref.dealloc %y : memref<?x128xf32>
  return %out : memref<?x128xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 128x64, block = 32x32, row_ptr = [0, 1, 3, 4, 6], col_idx = [1, 0, 1, 0, 0, 1]>
#cfg = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 2>
// Not fused, each consumer left as it was: a write to its operand in
// between; an output that may alias what the product reads (a function
// argument, as X is); a transposed read of Y; a reduction; the element's
// index; a value from above that is not a constant; a consumer that does
// not read Y. The kernel takes no epilogue operand.
// CHECK-LABEL: func.func @kept(
// CHECK:         gpu.launch_func @pixelfly_kernels::@kept_block_sparse_matmul {{.*}} args(%{{[a-z0-9_]+}} : memref<?x64xbf16>, %{{[a-z0-9_]+}} : memref<6x32x32xbf16>, %{{[a-z0-9_]+}} : memref<?x128xf32>)
// CHECK-COUNT-7: linalg.generic
// CHECK-NOT:     linalg.generic
// CHECK:       gpu.func @kept_block_sparse_matmul(%{{[a-z0-9_]+}}: memref<?x64xbf16>, %{{[a-z0-9_]+}}: memref<6x32x32xbf16>, %{{[a-z0-9_]+}}: memref<?x128xf32>)
func.func @kept(%x: memref<?x64xbf16>, %b: memref<6x32x32xbf16>, %bias: memref<128xf32>, %arg: memref<?x128xf32>, %f: f32) -> (memref<?x128xf32>, memref<?x128xf32>, memref<128x?xf32>, memref<?xf32>, memref<?x128xf32>, memref<?x128xf32>, memref<?x128xf32>) {
  %c0 = arith.constant 0 : index
  %one = arith.constant 1.0 : f32
  %zero = arith.constant 0.0 : f32
  %m = memref.dim %x, %c0 : memref<?x64xbf16>
  %y = memref.alloc(%m) : memref<?x128xf32>
  %o1 = memref.alloc(%m) : memref<?x128xf32>
  %o3 = memref.alloc(%m) : memref<128x?xf32>
  %o4 = memref.alloc(%m) : memref<?xf32>
  %o5 = memref.alloc(%m) : memref<?x128xf32>
  %o6 = memref.alloc(%m) : memref<?x128xf32>
  %o7 = memref.alloc(%m) : memref<?x128xf32>
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xbf16>, memref<6x32x32xbf16>) outs(%y : memref<?x128xf32>) layout(#l) {pixelfly.gpu_config = #cfg}
  memref.store %one, %bias[%c0] : memref<128xf32>
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%y, %bias : memref<?x128xf32>, memref<128xf32>) outs(%o1 : memref<?x128xf32>) {
  ^bb0(%yv: f32, %bv: f32, %o: f32):
    %s = arith.addf %yv, %bv : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%y : memref<?x128xf32>) outs(%arg : memref<?x128xf32>) {
  ^bb0(%yv: f32, %o: f32):
    linalg.yield %yv : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (j, i)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%y : memref<?x128xf32>) outs(%o3 : memref<128x?xf32>) {
  ^bb0(%yv: f32, %o: f32):
    linalg.yield %yv : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]} ins(%y : memref<?x128xf32>) outs(%o4 : memref<?xf32>) {
  ^bb0(%yv: f32, %o: f32):
    %s = arith.addf %yv, %o : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%y : memref<?x128xf32>) outs(%o5 : memref<?x128xf32>) {
  ^bb0(%yv: f32, %o: f32):
    %i = linalg.index 0 : index
    %ii = arith.index_cast %i : index to i32
    %fi = arith.sitofp %ii : i32 to f32
    %s = arith.addf %yv, %fi : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%y : memref<?x128xf32>) outs(%o6 : memref<?x128xf32>) {
  ^bb0(%yv: f32, %o: f32):
    %s = arith.mulf %yv, %f : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} outs(%o7 : memref<?x128xf32>) {
  ^bb0(%o: f32):
    linalg.yield %zero : f32
  }
  return %o1, %arg, %o3, %o4, %o5, %o6, %o7 : memref<?x128xf32>, memref<?x128xf32>, memref<128x?xf32>, memref<?xf32>, memref<?x128xf32>, memref<?x128xf32>, memref<?x128xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 128x64, block = 32x32, row_ptr = [0, 1, 1, 2, 4], col_idx = [1, 0, 0, 1]>
#cfg = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 2>
// Not fused: block row 1 has no blocks, so the kernel never visits its
// elements and the consumer must run over them.
// CHECK-LABEL: func.func @uncovered(
// CHECK:         gpu.launch_func @pixelfly_kernels::@uncovered_block_sparse_matmul
// CHECK:         linalg.generic
func.func @uncovered(%x: memref<?x64xbf16>, %b: memref<4x32x32xbf16>, %y: memref<?x128xf32>) -> memref<?x128xf32> {
  %c0 = arith.constant 0 : index
  %m = memref.dim %x, %c0 : memref<?x64xbf16>
  %o = memref.alloc(%m) : memref<?x128xf32>
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xbf16>, memref<4x32x32xbf16>) outs(%y : memref<?x128xf32>) layout(#l) {pixelfly.gpu_config = #cfg}
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%y : memref<?x128xf32>) outs(%o : memref<?x128xf32>) {
  ^bb0(%yv: f32, %ov: f32):
    %s = arith.mulf %yv, %yv : f32
    linalg.yield %s : f32
  }
  return %o : memref<?x128xf32>
}

// -----

#l = #pixelfly.block_layout<shape = 128x64, block = 32x32, row_ptr = [0, 1, 3, 4, 6], col_idx = [1, 0, 1, 0, 0, 1]>
#cfg = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 2>
// Arguments marked llvm.noalias (C's restrict) alias no other buffer: a
// consumer writing one is fused, and so is a consumer of an output that is
// an argument itself. Without the mark on the output (@kept above, second
// consumer) it is not.
// CHECK-LABEL: func.func @restrict(
// CHECK-SAME:      %[[Y:[a-z0-9_]+]]: memref<?x128xf32> {llvm.noalias}, %[[OUT:[a-z0-9_]+]]: memref<?x128xf32> {llvm.noalias})
// CHECK:         gpu.launch_func @pixelfly_kernels::@restrict_block_sparse_matmul {{.*}} %[[Y]] : memref<?x128xf32>, %[[OUT]] : memref<?x128xf32>)
// CHECK-NOT:     linalg.generic
// CHECK:       gpu.func @restrict_block_sparse_matmul(
// CHECK:         vector.store
// CHECK:         arith.negf
func.func @restrict(%x: memref<?x64xbf16> {llvm.noalias}, %b: memref<6x32x32xbf16> {llvm.noalias}, %y: memref<?x128xf32> {llvm.noalias}, %out: memref<?x128xf32> {llvm.noalias}) {
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xbf16>, memref<6x32x32xbf16>) outs(%y : memref<?x128xf32>) layout(#l) {pixelfly.gpu_config = #cfg}
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%y : memref<?x128xf32>) outs(%out : memref<?x128xf32>) {
  ^bb0(%yv: f32, %o: f32):
    %n = arith.negf %yv : f32
    linalg.yield %n : f32
  }
  return
}

// -----

#l = #pixelfly.block_layout<shape = 128x64, block = 32x32, row_ptr = [0, 1, 3, 4, 6], col_idx = [1, 0, 1, 0, 0, 1]>
#cfg = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 2>
// A second product accumulates into Y (a training step's dH: the low-rank
// term, then the blocks'): what wrote Y before the last product (the first
// product's launch) cannot read what the last one writes, so Y, read only
// by the fused consumer afterwards, is not stored by the last kernel.
// CHECK-LABEL: func.func @accumulated(
// CHECK:         gpu.launch_func @pixelfly_kernels::@accumulated_block_sparse_matmul
// CHECK:         gpu.launch_func @pixelfly_kernels::@accumulated_block_sparse_matmul_1
// CHECK-NOT:     linalg.generic
// CHECK:       gpu.func @accumulated_block_sparse_matmul(%{{.*}}, %{{.*}}, %[[KY0:.*]]: memref<?x128xf32>)
// CHECK:         vector.store %{{.*}}, %[[KY0]]
// CHECK:       gpu.func @accumulated_block_sparse_matmul_1(%{{.*}}, %{{.*}}, %[[KY:.*]]: memref<?x128xf32>, %[[KO:.*]]: memref<?x128xf32>)
// CHECK:         vector.load %[[KY]]
// CHECK-NOT:     vector.store {{.*}}%[[KY]]
// CHECK:         vector.store %{{.*}}, %[[KO]]
// CHECK-NOT:     vector.store {{.*}}%[[KY]]
// CHECK:         gpu.return
func.func @accumulated(%x: memref<?x64xbf16>, %b: memref<6x32x32xbf16>, %b2: memref<6x32x32xbf16>) -> memref<?x128xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %m = memref.dim %x, %c0 : memref<?x64xbf16>
  %y = memref.alloc(%m) : memref<?x128xf32>
  linalg.fill ins(%zero : f32) outs(%y : memref<?x128xf32>)
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xbf16>, memref<6x32x32xbf16>) outs(%y : memref<?x128xf32>) layout(#l) {pixelfly.gpu_config = #cfg}
  pixelfly.block_sparse_matmul ins(%x, %b2 : memref<?x64xbf16>, memref<6x32x32xbf16>) outs(%y : memref<?x128xf32>) layout(#l) {pixelfly.gpu_config = #cfg}
  %o = memref.alloc(%m) : memref<?x128xf32>
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%y : memref<?x128xf32>) outs(%o : memref<?x128xf32>) {
  ^bb0(%yv: f32, %ov: f32):
    %n = arith.negf %yv : f32
    linalg.yield %n : f32
  }
  memref.dealloc %y : memref<?x128xf32>
  return %o : memref<?x128xf32>
}
