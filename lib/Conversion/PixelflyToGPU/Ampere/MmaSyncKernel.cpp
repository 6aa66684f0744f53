//===- MmaSyncKernel.cpp - Ampere-family block-sparse kernels -------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Emits the gpu.func of one block-sparse product Y = init + X * W^T.
//
// A thread block computes rows [m0, m0 + tile_m) of one static tile: a run
// of up to tile_n / bm block rows that share their block columns. The
// reduction walks the tile's block columns, tile_k at a time; the B tile
// (tile_n x tile_k) is assembled from the blocks of the tile's rows, so W is
// never densified. Operand tiles go through a `stages`-deep cp.async ring
// in XOR-swizzled shared memory, ldmatrix x4 loads the fragments, and
// m16n8k16 mma.sync accumulates in f32. The tile list comes from constant
// tables indexed by blockIdx.x; nothing about the layout is decoded at run
// time.
//
// pixelfly.linear adds the low-rank term as an extra reduction panel: a
// first kernel stores T = (1 - g) (X V) (M x rank), then each tile's k-loop
// runs over its block columns and then over ceil(rank / tile_k) k-tiles of
// T against the tile's rows of U. Since g multiplies only the sparse part,
// the accumulators are scaled by g(row) in registers when the loop enters
// the panel (each thread knows the rows of its fragments); pre-scaling T by
// (1 - g) gives the low-rank part its weight without a second accumulator
// set or a division. pixelfly.low_rank_matmul is the panel alone: tiles of
// tile_n output rows, no blocks, T = X V.
//
// pixelfly.block_sparse_input_grad (dX = dY W) is the same kernel over the
// transposed layout: a tile is a run of block columns sharing their block
// rows, the reduction walks those block rows (A = dY), and the B tile is
// staged as the blocks store it (tile_k reduction rows, tile_n output
// columns contiguous), so its fragments come from ldmatrix .trans.
//
// pixelfly.block_sparse_weight_grad (dB_p = dY[:, r]^T X[:, c]) gives each
// stored block a thread block whose k-loop runs over the tokens; both
// operand tiles are token rows as stored (ragged M zero-filled) and both
// fragment kinds come from ldmatrix .trans.
//
//===----------------------------------------------------------------------===//

#include "Ampere/CpAsyncRing.h"
#include "Ampere/MmaSyncBuilderBase.h"
#include "Epilogue.h"
#include "KernelTables.h"
#include "MmaSyncPlan.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

using namespace mlir;
using namespace mlir::pixelfly;

namespace {

/// Where one thread's 16-byte share of an operand tile goes: a shared
/// memory row and swizzled column, its source row (clamped into bounds) and
/// how many source elements are valid (null: all of them).
struct CopySlot {
  Value row;
  Value sharedCol;
  Value globalColOffset;
  Value srcRow;
  Value srcElements;
  Value blockStart; ///< B only: index of the first block of the row
  Value panelRow;   ///< B with a panel: the row of U (clamped)
};

class KernelBuilder : public MmaSyncBuilderBase {
public:
  KernelBuilder(const MmaSyncPlan &plan, gpu::GPUFuncOp func,
                const KernelSignature &signature, const KernelSymbols &names)
      : MmaSyncBuilderBase(func.getLoc(), func.getContext()), plan(plan),
        func(func), signature(signature), names(names) {}

  void build();

private:
  Value swizzle(Value row, Value chunk) {
    return swizzle(row, chunk, plan.chunksPerRow);
  }
  Value swizzle(Value row, Value chunk, int64_t chunks) {
    return MmaSyncBuilderBase::swizzle(row, chunk, chunks, plan.copyElements);
  }

  void setUpSharedMemory();
  void loadTileInfo();
  void mapThreads();
  SmallVector<CopySlot> mapCopies(int64_t rows, bool isB);
  SmallVector<CopySlot> mapTransposedCopies();
  SmallVector<CopySlot> mapTokenCopies(int64_t width);
  void loadBlockInfo();
  Value issueTokenStage(Value stage, Value kTile);
  SmallVector<Value> loadTransposedA(Value stage, int64_t kStep);
  void buildBlockEpilogue(ValueRange acc);
  SmallVector<Value> loadTransposedB(Value stage, int64_t kStep);
  Value issueStage(Value stage, Value kTile);
  Value issueBlockStage(Value stage, Value kTile);
  Value issuePanelStage(Value stage, Value panelTile);
  SmallVector<Value> scaleBySparseWeight(Value kTile, ValueRange acc);
  Value gammaAt(Value row);
  SmallVector<Value> buildMainLoop();
  void appendBFragments(Value x4, SmallVectorImpl<Value> &frags);
  void forEachAccumulatorPair(ValueRange acc,
                              function_ref<void(Value, Value, Value)> fn);
  SmallVector<Value> loadA(Value stage, int64_t kStep);
  SmallVector<Value> loadB(Value stage, int64_t kStep);
  Value mma(Value a, Value bFrag, Value acc);
  VectorType fragType(int64_t regs) const;
  Value roundToTF32(Value frag);
  Value loadStaged(Value buffer, Value stage, Value row, Value col,
                   int64_t chunks);
  SmallVector<Value> loadTransposedATF32(Value stage, int64_t kStep);
  SmallVector<Value> loadTransposedBTF32(Value stage, int64_t kStep);
  Value mmaBF16(Value a, Value bFrag, Value acc);
  void buildEpilogue(ValueRange acc);

