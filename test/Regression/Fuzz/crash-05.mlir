// RUN: not pixelfly-opt %s -split-input-file -o /dev/null 2>&1 | FileCheck %s
// Was: layouts materialized from a flat butterfly with no size bound: "out of
// memory" while parsing (2^62 rows), or minutes of work on a
// 1048576 x 1048576 weight in blocks of 1.

// CHECK: error: cannot materialize flat butterfly: weight shape 4611686018427387904x1024 in blocks of 32 has 144115188075855872 x 32 blocks, more than the 16777216 a layout is built for
#l = #pixelfly.block_layout<shape = 4611686018427387904x1024, block = 32x32, source = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 1, block = 32>>
func.func @f() attributes {layout = #l} { return }

// -----

// CHECK: error: cannot materialize flat butterfly: weight shape 1048576x1048576 in blocks of 1 has 1048576 x 1048576 blocks
#l = #pixelfly.block_layout<shape = 1048576x1048576, block = 1x1, source = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 1, block = 1>>
func.func @f() attributes {layout = #l} { return }

// -----

// A mask much finer than the blocks: 4096 x 4096 mask entries per block.
// CHECK: error: cannot materialize flat butterfly: butterfly_size 1048576 is too fine for weight shape 1048576x1048576 in blocks of 4096: materializing would test more than 268435456 mask entries
#l = #pixelfly.block_layout<shape = 1048576x1048576, block = 4096x4096, source = #pixelfly.flat_butterfly<butterfly_size = 1048576, n_factors = 1, block = 4096>>
func.func @f() attributes {layout = #l} { return }
