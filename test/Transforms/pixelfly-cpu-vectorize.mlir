// RUN: pixelfly-opt %s --pixelfly-cpu-vectorize -split-input-file | FileCheck %s
// RUN: pixelfly-opt %s --pixelfly-cpu-vectorize="transpose-rhs=false" -split-input-file | FileCheck %s --check-prefix=NOPACK
// RUN: not pixelfly-opt %s --pixelfly-cpu-vectorize="tile-m=-1" -split-input-file 2>&1 | FileCheck %s --check-prefix=BAD

// BAD: error: pixelfly-cpu-vectorize: tile sizes must be positive
// RUN: not pixelfly-opt %s --pixelfly-cpu-vectorize="tile-m=1024" -split-input-file 2>&1 | FileCheck %s --check-prefix=WIDE
// RUN: not pixelfly-opt %s --pixelfly-cpu-vectorize="tile-m=64 tile-n=64 tile-k=64" -split-input-file 2>&1 | FileCheck %s --check-prefix=DEEP
// RUN: not pixelfly-opt %s --pixelfly-cpu-pipeline="tile-n=9223372036854775807" -split-input-file 2>&1 | FileCheck %s --check-prefix=HUGE
// Fuzz finding: tile-m=1024 unrolled into minutes of upstream conversion.
// The huge tile's tile_m is the host's (8 with AVX-512, 6 with AVX2).
// WIDE: error: pixelfly-cpu-vectorize: the tile 1024 x 32 x 8 is too large (at most 4096 accumulators, tile-m x tile-n, and 131072 multiply-adds)
// DEEP: error: pixelfly-cpu-vectorize: the tile 64 x 64 x 64 is too large
// HUGE: error: pixelfly-cpu-config: cpu_config tile {{[0-9]+}} x 9223372036854775807 x 8 must be positive with at most 4096 accumulators

// transpose-rhs=false: no copies, (n, k) tiles read as they are.
// NOPACK-NOT:   linalg.transpose
// NOPACK-NOT:   permutation_map
// NOPACK-LABEL: func.func @block(
// NOPACK:         vector.contract {{.+}} : vector<8x8xf16>, vector<32x8xf16> into vector<8x32xf32>

// A block matmul with a dynamic M: panels of 128 rows; in each, the
// (n, k) right operand packed to k x n by 8 x 8 register transposes, then
// loops over whole 8-row tiles and K tiles of 8 around a vector.contract,
// then the rest of the panel row by row, each row a vector.contract too.
// CHECK-LABEL: func.func @block(
// CHECK-SAME:      %[[X:.+]]: tensor<?x32xf16>, %[[B:.+]]: tensor<32x32xf16>, %[[ACC:.+]]: tensor<?x32xf32>)
// CHECK:         %[[C128:.+]] = arith.constant 128 : index
// CHECK:         %[[RES:.+]] = scf.for %{{.+}} = %{{.+}} to %{{.+}} step %[[C128]] iter_args(
// CHECK:           %[[ROWS:.+]] = affine.min
// CHECK:           %[[EMPTY:.+]] = tensor.empty() : tensor<32x32xf16>
// CHECK:           %[[PACKED:.+]] = scf.for {{.+}} iter_args(%{{.+}} = %[[EMPTY]])
// CHECK:             scf.for
// CHECK:               tensor.extract_slice %[[B]]{{.+}} to tensor<8x8xf16>
// CHECK:               vector.transfer_read {{.+}} {permutation_map = #{{.+}}} : tensor<8x8xf16>, vector<8x8xf16>
// CHECK:           %[[FULL:.+]] = affine.apply #{{.+}}()[%[[ROWS]]]
// CHECK:           %[[MAIN:.+]] = scf.for %{{.+}} = %{{.+}} to %[[FULL]] step %{{.+}} iter_args(
// CHECK:             scf.for
// CHECK:               tensor.extract_slice %[[PACKED]]{{.+}} to tensor<8x32xf16>
// CHECK:               vector.transfer_read {{.+}} : tensor<8x8xf16>, vector<8x8xf16>
// CHECK:               vector.transfer_read {{.+}} : tensor<8x32xf16>, vector<8x32xf16>
// CHECK:               vector.transfer_read {{.+}} : tensor<8x32xf32>, vector<8x32xf32>
// CHECK:               vector.contract {{.+}} : vector<8x8xf16>, vector<8x32xf16> into vector<8x32xf32>
// CHECK:               vector.transfer_write
// CHECK:           scf.for %{{.+}} = %[[FULL]] to %[[ROWS]] step %{{.+}} iter_args(%{{.+}} = %[[MAIN]])
// CHECK:             scf.for %{{.+}} = %{{.+}} to %{{.+}} step %[[C1:.+]] iter_args(
// CHECK:               scf.for
// CHECK:                 vector.transfer_read {{.+}} : tensor<1x8xf16>, vector<1x8xf16>
// CHECK:                 vector.contract {{.+}} : vector<1x8xf16>, vector<8x32xf16> into vector<1x32xf32>
// CHECK-NOT:     linalg.matmul
// CHECK:         return %[[RES]]
func.func @block(%x: tensor<?x32xf16>, %b: tensor<32x32xf16>, %acc: tensor<?x32xf32>) -> tensor<?x32xf32> {
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%x, %b : tensor<?x32xf16>, tensor<32x32xf16>) outs(%acc : tensor<?x32xf32>) -> tensor<?x32xf32>
  return %y : tensor<?x32xf32>
}

