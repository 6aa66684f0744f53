//===- PruneKernel.cpp - pixelfly.prune_2_4 on the GPU --------------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Dynamic 2:4 masks during training: one pass over the dense weight that
// writes the compressed values and metadata. Each thread owns one metadata
// word (16 consecutive columns of a row): it reads them with one 32-byte
// vector load, so a warp reads 1 KB of a row contiguously, ranks each group
// of four without data-dependent branches (the six pairwise comparisons of
// patterns::select24Group: larger magnitude first, ties to the lower
// index, NaN below every number), picks the kept entries with selects (bit
// copies of the input), and writes 8 values (16 bytes) and one 16-bit word.
// The selection is the pattern library's, so compile-time compression and
// the GPU agree bit for bit.
//
// The transposable selection works on 4 x 4 tiles: a thread owns a 16 x 16
// block (so it writes whole metadata words of W and of W^T), scores the 90
// masks with two entries per row and column exactly as
// patterns::selectTransposableTile does (fewest NaNs, most infinities,
// largest finite sum in double, summed in the same order; ties to the
// earlier mask), all unrolled selects, and writes W's and W^T's kept pairs.
//
//===----------------------------------------------------------------------===//

#include "PruneKernel.h"
#include "KernelBuilderBase.h"
#include "ProductPlan.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "pixelfly/Dialect/Pixelfly/IR/ElementTypes.h"
#include "pixelfly/Patterns/TwoFour.h"

#include <limits>

using namespace mlir;
using namespace mlir::pixelfly;

/// Columns (elements) whose metadata one thread writes: one 16-bit word.
static constexpr int64_t kWordColumns = 16;

FailureOr<PrunePlan> mlir::pixelfly::planPrune(Prune24Op op,
                                               std::string &why) {
  PrunePlan plan;
  plan.inputType = dyn_cast<MemRefType>(op.getInput().getType());
  if (!plan.inputType || op->getNumResults() != 0) {
    why = "tensor form (bufferize first)";
    return failure();
  }
  plan.transposable = op.getTransposable();
  for (Value out : op.getOutputs())
    plan.outputTypes.push_back(cast<MemRefType>(out.getType()));
  if (!isPlainDeviceMemRef(plan.inputType) ||
      llvm::any_of(plan.outputTypes,
                   [](MemRefType t) { return !isPlainDeviceMemRef(t); })) {
    why = "operands must be identity-layout memrefs in the default or "
          "global memory space";
    return failure();
  }
  if (!plan.inputType.hasStaticShape()) {
    why = "the weight's shape must be static";
    return failure();
  }
  if (failed(checkOperandSize("the weight", plan.inputType, why)))
    return failure();
  Type elt = plan.inputType.getElementType();
  if (!isProductElementType(elt)) {
    llvm::raw_string_ostream(why)
        << "element type " << elt << " (f16, bf16 or f32)";
    return failure();
  }
  plan.n = plan.inputType.getDimSize(0);
  plan.k = plan.inputType.getDimSize(1);
  if (plan.transposable && plan.n % 16 != 0) {
    why = "N = " + std::to_string(plan.n) +
          " (the transposable selection works on 16-row blocks: a multiple "
          "of 16 is needed)";
    return failure();
  }
  plan.numThreadTasks = plan.transposable ? (plan.n / 16) * (plan.k / 16)
                                          : plan.n * (plan.k / 16);
  plan.threadsPerBlock = plan.transposable ? 64 : 256;
  return plan;
}

namespace {
class PruneKernelBuilder : public KernelBuilderBase {
public:
  PruneKernelBuilder(const PrunePlan &plan, gpu::GPUFuncOp func,
                     const KernelSignature &signature)
      : KernelBuilderBase(func.getLoc(), func.getContext()), plan(plan),
        func(func), signature(signature) {}

