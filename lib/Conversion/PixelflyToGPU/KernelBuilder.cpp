//===- KernelBuilder.cpp - Tensor-core kernels for block-sparse products --===//
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
//===----------------------------------------------------------------------===//

#include "KernelPlan.h"

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

/// Bytes moved by one cp.async, and the f16/bf16 elements in it.
static constexpr int64_t kCopyElements = 8;

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
};

/// Names of the constant tables next to a kernel.
struct TableNames {
  std::string tiles, cols, blocks;
  explicit TableNames(StringRef kernel)
      : tiles((kernel + "_tiles").str()), cols((kernel + "_cols").str()),
        blocks((kernel + "_blocks").str()) {}
};

class KernelBuilder {
public:
  KernelBuilder(const KernelPlan &plan, gpu::GPUFuncOp func,
                const TableNames &names)
      : plan(plan), func(func), names(names),
        b(func.getLoc(), func.getContext()) {}

  void build();

private:
  // Index arithmetic; constants are hoisted to the kernel entry.
  Value cst(int64_t v);
  Value add(Value x, Value y) { return arith::AddIOp::create(b, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, x, y); }
  Value div(Value x, int64_t y) { return arith::DivUIOp::create(b, x, cst(y)); }
  Value rem(Value x, int64_t y) { return arith::RemUIOp::create(b, x, cst(y)); }
  Value ult(Value x, Value y) {
    return arith::CmpIOp::create(b, arith::CmpIPredicate::ult, x, y);
  }
  Value loadIndex(Value table, ValueRange indices);
  Value swizzle(Value row, Value chunk);

  void setUpSharedMemory();
  void loadTileInfo();
  void mapThreads();
  SmallVector<CopySlot> mapCopies(int64_t rows, bool isB);
  Value issueStage(Value stage, Value kTile);
  Value issueIf(Value cond, Value stage, Value kTile);
  SmallVector<Value> buildMainLoop();
  SmallVector<Value> loadA(Value stage, int64_t kStep);
  SmallVector<Value> loadB(Value stage, int64_t kStep);
  Value mma(Value a, Value bFrag, Value acc);
  Value mmaBF16(Value a, Value bFrag, Value acc);
  void buildEpilogue(ValueRange acc);

  const KernelPlan &plan;
  gpu::GPUFuncOp func;
  const TableNames &names;
  ImplicitLocOpBuilder b;
  OpBuilder constants{func.getContext()};
  DenseMap<int64_t, Value> constantCache;

  Value x, blocks, init, sharedA, sharedB;
  Value tid, numTokens, m0, n0, numRows, validCols, colBegin, numKTiles, tileId;
  Value lane, warpRow, warpCol;
  Value aLaneRow, aLaneChunk, bLaneRow, bLaneChunk, groupId, pairCol;
  SmallVector<CopySlot> copiesA, copiesB;
};

} // namespace

Value KernelBuilder::cst(int64_t v) {
  Value &c = constantCache[v];
  if (!c)
    c = arith::ConstantIndexOp::create(constants, b.getLoc(), v);
  return c;
}

Value KernelBuilder::loadIndex(Value table, ValueRange indices) {
  Value v = memref::LoadOp::create(b, table, indices);
  return arith::IndexCastOp::create(b, b.getIndexType(), v);
}

/// Element column of 16-byte chunk `chunk` of shared row `row`. The chunk
/// index is XORed with bits of the row so that the 8 rows an ldmatrix
/// phase reads (same logical chunk) land in 8 different 16-byte bank
/// groups: a row holds `chunksPerRow` chunks, `rowsPerLine` rows share a
/// 128-byte line.
Value KernelBuilder::swizzle(Value row, Value chunk) {
  int64_t chunks = plan.chunksPerRow;
  int64_t rowsPerLine = std::max<int64_t>(1, 8 / chunks);
  int64_t phases = std::min<int64_t>(chunks, 8);
  Value bits = rem(div(row, rowsPerLine), phases);
  Value swizzled = arith::XOrIOp::create(b, chunk, bits);
  return mul(swizzled, cst(kCopyElements));
}

