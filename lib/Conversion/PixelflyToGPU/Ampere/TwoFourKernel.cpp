//===- TwoFourKernel.cpp - Ampere-family 2:4 product kernels --------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Y = init + X W^T with W 2:4-sparse along K, on mma.sp m16n8k32. The
// sparse tensor cores take the sparse matrix only as the left operand, so
// the kernel computes Y^T = W X^T: A is 16 rows of W (16 compressed values
// per 32 columns, plus their metadata), B is 8 tokens of X (rows of X are
// the .col B operand as stored), and the accumulators are written back
// transposed.
//
// A thread block computes tile_n features x tile_m tokens of Y^T; warps
// split the features (warps_n) and the tokens (warps_m). The compressed
// values (tile_n x tile_k / 2) and X (tile_m x tile_k) go through a
// `stages`-deep cp.async ring in XOR-swizzled shared memory and are read
// with ldmatrix x4: a 16 x 16 tile of compressed values is the A fragment
// of mma.sp m16n8k32 (laid out as a dense m16n8k16 A), and an x4 over 8
// tokens x 32 columns is its B fragment. The metadata word of each thread
// comes from global memory: from a table in the order mma.sp reads it
// (patterns::metadataForMma16832), built at compile time when the metadata
// is a constant, or else assembled from two 16-bit words of the op's
// row-major metadata.
//
//===----------------------------------------------------------------------===//

#include "Ampere/CpAsyncRing.h"
#include "Ampere/MmaSyncBuilderBase.h"
#include "Ampere/MmaSyncPlan.h"
#include "Ampere/TwoFourKernel.h"
#include "Epilogue.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::pixelfly;

/// f16/bf16 elements in one 16-byte cp.async chunk.
static constexpr int64_t kChunk = 8;

static std::string str(int64_t v) { return std::to_string(v); }

FailureOr<TwoFourPlan> mlir::pixelfly::planTwoFour(TwoFourMatmulOp op,
                                                   GpuConfigAttr config,
                                                   std::string &why) {
  FailureOr<TwoFourProduct> product =
      describeTwoFour(op, "mma.sp m16n8k32", why);
  if (failed(product))
    return failure();
  TwoFourPlan plan;
  static_cast<TwoFourProduct &>(plan) = std::move(*product);
  plan.config = config;
  GpuConfigAttr c = config;
  std::optional<GpuTarget> target =
      mmaSyncTarget(c.getChip(), "mma.sp m16n8k32", why);
  if (!target)
    return failure();
  int64_t tk = c.getTileK();
  if (tk % 32 != 0 || !llvm::isPowerOf2_64(tk) || plan.k % tk != 0) {
    why = "tile_k " + str(tk) +
          " (a power of two, a multiple of 32, dividing K = " + str(plan.k) +
          " is needed)";
    return failure();
  }
  if (plan.n % c.getTileN() != 0) {
    why = "N = " + str(plan.n) + " is not a multiple of tile_n " +
          str(c.getTileN());
    return failure();
  }
  plan.numThreads = c.getNumThreads();
  plan.featuresPerWarp = c.getTileN() / c.getWarpsN();
  plan.tokensPerWarp = c.getTileM() / c.getWarpsM();
  if (plan.featuresPerWarp % 16 != 0 || plan.tokensPerWarp % 8 != 0) {
    why = "warp tile of " + str(plan.featuresPerWarp) + " features x " +
          str(plan.tokensPerWarp) +
          " tokens (mma.sp takes 16 weight rows and 8 tokens)";
    return failure();
  }
  plan.mmaTilesF = plan.featuresPerWarp / 16;
  plan.mmaTilesT = plan.tokensPerWarp / 8;
  plan.sharedBytes =
      c.getStages() * (c.getTileN() * tk / 2 + c.getTileM() * tk) * 2;
  if (failed(checkSharedMemory(*target, plan.sharedBytes, plan.dynamicShared,
                               why)))
    return failure();
  return plan;
}

namespace {

/// Where one thread's 16-byte share of an operand tile goes, and where it
/// comes from (null srcElements: always all of it).
struct Slot {
  Value row, sharedCol, globalColOffset, srcRow, srcElements;
};

class TwoFourKernelBuilder : public MmaSyncBuilderBase {
public:
  TwoFourKernelBuilder(const TwoFourPlan &plan, gpu::GPUFuncOp func,
                       const KernelSignature &signature,
                       StringRef metadataTable)
      : MmaSyncBuilderBase(func.getLoc(), func.getContext()), plan(plan),
        func(func), signature(signature), metadataTable(metadataTable) {}

