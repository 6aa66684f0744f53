//===- GPUThreadTiles.cpp - Host parallel loops as grids of 128 threads ---===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// convert-parallel-loops-to-gpu makes an outer parallel loop the grid and an
// inner one the thread block, following each loop's `mapping`. Upstream's
// tiling takes one list of sizes for every loop and gpu-map-parallel-loops
// gives dimensions 0, 1, 2 to x, y, z, so no choice suits loops of every
// rank and shape: a 3-D loop tiled by 128 along its last dimension asks for
// 128 threads along z, where a block has at most 64 (an invalid launch),
// and a last dimension of 64 leaves half of the threads idle. Here each
// loop gets its own tiles and mapping: threads x, y, z take the innermost
// dimensions (x the contiguous one), each a power of two covering its
// extent until the block has 128; the grid's x takes the dimension with
// the most tiles (a run-time one first), y and z the next, within CUDA's
// bounds; what is left runs sequentially. A loop whose size is known only
// at run time runs only when it has iterations (an empty grid is an invalid
// launch), and one with a second run-time dimension on the grid's y or z
// falls back to running that dimension sequentially when it has more tiles
// than the grid allows.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"
#include "pixelfly/Dialect/Pixelfly/Utils/GpuTarget.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/ParallelLoopMapper.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "llvm/Support/MathExtras.h"

namespace mlir::pixelfly {
#define GEN_PASS_DEF_PIXELFLYGPUTHREADTILES
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h.inc"
} // namespace mlir::pixelfly

using namespace mlir;
using namespace mlir::pixelfly;

namespace {
/// Threads per block of the loops left to the GPU.
constexpr int64_t kThreadsPerBlock = 128;
/// Hardware dimensions of a grid and of a block (x, y, z).
constexpr unsigned kHardwareDims = 3;

constexpr gpu::Processor kBlockIds[kHardwareDims] = {
    gpu::Processor::BlockX, gpu::Processor::BlockY, gpu::Processor::BlockZ};
constexpr gpu::Processor kThreadIds[kHardwareDims] = {
    gpu::Processor::ThreadX, gpu::Processor::ThreadY, gpu::Processor::ThreadZ};

/// Iterations of dimension `d` of `loop`, when its bounds and step are
/// constants.
std::optional<int64_t> tripCount(scf::ParallelOp loop, unsigned d) {
  std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound()[d]);
  std::optional<int64_t> ub = getConstantIntValue(loop.getUpperBound()[d]);
  std::optional<int64_t> step = getConstantIntValue(loop.getStep()[d]);
  if (!lb || !ub || !step || *step <= 0)
    return std::nullopt;
  return *ub <= *lb ? 0 : llvm::divideCeil(*ub - *lb, *step);
}

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

/// How one loop runs on the GPU: the threads of a block along each
/// dimension, and the processor each dimension of the grid and of the
/// block is mapped to.
struct LoopMapping {
  SmallVector<int64_t> threads;
  SmallVector<gpu::Processor> grid, block;
  /// Run-time dimensions on the grid's y or z: their number of tiles is
  /// checked before the launch.
  SmallVector<unsigned> checkedDims;
};