void KernelBuilder::setUpSharedMemory() {
  MLIRContext *ctx = b.getContext();
  auto space = gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  auto typeA = MemRefType::get({plan.stages(), plan.tileM(), plan.tileK()},
                               plan.elementType, nullptr, space);
  auto typeB = MemRefType::get({plan.stages(), plan.tileN(), plan.tileK()},
                               plan.elementType, nullptr, space);
  if (!plan.dynamicShared) {
    // Static attributions, 128-byte aligned: cp.async and ldmatrix need
    // 16-byte aligned rows (the default would be 2).
    func.addWorkgroupAttribution(typeA, b.getLoc());
    func.addWorkgroupAttribution(typeB, b.getLoc());
    for (unsigned i = 0; i < 2; ++i)
      func.setWorkgroupAttributionAttr(i, "llvm.align",
                                       b.getI64IntegerAttr(128));
    sharedA = func.getWorkgroupAttributions()[0];
    sharedB = func.getWorkgroupAttributions()[1];
    return;
  }
  // Over 48 KB: views of the dynamic shared memory set by the launch.
  auto bytes =
      MemRefType::get({ShapedType::kDynamic}, b.getI8Type(), nullptr, space);
  Value base = gpu::DynamicSharedMemoryOp::create(b, bytes);
  int64_t bytesA = typeA.getNumElements() * 2;
  sharedA = memref::ViewOp::create(b, typeA, base, cst(0), ValueRange{});
  sharedB = memref::ViewOp::create(b, typeB, base, cst(bytesA), ValueRange{});
}

void KernelBuilder::loadTileInfo() {
  auto tilesType = MemRefType::get({static_cast<int64_t>(plan.tiles.size()), 4},
                                   b.getI32Type());
  Value tiles = memref::GetGlobalOp::create(b, tilesType, names.tiles);
  Value firstRow = loadIndex(tiles, {tileId, cst(0)});
  numRows = loadIndex(tiles, {tileId, cst(1)});
  colBegin = loadIndex(tiles, {tileId, cst(2)});
  Value numCols = loadIndex(tiles, {tileId, cst(3)});
  n0 = mul(firstRow, cst(plan.blockM()));
  validCols = mul(numRows, cst(plan.blockM()));
  numKTiles =
      plan.stepsPerBlock == 1 ? numCols : mul(numCols, cst(plan.stepsPerBlock));
}

void KernelBuilder::mapThreads() {
  tid = gpu::ThreadIdOp::create(b, gpu::Dimension::x);
  constants.setInsertionPoint(tid.getDefiningOp());
  tileId = gpu::BlockIdOp::create(b, gpu::Dimension::x);
  Value mTile = gpu::BlockIdOp::create(b, gpu::Dimension::y);
  numTokens = memref::DimOp::create(b, x, cst(0));
  m0 = mul(mTile, cst(plan.tileM()));
  loadTileInfo();

  Value warp = div(tid, 32);
  lane = rem(tid, 32);
  warpRow = mul(div(warp, plan.config.getWarpsN()), cst(plan.warpTileM));
  warpCol = mul(rem(warp, plan.config.getWarpsN()), cst(plan.warpTileN));
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

  copiesA = mapCopies(plan.tileM(), /*isB=*/false);
  copiesB = mapCopies(plan.tileN(), /*isB=*/true);
}

/// Thread t copies chunks t, t + T, ... of a `rows x tile_k` tile (row
/// major in chunks). Rows past M (A) or past the tile's last block row (B)
/// read zeros from an in-bounds address.
SmallVector<CopySlot> KernelBuilder::mapCopies(int64_t rows, bool isB) {
  SmallVector<CopySlot> slots;
  Value startTable;
  if (isB)
    startTable = memref::GetGlobalOp::create(
        b,
        MemRefType::get(
            {static_cast<int64_t>(plan.tiles.size()), plan.rowsPerTile},
            b.getI32Type()),
        names.blocks);
  int64_t perThread = rows * plan.chunksPerRow / plan.numThreads;
  for (int64_t i = 0; i < perThread; ++i) {
    CopySlot s;
    Value chunkId = add(tid, cst(i * plan.numThreads));
    s.row = div(chunkId, plan.chunksPerRow);
    Value chunk = rem(chunkId, plan.chunksPerRow);
    s.sharedCol = swizzle(s.row, chunk);
    s.globalColOffset = mul(chunk, cst(kCopyElements));
    Value full = cst(kCopyElements), none = cst(0);
    if (!isB) {
      Value row = add(m0, s.row);
      Value inside = ult(row, numTokens);
      s.srcRow = arith::SelectOp::create(b, inside, row, m0);
      s.srcElements = arith::SelectOp::create(b, inside, full, none);
    } else {
      Value blockRow = div(s.row, plan.blockM());
      s.srcRow = rem(s.row, plan.blockM());
      s.blockStart = loadIndex(startTable, {tileId, blockRow});
      if (!plan.allTilesFull) {
        Value inside = ult(blockRow, numRows);
        s.srcElements = arith::SelectOp::create(b, inside, full, none);
      }
    }
    slots.push_back(s);
  }
  return slots;
}

