// RUN: pixelfly-opt --pixelfly-gpu-config %s -o /dev/null 2>&1 | FileCheck %s
// Fuzz finding (smoke campaign, seed 1, run 700, from
// test/Transforms/pixelfly-gpu-config.mlir#10 with 2048 -> 2^62): SIGFPE in
// rowsPerTile, whose loop bound k * bm overflowed for 2^62-row blocks until
// k wrapped to 0. The bound is now a division; such blocks get a remark.

// CHECK: remark: pixelfly-gpu-config: left without a GPU configuration: blocks of 4611686018427387904 x 4611686018427387904 (a tile is a whole number of blocks, at most 1024 wide)
// CHECK: remark: pixelfly-gpu-config: left without a GPU configuration: blocks of 4611686018427387904 x 4611686018427387904 (the weight gradient's tile is one block, at most 1024 each way)
#l2k = #pixelfly.block_layout<shape = 4611686018427387904x4611686018427387904, block = 4611686018427387904x4611686018427387904, row_ptr = [0, 1], col_idx = [0]>
func.func @huge_blocks(%x: tensor<64x4611686018427387904xf16>, %b: tensor<1x4611686018427387904x4611686018427387904xf16>, %y: tensor<64x4611686018427387904xf32>, %db: tensor<1x4611686018427387904x4611686018427387904xf32>) -> (tensor<64x4611686018427387904xf32>, tensor<1x4611686018427387904x4611686018427387904xf32>) {
  %f = pixelfly.block_sparse_matmul ins(%x, %b : tensor<64x4611686018427387904xf16>, tensor<1x4611686018427387904x4611686018427387904xf16>) outs(%y : tensor<64x4611686018427387904xf32>) layout(#l2k) -> tensor<64x4611686018427387904xf32>
  %w = pixelfly.block_sparse_weight_grad ins(%x, %x : tensor<64x4611686018427387904xf16>, tensor<64x4611686018427387904xf16>) outs(%db : tensor<1x4611686018427387904x4611686018427387904xf32>) layout(#l2k) -> tensor<1x4611686018427387904x4611686018427387904xf32>
  return %f, %w : tensor<64x4611686018427387904xf32>, tensor<1x4611686018427387904x4611686018427387904xf32>
}
