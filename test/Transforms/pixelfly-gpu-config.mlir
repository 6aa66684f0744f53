// RUN: pixelfly-opt %s --pixelfly-gpu-config -split-input-file -verify-diagnostics | FileCheck %s
// RUN: pixelfly-opt %s --pixelfly-gpu-config="chip=sm_90a" -split-input-file -verify-diagnostics | FileCheck %s --check-prefix=HOPPER
// RUN: pixelfly-opt %s --pixelfly-gpu-config="max-tile-n=64" -split-input-file -verify-diagnostics | FileCheck %s --check-prefix=NARROW
// RUN: not pixelfly-opt %s --pixelfly-gpu-config="chip=sm_70" -split-input-file 2>&1 | FileCheck %s --check-prefix=CHIP
// RUN: pixelfly-opt %S/Inputs/gpu-config-sm90.mlir --pixelfly-gpu-config="chip=sm_90" -verify-diagnostics | FileCheck %s --check-prefix=SM90
// RUN: not pixelfly-opt %s --pixelfly-gpu-config="max-tile-n=4" -split-input-file 2>&1 | FileCheck %s --check-prefix=WIDTH
// RUN: not pixelfly-opt %s --pixelfly-gpu-config="max-tile-n=4096" -split-input-file 2>&1 | FileCheck %s --check-prefix=WIDE
// RUN: pixelfly-opt %s --pixelfly-gpu-config="chip=sm_90a persistent=132 tma-store=1" -split-input-file -verify-diagnostics | FileCheck %s --check-prefix=KNOBS
// RUN: not pixelfly-opt %s --pixelfly-gpu-config="chip=sm_90a persistent=-1" -split-input-file 2>&1 | FileCheck %s --check-prefix=PERSIST
// RUN: pixelfly-opt %S/Inputs/gpu-config-columns.mlir --pixelfly-gpu-config="chip=sm_90a" -verify-diagnostics | FileCheck %s --check-prefix=COLUMNS
// RUN: pixelfly-opt %S/Inputs/gpu-config-columns.mlir --pixelfly-gpu-config="chip=sm_80" 2>&1 | FileCheck %s --check-prefix=COLUMNS80
// PERSIST: error: pixelfly-gpu-config: persistent must be in [0, 65535] thread blocks, got -1

// CHIP: error: pixelfly-gpu-config: unknown chip 'sm_70' (expected sm_80, sm_86, sm_89, sm_90 or sm_90a)
// WIDTH: error: pixelfly-gpu-config: max-tile-n must be in [8, 1024], got 4
// WIDE: error: pixelfly-gpu-config: max-tile-n must be in [8, 1024], got 4096
// SM90: #pixelfly.gpu_config<chip = "sm_90", tile_m = 128, tile_n = 128, tile_k = 32, warps_m = 2, warps_n = 2, stages = 4>

