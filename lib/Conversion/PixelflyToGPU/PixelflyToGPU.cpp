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

#include "Ampere/MmaSyncPlan.h"
#include "Ampere/TwoFourKernel.h"
#include "FusedEpilogue.h"
#include "Hopper/TwoFourWgmmaKernel.h"
#include "Hopper/WgmmaPlan.h"
#include "LowRankKernel.h"
#include "PruneKernel.h"
#include "SplitSumKernel.h"
#include "pixelfly/Dialect/Pixelfly/Utils/BufferEffects.h"

#include "pixelfly/Conversion/Passes.h"
#include "pixelfly/Dialect/Pixelfly/IR/PixelflyOps.h"
#include "pixelfly/Dialect/Pixelfly/Utils/GpuTiling.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <functional>

namespace mlir::pixelfly {
#define GEN_PASS_DEF_CONVERTPIXELFLYTOGPU
#include "pixelfly/Conversion/Passes.h.inc"
} // namespace mlir::pixelfly

using namespace mlir;
using namespace mlir::pixelfly;

static constexpr llvm::StringLiteral kKernelModuleName = "pixelfly_kernels";

/// The products a configuration may be attached to.
static bool isProduct(Operation *op) {
  return isa<BlockSparseMatmulOp, BlockSparseInputGradOp,
             BlockSparseWeightGradOp, LinearOp, LowRankMatmulOp,
             TwoFourMatmulOp>(op);
}

/// What the pass lowers: the configured products, and 2:4 pruning (which
/// needs no configuration).
static bool isLowered(Operation *op) {
  return isProduct(op) || isa<Prune24Op>(op);
}

/// Kernels are launched from host code: not from a GPU module.
static LogicalResult checkHostFunction(Operation *op, std::string &why) {
  if (op->getParentOfType<FunctionOpInterface>() &&
      !op->getParentOfType<gpu::GPUModuleOp>())
    return success();
  why = "not in a host function";
  return failure();
}

/// The configuration of `op` (its kind selects the kernel family), or
/// failure with the reason in `why`.
static FailureOr<GpuKernelConfig> configOf(Operation *op, std::string &why) {
  Attribute attr = op->getAttr(kGpuConfigAttrName);
  if (!attr) {
    why = "no pixelfly.gpu_config (run pixelfly-gpu-config first)";
    return failure();
  }
  auto config = dyn_cast<GpuKernelConfig>(attr);
  if (!config) {
    why = "pixelfly.gpu_config is not a kernel configuration "
          "(#pixelfly.gpu_config or #pixelfly.hopper_config)";
    return failure();
  }
  if (failed(checkHostFunction(op, why)))
    return failure();
  return config;
}

/// The zero fill of `op`'s init that the kernel can absorb: a linalg.fill
/// of +0 into exactly the init, earlier in the same block with no op in
/// between that may touch the init's buffer, and that buffer read by no
/// other operand of `op`. The kernel then writes Y without reading it (half
/// the epilogue's memory traffic, and no fill kernel).
static linalg::FillOp zeroFillOf(Operation *op) {
  // Products have one output: their destination-style init.
  Value init = cast<DestinationStyleOpInterface>(op).getDpsInits().front();
  // No other operand may see init's buffer (through a view or not): it
  // would read the zeros the fold removes.
  Value base = baseBuffer(init);
  for (OpOperand &other : op->getOpOperands())
    if (other.get() != init && isa<MemRefType>(other.get().getType()) &&
        baseBuffer(other.get()) == base)
      return nullptr;
  if (llvm::count(op->getOperands(), init) != 1)
    return nullptr;
  for (Operation *prev = op->getPrevNode(); prev; prev = prev->getPrevNode()) {
    auto fill = dyn_cast<linalg::FillOp>(prev);
    if (fill && fill.hasPureBufferSemantics() &&
        fill.getOutputs().front() == init)
      return matchPattern(fill.getInputs().front(), m_PosZeroFloat())
                 ? fill
                 : nullptr;
    if (!isMemoryEffectFree(prev) && mayTouch(prev, init))
      return nullptr;
  }
  return nullptr;
}