  const MmaSyncPlan &plan;
  gpu::GPUFuncOp func;
  const KernelSignature &signature;
  const KernelSymbols &names;
  Value x, blocks, init, sharedA, sharedB;
  Value t, u, gamma; ///< with a low-rank panel
  Value tid, numTokens, m0, n0, numRows, validCols, colBegin, numKTiles, tileId;
  Value numBlockKTiles; ///< k-tiles over block columns (before the panel)
  Value aCol0, bCol0;   ///< weight gradient: first column of dY and of X
  TokenRange tokens;    ///< weight gradient: the thread block's k-tiles
  Value block;          ///< weight gradient: the stored block of the tile
  Value lane, warpRow, warpCol;
  Value aLaneRow, aLaneChunk, bLaneRow, bLaneChunk, groupId, pairCol;
  SmallVector<CopySlot> copiesA, copiesB;
};

} // namespace

void KernelBuilder::setUpSharedMemory() {
  SmallVector<int64_t> shapeA{plan.stages(), plan.tileM(), plan.tileK()};
  SmallVector<int64_t> shapeB{plan.stages(), plan.tileN(), plan.tileK()};
  if (plan.isWeightGrad())
    std::swap(shapeA[1], shapeA[2]);
  if (plan.isInputGrad() || plan.isWeightGrad())
    std::swap(shapeB[1], shapeB[2]);
  std::tie(sharedA, sharedB) = createSharedRings(
      func, shapeA, shapeB, plan.elementType, plan.dynamicShared);
}

void KernelBuilder::loadTileInfo() {
  TileInfo info = pixelfly::loadTileInfo(*this, plan, names, tileId);
  n0 = info.n0;
  numRows = info.numRows;
  validCols = info.validCols;
  colBegin = info.colBegin;
  Value numCols = info.numCols;
  if (!plan.hasBlocks())
    numBlockKTiles = cst(0);
  else if (plan.stepsPerBlock == 1)
    numBlockKTiles = numCols;
  else
    numBlockKTiles = mul(numCols, cst(plan.stepsPerBlock));
  if (!plan.panel)
    numKTiles = numBlockKTiles;
  else if (!plan.hasBlocks())
    numKTiles = cst(plan.panel->kTiles);
  else
    numKTiles = add(numBlockKTiles, cst(plan.panel->kTiles));
}

void KernelBuilder::mapThreads() {
  tid = gpu::ThreadIdOp::create(b, gpu::Dimension::x);
  constants.setInsertionPoint(tid.getDefiningOp());
  tileId = gpu::BlockIdOp::create(b, gpu::Dimension::x);
  Value mTile = gpu::BlockIdOp::create(b, gpu::Dimension::y);
  numTokens = memref::DimOp::create(b, x, cst(0));
  m0 = mul(mTile, cst(plan.tileM()));
  if (plan.isWeightGrad())
    loadBlockInfo();
  else
    loadTileInfo();

  Value warp = div(tid, 32);
  lane = rem(tid, 32);
  warpRow = mul(div(warp, plan.mmaConfig().getWarpsN()), cst(plan.warpTileM));
  warpCol = mul(rem(warp, plan.mmaConfig().getWarpsN()), cst(plan.warpTileN));
  // ldmatrix x4: lane 8j + r gives row r of 8x8 matrix j. For A the
  // matrices are (rows 0-7 | 8-15) x (k 0-7 | 8-15), column-major; for B
  // two n8 tiles, each as (k 0-7, k 8-15): the .col fragment of B^T.
  aLaneRow = rem(lane, 16);
  aLaneChunk = div(lane, 16);
  bLaneRow = add(rem(lane, 8), mul(div(lane, 16), cst(8)));
  bLaneChunk = rem(div(lane, 8), 2);
  // mma C fragment: lane holds rows g and g + 8, columns 2t and 2t + 1.
  groupId = div(lane, 4);
  pairCol = mul(rem(lane, 4), cst(2));

  if (plan.isWeightGrad()) {
    copiesA = mapTokenCopies(plan.tileM());
    copiesB = mapTokenCopies(plan.tileN());
    return;
  }
  copiesA = mapCopies(plan.tileM(), /*isB=*/false);
  copiesB = plan.isInputGrad() ? mapTransposedCopies()
                               : mapCopies(plan.tileN(), /*isB=*/true);
}

