// RUN: pixelfly-opt %s --convert-pixelfly-to-gpu -split-input-file -verify-diagnostics | FileCheck %s

// f16, dynamic M, 64 x 64 x 32 tiles of 2 x 2 warps (32 x 32 each: 2 m16 x
// 4 n8 mma tiles, 8 mma per k16 step, 16 per k-tile). Block rows 0-2 share
// columns {0, 2}, row 3 is empty, rows 5-6 share {1, 3}: five tiles of at
// most two block rows, three of them partial. The launch is skipped when
// M == 0.
// CHECK-LABEL: func.func @runs(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: memref<?x128xf16>, %[[B:[a-z0-9_]+]]: memref<15x32x32xf16>, %[[Y:[a-z0-9_]+]]: memref<?x256xf32>)
// CHECK:         %[[C1:[a-z0-9_]+]] = arith.constant 1 : index
// CHECK:         %[[M:[a-z0-9_]+]] = memref.dim %[[X]], %{{.+}} : memref<?x128xf16>
// CHECK:         %[[ANY:[a-z0-9_]+]] = arith.cmpi ne, %[[M]], %{{.+}} : index
// CHECK:         scf.if %[[ANY]] {
// CHECK:           %[[C5:[a-z0-9_]+]] = arith.constant 5 : index
// CHECK:           %[[GY:[a-z0-9_]+]] = arith.ceildivui %[[M]], %c64{{.*}} : index
// CHECK:           %[[C128:[a-z0-9_]+]] = arith.constant 128 : index
// CHECK:           gpu.launch_func @pixelfly_kernels::@runs_block_sparse_matmul blocks in (%[[C5]], %[[GY]], %[[C1]]) threads in (%[[C128]], %[[C1]], %[[C1]]) args(%[[X]] : memref<?x128xf16>, %[[B]] : memref<15x32x32xf16>, %[[Y]] : memref<?x256xf32>)
// CHECK-NOT:     pixelfly.block_sparse_matmul
// Tables: (first block row, rows, first column, columns) per tile; the
// block columns; the first block of each row of each tile.
// CHECK:       gpu.module @pixelfly_kernels {
// CHECK:         memref.global "private" constant @runs_block_sparse_matmul_tiles : memref<5x4xi32> = dense<{{\[}}[0, 2, 0, 2], [2, 1, 2, 2], [4, 1, 4, 1], [5, 2, 5, 2], [7, 1, 7, 4]]>
// CHECK:         memref.global "private" constant @runs_block_sparse_matmul_cols : memref<11xi32> = dense<[0, 2, 0, 2, 1, 1, 3, 0, 1, 2, 3]>
// CHECK:         memref.global "private" constant @runs_block_sparse_matmul_blocks : memref<5x2xi32> = dense<{{\[}}[0, 2], [4, 4], [6, 6], [7, 9], [11, 11]]>
// CHECK:         gpu.func @runs_block_sparse_matmul(%{{.+}}: memref<?x128xf16>, %{{.+}}: memref<15x32x32xf16>, %{{.+}}: memref<?x256xf32>)
// CHECK-SAME:        workgroup(%[[SA:[a-z0-9_]+]] : memref<3x64x32xf16, #gpu.address_space<workgroup>> {llvm.align = 128 : i64}, %[[SB:[a-z0-9_]+]] : memref<3x64x32xf16, #gpu.address_space<workgroup>> {llvm.align = 128 : i64})
// CHECK-SAME:        kernel attributes {known_block_size = array<i32: 128, 1, 1>}
// CHECK:           memref.get_global @runs_block_sparse_matmul_tiles
// CHECK:           memref.get_global @runs_block_sparse_matmul_blocks
// Prologue: stages - 1 = 2 k-tiles, each guarded (a tile may have fewer),
// 2 + 2 copies of 16 bytes per thread, all zero-filled past M or the tile.
// CHECK:           scf.if %{{.+}} -> (!nvgpu.device.async.token) {
// CHECK-COUNT-2:     nvgpu.device_async_copy {{.+}}, %[[SA]][{{.+}}], 8, %{{.+}} {bypassL1}
// CHECK-COUNT-2:     nvgpu.device_async_copy {{.+}}, %[[SB]][{{.+}}], 8, %{{.+}} {bypassL1}
// CHECK:             nvgpu.device_async_create_group
// CHECK:           } else {
// CHECK-NEXT:        nvgpu.device_async_create_group{{ *$}}
// CHECK:           %[[LAST:[a-z0-9_]+]] = scf.if
// CHECK:           scf.for {{.+}} -> (vector<2x2xf32>, vector<2x2xf32>, vector<2x2xf32>, vector<2x2xf32>, vector<2x2xf32>, vector<2x2xf32>, vector<2x2xf32>, vector<2x2xf32>) {
// CHECK-NEXT:        nvgpu.device_async_wait %[[LAST]] {numGroups = 1 : i32}
// CHECK-NEXT:        gpu.barrier
// CHECK:             scf.if %{{.+}} -> (!nvgpu.device.async.token) {
// CHECK:             } else {
// CHECK-NEXT:          nvgpu.device_async_create_group{{ *$}}
// Per k16 step: 2 ldmatrix for A, 2 for B (two n8 tiles each), 8 mma.
// CHECK-COUNT-2:     nvgpu.ldmatrix %[[SA]][{{.+}}] {numTiles = 4 : i32, transpose = false}
// CHECK-COUNT-2:     nvgpu.ldmatrix %[[SB]][{{.+}}] {numTiles = 4 : i32, transpose = false}
// CHECK-COUNT-8:     nvgpu.mma.sync({{.+}}) {mmaShape = [16, 8, 16]} : (vector<4x2xf16>, vector<2x2xf16>, vector<2x2xf32>) -> vector<2x2xf32>
// CHECK-COUNT-2:     nvgpu.ldmatrix %[[SA]]
// CHECK-COUNT-2:     nvgpu.ldmatrix %[[SB]]
// CHECK-COUNT-8:     nvgpu.mma.sync
// CHECK-NOT:         nvgpu.mma.sync
// CHECK:             scf.yield
// Epilogue: 2 x 4 tiles x 2 row halves, each guarded by row < M and, as
// some tiles are partial, by the tile's valid columns.
// CHECK-COUNT-16:  scf.if
// CHECK-NOT:       scf.if
// CHECK:           gpu.return
#l = #pixelfly.block_layout<shape = 256x128, block = 32x32, row_ptr = [0, 2, 4, 6, 6, 7, 9, 11, 15], col_idx = [0, 2, 0, 2, 0, 2, 1, 1, 3, 1, 3, 0, 1, 2, 3]>
func.func @runs(%x: memref<?x128xf16>, %b: memref<15x32x32xf16>, %y: memref<?x256xf32>) {
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x128xf16>, memref<15x32x32xf16>) outs(%y : memref<?x256xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 3>}
  return
}

// -----