  void build();

private:
  /// One group of four: the nibble i0 | i1 << 2 (i32) and the two kept
  /// values.
  std::tuple<Value, Value, Value> selectGroup(ArrayRef<Value> x);
  /// The nibble and kept values of a group given which entries are kept
  /// (exactly two of the four i1 flags).
  std::tuple<Value, Value, Value> pickPair(ArrayRef<Value> kept,
                                          ArrayRef<Value> x);
  /// The 16-bit mask (i32, bit 4r + c) of the best of the 90 transposable
  /// masks of a 4 x 4 tile, by patterns::selectTransposableTile's rule.
  Value selectTile(ArrayRef<Value> x);
  void buildRowWise(Value id);
  void buildTransposable(Value id);
  Value i32(int64_t v) {
    return arith::ConstantIntOp::create(b, b.getI32Type(), v);
  }
  Value toF32(Value v) {
    Type f32 = b.getF32Type();
    return v.getType() == f32 ? v : arith::ExtFOp::create(b, f32, v);
  }
  /// |v| of an f32 (without math.absf, which NVVM lowers to a libdevice
  /// call; -0 and +0 compare equal either way).
  Value magnitude(Value f) {
    Value zero = arith::ConstantOp::create(b, b.getF32FloatAttr(0.0f));
    Value negative =
        arith::CmpFOp::create(b, arith::CmpFPredicate::OLT, f, zero);
    return arith::SelectOp::create(b, negative, arith::NegFOp::create(b, f),
                                   f);
  }
  Value input;
  SmallVector<Value> outputs;

  const PrunePlan &plan;
  gpu::GPUFuncOp func;
  const KernelSignature &signature;
};
} // namespace

std::tuple<Value, Value, Value>
PruneKernelBuilder::selectGroup(ArrayRef<Value> x) {
  Value minusOne = arith::ConstantOp::create(b, b.getF32FloatAttr(-1.0f));
  SmallVector<Value> key;
  for (Value v : x) {
    Value f = toF32(v);
    Value isNan = arith::CmpFOp::create(b, arith::CmpFPredicate::UNO, f, f);
    key.push_back(arith::SelectOp::create(b, isNan, minusOne, magnitude(f)));
  }
  // Rank of i: how many entries beat it (a larger key, or an equal key at
  // a lower index). The two of rank < 2 are kept.
  SmallVector<Value> kept;
  for (int i = 0; i < 4; ++i) {
    Value rank = i32(0);
    for (int j = 0; j < 4; ++j) {
      if (j == i)
        continue;
      auto pred = j < i ? arith::CmpFPredicate::OGE : arith::CmpFPredicate::OGT;
      Value beats = arith::CmpFOp::create(b, pred, key[j], key[i]);
      rank = arith::AddIOp::create(
          b, rank, arith::ExtUIOp::create(b, b.getI32Type(), beats));
    }
    kept.push_back(
        arith::CmpIOp::create(b, arith::CmpIPredicate::ult, rank, i32(2)));
  }
  return pickPair(kept, x);
}

std::tuple<Value, Value, Value>
PruneKernelBuilder::pickPair(ArrayRef<Value> kept, ArrayRef<Value> x) {
  auto pick = [&](Value cond, Value a, Value other) -> Value {
    return arith::SelectOp::create(b, cond, a, other);
  };
  // Exactly two are kept: the lowest kept index and the highest.
  Value i0 = pick(kept[0], i32(0), pick(kept[1], i32(1), i32(2)));
  Value i1 = pick(kept[3], i32(3), pick(kept[2], i32(2), i32(1)));
  Value v0 = pick(kept[0], x[0], pick(kept[1], x[1], x[2]));
  Value v1 = pick(kept[3], x[3], pick(kept[2], x[2], x[1]));
  Value nibble = arith::OrIOp::create(b, i0, arith::ShLIOp::create(b, i1, i32(2)));
  return {nibble, v0, v1};
}