/// Weight gradient: the tile is one block, whose row and column give the
/// first columns of dY and X; ceil(M / tile_k) k-tiles of tokens, or the
/// thread block's range of them.
void KernelBuilder::loadBlockInfo() {
  TileInfo info = pixelfly::loadTileInfo(*this, plan, names, tileId);
  aCol0 = mul(info.firstRow, cst(plan.layout.getBlockRows()));
  bCol0 = mul(loadIndex(getColsTable(*this, plan, names), {info.colBegin}),
              cst(plan.layout.getBlockCols()));
  block = loadIndex(getBlocksTable(*this, plan, names), {tileId, cst(0)});
  numKTiles = arith::CeilDivUIOp::create(b, numTokens, cst(plan.tileK()));
  tokens = splitTokens(numKTiles, plan.splits);
  numKTiles = tokens.numKTiles;
}

/// A `tile_k x width` tile of token rows (row major in chunks); the source
/// row depends on the k-tile and is set when the copy is issued.
SmallVector<CopySlot> KernelBuilder::mapTokenCopies(int64_t width) {
  SmallVector<CopySlot> slots;
  int64_t chunks = width / plan.copyElements;
  int64_t total = plan.tileK() * chunks;
  for (int64_t i = 0, e = llvm::divideCeil(total, plan.numThreads); i < e;
       ++i) {
    CopySlot s;
    Value chunkId = copyChunk(tid, i, total, plan.numThreads);
    s.row = div(chunkId, chunks);
    Value chunk = rem(chunkId, chunks);
    s.sharedCol = swizzle(s.row, chunk, chunks);
    s.globalColOffset = mul(chunk, cst(plan.copyElements));
    slots.push_back(s);
  }
  return slots;
}

/// Tokens [kTile * tile_k, + tile_k) of dY's and X's block columns; tokens
/// past M read zeros (from row 0) and add nothing.
Value KernelBuilder::issueTokenStage(Value stage, Value kTile) {
  Value first = mul(absoluteKTile(tokens, kTile), cst(plan.tileK()));
  auto width = b.getIndexAttr(plan.copyElements);
  SmallVector<Value> tokens;
  auto copy = [&](Value dst, const CopySlot &s, Value src, Value col0) {
    Value row = add(first, s.row);
    Value inside = ult(row, numTokens);
    Value srcRow = arith::SelectOp::create(b, inside, row, cst(0));
    Value elements =
        arith::SelectOp::create(b, inside, cst(plan.copyElements), cst(0));
    tokens.push_back(nvgpu::DeviceAsyncCopyOp::create(
        b, dst, ValueRange{stage, s.row, s.sharedCol}, src,
        ValueRange{srcRow, add(col0, s.globalColOffset)}, width, elements,
        b.getUnitAttr()));
  };
  for (const CopySlot &s : copiesA)
    copy(sharedA, s, x, aCol0);
  for (const CopySlot &s : copiesB)
    copy(sharedB, s, blocks, bCol0);
  return nvgpu::DeviceAsyncCreateGroupOp::create(b, tokens);
}

/// Thread t copies chunks t, t + T, ... of a `rows x tile_k` tile (row
/// major in chunks). Rows past M (A) or past the tile's last block row (B)
/// read zeros from an in-bounds address.
SmallVector<CopySlot> KernelBuilder::mapCopies(int64_t rows, bool isB) {
  SmallVector<CopySlot> slots;
  Value startTable;
  if (isB && plan.hasBlocks() && !plan.isInputGrad())
    startTable = getBlocksTable(*this, plan, names);
  int64_t total = rows * plan.chunksPerRow;
  for (int64_t i = 0, e = llvm::divideCeil(total, plan.numThreads); i < e;
       ++i) {
    CopySlot s;
    Value chunkId = copyChunk(tid, i, total, plan.numThreads);
    s.row = div(chunkId, plan.chunksPerRow);
    Value chunk = rem(chunkId, plan.chunksPerRow);
    s.sharedCol = swizzle(s.row, chunk);
    s.globalColOffset = mul(chunk, cst(plan.copyElements));
    Value full = cst(plan.copyElements), none = cst(0);
    if (!isB) {
      Value row = add(m0, s.row);
      Value inside = ult(row, numTokens);
      s.srcRow = arith::SelectOp::create(b, inside, row, m0);
      s.srcElements = arith::SelectOp::create(b, inside, full, none);
    } else {
      Value blockRow = div(s.row, plan.blockM());
      s.srcRow = rem(s.row, plan.blockM());
      if (startTable)
        s.blockStart = loadIndex(startTable, {tileId, blockRow});
      if (plan.panel)
        s.panelRow = add(n0, s.row);
      if (!plan.allTilesFull) {
        Value inside = ult(blockRow, numRows);
        s.srcElements = arith::SelectOp::create(b, inside, full, none);
        if (plan.panel)
          s.panelRow = arith::SelectOp::create(b, inside, s.panelRow, n0);
      }
    }
    slots.push_back(s);
  }
  return slots;
}