// bf16 on sm_90a: 4 stages of 128 x 128 x 32 tiles are 64 KB, so the stages
// are views of dynamic shared memory sized by the launch; nvvm.mma.sync
// (4 x 8 per warp and k16 step, 64 per k-tile); all tiles full, so the B
// copies and the stores are not predicated on block rows. Two identical
// products in one function launch the same kernel: one copy is kept.
// CHECK-LABEL: func.func @hopper(
// CHECK:         gpu.launch_func @pixelfly_kernels::@hopper_block_sparse_matmul blocks in ({{.+}}) threads in ({{.+}}) dynamic_shared_memory_size %c65536_i32 args(
// CHECK:         gpu.launch_func @pixelfly_kernels::@hopper_block_sparse_matmul blocks
// CHECK:       gpu.module @pixelfly_kernels {
// CHECK:         gpu.func @hopper_block_sparse_matmul(
// CHECK-NOT:       workgroup(
// CHECK:           %[[DYN:[a-z0-9_]+]] = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
// CHECK:           memref.view %[[DYN]][%c0][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<4x128x32xbf16, #gpu.address_space<workgroup>>
// CHECK:           memref.view %[[DYN]][%c32768][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<4x128x32xbf16, #gpu.address_space<workgroup>>
// CHECK:           nvgpu.device_async_copy {{.+}}, 8 {bypassL1} : memref<16x32x32xbf16>
// CHECK:           scf.for
// CHECK:             nvgpu.device_async_wait %{{.+}} {numGroups = 2 : i32}
// CHECK-COUNT-64:    nvvm.mma.sync {{.+}} multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>, shape = #nvvm.shape<m = 16, n = 8, k = 16>
// CHECK-NOT:         nvvm.mma.sync
// CHECK:             scf.yield
// CHECK-NOT:       arith.andi
// CHECK:           gpu.return
// CHECK-NOT:     gpu.func @hopper_block_sparse_matmul_1(
#l = #pixelfly.block_layout<shape = 256x128, block = 32x32, row_ptr = [0, 2, 4, 6, 8, 10, 12, 14, 16], col_idx = [0, 1, 0, 1, 0, 1, 0, 1, 2, 3, 2, 3, 2, 3, 2, 3]>
func.func @hopper(%x: memref<?x128xbf16>, %b: memref<16x32x32xbf16>, %y: memref<?x256xf32>) {
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x128xbf16>, memref<16x32x32xbf16>) outs(%y : memref<?x256xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 32, warps_m = 2, warps_n = 2, stages = 4>}
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x128xbf16>, memref<16x32x32xbf16>) outs(%y : memref<?x256xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 32, warps_m = 2, warps_n = 2, stages = 4>}
  return
}

// -----