// -----

// Static sizes that the tiles divide: no remainder loop. N = 48 takes the
// largest divisor up to 32 (24).
// CHECK-LABEL: func.func @static_shape(
// CHECK-NOT:     linalg.matmul
// CHECK:         vector.contract {{.+}} : vector<8x8xf32>, vector<8x24xf32> into vector<8x24xf32>
// CHECK-NOT:     linalg.matmul
func.func @static_shape(%x: tensor<16x64xf32>, %w: tensor<64x48xf32>, %acc: tensor<16x48xf32>) -> tensor<16x48xf32> {
  %y = linalg.matmul ins(%x, %w : tensor<16x64xf32>, tensor<64x48xf32>) outs(%acc : tensor<16x48xf32>) -> tensor<16x48xf32>
  return %y : tensor<16x48xf32>
}

// -----

// Operands of different element types cannot form a vector.contract: the
// tile becomes multiplies and a reduction.
// CHECK-LABEL: func.func @mixed_types(
// CHECK:         arith.mulf {{.+}} : vector<8x32x8xf32>
// CHECK:         vector.multi_reduction <add>
func.func @mixed_types(%t: tensor<8x8xf32>, %u: tensor<32x8xbf16>, %acc: tensor<8x32xf32>) -> tensor<8x32xf32> {
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%t, %u : tensor<8x8xf32>, tensor<32x8xbf16>) outs(%acc : tensor<8x32xf32>) -> tensor<8x32xf32>
  return %y : tensor<8x32xf32>
}

// -----

// Memref forms are not touched.
// CHECK-LABEL: func.func @memref_form(
// CHECK:         linalg.matmul ins
// CHECK-NOT:     vector.
func.func @memref_form(%x: memref<16x64xf32>, %w: memref<64x48xf32>, %acc: memref<16x48xf32>) {
  linalg.matmul ins(%x, %w : memref<16x64xf32>, memref<64x48xf32>) outs(%acc : memref<16x48xf32>)
  return
}

// -----

// Y = X * W^T with N = 64: slices of 32 output columns, each slice of W
// packed once (k x n) for all the row tiles.
// CHECK-LABEL: func.func @dense_nt(
// CHECK-SAME:      %[[X:.+]]: tensor<16x64xf32>, %[[W:.+]]: tensor<64x64xf32>
// CHECK:         scf.for
// CHECK:           %[[WS:.+]] = tensor.extract_slice %[[W]][%{{.+}}, 0] [32, 64] [1, 1]
// CHECK:           tensor.empty() : tensor<64x32xf32>
// CHECK:           tensor.extract_slice %[[WS]]{{.+}} to tensor<8x8xf32>
// CHECK:           vector.transfer_read {{.+}} {permutation_map
// CHECK:           vector.contract {{.+}} : vector<8x8xf32>, vector<8x32xf32> into vector<8x32xf32>
// CHECK-NOT:     linalg.matmul
func.func @dense_nt(%x: tensor<16x64xf32>, %w: tensor<64x64xf32>, %acc: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%x, %w : tensor<16x64xf32>, tensor<64x64xf32>) outs(%acc : tensor<16x64xf32>) -> tensor<16x64xf32>
  return %y : tensor<16x64xf32>
}