// GPT-2-medium up-projection on a butterfly 16/1 of 32 x 32 blocks: runs of
// 8 block rows share their columns, so tiles of 4 block rows (128 wide)
// waste nothing; dynamic M takes 128-row tiles; 3 stages on sm_80, 4 on
// Hopper; 64-wide tiles when asked for.
// CHECK-LABEL: func.func @forward(
// CHECK:         pixelfly.block_sparse_matmul {{.+}} {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 128, tile_n = 128, tile_k = 32, warps_m = 2, warps_n = 2, stages = 3>}
// HOPPER-LABEL: func.func @forward(
// HOPPER:         #pixelfly.gpu_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 32, warps_m = 2, warps_n = 2, stages = 4>
// NARROW-LABEL: func.func @forward(
// NARROW:         #pixelfly.gpu_config<chip = "sm_80", tile_m = 128, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 3>
#l = #pixelfly.block_layout<shape = 4096x1024, block = 32x32, source = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 1, block = 32>>
func.func @forward(%x: tensor<?x1024xf16>, %b: tensor<512x32x32xf16>, %init: tensor<?x4096xf32>) -> tensor<?x4096xf32> {
  %y = pixelfly.block_sparse_matmul ins(%x, %b : tensor<?x1024xf16>, tensor<512x32x32xf16>) outs(%init : tensor<?x4096xf32>) layout(#l) -> tensor<?x4096xf32>
  return %y : tensor<?x4096xf32>
}

// -----

// The Hopper family (sm_90a) where it has a kernel: the forward product in
// bf16 / f16 on blocks 64 wide (its k-tile is one 128-byte row). The
// Ampere choice's tile_n; 128 rows over two consumer warpgroups (64 rows
// and one consumer for at most 64 tokens); 4 stages of (128 + 128) x 64
// bf16; pixelfly.linear likewise (two accumulator sets of 64 x 128 per
// consumer), its panel's first kernel on the family too (rank 16: tile_n
// 64, 64 tokens, one consumer, 4 stages);
// the input gradient too (its blocks 64 columns wide); the weight
// gradient of 64 x 64 blocks on one block per thread block (one consumer,
// 4 stages); low_rank_matmul on tiles of 128 output columns (its panel's
// first kernel as for linear). sm_80 keeps the Ampere family, as do
// 32-wide blocks above (@forward).
// CHECK-LABEL: func.func @hopper(
// CHECK:         pixelfly.block_sparse_matmul {{.+}} {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 128, tile_n = 128, tile_k = 32, warps_m = 2, warps_n = 2, stages = 3>}
// HOPPER-LABEL: func.func @hopper(
// HOPPER:         pixelfly.block_sparse_matmul {{.+}} {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 2, stages = 4, cluster_m = 1, cluster_n = 1>}
// HOPPER:         pixelfly.block_sparse_matmul {{.+}} {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 128, tile_k = 64, consumers = 1, stages = 4, cluster_m = 1, cluster_n = 1>}
// HOPPER:         pixelfly.block_sparse_input_grad {{.+}} {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 2, stages = 4, cluster_m = 1, cluster_n = 1>}
// HOPPER:         pixelfly.linear {{.+}} {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 2, stages = 4, cluster_m = 1, cluster_n = 1>, pixelfly.gpu_panel_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 64, consumers = 1, stages = 4, cluster_m = 1, cluster_n = 1>}
// HOPPER:         pixelfly.block_sparse_weight_grad {{.+}} {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 64, consumers = 1, stages = 4, cluster_m = 1, cluster_n = 1, splits = 4>}
// HOPPER:         pixelfly.low_rank_matmul {{.+}} {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 2, stages = 4, cluster_m = 1, cluster_n = 1>, pixelfly.gpu_panel_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 64, consumers = 1, stages = 4, cluster_m = 1, cluster_n = 1>}
// NARROW-LABEL: func.func @hopper(
// NARROW:         #pixelfly.gpu_config<chip = "sm_80", tile_m = 128, tile_n = 64,
// With persistent=132 and tma-store, the forward, input-gradient, linear
// and low-rank kernels get both (f32 outputs: boxes of 32 columns, whole
// in tiles of 128 and blocks of 64; 4 stages of 32 KB and the staging
// fit); the weight gradient and the panels' first kernels neither.
// KNOBS-LABEL: func.func @hopper(
// KNOBS:         pixelfly.block_sparse_matmul {{.+}} {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 2, stages = 4, cluster_m = 1, cluster_n = 1, persistent = 132, tma_store = true>}
// KNOBS:         pixelfly.block_sparse_matmul {{.+}} {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 128, tile_k = 64, consumers = 1, stages = 4, cluster_m = 1, cluster_n = 1, persistent = 132, tma_store = true>}
// KNOBS:         pixelfly.block_sparse_input_grad {{.+}} {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 2, stages = 4, cluster_m = 1, cluster_n = 1, persistent = 132, tma_store = true>}
// KNOBS:         pixelfly.linear {{.+}} {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 2, stages = 4, cluster_m = 1, cluster_n = 1, persistent = 132, tma_store = true>, pixelfly.gpu_panel_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 64, consumers = 1, stages = 4, cluster_m = 1, cluster_n = 1>}
// KNOBS:         pixelfly.block_sparse_weight_grad {{.+}} {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 64, consumers = 1, stages = 4, cluster_m = 1, cluster_n = 1, splits = 4>}
// KNOBS:         pixelfly.low_rank_matmul {{.+}} {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 2, stages = 4, cluster_m = 1, cluster_n = 1, persistent = 132, tma_store = true>, pixelfly.gpu_panel_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 64, consumers = 1, stages = 4, cluster_m = 1, cluster_n = 1>}
#l = #pixelfly.block_layout<shape = 1024x4096, block = 64x64, source = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 1, block = 64>>
func.func @hopper(%x: tensor<?x4096xbf16>, %b: tensor<128x64x64xbf16>, %init: tensor<?x1024xf32>,
                  %x40: tensor<40x4096xf16>, %b16: tensor<128x64x64xf16>, %init40: tensor<40x1024xf32>,
                  %dy: tensor<?x1024xbf16>, %dx: tensor<?x4096xf32>,
                  %u: tensor<1024x16xbf16>, %v: tensor<4096x16xbf16>)
    -> (tensor<?x1024xf32>, tensor<40x1024xf32>, tensor<?x4096xf32>, tensor<?x1024xf32>, tensor<128x64x64xbf16>, tensor<?x1024xf32>) {
  %y = pixelfly.block_sparse_matmul ins(%x, %b : tensor<?x4096xbf16>, tensor<128x64x64xbf16>) outs(%init : tensor<?x1024xf32>) layout(#l) -> tensor<?x1024xf32>
  %y40 = pixelfly.block_sparse_matmul ins(%x40, %b16 : tensor<40x4096xf16>, tensor<128x64x64xf16>) outs(%init40 : tensor<40x1024xf32>) layout(#l) -> tensor<40x1024xf32>
  %g = pixelfly.block_sparse_input_grad ins(%dy, %b : tensor<?x1024xbf16>, tensor<128x64x64xbf16>) outs(%dx : tensor<?x4096xf32>) layout(#l) -> tensor<?x4096xf32>
  %z = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x4096xbf16>, tensor<128x64x64xbf16>, tensor<1024x16xbf16>, tensor<4096x16xbf16>) gamma(0.5) outs(%init : tensor<?x1024xf32>) layout(#l) -> tensor<?x1024xf32>
  %w = pixelfly.block_sparse_weight_grad ins(%dy, %x : tensor<?x1024xbf16>, tensor<?x4096xbf16>) outs(%b : tensor<128x64x64xbf16>) layout(#l) -> tensor<128x64x64xbf16>
  %lr = pixelfly.low_rank_matmul ins(%x, %u, %v : tensor<?x4096xbf16>, tensor<1024x16xbf16>, tensor<4096x16xbf16>) outs(%init : tensor<?x1024xf32>) -> tensor<?x1024xf32>
  return %y, %y40, %g, %z, %w, %lr : tensor<?x1024xf32>, tensor<40x1024xf32>, tensor<?x4096xf32>, tensor<?x1024xf32>, tensor<128x64x64xbf16>, tensor<?x1024xf32>
}

// -----

// The panel's first kernel on sm_90a where the Hopper family takes it
// (f16/bf16, K a multiple of 64, rank at most 256): rank 80 gives tile_n
// 128 (two 64-column boxes of V), rank 256 tile_n 256 (4 stages of 40 KB
// fit). K = 96 keeps the Ampere panel kernel; rank 320 fits neither
// family (the scalar panel kernel: no configuration).
// HOPPER-LABEL: func.func @hopper_panel(
// HOPPER:         pixelfly.low_rank_matmul {{.+}} pixelfly.gpu_panel_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 128, tile_k = 64, consumers = 1, stages = 4, cluster_m = 1, cluster_n = 1>}
// HOPPER:         pixelfly.low_rank_matmul {{.+}} pixelfly.gpu_panel_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 256, tile_k = 64, consumers = 1, stages = 4, cluster_m = 1, cluster_n = 1>}
// HOPPER:         pixelfly.low_rank_matmul {{.+}} pixelfly.gpu_panel_config = #pixelfly.gpu_config<chip = "sm_90a", tile_m = 64, tile_n = 32, tile_k = 32, warps_m = 4, warps_n = 1, stages = 3>}
// HOPPER-NOT:     gpu_panel_config
// HOPPER:         return
func.func @hopper_panel(%x: memref<?x1024xbf16>, %u: memref<4096x80xbf16>, %v: memref<1024x80xbf16>, %y: memref<?x4096xf32>,
                        %u256: memref<4096x256xbf16>, %v256: memref<1024x256xbf16>,
                        %x96: memref<?x96xbf16>, %u32: memref<4096x32xbf16>, %v96: memref<96x32xbf16>,
                        %u320: memref<4096x320xbf16>, %v320: memref<1024x320xbf16>) {
  pixelfly.low_rank_matmul ins(%x, %u, %v : memref<?x1024xbf16>, memref<4096x80xbf16>, memref<1024x80xbf16>) outs(%y : memref<?x4096xf32>)
  pixelfly.low_rank_matmul ins(%x, %u256, %v256 : memref<?x1024xbf16>, memref<4096x256xbf16>, memref<1024x256xbf16>) outs(%y : memref<?x4096xf32>)
  pixelfly.low_rank_matmul ins(%x96, %u32, %v96 : memref<?x96xbf16>, memref<4096x32xbf16>, memref<96x32xbf16>) outs(%y : memref<?x4096xf32>)
  pixelfly.low_rank_matmul ins(%x, %u320, %v320 : memref<?x1024xbf16>, memref<4096x320xbf16>, memref<1024x320xbf16>) outs(%y : memref<?x4096xf32>)
  return
}

// -----

// Runs of 3 and 5 block rows: 2-row tiles would pad 2 rows of 10 (more
// than an eighth), so tiles are one block row; 20 tokens take 32-row tiles
// (one 16-row warp each way would not cover 32 x 32).
// CHECK-LABEL: func.func @uneven_runs(
// CHECK:         #pixelfly.gpu_config<chip = "sm_80", tile_m = 32, tile_n = 32, tile_k = 32, warps_m = 2, warps_n = 1, stages = 3>
#l = #pixelfly.block_layout<shape = 256x64, block = 32x32, row_ptr = [0, 1, 2, 3, 4, 5, 6, 7, 8], col_idx = [0, 0, 0, 1, 1, 1, 1, 1]>
func.func @uneven_runs(%x: tensor<20x64xbf16>, %b: tensor<8x32x32xbf16>, %init: tensor<20x256xf32>) -> tensor<20x256xf32> {
  %y = pixelfly.block_sparse_matmul ins(%x, %b : tensor<20x64xbf16>, tensor<8x32x32xbf16>) outs(%init : tensor<20x256xf32>) layout(#l) -> tensor<20x256xf32>
  return %y : tensor<20x256xf32>
}

// -----

// Two runs of 4: tiles of 4 block rows. The input gradient groups block
// columns instead (each column's rows: 0-3 and 4-7, two runs of one column
// each), and reduces over block rows of 32. The weight gradient takes one
// 32 x 32 block per thread block, reducing over tokens. Memref forms too.
// CHECK-LABEL: func.func @training(
// CHECK:         pixelfly.block_sparse_matmul {{.+}} #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 128, tile_k = 32, warps_m = 2, warps_n = 2, stages = 3>
// CHECK:         pixelfly.block_sparse_input_grad {{.+}} #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 32, tile_k = 32, warps_m = 4, warps_n = 1, stages = 3>
// CHECK:         pixelfly.block_sparse_weight_grad {{.+}} #pixelfly.gpu_config<chip = "sm_80", tile_m = 32, tile_n = 32, tile_k = 32, warps_m = 2, warps_n = 1, stages = 3>
#l = #pixelfly.block_layout<shape = 256x64, block = 32x32, row_ptr = [0, 1, 2, 3, 4, 5, 6, 7, 8], col_idx = [0, 0, 0, 0, 1, 1, 1, 1]>
func.func @training(%x: memref<64x64xf16>, %b: memref<8x32x32xf16>, %y: memref<64x256xf32>, %dy: memref<64x256xf16>, %dx: memref<64x64xf32>, %db: memref<8x32x32xf32>) {
  pixelfly.block_sparse_matmul ins(%x, %b : memref<64x64xf16>, memref<8x32x32xf16>) outs(%y : memref<64x256xf32>) layout(#l)
  pixelfly.block_sparse_input_grad ins(%dy, %b : memref<64x256xf16>, memref<8x32x32xf16>) outs(%dx : memref<64x64xf32>) layout(#l)
  pixelfly.block_sparse_weight_grad ins(%dy, %x : memref<64x256xf16>, memref<64x64xf16>) outs(%db : memref<8x32x32xf32>) layout(#l)
  return
}

// -----

// The Hopper family's weight gradient in tiles of blocks: the largest of
// 2 x 4, 2 x 2, 1 x 4 and 1 x 2 blocks whose partial tiles add at most an
// eighth to the blocks computed and that leave at most half the
// multiprocessors without a tile. A dense 1024 x 4096 dW: 128 tiles of
// 2 x 4 (two consumers, one per multiprocessor: no split). 16 x 16 blocks:
// 2 x 4 and 2 x 2 would be 32 and 64 tiles, 1 x 4 64, so 1 x 2 (128 tiles,
// less than half of the two per multiprocessor that fit: 4 ranges of
// tokens). Block rows of 5 columns, no two alike (a 1 x 4 tile computes 8
// for 5, a 1 x 2 one 6): one block per tile (16 ranges of the dynamic
// tokens). The Ampere family keeps one block per tile (sm_80).
// HOPPER-LABEL: func.func @hopper_wgrad_tiles(
// HOPPER:         #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 256, tile_k = 64, consumers = 2, stages = 4, cluster_m = 1, cluster_n = 1>}
// HOPPER:         #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 128, tile_k = 64, consumers = 1, stages = 4, cluster_m = 1, cluster_n = 1, splits = 4>}
// HOPPER:         #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 64, consumers = 1, stages = 4, cluster_m = 1, cluster_n = 1, splits = 16>}
// CHECK-LABEL: func.func @hopper_wgrad_tiles(
// CHECK:         #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64,
#ldense = #pixelfly.block_layout<shape = 1024x4096, block = 64x64, source = #pixelfly.flat_butterfly<butterfly_size = 2, n_factors = 1, block = 64>>
#l16 = #pixelfly.block_layout<shape = 1024x1024, block = 64x64, source = #pixelfly.flat_butterfly<butterfly_size = 2, n_factors = 1, block = 64>>
#lfive = #pixelfly.block_layout<shape = 128x512, block = 64x64, row_ptr = [0, 5, 10], col_idx = [0, 1, 2, 3, 4, 0, 1, 2, 3, 5]>
func.func @hopper_wgrad_tiles(%dy: memref<?x1024xbf16>, %x: memref<?x4096xbf16>, %db: memref<1024x64x64xf32>,
                              %x1k: memref<?x1024xbf16>, %db16: memref<256x64x64xf32>,
                              %dy5: memref<?x128xbf16>, %x5: memref<?x512xbf16>, %db5: memref<10x64x64xf32>) {
  pixelfly.block_sparse_weight_grad ins(%dy, %x : memref<?x1024xbf16>, memref<?x4096xbf16>) outs(%db : memref<1024x64x64xf32>) layout(#ldense)
  pixelfly.block_sparse_weight_grad ins(%dy, %x1k : memref<?x1024xbf16>, memref<?x1024xbf16>) outs(%db16 : memref<256x64x64xf32>) layout(#l16)
  pixelfly.block_sparse_weight_grad ins(%dy5, %x5 : memref<?x128xbf16>, memref<?x512xbf16>) outs(%db5 : memref<10x64x64xf32>) layout(#lfive)
  return
}

// -----

// A weight gradient with fewer blocks than the chip has multiprocessors
// (108 on sm_80, 132 on sm_90a) splits its tokens: the fewest ranges, a
// power of two up to 16, that give each multiprocessor two thread blocks,
// each range at least four k-tiles of a static token count. 8 blocks of
// 32 x 32 (the Ampere family on either chip) over dynamic tokens: 16
// ranges; over 1024 tokens: 8 ranges of 4 k-tiles of 32; over 64 tokens:
// none. 128 blocks of 64 x 64 fill sm_80's multiprocessors but not
// sm_90a's: 4 ranges there (512 thread blocks; the Hopper kernel with one
// 64 x 64 block holds two per multiprocessor). 144 blocks fill sm_80's;
// on sm_90a its 12 equal block rows of 12 columns are 72 tiles of 1 x 2
// blocks, which fill two per multiprocessor only in 4 ranges.
// CHECK-LABEL: func.func @wgrad_splits(
// CHECK:         #pixelfly.gpu_config<chip = "sm_80", tile_m = 32, tile_n = 32, tile_k = 32, warps_m = 2, warps_n = 1, stages = 3, splits = 16>
// CHECK:         #pixelfly.gpu_config<chip = "sm_80", tile_m = 32, tile_n = 32, tile_k = 32, warps_m = 2, warps_n = 1, stages = 3, splits = 8>
// CHECK:         #pixelfly.gpu_config<chip = "sm_80", tile_m = 32, tile_n = 32, tile_k = 32, warps_m = 2, warps_n = 1, stages = 3>
// CHECK:         #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 3>
// CHECK:         #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 3>
// HOPPER-LABEL: func.func @wgrad_splits(
// HOPPER:         #pixelfly.gpu_config<chip = "sm_90a", tile_m = 32, tile_n = 32, tile_k = 32, warps_m = 2, warps_n = 1, stages = 4, splits = 16>
// HOPPER:         #pixelfly.gpu_config<chip = "sm_90a", tile_m = 32, tile_n = 32, tile_k = 32, warps_m = 2, warps_n = 1, stages = 4, splits = 8>
// HOPPER:         #pixelfly.gpu_config<chip = "sm_90a", tile_m = 32, tile_n = 32, tile_k = 32, warps_m = 2, warps_n = 1, stages = 4>
// HOPPER:         #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 64, consumers = 1, stages = 4, cluster_m = 1, cluster_n = 1, splits = 4>
// HOPPER:         #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 128, tile_k = 64, consumers = 1, stages = 4, cluster_m = 1, cluster_n = 1, splits = 4>
#l8 = #pixelfly.block_layout<shape = 256x64, block = 32x32, row_ptr = [0, 1, 2, 3, 4, 5, 6, 7, 8], col_idx = [0, 0, 0, 0, 1, 1, 1, 1]>
#l128 = #pixelfly.block_layout<shape = 1024x4096, block = 64x64, source = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 1, block = 64>>
#l144 = #pixelfly.block_layout<shape = 768x768, block = 64x64, row_ptr = [0, 12, 24, 36, 48, 60, 72, 84, 96, 108, 120, 132, 144], col_idx = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]>
func.func @wgrad_splits(%dy: memref<?x256xf16>, %x: memref<?x64xf16>, %dy1k: memref<1024x256xf16>, %x1k: memref<1024x64xf16>,
                        %dy64: memref<64x256xf16>, %x64: memref<64x64xf16>, %db: memref<8x32x32xf32>,
                        %dyb: memref<?x1024xbf16>, %xb: memref<?x4096xbf16>, %dbb: memref<128x64x64xf32>,
                        %dyc: memref<?x768xbf16>, %xc: memref<?x768xbf16>, %dbc: memref<144x64x64xf32>) {
  pixelfly.block_sparse_weight_grad ins(%dy, %x : memref<?x256xf16>, memref<?x64xf16>) outs(%db : memref<8x32x32xf32>) layout(#l8)
  pixelfly.block_sparse_weight_grad ins(%dy1k, %x1k : memref<1024x256xf16>, memref<1024x64xf16>) outs(%db : memref<8x32x32xf32>) layout(#l8)
  pixelfly.block_sparse_weight_grad ins(%dy64, %x64 : memref<64x256xf16>, memref<64x64xf16>) outs(%db : memref<8x32x32xf32>) layout(#l8)
  pixelfly.block_sparse_weight_grad ins(%dyb, %xb : memref<?x1024xbf16>, memref<?x4096xbf16>) outs(%dbb : memref<128x64x64xf32>) layout(#l128)
  pixelfly.block_sparse_weight_grad ins(%dyc, %xc : memref<?x768xbf16>, memref<?x768xbf16>) outs(%dbc : memref<144x64x64xf32>) layout(#l144)
  return
}

// -----

// Pixelfly and low-rank products; f32 runs as TF32 with the same tiles
// (4-byte operands: 3 stages of 128 x 128 x 32 tiles, 96 KB, still fit).
// The output is one 64-wide tile column: 64-row tiles (see @tile_rows).
// The panel's first kernel (T = X V, K = 96 by rank 16) gets its own
// configuration: 64 tokens by the whole rank, 32-wide k-tiles (K is not a
// multiple of 64), 4 warps of 16 tokens. A configuration already present
// is kept; a missing panel one is added for the op's chip. Rank 12 is no
// whole number of 16-byte chunks: no panel configuration (the scalar
// kernel serves it). Given the caller's X V there is no panel product to
// configure.
// CHECK-LABEL: func.func @lowrank(
// CHECK:         pixelfly.linear {{.+}} {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 3>, pixelfly.gpu_panel_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 16, tile_k = 32, warps_m = 4, warps_n = 1, stages = 3>}
// CHECK:         pixelfly.low_rank_matmul {{.+}} {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 16, warps_m = 2, warps_n = 2, stages = 3>, pixelfly.gpu_panel_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 16, tile_k = 32, warps_m = 4, warps_n = 1, stages = 3>}
// CHECK:         pixelfly.low_rank_matmul {{.+}} {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 16, warps_m = 4, warps_n = 1, stages = 2>, pixelfly.gpu_panel_config = #pixelfly.gpu_config<chip = "sm_90a", tile_m = 64, tile_n = 16, tile_k = 32, warps_m = 4, warps_n = 1, stages = 3>}
// CHECK:         pixelfly.linear {{.+}} {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 3>} -> tensor<?x64xf32>
// CHECK:         pixelfly.linear {{.+}} xv({{.+}}) {{.+}} {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 3>} -> tensor<?x64xf32>
#l = #pixelfly.block_layout<shape = 64x96, block = 32x32, row_ptr = [0, 2, 4], col_idx = [0, 2, 0, 2]>
func.func @lowrank(%x: tensor<?x96xf32>, %b: tensor<4x32x32xf32>, %u: tensor<64x16xf32>, %v: tensor<96x16xf32>, %u12: tensor<64x12xf32>, %v12: tensor<96x12xf32>, %xv: tensor<?x16xf32>, %init: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %y = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x96xf32>, tensor<4x32x32xf32>, tensor<64x16xf32>, tensor<96x16xf32>) gamma(0.5) outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  %z = pixelfly.low_rank_matmul ins(%x, %u, %v : tensor<?x96xf32>, tensor<64x16xf32>, tensor<96x16xf32>) outs(%y : tensor<?x64xf32>) -> tensor<?x64xf32>
  %w = pixelfly.low_rank_matmul ins(%x, %u, %v : tensor<?x96xf32>, tensor<64x16xf32>, tensor<96x16xf32>) outs(%z : tensor<?x64xf32>) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 16, warps_m = 4, warps_n = 1, stages = 2>} -> tensor<?x64xf32>
  %r = pixelfly.linear ins(%x, %b, %u12, %v12 : tensor<?x96xf32>, tensor<4x32x32xf32>, tensor<64x12xf32>, tensor<96x12xf32>) gamma(0.5) outs(%w : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  %s = pixelfly.linear ins(%x, %b, %u, %v : tensor<?x96xf32>, tensor<4x32x32xf32>, tensor<64x16xf32>, tensor<96x16xf32>) xv(%xv : tensor<?x16xf32>) gamma(0.5) outs(%r : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
  return %s : tensor<?x64xf32>
}

// -----

// 64-row tiles where 128-row ones leave multiprocessors idle (108 on sm_80,
// 132 on sm_90a): a product one tile wide, whatever its tokens (dY U of a
// low-rank term has M / 128 thread blocks), and a static M with fewer
// tiles than multiprocessors (512 tokens by 16 tile columns: 64 tiles).
// 4096 tokens (512 tiles) and a dynamic M of 16 tile columns keep 128
// rows. The Hopper family takes the same 64 rows as one consumer
// warpgroup; it runs the product one tile wide (one dense block column:
// a column product) as the panel's T = X V, in 64-column tiles.
// CHECK-LABEL: func.func @tile_rows(
// CHECK:         pixelfly.block_sparse_input_grad {{.+}}gpu_config<chip = "sm_80", tile_m = 64, tile_n = 32,
// CHECK:         pixelfly.block_sparse_input_grad {{.+}}gpu_config<chip = "sm_80", tile_m = 64, tile_n = 32,
// CHECK:         pixelfly.block_sparse_matmul {{.+}}gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64,
// CHECK:         pixelfly.block_sparse_matmul {{.+}}gpu_config<chip = "sm_80", tile_m = 128, tile_n = 64,
// CHECK:         pixelfly.block_sparse_matmul {{.+}}gpu_config<chip = "sm_80", tile_m = 128, tile_n = 64,
// HOPPER-LABEL: func.func @tile_rows(
// HOPPER:         pixelfly.block_sparse_input_grad {{.+}}hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 64, consumers = 1, stages = 4,
// HOPPER:         pixelfly.block_sparse_input_grad {{.+}}hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 64, consumers = 1, stages = 4,
// HOPPER:         pixelfly.block_sparse_matmul {{.+}}hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 64, consumers = 1,
// HOPPER:         pixelfly.block_sparse_matmul {{.+}}hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 64, tile_k = 64, consumers = 2,
// HOPPER:         pixelfly.block_sparse_matmul {{.+}}hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 64, tile_k = 64, consumers = 2,
#lcol = #pixelfly.block_layout<shape = 256x32, block = 32x32, row_ptr = [0, 1, 2, 3, 4, 5, 6, 7, 8], col_idx = [0, 0, 0, 0, 0, 0, 0, 0]>
#ldiag = #pixelfly.block_layout<shape = 1024x1024, block = 64x64, row_ptr = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], col_idx = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]>
func.func @tile_rows(%dy: memref<?x256xbf16>, %dy16k: memref<16384x256xbf16>, %u: memref<8x32x32xbf16>,
                     %t: memref<?x32xf32>, %t16k: memref<16384x32xf32>,
                     %x512: memref<512x1024xbf16>, %x4k: memref<4096x1024xbf16>, %x: memref<?x1024xbf16>,
                     %w: memref<16x64x64xbf16>, %y512: memref<512x1024xf32>, %y4k: memref<4096x1024xf32>,
                     %y: memref<?x1024xf32>) {
  pixelfly.block_sparse_input_grad ins(%dy, %u : memref<?x256xbf16>, memref<8x32x32xbf16>) outs(%t : memref<?x32xf32>) layout(#lcol)
  pixelfly.block_sparse_input_grad ins(%dy16k, %u : memref<16384x256xbf16>, memref<8x32x32xbf16>) outs(%t16k : memref<16384x32xf32>) layout(#lcol)
  pixelfly.block_sparse_matmul ins(%x512, %w : memref<512x1024xbf16>, memref<16x64x64xbf16>) outs(%y512 : memref<512x1024xf32>) layout(#ldiag)
  pixelfly.block_sparse_matmul ins(%x4k, %w : memref<4096x1024xbf16>, memref<16x64x64xbf16>) outs(%y4k : memref<4096x1024xf32>) layout(#ldiag)
  pixelfly.block_sparse_matmul ins(%x, %w : memref<?x1024xbf16>, memref<16x64x64xbf16>) outs(%y : memref<?x1024xf32>) layout(#ldiag)
  return
}

// -----

// Column products on the Hopper family: 128 columns wide, two 64-column
// boxes (tile_n 128); a reduction of 96 rows (not whole 64-row k-tiles)
// and a block column missing a block row keep the Ampere family. A column
// weight gradient (dY^T T, 256 x 32) is written as 64-row blocks of its
// width: 4 of them, too few for two per tile, so one 64 x 64 tile each
// and the tokens split; a column of 96 rows keeps the Ampere family.
// HOPPER-LABEL: func.func @column_products(
// HOPPER:         pixelfly.block_sparse_input_grad {{.+}}hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 128, tile_k = 64, consumers = 1,
// HOPPER:         pixelfly.block_sparse_input_grad {{.+}}#pixelfly.gpu_config<chip = "sm_90a"
// HOPPER:         pixelfly.block_sparse_input_grad {{.+}}#pixelfly.gpu_config<chip = "sm_90a"
// HOPPER:         pixelfly.block_sparse_weight_grad {{.+}}hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 64, consumers = 1, stages = 4, cluster_m = 1, cluster_n = 1, splits = {{[2-9]|1[0-6]}}>
// HOPPER:         pixelfly.block_sparse_weight_grad {{.+}}#pixelfly.gpu_config<chip = "sm_90a"
#l128 = #pixelfly.block_layout<shape = 256x128, block = 32x128, row_ptr = [0, 1, 2, 3, 4, 5, 6, 7, 8], col_idx = [0, 0, 0, 0, 0, 0, 0, 0]>
#l96 = #pixelfly.block_layout<shape = 96x32, block = 32x32, row_ptr = [0, 1, 2, 3], col_idx = [0, 0, 0]>
#lcol8 = #pixelfly.block_layout<shape = 256x32, block = 32x32, row_ptr = [0, 1, 2, 3, 4, 5, 6, 7, 8], col_idx = [0, 0, 0, 0, 0, 0, 0, 0]>
#lgap = #pixelfly.block_layout<shape = 256x32, block = 32x32, row_ptr = [0, 1, 2, 3, 3, 4, 5, 6, 7], col_idx = [0, 0, 0, 0, 0, 0, 0]>
func.func @column_products(%dy: memref<?x256xbf16>, %u128: memref<8x32x128xbf16>, %t128: memref<?x128xf32>,
                           %dy96: memref<?x96xbf16>, %u96: memref<3x32x32xbf16>, %t: memref<?x32xf32>,
                           %u7: memref<7x32x32xbf16>, %t16: memref<?x32xbf16>, %du: memref<8x32x32xf32>,
                           %du3: memref<3x32x32xf32>) {
  pixelfly.block_sparse_input_grad ins(%dy, %u128 : memref<?x256xbf16>, memref<8x32x128xbf16>) outs(%t128 : memref<?x128xf32>) layout(#l128)
  pixelfly.block_sparse_input_grad ins(%dy96, %u96 : memref<?x96xbf16>, memref<3x32x32xbf16>) outs(%t : memref<?x32xf32>) layout(#l96)
  pixelfly.block_sparse_input_grad ins(%dy, %u7 : memref<?x256xbf16>, memref<7x32x32xbf16>) outs(%t : memref<?x32xf32>) layout(#lgap)
  pixelfly.block_sparse_weight_grad ins(%dy, %t16 : memref<?x256xbf16>, memref<?x32xbf16>) outs(%du : memref<8x32x32xf32>) layout(#lcol8)
  pixelfly.block_sparse_weight_grad ins(%dy96, %t16 : memref<?x96xbf16>, memref<?x32xbf16>) outs(%du3 : memref<3x32x32xf32>) layout(#l96)
  return
}

// Column products 48 and 80 wide (Inputs/gpu-config-columns.mlir): a
// weight gradient in 64-row blocks with tile_n 64, an input gradient with
// the panel's schedule and tile_n 128; on sm_80 both stay without a
// configuration.
// COLUMNS-LABEL: func.func @rank48(
// COLUMNS:         pixelfly.block_sparse_weight_grad {{.+}}hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 64, consumers = 1,
// COLUMNS:         pixelfly.block_sparse_input_grad {{.+}}hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 128, tile_k = 64, consumers = 1,
// COLUMNS80-COUNT-2: remark: pixelfly-gpu-config: left without a GPU configuration: blocks of 32 x {{48|80}} (the gradient kernels stage tiles as stored
// COLUMNS80-NOT:   gpu_config

// -----

// What has no kernel is left alone, with a remark.
// CHECK-LABEL: func.func @unsupported(
// CHECK-NOT:     gpu_config
#l8 = #pixelfly.block_layout<shape = 16x16, block = 8x8, row_ptr = [0, 1, 2], col_idx = [0, 1]>
func.func @unsupported(%x: tensor<4x16xf16>, %b: tensor<2x8x8xf16>, %init: tensor<4x16xf32>,
                       %x2: tensor<8x32xf32>, %vals: tensor<16x16xf32>, %meta: tensor<16x2xi16>, %init2: tensor<8x16xf32>) -> (tensor<4x16xf32>, tensor<8x16xf32>) {
  // expected-remark @below {{pixelfly-gpu-config: left without a GPU configuration: blocks of 8 x 8 (a multiple of 16 both ways is needed)}}
  %y = pixelfly.block_sparse_matmul ins(%x, %b : tensor<4x16xf16>, tensor<2x8x8xf16>) outs(%init : tensor<4x16xf32>) layout(#l8) -> tensor<4x16xf32>
  // expected-remark @below {{pixelfly-gpu-config: left without a GPU configuration: element type f32 (the sparse tensor cores, mma.sp m16n8k32, take f16 or bf16)}}
  %z = pixelfly.two_four_matmul ins(%x2, %vals, %meta : tensor<8x32xf32>, tensor<16x16xf32>, tensor<16x2xi16>) outs(%init2 : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y, %z : tensor<4x16xf32>, tensor<8x16xf32>
}

// -----

// f32 operands (TF32 kernels): the same tiles; a 128 x 32 f32 operand tile
// is 16 KB per stage, so 3 stages take 96 KB on sm_80 (dynamic shared
// memory) and 4 take 128 KB on Hopper.
// CHECK-LABEL: func.func @tf32(
// CHECK:         #pixelfly.gpu_config<chip = "sm_80", tile_m = 128, tile_n = 128, tile_k = 32, warps_m = 2, warps_n = 2, stages = 3>
// HOPPER-LABEL: func.func @tf32(
// HOPPER:         #pixelfly.gpu_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 32, warps_m = 2, warps_n = 2, stages = 4>
#l = #pixelfly.block_layout<shape = 4096x1024, block = 32x32, source = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 1, block = 32>>
func.func @tf32(%x: tensor<?x1024xf32>, %b: tensor<512x32x32xf32>, %init: tensor<?x4096xf32>) -> tensor<?x4096xf32> {
  %y = pixelfly.block_sparse_matmul ins(%x, %b : tensor<?x1024xf32>, tensor<512x32x32xf32>) outs(%init : tensor<?x4096xf32>) layout(#l) -> tensor<?x4096xf32>
  return %y : tensor<?x4096xf32>
}

// -----

// 2:4 products: tile_n features (a power of two dividing N), tile_m tokens,
// tile_k 64 when K allows (32 compressed values: 64-byte rows), else 32;
// the weight tile holds half the columns, so 4 stages fit on Hopper.
// N = 48 is a multiple of 16 only: 16-wide tiles, one warp across.
// CHECK-LABEL: func.func @two_four(
// CHECK:         pixelfly.two_four_matmul {{.+}} {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 128, tile_n = 128, tile_k = 64, warps_m = 2, warps_n = 2, stages = 3>}
// CHECK:         pixelfly.two_four_matmul {{.+}} {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 32, tile_n = 16, tile_k = 32, warps_m = 2, warps_n = 1, stages = 3>}
// On sm_90a the Hopper family's sparse wgmma kernel where N allows whole
// 64-row wgmma tiles per consumer: 128 tokens by 256 weight rows over two
// consumers, a k-tile of 128 columns (64 compressed values: 128 bytes),
// 3 stages of 64 KB; N = 48 keeps the Ampere family's mma.sp kernel.
// HOPPER-LABEL: func.func @two_four(
// HOPPER:         pixelfly.two_four_matmul {{.+}} {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 256, tile_k = 128, consumers = 2, stages = 3, cluster_m = 1, cluster_n = 1>}
// HOPPER:         pixelfly.two_four_matmul {{.+}} {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_90a", tile_m = 32, tile_n = 16, tile_k = 32, warps_m = 2, warps_n = 1, stages = 4>}
// At most 64 tokens: one consumer of four 64-row tiles by 64 tokens.
// HOPPER:         pixelfly.two_four_matmul {{.+}} {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 256, tile_k = 128, consumers = 1, stages = 4, cluster_m = 1, cluster_n = 1>}
// With persistent=132 and tma-store: the staging (32 KB for two
// consumers) still fits beside 3 stages of 64 KB, and beside 4 of 48 KB
// for one.
// KNOBS-LABEL: func.func @two_four(
// KNOBS:         pixelfly.two_four_matmul {{.+}} {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 256, tile_k = 128, consumers = 2, stages = 3, cluster_m = 1, cluster_n = 1, persistent = 132, tma_store = true>}
// KNOBS:         pixelfly.two_four_matmul {{.+}} {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_90a", tile_m = 32, tile_n = 16, tile_k = 32, warps_m = 2, warps_n = 1, stages = 4>}
// KNOBS:         pixelfly.two_four_matmul {{.+}} {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 256, tile_k = 128, consumers = 1, stages = 4, cluster_m = 1, cluster_n = 1, persistent = 132, tma_store = true>}
func.func @two_four(%x: tensor<?x1024xbf16>, %v: tensor<4096x512xbf16>, %m: tensor<4096x64xi16>, %y: tensor<?x4096xf32>,
                    %x2: tensor<20x96xf16>, %v2: tensor<48x48xf16>, %m2: tensor<48x6xi16>, %y2: tensor<20x48xf32>,
                    %x3: tensor<40x256xbf16>, %v3: tensor<256x128xbf16>, %m3: tensor<256x16xi16>, %y3: tensor<40x256xf32>) -> (tensor<?x4096xf32>, tensor<20x48xf32>, tensor<40x256xf32>) {
  %r = pixelfly.two_four_matmul ins(%x, %v, %m : tensor<?x1024xbf16>, tensor<4096x512xbf16>, tensor<4096x64xi16>) outs(%y : tensor<?x4096xf32>) -> tensor<?x4096xf32>
  %r2 = pixelfly.two_four_matmul ins(%x2, %v2, %m2 : tensor<20x96xf16>, tensor<48x48xf16>, tensor<48x6xi16>) outs(%y2 : tensor<20x48xf32>) -> tensor<20x48xf32>
  %r3 = pixelfly.two_four_matmul ins(%x3, %v3, %m3 : tensor<40x256xbf16>, tensor<256x128xbf16>, tensor<256x16xi16>) outs(%y3 : tensor<40x256xf32>) -> tensor<40x256xf32>
  return %r, %r2, %r3 : tensor<?x4096xf32>, tensor<20x48xf32>, tensor<40x256xf32>
}

// -----

// tma-store only where the kernel takes it: a bf16 output has boxes of 64
// columns, which 32-row blocks are not (a tile may stop among them), so
// this product gets the persistent grid without tma_store.
// KNOBS-LABEL: func.func @knobs_narrow_blocks(
// KNOBS:         pixelfly.block_sparse_matmul {{.+}} {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 2, stages = 4, cluster_m = 1, cluster_n = 1, persistent = 132>}
#l32 = #pixelfly.block_layout<shape = 256x256, block = 32x64, row_ptr = [0, 2, 4, 6, 8, 10, 12, 14, 16], col_idx = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1]>
func.func @knobs_narrow_blocks(%x: tensor<?x256xbf16>, %b: tensor<16x32x64xbf16>, %init: tensor<?x256xbf16>) -> tensor<?x256xbf16> {
  %y = pixelfly.block_sparse_matmul ins(%x, %b : tensor<?x256xbf16>, tensor<16x32x64xbf16>) outs(%init : tensor<?x256xbf16>) layout(#l32) -> tensor<?x256xbf16>
  return %y : tensor<?x256xbf16>
}

// -----

// K not a multiple of 32, N not a multiple of 16: no mma.sp tiling.
// CHECK-LABEL: func.func @two_four_shapes(
// CHECK-NOT:     gpu_config
func.func @two_four_shapes(%x: tensor<4x48xf16>, %v: tensor<16x24xf16>, %m: tensor<16x3xi16>, %y: tensor<4x16xf32>,
                           %v2: tensor<8x32xf16>, %m2: tensor<8x4xi16>, %x2: tensor<4x64xf16>, %y2: tensor<4x8xf32>) -> (tensor<4x16xf32>, tensor<4x8xf32>) {
  // expected-remark @below {{pixelfly-gpu-config: left without a GPU configuration: N x K = 16 x 48 (mma.sp m16n8k32 needs N a multiple of 16 and K of 32)}}
  %r = pixelfly.two_four_matmul ins(%x, %v, %m : tensor<4x48xf16>, tensor<16x24xf16>, tensor<16x3xi16>) outs(%y : tensor<4x16xf32>) -> tensor<4x16xf32>
  // expected-remark @below {{pixelfly-gpu-config: left without a GPU configuration: N x K = 8 x 64 (mma.sp m16n8k32 needs N a multiple of 16 and K of 32)}}
  %r2 = pixelfly.two_four_matmul ins(%x2, %v2, %m2 : tensor<4x64xf16>, tensor<8x32xf16>, tensor<8x4xi16>) outs(%y2 : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %r, %r2 : tensor<4x16xf32>, tensor<4x8xf32>
}

// -----

// 48-wide blocks in f16 are 6 chunks of 16 bytes: the forward product is
// configured, the gradients (which stage tiles as stored, swizzled over a
// power-of-two number of chunks) are not.
// CHECK-LABEL: func.func @blocks48(
// CHECK:         pixelfly.block_sparse_matmul {{.*}}pixelfly.gpu_config = #pixelfly.gpu_config<
// CHECK-NOT:     gpu_config
#l48 = #pixelfly.block_layout<shape = 96x96, block = 48x48, row_ptr = [0, 1, 2], col_idx = [0, 1]>
func.func @blocks48(%x: tensor<?x96xf16>, %b: tensor<2x48x48xf16>, %y: tensor<?x96xf32>, %db: tensor<2x48x48xf32>) -> (tensor<?x96xf32>, tensor<?x96xf32>, tensor<2x48x48xf32>) {
  %f = pixelfly.block_sparse_matmul ins(%x, %b : tensor<?x96xf16>, tensor<2x48x48xf16>) outs(%y : tensor<?x96xf32>) layout(#l48) -> tensor<?x96xf32>
  // expected-remark @below {{pixelfly-gpu-config: left without a GPU configuration: blocks of 48 x 48 (the gradient kernels stage tiles as stored: a power-of-two number of 16-byte chunks per row is needed)}}
  %g = pixelfly.block_sparse_input_grad ins(%x, %b : tensor<?x96xf16>, tensor<2x48x48xf16>) outs(%y : tensor<?x96xf32>) layout(#l48) -> tensor<?x96xf32>
  // expected-remark @below {{pixelfly-gpu-config: left without a GPU configuration: blocks of 48 x 48 (the gradient kernels stage tiles as stored: a power-of-two number of 16-byte chunks per row is needed)}}
  %w = pixelfly.block_sparse_weight_grad ins(%x, %x : tensor<?x96xf16>, tensor<?x96xf16>) outs(%db : tensor<2x48x48xf32>) layout(#l48) -> tensor<2x48x48xf32>
  return %f, %g, %w : tensor<?x96xf32>, tensor<?x96xf32>, tensor<2x48x48xf32>
}

// -----

// Blocks wider than a tile may be (1024): no configuration, never an
// attribute its verifier would reject.
// CHECK-LABEL: func.func @huge_blocks
// CHECK-NOT:     gpu_config
#l2k = #pixelfly.block_layout<shape = 2048x2048, block = 2048x2048, row_ptr = [0, 1], col_idx = [0]>
func.func @huge_blocks(%x: tensor<64x2048xf16>, %b: tensor<1x2048x2048xf16>, %y: tensor<64x2048xf32>, %db: tensor<1x2048x2048xf32>) -> (tensor<64x2048xf32>, tensor<1x2048x2048xf32>) {
  // expected-remark @below {{pixelfly-gpu-config: left without a GPU configuration: blocks of 2048 x 2048 (a tile is a whole number of blocks, at most 1024 wide)}}
  %f = pixelfly.block_sparse_matmul ins(%x, %b : tensor<64x2048xf16>, tensor<1x2048x2048xf16>) outs(%y : tensor<64x2048xf32>) layout(#l2k) -> tensor<64x2048xf32>
  // expected-remark @below {{pixelfly-gpu-config: left without a GPU configuration: blocks of 2048 x 2048 (the weight gradient's tile is one block, at most 1024 each way)}}
  %w = pixelfly.block_sparse_weight_grad ins(%x, %x : tensor<64x2048xf16>, tensor<64x2048xf16>) outs(%db : tensor<1x2048x2048xf32>) layout(#l2k) -> tensor<1x2048x2048xf32>
  return %f, %w : tensor<64x2048xf32>, tensor<1x2048x2048xf32>
}
