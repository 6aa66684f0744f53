//===- SplitSumKernel.cpp - Adding a split weight gradient ----------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "SplitSumKernel.h"
#include "Epilogue.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::pixelfly;

KernelLaunch mlir::pixelfly::buildSplitSumKernel(gpu::GPUModuleOp module,
                                                 StringRef name,
                                                 const ProductPlan &plan,
                                                 Location loc) {
  KernelLaunch launch;
  launch.signature.add({KernelArg::Partials}, plan.partialsType());
  launch.signature.add({KernelArg::Init}, plan.initType);
  gpu::GPUFuncOp func = launch.kernel =
      createKernelFunc(module, name, launch.signature, kSplitSumThreads, loc);
  int64_t numBlocks = plan.tiles.size();
  int64_t rows = plan.layout.getBlockRows();
  // A block is a tile, a multiple of 8 wide (both families' verifiers), so
  // column pairs never straddle rows.
  int64_t pairsPerRow = plan.layout.getBlockCols() / 2;
  int64_t pairs = numBlocks * rows * pairsPerRow;
  launch.gridX.count = llvm::divideCeil(pairs, kSplitSumThreads);
  launch.threads = kSplitSumThreads;

  ImplicitLocOpBuilder b(loc, func.getContext());
  b.setInsertionPointToStart(&func.getBody().front());
  auto cst = [&](int64_t c) -> Value {
    return arith::ConstantIndexOp::create(b, c);
  };
  Value partials =
      kernelArgument(func, launch.signature, {KernelArg::Partials});
  Value init = kernelArgument(func, launch.signature, {KernelArg::Init});
  Value tid = gpu::ThreadIdOp::create(b, gpu::Dimension::x);
  Value bid = gpu::BlockIdOp::create(b, gpu::Dimension::x);
  Value idx = arith::AddIOp::create(
      b, arith::MulIOp::create(b, bid, cst(kSplitSumThreads)), tid);
  Value inside =
      arith::CmpIOp::create(b, arith::CmpIPredicate::ult, idx, cst(pairs));
  auto ifOp = scf::IfOp::create(b, TypeRange{}, inside, false);
  b.setInsertionPointToStart(ifOp.thenBlock());
  Value block = arith::DivUIOp::create(b, idx, cst(rows * pairsPerRow));
  Value inBlock = arith::RemUIOp::create(b, idx, cst(rows * pairsPerRow));
  Value row = arith::DivUIOp::create(b, inBlock, cst(pairsPerRow));
  Value col = arith::MulIOp::create(
      b, arith::RemUIOp::create(b, inBlock, cst(pairsPerRow)), cst(2));
  auto pairType = VectorType::get({2}, b.getF32Type());
  Value sum;
  for (int64_t s = 0; s < plan.splits; ++s) {
    Value at =
        s == 0
            ? block
            : arith::AddIOp::create(b, block, cst(s * numBlocks)).getResult();
    Value part =
        vector::LoadOp::create(b, pairType, partials, ValueRange{at, row, col});
    sum = s == 0 ? part : arith::AddFOp::create(b, sum, part).getResult();
  }
  emitAccumulate(b, init, {block, row, col}, sum, plan.zeroInit);
  b.setInsertionPointAfter(ifOp);
  gpu::ReturnOp::create(b);
  return launch;
}