/// Copies k-tile `kTile` of both operands into ring slot `stage` and
/// commits them as one group.
Value KernelBuilder::issueStage(Value stage, Value kTile) {
  Value block = kTile, kOffset = cst(0);
  if (plan.stepsPerBlock > 1) {
    block = div(kTile, plan.stepsPerBlock);
    kOffset = mul(rem(kTile, plan.stepsPerBlock), cst(plan.tileK()));
  }
  int64_t totalCols = 0;
  for (const KernelTile &t : plan.tiles)
    totalCols += t.cols.size();
  Value cols = memref::GetGlobalOp::create(
      b, MemRefType::get({totalCols}, b.getI32Type()), names.cols);
  Value blockCol = loadIndex(cols, {add(colBegin, block)});
  Value xCol = add(mul(blockCol, cst(plan.blockK())), kOffset);

  auto width = b.getIndexAttr(kCopyElements);
  SmallVector<Value> tokens;
  for (const CopySlot &s : copiesA)
    tokens.push_back(nvgpu::DeviceAsyncCopyOp::create(
        b, sharedA, ValueRange{stage, s.row, s.sharedCol}, x,
        ValueRange{s.srcRow, add(xCol, s.globalColOffset)}, width,
        s.srcElements, b.getUnitAttr()));
  for (const CopySlot &s : copiesB)
    tokens.push_back(nvgpu::DeviceAsyncCopyOp::create(
        b, sharedB, ValueRange{stage, s.row, s.sharedCol}, blocks,
        ValueRange{add(s.blockStart, block), s.srcRow,
                   add(kOffset, s.globalColOffset)},
        width, s.srcElements, b.getUnitAttr()));
  return nvgpu::DeviceAsyncCreateGroupOp::create(b, tokens);
}

/// Issues a k-tile when `cond` holds, and commits an empty group otherwise:
/// one group per step keeps "wait_group(stages - 2)" meaning "the oldest
/// k-tile has landed" through the tail of the loop.
Value KernelBuilder::issueIf(Value cond, Value stage, Value kTile) {
  Type token = nvgpu::DeviceAsyncTokenType::get(b.getContext());
  auto ifOp = scf::IfOp::create(b, TypeRange{token}, cond,
                                /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.thenBlock());
  scf::YieldOp::create(b, issueStage(stage, kTile));
  b.setInsertionPointToStart(ifOp.elseBlock());
  scf::YieldOp::create(
      b, nvgpu::DeviceAsyncCreateGroupOp::create(b, ValueRange{}).getResult());
  return ifOp.getResult(0);
}

