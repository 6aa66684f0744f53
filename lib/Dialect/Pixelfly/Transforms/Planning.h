//===- Planning.h - Shared by pixelfly-budget and pixelfly-sparsify -*- C++ -*-//
//
// Part of the pixelfly-mlir project.
//
// Internal to the Transforms library.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_LIB_DIALECT_PIXELFLY_TRANSFORMS_PLANNING_H
#define PIXELFLY_LIB_DIALECT_PIXELFLY_TRANSFORMS_PLANNING_H

#include "pixelfly/Analysis/BudgetAnalysis.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseMap.h"

namespace mlir::pixelfly {

/// Name of the discardable attribute that carries a layer's plan.
inline constexpr StringLiteral kPlanAttrName = "pixelfly.plan";

/// The options every pass with the budget options (PixelflyBudgetOptions in
/// Passes.td) has, as plain values.
struct BudgetPassOptions {
  double budget;
  std::string target;
  int64_t block;
  double lowRankFraction;
  int64_t rankMultiple;
  int64_t minWeightSize;
  ArrayRef<std::string> structures;
  double cMem, cFlop;
  int64_t tokens;
  bool transposable;
};

/// Inside a pass declared with PixelflyBudgetOptions (whose option members
/// are protected): the options' values.
#define PIXELFLY_BUDGET_PASS_OPTIONS()                                         \
  ::mlir::pixelfly::BudgetPassOptions {                                        \
    budget, target, block, lowRankFraction, rankMultiple, minWeightSize,       \
        structures, cMem, cFlop, tokens, transposable                          \
  }

/// Converts pass options into analysis options; reports invalid ones on
/// `module` (prefixed with `passName`).
LogicalResult parseBudgetOptions(const BudgetPassOptions &in,
                                 BudgetAnalysisOptions &out, ModuleOp module,
                                 StringRef passName);

/// Runs the budget allocation and attaches a `pixelfly.plan` to every
/// layer. Layers kept dense for a reason get a dense plan (contractions that
/// are not layers get none); with `remarks`, each gets a remark saying why.
/// Invalid options are an error (failure); an infeasible budget is a warning
/// and attaches nothing. On success `allocation` holds the result (empty for
/// an infeasible budget).
///
/// `exclude` names layers the caller will not rewrite (see
/// BudgetAnalysis::allocate). With `allTwoFour` the budget is not spent but
/// every eligible layer gets a 2:4 plan, and `options.budget.budget` becomes
/// what that costs (for the report).
LogicalResult
planModule(ModuleOp module, const BudgetAnalysis &analysis,
           BudgetAnalysisOptions &options, StringRef passName, bool remarks,
           std::optional<BudgetAnalysis::Allocation> &allocation,
           llvm::function_ref<SkipReason(const LayerInfo &)> exclude = nullptr,
           bool allTwoFour = false);

/// Writes a report to `path` (`-` for standard output) as JSON when
/// `format` is "json" or empty with a path ending in ".json", as text
/// otherwise. `format` must be empty, "text" or "json" (checked by the
/// caller). Reports failures on `module`.
LogicalResult
writeReport(ModuleOp module, StringRef passName, StringRef path,
            StringRef format,
            llvm::function_ref<void(llvm::raw_ostream &, bool json)> print);

/// Checks a report format option.
LogicalResult checkReportFormat(ModuleOp module, StringRef passName,
                                StringRef format);

} // namespace mlir::pixelfly

#endif // PIXELFLY_LIB_DIALECT_PIXELFLY_TRANSFORMS_PLANNING_H