/// Whether the kernel of `plan` writes every element of its output: a
/// zero init can only be folded then (tiles without work keep init). A
/// weight gradient's tile is one stored block, which its thread block writes
/// whole after reducing over the tokens (none included).
static bool coversOutput(const ProductPlan &plan) {
  if (plan.isWeightGrad() || plan.panel || !plan.layout)
    return true;
  BlockLayoutAttr layout = plan.layout;
  if (!plan.isInputGrad()) {
    for (int64_t i = 0, e = layout.getNumBlockRows(); i < e; ++i)
      if (layout.getRowCols(i).empty())
        return false;
    return true;
  }
  llvm::SmallVector<bool> seen(layout.getNumBlockCols(), false);
  for (int64_t col : layout.getColIdx())
    seen[col] = true;
  return llvm::all_of(seen, [](bool s) { return s; });
}

/// The kernel builder a lowering calls: `build` on a copy of `plan` told
/// whether init is known to be zero and which consumers its epilogue
/// computes.
template <typename Plan>
static auto kernelOf(const Plan &plan,
                     KernelLaunch (*build)(gpu::GPUModuleOp, StringRef,
                                           const Plan &, Location),
                     Location loc) {
  return [&plan, build, loc](gpu::GPUModuleOp module, StringRef name,
                             bool zeroInit, const FusedEpilogue *fused) {
    Plan main = plan;
    main.zeroInit = zeroInit;
    main.fused = fused;
    if constexpr (std::is_base_of_v<ProductPlan, Plan>)
      if (main.splits > 1)
        main.writePartials();
    return build(module, name, main, loc);
  };
}

