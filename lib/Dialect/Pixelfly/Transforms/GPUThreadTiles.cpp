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
// A loop whose size is known only at run time runs only when it has
// iterations: an empty grid is an invalid launch.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
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

/// Puts a loop with a bound known only at run time under `scf.if` (every
/// dimension non-empty): with no iterations (no tokens) its grid would be
/// empty, an invalid launch.
void guardEmpty(scf::ParallelOp loop) {
  auto isConstant = [](Value v) { return getConstantIntValue(v).has_value(); };
  if (llvm::all_of(loop.getLowerBound(), isConstant) &&
      llvm::all_of(loop.getUpperBound(), isConstant))
    return;
  OpBuilder b(loop);
  Location loc = loop.getLoc();
  Value every;
  for (auto [lb, ub] : llvm::zip(loop.getLowerBound(), loop.getUpperBound())) {
    Value nonEmpty =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, lb, ub);
    every = every ? arith::AndIOp::create(b, loc, every, nonEmpty) : nonEmpty;
  }
  auto guard = scf::IfOp::create(b, loc, every, /*withElseRegion=*/false);
  loop->moveBefore(guard.thenBlock()->getTerminator());
}

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
      guardEmpty(loop);
      unsigned rank = loop.getNumLoops();
      SmallVector<int64_t> sizes(rank, 1);
      sizes[std::min(rank, kMappedDims) - 1] = kThreadsPerBlock;
      scf::tileParallelLoop(loop, sizes, /*noMinMaxBounds=*/true);
    }
  }
};
} // namespace