/// The transposed B tile (input gradient): tile_k rows of the reduction,
/// each tile_n output columns from the tile's blocks side by side. The slot
/// keeps the column within its block (globalColOffset) and which of the
/// tile's blocks (blockStart: 0, 1, ...); blocks past a partial tile read
/// zeros from block 0.
SmallVector<CopySlot> KernelBuilder::mapTransposedCopies() {
  // The same (k row, chunk) mapping as token tiles, with the tile-wide
  // column split into a block and a column within it.
  SmallVector<CopySlot> slots = mapTokenCopies(plan.tileN());
  for (CopySlot &s : slots) {
    Value col = s.globalColOffset;
    s.globalColOffset = rem(col, plan.blockM());
    s.blockStart = div(col, plan.blockM());
    if (!plan.allTilesFull) {
      Value inside = ult(s.blockStart, numRows);
      s.srcElements =
          arith::SelectOp::create(b, inside, cst(plan.copyElements), cst(0));
      s.blockStart = arith::SelectOp::create(b, inside, s.blockStart, cst(0));
    }
  }
  return slots;
}

/// Copies k-tile `kTile` of both operands into ring slot `stage` and
/// commits them as one group: a block column's slice, or past the block
/// columns a slice of the low-rank panel.
Value KernelBuilder::issueStage(Value stage, Value kTile) {
  if (plan.isWeightGrad())
    return issueTokenStage(stage, kTile);
  if (!plan.panel)
    return issueBlockStage(stage, kTile);
  if (!plan.hasBlocks())
    return issuePanelStage(stage, kTile);
  Type token = nvgpu::DeviceAsyncTokenType::get(b.getContext());
  auto ifOp = scf::IfOp::create(b, TypeRange{token}, ult(kTile, numBlockKTiles),
                                /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.thenBlock());
  scf::YieldOp::create(b, issueBlockStage(stage, kTile));
  b.setInsertionPointToStart(ifOp.elseBlock());
  Value panelTile = arith::SubIOp::create(b, kTile, numBlockKTiles);
  scf::YieldOp::create(b, issuePanelStage(stage, panelTile));
  return ifOp.getResult(0);
}

/// Columns [panelTile * tile_k, + tile_k) of T (A) and of the tile's rows
/// of U (B); chunks past the rank read zeros.
Value KernelBuilder::issuePanelStage(Value stage, Value panelTile) {
  int64_t rank = plan.panel->rank;
  Value kOffset = mul(panelTile, cst(plan.tileK()));
  auto width = b.getIndexAttr(plan.copyElements);
  auto copy = [&](Value dst, const CopySlot &s, Value src, Value srcRow) {
    Value col = add(kOffset, s.globalColOffset);
    Value elements = s.srcElements;
    if (rank % plan.tileK() != 0) {
      Value inRank = ult(col, cst(rank));
      Value full = elements ? elements : cst(plan.copyElements);
      elements = arith::SelectOp::create(b, inRank, full, cst(0));
      col = arith::SelectOp::create(b, inRank, col, cst(0));
    }
    return nvgpu::DeviceAsyncCopyOp::create(
        b, dst, ValueRange{stage, s.row, s.sharedCol}, src,
        ValueRange{srcRow, col}, width, elements, b.getUnitAttr());
  };
  SmallVector<Value> tokens;
  for (const CopySlot &s : copiesA)
    tokens.push_back(copy(sharedA, s, t, s.srcRow));
  for (const CopySlot &s : copiesB)
    tokens.push_back(copy(sharedB, s, u, s.panelRow));
  return nvgpu::DeviceAsyncCreateGroupOp::create(b, tokens);
}

Value KernelBuilder::issueBlockStage(Value stage, Value kTile) {
  Value block = kTile, kOffset = cst(0);
  if (plan.stepsPerBlock > 1) {
    block = div(kTile, plan.stepsPerBlock);
    kOffset = mul(rem(kTile, plan.stepsPerBlock), cst(plan.tileK()));
  }
  Value cols = getColsTable(*this, plan, names);
  Value blockCol = loadIndex(cols, {add(colBegin, block)});
  Value xCol = add(mul(blockCol, cst(plan.blockK())), kOffset);

  auto width = b.getIndexAttr(plan.copyElements);
  SmallVector<Value> tokens;
  for (const CopySlot &s : copiesA)
    tokens.push_back(nvgpu::DeviceAsyncCopyOp::create(
        b, sharedA, ValueRange{stage, s.row, s.sharedCol}, x,
        ValueRange{s.srcRow, add(xCol, s.globalColOffset)}, width,
        s.srcElements, b.getUnitAttr()));
  if (plan.isInputGrad()) {
    // The block of (reduction block row, the tile's first block column);
    // the tile's other columns follow it in CSR order.
    Value starts = getBlocksTable(*this, plan, names);
    Value first = loadIndex(starts, {add(colBegin, block)});
    for (const CopySlot &s : copiesB)
      tokens.push_back(nvgpu::DeviceAsyncCopyOp::create(
          b, sharedB, ValueRange{stage, s.row, s.sharedCol}, blocks,
          ValueRange{add(first, s.blockStart), add(kOffset, s.row),
                     s.globalColOffset},
          width, s.srcElements, b.getUnitAttr()));
  } else {
    for (const CopySlot &s : copiesB)
      tokens.push_back(nvgpu::DeviceAsyncCopyOp::create(
          b, sharedB, ValueRange{stage, s.row, s.sharedCol}, blocks,
          ValueRange{add(s.blockStart, block), s.srcRow,
                     add(kOffset, s.globalColOffset)},
          width, s.srcElements, b.getUnitAttr()));
  }
  return nvgpu::DeviceAsyncCreateGroupOp::create(b, tokens);
}