// Static M launches unconditionally; an f16 init is widened, added to and
// narrowed in the epilogue. M = 0 and a layout without blocks need no work
// (Y = init): the op goes away without a kernel.
// CHECK-LABEL: func.func @static_m(
// CHECK-NOT:     scf.if
// CHECK-DAG:     %[[C3:[a-z0-9_]+]] = arith.constant 3 : index
// CHECK-DAG:     %[[C2:[a-z0-9_]+]] = arith.constant 2 : index
// CHECK:         gpu.launch_func @pixelfly_kernels::@static_m_block_sparse_matmul blocks in (%[[C3]], %[[C2]], %{{.+}}) threads in (%c32{{.*}}, %{{.+}}, %{{.+}})
// CHECK-NOT:     pixelfly.block_sparse_matmul
// CHECK-NOT:     gpu.launch_func
// CHECK:         return
// CHECK:       gpu.func @static_m_block_sparse_matmul
// CHECK:         scf.if
// CHECK:           vector.load {{.+}} : memref<50x96xf16>, vector<2xf16>
// CHECK:           arith.extf {{.+}} : vector<2xf16> to vector<2xf32>
// CHECK:           arith.addf
// CHECK:           arith.truncf {{.+}} : vector<2xf32> to vector<2xf16>
// CHECK:           vector.store {{.+}} : memref<50x96xf16>, vector<2xf16>
#l = #pixelfly.block_layout<shape = 96x192, block = 32x64, row_ptr = [0, 2, 3, 5], col_idx = [0, 2, 1, 0, 1]>
#empty = #pixelfly.block_layout<shape = 32x64, block = 32x64, row_ptr = [0, 0], col_idx = []>
func.func @static_m(%x: memref<50x192xf16>, %b: memref<5x32x64xf16>, %y: memref<50x96xf16>,
                    %x0: memref<0x192xf16>, %y0: memref<0x96xf16>,
                    %x2: memref<?x64xf16>, %b2: memref<0x32x64xf16>, %y2: memref<?x32xf32>) {
  pixelfly.block_sparse_matmul ins(%x, %b : memref<50x192xf16>, memref<5x32x64xf16>) outs(%y : memref<50x96xf16>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_86", tile_m = 32, tile_n = 32, tile_k = 16, warps_m = 1, warps_n = 1, stages = 2>}
  pixelfly.block_sparse_matmul ins(%x0, %b : memref<0x192xf16>, memref<5x32x64xf16>) outs(%y0 : memref<0x96xf16>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_86", tile_m = 32, tile_n = 32, tile_k = 16, warps_m = 1, warps_n = 1, stages = 2>}
  pixelfly.block_sparse_matmul ins(%x2, %b2 : memref<?x64xf16>, memref<0x32x64xf16>) outs(%y2 : memref<?x32xf32>) layout(#empty) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 32, tile_n = 32, tile_k = 32, warps_m = 1, warps_n = 1, stages = 2>}
  return
}

// -----

// pixelfly.linear, per-row gamma: T = (1 - g) (X V) goes to a buffer
// allocated for the call (M x rank, f16; async alloc and free waited for at
// once, the form gpu-to-llvm lowers) by a tensor-core kernel (the
// input-gradient form with V as one 128 x 16 block, a view it takes of
// its V argument: 64-token tiles of 4 warps, T written without being read, each row scaled by 1 - g(row) in
// f32 before rounding), then the block-sparse kernel takes T and U after X
// and the blocks. Every
// block row gets a tile (the empty one still has the low-rank part); the
// k-loop runs over the tile's block columns, then ceil(16 / 32) = 1 panel
// k-tile, and scales the accumulators by g(row) when entering it.
// CHECK-LABEL: func.func @linear(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: memref<?x128xf16>, %[[B:[a-z0-9_]+]]: memref<15x32x32xf16>, %[[U:[a-z0-9_]+]]: memref<256x16xf16>, %[[V:[a-z0-9_]+]]: memref<128x16xf16>, %[[G:[a-z0-9_]+]]: memref<?xf32>, %[[Y:[a-z0-9_]+]]: memref<?x256xf32>)
// CHECK:         %[[M:[a-z0-9_]+]] = memref.dim %[[X]]
// CHECK:         scf.if
// CHECK:           %[[S0:[a-z0-9_]+]] = gpu.wait async
// CHECK:           %[[T:[a-z0-9_]+]], %[[TOK:[a-zA-Z0-9_]+]] = gpu.alloc async {{\[}}%[[S0]]{{\]}} (%[[M]]) : memref<?x16xf16>
// CHECK:           gpu.wait {{\[}}%[[TOK]]{{\]}}
// CHECK:           %[[NT:[a-z0-9_]+]] = arith.ceildivui %[[M]], %c64
// CHECK:           gpu.launch_func @pixelfly_kernels::@linear_low_rank blocks in (%c1{{.*}}, %[[NT]], %{{.+}}) threads in (%c128{{.*}}, %{{.+}}, %{{.+}}) args(%[[X]] : memref<?x128xf16>, %[[V]] : memref<128x16xf16>, %[[T]] : memref<?x16xf16>, %[[G]] : memref<?xf32>)
// CHECK:           gpu.launch_func @pixelfly_kernels::@linear_linear blocks in (%c6{{.*}}, %{{.+}}, %{{.+}}) threads in (%c128{{.*}}, %{{.+}}, %{{.+}}) args(%[[X]] : memref<?x128xf16>, %[[B]] : memref<15x32x32xf16>, %[[T]] : memref<?x16xf16>, %[[U]] : memref<256x16xf16>, %[[Y]] : memref<?x256xf32>, %[[G]] : memref<?xf32>)
// CHECK:           %[[S1:[a-z0-9_]+]] = gpu.wait async
// CHECK:           %[[TOK1:[a-z0-9_]+]] = gpu.dealloc async {{\[}}%[[S1]]{{\]}} %[[T]] : memref<?x16xf16>
// CHECK:           gpu.wait {{\[}}%[[TOK1]]{{\]}}
// CHECK-NOT:     pixelfly.linear
// CHECK:       gpu.module @pixelfly_kernels {
// CHECK:         memref.global "private" constant @linear_linear_tiles : memref<6x4xi32> = dense<{{\[}}[0, 2, 0, 2], [2, 1, 2, 2], [3, 1, 4, 0], [4, 1, 4, 1], [5, 2, 5, 2], [7, 1, 7, 4]]>
// CHECK:         gpu.func @linear_linear(%{{.+}}: memref<?x128xf16>, %{{.+}}: memref<15x32x32xf16>, %[[KT:[a-z0-9_]+]]: memref<?x16xf16>, %[[KU:[a-z0-9_]+]]: memref<256x16xf16>, %{{.+}}: memref<?x256xf32>, %[[KG:[a-z0-9_]+]]: memref<?xf32>)
// CHECK:           %[[NK:[a-z0-9_]+]] = arith.addi %[[NBLK:[a-z0-9_]+]], %c1
// Each stage is either a block column or the panel (T and U, columns past
// the rank of 16 zero-filled).
// CHECK:           scf.if %{{.+}} -> (!nvgpu.device.async.token) {
// CHECK:             %[[LT:[a-z0-9_]+]] = arith.cmpi ult, %{{.+}}, %[[NBLK]]
// CHECK:             scf.if %[[LT]] -> (!nvgpu.device.async.token) {
// CHECK:             } else {
// CHECK:               arith.subi %{{.+}}, %[[NBLK]]
// CHECK-COUNT-2:       nvgpu.device_async_copy %[[KT]][{{.+}}], {{.+}}, 8, %{{.+}} {bypassL1}
// CHECK-COUNT-2:       nvgpu.device_async_copy %[[KU]][{{.+}}], {{.+}}, 8, %{{.+}} {bypassL1}
// CHECK:           scf.for %[[K:[a-z0-9_]+]] = %{{.+}} to %[[NK]]
// CHECK:             %[[ENTER:[a-z0-9_]+]] = arith.cmpi eq, %[[K]], %[[NBLK]]
// CHECK:             scf.if %[[ENTER]] -> (vector<2x2xf32>
// CHECK:               memref.load %[[KG]]
// CHECK:               memref.load %[[KG]]
// CHECK:               vector.from_elements
// CHECK-COUNT-4:       arith.mulf {{.+}} : vector<2x2xf32>
// CHECK:               scf.yield
// CHECK:             } else {
// CHECK-COUNT-8:     nvgpu.mma.sync
// CHECK:         gpu.func @linear_low_rank(%{{.+}}: memref<?x128xf16>, %[[LV:[a-z0-9_]+]]: memref<128x16xf16>, %[[LT2:[a-z0-9_]+]]: memref<?x16xf16>, %[[LG:[a-z0-9_]+]]: memref<?xf32>) workgroup({{.+}}) kernel attributes {known_block_size = array<i32: 128, 1, 1>}
// CHECK:           memref.expand_shape %[[LV]] {{\[\[}}0, 1], [2]] output_shape [1, 128, 16] : memref<128x16xf16> into memref<1x128x16xf16>
// CHECK-NOT:       vector.load %[[LT2]]
// CHECK-COUNT-2:     nvgpu.mma.sync
// CHECK-NOT:       vector.load %[[LT2]]
// CHECK:           %[[GR:[a-z0-9_]+]] = memref.load %[[LG]]
// CHECK:           %[[W:[a-z0-9_]+]] = arith.subf %cst{{.*}}, %[[GR]] : f32
// CHECK:           %[[WW:[a-z0-9_]+]] = vector.from_elements %[[W]], %[[W]] : vector<2xf32>
// CHECK:           arith.mulf %{{.+}}, %[[WW]] : vector<2xf32>
// CHECK:           arith.truncf {{.+}} : vector<2xf32> to vector<2xf16>
// CHECK:           vector.store {{.+}}, %[[LT2]]
#l = #pixelfly.block_layout<shape = 256x128, block = 32x32, row_ptr = [0, 2, 4, 6, 6, 7, 9, 11, 15], col_idx = [0, 2, 0, 2, 0, 2, 1, 1, 3, 1, 3, 0, 1, 2, 3]>
func.func @linear(%x: memref<?x128xf16>, %b: memref<15x32x32xf16>, %u: memref<256x16xf16>, %v: memref<128x16xf16>, %g: memref<?xf32>, %y: memref<?x256xf32>) {
  pixelfly.linear ins(%x, %b, %u, %v : memref<?x128xf16>, memref<15x32x32xf16>, memref<256x16xf16>, memref<128x16xf16>) gamma(%g : memref<?xf32>) outs(%y : memref<?x256xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 3>, pixelfly.gpu_panel_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 16, tile_k = 64, warps_m = 4, warps_n = 1, stages = 3>}
  return
}

// -----

// Scalar and constant gamma: the scalar is an f32 argument of both kernels,
// the constant a constant in both (1 - 0.25 in the low-rank kernel, 0.25
// when entering the panel). Static M: no guard, T is memref<50x32xf16>.
// CHECK-LABEL: func.func @gammas(
// CHECK-SAME:      %[[S:[a-z0-9_]+]]: f32
// CHECK:         gpu.launch_func @pixelfly_kernels::@gammas_low_rank {{.+}} args({{.+}}, %[[S]] : f32)
// CHECK:         gpu.launch_func @pixelfly_kernels::@gammas_linear {{.+}} args({{.+}}, %[[S]] : f32)
// CHECK:         %[[T:[a-z0-9_]+]], %{{.+}} = gpu.alloc async [%{{.+}}] () : memref<50x32xf16>
// CHECK:         gpu.launch_func @pixelfly_kernels::@gammas_low_rank_1 {{.+}} args({{.+}}, %[[T]] : memref<50x32xf16>)
// CHECK:         gpu.launch_func @pixelfly_kernels::@gammas_linear_1 {{.+}}, %{{.+}} : memref<50x96xf16>)
// CHECK:         gpu.dealloc async [%{{.+}}] %[[T]]
// CHECK:         gpu.func @gammas_linear_1(
// CHECK:           arith.constant 2.500000e-01 : f32
// CHECK:         gpu.func @gammas_low_rank_1(
// CHECK:           arith.constant 2.500000e-01 : f32
// CHECK:           arith.subf
#l = #pixelfly.block_layout<shape = 96x192, block = 32x64, row_ptr = [0, 1, 1, 3], col_idx = [2, 0, 1]>
#cfg = #pixelfly.gpu_config<chip = "sm_80", tile_m = 32, tile_n = 32, tile_k = 16, warps_m = 1, warps_n = 1, stages = 2>
func.func @gammas(%x: memref<?x192xbf16>, %b: memref<3x32x64xbf16>, %u: memref<96x32xbf16>, %v: memref<192x32xbf16>, %g: f32, %y: memref<?x96xf32>,
                  %xs: memref<50x192xf16>, %bs: memref<3x32x64xf16>, %us: memref<96x32xf16>, %vs: memref<192x32xf16>, %ys: memref<50x96xf16>) {
  pixelfly.linear ins(%x, %b, %u, %v : memref<?x192xbf16>, memref<3x32x64xbf16>, memref<96x32xbf16>, memref<192x32xbf16>) gamma(%g : f32) outs(%y : memref<?x96xf32>) layout(#l) {pixelfly.gpu_config = #cfg, pixelfly.gpu_panel_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 32, tile_k = 64, warps_m = 4, warps_n = 1, stages = 3>}
  pixelfly.linear ins(%xs, %bs, %us, %vs : memref<50x192xf16>, memref<3x32x64xf16>, memref<96x32xf16>, memref<192x32xf16>) gamma(0.25) outs(%ys : memref<50x96xf16>) layout(#l) {pixelfly.gpu_config = #cfg, pixelfly.gpu_panel_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 32, tile_k = 64, warps_m = 4, warps_n = 1, stages = 3>}
  return
}

// -----

// pixelfly.low_rank_matmul: the same two kernels with no block part. T =
// X V (no gamma: stored unscaled) by the one-thread-per-element kernel
// (rank 48 is 6 chunks of 16 bytes, which the tensor-core T kernel does
// not swizzle), then tiles of tile_n = 64 output rows
// (256 / 64 = 4, no block tables) whose k-loop is the panel alone: rank 48
// in ceil(48 / 32) = 2 k-tiles, the second half zero-filled, no branch on
// the stage's kind and no accumulator scaling.
// CHECK-LABEL: func.func @low_rank(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: memref<?x128xf16>, %[[U:[a-z0-9_]+]]: memref<256x48xf16>, %[[V:[a-z0-9_]+]]: memref<128x48xf16>, %[[Y:[a-z0-9_]+]]: memref<?x256xf32>)
// CHECK:         %[[T:[a-z0-9_]+]], %{{.+}} = gpu.alloc async [%{{.+}}] (%{{.+}}) : memref<?x48xf16>
// CHECK:         gpu.launch_func @pixelfly_kernels::@low_rank_low_rank blocks in ({{.+}}) threads in ({{.+}}) args(%[[X]] : memref<?x128xf16>, %[[V]] : memref<128x48xf16>, %[[T]] : memref<?x48xf16>)
// CHECK:         gpu.launch_func @pixelfly_kernels::@low_rank_low_rank_matmul blocks in (%c4{{.*}}, %{{.+}}, %{{.+}}) threads in ({{.+}}) args(%[[X]] : memref<?x128xf16>, %[[T]] : memref<?x48xf16>, %[[U]] : memref<256x48xf16>, %[[Y]] : memref<?x256xf32>)
// CHECK:         gpu.dealloc async [%{{.+}}] %[[T]]
// CHECK-NOT:     pixelfly.low_rank_matmul
// CHECK:       gpu.module @pixelfly_kernels {
// CHECK-NEXT:    memref.global "private" constant @low_rank_low_rank_matmul_tiles : memref<4x4xi32> = dense<{{\[}}[0, 1, 0, 0], [1, 1, 0, 0], [2, 1, 0, 0], [3, 1, 0, 0]]>
// CHECK-NEXT:    gpu.func @low_rank_low_rank_matmul(%{{.+}}: memref<?x128xf16>, %[[KT:[a-z0-9_]+]]: memref<?x48xf16>, %[[KU:[a-z0-9_]+]]: memref<256x48xf16>, %{{.+}}: memref<?x256xf32>)
// CHECK:           scf.for %{{.+}} = %{{.+}} to %c2{{.*}} step
// CHECK-NOT:         arith.mulf
// CHECK-COUNT-2:     nvgpu.device_async_copy %[[KT]]
// CHECK-COUNT-2:     nvgpu.device_async_copy %[[KU]]
// CHECK:             nvgpu.device_async_create_group
// CHECK-NOT:         arith.mulf
// CHECK:             nvgpu.mma.sync
// CHECK:         gpu.func @low_rank_low_rank(
// CHECK-NOT:       arith.subf
// CHECK:           gpu.return
func.func @low_rank(%x: memref<?x128xf16>, %u: memref<256x48xf16>, %v: memref<128x48xf16>, %y: memref<?x256xf32>) {
  pixelfly.low_rank_matmul ins(%x, %u, %v : memref<?x128xf16>, memref<256x48xf16>, memref<128x48xf16>) outs(%y : memref<?x256xf32>) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 3>}
  return
}

// -----

// pixelfly.block_sparse_input_grad, dX = dY W: tiles are runs of block
// columns (here single columns: {0, 2} and {1, 3} do not share their block
// rows), each reducing over its block rows: per tile (first block column,
// columns, first row, rows); the rows; and per (tile, row) the block of
// (row, first column). A is dY; B is staged as stored, 32 reduction rows x
// 64 output columns, and read with ldmatrix .trans.
// CHECK-LABEL: func.func @input_grad(
// CHECK:         gpu.launch_func @pixelfly_kernels::@input_grad_block_sparse_input_grad blocks in (%c4{{.*}}, %{{.+}}, %{{.+}})
// CHECK-NOT:     pixelfly.block_sparse_input_grad
// CHECK:         memref.global "private" constant @input_grad_block_sparse_input_grad_tiles : memref<4x4xi32> = dense<{{\[}}[0, 1, 0, 4], [1, 1, 4, 4], [2, 1, 8, 4], [3, 1, 12, 3]]>
// CHECK:         memref.global "private" constant @input_grad_block_sparse_input_grad_cols : memref<15xi32> = dense<[0, 1, 2, 7, 4, 5, 6, 7, 0, 1, 2, 7, 5, 6, 7]>
// CHECK:         memref.global "private" constant @input_grad_block_sparse_input_grad_blocks : memref<15xi32> = dense<[0, 2, 4, 11, 6, 7, 9, 12, 1, 3, 5, 13, 8, 10, 14]>
// CHECK:         gpu.func @input_grad_block_sparse_input_grad(%[[DY:[a-z0-9_]+]]: memref<?x256xf16>, %[[B:[a-z0-9_]+]]: memref<15x32x32xf16>, %{{.+}}: memref<?x128xf32>)
// CHECK-SAME:        workgroup(%[[SA:[a-z0-9_]+]] : memref<3x64x32xf16, #gpu.address_space<workgroup>> {llvm.align = 128 : i64}, %[[SB:[a-z0-9_]+]] : memref<3x32x64xf16, #gpu.address_space<workgroup>> {llvm.align = 128 : i64})
// CHECK:           memref.get_global @input_grad_block_sparse_input_grad_blocks : memref<15xi32>
// CHECK-COUNT-2:   nvgpu.device_async_copy %[[DY]]{{.+}}, %[[SA]]
// CHECK-COUNT-2:   nvgpu.device_async_copy %[[B]]{{.+}}, %[[SB]]
// CHECK:           scf.for
// CHECK-COUNT-2:     nvgpu.ldmatrix %[[SA]][{{.+}}] {numTiles = 4 : i32, transpose = false}
// CHECK-COUNT-2:     nvgpu.ldmatrix %[[SB]][{{.+}}] {numTiles = 4 : i32, transpose = true}
// CHECK-COUNT-8:     nvgpu.mma.sync
#l = #pixelfly.block_layout<shape = 256x128, block = 32x32, row_ptr = [0, 2, 4, 6, 6, 7, 9, 11, 15], col_idx = [0, 2, 0, 2, 0, 2, 1, 1, 3, 1, 3, 0, 1, 2, 3]>
func.func @input_grad(%dy: memref<?x256xf16>, %b: memref<15x32x32xf16>, %dx: memref<?x128xf32>) {
  pixelfly.block_sparse_input_grad ins(%dy, %b : memref<?x256xf16>, memref<15x32x32xf16>) outs(%dx : memref<?x128xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 3>}
  return
}

// -----

// pixelfly.block_sparse_weight_grad: one thread block per stored block
// (grid 15 x 1: each reduces over all of M), the tile tables of a tile per
// block (block row, one row, where its column is, one column; the column;
// the block's index, in CSR order); k-tiles of 16 tokens, ceil(M / 16) of them; both operands staged
// as stored (16 token rows x 32 columns) and read with ldmatrix .trans;
// the epilogue adds into init[block].
// CHECK-LABEL: func.func @weight_grad(
// CHECK:         %[[M:[a-z0-9_]+]] = memref.dim
// CHECK-NOT:     arith.ceildivui
// CHECK:         gpu.launch_func @pixelfly_kernels::@weight_grad_block_sparse_weight_grad blocks in (%c15{{.*}}, %[[ONE:[a-z0-9_]+]], %[[ONE]]) threads in (%c64{{.*}}, %[[ONE]], %[[ONE]])
// CHECK-NOT:     pixelfly.block_sparse_weight_grad
// CHECK:         memref.global "private" constant @weight_grad_block_sparse_weight_grad_tiles : memref<15x4xi32> = dense<{{\[}}[0, 1, 0, 1], [0, 1, 1, 1], [1, 1, 2, 1], [1, 1, 3, 1], [2, 1, 4, 1], [2, 1, 5, 1], [4, 1, 6, 1], [5, 1, 7, 1], [5, 1, 8, 1], [6, 1, 9, 1], [6, 1, 10, 1], [7, 1, 11, 1], [7, 1, 12, 1], [7, 1, 13, 1], [7, 1, 14, 1]]>
// CHECK:         memref.global "private" constant @weight_grad_block_sparse_weight_grad_cols : memref<15xi32> = dense<[0, 2, 0, 2, 0, 2, 1, 1, 3, 1, 3, 0, 1, 2, 3]>
// CHECK:         memref.global "private" constant @weight_grad_block_sparse_weight_grad_blocks : memref<15x1xi32> = dense<{{\[}}[0], [1], [2], [3], [4], [5], [6], [7], [8], [9], [10], [11], [12], [13], [14]]>
// CHECK:         gpu.func @weight_grad_block_sparse_weight_grad(%[[DY:[a-z0-9_]+]]: memref<?x256xf16>, %[[X:[a-z0-9_]+]]: memref<?x128xf16>, %[[DB:[a-z0-9_]+]]: memref<15x32x32xf32>)
// CHECK-SAME:        workgroup(%[[SA:[a-z0-9_]+]] : memref<3x16x32xf16, #gpu.address_space<workgroup>> {llvm.align = 128 : i64}, %[[SB:[a-z0-9_]+]] : memref<3x16x32xf16, #gpu.address_space<workgroup>> {llvm.align = 128 : i64})
// CHECK:           %[[NK:[a-z0-9_]+]] = arith.ceildivui %{{.+}}, %c16
// CHECK:           nvgpu.device_async_copy %[[DY]]{{.+}}, %[[SA]]
// CHECK:           nvgpu.device_async_copy %[[X]]{{.+}}, %[[SB]]
// CHECK:           scf.for %{{.+}} = %{{.+}} to %[[NK]]
// CHECK:             nvgpu.ldmatrix %[[SA]][{{.+}}] {numTiles = 4 : i32, transpose = true}
// CHECK:             nvgpu.ldmatrix %[[SB]][{{.+}}] {numTiles = 4 : i32, transpose = true}
// CHECK-COUNT-4:     nvgpu.mma.sync
// CHECK:           vector.load %[[DB]][%{{.+}}, %{{.+}}, %{{.+}}] {{.*}}: memref<15x32x32xf32>, vector<2xf32>
#l = #pixelfly.block_layout<shape = 256x128, block = 32x32, row_ptr = [0, 2, 4, 6, 6, 7, 9, 11, 15], col_idx = [0, 2, 0, 2, 0, 2, 1, 1, 3, 1, 3, 0, 1, 2, 3]>
func.func @weight_grad(%dy: memref<?x256xf16>, %x: memref<?x128xf16>, %db: memref<15x32x32xf32>) {
  pixelfly.block_sparse_weight_grad ins(%dy, %x : memref<?x256xf16>, memref<?x128xf16>) outs(%db : memref<15x32x32xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 32, tile_n = 32, tile_k = 16, warps_m = 2, warps_n = 1, stages = 3>}
  return
}

// -----

// What the lowering cannot handle stays, with a remark; the rest of the
// function is untouched and no gpu.module is created.
// CHECK-LABEL: func.func @unsupported(
// CHECK-NOT:   gpu.module
#l = #pixelfly.block_layout<shape = 64x64, block = 32x32, row_ptr = [0, 1, 2], col_idx = [0, 1]>
#l16 = #pixelfly.block_layout<shape = 64x32, block = 16x16, row_ptr = [0, 1, 2, 2, 2], col_idx = [0, 1]>
#l48 = #pixelfly.block_layout<shape = 64x96, block = 32x48, row_ptr = [0, 1, 2], col_idx = [0, 1]>
#cfg = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 3>
func.func @unsupported(%x: memref<?x64xf16>, %b: memref<2x32x32xf16>, %y: memref<?x64xf32>,
                       %tx: tensor<?x64xf16>, %tb: tensor<2x32x32xf16>, %ty: tensor<?x64xf32>,
                       %fx: memref<?x32xf32>, %fb: memref<2x16x16xf32>,
                       %sx: memref<?x64xf16, strided<[?, 1], offset: ?>>,
                       %dy: memref<?x64xf16>, %dx: memref<?x64xf32>, %db: memref<2x32x32xf32>,
                       %u: memref<64x16xf16>, %v: memref<64x16xf16>,
                       %vals: memref<64x32xf16>, %meta: memref<64x4xi16>,
                       %u12: memref<64x12xf16>, %v12: memref<64x12xf16>,
                       %ud: memref<?x16xf16>,
                       %tu: tensor<64x16xf16>, %tv: tensor<64x16xf16>,
                       %u48: memref<48x16xf16>, %y48: memref<?x48xf32>,
                       %tvals: tensor<64x32xf16>, %tmeta: tensor<64x4xi16>,
                       %b48: memref<2x32x48xf16>, %dx96: memref<?x96xf32>) -> tensor<?x64xf32> {
  %c = arith.constant 1 : index
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: no pixelfly.gpu_config (run pixelfly-gpu-config first)}}
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xf16>, memref<2x32x32xf16>) outs(%y : memref<?x64xf32>) layout(#l)
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: tensor form (bufferize first)}}
  %t = pixelfly.block_sparse_matmul ins(%tx, %tb : tensor<?x64xf16>, tensor<2x32x32xf16>) outs(%ty : tensor<?x64xf32>) layout(#l) {pixelfly.gpu_config = #cfg} -> tensor<?x64xf32>
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: tile_k 32 (a power-of-two multiple of 8 dividing the block's 16 columns is needed)}}
  pixelfly.block_sparse_matmul ins(%fx, %fb : memref<?x32xf32>, memref<2x16x16xf32>) outs(%y : memref<?x64xf32>) layout(#l16) {pixelfly.gpu_config = #cfg}
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: operands must be identity-layout memrefs in the default or global memory space}}
  pixelfly.block_sparse_matmul ins(%sx, %b : memref<?x64xf16, strided<[?, 1], offset: ?>>, memref<2x32x32xf16>) outs(%y : memref<?x64xf32>) layout(#l) {pixelfly.gpu_config = #cfg}
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: chip sm_75 (mma.sync m16n8k16 needs one of sm_80, sm_86, sm_89, sm_90 or sm_90a)}}
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xf16>, memref<2x32x32xf16>) outs(%y : memref<?x64xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_75", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 3>}
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: tile_k 8 (a power-of-two multiple of 16 dividing the block's 32 columns is needed)}}
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xf16>, memref<2x32x32xf16>) outs(%y : memref<?x64xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 8, warps_m = 2, warps_n = 2, stages = 3>}
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: tile_n 48 is not a multiple of the 32-row blocks}}
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xf16>, memref<2x32x32xf16>) outs(%y : memref<?x64xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 48, tile_k = 32, warps_m = 2, warps_n = 1, stages = 3>}
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: warp tile width 8 (ldmatrix x4 loads B in pairs of n8 tiles: a multiple of 16)}}
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xf16>, memref<2x32x32xf16>) outs(%y : memref<?x64xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 16, tile_n = 32, tile_k = 32, warps_m = 1, warps_n = 4, stages = 3>}
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: 196608 bytes of shared memory (sm_80 has 166912)}}
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xf16>, memref<2x32x32xf16>) outs(%y : memref<?x64xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 256, tile_n = 128, tile_k = 32, warps_m = 4, warps_n = 2, stages = 8>}
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: pixelfly.gpu_config is not a kernel configuration (#pixelfly.gpu_config or #pixelfly.hopper_config)}}
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xf16>, memref<2x32x32xf16>) outs(%y : memref<?x64xf32>) layout(#l) {pixelfly.gpu_config = "fast"}
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: tile_n 48 is not a multiple of the 32-row blocks}}
  pixelfly.block_sparse_input_grad ins(%dy, %b : memref<?x64xf16>, memref<2x32x32xf16>) outs(%dx : memref<?x64xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 48, tile_k = 32, warps_m = 2, warps_n = 1, stages = 3>}
  // B of the input gradient is staged as stored and swizzled over whole
  // 16-byte chunks: 48 columns are 6.
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: tile_n 48 (a power-of-two number of 16-byte chunks is needed: 8 elements each)}}
  pixelfly.block_sparse_input_grad ins(%dy, %b48 : memref<?x64xf16>, memref<2x32x48xf16>) outs(%dx96 : memref<?x96xf32>) layout(#l48) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 48, tile_k = 32, warps_m = 2, warps_n = 1, stages = 3>}
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: tensor form (bufferize first)}}
  %tg = pixelfly.block_sparse_input_grad ins(%tx, %tb : tensor<?x64xf16>, tensor<2x32x32xf16>) outs(%ty : tensor<?x64xf32>) layout(#l) {pixelfly.gpu_config = #cfg} -> tensor<?x64xf32>
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: tile_m x tile_n 64 x 64 (the weight gradient's tile is one 32 x 32 block)}}
  pixelfly.block_sparse_weight_grad ins(%dy, %x : memref<?x64xf16>, memref<?x64xf16>) outs(%db : memref<2x32x32xf32>) layout(#l) {pixelfly.gpu_config = #cfg}
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: N = 48 is not a multiple of tile_n 64}}
  pixelfly.low_rank_matmul ins(%x, %u48, %v : memref<?x64xf16>, memref<48x16xf16>, memref<64x16xf16>) outs(%y48 : memref<?x48xf32>) {pixelfly.gpu_config = #cfg, pixelfly.gpu_panel_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 16, tile_k = 64, warps_m = 4, warps_n = 1, stages = 3>}
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: rank 12 (a positive multiple of 8 is needed: whole 16-byte chunks)}}
  pixelfly.low_rank_matmul ins(%x, %u12, %v12 : memref<?x64xf16>, memref<64x12xf16>, memref<64x12xf16>) outs(%y : memref<?x64xf32>) {pixelfly.gpu_config = #cfg}
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: tensor form (bufferize first)}}
  %tlr = pixelfly.low_rank_matmul ins(%tx, %tu, %tv : tensor<?x64xf16>, tensor<64x16xf16>, tensor<64x16xf16>) outs(%ty : tensor<?x64xf32>) {pixelfly.gpu_config = #cfg} -> tensor<?x64xf32>
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: rank 12 (a positive multiple of 8 is needed: whole 16-byte chunks)}}
  pixelfly.linear ins(%x, %b, %u12, %v12 : memref<?x64xf16>, memref<2x32x32xf16>, memref<64x12xf16>, memref<64x12xf16>) gamma(0.5) outs(%y : memref<?x64xf32>) layout(#l) {pixelfly.gpu_config = #cfg}
  // The panel's configuration is checked like the main one's.
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: pixelfly.gpu_panel_config: tile_n 8 is not a multiple of the 16-row blocks}}
  pixelfly.linear ins(%x, %b, %u, %v : memref<?x64xf16>, memref<2x32x32xf16>, memref<64x16xf16>, memref<64x16xf16>) gamma(0.5) outs(%y : memref<?x64xf32>) layout(#l) {pixelfly.gpu_config = #cfg, pixelfly.gpu_panel_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 8, tile_k = 64, warps_m = 4, warps_n = 1, stages = 3>}
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: pixelfly.gpu_panel_config is not a GPU configuration (#pixelfly.gpu_config or #pixelfly.hopper_config) of a product with a low-rank panel}}
  pixelfly.linear ins(%x, %b, %u, %v : memref<?x64xf16>, memref<2x32x32xf16>, memref<64x16xf16>, memref<64x16xf16>) gamma(0.5) outs(%y : memref<?x64xf32>) layout(#l) {pixelfly.gpu_config = #cfg, pixelfly.gpu_panel_config = "fast"}
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: pixelfly.gpu_panel_config is not a GPU configuration (#pixelfly.gpu_config or #pixelfly.hopper_config) of a product with a low-rank panel}}
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xf16>, memref<2x32x32xf16>) outs(%y : memref<?x64xf32>) layout(#l) {pixelfly.gpu_config = #cfg, pixelfly.gpu_panel_config = #cfg}
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: u and v must be static identity-layout device memrefs}}
  pixelfly.linear ins(%x, %b, %ud, %v : memref<?x64xf16>, memref<2x32x32xf16>, memref<?x16xf16>, memref<64x16xf16>) gamma(0.5) outs(%y : memref<?x64xf32>) layout(#l) {pixelfly.gpu_config = #cfg, pixelfly.gpu_panel_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 16, tile_k = 64, warps_m = 4, warps_n = 1, stages = 3>}
  // The caller's X V must be T's type: rows as X's.
  %xv8 = memref.alloc() : memref<8x16xf16>
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: xv must be an identity-layout device memref of type memref<?x16xf16>}}
  pixelfly.linear ins(%x, %b, %u, %v : memref<?x64xf16>, memref<2x32x32xf16>, memref<64x16xf16>, memref<64x16xf16>) xv(%xv8 : memref<8x16xf16>) gamma(0.5) outs(%y : memref<?x64xf32>) layout(#l) {pixelfly.gpu_config = #cfg}
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: tensor form (bufferize first)}}
  %tl = pixelfly.linear ins(%tx, %tb, %tu, %tv : tensor<?x64xf16>, tensor<2x32x32xf16>, tensor<64x16xf16>, tensor<64x16xf16>) gamma(0.5) outs(%ty : tensor<?x64xf32>) layout(#l) {pixelfly.gpu_config = #cfg} -> tensor<?x64xf32>
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: warp tile of 8 features x 64 tokens (mma.sp takes 16 weight rows and 8 tokens)}}
  pixelfly.two_four_matmul ins(%x, %vals, %meta : memref<?x64xf16>, memref<64x32xf16>, memref<64x4xi16>) outs(%y : memref<?x64xf32>) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 32, tile_k = 32, warps_m = 1, warps_n = 4, stages = 3>}
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: tile_k 16 (a power of two, a multiple of 32, dividing K = 64 is needed)}}
  pixelfly.two_four_matmul ins(%x, %vals, %meta : memref<?x64xf16>, memref<64x32xf16>, memref<64x4xi16>) outs(%y : memref<?x64xf32>) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 16, warps_m = 2, warps_n = 2, stages = 3>}
  // Only a weight gradient splits its tokens: not a panel, not 2:4.
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: pixelfly.gpu_panel_config: splits = 2 (only a weight gradient splits its tokens)}}
  pixelfly.linear ins(%x, %b, %u, %v : memref<?x64xf16>, memref<2x32x32xf16>, memref<64x16xf16>, memref<64x16xf16>) gamma(0.5) outs(%y : memref<?x64xf32>) layout(#l) {pixelfly.gpu_config = #cfg, pixelfly.gpu_panel_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 16, tile_k = 64, warps_m = 4, warps_n = 1, stages = 3, splits = 2>}
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: splits = 4 (only a weight gradient splits its tokens)}}
  pixelfly.two_four_matmul ins(%x, %vals, %meta : memref<?x64xf16>, memref<64x32xf16>, memref<64x4xi16>) outs(%y : memref<?x64xf32>) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 3, splits = 4>}
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: tensor form (bufferize first)}}
  %t24 = pixelfly.two_four_matmul ins(%tx, %tvals, %tmeta : tensor<?x64xf16>, tensor<64x32xf16>, tensor<64x4xi16>) outs(%ty : tensor<?x64xf32>) {pixelfly.gpu_config = #cfg} -> tensor<?x64xf32>
  return %t : tensor<?x64xf32>
}

