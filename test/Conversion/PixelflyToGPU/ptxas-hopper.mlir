// REQUIRES: ptxas
// RUN: pixelfly-opt %s --pixelfly-gpu-pipeline="chip=sm_90a format=isa" -o %t.mlir
// RUN: %python %S/extract_ptx.py %t.mlir > %t.ptx
// RUN: FileCheck %s < %t.ptx
// RUN: FileCheck %s --check-prefix=TMA < %t.ptx
// RUN: FileCheck %s --check-prefix=MMA < %t.ptx
// RUN: %ptxas -arch=sm_90a -v %t.ptx -o %t.cubin > %t.ptxas 2>&1
// RUN: FileCheck %s --check-prefix=PTXAS < %t.ptxas
// RUN: FileCheck %s --check-prefix=PTXAS128 < %t.ptxas
// RUN: FileCheck %s --check-prefix=PTXASC < %t.ptxas
// RUN: FileCheck %s --check-prefix=PTXAS2 < %t.ptxas
// RUN: FileCheck %s --check-prefix=PTXASL < %t.ptxas
// RUN: FileCheck %s --check-prefix=PTXASP < %t.ptxas
// RUN: FileCheck %s --check-prefix=PTXASG < %t.ptxas
// RUN: FileCheck %s --check-prefix=PTXASW < %t.ptxas
// RUN: FileCheck %s --check-prefix=PTXASR < %t.ptxas
// RUN: FileCheck %s --check-prefix=PTXASWT < %t.ptxas
// RUN: FileCheck %s --check-prefix=PTXASPL < %t.ptxas
// RUN: FileCheck %s --check-prefix=PTXASPR < %t.ptxas
// RUN: FileCheck %s --check-prefix=TMAST < %t.ptx
// RUN: FileCheck %s --check-prefix=PTXAST < %t.ptxas
// RUN: FileCheck %s --check-prefix=TMAST24 < %t.ptx
// RUN: FileCheck %s --check-prefix=PTXAST24 < %t.ptxas
// RUN: FileCheck %s --check-prefix=PTXASP24 < %t.ptxas
// RUN: FileCheck %s --check-prefix=COLUMN < %t.ptx
// RUN: FileCheck %s --check-prefix=PTXASCOL < %t.ptxas
// RUN: FileCheck %s --check-prefix=COLWG < %t.ptx
// RUN: FileCheck %s --check-prefix=PTXASCOLWG < %t.ptxas
// The role branch is warp-uniform to ptxas (the warpgroup index comes from
// a shuffle), so it does not serialize the wgmma (warning C7520).
// RUN: not grep C7520 %t.ptxas

// The Hopper family's forward kernel through the GPU pipeline: the ring is
// an extern shared array aligned to 1024 bytes (the mbarriers are static
// shared variables of their own, so the ring cannot be the demoted
// gpu.dynamic_shared_memory symbol); two 2-D TMA loads per slot completing
// on an mbarrier; per k-tile four m64n64k16 wgmma, each fenced, committed
// and waited for (until one slot's worth, 4, pends) by upstream's lowering
// of nvgpu.warpgroup.mma; the previous slot released; all groups retired
// after the loop.
// CHECK:     .extern .shared .align 1024 .b8 fwd_block_sparse_matmul_smem[];
// CHECK:     .entry fwd_block_sparse_matmul(
// CHECK:     .maxntid 256, 1, 1
// CHECK:     mbarrier.init.shared.b64
// CHECK:     fence.mbarrier_init.release.cluster
// TMA-LABEL: .entry fwd_block_sparse_matmul(
// TMA:       mbarrier.try_wait.parity.shared.b64
// TMA-NEXT:  @P1 bra.uni DONE;
// TMA-NEXT:  bra.uni LAB_WAIT;
// TMA:       mbarrier.arrive.expect_tx.shared.b64
// TMA-COUNT-2: cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes
// TMA-NOT:   cp.async.bulk.tensor
// TMA-LABEL: .entry m128_block_sparse_matmul(
// MMA-LABEL: .entry fwd_block_sparse_matmul(
// MMA:       mbarrier.try_wait.parity.shared.b64
// MMA-COUNT-4: wgmma.mma_async.sync.aligned.m64n64k16.f32.bf16.bf16
// MMA:       wgmma.wait_group.sync.aligned 4;
// MMA:       mbarrier.arrive.shared.b64
// MMA:       wgmma.wait_group.sync.aligned 0;
// MMA-NOT:   wgmma.mma_async
// ptxas accepts it for sm_90a, without spills.
// PTXAS:     Compiling entry function 'fwd_block_sparse_matmul' for 'sm_90a'
// PTXAS-NEXT: Function properties for fwd_block_sparse_matmul
// PTXAS-NEXT: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads

