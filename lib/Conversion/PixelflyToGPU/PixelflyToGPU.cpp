//===- PixelflyToGPU.cpp - Pixelfly products to tensor-core kernels -------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Replaces each configured block-sparse product (memref form) by a launch
// of a kernel specialized to its layout and #pixelfly.gpu_config. The pass
// only reads the configuration; what it cannot lower stays as it was, with
// a remark.
//
//===----------------------------------------------------------------------===//

#include "KernelPlan.h"

#include "pixelfly/Conversion/Passes.h"
#include "pixelfly/Dialect/Pixelfly/IR/PixelflyOps.h"

#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

namespace mlir::pixelfly {
#define GEN_PASS_DEF_CONVERTPIXELFLYTOGPU
#include "pixelfly/Conversion/Passes.h.inc"
} // namespace mlir::pixelfly

using namespace mlir;
using namespace mlir::pixelfly;

static constexpr llvm::StringLiteral kConfigAttrName = "pixelfly.gpu_config";
static constexpr llvm::StringLiteral kKernelModuleName = "pixelfly_kernels";

/// The products a configuration may be attached to.
static bool isProduct(Operation *op) {
  return isa<BlockSparseMatmulOp, BlockSparseInputGradOp,
             BlockSparseWeightGradOp, LinearOp, LowRankMatmulOp,
             TwoFourMatmulOp>(op);
}

/// The kernel plan of `op`, or failure with the reason in `why`.
static FailureOr<KernelPlan> planFor(Operation *op, std::string &why) {
  Attribute attr = op->getAttr(kConfigAttrName);
  if (!attr) {
    why = "no pixelfly.gpu_config (run pixelfly-gpu-config first)";
    return failure();
  }
  auto config = dyn_cast<GpuConfigAttr>(attr);
  if (!config) {
    why = "pixelfly.gpu_config is not a #pixelfly.gpu_config";
    return failure();
  }
  auto matmul = dyn_cast<BlockSparseMatmulOp>(op);
  if (!matmul) {
    why = "no GPU kernel for '" + op->getName().getStringRef().str() + "' yet";
    return failure();
  }
  if (!op->getParentOfType<FunctionOpInterface>() ||
      op->getParentOfType<gpu::GPUModuleOp>()) {
    why = "not in a host function";
    return failure();
  }
  return planKernel(matmul, config, why);
}

namespace {
struct ConvertPixelflyToGPUPass
    : public pixelfly::impl::ConvertPixelflyToGPUBase<
          ConvertPixelflyToGPUPass> {
  void runOnOperation() override {
    SmallVector<Operation *> products;
    getOperation()->walk([&](Operation *op) {
      if (isProduct(op))
        products.push_back(op);
    });
    for (Operation *op : products) {
      std::string why;
      FailureOr<KernelPlan> plan = planFor(op, why);
      if (succeeded(plan) && succeeded(lower(op, *plan, why)))
        continue;
      op->emitRemark() << "convert-pixelfly-to-gpu: left unchanged: " << why;
    }
  }

  /// The module's kernel container, created on first use.
  FailureOr<gpu::GPUModuleOp> kernelModule(std::string &why) {
    ModuleOp module = getOperation();
    Operation *existing =
        SymbolTable::lookupSymbolIn(module, kKernelModuleName);
    if (existing) {
      if (auto gpuModule = dyn_cast<gpu::GPUModuleOp>(existing))
        return gpuModule;
      why = "symbol @" + kKernelModuleName.str() + " is not a gpu.module";
      return failure();
    }
    auto b = OpBuilder::atBlockEnd(module.getBody());
    auto gpuModule =
        gpu::GPUModuleOp::create(b, module.getLoc(), kKernelModuleName);
    module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                    b.getUnitAttr());
    return gpuModule;
  }

  /// A kernel name not yet used by the kernel or its tables.
  static std::string uniqueKernelName(gpu::GPUModuleOp module, Operation *op) {
    auto func = op->getParentOfType<FunctionOpInterface>();
    std::string base = (func.getName() + "_block_sparse_matmul").str();
    SymbolTable symbols(module);
    for (unsigned i = 0;; ++i) {
      std::string name = i == 0 ? base : base + "_" + std::to_string(i);
      if (!symbols.lookup(name) && !symbols.lookup(name + "_tiles") &&
          !symbols.lookup(name + "_cols") && !symbols.lookup(name + "_blocks"))
        return name;
    }
  }

  LogicalResult lower(Operation *op, const KernelPlan &plan, std::string &why) {
    auto matmul = cast<BlockSparseMatmulOp>(op);
    int64_t staticM = plan.xType.getDimSize(0);
    // Nothing to add: no rows, or every block row is empty (Y = init).
    if (staticM == 0 || plan.tiles.empty()) {
      op->erase();
      return success();
    }
    FailureOr<gpu::GPUModuleOp> module = kernelModule(why);
    if (failed(module))
      return failure();
    std::string name = uniqueKernelName(*module, op);
    gpu::GPUFuncOp kernel = buildKernel(*module, name, plan, op->getLoc());

    OpBuilder b(op);
    Location loc = op->getLoc();
    auto index = [&](int64_t v) {
      return arith::ConstantIndexOp::create(b, loc, v).getResult();
    };
    Value one = index(1);
    Value gridX = index(plan.tiles.size());
    Value gridY;
    if (!ShapedType::isDynamic(staticM)) {
      gridY = index(llvm::divideCeil(staticM, plan.tileM()));
    } else {
      Value m = memref::DimOp::create(b, loc, matmul.getX(), 0);
      gridY = arith::CeilDivUIOp::create(b, loc, m, index(plan.tileM()));
      // A grid dimension of 0 is a launch error.
      Value any =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, m, index(0));
      auto ifOp = scf::IfOp::create(b, loc, TypeRange{}, any, false);
      b.setInsertionPointToStart(ifOp.thenBlock());
    }
    Value sharedBytes;
    if (plan.dynamicShared)
      sharedBytes = arith::ConstantIntOp::create(b, loc, b.getI32Type(),
                                                 plan.sharedBytes);
    gpu::LaunchFuncOp::create(
        b, loc, kernel, gpu::KernelDim3{gridX, gridY, one},
        gpu::KernelDim3{index(plan.numThreads), one, one}, sharedBytes,
        ValueRange{matmul.getX(), matmul.getBlocks(), matmul.getInit()});
    op->erase();
    return success();
  }
};
} // namespace
