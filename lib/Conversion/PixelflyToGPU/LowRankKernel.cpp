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

namespace {
/// The value of T[row, col] before the mix, in f32.
using PanelElementFn = llvm::function_ref<Value(
    ImplicitLocOpBuilder &, llvm::function_ref<Value(KernelArg::Kind)> arg,
    Value row, Value col)>;
} // namespace

/// One thread per element of T, row-major, so the threads of a warp read
/// consecutive columns of a row: T[row, col] = (1 - g(row)) * value, rounded
/// to T's type. `inputs` are the arguments besides T and gamma, the first
/// one token-major (its rows are T's).
static KernelLaunch
buildPanelElementKernel(gpu::GPUModuleOp module, StringRef name,
                        const ProductPlan &plan,
                        ArrayRef<std::pair<KernelArg::Kind, Type>> inputs,
                        Location loc, PanelElementFn value) {
  const LowRankPanel &panel = *plan.panel;
  KernelLaunch launch;
  for (auto [role, type] : inputs)
    launch.signature.add({role}, type);
  launch.signature.add({KernelArg::T}, panel.tType);
  if (panel.gammaType)
    launch.signature.add({KernelArg::Gamma}, panel.gammaType);
  gpu::GPUFuncOp func = launch.kernel =
      createKernelFunc(module, name, launch.signature, kLowRankThreads, loc);
  // ceil(M * rank / threads) blocks.
  launch.gridX = {panel.rank, kLowRankThreads};
  launch.threads = kLowRankThreads;
  auto arg = [&](KernelArg::Kind role) {
    return kernelArgument(func, launch.signature, {role});
  };

  ImplicitLocOpBuilder b(loc, func.getContext());
  b.setInsertionPointToStart(&func.getBody().front());
  auto cst = [&](int64_t c) -> Value {
    return arith::ConstantIndexOp::create(b, c);
  };
  Value tid = gpu::ThreadIdOp::create(b, gpu::Dimension::x);
  Value bid = gpu::BlockIdOp::create(b, gpu::Dimension::x);
  Value idx = arith::AddIOp::create(
      b, arith::MulIOp::create(b, bid, cst(kLowRankThreads)), tid);
  Value numTokens = memref::DimOp::create(b, arg(inputs.front().first), cst(0));
  Value total = arith::MulIOp::create(b, numTokens, cst(panel.rank));
  Value inside =
      arith::CmpIOp::create(b, arith::CmpIPredicate::ult, idx, total);
  auto ifOp = scf::IfOp::create(b, TypeRange{}, inside, false);
  b.setInsertionPointToStart(ifOp.thenBlock());
  Value row = arith::DivUIOp::create(b, idx, cst(panel.rank));
  Value col = arith::RemUIOp::create(b, idx, cst(panel.rank));
  Value scaled = value(b, arg, row, col);
  if (panel.gammaKind != GammaKind::None) {
    Value g = emitGamma(b, panel, arg(KernelArg::Gamma), row);
    Value oneF = arith::ConstantOp::create(b, b.getF32FloatAttr(1.0f));
    Value weight = arith::SubFOp::create(b, oneF, g);
    scaled = arith::MulFOp::create(b, scaled, weight);
  }
  if (plan.elementType != b.getF32Type())
    scaled = arith::TruncFOp::create(b, plan.elementType, scaled);
  memref::StoreOp::create(b, scaled, arg(KernelArg::T), ValueRange{row, col});
  b.setInsertionPointAfter(ifOp);
  gpu::ReturnOp::create(b);
  return launch;
}

/// `src[at]` in f32.
static Value loadF32(ImplicitLocOpBuilder &b, Value src, ValueRange at) {
  Value e = memref::LoadOp::create(b, src, at);
  return e.getType().isF32() ? e : arith::ExtFOp::create(b, b.getF32Type(), e);
}

KernelLaunch mlir::pixelfly::buildLowRankKernel(gpu::GPUModuleOp module,
                                                StringRef name,
                                                const ProductPlan &plan,
                                                Location loc) {
  return buildPanelElementKernel(
      module, name, plan,
      {{KernelArg::X, plan.xType}, {KernelArg::V, plan.panel->vType}}, loc,
      [&](ImplicitLocOpBuilder &b, auto arg, Value row, Value col) -> Value {
        Value x = arg(KernelArg::X), v = arg(KernelArg::V);
        auto cst = [&](int64_t c) -> Value {
          return arith::ConstantIndexOp::create(b, c);
        };
        Value zero = arith::ConstantOp::create(b, b.getF32FloatAttr(0.0f));
        auto loop = scf::ForOp::create(b, cst(0), cst(plan.xType.getDimSize(1)),
                                       cst(1), ValueRange{zero});
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(loop.getBody());
        Value k = loop.getInductionVar();
        Value sum = arith::AddFOp::create(
            b, loop.getRegionIterArgs()[0],
            arith::MulFOp::create(b, loadF32(b, x, {row, k}),
                                  loadF32(b, v, {k, col})));
        scf::YieldOp::create(b, sum);
        return loop.getResult(0);
      });
}

KernelLaunch mlir::pixelfly::buildPanelScaleKernel(gpu::GPUModuleOp module,
                                                   StringRef name,
                                                   const ProductPlan &plan,
                                                   Location loc) {
  return buildPanelElementKernel(
      module, name, plan, {{KernelArg::XV, plan.panel->xvType}}, loc,
      [](ImplicitLocOpBuilder &b, auto arg, Value row, Value col) {
        return loadF32(b, arg(KernelArg::XV), {row, col});
      });
}