Value PruneKernelBuilder::selectTile(ArrayRef<Value> x) {
  // The six pairs of a row in the pattern library's order.
  static constexpr int kPairs[6][2] = {{0, 1}, {0, 2}, {0, 3},
                                       {1, 2}, {1, 3}, {2, 3}};
  Type f64 = b.getF64Type(), i32Type = b.getI32Type();
  Value inf = arith::ConstantOp::create(
      b, b.getF32FloatAttr(std::numeric_limits<float>::infinity()));
  Value zero64 = arith::ConstantOp::create(b, b.getF64FloatAttr(0.0));
  SmallVector<Value> isNan, isInf, mag;
  for (Value v : x) {
    Value f = toF32(v);
    Value nan = arith::CmpFOp::create(b, arith::CmpFPredicate::UNO, f, f);
    Value abs = magnitude(f);
    Value infinite =
        arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, abs, inf);
    isNan.push_back(arith::ExtUIOp::create(b, i32Type, nan));
    isInf.push_back(arith::ExtUIOp::create(b, i32Type, infinite));
    // Finite magnitudes in double; NaN and infinities count as 0.
    Value special = arith::OrIOp::create(b, nan, infinite);
    mag.push_back(arith::SelectOp::create(
        b, special, zero64, arith::ExtFOp::create(b, f64, abs)));
  }
  Value pairNan[4][6], pairInf[4][6], pairMag[4][6];
  for (int r = 0; r < 4; ++r)
    for (int p = 0; p < 6; ++p) {
      int e0 = 4 * r + kPairs[p][0], e1 = 4 * r + kPairs[p][1];
      pairNan[r][p] = arith::AddIOp::create(b, isNan[e0], isNan[e1]);
      pairInf[r][p] = arith::AddIOp::create(b, isInf[e0], isInf[e1]);
      pairMag[r][p] = arith::AddFOp::create(b, mag[e0], mag[e1]);
    }
  // The masks' row pairs, from the library's table (same order).
  const auto &masks = patterns::transposableTileMasks();
  auto pairOf = [&](uint16_t bits, int r) {
    int cols[2], n = 0;
    for (int c = 0; c < 4; ++c)
      if (bits >> (4 * r + c) & 1)
        cols[n++] = c;
    for (int p = 0; p < 6; ++p)
      if (kPairs[p][0] == cols[0] && kPairs[p][1] == cols[1])
        return p;
    llvm_unreachable("a transposable mask keeps two entries per row");
  };
  Value bestBits, bestNan, bestInf, bestMag;
  for (int m = 0; m < patterns::kNumTransposableTileMasks; ++m) {
    int p[4];
    for (int r = 0; r < 4; ++r)
      p[r] = pairOf(masks[m], r);
    auto sum = [&](Value table[4][6], bool isFloat) {
      Value acc = table[0][p[0]];
      for (int r = 1; r < 4; ++r)
        acc = isFloat ? Value(arith::AddFOp::create(b, acc, table[r][p[r]]))
                      : Value(arith::AddIOp::create(b, acc, table[r][p[r]]));
      return acc;
    };
    Value nan = sum(pairNan, false), infs = sum(pairInf, false),
          total = sum(pairMag, true);
    Value bits = i32(masks[m]);
    if (m == 0) {
      bestBits = bits, bestNan = nan, bestInf = infs, bestMag = total;
      continue;
    }
    // Fewest NaNs, then most infinities, then the largest finite sum; a
    // tie keeps the earlier mask.
    auto cmpi = [&](arith::CmpIPredicate pred, Value a, Value c) {
      return arith::CmpIOp::create(b, pred, a, c).getResult();
    };
    Value sumBetter = arith::AndIOp::create(
        b, cmpi(arith::CmpIPredicate::eq, infs, bestInf),
        arith::CmpFOp::create(b, arith::CmpFPredicate::OGT, total, bestMag));
    Value infBetter = arith::OrIOp::create(
        b, cmpi(arith::CmpIPredicate::sgt, infs, bestInf), sumBetter);
    Value better = arith::OrIOp::create(
        b, cmpi(arith::CmpIPredicate::slt, nan, bestNan),
        arith::AndIOp::create(b, cmpi(arith::CmpIPredicate::eq, nan, bestNan),
                              infBetter));
    bestBits = arith::SelectOp::create(b, better, bits, bestBits);
    bestNan = arith::SelectOp::create(b, better, nan, bestNan);
    bestInf = arith::SelectOp::create(b, better, infs, bestInf);
    bestMag = arith::SelectOp::create(b, better, total, bestMag);
  }
  return bestBits;
}