  void build();

private:
  /// 16-byte chunks in a shared row of compressed values and of X.
  int64_t chunksA() const { return plan.tileK() / 2 / kChunk; }
  int64_t chunksB() const { return plan.tileK() / kChunk; }

  void setUpSharedMemory();
  SmallVector<Slot> mapCopies(int64_t rows, int64_t chunks, bool tokens);
  Value issueStage(Value stage, Value kTile);
  Value loadMetadata(Value kTile, int64_t step, int64_t mi);
  SmallVector<Value> loadTiles(Value buffer, Value stage, Value first,
                               int64_t rowStep, int64_t count, Value laneRow,
                               Value chunk, int64_t chunks);
  SmallVector<Value> loadA(Value stage, int64_t step);
  SmallVector<Value> loadB(Value stage, int64_t step);
  Value mmaSparse(Value a, Value bFrag, Value acc, Value metadata);
  void buildEpilogue(ValueRange acc);

  const TwoFourPlan &plan;
  gpu::GPUFuncOp func;
  const KernelSignature &signature;
  StringRef metadataTable;

  Value x, values, metadata, init, sharedA, sharedB;
  Value tid, lane, groupId, numTokens, n0, m0, warpFeat, warpTok;
  SmallVector<Slot> copiesA, copiesB;
};

} // namespace

void TwoFourKernelBuilder::setUpSharedMemory() {
  std::tie(sharedA, sharedB) = createSharedRings(
      func, {plan.stages(), plan.tileFeatures(), plan.tileK() / 2},
      {plan.stages(), plan.tileTokens(), plan.tileK()}, plan.elementType,
      plan.dynamicShared);
}

/// Thread t copies chunks t, t + T, ... of a `rows x chunks` tile. Token
/// rows past M read zeros from an in-bounds row.
SmallVector<Slot> TwoFourKernelBuilder::mapCopies(int64_t rows, int64_t chunks,
                                                  bool tokens) {
  SmallVector<Slot> slots;
  int64_t total = rows * chunks;
  for (int64_t i = 0, e = llvm::divideCeil(total, plan.numThreads); i < e;
       ++i) {
    Slot s;
    Value id = copyChunk(tid, i, total, plan.numThreads);
    s.row = div(id, chunks);
    Value chunk = rem(id, chunks);
    s.sharedCol = swizzle(s.row, chunk, chunks, kChunk);
    s.globalColOffset = mul(chunk, cst(kChunk));
    if (tokens) {
      Value row = add(m0, s.row);
      Value inside = ult(row, numTokens);
      s.srcRow = arith::SelectOp::create(b, inside, row, m0);
      s.srcElements = arith::SelectOp::create(b, inside, cst(kChunk), cst(0));
    } else {
      s.srcRow = add(n0, s.row);
    }
    slots.push_back(s);
  }
  return slots;
}

/// Columns [kTile * tile_k, + tile_k) of X and the matching compressed
/// columns of the values, as one cp.async group.
Value TwoFourKernelBuilder::issueStage(Value stage, Value kTile) {
  auto width = b.getIndexAttr(kChunk);
  Value colA = mul(kTile, cst(plan.tileK() / 2));
  Value colB = mul(kTile, cst(plan.tileK()));
  SmallVector<Value> tokens;
  for (const Slot &s : copiesA)
    tokens.push_back(nvgpu::DeviceAsyncCopyOp::create(
        b, sharedA, ValueRange{stage, s.row, s.sharedCol}, values,
        ValueRange{s.srcRow, add(colA, s.globalColOffset)}, width, Value(),
        b.getUnitAttr()));
  for (const Slot &s : copiesB)
    tokens.push_back(nvgpu::DeviceAsyncCopyOp::create(
        b, sharedB, ValueRange{stage, s.row, s.sharedCol}, x,
        ValueRange{s.srcRow, add(colB, s.globalColOffset)}, width,
        s.srcElements, b.getUnitAttr()));
  return nvgpu::DeviceAsyncCreateGroupOp::create(b, tokens);
}

/// The metadata word of this lane for m16 tile `mi` of the warp and the
/// 32 columns `step` of k-tile `kTile`: lanes 4g and 4g + 1 hold rows g
/// (low half) and g + 8 (high half) over columns 0-15 and 16-31. The
/// others (whose words mma.sp ignores under selector 0) read what their
/// quad's lanes 0 and 1 read.
Value TwoFourKernelBuilder::loadMetadata(Value kTile, int64_t step,
                                         int64_t mi) {
  Value column32 = add(mul(kTile, cst(plan.tileK() / 32)), cst(step));
  Value row0 = add(add(n0, warpFeat), cst(16 * mi));
  return loadMmaMetadata(*this, plan, metadata, row0, column32, lane);
}