SmallVector<Value> KernelBuilder::loadA(Value stage, int64_t kStep) {
  auto type = VectorType::get({4, 2}, plan.elementType);
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

/// One x4 load covers two n8 tiles; registers (0, 1) and (2, 3) are their
/// B fragments. Split by rows: extract_strided_slice on 2-D vectors does
/// not lower inside gpu modules.
SmallVector<Value> KernelBuilder::loadB(Value stage, int64_t kStep) {
  auto x4Type = VectorType::get({4, 2}, plan.elementType);
  auto fragType = VectorType::get({2, 2}, plan.elementType);
  Value poison = ub::PoisonOp::create(b, fragType);
  SmallVector<Value> frags;
  for (int64_t p = 0; p < plan.mmaTilesN / 2; ++p) {
    Value row = add(add(warpCol, cst(16 * p)), bLaneRow);
    Value col = swizzle(row, add(bLaneChunk, cst(2 * kStep)));
    Value x4 = nvgpu::LdMatrixOp::create(b, x4Type, sharedB,
                                         ValueRange{stage, row, col},
                                         /*transpose=*/false, /*numTiles=*/4);
    for (int64_t h = 0; h < 2; ++h) {
      Value frag = poison;
      for (int64_t r = 0; r < 2; ++r) {
        Value reg = vector::ExtractOp::create(b, x4, 2 * h + r);
        frag = vector::InsertOp::create(b, reg, frag, r);
      }
      frags.push_back(frag);
    }
  }
  return frags;
}

Value KernelBuilder::mma(Value a, Value bFrag, Value acc) {
  if (plan.elementType.isBF16())
    return mmaBF16(a, bFrag, acc);
  return nvgpu::MmaSyncOp::create(b, a, bFrag, acc,
                                  ArrayRef<int64_t>{16, 8, 16});
}

/// nvgpu.mma.sync cannot type bf16 operands in MLIR 22, so bf16 goes to
/// nvvm.mma.sync directly, with each pair of bf16 as one 32-bit register.
Value KernelBuilder::mmaBF16(Value a, Value bFrag, Value acc) {
  auto pairAsI32 = [&](Value v, int64_t i) -> Value {
    Value pair = vector::ExtractOp::create(b, v, i);
    Value word = vector::BitCastOp::create(
        b, VectorType::get({1}, b.getI32Type()), pair);
    return vector::ExtractOp::create(b, word, 0);
  };
  SmallVector<Value> regsA, regsB, regsC;
  for (int64_t i = 0; i < 4; ++i)
    regsA.push_back(pairAsI32(a, i));
  for (int64_t i = 0; i < 2; ++i)
    regsB.push_back(pairAsI32(bFrag, i));
  for (int64_t i = 0; i < 4; ++i)
    regsC.push_back(
        vector::ExtractOp::create(b, acc, ArrayRef<int64_t>{i / 2, i % 2}));
  Type f32 = b.getF32Type();
  auto result =
      LLVM::LLVMStructType::getLiteral(b.getContext(), {f32, f32, f32, f32});
  Value d = NVVM::MmaOp::create(
      b, result, regsA, regsB, regsC, ArrayRef<int64_t>{16, 8, 16},
      std::nullopt, std::nullopt,
      std::array<NVVM::MMATypes, 2>{NVVM::MMATypes::bf16, NVVM::MMATypes::bf16},
      std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                     NVVM::MMALayout::col});
  SmallVector<Value> elems;
  for (int64_t i = 0; i < 4; ++i)
    elems.push_back(LLVM::ExtractValueOp::create(b, d, i));
  return vector::FromElementsOp::create(b, acc.getType(), elems);
}

/// The k-tile loop: wait for the oldest stage, refill the slot read in the
/// previous iteration, then tile_k / 16 steps of fragment loads and mma.
SmallVector<Value> KernelBuilder::buildMainLoop() {
  int64_t stages = plan.stages();
  auto accType = VectorType::get({2, 2}, b.getF32Type());
  Value zero = arith::ConstantOp::create(
      b, accType, DenseElementsAttr::get(accType, b.getF32FloatAttr(0.0f)));
  Value lastGroup;
  for (int64_t s = 0; s + 1 < stages; ++s)
    lastGroup = issueIf(ult(cst(s), numKTiles), cst(s), cst(s));

  SmallVector<Value> inits(plan.mmaTilesM * plan.mmaTilesN, zero);
  auto loop = scf::ForOp::create(b, cst(0), numKTiles, cst(1), inits);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  // The token only orders; numGroups carries the pipeline depth.
  nvgpu::DeviceAsyncWaitOp::create(b, lastGroup,
                                   b.getI32IntegerAttr(stages - 2));
  // Makes every thread's copies visible, and keeps the refill below from
  // overwriting the slot other warps read in the previous iteration.
  gpu::BarrierOp::create(b);
  Value kTile = loop.getInductionVar();
  Value stage = rem(kTile, stages);
  Value next = add(kTile, cst(stages - 1));
  issueIf(ult(next, numKTiles), rem(next, stages), next);

  SmallVector<Value> acc(loop.getRegionIterArgs());
  for (int64_t kStep = 0; kStep < plan.tileK() / 16; ++kStep) {
    SmallVector<Value> fragsA = loadA(stage, kStep);
    SmallVector<Value> fragsB = loadB(stage, kStep);
    for (int64_t mi = 0; mi < plan.mmaTilesM; ++mi)
      for (int64_t ni = 0; ni < plan.mmaTilesN; ++ni) {
        Value &c = acc[mi * plan.mmaTilesN + ni];
        c = mma(fragsA[mi], fragsB[ni], c);
      }
  }
  scf::YieldOp::create(b, acc);
  return SmallVector<Value>(loop.getResults());
}