// -----

// f32 operands run as TF32: 16-byte copies of 4 elements, ldmatrix x4 of
// 32-bit elements (vector<4x1xf32>: one element per register), every
// fragment element rounded to nearest by cvt.rna.tf32.f32, and mma.sync
// m16n8k8: four k8 steps per 32-wide k-tile, each 1 x 4 mma for a warp's
// 16 x 32 tile. The fragments of tiles staged as stored (input gradient)
// are read element by element.
// CHECK-LABEL: func.func @tf32(
// CHECK:         gpu.func @tf32_block_sparse_matmul(
// CHECK-SAME:        workgroup(%[[SA:[a-z0-9_]+]] : memref<2x32x32xf32, #gpu.address_space<workgroup>> {llvm.align = 128 : i64}, %[[SB:[a-z0-9_]+]] : memref<2x32x32xf32, #gpu.address_space<workgroup>> {llvm.align = 128 : i64})
// CHECK:           nvgpu.device_async_copy {{.*}} {bypassL1} : memref<?x64xf32> to memref<2x32x32xf32, #gpu.address_space<workgroup>>
// CHECK:           scf.for
// CHECK:             nvgpu.ldmatrix %[[SA]][{{.+}}] {numTiles = 4 : i32, transpose = false} : memref<2x32x32xf32, #gpu.address_space<workgroup>> -> vector<4x1xf32>
// CHECK:             nvgpu.ldmatrix %[[SB]][{{.+}}] {numTiles = 4 : i32, transpose = false} : memref<2x32x32xf32, #gpu.address_space<workgroup>> -> vector<4x1xf32>
// CHECK:             nvvm.convert.float.to.tf32 %{{.+}} {rnd = #nvvm.fp_rnd_mode<rna>}
// CHECK-COUNT-16:    nvgpu.mma.sync({{.+}}) {mmaShape = [16, 8, 8], tf32Enabled} : (vector<4x1xf32>, vector<2x1xf32>, vector<2x2xf32>) -> vector<2x2xf32>
// CHECK-NOT:         nvgpu.mma.sync
// CHECK:         gpu.func @tf32_block_sparse_input_grad(
// CHECK-NOT:         nvgpu.ldmatrix %{{.+}} {numTiles = 4 : i32, transpose = true}
// CHECK:             memref.load %{{.+}} : memref<2x32x32xf32, #gpu.address_space<workgroup>>
// CHECK:             nvgpu.mma.sync({{.+}}) {mmaShape = [16, 8, 8], tf32Enabled}
#l = #pixelfly.block_layout<shape = 64x64, block = 32x32, row_ptr = [0, 1, 2], col_idx = [0, 1]>
#cfg = #pixelfly.gpu_config<chip = "sm_80", tile_m = 32, tile_n = 32, tile_k = 32, warps_m = 2, warps_n = 1, stages = 2>
func.func @tf32(%x: memref<?x64xf32>, %b: memref<2x32x32xf32>, %y: memref<?x64xf32>, %dy: memref<?x64xf32>, %dx: memref<?x64xf32>) {
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x64xf32>, memref<2x32x32xf32>) outs(%y : memref<?x64xf32>) layout(#l) {pixelfly.gpu_config = #cfg}
  pixelfly.block_sparse_input_grad ins(%dy, %b : memref<?x64xf32>, memref<2x32x32xf32>) outs(%dx : memref<?x64xf32>) layout(#l) {pixelfly.gpu_config = #cfg}
  return
}

// -----

// pixelfly.two_four_matmul: Y^T = W X^T on mma.sp m16n8k32 (the sparse
// tensor cores take the sparse operand on the left). Grid: N / tile_n
// feature tiles x ceil(M / tile_m) token tiles. Per 32 columns, each warp
// loads its A fragments (compressed values, ldmatrix x4), its B fragments
// (8 tokens x 32 columns, ldmatrix x4) and one metadata word per m16 tile;
// with run-time metadata the word is built from two rows of the row-major
// metadata (rows g and g + 8). The epilogue writes Y transposed.
// CHECK-LABEL: func.func @two_four(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: memref<?x128xf16>, %[[V:[a-z0-9_]+]]: memref<64x64xf16>, %[[MD:[a-z0-9_]+]]: memref<64x8xi16>, %[[Y:[a-z0-9_]+]]: memref<?x64xf32>)
// CHECK:         %[[M:.+]] = memref.dim %[[X]]
// CHECK:         scf.if
// CHECK:           %[[TT:.+]] = arith.ceildivui %[[M]], %c32
// CHECK:           gpu.launch_func @pixelfly_kernels::@two_four_two_four_matmul blocks in (%c2{{.*}}, %[[TT]], %c1{{.*}}) threads in (%c64{{.*}}, %c1{{.*}}, %c1{{.*}}) args(%[[X]] : memref<?x128xf16>, %[[V]] : memref<64x64xf16>, %[[MD]] : memref<64x8xi16>, %[[Y]] : memref<?x64xf32>)
// CHECK:         gpu.func @two_four_two_four_matmul(%{{.+}}: memref<?x128xf16>, %{{.+}}: memref<64x64xf16>, %[[KM:[a-z0-9_]+]]: memref<64x8xi16>, %[[KY:[a-z0-9_]+]]: memref<?x64xf32>)
// CHECK-SAME:        workgroup(%[[SA:[a-z0-9_]+]] : memref<3x32x32xf16, #gpu.address_space<workgroup>> {llvm.align = 128 : i64}, %[[SB:[a-z0-9_]+]] : memref<3x32x64xf16, #gpu.address_space<workgroup>> {llvm.align = 128 : i64})
// CHECK:           scf.for
// CHECK:             memref.load %[[KM]]
// CHECK:             arith.shli
// CHECK:             arith.ori
// CHECK:             nvgpu.ldmatrix %[[SA]][{{.+}}] {numTiles = 4 : i32, transpose = false}
// CHECK:             nvgpu.ldmatrix %[[SB]][{{.+}}] {numTiles = 4 : i32, transpose = false}
// CHECK-COUNT-4:     nvvm.mma.sp.sync {{.*}}shape = #nvvm.shape<m = 16, n = 8, k = 32>
// CHECK:           memref.store %{{.+}}, %[[KY]][%{{.+}}, %{{.+}}] : memref<?x64xf32>
func.func @two_four(%x: memref<?x128xf16>, %v: memref<64x64xf16>, %m: memref<64x8xi16>, %y: memref<?x64xf32>) {
  pixelfly.two_four_matmul ins(%x, %v, %m : memref<?x128xf16>, memref<64x64xf16>, memref<64x8xi16>) outs(%y : memref<?x64xf32>) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 32, tile_n = 32, tile_k = 64, warps_m = 2, warps_n = 1, stages = 3>}
  return
}

