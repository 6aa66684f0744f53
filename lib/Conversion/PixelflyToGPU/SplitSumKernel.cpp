//===- SplitSumKernel.cpp - Adding a split weight gradient ----------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "SplitSumKernel.h"
#include "Epilogue.h"
#include "KernelBuilderBase.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::pixelfly;

namespace {
/// A thread per pair of neighbouring columns of the gradient's blocks.
class SplitSumBuilder : public KernelBuilderBase {
public:
  using KernelBuilderBase::KernelBuilderBase;

  void build(gpu::GPUFuncOp func, const KernelSignature &signature,
             const ProductPlan &plan, int64_t pairs, int64_t pairsPerRow) {
    b.setInsertionPointToStart(&func.getBody().front());
    Value partials = kernelArgument(func, signature, {KernelArg::Partials});
    Value init = kernelArgument(func, signature, {KernelArg::Init});
    auto [idx, ifOp] = threadTask(kSplitSumThreads, pairs);
    int64_t rows = plan.layout.getBlockRows();
    int64_t numBlocks = plan.numBlocks();
    Value block = div(idx, rows * pairsPerRow);
    Value inBlock = rem(idx, rows * pairsPerRow);
    Value row = div(inBlock, pairsPerRow);
    Value col = mul(rem(inBlock, pairsPerRow), cst(2));
    auto pairType = VectorType::get({2}, b.getF32Type());
    Value sum;
    for (int64_t s = 0; s < plan.splits; ++s) {
      Value at = s == 0 ? block : add(block, cst(s * numBlocks));
      Value part = vector::LoadOp::create(b, pairType, partials,
                                          ValueRange{at, row, col});
      sum = s == 0 ? part : arith::AddFOp::create(b, sum, part).getResult();
    }
    emitAccumulate(b, init, {block, row, col}, sum, plan.zeroInit);
    b.setInsertionPointAfter(ifOp);
    gpu::ReturnOp::create(b);
  }
};
} // namespace

KernelLaunch mlir::pixelfly::buildSplitSumKernel(gpu::GPUModuleOp module,
                                                 StringRef name,
                                                 const ProductPlan &plan,
                                                 Location loc) {
  KernelLaunch launch;
  launch.signature.add({KernelArg::Partials}, plan.partialsType());
  launch.signature.add({KernelArg::Init}, plan.initType);
  gpu::GPUFuncOp func = launch.kernel =
      createKernelFunc(module, name, launch.signature, kSplitSumThreads, loc);
  // Blocks are a multiple of 8 wide (an Ampere tile is one block, multiples
  // of 8 by the verifier; the Hopper family's are 64 wide), so column pairs
  // never straddle rows.
  int64_t pairsPerRow = plan.layout.getBlockCols() / 2;
  int64_t pairs = plan.numBlocks() * plan.layout.getBlockRows() * pairsPerRow;
  launch.gridX.count = llvm::divideCeil(pairs, kSplitSumThreads);
  launch.threads = kSplitSumThreads;

  SplitSumBuilder builder(loc, func.getContext());
  builder.build(func, launch.signature, plan, pairs, pairsPerRow);
  return launch;
}
