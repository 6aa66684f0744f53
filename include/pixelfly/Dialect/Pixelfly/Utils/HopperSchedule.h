//===- HopperSchedule.h - What the Hopper kernel family runs ----*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// The one statement of what the Hopper family (sm_90a: TMA, mbarriers,
// warpgroup MMA; lib/Conversion/PixelflyToGPU/Hopper) has kernels for.
// pixelfly-gpu-config chooses the family only where these accept, and
// convert-pixelfly-to-gpu plans a Hopper kernel only where they do, so the
// two cannot disagree.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_DIALECT_PIXELFLY_UTILS_HOPPERSCHEDULE_H
#define PIXELFLY_DIALECT_PIXELFLY_UTILS_HOPPERSCHEDULE_H

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyOps.h"

#include <algorithm>
#include <string>

namespace mlir::pixelfly {

/// f32 accumulators one consumer thread may hold (tile_m x tile_n over the
/// warpgroup's 128 threads), leaving the rest of its 255 registers for
/// addresses, descriptors and the epilogue.
inline constexpr int64_t kHopperMaxAccumulatorsPerThread = 128;

/// Most wgmma commit groups a consumer leaves pending: CUTLASS keeps
/// `wgmma.wait_group`'s N within 0-7 (the PTX ISA states no bound and ptxas
/// accepts more, but nothing shows the hardware honours it).
inline constexpr int64_t kHopperMaxPendingWgmmaGroups = 7;

/// 32-bit registers of a multiprocessor (sm_90a), shared by the threads of
/// the thread blocks it holds.
inline constexpr int64_t kHopperRegisterFile = 65536;

/// Registers a producer thread keeps when the consumers take the rest
/// (setmaxnreg): enough for its loop and the TMA coordinates.
inline constexpr int64_t kHopperProducerRegisters = 40;

/// setmaxnreg's count for each of `consumers` consumer warpgroups when the
/// producer warpgroup keeps kHopperProducerRegisters: the SM's 64K
/// registers shared out, a multiple of 8, at most 256.
inline int64_t hopperConsumerRegisters(int64_t consumers) {
  return std::min<int64_t>(
      256, (kHopperRegisterFile / 128 - kHopperProducerRegisters) / consumers /
               8 * 8);
}

/// Whether the family has a kernel for the product `op` (tensor or memref
/// form): the forward block-sparse product, pixelfly.linear (its low-rank
/// panel as extra k-tiles into accumulators of their own), low_rank_matmul
/// (the panel alone), the input
/// gradient (blocks 64 columns wide, read MN-major, or a column product:
/// isHopperColumnProduct), the weight gradient
/// (64 x 64 blocks, both operands MN-major, or a column product) and the
/// 2:4 product (sparse wgmma) of f16 or bf16 operands.
LogicalResult checkHopperProduct(Operation *op, std::string &why);

/// Whether `layout` makes a product a column product: one block column
/// whose blocks, one per block row in order, are a dense `N x w` matrix of
/// another width than the family's 64 columns (a training step's low-rank
/// factors at rank 32, as pixelfly-gpu-dense-products writes them). The
/// family reads such blocks (an input gradient's, as it runs the low-rank
/// panel's T = X V: checkHopperOneBlockSchedule) or writes them (a weight
/// gradient's: hopperColumnWeightGradLayout) as that one matrix, with
/// zeros past `w` in boxes of 64 columns.
bool isHopperColumnProduct(BlockLayoutAttr layout);

/// The layout the family's weight-gradient kernel writes a column
/// product's `N x w` output through: one block column of `64 x w` blocks
/// (the same bytes as the blocks stored); null where N is not a multiple
/// of 64.
BlockLayoutAttr hopperColumnWeightGradLayout(BlockLayoutAttr layout);

/// Whether the family can run `config` for a weight gradient that is a
/// column product over `layout` (hopperColumnWeightGradLayout), of
/// `elementType` operands: tile_m one or two 64-row blocks (a consumer
/// warpgroup each), tile_n the width rounded up to 64 (at most 256) whose
/// X boxes are 64 columns apart, rows of whole 16-byte units.
LogicalResult checkHopperColumnWeightGrad(HopperConfigAttr config,
                                          Type elementType,
                                          BlockLayoutAttr layout,
                                          std::string &why);

/// Accumulator sets a consumer of `op`'s Hopper kernel holds: two for
/// pixelfly.linear (the block part, scaled by gamma at the end, and the
/// low-rank panel), else one.
int64_t hopperAccumulatorSets(Operation *op);

/// Whether the family can run `config` on blocks of `blockM x blockK`
/// `elementType` values: the chip has wgmma, consumer warpgroups whose
/// accumulators fit, no clusters, a k-tile of one 128-byte row dividing
/// the block, blocks of whole 8-row swizzle atoms and TMA boxes of at most
/// 256 rows.
LogicalResult checkHopperSchedule(HopperConfigAttr config, Type elementType,
                                  int64_t blockM, int64_t blockK,
                                  int64_t accumulatorSets, std::string &why);

/// Whether the family can run `config` for a product of `elementType`
/// operands whose weight is one `k x width` block read as stored (the
/// one-block kernel: the low-rank panel's T = (1 - g) X V, and column
/// products): the weight is wgmma's MN-major B, read in boxes 64 columns
/// wide (zeros past the width), so tile_n is the width rounded up to 64
/// (at most 256); a k-tile is one 128-byte row dividing K; the weight's
/// rows are whole 16-byte units (a tensor map's row stride); one thread
/// block per tile_m tokens (no persistent grid), stores from registers.
LogicalResult checkHopperOneBlockSchedule(HopperConfigAttr config,
                                          Type elementType, int64_t k,
                                          int64_t width, std::string &why);

/// Columns of Y of element type `elt` in one box of the tma_store
/// epilogue: 64 rows of 128 bytes (lib/Conversion/PixelflyToGPU/Hopper/
/// TmaStore.h).
inline int64_t hopperStoreBoxColumns(Type elt) {
  return 128 / (elt.getIntOrFloatBitWidth() / 8);
}
/// Shared memory a consumer warpgroup of a tma_store kernel stages its
/// output through: two boxes of 64 rows of 128 bytes.
inline constexpr int64_t kHopperStagingBytesPerConsumer = 2 * 64 * 128;
/// Where a tma_store kernel's staging starts after `ringBytes` of ring: on
/// the 128-byte swizzle's 1024-byte period.
inline int64_t hopperStagingOffset(int64_t ringBytes) {
  return (ringBytes + 1023) / 1024 * 1024;
}
/// Shared memory of a Hopper kernel whose ring takes `ringBytes`, with
/// `tmaStore` the staging of its `consumers` warpgroups after it.
inline int64_t hopperSharedBytes(int64_t ringBytes, int64_t consumers,
                                 bool tmaStore) {
  return tmaStore ? hopperStagingOffset(ringBytes) +
                        consumers * kHopperStagingBytesPerConsumer
                  : ringBytes;
}
/// Whether a kernel under `config` with tma_store can store its output of
/// `outputElementType` through the staging: not a weight gradient (it adds
/// into blocks), tiles of whole boxes and, where a tile may stop among
/// them (`partialTiles`), blocks of `blockM` rows (0: no blocks) of whole
/// boxes.
LogicalResult checkHopperTmaStore(HopperConfigAttr config,
                                  Type outputElementType, bool weightGrad,
                                  int64_t blockM, bool partialTiles,
                                  std::string &why);
/// tile_n of the Hopper one-block kernel for a weight `width` columns
/// wide: whole 64-column boxes.
inline int64_t hopperOneBlockTileN(int64_t width) {
  return (width + 63) / 64 * 64;
}

/// Whether the family can run `config` for a 2:4 product of `n x k`
/// `elementType` weights. W is the sparse wgmma's A, so the roles of the
/// tile turn: the consumers split tile_n weight rows (features) in whole
/// 64-row wgmma tiles and tile_m tokens are wgmma's N; a k-tile is one
/// 128-byte row of compressed values (tile_k = 128 for 16-bit types).
LogicalResult checkHopperTwoFourSchedule(HopperConfigAttr config,
                                         Type elementType, int64_t n, int64_t k,
                                         std::string &why);

} // namespace mlir::pixelfly

#endif // PIXELFLY_DIALECT_PIXELFLY_UTILS_HOPPERSCHEDULE_H