/// Splits an ldmatrix x4 result over two n8 tiles into their B fragments:
/// registers (0, 1) and (2, 3). By rows: extract_strided_slice on 2-D
/// vectors does not lower inside gpu modules.
void KernelBuilder::appendBFragments(Value x4, SmallVectorImpl<Value> &frags) {
  VectorType type = fragType(2);
  Value poison = ub::PoisonOp::create(b, type);
  for (int64_t h = 0; h < 2; ++h) {
    Value frag = poison;
    for (int64_t r = 0; r < 2; ++r) {
      Value reg = vector::ExtractOp::create(b, x4, 2 * h + r);
      frag = vector::InsertOp::create(b, reg, frag, r);
    }
    frags.push_back(frag);
  }
}

SmallVector<Value> KernelBuilder::loadA(Value stage, int64_t kStep) {
  VectorType type = fragType(4);
  SmallVector<Value> frags;
  for (int64_t mi = 0; mi < plan.mmaTilesM; ++mi) {
    Value row = add(add(warpRow, cst(16 * mi)), aLaneRow);
    Value col = swizzle(row, add(aLaneChunk, cst(2 * kStep)));
    frags.push_back(nvgpu::LdMatrixOp::create(
        b, type, sharedA, ValueRange{stage, row, col}, /*transpose=*/false,
        /*numTiles=*/4));
  }
  return frags;
}

/// ldmatrix .trans over the (k, n) tile: matrix j of an x4 is k rows
/// 8 (j % 2) .. + 7 of n columns 8 (j / 2) .. + 7; transposed, lane
/// 4g + t gets (k 2t, 2t + 1; n g): the .col B fragment. Registers (0, 1)
/// and (2, 3) are the fragments of two n8 tiles, as in loadB.
SmallVector<Value> KernelBuilder::loadTransposedB(Value stage, int64_t kStep) {
  if (plan.isTF32())
    return loadTransposedBTF32(stage, kStep);
  VectorType x4Type = fragType(4);
  int64_t chunks = plan.tileN() / plan.copyElements;
  Value laneRow = add(rem(lane, 8), mul(rem(div(lane, 8), 2), cst(8)));
  Value laneChunk = div(lane, 16);
  Value row = add(cst(16 * kStep), laneRow);
  SmallVector<Value> frags;
  for (int64_t p = 0; p < plan.mmaTilesN / 2; ++p) {
    Value chunk =
        add(div(add(warpCol, cst(16 * p)), plan.copyElements), laneChunk);
    Value col = swizzle(row, chunk, chunks);
    appendBFragments(nvgpu::LdMatrixOp::create(
                         b, x4Type, sharedB, ValueRange{stage, row, col},
                         /*transpose=*/true, /*numTiles=*/4),
                     frags);
  }
  return frags;
}

/// ldmatrix .trans over the (k, m) tile of the weight gradient: matrix j of
/// an x4 is k rows 8 (j / 2) .. + 7 of m columns 8 (j % 2) .. + 7, so the
/// registers are the A fragment (rows 0-7 | 8-15) x (k 0-7 | 8-15).
SmallVector<Value> KernelBuilder::loadTransposedA(Value stage, int64_t kStep) {
  if (plan.isTF32())
    return loadTransposedATF32(stage, kStep);
  VectorType type = fragType(4);
  int64_t chunks = plan.tileM() / plan.copyElements;
  Value laneRow = add(rem(lane, 8), mul(div(lane, 16), cst(8)));
  Value laneChunk = rem(div(lane, 8), 2);
  Value row = add(cst(16 * kStep), laneRow);
  SmallVector<Value> frags;
  for (int64_t mi = 0; mi < plan.mmaTilesM; ++mi) {
    Value chunk =
        add(div(add(warpRow, cst(16 * mi)), plan.copyElements), laneChunk);
    Value col = swizzle(row, chunk, chunks);
    frags.push_back(nvgpu::LdMatrixOp::create(
        b, type, sharedA, ValueRange{stage, row, col}, /*transpose=*/true,
        /*numTiles=*/4));
  }
  return frags;
}