namespace {
/// A device buffer the host allocates for one product's launches and
/// passes as kernel argument `role`; a dynamic first dimension is M.
struct ScratchBuffer {
  KernelArg role;
  MemRefType type;
};

struct ConvertPixelflyToGPUPass
    : public pixelfly::impl::ConvertPixelflyToGPUBase<
          ConvertPixelflyToGPUPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<Operation *> products;
    getOperation()->walk([&](Operation *op) {
      if (isLowered(op))
        products.push_back(op);
    });
    // The zero fills the kernels absorb, found before any product is
    // lowered: the search cannot see past a launch (opaque), but it can
    // past the product that the launch replaces.
    zeroFills.clear();
    for (Operation *op : products)
      if (linalg::FillOp fill = isProduct(op) ? zeroFillOf(op) : nullptr)
        zeroFills[op] = fill;
    for (Operation *op : products) {
      std::string why;
      if (succeeded(lowerProduct(op, why)))
        continue;
      // A pipeline that must not leave pixelfly ops behind asks for errors.
      if (strict) {
        op->emitError() << "convert-pixelfly-to-gpu: cannot lower: " << why;
        signalPassFailure();
        continue;
      }
      op->emitRemark() << "convert-pixelfly-to-gpu: left unchanged: " << why;
    }
    mergeIdenticalKernels();
  }

  /// Per product, the zero fill of its init its kernel absorbs (zeroFillOf).
  llvm::DenseMap<Operation *, linalg::FillOp> zeroFills;

  /// `op`'s zero fill, if it still fills `op`'s init: a staged init (a
  /// contiguous temporary for a strided one) is not the filled buffer.
  linalg::FillOp foldableZeroFill(Operation *op) const {
    linalg::FillOp fill = zeroFills.lookup(op);
    Value init = cast<DestinationStyleOpInterface>(op).getDpsInits().front();
    return fill && fill.getOutputs().front() == init ? fill : nullptr;
  }

  /// Products of the same shapes, types, layout and configuration get the
  /// same kernel (a model's repeated layers, a training step's products of
  /// equal size): one copy is kept and launched from every site, which
  /// keeps the module, and its compile time, proportional to the distinct
  /// kernels. Tables first, since kernels name their own.
  void mergeIdenticalKernels() {
    ModuleOp module = getOperation();
    auto kernels = dyn_cast_or_null<gpu::GPUModuleOp>(
        SymbolTable::lookupSymbolIn(module, kKernelModuleName));
    if (!kernels)
      return;
    auto sameAttrsBut = [](Operation *a, Operation *b) {
      NamedAttrList left(a->getAttrDictionary()), right(b->getAttrDictionary());
      left.erase(SymbolTable::getSymbolAttrName());
      right.erase(SymbolTable::getSymbolAttrName());
      return left.getDictionary(a->getContext()) ==
             right.getDictionary(b->getContext());
    };
    auto merge = [&](auto ops, Operation *symbolScope, auto equivalent) {
      SmallVector<Operation *> kept;
      for (Operation *op : ops) {
        auto same = llvm::find_if(kept, [&](Operation *k) {
          return sameAttrsBut(k, op) && equivalent(k, op);
        });
        if (same == kept.end()) {
          kept.push_back(op);
          continue;
        }
        if (failed(SymbolTable::replaceAllSymbolUses(
                op, SymbolTable::getSymbolName(*same), symbolScope)))
          continue;
        op->erase();
      }
    };
    SmallVector<Operation *> globals;
    for (auto global : kernels.getOps<memref::GlobalOp>())
      globals.push_back(global);
    merge(globals, kernels.getOperation(),
          [](Operation *, Operation *) { return true; });
    SmallVector<Operation *> funcs;
    for (auto func : kernels.getOps<gpu::GPUFuncOp>())
      funcs.push_back(func);
    merge(funcs, module.getOperation(), [](Operation *a, Operation *b) {
      return OperationEquivalence::isRegionEquivalentTo(
          &a->getRegion(0), &b->getRegion(0),
          OperationEquivalence::IgnoreLocations);
    });
  }

  /// An output staged through a contiguous temporary: `view` is what the
  /// op wrote before, `ops` what staging inserted (copy in, temporary,
  /// copy back, free).
  struct StagedInit {
    OpOperand *operand;
    Value view;
    SmallVector<Operation *> ops;
  };

  /// Outputs that are strided views (a result computed in place into a
  /// slice of a larger buffer, as empty-tensor elimination arranges for a
  /// tensor.insert_slice) go through a contiguous temporary: copied in
  /// (init is read), written by the kernel, copied back and freed.
  /// pixelfly-gpu-device-memory turns these into device allocations and
  /// copy kernels.
  static SmallVector<StagedInit> stageStridedInits(Operation *op) {
    SmallVector<StagedInit> staged;
    auto dps = cast<DestinationStyleOpInterface>(op);
    for (OpOperand &init : dps.getDpsInitsMutable()) {
      auto type = dyn_cast<MemRefType>(init.get().getType());
      if (!type || type.getLayout().isIdentity() ||
          !isPlainDeviceMemRef(MemRefType::get(type.getShape(),
                                               type.getElementType(),
                                               MemRefLayoutAttrInterface(),
                                               type.getMemorySpace())))
        continue;
      Location loc = op->getLoc();
      OpBuilder b(op);
      SmallVector<Value> sizes;
      for (int64_t d = 0; d < type.getRank(); ++d)
        if (type.isDynamicDim(d))
          sizes.push_back(memref::DimOp::create(b, loc, init.get(), d));
      auto tempType = MemRefType::get(type.getShape(), type.getElementType(),
                                      MemRefLayoutAttrInterface(),
                                      type.getMemorySpace());
      StagedInit s{&init, init.get(), {}};
      for (Value size : sizes)
        s.ops.push_back(size.getDefiningOp());
      auto temp = memref::AllocOp::create(b, loc, tempType, sizes);
      s.ops.push_back(temp);
      s.ops.push_back(memref::CopyOp::create(b, loc, init.get(), temp));
      b.setInsertionPointAfter(op);
      s.ops.push_back(memref::CopyOp::create(b, loc, temp, init.get()));
      s.ops.push_back(memref::DeallocOp::create(b, loc, temp));
      init.set(temp);
      staged.push_back(std::move(s));
    }
    return staged;
  }

  /// Undoes stageStridedInits when the op stays as it was.
  static void unstage(SmallVectorImpl<StagedInit> &staged) {
    for (StagedInit &s : staged) {
      s.operand->set(s.view);
      for (Operation *o : llvm::reverse(s.ops))
        o->erase();
    }
  }

  LogicalResult lowerProduct(Operation *op, std::string &why) {
    SmallVector<StagedInit> staged = stageStridedInits(op);
    LogicalResult lowered = lowerStaged(op, why);
    if (failed(lowered))
      unstage(staged);
    return lowered;
  }

  LogicalResult lowerStaged(Operation *op, std::string &why) {
    if (auto prune = dyn_cast<Prune24Op>(op)) {
      if (failed(checkHostFunction(op, why)))
        return failure();
      FailureOr<PrunePlan> plan = planPrune(prune, why);
      return failed(plan) ? failure() : lowerPrune(prune, *plan, why);
    }
    FailureOr<GpuKernelConfig> kernelConfig = configOf(op, why);
    if (failed(kernelConfig) ||
        failed(
            checkSplits(*kernelConfig, isa<BlockSparseWeightGradOp>(op), why)))
      return failure();
    if (auto hopper = dyn_cast<HopperConfigAttr>(*kernelConfig))
      return lowerHopper(op, hopper, why);
    auto config = cast<GpuConfigAttr>(*kernelConfig);
    if (auto twoFour = dyn_cast<TwoFourMatmulOp>(op)) {
      FailureOr<TwoFourPlan> plan = planTwoFour(twoFour, config, why);
      if (failed(plan))
        return failure();
      return lowerTwoFour(twoFour, *plan,
                          kernelOf(*plan, buildTwoFourKernel, op->getLoc()),
                          why);
    }
    FailureOr<MmaSyncPlan> plan = planMmaSyncKernel(op, config, why);
    if (failed(plan))
      return failure();
    FailureOr<PanelBuildFn> panelKernel = planPanelOf(op, *plan, why);
    if (failed(panelKernel))
      return failure();
    return lower(op, *plan, kernelOf(*plan, buildMmaSyncKernel, op->getLoc()),
                 *panelKernel, why);
  }

  /// The Hopper family: TMA, mbarriers and warpgroup MMA (the low-rank
  /// panel's first kernel is the family its own configuration names).
  LogicalResult lowerHopper(Operation *op, HopperConfigAttr config,
                            std::string &why) {
    if (auto twoFour = dyn_cast<TwoFourMatmulOp>(op)) {
      FailureOr<TwoFourWgmmaPlan> plan = planTwoFourWgmma(twoFour, config, why);
      if (failed(plan))
        return failure();
      return lowerTwoFour(
          twoFour, *plan,
          kernelOf(*plan, buildTwoFourWgmmaKernel, op->getLoc()), why);
    }
    FailureOr<WgmmaPlan> plan = planWgmmaKernel(op, config, why);
    if (failed(plan))
      return failure();
    FailureOr<PanelBuildFn> panelKernel = planPanelOf(op, *plan, why);
    if (failed(panelKernel))
      return failure();
    // The caller's X V: the main kernel reads it and applies 1 - g itself.
    if (plan->panel && plan->panel->xvType)
      panelKernel = PanelBuildFn();
    return lower(op, *plan,
                 kernelOf(*plan,
                          plan->isWeightGrad() ? buildWgmmaWeightGradKernel
                                               : buildWgmmaKernel,
                          op->getLoc()),
                 *panelKernel, why);
  }

  /// Builds the panel's first kernel (T = (1 - g) X V) as `name` into the
  /// module; null: there is none.
  using PanelBuildFn =
      std::function<KernelLaunch(gpu::GPUModuleOp, StringRef name)>;

  /// The panel's first kernel of `op`, whose main kernel is planned as
  /// `plan`: with the caller's X V a scaling of it; else on the tensor
  /// cores of the family its pixelfly.gpu_panel_config names, or one thread
  /// per element of T without one. None without a panel.
  static FailureOr<PanelBuildFn>
  planPanelOf(Operation *op, const ProductPlan &plan, std::string &why) {
    Attribute attr = op->getAttr(kGpuPanelConfigAttrName);
    auto panelConfig = dyn_cast_or_null<GpuKernelConfig>(attr);
    if (attr && (!plan.panel || !panelConfig)) {
      why = "pixelfly.gpu_panel_config is not a GPU configuration "
            "(#pixelfly.gpu_config or #pixelfly.hopper_config) of a product "
            "with a low-rank panel";
      return failure();
    }
    if (!plan.panel)
      return PanelBuildFn();
    Location loc = op->getLoc();
    // The caller's X V leaves no product to configure.
    if (plan.panel->xvType)
      return PanelBuildFn([plan, loc](gpu::GPUModuleOp module, StringRef name) {
        return buildPanelScaleKernel(module, name, plan, loc);
      });
    if (!attr)
      return PanelBuildFn([plan, loc](gpu::GPUModuleOp module, StringRef name) {
        return buildLowRankKernel(module, name, plan, loc);
      });
    auto fail = [&]() -> FailureOr<PanelBuildFn> {
      why = "pixelfly.gpu_panel_config: " + why;
      return failure();
    };
    if (failed(checkSplits(panelConfig, /*weightGrad=*/false, why)))
      return fail();
    if (auto hopper = dyn_cast<HopperConfigAttr>(attr)) {
      FailureOr<WgmmaPlan> p = planWgmmaPanelKernel(plan, hopper, why);
      if (failed(p))
        return fail();
      return PanelBuildFn(
          [p = std::move(*p), loc](gpu::GPUModuleOp module, StringRef name) {
            return buildWgmmaKernel(module, name, p, loc);
          });
    }
    FailureOr<MmaSyncPlan> p =
        planPanelKernel(plan, cast<GpuConfigAttr>(attr), why);
    if (failed(p))
      return fail();
    return PanelBuildFn(
        [p = std::move(*p), loc](gpu::GPUModuleOp module, StringRef name) {
          return buildMmaSyncKernel(module, name, p, loc);
        });
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

  /// A kernel name from `suffix` not yet used by a kernel or its tables.
  static std::string uniqueKernelName(gpu::GPUModuleOp module, Operation *op,
                                      StringRef suffix) {
    auto func = op->getParentOfType<FunctionOpInterface>();
    std::string base = (func.getName() + "_" + suffix).str();
    SymbolTable symbols(module);
    for (unsigned i = 0;; ++i) {
      std::string name = i == 0 ? base : base + "_" + std::to_string(i);
      if (llvm::none_of(KernelSymbols::suffixes(), [&](StringRef suffix) {
            return symbols.lookup(name + suffix.str()) != nullptr;
          }))
        return name;
    }
  }

  /// Builds a product's main kernel as `name` into the module; with
  /// `zeroInit` its init is known to be +0; `fused` (if set) is what its
  /// epilogue computes besides.
  using BuildFn = function_ref<KernelLaunch(gpu::GPUModuleOp, StringRef name,
                                            bool, const FusedEpilogue *)>;

  /// Replaces `op` by the launches of its kernels: the panel's first one
  /// (if there is one), then the main one from `buildMain`.
  LogicalResult lower(Operation *op, const ProductPlan &plan, BuildFn buildMain,
                      const PanelBuildFn &buildPanel, std::string &why) {
    int64_t staticM = plan.xType.getDimSize(0);
    // Nothing to add: no rows, or every block row is empty (Y = init).
    if (staticM == 0 || plan.tiles.empty()) {
      op->erase();
      return success();
    }
    FailureOr<gpu::GPUModuleOp> module = kernelModule(why);
    if (failed(module))
      return failure();
    Location loc = op->getLoc();
    linalg::FillOp zeroFill;
    FusedEpilogue fused;
    if (coversOutput(plan)) {
      zeroFill = foldableZeroFill(op);
      // The weight gradient's output is blocks, not token rows.
      if (!plan.isWeightGrad())
        fused = epilogueOf(op);
    }
    std::string name =
        uniqueKernelName(*module, op, op->getName().stripDialect());
    SmallVector<KernelLaunch, 2> launches;
    launches.push_back(buildMain(*module, name, static_cast<bool>(zeroFill),
                                 fused.empty() ? nullptr : &fused));
    SmallVector<ScratchBuffer, 1> scratch;
    if (plan.splits > 1) {
      // The token ranges' partials, then their sum into init.
      ProductPlan sum = plan;
      sum.zeroInit = static_cast<bool>(zeroFill);
      launches.push_back(buildSplitSumKernel(
          *module, uniqueKernelName(*module, op, "split_sum"), sum, loc));
      scratch.push_back({{KernelArg::Partials}, plan.partialsType()});
    }
    if (buildPanel) {
      // T = (1 - g) X V runs first.
      launches.insert(
          launches.begin(),
          buildPanel(*module, uniqueKernelName(*module, op, "low_rank")));
      scratch.push_back({{KernelArg::T}, plan.panel->tType});
    }
    // A weight gradient over no tokens is still its (zero) init.
    bool fillWhenEmpty = zeroFill && plan.isWeightGrad();
    emitLaunches(op, launches, scratch,
                 fillWhenEmpty ? zeroFill.getOperation() : nullptr, &fused);
    op->erase();
    if (zeroFill && !fillWhenEmpty)
      zeroFill->erase();
    eraseFused(fused);
    return success();
  }

  /// The elementwise consumers the kernel of `op` computes (none without
  /// `fuse-epilogues`), their outputs' allocations moved before `op`. Its
  /// kernel must write every element of its output.
  FusedEpilogue epilogueOf(Operation *op) {
    if (!fuseEpilogues)
      return {};
    FusedEpilogue fused =
        findFusedEpilogue(op, operandFor(op, {KernelArg::Init}));
    for (memref::AllocOp alloc : fused.hoisted)
      alloc->moveBefore(op);
    return fused;
  }

  /// Erases the consumers `fused` moved into a kernel.
  static void eraseFused(const FusedEpilogue &fused) {
    for (linalg::GenericOp generic : llvm::reverse(fused.ops))
      generic->erase();
  }

  /// The value the host passes for kernel argument `arg` of `op`'s kernels,
  /// given the buffers allocated for the call.
  static Value operandFor(Operation *op, KernelArg arg,
                          ArrayRef<std::pair<KernelArg, Value>> scratch = {}) {
    using K = KernelArg;
    for (const auto &[role, buffer] : scratch)
      if (role == arg)
        return buffer;
    if (auto fwd = dyn_cast<BlockSparseMatmulOp>(op))
      return arg.kind == K::X        ? fwd.getX()
             : arg.kind == K::Weight ? fwd.getBlocks()
             : arg.kind == K::Init   ? fwd.getInit()
                                     : Value();
    if (auto grad = dyn_cast<BlockSparseInputGradOp>(op))
      return arg.kind == K::X        ? grad.getDy()
             : arg.kind == K::Weight ? grad.getBlocks()
             : arg.kind == K::Init   ? grad.getInit()
                                     : Value();
    if (auto wgrad = dyn_cast<BlockSparseWeightGradOp>(op))
      return arg.kind == K::X        ? wgrad.getDy()
             : arg.kind == K::Weight ? wgrad.getX()
             : arg.kind == K::Init   ? wgrad.getInit()
                                     : Value();
    if (auto linear = dyn_cast<LinearOp>(op))
      return arg.kind == K::X        ? linear.getX()
             : arg.kind == K::Weight ? linear.getBlocks()
             : arg.kind == K::U      ? linear.getU()
             : arg.kind == K::V      ? linear.getV()
             : arg.kind == K::XV     ? linear.getXv()
             : arg.kind == K::Gamma  ? linear.getGamma()
             : arg.kind == K::Init   ? linear.getInit()
                                     : Value();
    if (auto lowRank = dyn_cast<LowRankMatmulOp>(op))
      return arg.kind == K::X      ? lowRank.getX()
             : arg.kind == K::U    ? lowRank.getU()
             : arg.kind == K::V    ? lowRank.getV()
             : arg.kind == K::Init ? lowRank.getInit()
                                   : Value();
    if (auto twoFour = dyn_cast<TwoFourMatmulOp>(op))
      return arg.kind == K::X          ? twoFour.getX()
             : arg.kind == K::Weight   ? twoFour.getValues()
             : arg.kind == K::Metadata ? twoFour.getMetadata()
             : arg.kind == K::Init     ? twoFour.getInit()
                                       : Value();
    if (auto prune = dyn_cast<Prune24Op>(op))
      return arg.kind == K::Weight ? prune.getInput()
             : arg.kind == K::Output && arg.index < prune.getOutputs().size()
                 ? prune.getOutputs()[arg.index]
                 : Value();
    return Value();
  }

  /// Inserts before `op` the launches of its kernels, in order, with the
  /// `scratch` buffers allocated around them. M is the
  /// X operand's first dimension, if there is one; for a dynamic M
  /// everything goes into an `scf.if (M != 0)`: a grid dimension of 0 is a
  /// launch error, and a product over no tokens adds nothing.
  ///
  /// A scratch buffer is a device allocation for the call (the panel: M x
  /// rank of the operand type, small next to X; a split's partials), freed
  /// after the last launch. Without a caller's stream each launch waits
  /// for its kernel; with one (pixelflySetStream) the allocations, the
  /// launches and the frees are enqueued on it in this order. Allocations
  /// and frees are async ops waited for at once: gpu-to-llvm lowers device
  /// (not host-shared) allocations only in that form.
  ///
  /// `whenEmpty`, if set, is what must run instead where there are no
  /// tokens (the zero fill of a weight gradient, whose blocks do not shrink
  /// with M): moved into the guard's else branch for a dynamic M, erased
  /// otherwise.
  static void emitLaunches(Operation *op, ArrayRef<KernelLaunch> launches,
                           ArrayRef<ScratchBuffer> scratch,
                           Operation *whenEmpty = nullptr,
                           const FusedEpilogue *fused = nullptr) {
    OpBuilder b(op);
    Location loc = op->getLoc();
    auto index = [&](int64_t v) {
      return arith::ConstantIndexOp::create(b, loc, v).getResult();
    };
    Value one = index(1);
    std::optional<int64_t> staticM;
    Value m;
    if (Value x = operandFor(op, {KernelArg::X})) {
      int64_t dimM = cast<MemRefType>(x.getType()).getDimSize(0);
      if (!ShapedType::isDynamic(dimM)) {
        staticM = dimM;
        m = index(dimM);
      } else {
        m = memref::DimOp::create(b, loc, x, 0);
        Value any = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, m,
                                          index(0));
        auto ifOp = scf::IfOp::create(b, loc, TypeRange{}, any,
                                      /*withElseRegion=*/whenEmpty != nullptr);
        if (whenEmpty) {
          whenEmpty->moveBefore(ifOp.elseBlock()->getTerminator());
          whenEmpty = nullptr;
        }
        b.setInsertionPointToStart(ifOp.thenBlock());
      }
    }
    if (whenEmpty)
      whenEmpty->erase();
    auto extent = [&](GridExtent e) -> Value {
      if (!e.perTokens)
        return e.count == 1 ? one : index(e.count);
      if (staticM)
        return index(llvm::divideCeil(*staticM * e.count, e.perTokens));
      Value tokens = e.count == 1 ? m
                                  : arith::MulIOp::create(b, loc, m,
                                                          index(e.count))
                                        .getResult();
      return arith::CeilDivUIOp::create(b, loc, tokens, index(e.perTokens));
    };

    Type token = gpu::AsyncTokenType::get(b.getContext());
    SmallVector<std::pair<KernelArg, Value>> buffers;
    for (const ScratchBuffer &s : scratch) {
      SmallVector<Value> dynamicSizes;
      if (s.type.isDynamicDim(0))
        dynamicSizes.push_back(m);
      Value stream =
          gpu::WaitOp::create(b, loc, token, ValueRange{}).getResult(0);
      auto alloc =
          gpu::AllocOp::create(b, loc, s.type, token, ValueRange{stream},
                               dynamicSizes, ValueRange{});
      gpu::WaitOp::create(b, loc, Type(), ValueRange{alloc.getAsyncToken()});
      buffers.push_back({s.role, alloc.getMemref()});
    }
    for (const KernelLaunch &launch : launches) {
      SmallVector<std::pair<KernelArg, Value>> maps;
      for (const TensorMapArg &map : launch.tensorMaps)
        maps.push_back(
            {map.arg,
             createTensorMap(b, loc, map, operandFor(op, map.source, buffers),
                             index)});
      gpu::KernelDim3 grid{extent(launch.gridX), extent(launch.gridY), one};
      SmallVector<Type> types = launch.signature.types();
      SmallVector<Value> args;
      for (unsigned i = 0; i < launch.signature.size(); ++i) {
        KernelArg role = launch.signature.role(i);
        auto map = llvm::find_if(maps, [&](const auto &m) {
          return m.first == role;
        });
        Value arg = map != maps.end() ? map->second
                    : role.kind == KernelArg::Epilogue
                        ? fused->operands[role.index]
                        : operandFor(op, role, buffers);
        // Kernels read a scalar gamma as f32 (ProductPlan's checkGamma).
        if (role.kind == KernelArg::Gamma && isa<FloatType>(arg.getType()) &&
            !arg.getType().isF32())
          arg = arith::ExtFOp::create(b, loc, b.getF32Type(), arg);
        // A kernel may take a plain operand under another static shape of
        // its bytes (a column weight gradient's 64-row blocks).
        if (auto view = dyn_cast<MemRefType>(types[i]);
            view && arg.getType() != view && isReshapeOf(arg.getType(), view))
          arg = reshapeOperand(b, loc, arg, view);
        args.push_back(arg);
      }
      Value block = index(launch.threads);
      Value dynamicShared;
      if (launch.dynamicSharedBytes)
        dynamicShared = arith::ConstantIntOp::create(
            b, loc, b.getI32Type(), launch.dynamicSharedBytes);
      gpu::LaunchFuncOp::create(b, loc, launch.kernel, grid,
                                gpu::KernelDim3{block, one, one},
                                dynamicShared, args);
    }
    for (const auto &buffer : llvm::reverse(buffers)) {
      Value stream =
          gpu::WaitOp::create(b, loc, token, ValueRange{}).getResult(0);
      auto dealloc = gpu::DeallocOp::create(b, loc, token, ValueRange{stream},
                                            buffer.second);
      gpu::WaitOp::create(b, loc, Type(),
                          ValueRange{dealloc.getAsyncToken()});
    }
  }

  /// Whether a memref of type `to` is a reshape of one of type `from`:
  /// both static, identity-layout, of the same elements and count.
  static bool isReshapeOf(Type from, MemRefType to) {
    auto memref = dyn_cast<MemRefType>(from);
    return memref && memref.hasStaticShape() && to.hasStaticShape() &&
           memref.getLayout().isIdentity() && to.getLayout().isIdentity() &&
           memref.getElementType() == to.getElementType() &&
           memref.getMemorySpace() == to.getMemorySpace() &&
           memref.getNumElements() == to.getNumElements();
  }

  /// `operand`, a plain memref of static shape, as `type` (the same
  /// elements in the same order): collapsed to one dimension and expanded.
  static Value reshapeOperand(OpBuilder &b, Location loc, Value operand,
                              MemRefType type) {
    auto from = cast<MemRefType>(operand.getType());
    SmallVector<ReassociationIndices> all(1);
    for (int64_t d = 0; d < from.getRank(); ++d)
      all[0].push_back(d);
    Value flat = memref::CollapseShapeOp::create(b, loc, operand, all);
    SmallVector<ReassociationIndices> back(1);
    for (int64_t d = 0; d < type.getRank(); ++d)
      back[0].push_back(d);
    return memref::ExpandShapeOp::create(b, loc, type, flat, back);
  }

  /// The TMA tensor map `map` of `operand` (a plain device memref), made
  /// on the host by nvgpu.tma.create.descriptor with the box of its type.
  static Value createTensorMap(OpBuilder &b, Location loc,
                               const TensorMapArg &map, Value operand,
                               function_ref<Value(int64_t)> index) {
    auto type = cast<MemRefType>(operand.getType());
    if (map.collapse && type.getRank() > 2) {
      SmallVector<ReassociationIndices> groups(2);
      for (int64_t d = 0; d + 1 < type.getRank(); ++d)
        groups[0].push_back(d);
      groups[1].push_back(type.getRank() - 1);
      operand = memref::CollapseShapeOp::create(b, loc, operand, groups);
    }
    auto mapType = cast<nvgpu::TensorMapDescriptorType>(map.type);
    Value unranked = memref::CastOp::create(
        b, loc,
        UnrankedMemRefType::get(type.getElementType(), type.getMemorySpace()),
        operand);
    SmallVector<Value> box;
    for (int64_t extent : mapType.getTensor().getShape())
      box.push_back(index(extent));
    Value descriptor = nvgpu::TmaCreateDescriptorOp::create(
        b, loc, mapType, unranked, box);
    return UnrealizedConversionCastOp::create(
               b, loc, LLVM::LLVMPointerType::get(b.getContext()), descriptor)
        .getResult(0);
  }

  /// pixelfly.prune_2_4: one thread per metadata word of W, or per 16 x 16
  /// block for the transposable selection.
  LogicalResult lowerPrune(Prune24Op op, const PrunePlan &plan,
                           std::string &why) {
    if (plan.numThreadTasks == 0) {
      op->erase();
      return success();
    }
    FailureOr<gpu::GPUModuleOp> module = kernelModule(why);
    if (failed(module))
      return failure();
    emitLaunches(op,
                 buildPruneKernel(*module,
                                  uniqueKernelName(*module, op, "prune_2_4"),
                                  plan, op->getLoc()),
                 /*scratch=*/{});
    op->erase();
    return success();
  }

  /// pixelfly.two_four_matmul on the sparse tensor cores: `build` makes
  /// the kernel (told whether init is known to be zero).
  LogicalResult lowerTwoFour(TwoFourMatmulOp op, const TwoFourProduct &product,
                             BuildFn build, std::string &why) {
    if (product.xType.getDimSize(0) == 0) {
      op->erase();
      return success();
    }
    FailureOr<gpu::GPUModuleOp> module = kernelModule(why);
    if (failed(module))
      return failure();
    linalg::FillOp zeroFill = foldableZeroFill(op);
    // The kernel writes every element of Y.
    FusedEpilogue fused = epilogueOf(op);
    emitLaunches(
        op,
        build(*module, uniqueKernelName(*module, op, "two_four_matmul"),
              static_cast<bool>(zeroFill), fused.empty() ? nullptr : &fused),
        /*scratch=*/{}, nullptr, &fused);
    Value metadata = op.getMetadata();
    op->erase();
    if (zeroFill)
      zeroFill->erase();
    eraseFused(fused);
    // The kernel has its own copy of compile-time metadata: drop the host's
    // when nothing else reads it.
    if (auto get = metadata.getDefiningOp<memref::GetGlobalOp>();
        get && get->use_empty()) {
      auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
          get, get.getNameAttr());
      get->erase();
      if (global && global.isPrivate() &&
          SymbolTable::symbolKnownUseEmpty(global, getOperation()))
        global->erase();
    }
    return success();
  }
};
} // namespace
