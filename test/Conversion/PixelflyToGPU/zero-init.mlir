// RUN: pixelfly-opt %s --convert-pixelfly-to-gpu -split-input-file | FileCheck %s
// RUN: pixelfly-opt %S/Inputs/zero-init-two-four-f16.mlir --pixelfly-gpu-config --convert-pixelfly-to-gpu | FileCheck %s --check-prefix=TWOFOUR

// A +0 fill of the output right before the product (bufferized
// `outs(linalg.fill 0)`) is folded into the kernel: the fill is erased and
// the epilogue stores without loading Y (it adds a constant +0, which keeps
// the result bit-identical). The emulator checks the numbers (emulate.test,
// --zero-init).

#l = #pixelfly.block_layout<shape = 128x64, block = 32x32, row_ptr = [0, 1, 3, 4, 6], col_idx = [1, 0, 1, 0, 0, 1]>
#cfg = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 2>
// CHECK-LABEL: func.func @folded(
// CHECK-SAME:      %[[Y:[a-z0-9_]+]]: memref<?x128xf32>)
// CHECK-NOT:     linalg.fill
// CHECK:         gpu.launch_func @pixelfly_kernels::@folded_block_sparse_matmul {{.*}}%[[Y]] : memref<?x128xf32>)
// CHECK-NOT:     linalg.fill
// CHECK:       gpu.func @folded_block_sparse_matmul(%{{.*}}: memref<?x64xbf16>, %{{.*}}: memref<6x32x32xbf16>, %[[INIT:.*]]: memref<?x128xf32>)
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<2xf32>
// CHECK-NOT:     vector.load %[[INIT]]
// CHECK:         %[[SUM:.*]] = arith.addf %[[ZERO]], %{{.*}} : vector<2xf32>
// CHECK-NEXT:    vector.store %[[SUM]], %[[INIT]]
// CHECK-NOT:     vector.load %[[INIT]]
// CHECK:       gpu.return
func.func @folded(%x: memref<?x64xbf16>, %b: memref<6x32x32xbf16>, %y: memref<?x128xf32>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%y : memref<?x128xf32>)
  %m = memref.dim %y, %c0 : memref<?x128xf32>
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xbf16>, memref<6x32x32xbf16>) outs(%y : memref<?x128xf32>) layout(#l) {pixelfly.gpu_config = #cfg}
  return
}

// -----

// Not folded: -0 (the product of an empty sum would differ: -0 + +0 is +0),
// a non-zero value, an op writing memory in between, a fill of another
// buffer. The fill stays and the kernel reads Y.
#l = #pixelfly.block_layout<shape = 128x64, block = 32x32, row_ptr = [0, 1, 3, 4, 6], col_idx = [1, 0, 1, 0, 0, 1]>
#cfg = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 2>
// CHECK-LABEL: func.func @kept(
// CHECK-SAME:      %[[Y:[a-z0-9_]+]]: memref<?x128xf32>, %[[Z:[a-z0-9_]+]]: memref<?x128xf32>)
// CHECK:         linalg.fill ins(%{{.*}} : f32) outs(%[[Y]]
// CHECK:         gpu.launch_func @pixelfly_kernels::@kept_block_sparse_matmul blocks
// CHECK:         linalg.fill ins(%{{.*}} : f32) outs(%[[Y]]
// CHECK:         gpu.launch_func @pixelfly_kernels::@kept_block_sparse_matmul blocks
// CHECK:         linalg.fill ins(%{{.*}} : f32) outs(%[[Y]]
// CHECK:         memref.store
// CHECK:         gpu.launch_func @pixelfly_kernels::@kept_block_sparse_matmul blocks
// CHECK:         linalg.fill ins(%{{.*}} : f32) outs(%[[Z]]
// CHECK:         gpu.launch_func @pixelfly_kernels::@kept_block_sparse_matmul blocks
// The four kernels are the same code (each reads Y): one is kept.
// CHECK:       gpu.func @kept_block_sparse_matmul(
// CHECK:         vector.load
// CHECK-NOT:   gpu.func @kept_block_sparse_matmul_
func.func @kept(%x: memref<?x64xbf16>, %b: memref<6x32x32xbf16>, %y: memref<?x128xf32>, %z: memref<?x128xf32>) {
  %c0 = arith.constant 0 : index
  %neg = arith.constant -0.0 : f32
  %one = arith.constant 1.0 : f32
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%neg : f32) outs(%y : memref<?x128xf32>)
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xbf16>, memref<6x32x32xbf16>) outs(%y : memref<?x128xf32>) layout(#l) {pixelfly.gpu_config = #cfg}
  linalg.fill ins(%one : f32) outs(%y : memref<?x128xf32>)
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xbf16>, memref<6x32x32xbf16>) outs(%y : memref<?x128xf32>) layout(#l) {pixelfly.gpu_config = #cfg}
  linalg.fill ins(%zero : f32) outs(%y : memref<?x128xf32>)
  memref.store %one, %y[%c0, %c0] : memref<?x128xf32>
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xbf16>, memref<6x32x32xbf16>) outs(%y : memref<?x128xf32>) layout(#l) {pixelfly.gpu_config = #cfg}
  linalg.fill ins(%zero : f32) outs(%z : memref<?x128xf32>)
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xbf16>, memref<6x32x32xbf16>) outs(%y : memref<?x128xf32>) layout(#l) {pixelfly.gpu_config = #cfg}
  return
}