/// One x4 load covers two n8 tiles (appendBFragments).
SmallVector<Value> KernelBuilder::loadB(Value stage, int64_t kStep) {
  VectorType x4Type = fragType(4);
  SmallVector<Value> frags;
  for (int64_t p = 0; p < plan.mmaTilesN / 2; ++p) {
    Value row = add(add(warpCol, cst(16 * p)), bLaneRow);
    Value col = swizzle(row, add(bLaneChunk, cst(2 * kStep)));
    appendBFragments(nvgpu::LdMatrixOp::create(
                         b, x4Type, sharedB, ValueRange{stage, row, col},
                         /*transpose=*/false, /*numTiles=*/4),
                     frags);
  }
  return frags;
}

Value KernelBuilder::mma(Value a, Value bFrag, Value acc) {
  if (plan.elementType.isBF16())
    return mmaBF16(a, bFrag, acc);
  if (plan.isTF32())
    return nvgpu::MmaSyncOp::create(b, a, bFrag, acc,
                                    ArrayRef<int64_t>{16, 8, 8},
                                    /*tf32Enabled=*/true);
  return nvgpu::MmaSyncOp::create(b, a, bFrag, acc,
                                  ArrayRef<int64_t>{16, 8, 16});
}

/// Registers of `regs` elements pairs (16-bit types) or single f32s.
VectorType KernelBuilder::fragType(int64_t regs) const {
  return VectorType::get({regs, 4 / plan.elementBytes}, plan.elementType);
}

/// f32 operands enter the tensor cores as TF32 rounded to nearest (ties
/// away), as cuBLAS does; the hardware would otherwise drop the low 13
/// mantissa bits.
Value KernelBuilder::roundToTF32(Value frag) {
  auto type = cast<VectorType>(frag.getType());
  SmallVector<Value> elems;
  for (int64_t i = 0; i < type.getDimSize(0); ++i) {
    Value v = vector::ExtractOp::create(b, frag, ArrayRef<int64_t>{i, 0});
    Value bits = NVVM::ConvertFloatToTF32Op::create(b, b.getI32Type(), v,
                                                    NVVM::FPRoundingMode::RNA);
    elems.push_back(arith::BitcastOp::create(b, b.getF32Type(), bits));
  }
  return vector::FromElementsOp::create(b, type, elems);
}

/// Element (row, col) of a staged tile whose rows hold `chunks` swizzled
/// 16-byte chunks.
Value KernelBuilder::loadStaged(Value buffer, Value stage, Value row, Value col,
                                int64_t chunks) {
  Value chunk = div(col, plan.copyElements);
  Value at = add(swizzle(row, chunk, chunks), rem(col, plan.copyElements));
  return memref::LoadOp::create(b, buffer, ValueRange{stage, row, at});
}

/// TF32 B fragments from the staged (k, n) tile: ldmatrix .trans moves
/// 16-bit elements only, so each thread reads its two elements, (k t, n g)
/// and (k t + 4, n g), of every n8 tile.
SmallVector<Value> KernelBuilder::loadTransposedBTF32(Value stage,
                                                      int64_t kStep) {
  int64_t chunks = plan.tileN() / plan.copyElements;
  Value k = add(cst(8 * kStep), rem(lane, 4));
  SmallVector<Value> frags;
  for (int64_t ni = 0; ni < plan.mmaTilesN; ++ni) {
    Value n = add(add(warpCol, cst(8 * ni)), groupId);
    Value b0 = loadStaged(sharedB, stage, k, n, chunks);
    Value b1 = loadStaged(sharedB, stage, add(k, cst(4)), n, chunks);
    frags.push_back(
        vector::FromElementsOp::create(b, fragType(2), ValueRange{b0, b1}));
  }
  return frags;
}

/// TF32 A fragments from the staged (k, m) tile of the weight gradient:
/// (m g, k t), (m g + 8, k t), (m g, k t + 4), (m g + 8, k t + 4).
SmallVector<Value> KernelBuilder::loadTransposedATF32(Value stage,
                                                      int64_t kStep) {
  int64_t chunks = plan.tileM() / plan.copyElements;
  Value k = add(cst(8 * kStep), rem(lane, 4));
  SmallVector<Value> frags;
  for (int64_t mi = 0; mi < plan.mmaTilesM; ++mi) {
    Value m = add(add(warpRow, cst(16 * mi)), groupId);
    SmallVector<Value> regs;
    for (int64_t r = 0; r < 4; ++r)
      regs.push_back(loadStaged(sharedA, stage, add(k, cst(4 * (r / 2))),
                                add(m, cst(8 * (r % 2))), chunks));
    frags.push_back(vector::FromElementsOp::create(b, fragType(4), regs));
  }
  return frags;
}

