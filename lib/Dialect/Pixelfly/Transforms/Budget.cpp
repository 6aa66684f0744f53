//===- Budget.cpp - Attach per-layer plans from the budget analysis -------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "Planning.h"

#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"

namespace mlir::pixelfly {
#define GEN_PASS_DEF_PIXELFLYBUDGET
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h.inc"
} // namespace mlir::pixelfly

using namespace mlir;
using namespace mlir::pixelfly;

namespace {
struct PixelflyBudgetPass
    : public pixelfly::impl::PixelflyBudgetBase<PixelflyBudgetPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    BudgetAnalysisOptions options;
    if (failed(parseBudgetOptions(PIXELFLY_BUDGET_PASS_OPTIONS(), options,
                                  module, getArgument())) ||
        failed(checkReportFormat(module, getArgument(), reportFormat)))
      return signalPassFailure();

    auto &analysis = getAnalysis<BudgetAnalysis>();
    std::optional<BudgetAnalysis::Allocation> allocation;
    if (failed(planModule(module, analysis, options, getArgument(),
                          /*remarks=*/true, allocation)))
      return signalPassFailure();
    markAllAnalysesPreserved();
    if (!allocation)
      return;

    numPlanned += allocation->planned.size();
    for (const LayerPlan &p : allocation->result.plans)
      if (p.structure != LayerStructure::Dense)
        ++numSparse;
    numKeptDense += allocation->skipped.size();

    if (!report.empty() &&
        failed(writeReport(module, getArgument(), report, reportFormat,
                           [&](llvm::raw_ostream &os, bool json) {
                             if (json)
                               analysis.printReportJSON(*allocation, options,
                                                        os);
                             else
                               analysis.printReport(*allocation, options, os);
                           })))
      return signalPassFailure();
  }
};
} // namespace