// -----

// Not folded: block row 1 has no blocks, so the kernel never writes its
// outputs and the fill must stay.
#l = #pixelfly.block_layout<shape = 128x64, block = 32x32, row_ptr = [0, 1, 1, 2, 4], col_idx = [1, 0, 0, 1]>
#cfg = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 2>
// CHECK-LABEL: func.func @uncovered(
// CHECK:         linalg.fill
// CHECK:         gpu.launch_func @pixelfly_kernels::@uncovered_block_sparse_matmul
// CHECK:       gpu.func @uncovered_block_sparse_matmul(
// CHECK:         vector.load
func.func @uncovered(%x: memref<?x64xbf16>, %b: memref<4x32x32xbf16>, %y: memref<?x128xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%y : memref<?x128xf32>)
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xbf16>, memref<4x32x32xbf16>) outs(%y : memref<?x128xf32>) layout(#l) {pixelfly.gpu_config = #cfg}
  return
}

// 2:4: the fill goes and the transposed epilogue stores each element
// without loading it.
// TWOFOUR-LABEL: func.func @two_four(
// TWOFOUR-NOT:     linalg.fill
// TWOFOUR:         gpu.launch_func @pixelfly_kernels::@two_four_two_four_matmul
// TWOFOUR:       gpu.func @two_four_two_four_matmul(%{{.*}}, %{{.*}}, %{{.*}}, %[[INIT:.*]]: memref<?x64xf16>)
// TWOFOUR-NOT:     memref.load %[[INIT]]
// TWOFOUR:         memref.store %{{.*}}, %[[INIT]]
// TWOFOUR-NOT:     memref.load %[[INIT]]
// TWOFOUR:       gpu.return

// -----