#l = #pixelfly.block_layout<shape = 256x128, block = 64x64, row_ptr = [0, 2, 3, 3, 5], col_idx = [0, 1, 1, 0, 1]>
func.func @fwd(%x: memref<?x128xbf16>, %b: memref<5x64x64xbf16>, %y: memref<?x256xf32>) {
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x128xbf16>, memref<5x64x64xbf16>) outs(%y : memref<?x256xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 64, tile_k = 64, consumers = 1, stages = 3, cluster_m = 1, cluster_n = 1>}
  return
}

// 128 x 128 tiles: per k-tile eight m64n128k16 (two 64-row accumulators),
// each op waiting until at most 7 groups pend, and one wait for all after the
// loop; 128 accumulator registers per consumer thread, still no spills.
// MMA-LABEL: .entry m128_block_sparse_matmul(
// MMA-COUNT-8: wgmma.mma_async.sync.aligned.m64n128k16.f32.bf16.bf16
// MMA:       wgmma.wait_group.sync.aligned 7;
// MMA:       mbarrier.arrive.shared.b64
// MMA:       wgmma.wait_group.sync.aligned 0;
// MMA-NOT:   wgmma.mma_async
// PTXAS128:  Compiling entry function 'm128_block_sparse_matmul' for 'sm_90a'
// PTXAS128-NEXT: Function properties for m128_block_sparse_matmul
// PTXAS128-NEXT: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads

#l128 = #pixelfly.block_layout<shape = 256x256, block = 64x64, row_ptr = [0, 3, 6, 7, 8], col_idx = [0, 1, 3, 0, 1, 3, 2, 2]>
func.func @m128(%x: memref<?x256xbf16>, %b: memref<8x64x64xbf16>, %y: memref<?x256xf32>) {
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x256xbf16>, memref<8x64x64xbf16>) outs(%y : memref<?x256xf32>) layout(#l128) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 1, stages = 4, cluster_m = 1, cluster_n = 1>}
  return
}

// Without a configuration, the pipeline for sm_90a chooses the Hopper
// family for this product (pixelfly-gpu-config: bf16, 64-wide blocks;
// @fwd's layout, tiles of 128 x 64 over two consumer warpgroups).
// MMA-LABEL: .entry chosen_block_sparse_matmul(
// MMA-COUNT-8: wgmma.mma_async.sync.aligned.m64n64k16.f32.bf16.bf16
// PTXASC:    Compiling entry function 'chosen_block_sparse_matmul' for 'sm_90a'
// PTXASC-NEXT: Function properties for chosen_block_sparse_matmul
// PTXASC-NEXT: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
func.func @chosen(%x: memref<?x128xbf16>, %b: memref<5x64x64xbf16>, %y: memref<?x256xf32>) {
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x128xbf16>, memref<5x64x64xbf16>) outs(%y : memref<?x256xf32>) layout(#l)
  return
}