// -----

// One row tile (M = 8): packing would cost as much as the product; the
// contraction reads W as it is.
// CHECK-LABEL: func.func @one_row_tile(
// CHECK-NOT:     linalg.transpose
// CHECK-NOT:     permutation_map
// CHECK:         vector.contract {{.+}} : vector<8x8xf32>, vector<32x8xf32> into vector<8x32xf32>
func.func @one_row_tile(%x: tensor<8x64xf32>, %w: tensor<32x64xf32>, %acc: tensor<8x32xf32>) -> tensor<8x32xf32> {
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
         ins(%x, %w : tensor<8x64xf32>, tensor<32x64xf32>) outs(%acc : tensor<8x32xf32>) -> tensor<8x32xf32>
  return %y : tensor<8x32xf32>
}

// -----

// The block matmuls of a block list (one row tile of one block row, in
// loops): the blocks tensor is transposed once, at the function's entry,
// in 1 x 8 x 8 register transposes, and every block is read as k x n.
// With parallel, that transposition (outside loops) is an scf.forall.
// RUN: pixelfly-opt %s --pixelfly-cpu-vectorize=parallel=true -split-input-file | FileCheck %s --check-prefix=PAR
// PAR-LABEL: func.func @blocks_in_loop(
// PAR:         scf.forall (%{{.+}}, %{{.+}}, %{{.+}}) = (0, 0, 0) to (4, 32, 32) step (1, 8, 8) shared_outs
// PAR:           vector.transfer_read {{.+}} {permutation_map
// PAR:         scf.for
// CHECK-LABEL: func.func @blocks_in_loop(
// CHECK-SAME:      %[[X:.+]]: tensor<8x64xf32>, %[[BLOCKS:.+]]: tensor<4x32x32xf32>
// CHECK:         %[[EMPTY:.+]] = tensor.empty() : tensor<4x32x32xf32>
// CHECK:         %[[T:.+]] = scf.for {{.+}} iter_args(%{{.+}} = %[[EMPTY]])
// CHECK:           tensor.extract_slice %[[BLOCKS]]{{.+}} [1, 8, 8] [1, 1, 1] : tensor<4x32x32xf32> to tensor<1x8x8xf32>
// CHECK:           vector.transfer_read {{.+}} {permutation_map
// CHECK:         scf.for %[[P:[a-z0-9_]+]] =
// CHECK:           %[[BLK:.+]] = tensor.extract_slice %[[T]][%[[P]], 0, 0] [1, 32, 32] [1, 1, 1] : tensor<4x32x32xf32> to tensor<32x32xf32>
// CHECK:           scf.for
// CHECK:             tensor.extract_slice %[[BLK]]{{.+}} to tensor<8x32xf32>
// CHECK:             vector.contract {{.+}} : vector<8x8xf32>, vector<8x32xf32> into vector<8x32xf32>
func.func @blocks_in_loop(%x: tensor<8x64xf32>, %blocks: tensor<4x32x32xf32>, %acc: tensor<8x32xf32>) -> tensor<8x32xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c32 = arith.constant 32 : index
  %r = scf.for %p = %c0 to %c2 step %c1 iter_args(%a = %acc) -> tensor<8x32xf32> {
    %k0 = arith.muli %p, %c32 : index
    %xs = tensor.extract_slice %x[0, %k0] [8, 32] [1, 1] : tensor<8x64xf32> to tensor<8x32xf32>
    %blk = tensor.extract_slice %blocks[%p, 0, 0] [1, 32, 32] [1, 1, 1] : tensor<4x32x32xf32> to tensor<32x32xf32>
    %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
           ins(%xs, %blk : tensor<8x32xf32>, tensor<32x32xf32>) outs(%a : tensor<8x32xf32>) -> tensor<8x32xf32>
    scf.yield %y : tensor<8x32xf32>
  }
  return %r : tensor<8x32xf32>
}

// -----

