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
//===----------------------------------------------------------------------===//

#include "PruneKernel.h"
#include "KernelBuilderBase.h"
#include "KernelPlan.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::pixelfly;

/// Columns (elements) whose metadata one thread writes: one 16-bit word.
static constexpr int64_t kWordColumns = 16;

FailureOr<PrunePlan> mlir::pixelfly::planPrune(Prune24Op op,
                                               std::string &why) {
  PrunePlan plan;
  if (op.getTransposable()) {
    why = "the transposable 2:4 selection has no GPU kernel yet";
    return failure();
  }
  plan.inputType = dyn_cast<MemRefType>(op.getInput().getType());
  if (!plan.inputType || op.getOutputs().size() != 2) {
    why = "tensor form (bufferize first)";
    return failure();
  }
  plan.valuesType = dyn_cast<MemRefType>(op.getOutputs()[0].getType());
  plan.metadataType = dyn_cast<MemRefType>(op.getOutputs()[1].getType());
  if (!plan.valuesType || !plan.metadataType ||
      !isPlainDeviceMemRef(plan.inputType) ||
      !isPlainDeviceMemRef(plan.valuesType) ||
      !isPlainDeviceMemRef(plan.metadataType)) {
    why = "operands must be identity-layout memrefs in the default or "
          "global memory space";
    return failure();
  }
  if (!plan.inputType.hasStaticShape()) {
    why = "the weight's shape must be static";
    return failure();
  }
  Type elt = plan.inputType.getElementType();
  if (!elt.isF16() && !elt.isBF16() && !elt.isF32()) {
    llvm::raw_string_ostream(why)
        << "element type " << elt << " (f16, bf16 or f32)";
    return failure();
  }
  plan.n = plan.inputType.getDimSize(0);
  plan.k = plan.inputType.getDimSize(1);
  return plan;
}

namespace {
class PruneKernelBuilder : public KernelBuilderBase {
public:
  PruneKernelBuilder(const PrunePlan &plan, gpu::GPUFuncOp func)
      : KernelBuilderBase(func.getLoc(), func.getContext()), plan(plan),
        func(func) {}

  void build();

private:
  /// One group of four: the nibble i0 | i1 << 2 (i32) and the two kept
  /// values.
  std::tuple<Value, Value, Value> selectGroup(ArrayRef<Value> x);

  const PrunePlan &plan;
  gpu::GPUFuncOp func;
};
} // namespace

std::tuple<Value, Value, Value>
PruneKernelBuilder::selectGroup(ArrayRef<Value> x) {
  Type f32 = b.getF32Type();
  Value minusOne = arith::ConstantOp::create(b, b.getF32FloatAttr(-1.0f));
  SmallVector<Value> key;
  for (Value v : x) {
    Value f = v.getType() == f32 ? v : arith::ExtFOp::create(b, f32, v);
    Value isNan =
        arith::CmpFOp::create(b, arith::CmpFPredicate::UNO, f, f);
    // |f| without math.absf, which the NVVM lowering turns into a libdevice
    // call; -0 and +0 compare equal either way.
    Value zero = arith::ConstantOp::create(b, b.getF32FloatAttr(0.0f));
    Value negative = arith::CmpFOp::create(b, arith::CmpFPredicate::OLT, f, zero);
    Value magnitude = arith::SelectOp::create(
        b, negative, arith::NegFOp::create(b, f), f);
    key.push_back(arith::SelectOp::create(b, isNan, minusOne, magnitude));
  }
  // Rank of i: how many entries beat it (a larger key, or an equal key at
  // a lower index). The two of rank < 2 are kept.
  Type i32 = b.getI32Type();
  SmallVector<Value> kept;
  for (int i = 0; i < 4; ++i) {
    Value rank = arith::ConstantIntOp::create(b, i32, 0);
    for (int j = 0; j < 4; ++j) {
      if (j == i)
        continue;
      auto pred = j < i ? arith::CmpFPredicate::OGE : arith::CmpFPredicate::OGT;
      Value beats = arith::CmpFOp::create(b, pred, key[j], key[i]);
      rank = arith::AddIOp::create(b, rank,
                                   arith::ExtUIOp::create(b, i32, beats));
    }
    kept.push_back(arith::CmpIOp::create(
        b, arith::CmpIPredicate::ult, rank,
        arith::ConstantIntOp::create(b, i32, 2)));
  }
  auto pick = [&](Value cond, Value a, Value other) -> Value {
    return arith::SelectOp::create(b, cond, a, other);
  };
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIntOp::create(b, i32, v);
  };
  // Exactly two are kept: the lowest kept index and the highest.
  Value i0 = pick(kept[0], index(0), pick(kept[1], index(1), index(2)));
  Value i1 = pick(kept[3], index(3), pick(kept[2], index(2), index(1)));
  Value v0 = pick(kept[0], x[0], pick(kept[1], x[1], x[2]));
  Value v1 = pick(kept[3], x[3], pick(kept[2], x[2], x[1]));
  Value nibble = arith::OrIOp::create(
      b, i0, arith::ShLIOp::create(b, i1, index(2)));
  return {nibble, v0, v1};
}