// Two consumer warpgroups on 128 x 256 tiles (every block of a 256 x 256
// weight): each holds a 64 x 256 accumulator (128 registers) after
// setmaxnreg gives it 232 registers and leaves the producer 40; ptxas
// honours it (the kernel also has .maxntid and .minnctapersm) and spills
// nothing.
// MMA-LABEL: .entry coop_block_sparse_matmul(
// MMA:       .maxntid 384, 1, 1
// MMA:       .minnctapersm 1
// MMA:       setmaxnreg.dec.sync.aligned.u32 40;
// MMA:       setmaxnreg.inc.sync.aligned.u32 232;
// MMA-COUNT-4: wgmma.mma_async.sync.aligned.m64n256k16.f32.bf16.bf16
// PTXAS2:    Compiling entry function 'coop_block_sparse_matmul' for 'sm_90a'
// PTXAS2-NEXT: Function properties for coop_block_sparse_matmul
// PTXAS2-NEXT: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
#dense = #pixelfly.block_layout<shape = 256x256, block = 64x64, row_ptr = [0, 4, 8, 12, 16], col_idx = [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3]>
func.func @coop(%x: memref<?x256xbf16>, %b: memref<16x64x64xbf16>, %y: memref<?x256xf32>) {
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x256xbf16>, memref<16x64x64xbf16>) outs(%y : memref<?x256xf32>) layout(#dense) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 256, tile_k = 64, consumers = 2, stages = 4, cluster_m = 1, cluster_n = 1>}
  return
}