/// `count` ldmatrix x4 loads of `buffer` slot `stage`, the i-th from the
/// rows `first + rowStep * i + laneRow` at (logical) chunk `chunk`.
SmallVector<Value> TwoFourKernelBuilder::loadTiles(Value buffer, Value stage,
                                                   Value first, int64_t rowStep,
                                                   int64_t count, Value laneRow,
                                                   Value chunk,
                                                   int64_t chunks) {
  auto type = VectorType::get({4, 2}, plan.elementType);
  SmallVector<Value> frags;
  for (int64_t i = 0; i < count; ++i) {
    Value row = add(add(first, cst(rowStep * i)), laneRow);
    Value col = swizzle(row, chunk, chunks, kChunk);
    frags.push_back(nvgpu::LdMatrixOp::create(
        b, type, buffer, ValueRange{stage, row, col}, /*transpose=*/false,
        /*numTiles=*/4));
  }
  return frags;
}

/// The A fragments (16 weight rows x 16 compressed values) of the warp's
/// m16 tiles for the 32 columns `step` of the slot: lanes 0-15 give rows,
/// lanes 16-31 the second 8 values.
SmallVector<Value> TwoFourKernelBuilder::loadA(Value stage, int64_t step) {
  return loadTiles(sharedA, stage, warpFeat, 16, plan.mmaTilesF, rem(lane, 16),
                   add(div(lane, 16), cst(2 * step)), chunksA());
}

/// The B fragments (32 columns x 8 tokens) of the warp's n8 tiles: matrix j
/// of the x4 is columns 8j .. 8j + 7 of 8 token rows.
SmallVector<Value> TwoFourKernelBuilder::loadB(Value stage, int64_t step) {
  return loadTiles(sharedB, stage, warpTok, 8, plan.mmaTilesT, rem(lane, 8),
                   add(div(lane, 8), cst(4 * step)), chunksB());
}

/// mma.sp m16n8k32 with sparsity selector 0, through nvvm.mma.sp.sync
/// (nvgpu.mma.sp.sync cannot type bf16 in MLIR 22).
Value TwoFourKernelBuilder::mmaSparse(Value a, Value bFrag, Value acc,
                                      Value meta) {
  // NVVM takes f16 pairs as vector<2xf16> and bf16 pairs as i32.
  bool bf16 = plan.elementType.isBF16();
  auto reg = [&](Value frag, int64_t i) -> Value {
    return bf16 ? pairAsI32(frag, i) : vector::ExtractOp::create(b, frag, i);
  };
  SmallVector<Value> regsA, regsB;
  for (int64_t i = 0; i < 4; ++i) {
    regsA.push_back(reg(a, i));
    regsB.push_back(reg(bFrag, i));
  }
  NVVM::MMATypes type = bf16 ? NVVM::MMATypes::bf16 : NVVM::MMATypes::f16;
  Type f32 = b.getF32Type();
  auto result =
      LLVM::LLVMStructType::getLiteral(b.getContext(), {f32, f32, f32, f32});
  Value selector = arith::ConstantIntOp::create(b, b.getI32Type(), 0);
  Value d = NVVM::MmaSpOp::create(b, result, regsA, regsB,
                                  accumulatorRegisters(acc), meta, selector,
                                  ArrayRef<int64_t>{16, 8, 32}, std::nullopt,
                                  std::array<NVVM::MMATypes, 2>{type, type});
  return accumulatorOf(d);
}

/// init[token, feature] += Y^T[feature, token]: accumulator element (h, c)
/// of tile (mi, ni) is feature g + 8h, token 2t + c. Tokens past M are not
/// stored.
void TwoFourKernelBuilder::buildEpilogue(ValueRange acc) {
  Value featBase = add(add(n0, warpFeat), groupId);
  Value tokBase = add(add(m0, warpTok), mul(rem(lane, 4), cst(2)));
  EpilogueTail tail(plan.fused, func, signature);
  for (int64_t mi = 0; mi < plan.mmaTilesF; ++mi)
    for (int64_t ni = 0; ni < plan.mmaTilesT; ++ni)
      for (int64_t c = 0; c < 2; ++c) {
        Value token = add(tokBase, cst(8 * ni + c));
        auto ifOp = scf::IfOp::create(b, TypeRange{}, ult(token, numTokens),
                                      /*withElseRegion=*/false);
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(ifOp.thenBlock());
        for (int64_t h = 0; h < 2; ++h) {
          Value feature = add(featBase, cst(16 * mi + 8 * h));
          Value part = vector::ExtractOp::create(
              b, acc[mi * plan.mmaTilesT + ni], ArrayRef<int64_t>{h, c});
          emitAccumulate(b, init, {token, feature}, part, plan.zeroInit, &tail);
        }
      }
}