void PruneKernelBuilder::build() {
  b.setInsertionPointToStart(&func.front());
  input = kernelArgument(func, signature, {KernelArg::Weight});
  for (unsigned i = 0; i < plan.outputTypes.size(); ++i)
    outputs.push_back(kernelArgument(func, signature, {KernelArg::Output, i}));
  auto [id, ifOp] = threadTask(plan.threadsPerBlock, plan.numThreadTasks);
  if (plan.transposable)
    buildTransposable(id);
  else
    buildRowWise(id);
  b.setInsertionPointAfter(ifOp);
  gpu::ReturnOp::create(b);
}

/// One metadata word of W per thread: 16 columns of a row.
void PruneKernelBuilder::buildRowWise(Value id) {
  int64_t wordsPerRow = plan.k / kWordColumns;
  Value row = div(id, wordsPerRow);
  Value word = rem(id, wordsPerRow);
  Type elt = plan.inputType.getElementType();
  int64_t bytes = elt.getIntOrFloatBitWidth() / 8;
  auto in = vector::LoadOp::create(
      b, VectorType::get({kWordColumns}, elt), input,
      ValueRange{row, mul(word, cst(kWordColumns))});
  in.setAlignment(16);
  Value bits = i32(0);
  SmallVector<Value> kept;
  for (int64_t g = 0; g < 4; ++g) {
    SmallVector<Value> x;
    for (int64_t i = 0; i < 4; ++i)
      x.push_back(vector::ExtractOp::create(b, in, 4 * g + i));
    auto [nibble, v0, v1] = selectGroup(x);
    bits = arith::OrIOp::create(b, bits,
                                arith::ShLIOp::create(b, nibble, i32(4 * g)));
    kept.append({v0, v1});
  }
  Value out = vector::FromElementsOp::create(
      b, VectorType::get({kWordColumns / 2}, elt), kept);
  vector::StoreOp::create(b, out, outputs[0],
                          ValueRange{row, mul(word, cst(kWordColumns / 2))})
      .setAlignment(std::min<int64_t>(16, kWordColumns / 2 * bytes));
  memref::StoreOp::create(b, arith::TruncIOp::create(b, b.getI16Type(), bits),
                          outputs[1], ValueRange{row, word});
}