// pixelfly.linear with a per-row gamma on two consumers: two accumulator
// sets of 64 x 128 (128 registers) per consumer thread, no spills. Its
// panel's first kernel (rank 32) on the family too: V MN-major in one
// 64-column box (imm-trans-b 1), m64n64k16, one consumer, no spills.
// MMA-LABEL: .entry lin_linear(
// MMA:       setmaxnreg.inc.sync.aligned.u32 232;
// MMA-LABEL: .entry lin_low_rank(
// MMA:       wgmma.mma_async.sync.aligned.m64n64k16.f32.bf16.bf16 {{.+}}, p, 1, {{ *}}1, 0, {{ *}}1;
// PTXASL:    Compiling entry function 'lin_linear' for 'sm_90a'
// PTXASL-NEXT: Function properties for lin_linear
// PTXASL-NEXT: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// PTXASPL:   Compiling entry function 'lin_low_rank' for 'sm_90a'
// PTXASPL-NEXT: Function properties for lin_low_rank
// PTXASPL-NEXT: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
#lin = #pixelfly.block_layout<shape = 256x256, block = 64x64, row_ptr = [0, 3, 6, 7, 7], col_idx = [0, 1, 3, 0, 1, 3, 2]>
func.func @lin(%x: memref<?x256xbf16>, %b: memref<7x64x64xbf16>, %u: memref<256x32xbf16>, %v: memref<256x32xbf16>, %g: memref<?xf32>, %y: memref<?x256xbf16>) {
  pixelfly.linear ins(%x, %b, %u, %v : memref<?x256xbf16>, memref<7x64x64xbf16>, memref<256x32xbf16>, memref<256x32xbf16>) gamma(%g : memref<?xf32>) outs(%y : memref<?x256xbf16>) layout(#lin)
  return
}

// A persistent grid of 132 thread blocks on 128 x 256 tiles: no spills.
// PTXASP:    Compiling entry function 'pers_block_sparse_matmul' for 'sm_90a'
// PTXASP-NEXT: Function properties for pers_block_sparse_matmul
// PTXASP-NEXT: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
func.func @pers(%x: memref<?x256xbf16>, %b: memref<16x64x64xbf16>, %y: memref<?x256xbf16>) {
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x256xbf16>, memref<16x64x64xbf16>) outs(%y : memref<?x256xbf16>) layout(#dense) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 256, tile_k = 64, consumers = 2, stages = 4, cluster_m = 1, cluster_n = 1, persistent = 132>}
  return
}

// The input gradient (the schedule the pipeline chooses): wgmma with an
// N-major B (its last immediate, imm-trans-b, is 1), no spills.
// MMA-LABEL: .entry grad_block_sparse_input_grad(
// MMA:       wgmma.mma_async.sync.aligned.m64n{{[0-9]+}}k16.f32.bf16.bf16 {{.+}}, p, 1, {{ *}}1, 0, {{ *}}1;
// PTXASG:    Compiling entry function 'grad_block_sparse_input_grad' for 'sm_90a'
// PTXASG-NEXT: Function properties for grad_block_sparse_input_grad
// PTXASG-NEXT: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
#grad = #pixelfly.block_layout<shape = 256x192, block = 64x64, row_ptr = [0, 2, 4, 5, 7], col_idx = [0, 1, 0, 1, 2, 0, 1]>
func.func @grad(%dy: memref<?x256xbf16>, %b: memref<7x64x64xbf16>, %dx: memref<?x192xbf16>) {
  pixelfly.block_sparse_input_grad ins(%dy, %b : memref<?x256xbf16>, memref<7x64x64xbf16>) outs(%dx : memref<?x192xbf16>) layout(#grad)
  return
}

// The weight gradient (the schedule the pipeline chooses: one 64 x 64
// block per thread block, one consumer): upstream's nvvm.wgmma.mma_async
// with both operands MN-major (imm-trans-a and imm-trans-b 1), no spills.
// MMA-LABEL: .entry wgrad_block_sparse_weight_grad(
// MMA:       wgmma.mma_async.sync.aligned.m64n64k16.f32.bf16.bf16 {{.+}}, p, 1, {{ *}}1, 1, {{ *}}1;
// PTXASW:    Compiling entry function 'wgrad_block_sparse_weight_grad' for 'sm_90a'
// PTXASW-NEXT: Function properties for wgrad_block_sparse_weight_grad
// PTXASW-NEXT: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
#wgrad = #pixelfly.block_layout<shape = 256x192, block = 64x64, row_ptr = [0, 2, 3, 3, 6], col_idx = [0, 2, 1, 0, 1, 2]>
func.func @wgrad(%dy: memref<?x256xbf16>, %x: memref<?x192xbf16>, %db: memref<6x64x64xbf16>) {
  pixelfly.block_sparse_weight_grad ins(%dy, %x : memref<?x256xbf16>, memref<?x192xbf16>) outs(%db : memref<6x64x64xbf16>) layout(#wgrad)
  return
}

// low_rank_matmul (the schedule the pipeline chooses): the Hopper panel
// kernel (rank 64: m64n64k16, V MN-major), then the Hopper kernel on the
// panel alone, no spills.
// MMA-LABEL: .entry lr_low_rank_matmul(
// MMA:       wgmma.mma_async.sync.aligned.m64n128k16.f32.bf16.bf16
// MMA-LABEL: .entry lr_low_rank(
// MMA:       wgmma.mma_async.sync.aligned.m64n64k16.f32.bf16.bf16 {{.+}}, p, 1, {{ *}}1, 0, {{ *}}1;
// PTXASR:    Compiling entry function 'lr_low_rank_matmul' for 'sm_90a'
// PTXASR-NEXT: Function properties for lr_low_rank_matmul
// PTXASR-NEXT: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// PTXASPR:   Compiling entry function 'lr_low_rank' for 'sm_90a'
// PTXASPR-NEXT: Function properties for lr_low_rank
// PTXASPR-NEXT: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
func.func @lr(%x: memref<?x1024xbf16>, %u: memref<4096x64xbf16>, %v: memref<1024x64xbf16>, %y: memref<?x4096xbf16>) {
  pixelfly.low_rank_matmul ins(%x, %u, %v : memref<?x1024xbf16>, memref<4096x64xbf16>, memref<1024x64xbf16>) outs(%y : memref<?x4096xbf16>)
  return
}

// The weight gradient in tiles of blocks (explicit configurations of a
// dense 512 x 1024 dW): 2 x 4 blocks over two consumers (m64n256k16 each,
// setmaxnreg: 168 registers with ptxas 13.0), and 1 x 4 on one consumer
// (128 accumulators per thread: 170 registers); no spills. ptxas compiles
// the second first.
// MMA-LABEL: .entry wgradtiles_block_sparse_weight_grad(
// MMA:       wgmma.mma_async.sync.aligned.m64n256k16.f32.bf16.bf16 {{.+}}, p, 1, {{ *}}1, 1, {{ *}}1;
// MMA-LABEL: .entry wgradtiles_block_sparse_weight_grad_1(
// MMA:       wgmma.mma_async.sync.aligned.m64n256k16.f32.bf16.bf16 {{.+}}, p, 1, {{ *}}1, 1, {{ *}}1;
// PTXASWT:   Compiling entry function 'wgradtiles_block_sparse_weight_grad_1' for 'sm_90a'
// PTXASWT-NEXT: Function properties for wgradtiles_block_sparse_weight_grad_1
// PTXASWT-NEXT: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// PTXASWT:   Compiling entry function 'wgradtiles_block_sparse_weight_grad' for 'sm_90a'
// PTXASWT-NEXT: Function properties for wgradtiles_block_sparse_weight_grad
// PTXASWT-NEXT: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
#wgtiles = #pixelfly.block_layout<shape = 512x1024, block = 64x64, row_ptr = [0, 16, 32, 48, 64, 80, 96, 112, 128], col_idx = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]>
func.func @wgradtiles(%dy: memref<?x512xbf16>, %x: memref<?x1024xbf16>, %db: memref<128x64x64xf32>) {
  pixelfly.block_sparse_weight_grad ins(%dy, %x : memref<?x512xbf16>, memref<?x1024xbf16>) outs(%db : memref<128x64x64xf32>) layout(#wgtiles) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 256, tile_k = 64, consumers = 2, stages = 4, cluster_m = 1, cluster_n = 1>}
  pixelfly.block_sparse_weight_grad ins(%dy, %x : memref<?x512xbf16>, memref<?x1024xbf16>) outs(%db : memref<128x64x64xf32>) layout(#wgtiles) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 256, tile_k = 64, consumers = 1, stages = 4, cluster_m = 1, cluster_n = 1>}
  return
}

// tma_store on 128 x 256 tiles of two consumers (bf16 output into a zero
// fill; 4 stages of 48 KB and two 16 KB stagings: 224 KB): the writes are
// st.shared of bf16 pairs, fenced for the async proxy; the warpgroup meets
// at a named barrier of 128 threads; one thread stores each box with a
// bulk tensor copy from shared memory and commits it; no spills.
// TMAST-LABEL: .entry tmast_block_sparse_matmul(
// TMAST:       st.shared.b32
// TMAST:       fence.proxy.async.shared::cta;
// TMAST:       cp.async.bulk.wait_group.read 0;
// TMAST:       bar.sync %r{{[0-9]+}}, 128;
// TMAST:       cp.async.bulk.tensor.2d.global.shared::cta.tile.bulk_group
// TMAST:       cp.async.bulk.commit_group;
// TMAST:       cp.async.bulk.wait_group 0;
// PTXAST:      Compiling entry function 'tmast_block_sparse_matmul' for 'sm_90a'
// PTXAST-NEXT: Function properties for tmast_block_sparse_matmul
// PTXAST-NEXT: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
func.func @tmast(%x: memref<?x256xbf16>, %b: memref<16x64x64xbf16>, %y: memref<?x256xbf16>) {
  %zero = arith.constant 0.0 : bf16
  linalg.fill ins(%zero : bf16) outs(%y : memref<?x256xbf16>)
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x256xbf16>, memref<16x64x64xbf16>) outs(%y : memref<?x256xbf16>) layout(#dense) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 256, tile_k = 64, consumers = 2, stages = 4, cluster_m = 1, cluster_n = 1, tma_store = true>}
  return
}

// tma_store on the 2:4 kernel, at pixelfly-gpu-config's tiles for it (128
// tokens x 256 features over two consumers; 3 stages of 64 KB and two
// 16 KB stagings: 224 KB), bf16 output into a zero fill: registers hold Y
// transposed, so the writes are single st.shared.b16; then the fence, the
// named barrier, one bulk tensor store per box; no spills.
// TMAST24-LABEL: .entry tmast24_two_four_matmul(
// TMAST24:       wgmma.mma_async.sp.sync.aligned.m64n128k32.f32.bf16.bf16
// TMAST24:       st.shared.b16
// TMAST24:       fence.proxy.async.shared::cta;
// TMAST24:       cp.async.bulk.wait_group.read 0;
// TMAST24:       bar.sync %r{{[0-9]+}}, 128;
// TMAST24:       cp.async.bulk.tensor.2d.global.shared::cta.tile.bulk_group
// TMAST24:       cp.async.bulk.commit_group;
// TMAST24:       cp.async.bulk.wait_group 0;
// PTXAST24:      Compiling entry function 'tmast24_two_four_matmul' for 'sm_90a'
// PTXAST24-NEXT: Function properties for tmast24_two_four_matmul
// PTXAST24-NEXT: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
func.func @tmast24(%x: memref<?x1024xbf16>, %v: memref<4096x512xbf16>, %m: memref<4096x64xi16>, %y: memref<?x4096xbf16>) {
  %zero = arith.constant 0.0 : bf16
  linalg.fill ins(%zero : bf16) outs(%y : memref<?x4096xbf16>)
  pixelfly.two_four_matmul ins(%x, %v, %m : memref<?x1024xbf16>, memref<4096x512xbf16>, memref<4096x64xi16>) outs(%y : memref<?x4096xbf16>) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 256, tile_k = 128, consumers = 2, stages = 3, cluster_m = 1, cluster_n = 1, tma_store = true>}
  return
}

// The same on a persistent grid of 132 thread blocks (one per SM of an
// H100 or H200): the tile loop around both roles; no spills.
// PTXASP24:      Compiling entry function 'pers24_two_four_matmul' for 'sm_90a'
// PTXASP24-NEXT: Function properties for pers24_two_four_matmul
// PTXASP24-NEXT: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
func.func @pers24(%x: memref<?x1024xbf16>, %v: memref<4096x512xbf16>, %m: memref<4096x64xi16>, %y: memref<?x4096xbf16>) {
  %zero = arith.constant 0.0 : bf16
  linalg.fill ins(%zero : bf16) outs(%y : memref<?x4096xbf16>)
  pixelfly.two_four_matmul ins(%x, %v, %m : memref<?x1024xbf16>, memref<4096x512xbf16>, memref<4096x64xi16>) outs(%y : memref<?x4096xbf16>) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 256, tile_k = 128, consumers = 2, stages = 3, cluster_m = 1, cluster_n = 1, persistent = 132, tma_store = true>}
  return
}

// A column product at the schedule the pipeline chooses: dY U of a
// GPT-2-medium MLP's rank-32 factor (U 4096 x 32 as one dense block column
// of 32 x 32 blocks), the Hopper one-block kernel (64 tokens, the weight
// MN-major in one 64-column box: m64n64k16 with imm-trans-b 1); no
// spills.
// COLUMN-LABEL: .entry column_block_sparse_input_grad(
// COLUMN:       .maxntid 256, 1, 1
// COLUMN:       cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes
// COLUMN:       wgmma.mma_async.sync.aligned.m64n64k16.f32.bf16.bf16 {{.+}}, p, 1, {{ *}}1, 0, {{ *}}1;
// PTXASCOL:      Compiling entry function 'column_block_sparse_input_grad' for 'sm_90a'
// PTXASCOL-NEXT: Function properties for column_block_sparse_input_grad
// PTXASCOL-NEXT: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
#column = #pixelfly.block_layout<shape = 4096x32, block = 32x32, row_ptr = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127, 128], col_idx = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]>
func.func @column(%dy: memref<?x4096xbf16>, %u: memref<128x32x32xbf16>, %t: memref<?x32xf32>) {
  pixelfly.block_sparse_input_grad ins(%dy, %u : memref<?x4096xbf16>, memref<128x32x32xbf16>) outs(%t : memref<?x32xf32>) layout(#column)
  return
}

// A column weight gradient at the schedule the pipeline chooses: dU =
// dY^T T of the same factor (4096 x 32, f32), written as 64 blocks of
// 64 x 32 with the tokens split: upstream's nvvm.wgmma.mma_async
// m64n64k16 with both operands MN-major; no spills.
// COLWG-LABEL: .entry colwg_block_sparse_weight_grad(
// COLWG:       wgmma.mma_async.sync.aligned.m64n64k16.f32.bf16.bf16 {{.+}}, p, 1, {{ *}}1, 1, {{ *}}1;
// PTXASCOLWG:      Compiling entry function 'colwg_block_sparse_weight_grad' for 'sm_90a'
// PTXASCOLWG-NEXT: Function properties for colwg_block_sparse_weight_grad
// PTXASCOLWG-NEXT: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
func.func @colwg(%dy: memref<?x4096xbf16>, %t: memref<?x32xbf16>, %du: memref<128x32x32xf32>) {
  pixelfly.block_sparse_weight_grad ins(%dy, %t : memref<?x4096xbf16>, memref<?x32xbf16>) outs(%du : memref<128x32x32xf32>) layout(#column)
  return
}
