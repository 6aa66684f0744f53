//===- BudgetAllocator.h - Spread a global budget over layers ---*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// Plain C++ (no MLIR types): the allocation behind the budget analysis,
// unit-tested on its own. See docs/BudgetAnalysis.md.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_ANALYSIS_BUDGETALLOCATOR_H
#define PIXELFLY_ANALYSIS_BUDGETALLOCATOR_H

#include "pixelfly/Analysis/CostModel.h"
#include "pixelfly/Patterns/Butterfly.h"

#include <string>
#include <vector>

namespace mlir::pixelfly {

enum class LayerStructure { Dense, Butterfly, LowRank, TwoFour };

/// Name of a structure as the `#pixelfly.plan` attribute spells it.
const char *getLayerStructureName(LayerStructure s);

struct BudgetOptions {
  /// Budget as a fraction of the dense cost of all eligible layers, in
  /// (0, 1]. 1 keeps everything dense.
  double budget = 0.25;
  /// Fraction of a layer's allocation that goes to the low-rank term of a
  /// butterfly plan (the Pixelfly paper uses 1/4 to 1/3).
  double lowRankFraction = 0.25;
  /// Ranks are multiples of this.
  int64_t rankMultiple = 16;
  bool allowButterfly = true;
  bool allowLowRank = true;
  bool allowTwoFour = true;
};

/// What one layer gets. Costs are in the cost model's units.
struct LayerPlan {
  LayerStructure structure = LayerStructure::Dense;
  /// For Butterfly: the generator (square blocks of the model's size).
  patterns::FlatButterflyParams butterfly;
  /// For Butterfly: stored blocks of the materialized layout.
  int64_t numBlocks = 0;
  /// Rank of the low-rank term (Butterfly or LowRank), a multiple of
  /// `rankMultiple`.
  int64_t rank = 0;
  double denseCost = 0;
  /// The layer's share of the budget (after deficits of other layers and
  /// leftovers were handed on).
  double allocatedCost = 0;
  /// Cost of the plan; never above `allocatedCost`.
  double achievedCost = 0;
  /// Parameters kept, as a fraction of the dense weight's `n * k`.
  double density = 1;
};

struct BudgetResult {
  /// One plan per layer, in the order of the input.
  std::vector<LayerPlan> plans;
  double totalDenseCost = 0;
  double budgetCost = 0;
  double totalAchievedCost = 0;
  /// Non-empty when the budget is infeasible (below the cheapest plans) or
  /// the options are invalid; `plans` is then empty.
  std::string error;
};

/// Spreads `options.budget * (sum of dense costs)` over `layers` in
/// proportion to their dense cost, turns every share into whole parameters
/// (butterfly generators of the model's block, ranks multiple of
/// `rankMultiple`), hands what rounding leaves over to the layers that can
/// use it (largest first), and never exceeds the budget. Every layer must be
/// eligible: `n` and `k` multiples of the block (for butterfly) or `k` a
/// multiple of 16 (for 2:4).
BudgetResult allocateBudget(const std::vector<LayerShape> &layers,
                            const CostModel &model,
                            const BudgetOptions &options);

/// Largest weight (`N x K` elements) the allocator plans; a larger layer
/// stays dense. Far above real models (a 256k x 16k embedding is 2^32).
constexpr int64_t kMaxPlannedWeightElements = int64_t{1} << 32;
/// Largest block grid whose flat butterflies the allocator enumerates (it
/// builds every candidate's layout); a larger one gets no butterfly plan.
constexpr int64_t kMaxPlannedBlocks = int64_t{1} << 20;

/// Whether a layer of this shape can get any sparse structure under
/// `options` with `model`'s block size; if not, `reason` says why.
bool isEligibleLayer(LayerShape shape, const CostModel &model,
                     const BudgetOptions &options, std::string &reason);

} // namespace mlir::pixelfly

#endif // PIXELFLY_ANALYSIS_BUDGETALLOCATOR_H
