//===- LowRankKernel.cpp - Low-rank panel, a thread per element -----------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "Epilogue.h"
#include "LowRankKernel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

using namespace mlir;
using namespace mlir::pixelfly;

/// One thread per element of T, row-major, so the threads of a warp read
/// consecutive columns of V and the same X element.
KernelLaunch mlir::pixelfly::buildLowRankKernel(gpu::GPUModuleOp module,
                                                StringRef name,
                                                const ProductPlan &plan,
                                                Location loc) {
  const LowRankPanel &panel = *plan.panel;
  KernelLaunch launch;
  launch.signature.add({KernelArg::X}, plan.xType);
  launch.signature.add({KernelArg::V}, panel.vType);
  launch.signature.add({KernelArg::T}, panel.tType);
  if (panel.gammaType)
    launch.signature.add({KernelArg::Gamma}, panel.gammaType);
  gpu::GPUFuncOp func = launch.kernel =
      createKernelFunc(module, name, launch.signature, kLowRankThreads, loc);
  // One thread per element of T: ceil(M * rank / threads) blocks.
  launch.gridX = {panel.rank, kLowRankThreads};
  launch.threads = kLowRankThreads;
  auto arg = [&](KernelArg::Kind role) {
    return kernelArgument(func, launch.signature, {role});
  };

  ImplicitLocOpBuilder b(loc, func.getContext());
  b.setInsertionPointToStart(&func.getBody().front());
  Value x = arg(KernelArg::X), v = arg(KernelArg::V), t = arg(KernelArg::T);
  auto cst = [&](int64_t c) -> Value {
    return arith::ConstantIndexOp::create(b, c);
  };
  Value tid = gpu::ThreadIdOp::create(b, gpu::Dimension::x);
  Value bid = gpu::BlockIdOp::create(b, gpu::Dimension::x);
  Value idx = arith::AddIOp::create(
      b, arith::MulIOp::create(b, bid, cst(kLowRankThreads)), tid);
  Value numTokens = memref::DimOp::create(b, x, cst(0));
  Value total = arith::MulIOp::create(b, numTokens, cst(panel.rank));
  Value inside =
      arith::CmpIOp::create(b, arith::CmpIPredicate::ult, idx, total);
  auto ifOp = scf::IfOp::create(b, TypeRange{}, inside, false);
  b.setInsertionPointToStart(ifOp.thenBlock());
  Value row = arith::DivUIOp::create(b, idx, cst(panel.rank));
  Value col = arith::RemUIOp::create(b, idx, cst(panel.rank));

  Type f32 = b.getF32Type();
  Value zero = arith::ConstantOp::create(b, b.getF32FloatAttr(0.0f));
  auto loop = scf::ForOp::create(b, cst(0), cst(plan.xType.getDimSize(1)),
                                 cst(1), ValueRange{zero});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value k = loop.getInductionVar();
    auto load = [&](Value src, ValueRange at) -> Value {
      Value e = memref::LoadOp::create(b, src, at);
      return e.getType() == f32 ? e : arith::ExtFOp::create(b, f32, e);
    };
    Value xv = load(x, {row, k});
    Value vv = load(v, {k, col});
    Value sum = arith::AddFOp::create(b, loop.getRegionIterArgs()[0],
                                      arith::MulFOp::create(b, xv, vv));
    scf::YieldOp::create(b, sum);
  }
  Value scaled = loop.getResult(0);
  if (panel.gammaKind != GammaKind::None) {
    Value g = emitGamma(b, panel, arg(KernelArg::Gamma), row);
    Value oneF = arith::ConstantOp::create(b, b.getF32FloatAttr(1.0f));
    Value weight = arith::SubFOp::create(b, oneF, g);
    scaled = arith::MulFOp::create(b, scaled, weight);
  }
  if (plan.elementType != f32)
    scaled = arith::TruncFOp::create(b, plan.elementType, scaled);
  memref::StoreOp::create(b, scaled, t, ValueRange{row, col});
  b.setInsertionPointAfter(ifOp);
  gpu::ReturnOp::create(b);
  return launch;
}