// -----

// Compile-time metadata: a table in mma.sp order (16 words per 16 x 32
// tile of W: lane 4g + h reads word 2g + h) is built next to the kernel,
// which reads one word per m16 tile from it and does not take the
// metadata. Here N x K = 16 x 32: one tile, words = row g | row g + 8 << 16
// (0x8888 | 0x4444 << 16 = 1145342088, rows 0-7 keep columns 0 and 2, rows
// 8-15 columns 0 and 1; the second half-tile 0xCCCC | 0xEEEE << 16).
// CHECK-LABEL: func.func @const_meta(
// CHECK:         gpu.launch_func @pixelfly_kernels::@const_meta_two_four_matmul {{.*}} args(%{{.+}} : memref<?x32xf16>, %{{.+}} : memref<16x16xf16>, %{{.+}} : memref<?x16xf32>)
// CHECK:         memref.global "private" constant @const_meta_two_four_matmul_metadata : memref<1x1x16xi32> = dense<{{\[\[\[}}1145342088, -286339892, 1145342088, -286339892,
// CHECK:         gpu.func @const_meta_two_four_matmul(%{{.+}}: memref<?x32xf16>, %{{.+}}: memref<16x16xf16>, %{{.+}}: memref<?x16xf32>)
// CHECK:           memref.get_global @const_meta_two_four_matmul_metadata : memref<1x1x16xi32>
// CHECK:           nvvm.mma.sp.sync
memref.global "private" constant @meta : memref<16x2xi16> = dense<[[-30584, -13108], [-30584, -13108], [-30584, -13108], [-30584, -13108], [-30584, -13108], [-30584, -13108], [-30584, -13108], [-30584, -13108], [17476, -4370], [17476, -4370], [17476, -4370], [17476, -4370], [17476, -4370], [17476, -4370], [17476, -4370], [17476, -4370]]>
func.func @const_meta(%x: memref<?x32xf16>, %v: memref<16x16xf16>, %y: memref<?x16xf32>) {
  %m = memref.get_global @meta : memref<16x2xi16>
  pixelfly.two_four_matmul ins(%x, %v, %m : memref<?x32xf16>, memref<16x16xf16>, memref<16x2xi16>) outs(%y : memref<?x16xf32>) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 16, tile_n = 16, tile_k = 32, warps_m = 1, warps_n = 1, stages = 2>}
  return
}