/// nvgpu.mma.sync cannot type bf16 operands in MLIR 22, so bf16 goes to
/// nvvm.mma.sync directly, with each pair of bf16 as one 32-bit register.
Value KernelBuilder::mmaBF16(Value a, Value bFrag, Value acc) {
  SmallVector<Value> regsA, regsB;
  for (int64_t i = 0; i < 4; ++i)
    regsA.push_back(pairAsI32(a, i));
  for (int64_t i = 0; i < 2; ++i)
    regsB.push_back(pairAsI32(bFrag, i));
  Type f32 = b.getF32Type();
  auto result =
      LLVM::LLVMStructType::getLiteral(b.getContext(), {f32, f32, f32, f32});
  Value d = NVVM::MmaOp::create(
      b, result, regsA, regsB, accumulatorRegisters(acc),
      ArrayRef<int64_t>{16, 8, 16}, std::nullopt, std::nullopt,
      std::array<NVVM::MMATypes, 2>{NVVM::MMATypes::bf16, NVVM::MMATypes::bf16},
      std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                     NVVM::MMALayout::col});
  return accumulatorOf(d);
}

/// The pipelined k-tile loop; each k-tile is tile_k / kPerStep steps of
/// fragment loads and mma (after the panel's gamma scaling, for linear).
SmallVector<Value> KernelBuilder::buildMainLoop() {
  auto accType = VectorType::get({2, 2}, b.getF32Type());
  Value zero = arith::ConstantOp::create(
      b, accType, DenseElementsAttr::get(accType, b.getF32FloatAttr(0.0f)));
  SmallVector<Value> inits(plan.mmaTilesM * plan.mmaTilesN, zero);
  auto issue = [&](Value stage, Value kTile) {
    return issueStage(stage, kTile);
  };
  auto compute = [&](Value stage, Value kTile, ValueRange accIn) {
    SmallVector<Value> acc(accIn);
    if (plan.panel && plan.hasBlocks())
      acc = scaleBySparseWeight(kTile, acc);
    for (int64_t kStep = 0; kStep < plan.tileK() / plan.kPerStep(); ++kStep) {
      SmallVector<Value> fragsA = plan.isWeightGrad()
                                      ? loadTransposedA(stage, kStep)
                                      : loadA(stage, kStep);
      SmallVector<Value> fragsB = plan.isInputGrad() || plan.isWeightGrad()
                                      ? loadTransposedB(stage, kStep)
                                      : loadB(stage, kStep);
      if (plan.isTF32()) {
        for (Value &f : fragsA)
          f = roundToTF32(f);
        for (Value &f : fragsB)
          f = roundToTF32(f);
      }
      for (int64_t mi = 0; mi < plan.mmaTilesM; ++mi)
        for (int64_t ni = 0; ni < plan.mmaTilesN; ++ni) {
          Value &c = acc[mi * plan.mmaTilesN + ni];
          c = mma(fragsA[mi], fragsB[ni], c);
        }
    }
    return acc;
  };
  return CpAsyncRing(*this, plan.stages())
      .loop(numKTiles, inits, issue, compute);
}

/// g(row) in f32: the constant, the scalar argument, or the per-row value
/// (rows past M read row 0; their results are never stored).
Value KernelBuilder::gammaAt(Value row) {
  const LowRankPanel &panel = *plan.gammaSource();
  if (panel.gammaKind == GammaKind::PerRow)
    row = arith::SelectOp::create(b, ult(row, numTokens), row, cst(0));
  return emitGamma(b, panel, gamma, row);
}

/// On entering the panel (k-tile numBlockKTiles, uniform over the block)
/// the accumulators hold the sparse product only: scale each row by g.
SmallVector<Value> KernelBuilder::scaleBySparseWeight(Value kTile,
                                                      ValueRange acc) {
  Value enter =
      arith::CmpIOp::create(b, arith::CmpIPredicate::eq, kTile, numBlockKTiles);
  auto ifOp = scf::IfOp::create(b, ValueRange(acc).getTypes(), enter,
                                /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.thenBlock());
  SmallVector<Value> scaled(acc);
  Value rowBase = add(add(m0, warpRow), groupId);
  for (int64_t mi = 0; mi < plan.mmaTilesM; ++mi) {
    // Rows g and g + 8 of the fragment: elements (0, *) and (1, *).
    Value g0 = gammaAt(add(rowBase, cst(16 * mi)));
    Value g1 = gammaAt(add(rowBase, cst(16 * mi + 8)));
    Value scale = vector::FromElementsOp::create(b, acc[0].getType(),
                                                 ValueRange{g0, g0, g1, g1});
    for (int64_t ni = 0; ni < plan.mmaTilesN; ++ni) {
      Value &c = scaled[mi * plan.mmaTilesN + ni];
      c = arith::MulFOp::create(b, c, scale);
    }
  }
  scf::YieldOp::create(b, scaled);
  b.setInsertionPointToStart(ifOp.elseBlock());
  scf::YieldOp::create(b, acc);
  return SmallVector<Value>(ifOp.getResults());
}

