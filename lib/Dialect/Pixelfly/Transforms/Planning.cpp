//===- Planning.cpp - Shared by pixelfly-budget and pixelfly-sparsify -----===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "Planning.h"

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyAttrs.h"

#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
using namespace mlir::pixelfly;

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

LogicalResult mlir::pixelfly::parseBudgetOptions(const BudgetPassOptions &in,
                                                 BudgetAnalysisOptions &out,
                                                 ModuleOp module,
                                                 StringRef passName) {
  out.budget.budget = in.budget;
  out.budget.lowRankFraction = in.lowRankFraction;
  out.budget.rankMultiple = in.rankMultiple;
  out.target = in.target;
  out.block = in.block;
  out.cMem = in.cMem;
  out.cFlop = in.cFlop;
  out.minWeightElements = in.minWeightSize;
  out.tokens = in.tokens;
  out.transposable = in.transposable;
  if (in.structures.empty())
    return success();
  out.budget.allowButterfly = false;
  out.budget.allowLowRank = false;
  out.budget.allowTwoFour = false;
  for (const std::string &s : in.structures) {
    if (s == "butterfly")
      out.budget.allowButterfly = true;
    else if (s == "low_rank")
      out.budget.allowLowRank = true;
    else if (s == "two_four")
      out.budget.allowTwoFour = true;
    else
      return module.emitError()
             << passName << ": unknown structure '" << s
             << "' (expected butterfly, low_rank or two_four)";
  }
  return success();
}

/// Turns an allocation made with 2:4 as the only structure into 2:4 for
/// every planned layer, whatever the budget would have allowed.
static void makeAllTwoFour(BudgetAnalysis::Allocation &allocation,
                           const BudgetAnalysis &analysis,
                           const BudgetAnalysisOptions &options) {
  BudgetResult &result = allocation.result;
  result.totalAchievedCost = 0;
  for (auto [i, layerIndex] : llvm::enumerate(allocation.planned)) {
    LayerShape shape = analysis.getLayers()[layerIndex].shape;
    if (ShapedType::isDynamic(shape.m))
      shape.m = options.tokens;
    LayerPlan &plan = result.plans[i];
    plan = LayerPlan();
    plan.structure = LayerStructure::TwoFour;
    plan.denseCost = allocation.model.dense(shape);
    plan.achievedCost = plan.allocatedCost = allocation.model.twoFour(shape);
    plan.density = 0.5;
    result.totalAchievedCost += plan.achievedCost;
  }
  result.budgetCost = result.totalAchievedCost;
}

LogicalResult mlir::pixelfly::planModule(
    ModuleOp module, const BudgetAnalysis &analysis,
    BudgetAnalysisOptions &options, StringRef passName, bool remarks,
    std::optional<BudgetAnalysis::Allocation> &allocation,
    llvm::function_ref<SkipReason(const LayerInfo &)> exclude,
    bool allTwoFour) {
  if (allTwoFour) {
    // A budget that makes 2:4 affordable everywhere; the plans are then
    // replaced, so dense plans from a generous share never survive.
    options.budget.budget = 1;
    options.budget.allowButterfly = options.budget.allowLowRank = false;
    options.budget.allowTwoFour = true;
  }
  std::string error;
  FailureOr<BudgetAnalysis::Allocation> result =
      analysis.allocate(options, error, exclude);
  if (failed(result))
    return module.emitError() << passName << ": " << error;
  if (allTwoFour && result->result.error.empty() && !result->planned.empty()) {
    makeAllTwoFour(*result, analysis, options);
    options.budget.budget =
        result->result.totalAchievedCost / result->result.totalDenseCost;
  }
  // A budget below the cheapest plans cannot be met: leave the module as it
  // is and say why.
  if (!result->result.error.empty()) {
    module.emitWarning() << passName << ": " << result->result.error
                         << "; no plan attached";
    allocation.reset();
    return success();
  }

  MLIRContext *ctx = module.getContext();
  ArrayRef<LayerInfo> layers = analysis.getLayers();
  for (auto [i, layerIndex] : llvm::enumerate(result->planned)) {
    const LayerPlan &p = result->result.plans[i];
    FlatButterflyAttr pattern;
    if (p.structure == LayerStructure::Butterfly)
      pattern = FlatButterflyAttr::get(ctx, p.butterfly.butterflySize,
                                       p.butterfly.nFactors, p.butterfly.block,
                                       p.butterfly.globalSize);
    bool transposable =
        p.structure == LayerStructure::TwoFour && options.transposable;
    layers[layerIndex].op->setAttr(
        kPlanAttrName, PlanAttr::get(ctx, toStructure(p.structure), pattern,
                                     p.rank, transposable));
  }
  for (auto &[layerIndex, reason] : result->skipped) {
    const LayerInfo &layer = layers[layerIndex];
    // Only layers (contractions on a weight) get a plan.
    if (layer.weightOperand >= 0)
      layer.op->setAttr(kPlanAttrName,
                        PlanAttr::get(ctx, Structure::Dense, {}, 0, false));
    if (remarks)
      layer.op->emitRemark()
          << passName << ": " << layer.name << " kept dense: " << reason.text;
  }
  allocation = std::move(*result);
  return success();
}

LogicalResult mlir::pixelfly::checkReportFormat(ModuleOp module,
                                                StringRef passName,
                                                StringRef format) {
  if (format.empty() || format == "text" || format == "json")
    return success();
  return module.emitError() << passName << ": unknown report format '"
                            << format << "' (expected text or json)";
}

LogicalResult mlir::pixelfly::writeReport(
    ModuleOp module, StringRef passName, StringRef path, StringRef format,
    llvm::function_ref<void(llvm::raw_ostream &, bool json)> print) {
  bool json = format == "json" || (format.empty() && path.ends_with(".json"));
  if (path == "-") {
    print(llvm::outs(), json);
    llvm::outs().flush();
    return success();
  }
  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> file = openOutputFile(path, &error);
  if (!file)
    return module.emitError()
           << passName << ": cannot write the report: " << error;
  print(file->os(), json);
  file->keep();
  return success();
}