void TwoFourKernelBuilder::build() {
  b.setInsertionPointToStart(&func.front());
  auto arg = [&](KernelArg::Kind role) {
    return kernelArgument(func, signature, {role});
  };
  x = arg(KernelArg::X);
  values = arg(KernelArg::Weight);
  metadata = arg(KernelArg::Metadata);
  init = arg(KernelArg::Init);

  tid = gpu::ThreadIdOp::create(b, gpu::Dimension::x);
  constants.setInsertionPoint(tid.getDefiningOp());
  if (!plan.mmaMetadata.empty())
    metadata = memref::GetGlobalOp::create(
        b, plan.metadataTableType(b.getContext()), metadataTable);
  setUpSharedMemory();
  Value featureTile = gpu::BlockIdOp::create(b, gpu::Dimension::x);
  Value tokenTile = gpu::BlockIdOp::create(b, gpu::Dimension::y);
  numTokens = memref::DimOp::create(b, x, cst(0));
  n0 = mul(featureTile, cst(plan.tileFeatures()));
  m0 = mul(tokenTile, cst(plan.tileTokens()));
  lane = rem(tid, 32);
  groupId = div(lane, 4);
  Value warp = div(tid, 32);
  warpFeat = mul(rem(warp, plan.config.getWarpsN()), cst(plan.featuresPerWarp));
  warpTok = mul(div(warp, plan.config.getWarpsN()), cst(plan.tokensPerWarp));
  copiesA = mapCopies(plan.tileFeatures(), chunksA(), /*tokens=*/false);
  copiesB = mapCopies(plan.tileTokens(), chunksB(), /*tokens=*/true);

  auto accType = VectorType::get({2, 2}, b.getF32Type());
  Value zero = arith::ConstantOp::create(
      b, accType, DenseElementsAttr::get(accType, b.getF32FloatAttr(0.0f)));
  SmallVector<Value> inits(plan.mmaTilesF * plan.mmaTilesT, zero);
  auto issue = [&](Value stage, Value kTile) {
    return issueStage(stage, kTile);
  };
  auto compute = [&](Value stage, Value kTile, ValueRange accIn) {
    SmallVector<Value> acc(accIn);
    for (int64_t step = 0; step < plan.tileK() / 32; ++step) {
      SmallVector<Value> meta;
      for (int64_t mi = 0; mi < plan.mmaTilesF; ++mi)
        meta.push_back(loadMetadata(kTile, step, mi));
      SmallVector<Value> fragsA = loadA(stage, step);
      SmallVector<Value> fragsB = loadB(stage, step);
      for (int64_t mi = 0; mi < plan.mmaTilesF; ++mi)
        for (int64_t ni = 0; ni < plan.mmaTilesT; ++ni) {
          Value &c = acc[mi * plan.mmaTilesT + ni];
          c = mmaSparse(fragsA[mi], fragsB[ni], c, meta[mi]);
        }
    }
    return acc;
  };
  SmallVector<Value> acc =
      CpAsyncRing(*this, plan.stages())
          .loop(cst(plan.k / plan.tileK()), inits, issue, compute);
  buildEpilogue(acc);
  gpu::ReturnOp::create(b);
}

KernelLaunch mlir::pixelfly::buildTwoFourKernel(gpu::GPUModuleOp module,
                                                StringRef name,
                                                const TwoFourPlan &plan,
                                                Location loc) {
  auto b = OpBuilder::atBlockEnd(module.getBody());
  std::string table = KernelSymbols(name).metadata;
  if (!plan.mmaMetadata.empty())
    buildMetadataTable(b, loc, plan, table);
  KernelLaunch launch;
  launch.signature.add({KernelArg::X}, plan.xType);
  launch.signature.add({KernelArg::Weight}, plan.valuesType);
  // Compile-time metadata lives in the kernel's table, in mma order.
  if (plan.mmaMetadata.empty())
    launch.signature.add({KernelArg::Metadata}, plan.metadataType);
  launch.signature.add({KernelArg::Init}, plan.initType);
  addEpilogueArguments(launch.signature, plan.fused);
  launch.kernel =
      createKernelFunc(module, name, launch.signature, plan.numThreads, loc);
  launch.gridX.count = plan.n / plan.tileFeatures();
  launch.gridY.perTokens = plan.tileTokens();
  launch.threads = plan.numThreads;
  launch.dynamicSharedBytes = plan.dynamicShared ? plan.sharedBytes : 0;
  TwoFourKernelBuilder(plan, launch.kernel, launch.signature, table).build();
  return launch;
}
