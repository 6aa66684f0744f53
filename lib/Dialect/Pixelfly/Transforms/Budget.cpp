//===- Budget.cpp - Attach per-layer plans from the budget analysis -------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Analysis/BudgetAnalysis.h"
#include "pixelfly/Dialect/Pixelfly/IR/PixelflyAttrs.h"
#include "pixelfly/Dialect/Pixelfly/IR/PixelflyDialect.h"
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/ToolOutputFile.h"

namespace mlir::pixelfly {
#define GEN_PASS_DEF_PIXELFLYBUDGET
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h.inc"
} // namespace mlir::pixelfly

using namespace mlir;
using namespace mlir::pixelfly;

/// Name of the discardable attribute that carries a layer's plan.
static constexpr StringLiteral kPlanAttrName = "pixelfly.plan";

static Structure toStructure(LayerStructure s) {
  switch (s) {
  case LayerStructure::Dense:
    return Structure::Dense;
  case LayerStructure::Butterfly:
    return Structure::Butterfly;
  case LayerStructure::LowRank:
    return Structure::LowRank;
  case LayerStructure::TwoFour:
    return Structure::TwoFour;
  }
  llvm_unreachable("unknown structure");
}

namespace {
struct PixelflyBudgetPass
    : public pixelfly::impl::PixelflyBudgetBase<PixelflyBudgetPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    BudgetAnalysisOptions options;
    if (failed(parseOptions(options)))
      return signalPassFailure();

    auto &analysis = getAnalysis<BudgetAnalysis>();
    std::string error;
    FailureOr<BudgetAnalysis::Allocation> allocation =
        analysis.allocate(options, error);
    if (failed(allocation)) {
      module.emitError() << "pixelfly-budget: " << error;
      return signalPassFailure();
    }

    // A budget below the cheapest plans cannot be met: leave the module as
    // it is and say why.
    if (!allocation->result.error.empty()) {
      module.emitWarning() << "pixelfly-budget: " << allocation->result.error
                           << "; no plan attached";
      markAllAnalysesPreserved();
      return;
    }

    MLIRContext *ctx = &getContext();
    ArrayRef<LayerInfo> layers = analysis.getLayers();
    for (auto [i, layerIndex] : llvm::enumerate(allocation->planned)) {
      const LayerPlan &p = allocation->result.plans[i];
      FlatButterflyAttr pattern;
      if (p.structure == LayerStructure::Butterfly)
        pattern = FlatButterflyAttr::get(ctx, p.butterfly.butterflySize,
                                         p.butterfly.nFactors,
                                         p.butterfly.block,
                                         p.butterfly.globalSize);
      bool transposable =
          p.structure == LayerStructure::TwoFour && options.transposable;
      auto plan = PlanAttr::get(ctx, toStructure(p.structure), pattern,
                                p.rank, transposable);
      layers[layerIndex].op->setAttr(kPlanAttrName, plan);
      ++numPlanned;
      if (p.structure != LayerStructure::Dense)
        ++numSparse;
    }
    for (auto &[layerIndex, reason] : allocation->skipped) {
      const LayerInfo &layer = layers[layerIndex];
      // Only layers (contractions on a weight) get a plan; any contraction
      // gets the remark.
      if (layer.weightOperand >= 0)
        layer.op->setAttr(kPlanAttrName,
                          PlanAttr::get(ctx, Structure::Dense, {}, 0, false));
      layer.op->emitRemark() << "pixelfly-budget: " << layer.name
                             << " kept dense: " << reason;
      ++numKeptDense;
    }

    if (!report.empty() && failed(writeReport(analysis, *allocation, options)))
      return signalPassFailure();
    markAllAnalysesPreserved();
  }

private:
  LogicalResult parseOptions(BudgetAnalysisOptions &options) {
    options.budget.budget = budget;
    options.budget.lowRankFraction = lowRankFraction;
    options.target = target;
    options.block = block;
    options.cMem = cMem;
    options.cFlop = cFlop;
    options.minWeightElements = minWeightSize;
    options.tokens = tokens;
    options.transposable = transposable;
    if (!structures.empty()) {
      options.budget.allowButterfly = false;
      options.budget.allowLowRank = false;
      options.budget.allowTwoFour = false;
      for (const std::string &s : structures) {
        if (s == "butterfly")
          options.budget.allowButterfly = true;
        else if (s == "low_rank")
          options.budget.allowLowRank = true;
        else if (s == "two_four")
          options.budget.allowTwoFour = true;
        else
          return getOperation().emitError()
                 << "pixelfly-budget: unknown structure '" << s
                 << "' (expected butterfly, low_rank or two_four)";
      }
    }
    if (!reportFormat.empty() && reportFormat != "text" &&
        reportFormat != "json")
      return getOperation().emitError()
             << "pixelfly-budget: unknown report format '" << reportFormat
             << "' (expected text or json)";
    return success();
  }

  LogicalResult writeReport(const BudgetAnalysis &analysis,
                            const BudgetAnalysis::Allocation &allocation,
                            const BudgetAnalysisOptions &options) {
    bool json = reportFormat == "json" ||
                (reportFormat.empty() && StringRef(report).ends_with(".json"));
    auto print = [&](llvm::raw_ostream &os) {
      if (json)
        analysis.printReportJSON(allocation, options, os);
      else
        analysis.printReport(allocation, options, os);
    };
    if (report == "-") {
      print(llvm::outs());
      llvm::outs().flush();
      return success();
    }
    std::string error;
    std::unique_ptr<llvm::ToolOutputFile> file =
        openOutputFile(report, &error);
    if (!file)
      return getOperation().emitError()
             << "pixelfly-budget: cannot write the report: " << error;
    print(file->os());
    file->keep();
    return success();
  }
};
} // namespace