// Not folded: the product's input is the output's buffer seen through a
// view (memref.cast here): it must read the zeros.
#l = #pixelfly.block_layout<shape = 64x64, block = 32x32, row_ptr = [0, 1, 2], col_idx = [1, 0]>
#cfg = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 32, tile_k = 32, warps_m = 2, warps_n = 1, stages = 2>
// CHECK-LABEL: func.func @aliased(
// CHECK:         linalg.fill
// CHECK:         gpu.launch_func @pixelfly_kernels::@aliased_block_sparse_matmul
// CHECK:       gpu.func @aliased_block_sparse_matmul(
// CHECK:         vector.load
func.func @aliased(%buf: memref<50x64xf16>, %b: memref<2x32x32xf16>) {
  %zero = arith.constant 0.0 : f16
  %y = memref.cast %buf : memref<50x64xf16> to memref<?x64xf16>
  linalg.fill ins(%zero : f16) outs(%y : memref<?x64xf16>)
  pixelfly.block_sparse_matmul ins(%buf, %b : memref<50x64xf16>, memref<2x32x32xf16>) outs(%y : memref<?x64xf16>) layout(#l) {pixelfly.gpu_config = #cfg}
  return
}

// -----

// A weight gradient: every stored block is one thread block's tile, written
// whole, so the fill is folded; the blocks do not shrink with M, so where
// there are no tokens (no launch) the fill runs instead. With a static M
// there is no such branch.
#l = #pixelfly.block_layout<shape = 64x64, block = 32x32, row_ptr = [0, 1, 2], col_idx = [1, 0]>
#cfg = #pixelfly.gpu_config<chip = "sm_80", tile_m = 32, tile_n = 32, tile_k = 16, warps_m = 2, warps_n = 1, stages = 3>
// CHECK-LABEL: func.func @weight_grad(
// CHECK-SAME:      %[[DB:[a-z0-9_]+]]: memref<2x32x32xf32>)
// CHECK:         scf.if
// CHECK:           gpu.launch_func @pixelfly_kernels::@weight_grad_block_sparse_weight_grad
// CHECK-NEXT:    } else {
// CHECK-NEXT:      linalg.fill ins(%{{.*}} : f32) outs(%[[DB]] : memref<2x32x32xf32>)
// CHECK-NEXT:    }
// CHECK-LABEL: func.func @weight_grad_static(
// CHECK-NOT:     linalg.fill
// CHECK-NOT:     scf.if
// CHECK:         gpu.launch_func @pixelfly_kernels::@weight_grad_static_block_sparse_weight_grad
// CHECK-NOT:     linalg.fill
// CHECK:       gpu.func @weight_grad_block_sparse_weight_grad(%{{.*}}: memref<?x64xf16>, %{{.*}}: memref<?x64xf16>, %[[INIT:.*]]: memref<2x32x32xf32>)
// CHECK-NOT:     vector.load %[[INIT]]
// CHECK:         vector.store %{{.*}}, %[[INIT]]
// CHECK-NOT:     vector.load %[[INIT]]
// CHECK:       gpu.return
func.func @weight_grad(%dy: memref<?x64xf16>, %x: memref<?x64xf16>, %db: memref<2x32x32xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%db : memref<2x32x32xf32>)
  pixelfly.block_sparse_weight_grad ins(%dy, %x : memref<?x64xf16>, memref<?x64xf16>) outs(%db : memref<2x32x32xf32>) layout(#l) {pixelfly.gpu_config = #cfg}
  return
}
func.func @weight_grad_static(%dy: memref<48x64xf16>, %x: memref<48x64xf16>, %db: memref<2x32x32xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%db : memref<2x32x32xf32>)
  pixelfly.block_sparse_weight_grad ins(%dy, %x : memref<48x64xf16>, memref<48x64xf16>) outs(%db : memref<2x32x32xf32>) layout(#l) {pixelfly.gpu_config = #cfg}
  return
}

// -----

// Ops between the fill and the product that cannot touch the output's
// buffer do not stop the fold: a training step fills a fresh accumulator,
// then copies a weight into a buffer of its own (a low-rank factor
// re-blocked, U scaled by 1 - gamma), then runs the product. A fresh
// allocation aliases nothing it was not derived from.
#l = #pixelfly.block_layout<shape = 128x64, block = 32x32, row_ptr = [0, 1, 3, 4, 6], col_idx = [1, 0, 1, 0, 0, 1]>
#cfg = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 2>
// CHECK-LABEL: func.func @across_copies(
// CHECK-NOT:     linalg.fill
// CHECK:         linalg.transpose
// CHECK-NOT:     linalg.fill
// CHECK:         gpu.launch_func @pixelfly_kernels::@across_copies_block_sparse_matmul
// CHECK-NOT:     linalg.fill
// CHECK:         return
func.func @across_copies(%x: memref<?x64xbf16>, %b: memref<6x32x32xbf16>, %w: memref<32x32xbf16>, %m: index) -> (memref<?x128xf32>, memref<32x32xbf16>) {
  %zero = arith.constant 0.0 : f32
  %y = memref.alloc(%m) : memref<?x128xf32>
  linalg.fill ins(%zero : f32) outs(%y : memref<?x128xf32>)
  %wt = memref.alloc() : memref<32x32xbf16>
  linalg.transpose ins(%w : memref<32x32xbf16>) outs(%wt : memref<32x32xbf16>) permutation = [1, 0]
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xbf16>, memref<6x32x32xbf16>) outs(%y : memref<?x128xf32>) layout(#l) {pixelfly.gpu_config = #cfg}
  return %y, %wt : memref<?x128xf32>, memref<32x32xbf16>
}

// -----

// Nor does a product in between whose output is another fresh buffer (a
// training step's shared X V, computed between a layer's fill and its
// product): both fills fold, though the first product is a launch by the
// time the second is lowered.
#l = #pixelfly.block_layout<shape = 128x64, block = 32x32, row_ptr = [0, 1, 3, 4, 6], col_idx = [1, 0, 1, 0, 0, 1]>
#cfg = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 2>
// CHECK-LABEL: func.func @across_products(
// CHECK-NOT:     linalg.fill
// CHECK:         gpu.launch_func @pixelfly_kernels::@across_products_block_sparse_matmul
// CHECK-NOT:     linalg.fill
// CHECK:         gpu.launch_func @pixelfly_kernels::@across_products_block_sparse_matmul
// CHECK-NOT:     linalg.fill
// CHECK:         return
func.func @across_products(%x: memref<?x64xbf16>, %b: memref<6x32x32xbf16>, %m: index) -> (memref<?x128xf32>, memref<?x128xf32>) {
  %zero = arith.constant 0.0 : f32
  %y = memref.alloc(%m) : memref<?x128xf32>
  linalg.fill ins(%zero : f32) outs(%y : memref<?x128xf32>)
  %t = memref.alloc(%m) : memref<?x128xf32>
  linalg.fill ins(%zero : f32) outs(%t : memref<?x128xf32>)
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xbf16>, memref<6x32x32xbf16>) outs(%t : memref<?x128xf32>) layout(#l) {pixelfly.gpu_config = #cfg}
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xbf16>, memref<6x32x32xbf16>) outs(%y : memref<?x128xf32>) layout(#l) {pixelfly.gpu_config = #cfg}
  return %y, %t : memref<?x128xf32>, memref<?x128xf32>
}

// -----

// Kept: an op in between writes a view of the output's buffer, or reads
// and writes function arguments (which may alias the output argument).
#l = #pixelfly.block_layout<shape = 128x64, block = 32x32, row_ptr = [0, 1, 3, 4, 6], col_idx = [1, 0, 1, 0, 0, 1]>
#cfg = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 2>
// CHECK-LABEL: func.func @across_aliases(
// CHECK:         linalg.fill
// CHECK:         linalg.fill
// CHECK:         gpu.launch_func @pixelfly_kernels::@across_aliases_block_sparse_matmul
// CHECK:         linalg.fill
// CHECK:         linalg.transpose
// CHECK:         gpu.launch_func @pixelfly_kernels::@across_aliases_block_sparse_matmul
// CHECK:       gpu.func @across_aliases_block_sparse_matmul(
// CHECK:         vector.load
func.func @across_aliases(%x: memref<?x64xbf16>, %b: memref<6x32x32xbf16>, %w: memref<128x128xf32>, %wt: memref<128x128xf32>, %z: memref<?x128xf32>, %m: index) -> memref<?x128xf32> {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %y = memref.alloc(%m) : memref<?x128xf32>
  linalg.fill ins(%zero : f32) outs(%y : memref<?x128xf32>)
  %row = memref.subview %y[0, 0] [1, 128] [1, 1] : memref<?x128xf32> to memref<1x128xf32, strided<[128, 1]>>
  linalg.fill ins(%one : f32) outs(%row : memref<1x128xf32, strided<[128, 1]>>)
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xbf16>, memref<6x32x32xbf16>) outs(%y : memref<?x128xf32>) layout(#l) {pixelfly.gpu_config = #cfg}
  linalg.fill ins(%zero : f32) outs(%z : memref<?x128xf32>)
  linalg.transpose ins(%w : memref<128x128xf32>) outs(%wt : memref<128x128xf32>) permutation = [1, 0]
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xbf16>, memref<6x32x32xbf16>) outs(%z : memref<?x128xf32>) layout(#l) {pixelfly.gpu_config = #cfg}
  return %y : memref<?x128xf32>
}