/// The mapping of a loop with `counts` iterations per dimension (none: known
/// at run time).
LoopMapping mapLoop(ArrayRef<std::optional<int64_t>> counts) {
  unsigned rank = counts.size();
  LoopMapping m;
  m.threads.assign(rank, 1);
  m.block.assign(rank, gpu::Processor::Sequential);
  m.grid.assign(rank, gpu::Processor::Sequential);

  // Threads: innermost dimension first, each a power of two covering its
  // extent (a run-time one takes what is left), so a small last dimension
  // leaves threads to the next one instead of idle.
  int64_t left = kThreadsPerBlock;
  for (unsigned i = 0; i < std::min(rank, kHardwareDims); ++i) {
    unsigned d = rank - 1 - i;
    int64_t want = counts[d] ? std::clamp<int64_t>(*counts[d], 1, left) : left;
    m.threads[d] =
        std::min<int64_t>({static_cast<int64_t>(llvm::PowerOf2Ceil(want)),
                           kMaxBlockDims[i], left});
    m.block[d] = kThreadIds[i];
    left /= m.threads[d];
  }

  // Grid: x (the largest bound) for the dimension with the most tiles, a
  // run-time one first; y and z for the next. Dimensions of one tile need
  // no processor.
  auto tilesOf = [&](unsigned d) -> int64_t {
    return counts[d] ? llvm::divideCeil(*counts[d], m.threads[d]) : INT64_MAX;
  };
  SmallVector<unsigned> order;
  for (unsigned d = 0; d < rank; ++d)
    if (tilesOf(d) > 1)
      order.push_back(d);
  llvm::stable_sort(
      order, [&](unsigned a, unsigned b) { return tilesOf(a) > tilesOf(b); });
  unsigned next = 0;
  for (unsigned d : order) {
    if (next == kHardwareDims)
      break;
    // A static number of tiles past the hardware's bound runs in a loop.
    if (counts[d] && tilesOf(d) > kMaxGridDims[next])
      continue;
    if (!counts[d] && next > 0)
      m.checkedDims.push_back(d);
    m.grid[d] = kBlockIds[next++];
  }
  return m;
}

void setMapping(scf::ParallelOp loop, ArrayRef<gpu::Processor> processors) {
  Builder b(loop.getContext());
  SmallVector<gpu::ParallelLoopDimMappingAttr> attrs;
  for (gpu::Processor p : processors)
    attrs.push_back(b.getAttr<gpu::ParallelLoopDimMappingAttr>(
        p, b.getDimIdentityMap(), b.getDimIdentityMap()));
  // Each processor is used once by construction.
  (void)gpu::setMappingAttr(loop, attrs);
}

void tileAndMap(scf::ParallelOp loop, const LoopMapping &m) {
  auto [grid, block] =
      scf::tileParallelLoop(loop, m.threads, /*noMinMaxBounds=*/true);
  setMapping(grid, m.grid);
  setMapping(block, m.block);
}

/// Whether each run-time dimension `m` puts on the grid's y or z has at most
/// as many tiles as the grid allows there.
Value fitsTheGrid(OpBuilder &b, scf::ParallelOp loop, const LoopMapping &m) {
  Location loc = loop.getLoc();
  Value fits;
  for (unsigned d : m.checkedDims) {
    Value extent = arith::SubIOp::create(b, loc, loop.getUpperBound()[d],
                                         loop.getLowerBound()[d]);
    Value tile = arith::MulIOp::create(
        b, loc, loop.getStep()[d],
        arith::ConstantIndexOp::create(b, loc, m.threads[d]));
    Value tiles = arith::CeilDivSIOp::create(b, loc, extent, tile);
    Value ok = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::sle, tiles,
        arith::ConstantIndexOp::create(
            b, loc, std::min(kMaxGridDims[1], kMaxGridDims[2])));
    fits = fits ? arith::AndIOp::create(b, loc, fits, ok) : ok;
  }
  return fits;
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
      if (loop.getNumLoops() == 0)
        continue;
      SmallVector<std::optional<int64_t>> counts;
      for (unsigned d = 0; d < loop.getNumLoops(); ++d)
        counts.push_back(tripCount(loop, d));
      guardEmpty(loop);
      LoopMapping m = mapLoop(counts);
      if (m.checkedDims.empty()) {
        tileAndMap(loop, m);
        continue;
      }
      // Too many tiles for y or z: the same loop with those dimensions in
      // a loop of their own.
      OpBuilder b(loop);
      auto check = scf::IfOp::create(b, loop.getLoc(), fitsTheGrid(b, loop, m),
                                     /*withElseRegion=*/true);
      b.setInsertionPoint(check.elseBlock()->getTerminator());
      auto fallback = cast<scf::ParallelOp>(b.clone(*loop));
      loop->moveBefore(check.thenBlock()->getTerminator());
      LoopMapping sequential = m;
      for (unsigned d : m.checkedDims)
        sequential.grid[d] = gpu::Processor::Sequential;
      sequential.checkedDims.clear();
      tileAndMap(loop, m);
      tileAndMap(fallback, sequential);
    }
  }
};
} // namespace