// Fills and elementwise generics become vector code: whole when the
// outer dimensions and a piece of at most 64 of the last fit in a register
// tile (the fill of an accumulator tile, which convert-pixelfly-to-linalg
// puts before the tile's blocks), else row by row, in pieces of the last
// dimension; with parallel, the rows of one outside loops are an
// scf.forall.
// CHECK-LABEL: func.func @elementwise(
// CHECK-SAME:      %[[V:[^:]+]]: f32
// CHECK:         %[[B:.+]] = vector.broadcast %[[V]] : f32 to vector<8x32xf32>
// CHECK:         vector.transfer_write %[[B]], %{{.+}} : vector<8x32xf32>, tensor<8x32xf32>
// CHECK:         scf.for
// CHECK:           %[[R:.+]] = vector.broadcast %[[V]] : f32 to vector<1x32xf32>
// CHECK:           vector.transfer_write %[[R]], %{{.+}} : vector<1x32xf32>, tensor<1x32xf32>
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             vector.transfer_write %{{.+}} : vector<1x64xf32>, tensor<1x64xf32>
// CHECK-NOT:     linalg.fill
// The epilogue of linear with a per-row gamma: gamma is broadcast along
// the row.
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             vector.transfer_read %{{.+}} : tensor<1xf32>, vector<1x64xf32>
// CHECK:             arith.mulf %{{.+}} : vector<1x64xf32>
// CHECK:             arith.addf %{{.+}} : vector<1x64xf32>
// A gather (tensor.extract in the body) is left as it is (on one thread).
// CHECK:         linalg.generic
// CHECK:           tensor.extract
// A generic writing through another map than the identity (a transpose)
// is left as it is, on any number of threads: its rows are not its
// result's rows.
// CHECK:         linalg.generic {indexing_maps = [#{{.+}}, #{{.+}}], iterator_types = ["parallel", "parallel"]} ins(%{{.+}} : tensor<128x64xf32>) outs(%{{.+}} : tensor<64x128xf32>)
// PAR-LABEL: func.func @elementwise(
// PAR:           vector.transfer_write %{{.+}} : vector<8x32xf32>, tensor<8x32xf32>
// PAR:           scf.forall (%{{.+}}) in (%{{.+}})
// PAR:             vector.transfer_write %{{.+}} : vector<1x32xf32>, tensor<1x32xf32>
// PAR:           scf.forall (%{{.+}}) in (128)
// PAR:             scf.for
// PAR:               vector.transfer_write %{{.+}} : vector<1x64xf32>, tensor<1x64xf32>
// PAR:           scf.forall (%{{.+}}) in (128)
// The gather stays scalar, by rows in parallel.
// PAR:           scf.forall (%{{.+}}) in (128)
// PAR:             linalg.generic {{.+}} outs(%{{.+}} : tensor<1x128xf32>)
// PAR:               tensor.extract
// PAR:           linalg.generic {{.+}} outs(%{{.+}} : tensor<64x128xf32>)
func.func @elementwise(%v: f32, %a: tensor<8x32xf32>, %b: tensor<?x32xf32>, %c: tensor<128x128xf32>,
                       %s: tensor<128x128xf32>, %g: tensor<128xf32>, %idx: tensor<128xindex>,
                       %t: tensor<128x64xf32>, %tt: tensor<64x128xf32>)
    -> (tensor<8x32xf32>, tensor<?x32xf32>, tensor<128x128xf32>, tensor<128x128xf32>, tensor<128x128xf32>, tensor<64x128xf32>) {
  %fa = linalg.fill ins(%v : f32) outs(%a : tensor<8x32xf32>) -> tensor<8x32xf32>
  %fb = linalg.fill ins(%v : f32) outs(%b : tensor<?x32xf32>) -> tensor<?x32xf32>
  %fc = linalg.fill ins(%v : f32) outs(%c : tensor<128x128xf32>) -> tensor<128x128xf32>
  %e = linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m)>, affine_map<(m, n) -> (m, n)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%s, %g : tensor<128x128xf32>, tensor<128xf32>) outs(%c : tensor<128x128xf32>) {
  ^bb0(%x: f32, %gm: f32, %acc: f32):
    %p = arith.mulf %gm, %x : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<128x128xf32>
  %gather = linalg.generic {indexing_maps = [affine_map<(m, n) -> (m)>, affine_map<(m, n) -> (m, n)>],
                            iterator_types = ["parallel", "parallel"]}
      ins(%idx : tensor<128xindex>) outs(%c : tensor<128x128xf32>) {
  ^bb0(%i: index, %acc: f32):
    %x = tensor.extract %s[%i, %i] : tensor<128x128xf32>
    linalg.yield %x : f32
  } -> tensor<128x128xf32>
  %tr = linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (n, m)>],
                        iterator_types = ["parallel", "parallel"]}
      ins(%t : tensor<128x64xf32>) outs(%tt : tensor<64x128xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  } -> tensor<64x128xf32>
  return %fa, %fb, %fc, %e, %gather, %tr : tensor<8x32xf32>, tensor<?x32xf32>, tensor<128x128xf32>, tensor<128x128xf32>, tensor<128x128xf32>, tensor<64x128xf32>
}