/// init[row, col:col+2] += accumulator row, for rows below M (and columns
/// of the tile's real block rows when the tile is partial).
void KernelBuilder::buildEpilogue(ValueRange acc) {
  Type initElt = plan.initType.getElementType();
  auto pairType = VectorType::get({2}, initElt);
  auto accPairType = VectorType::get({2}, b.getF32Type());
  int64_t alignment = 2 * initElt.getIntOrFloatBitWidth() / 8;
  Value rowBase = add(add(m0, warpRow), groupId);
  Value colBase = add(warpCol, pairCol);
  for (int64_t mi = 0; mi < plan.mmaTilesM; ++mi) {
    for (int64_t ni = 0; ni < plan.mmaTilesN; ++ni) {
      for (int64_t h = 0; h < 2; ++h) {
        Value row = add(rowBase, cst(16 * mi + 8 * h));
        Value colInTile = add(colBase, cst(8 * ni));
        Value ok = ult(row, numTokens);
        if (!plan.allTilesFull)
          ok = arith::AndIOp::create(b, ok, ult(colInTile, validCols));
        auto ifOp = scf::IfOp::create(b, TypeRange{}, ok, false);
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(ifOp.thenBlock());
        Value col = add(n0, colInTile);
        Value part =
            vector::ExtractOp::create(b, acc[mi * plan.mmaTilesN + ni], h);
        auto old =
            vector::LoadOp::create(b, pairType, init, ValueRange{row, col});
        old.setAlignment(alignment);
        Value sum;
        if (initElt.isF32()) {
          sum = arith::AddFOp::create(b, old.getResult(), part);
        } else {
          Value wide = arith::ExtFOp::create(b, accPairType, old.getResult());
          sum = arith::TruncFOp::create(b, pairType,
                                        arith::AddFOp::create(b, wide, part));
        }
        auto store =
            vector::StoreOp::create(b, sum, init, ValueRange{row, col});
        store.setAlignment(alignment);
      }
    }
  }
}

void KernelBuilder::build() {
  Block &entry = func.getBody().front();
  x = entry.getArgument(0);
  blocks = entry.getArgument(1);
  init = entry.getArgument(2);
  b.setInsertionPointToStart(&entry);
  mapThreads();
  setUpSharedMemory();
  SmallVector<Value> acc = buildMainLoop();
  buildEpilogue(acc);
  gpu::ReturnOp::create(b);
}

/// The tile tables: per tile (first block row, rows, offset of its columns,
/// number of columns); the columns; and per (tile, row) the index of the
/// row's first block (block (r, j) is that plus j, CSR order). Rows past a
/// partial tile point at its first row; their copies read zeros.
static void buildTables(OpBuilder &b, Location loc, const KernelPlan &plan,
                        const TableNames &names) {
  int64_t numTiles = plan.tiles.size();
  SmallVector<int32_t> info, cols, starts;
  ArrayRef<int64_t> rowPtr = plan.layout.getRowPtr();
  for (const KernelTile &t : plan.tiles) {
    info.append({static_cast<int32_t>(t.firstBlockRow),
                 static_cast<int32_t>(t.numRows),
                 static_cast<int32_t>(cols.size()),
                 static_cast<int32_t>(t.cols.size())});
    for (int64_t c : t.cols)
      cols.push_back(c);
    for (int64_t r = 0; r < plan.rowsPerTile; ++r)
      starts.push_back(rowPtr[t.firstBlockRow + (r < t.numRows ? r : 0)]);
  }
  auto global = [&](StringRef name, ArrayRef<int64_t> shape,
                    ArrayRef<int32_t> data) {
    auto tensor = RankedTensorType::get(shape, b.getI32Type());
    memref::GlobalOp::create(b, loc, name, b.getStringAttr("private"),
                             MemRefType::get(shape, b.getI32Type()),
                             DenseIntElementsAttr::get(tensor, data),
                             /*constant=*/true,
                             /*alignment=*/IntegerAttr());
  };
  global(names.tiles, {numTiles, 4}, info);
  global(names.cols, {static_cast<int64_t>(cols.size())}, cols);
  global(names.blocks, {numTiles, plan.rowsPerTile}, starts);
}

gpu::GPUFuncOp mlir::pixelfly::buildKernel(gpu::GPUModuleOp module,
                                           StringRef name,
                                           const KernelPlan &plan,
                                           Location loc) {
  auto b = OpBuilder::atBlockEnd(module.getBody());
  TableNames names(name);
  buildTables(b, loc, plan, names);
  auto type =
      b.getFunctionType({plan.xType, plan.blocksType, plan.initType}, {});
  auto func = gpu::GPUFuncOp::create(b, loc, name, type);
  func->setAttr(gpu::GPUDialect::getKernelFuncAttrName(), b.getUnitAttr());
  func.setKnownBlockSizeAttr(
      b.getDenseI32ArrayAttr({static_cast<int32_t>(plan.numThreads), 1, 1}));
  KernelBuilder(plan, func, names).build();
  return func;
}
