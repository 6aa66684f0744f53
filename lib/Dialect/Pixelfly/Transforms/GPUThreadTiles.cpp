//===- GPUThreadTiles.cpp - Host parallel loops in blocks of 128 threads --===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// gpu-map-parallel-loops makes an outer parallel loop the grid and an inner
// one the thread block. Upstream's tiling takes one list of sizes for every
// loop, so no list suits loops of every rank: {1, 128} gives a 1-D loop
// blocks of one thread. Here the dimension that becomes threadIdx-fastest
// (the innermost one the mapping keeps) is tiled by 128, the others by 1.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"

namespace mlir::pixelfly {
#define GEN_PASS_DEF_PIXELFLYGPUTHREADTILES
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h.inc"
} // namespace mlir::pixelfly

using namespace mlir;

namespace {
/// Threads per block of the loops left to the GPU.
constexpr int64_t kThreadsPerBlock = 128;
/// gpu-map-parallel-loops maps this many dimensions to x, y and z; further
/// ones run sequentially.
constexpr unsigned kMappedDims = 3;

struct PixelflyGPUThreadTilesPass
    : public pixelfly::impl::PixelflyGPUThreadTilesBase<
          PixelflyGPUThreadTilesPass> {
  void runOnOperation() override {
    SmallVector<scf::ParallelOp> loops;
    getOperation().walk([&](scf::ParallelOp loop) {
      // Already nested: the mapping has its grid and block.
      if (loop->getParentOfType<scf::ParallelOp>())
        return;
      bool nested = false;
      loop.getBody()->walk([&](scf::ParallelOp) { nested = true; });
      if (nested)
        return;
      loops.push_back(loop);
    });
    for (scf::ParallelOp loop : loops) {
      unsigned rank = loop.getNumLoops();
      SmallVector<int64_t> sizes(rank, 1);
      sizes[std::min(rank, kMappedDims) - 1] = kThreadsPerBlock;
      scf::tileParallelLoop(loop, sizes, /*noMinMaxBounds=*/true);
    }
  }
};
} // namespace
