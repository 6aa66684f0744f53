//===- CPUConfig.cpp - Choose the CPU register tiling for a target --------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// The decision half of CPU code generation, as pixelfly-gpu-config is for
// the GPU: the target's register file decides the register tile, recorded
// in #pixelfly.cpu_config so that a test or a stack can pin it and the
// lowering passes only read it.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyDialect.h"
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"
#include "pixelfly/Dialect/Pixelfly/Utils/CpuTarget.h"
#include "pixelfly/Dialect/Pixelfly/Utils/ShapeBounds.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMAttrs.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"

namespace mlir::pixelfly {
#define GEN_PASS_DEF_PIXELFLYCPUCONFIG
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h.inc"
} // namespace mlir::pixelfly

using namespace mlir;
using namespace mlir::pixelfly;

namespace {
struct PixelflyCPUConfigPass
    : public pixelfly::impl::PixelflyCPUConfigBase<PixelflyCPUConfigPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (strip) {
      // The target the tiles were chosen for goes on the functions, which
      // the LLVM functions inherit, so that whoever compiles them (a JIT,
      // llc) compiles for it. The features are complete: a function's
      // features replace the compiler's defaults (a JIT's are the host's,
      // AVX-512 included on a machine that has it) instead of adding to
      // them.
      if (auto config =
              module->getAttrOfType<CpuConfigAttr>(kCpuConfigAttrName)) {
        Builder b(&getContext());
        std::string features =
            completeTargetFeatures(config.getCpu(), config.getFeatures());
        // A function that names its own target keeps it.
        module.walk([&](func::FuncOp func) {
          if (func->hasAttr("target_cpu") || func->hasAttr("target_features"))
            return;
          func->setAttr("target_cpu", b.getStringAttr(config.getCpu()));
          if (!features.empty())
            func->setAttr("target_features", LLVM::TargetFeaturesAttr::get(
                                                 &getContext(), features));
        });
      }
      module->removeAttr(kCpuConfigAttrName);
      return;
    }
    // Vectors already in the input are unrolled whole by the CPU pipeline's
    // lowering (transfers to SCF, contractions to outer products): one of
    // billions of elements would run for hours. Refused up front, whether
    // or not the pipeline vectorizes.
    WalkResult huge = module->walk([&](Operation *op) {
      for (Type type : op->getResultTypes()) {
        auto vector = dyn_cast<VectorType>(type);
        if (!vector || staticElementsWithin(vector.getShape(),
                                            CpuConfigAttr::kMaxTileWork))
          continue;
        op->emitError() << "pixelfly-cpu-config: " << vector
                        << " is too large to unroll (more than "
                        << CpuConfigAttr::kMaxTileWork << " elements)";
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (huge.wasInterrupted())
      return signalPassFailure();
    // A configuration set by hand (or by an earlier run) is kept.
    if (module->hasAttr(kCpuConfigAttrName))
      return;
    std::string error;
    std::optional<CpuTarget> target = resolveCpuTarget(cpu, features, error);
    if (!target) {
      module.emitError() << "pixelfly-cpu-config: " << error;
      return signalPassFailure();
    }
    CpuTiles tiles = chooseCpuTiles(*target);
    auto override = [](int64_t given, int64_t &chosen) {
      if (given != 0)
        chosen = given;
    };
    override(tileM, tiles.tileM);
    override(tileN, tiles.tileN);
    override(tileK, tiles.tileK);
    // The chosen panel follows an overridden tile-m.
    if (panelM != 0)
      tiles.panelM = panelM;
    else if (tileM != 0)
      tiles.panelM = roundPanel(128, tiles.tileM);
    auto emitError = [&]() -> InFlightDiagnostic {
      return module.emitError() << "pixelfly-cpu-config: ";
    };
    CpuConfigAttr config = CpuConfigAttr::getChecked(
        emitError, &getContext(), StringRef(target->cpu),
        StringRef(target->features), target->vectorBits,
        target->vectorRegisters, tiles.tileM, tiles.tileN, tiles.tileK,
        tiles.panelM);
    if (!config)
      return signalPassFailure();
    module->setAttr(kCpuConfigAttrName, config);
  }
};
} // namespace