void PruneKernelBuilder::build() {
  Block &entry = func.front();
  b.setInsertionPointToStart(&entry);
  Value input = entry.getArgument(0), values = entry.getArgument(1),
        metadata = entry.getArgument(2);
  Value tid = gpu::ThreadIdOp::create(b, gpu::Dimension::x);
  constants.setInsertionPoint(tid.getDefiningOp());
  Value block = gpu::BlockIdOp::create(b, gpu::Dimension::x);
  Value id = add(mul(block, cst(kPruneThreads)), tid);
  int64_t wordsPerRow = plan.k / kWordColumns;
  auto ifOp = scf::IfOp::create(b, TypeRange{},
                                ult(id, cst(plan.n * wordsPerRow)), false);
  b.setInsertionPointToStart(ifOp.thenBlock());
  Value row = div(id, wordsPerRow);
  Value word = rem(id, wordsPerRow);
  Type elt = plan.inputType.getElementType();
  int64_t bytes = elt.getIntOrFloatBitWidth() / 8;
  auto in = vector::LoadOp::create(
      b, VectorType::get({kWordColumns}, elt), input,
      ValueRange{row, mul(word, cst(kWordColumns))});
  in.setAlignment(16);
  Type i32 = b.getI32Type();
  Value bits = arith::ConstantIntOp::create(b, i32, 0);
  SmallVector<Value> kept;
  for (int64_t g = 0; g < 4; ++g) {
    SmallVector<Value> x;
    for (int64_t i = 0; i < 4; ++i)
      x.push_back(vector::ExtractOp::create(b, in, 4 * g + i));
    auto [nibble, v0, v1] = selectGroup(x);
    bits = arith::OrIOp::create(
        b, bits,
        arith::ShLIOp::create(b, nibble,
                              arith::ConstantIntOp::create(b, i32, 4 * g)));
    kept.append({v0, v1});
  }
  Value out = vector::FromElementsOp::create(
      b, VectorType::get({kWordColumns / 2}, elt), kept);
  vector::StoreOp::create(b, out, values,
                          ValueRange{row, mul(word, cst(kWordColumns / 2))})
      .setAlignment(std::min<int64_t>(16, kWordColumns / 2 * bytes));
  memref::StoreOp::create(
      b, arith::TruncIOp::create(b, b.getI16Type(), bits), metadata,
      ValueRange{row, word});
  b.setInsertionPointAfter(ifOp);
  gpu::ReturnOp::create(b);
}

gpu::GPUFuncOp mlir::pixelfly::buildPruneKernel(gpu::GPUModuleOp module,
                                                StringRef name,
                                                const PrunePlan &plan,
                                                Location loc) {
  auto b = OpBuilder::atBlockEnd(module.getBody());
  auto type = b.getFunctionType(
      {plan.inputType, plan.valuesType, plan.metadataType}, {});
  auto func = gpu::GPUFuncOp::create(b, loc, name, type);
  func->setAttr(gpu::GPUDialect::getKernelFuncAttrName(), b.getUnitAttr());
  func.setKnownBlockSizeAttr(
      b.getDenseI32ArrayAttr({static_cast<int32_t>(kPruneThreads), 1, 1}));
  PruneKernelBuilder(plan, func).build();
  return func;
}