// -----

// pixelfly.prune_2_4 (memref form) needs no configuration: one thread per
// metadata word, 32 x 64 -> 128 words -> one block of 256 threads (the
// rest idle). Each thread loads its 16 columns at once, ranks every group
// of four with compares (no branch), and stores 8 values and one word.
// The transposable selection gives a thread each 16 x 16 block (8 here);
// the tensor form is left with a remark.
// CHECK-LABEL: func.func @prune(
// CHECK:         gpu.launch_func @pixelfly_kernels::@prune_prune_2_4 blocks in (%[[ONE:.+]], %{{.+}}, %{{.+}}) threads in (%c256{{.*}}, %{{.+}}, %{{.+}}) args(%{{.+}} : memref<32x64xf16>, %{{.+}} : memref<32x32xf16>, %{{.+}} : memref<32x4xi16>)
// CHECK:         gpu.launch_func @pixelfly_kernels::@prune_prune_2_4_1 {{.*}} args(%{{.+}} : memref<32x64xf16>, %{{.+}} : memref<32x32xf16>, %{{.+}} : memref<32x4xi16>, %{{.+}} : memref<64x16xf16>, %{{.+}} : memref<64x2xi16>)
// CHECK:         pixelfly.prune_2_4 ins(%{{.+}} : tensor<32x64xf16>)
// CHECK:         gpu.func @prune_prune_2_4(
// CHECK:           scf.if
// CHECK:             vector.load %{{.+}} {alignment = 16 : i64} : memref<32x64xf16>, vector<16xf16>
// CHECK-COUNT-24:    arith.cmpf {{o[gl]}}
// CHECK:             vector.store %{{.+}} : memref<32x32xf16>, vector<8xf16>
// CHECK:             memref.store %{{.+}} : memref<32x4xi16>
// CHECK:         gpu.func @prune_prune_2_4_1(
// CHECK:           scf.for
// CHECK-COUNT-4:     vector.load %{{.+}} {alignment = 8 : i64} : memref<32x64xf16>, vector<4xf16>
// CHECK:             arith.addf %{{.+}} : f64
func.func @prune(%w: memref<32x64xf16>, %v: memref<32x32xf16>, %m: memref<32x4xi16>,
                 %vt: memref<64x16xf16>, %mt: memref<64x2xi16>, %tw: tensor<32x64xf16>,
                 %tv: tensor<32x32xf16>, %tm: tensor<32x4xi16>, %w20: memref<20x64xf16>,
                 %v20: memref<20x32xf16>, %m20: memref<20x4xi16>) -> (tensor<32x32xf16>, tensor<32x4xi16>) {
  pixelfly.prune_2_4 ins(%w : memref<32x64xf16>) outs(%v, %m : memref<32x32xf16>, memref<32x4xi16>)
  pixelfly.prune_2_4 transposable ins(%w : memref<32x64xf16>) outs(%v, %m, %vt, %mt : memref<32x32xf16>, memref<32x4xi16>, memref<64x16xf16>, memref<64x2xi16>)
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: N = 20 (the transposable selection works on 16-row blocks: a multiple of 16 is needed)}}
  pixelfly.prune_2_4 transposable ins(%w20 : memref<20x64xf16>) outs(%v20, %m20 : memref<20x32xf16>, memref<20x4xi16>)
  // expected-remark @below {{convert-pixelfly-to-gpu: left unchanged: tensor form (bufferize first)}}
  %rv, %rm = pixelfly.prune_2_4 ins(%tw : tensor<32x64xf16>) outs(%tv, %tm : tensor<32x32xf16>, tensor<32x4xi16>) -> tensor<32x32xf16>, tensor<32x4xi16>
  return %rv, %rm : tensor<32x32xf16>, tensor<32x4xi16>
}