/// One 16 x 16 block per thread, as 4 x 4 tiles: whole metadata words of W
/// (a row's 16 columns) and, with four outs, of W^T (a column's 16 rows).
/// The loop runs over the block's 4 tile rows; W^T's words are complete at
/// its end. Each tile takes the best of the 90 transposable masks.
void PruneKernelBuilder::buildTransposable(Value id) {
  int64_t blocksPerRow = plan.k / 16;
  Value blockRow = div(id, blocksPerRow), blockCol = rem(id, blocksPerRow);
  Value n0 = mul(blockRow, cst(16)), k0 = mul(blockCol, cst(16));
  Type elt = plan.inputType.getElementType();
  int64_t bytes = elt.getIntOrFloatBitWidth() / 8;
  bool withTranspose = outputs.size() == 4;
  SmallVector<Value> zeros(withTranspose ? 16 : 0, i32(0));
  auto loop = scf::ForOp::create(b, cst(0), cst(4), cst(1), zeros);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value tr = loop.getInductionVar();
    Value shiftT = arith::ShLIOp::create(
        b, arith::IndexCastOp::create(b, b.getI32Type(), tr), i32(2));
    SmallVector<Value> wordsT(loop.getRegionIterArgs());
    SmallVector<Value> words(4, i32(0));
    Value row0 = add(n0, mul(tr, cst(4)));
    for (int64_t tc = 0; tc < 4; ++tc) {
      Value col0 = add(k0, cst(4 * tc));
      SmallVector<Value> x;
      for (int64_t r = 0; r < 4; ++r) {
        auto line = vector::LoadOp::create(b, VectorType::get({4}, elt), input,
                                           ValueRange{add(row0, cst(r)), col0});
        line.setAlignment(4 * bytes);
        for (int64_t c = 0; c < 4; ++c)
          x.push_back(vector::ExtractOp::create(b, line, c));
      }
      Value bits = selectTile(x);
      auto keptAt = [&](int64_t r, int64_t c) -> Value {
        Value bit = arith::AndIOp::create(
            b, arith::ShRUIOp::create(b, bits, i32(4 * r + c)), i32(1));
        return arith::CmpIOp::create(b, arith::CmpIPredicate::ne, bit, i32(0));
      };
      auto storePair = [&](Value dst, Value v0, Value v1, ValueRange at) {
        Value pair =
            vector::FromElementsOp::create(b, VectorType::get({2}, elt),
                                           ValueRange{v0, v1});
        vector::StoreOp::create(b, pair, dst, at).setAlignment(2 * bytes);
      };
      for (int64_t r = 0; r < 4; ++r) {
        SmallVector<Value> kept, line;
        for (int64_t c = 0; c < 4; ++c) {
          kept.push_back(keptAt(r, c));
          line.push_back(x[4 * r + c]);
        }
        auto [nibble, v0, v1] = pickPair(kept, line);
        words[r] = arith::OrIOp::create(
            b, words[r], arith::ShLIOp::create(b, nibble, i32(4 * tc)));
        storePair(outputs[0], v0, v1,
                  {add(row0, cst(r)), add(mul(blockCol, cst(8)), cst(2 * tc))});
      }
      // Column c of the tile is a group of row k0 + 4 tc + c of W^T, whose
      // groups run down W: group 4 blockRow + tr, nibble tr of the word.
      for (int64_t c = 0; c < 4 && withTranspose; ++c) {
        SmallVector<Value> kept, column;
        for (int64_t r = 0; r < 4; ++r) {
          kept.push_back(keptAt(r, c));
          column.push_back(x[4 * r + c]);
        }
        auto [nibble, v0, v1] = pickPair(kept, column);
        Value &w = wordsT[4 * tc + c];
        w = arith::OrIOp::create(b, w, arith::ShLIOp::create(b, nibble, shiftT));
        storePair(outputs[2], v0, v1,
                  {add(col0, cst(c)),
                   add(mul(blockRow, cst(8)), mul(tr, cst(2)))});
      }
    }
    for (int64_t r = 0; r < 4; ++r)
      memref::StoreOp::create(
          b, arith::TruncIOp::create(b, b.getI16Type(), words[r]), outputs[1],
          ValueRange{add(row0, cst(r)), blockCol});
    scf::YieldOp::create(b, wordsT);
  }
  for (int64_t j = 0; j < 16 && withTranspose; ++j)
    memref::StoreOp::create(
        b, arith::TruncIOp::create(b, b.getI16Type(), loop.getResult(j)),
        outputs[3], ValueRange{add(k0, cst(j)), blockRow});
}

KernelLaunch mlir::pixelfly::buildPruneKernel(gpu::GPUModuleOp module,
                                              StringRef name,
                                              const PrunePlan &plan,
                                              Location loc) {
  KernelLaunch launch;
  launch.signature.add({KernelArg::Weight}, plan.inputType);
  for (auto [i, type] : llvm::enumerate(plan.outputTypes))
    launch.signature.add({KernelArg::Output, static_cast<unsigned>(i)}, type);
  launch.kernel = createKernelFunc(module, name, launch.signature,
                                   plan.threadsPerBlock, loc);
  launch.gridX.count =
      llvm::divideCeil(plan.numThreadTasks, plan.threadsPerBlock);
  launch.threads = plan.threadsPerBlock;
  PruneKernelBuilder(plan, launch.kernel, launch.signature).build();
  return launch;
}