// -----

// A 1-D gather outside loops runs in pieces of 1024 elements on threads.
// CHECK-LABEL: func.func @gather_1d(
// CHECK-NOT:     scf.forall
// PAR-LABEL: func.func @gather_1d(
// PAR:         scf.forall (%{{.+}}) = (0) to (4096) step (1024)
// PAR:           tensor.extract
func.func @gather_1d(%src: tensor<4096xf32>, %idx: tensor<4096xindex>, %out: tensor<4096xf32>) -> tensor<4096xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      ins(%idx : tensor<4096xindex>) outs(%out : tensor<4096xf32>) {
  ^bb0(%i: index, %o: f32):
    %x = tensor.extract %src[%i] : tensor<4096xf32>
    linalg.yield %x : f32
  } -> tensor<4096xf32>
  return %r : tensor<4096xf32>
}

// -----

// A static M that the tile does not divide: whole 8-row tiles, then the
// static rest (M = 20: 4 rows) vectorized as one 4-row tile.
// CHECK-LABEL: func.func @static_ragged(
// CHECK:         scf.for %{{.+}} = %{{.+}} to %{{.+}} step %{{.+}}
// CHECK:           vector.contract {{.+}} : vector<8x8xf32>, vector<8x32xf32> into vector<8x32xf32>
// CHECK:         vector.contract {{.+}} : vector<4x8xf32>, vector<8x32xf32> into vector<4x32xf32>
// CHECK-NOT:     linalg.matmul
func.func @static_ragged(%x: tensor<20x64xf32>, %w: tensor<64x32xf32>, %acc: tensor<20x32xf32>) -> tensor<20x32xf32> {
  %y = linalg.matmul ins(%x, %w : tensor<20x64xf32>, tensor<64x32xf32>) outs(%acc : tensor<20x32xf32>) -> tensor<20x32xf32>
  return %y : tensor<20x32xf32>
}

// -----

// Tiles from the module's #pixelfly.cpu_config (AVX2's 6 x 16): 6-row
// tiles of 16 columns, the rest row by row; options win over it
// (tile-m=4 below).
// RUN: pixelfly-opt %s --pixelfly-cpu-vectorize -split-input-file | FileCheck %s --check-prefix=CONFIG
// RUN: pixelfly-opt %s --pixelfly-cpu-vectorize=tile-m=4 -split-input-file | FileCheck %s --check-prefix=CONFIG-OPT
// CONFIG-LABEL: func.func @from_config(
// CONFIG:         vector.contract {{.+}} : vector<6x8xf32>, vector<8x16xf32> into vector<6x16xf32>
// CONFIG:         vector.contract {{.+}} : vector<1x8xf32>, vector<8x16xf32> into vector<1x16xf32>
// CONFIG-NOT:     linalg.matmul
// CONFIG-OPT-LABEL: func.func @from_config(
// CONFIG-OPT:       vector.contract {{.+}} : vector<4x8xf32>, vector<8x16xf32> into vector<4x16xf32>
module attributes {pixelfly.cpu_config = #pixelfly.cpu_config<cpu = "x86-64-v3", vector_bits = 256, vector_registers = 16, tile_m = 6, tile_n = 16, tile_k = 8, panel_m = 126>} {
  func.func @from_config(%x: tensor<?x64xf32>, %w: tensor<64x32xf32>, %acc: tensor<?x32xf32>) -> tensor<?x32xf32> {
    %y = linalg.matmul ins(%x, %w : tensor<?x64xf32>, tensor<64x32xf32>) outs(%acc : tensor<?x32xf32>) -> tensor<?x32xf32>
    return %y : tensor<?x32xf32>
  }
}