/// Calls `fn(row, col, part)` for every pair of accumulators of this
/// thread: `part` holds tile elements (row, col) and (row, col + 1).
void KernelBuilder::forEachAccumulatorPair(
    ValueRange acc, function_ref<void(Value, Value, Value)> fn) {
  Value rowBase = add(warpRow, groupId);
  Value colBase = add(warpCol, pairCol);
  for (int64_t mi = 0; mi < plan.mmaTilesM; ++mi)
    for (int64_t ni = 0; ni < plan.mmaTilesN; ++ni)
      for (int64_t h = 0; h < 2; ++h)
        fn(add(rowBase, cst(16 * mi + 8 * h)), add(colBase, cst(8 * ni)),
           vector::ExtractOp::create(b, acc[mi * plan.mmaTilesN + ni], h));
}

/// init[row, col:col+2] += accumulator row, for rows below M (and columns
/// of the tile's real block rows when the tile is partial).
void KernelBuilder::buildEpilogue(ValueRange acc) {
  EpilogueTail tail(plan.fused, func, signature);
  forEachAccumulatorPair(
      acc, [&](Value rowInTile, Value colInTile, Value part) {
        Value row = add(m0, rowInTile);
        auto ifOp = emitOutputGuard(b, row, numTokens, colInTile,
                                    plan.allTilesFull ? Value() : validCols);
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(ifOp.thenBlock());
        if (plan.epilogueGamma) {
          // T = (1 - g(row)) X V, scaled in f32 before the one rounding.
          Value one = arith::ConstantOp::create(b, b.getF32FloatAttr(1.0f));
          Value scale = arith::SubFOp::create(b, one, gammaAt(row));
          part = arith::MulFOp::create(
              b, part,
              vector::FromElementsOp::create(b, part.getType(),
                                             ValueRange{scale, scale}));
        }
        emitAccumulate(b, init, {row, add(n0, colInTile)}, part, plan.zeroInit,
                       &tail);
      });
}

/// Weight gradient: init[p, row, col:col+2] += accumulator row; the tile is
/// the block, so nothing is out of bounds.
void KernelBuilder::buildBlockEpilogue(ValueRange acc) {
  forEachAccumulatorPair(acc, [&](Value row, Value col, Value part) {
    emitAccumulate(b, init,
                   {outputBlock(tokens, block, plan.numBlocks()), row, col},
                   part, plan.zeroInit);
  });
}

void KernelBuilder::build() {
  auto arg = [&](KernelArg role) {
    return kernelArgument(func, signature, role);
  };
  x = arg({KernelArg::X});
  blocks = arg(plan.weightArg);
  t = arg({KernelArg::T});
  u = arg({KernelArg::U});
  init = arg(plan.initArg);
  gamma = arg({KernelArg::Gamma});
  b.setInsertionPointToStart(&func.getBody().front());
  if (plan.blocksArgType)
    blocks = memref::ExpandShapeOp::create(
        b, plan.blocksType, blocks,
        ArrayRef<ReassociationIndices>{{0, 1}, {2}});
  mapThreads();
  setUpSharedMemory();
  SmallVector<Value> acc = buildMainLoop();
  if (plan.isWeightGrad())
    buildBlockEpilogue(acc);
  else
    buildEpilogue(acc);
  gpu::ReturnOp::create(b);
}

KernelLaunch mlir::pixelfly::buildMmaSyncKernel(gpu::GPUModuleOp module,
                                                StringRef name,
                                                const MmaSyncPlan &plan,
                                                Location loc) {
  auto b = OpBuilder::atBlockEnd(module.getBody());
  KernelSymbols names(name);
  buildTileTables(b, loc, plan, names);
  KernelLaunch launch;
  launch.signature.add({KernelArg::X}, plan.xType);
  if (plan.hasBlocks())
    launch.signature.add(plan.weightArg, plan.blocksArgType ? plan.blocksArgType
                                                            : plan.blocksType);
  if (plan.panel) {
    launch.signature.add({KernelArg::T}, plan.panel->tType);
    launch.signature.add({KernelArg::U}, plan.panel->uType);
  }
  launch.signature.add(plan.initArg, plan.initType);
  if (const LowRankPanel *g = plan.gammaSource(); g && g->gammaType)
    launch.signature.add({KernelArg::Gamma}, g->gammaType);
  addEpilogueArguments(launch.signature, plan.fused);
  launch.kernel =
      createKernelFunc(module, name, launch.signature, plan.numThreads, loc);
  launch.gridX.count = plan.tiles.size();
  // The weight gradient's thread blocks each reduce over a range of M.
  if (plan.isWeightGrad())
    launch.gridY.count = plan.splits;
  else
    launch.gridY.perTokens = plan.tileM();
  launch.threads = plan.numThreads;
  launch.dynamicSharedBytes = plan.dynamicShared ? plan.sharedBytes : 0;
  KernelBuilder(plan, launch.kernel, launch.signature, names).build();
  return launch;
}
