//===- BudgetAllocator.cpp - Spread a global budget over layers -----------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Analysis/BudgetAllocator.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

namespace mlir::pixelfly {

const char *getLayerStructureName(LayerStructure s) {
  switch (s) {
  case LayerStructure::Dense:
    return "dense";
  case LayerStructure::Butterfly:
    return "butterfly";
  case LayerStructure::LowRank:
    return "low_rank";
  case LayerStructure::TwoFour:
    return "two_four";
  }
  return "unknown";
}

/// A number for a message: six significant digits, no trailing zeros.
static std::string formatNumber(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

namespace {
// Relative slack for comparisons of sums of costs.
constexpr double kEps = 1e-9;

struct ButterflyCandidate {
  patterns::FlatButterflyParams params;
  int64_t numBlocks;
  double cost;
};

/// Everything the allocator needs to know about one layer.
class LayerChoices {
public:
  LayerChoices(LayerShape shape, const CostModel &model,
               const BudgetOptions &options)
      : shape(shape), model(model), options(options) {
    denseCost = model.dense(shape);
    weights = static_cast<double>(shape.n) * shape.k;
    int64_t multiple = options.rankMultiple;
    // A rank whose factors hold as many parameters as the weight is useless:
    // the largest multiple r with r (n + k) < n k (no product that overflows
    // for a huge multiple).
    maxUsefulRank = 0;
    if (multiple > 0 && shape.n + shape.k > 0) {
      int64_t below = (shape.n * shape.k - 1) / (shape.n + shape.k);
      maxUsefulRank = below / multiple * multiple;
    }
    if (options.allowButterfly)
      collectButterflies();
    twoFourOk = options.allowTwoFour && shape.k % 16 == 0;
  }

  double getDenseCost() const { return denseCost; }

  /// Cost of the cheapest sparse plan; negative when there is none.
  double minCost() const {
    double best = -1;
    auto consider = [&](double c) {
      if (best < 0 || c < best)
        best = c;
    };
    if (!butterflies.empty())
      consider(butterflies.front().cost);
    if (options.allowLowRank && maxUsefulRank > 0)
      consider(model.lowRank(shape, options.rankMultiple));
    if (twoFourOk)
      consider(model.twoFour(shape));
    return best;
  }

  /// The best plan for at most `amount`; a plan with `achievedCost < 0`
  /// when nothing fits. Dense when affordable; otherwise the butterfly plus
  /// low-rank plan (low-rank alone only where no butterfly fits), replaced
  /// by 2:4 when 2:4 fits and keeps at least as many parameters.
  LayerPlan best(double amount) const {
    auto fits = [&](const LayerPlan &p) {
      return p.achievedCost >= 0 && p.achievedCost <= amount * (1 + kEps);
    };
    LayerPlan chosen;
    chosen.achievedCost = -1;
    if (denseCost <= amount * (1 + kEps)) {
      chosen.achievedCost = denseCost;
      chosen.density = 1;
      return finish(chosen);
    }
    if (!butterflies.empty()) {
      // The low-rank term gets up to its fraction, the butterfly what is
      // left. Smaller ranks are tried too, down to the smallest one: where
      // a rank step less lets a larger butterfly fit, the plan that spends
      // more of `amount` wins. Rank 0 only when no butterfly fits beside a
      // low-rank term.
      int64_t step = std::max<int64_t>(options.rankMultiple, 1);
      int64_t rank = options.allowLowRank
                         ? maxRank(amount * options.lowRankFraction)
                         : 0;
      for (; rank >= 0; rank -= step) {
        if (rank == 0 && chosen.achievedCost >= 0)
          break;
        const ButterflyCandidate *fit =
            largestButterfly(amount - model.lowRank(shape, rank));
        if (!fit)
          continue;
        double cost = fit->cost + model.lowRank(shape, rank);
        if (chosen.achievedCost >= 0 &&
            cost <= chosen.achievedCost * (1 + kEps))
          continue;
        chosen.structure = LayerStructure::Butterfly;
        chosen.butterfly = fit->params;
        chosen.numBlocks = fit->numBlocks;
        chosen.rank = rank;
        chosen.achievedCost = cost;
        chosen.density = (static_cast<double>(fit->numBlocks) *
                              model.getBlock() * model.getBlock() +
                          static_cast<double>(rank) * (shape.n + shape.k)) /
                         weights;
      }
    }
    if (!fits(chosen) && options.allowLowRank) {
      if (int64_t rank = maxRank(amount); rank > 0) {
        chosen = LayerPlan();
        chosen.structure = LayerStructure::LowRank;
        chosen.rank = rank;
        chosen.achievedCost = model.lowRank(shape, rank);
        chosen.density =
            static_cast<double>(rank) * (shape.n + shape.k) / weights;
      }
    }
    if (twoFourOk) {
      LayerPlan p;
      p.structure = LayerStructure::TwoFour;
      p.achievedCost = model.twoFour(shape);
      p.density = 0.5;
      if (fits(p) && (!fits(chosen) || p.density >= chosen.density - kEps))
        chosen = p;
    }
    return finish(chosen);
  }

  /// Raises the rank of a butterfly or low-rank plan by whole steps paid
  /// from `pool`, keeping the low-rank term of a butterfly plan within
  /// max(low-rank fraction, 1/3) of the plan's cost.
  void addRank(LayerPlan &p, double pool) const {
    bool butterfly = p.structure == LayerStructure::Butterfly;
    if (!options.allowLowRank || options.rankMultiple <= 0 ||
        (!butterfly && p.structure != LayerStructure::LowRank))
      return;
    double step = model.lowRank(shape, options.rankMultiple);
    double cap = std::max(options.lowRankFraction, 1.0 / 3);
    while (p.rank + options.rankMultiple <= maxUsefulRank &&
           step <= pool * (1 + kEps)) {
      double lowRank = model.lowRank(shape, p.rank + options.rankMultiple);
      double total = p.achievedCost + step;
      if (butterfly && lowRank > cap * total * (1 + kEps))
        break;
      p.rank += options.rankMultiple;
      p.achievedCost = total;
      p.density += static_cast<double>(options.rankMultiple) *
                   (shape.n + shape.k) / weights;
      pool -= step;
    }
  }

private:
  LayerPlan finish(LayerPlan p) const {
    p.denseCost = denseCost;
    return p;
  }

  /// Largest multiple of the rank step whose cost fits `amount`.
  int64_t maxRank(double amount) const {
    int64_t multiple = options.rankMultiple;
    if (multiple <= 0 || maxUsefulRank == 0 || amount <= 0)
      return 0;
    double unit = model.lowRank(shape, multiple);
    int64_t steps = static_cast<int64_t>(std::floor(amount / unit + kEps));
    return std::min(steps * multiple, maxUsefulRank);
  }

  const ButterflyCandidate *largestButterfly(double amount) const {
    const ButterflyCandidate *fit = nullptr;
    for (const ButterflyCandidate &c : butterflies)
      if (c.cost <= amount * (1 + kEps))
        fit = &c;
    return fit;
  }

  /// Every flat butterfly of the model's block that fits the shape, is no
  /// finer than the block grid (`butterfly_size` at most the larger number
  /// of block rows or columns: finer ones only smear over whole blocks) and
  /// stores fewer blocks than the dense weight; one per distinct block
  /// count, sorted by block count (so by cost). Where a butterfly entry is
  /// not a whole number of blocks the block reduction makes the density
  /// larger than `(factors + 1) / size`; the block count is what is priced.
  void collectButterflies() {
    int64_t b = model.getBlock();
    if (b <= 0 || shape.n % b != 0 || shape.k % b != 0)
      return;
    int64_t blockRows = shape.n / b, blockCols = shape.k / b;
    if (blockRows > kMaxPlannedBlocks / blockCols)
      return;
    int64_t totalBlocks = blockRows * blockCols;
    std::vector<ButterflyCandidate> all;
    for (int64_t size = 2; size <= std::max(blockRows, blockCols) &&
                           shape.n % size == 0 && shape.k % size == 0;
         size *= 2) {
      int64_t maxFactors = 0;
      while ((int64_t{1} << (maxFactors + 1)) <= size)
        ++maxFactors;
      for (int64_t f = 1; f <= maxFactors; ++f) {
        patterns::FlatButterflyParams p{size, f, b, 0};
        int64_t nnz =
            patterns::flatButterflyLayout(p, shape.n, shape.k).numBlocks();
        if (nnz < totalBlocks)
          all.push_back({p, nnz, model.blockSparse(shape, nnz)});
      }
    }
    // Among generators with the same block count keep the coarsest (the
    // smallest size): the simplest one, whose entries are most often whole
    // blocks.
    std::stable_sort(all.begin(), all.end(),
                     [](const ButterflyCandidate &a,
                        const ButterflyCandidate &c) {
                       if (a.numBlocks != c.numBlocks)
                         return a.numBlocks < c.numBlocks;
                       return a.params.butterflySize < c.params.butterflySize;
                     });
    for (const ButterflyCandidate &c : all)
      if (butterflies.empty() || butterflies.back().numBlocks != c.numBlocks)
        butterflies.push_back(c);
  }

  LayerShape shape;
  const CostModel &model;
  const BudgetOptions &options;
  double denseCost = 0;
  double weights = 0;
  int64_t maxUsefulRank = 0;
  bool twoFourOk = false;
  std::vector<ButterflyCandidate> butterflies;
};
} // namespace

bool isEligibleLayer(LayerShape shape, const CostModel &model,
                     const BudgetOptions &options, std::string &reason) {
  if (shape.m <= 0 || shape.n <= 0 || shape.k <= 0) {
    reason = "empty shape";
    return false;
  }
  if (shape.n > kMaxPlannedWeightElements / shape.k) {
    reason = "too large: the " + std::to_string(shape.n) + "x" +
             std::to_string(shape.k) + " weight has more than " +
             std::to_string(kMaxPlannedWeightElements) + " elements";
    return false;
  }
  if (LayerChoices(shape, model, options).minCost() >= 0)
    return true;
  std::string nk = std::to_string(shape.n) + "x" + std::to_string(shape.k);
  std::string b = std::to_string(model.getBlock());
  reason = "no allowed structure fits the " + nk + " weight (block " + b +
           (options.allowTwoFour ? ", 2:4 needs K a multiple of 16" : "") +
           ")";
  return false;
}

BudgetResult allocateBudget(const std::vector<LayerShape> &layers,
                            const CostModel &model,
                            const BudgetOptions &options) {
  BudgetResult result;
  if (!(options.budget > 0 && options.budget <= 1)) {
    result.error = "budget must be in (0, 1], got " +
                   formatNumber(options.budget);
    return result;
  }
  if (!(options.lowRankFraction >= 0 && options.lowRankFraction < 1)) {
    result.error = "low-rank fraction must be in [0, 1), got " +
                   formatNumber(options.lowRankFraction);
    return result;
  }

  std::vector<LayerChoices> choices;
  choices.reserve(layers.size());
  for (LayerShape s : layers)
    choices.emplace_back(s, model, options);

  size_t n = layers.size();
  std::vector<double> minCost(n), share(n);
  for (size_t i = 0; i < n; ++i) {
    result.totalDenseCost += choices[i].getDenseCost();
    minCost[i] = choices[i].minCost();
    if (minCost[i] < 0) {
      result.error = "layer " + std::to_string(i) + " has no allowed structure";
      return result;
    }
  }
  result.budgetCost = options.budget * result.totalDenseCost;

  // Every layer needs at least its cheapest plan.
  double minTotal = std::accumulate(minCost.begin(), minCost.end(), 0.0);
  if (minTotal > result.budgetCost * (1 + kEps)) {
    result.error = "budget " + formatNumber(options.budget) +
                   " is below the cheapest plans, which cost " +
                   formatNumber(minTotal / result.totalDenseCost) +
                   " of the dense cost";
    return result;
  }

  // Shares in proportion to the dense cost; layers whose share is below
  // their cheapest plan are topped up from the others' slack, in proportion
  // to that slack.
  double deficit = 0, slack = 0;
  for (size_t i = 0; i < n; ++i) {
    share[i] = options.budget * choices[i].getDenseCost();
    if (share[i] < minCost[i])
      deficit += minCost[i] - share[i];
    else
      slack += share[i] - minCost[i];
  }
  for (size_t i = 0; i < n && deficit > 0; ++i) {
    if (share[i] < minCost[i])
      share[i] = minCost[i];
    else
      share[i] -= deficit * (share[i] - minCost[i]) / slack;
  }

  result.plans.resize(n);
  double achieved = 0;
  for (size_t i = 0; i < n; ++i) {
    LayerPlan p = choices[i].best(std::max(share[i], minCost[i]));
    p.allocatedCost = share[i];
    result.plans[i] = p;
    achieved += p.achievedCost;
  }

  // Each layer first spends what its own rounding left on more rank (whole
  // butterfly steps are coarse, rank steps fine); then what is left over
  // overall goes to the layers that can use it, the most expensive first.
  for (size_t i = 0; i < n; ++i) {
    LayerPlan &cur = result.plans[i];
    double before = cur.achievedCost;
    choices[i].addRank(cur, cur.allocatedCost - cur.achievedCost);
    achieved += cur.achievedCost - before;
  }
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return choices[a].getDenseCost() > choices[b].getDenseCost();
  });
  double pool = result.budgetCost - achieved;
  for (size_t i : order) {
    LayerPlan &cur = result.plans[i];
    LayerPlan better = choices[i].best(cur.achievedCost + pool);
    if (better.achievedCost >= 0 && better.density > cur.density + kEps) {
      pool -= better.achievedCost - cur.achievedCost;
      better.allocatedCost = std::max(cur.allocatedCost, better.achievedCost);
      cur = better;
    }
    double before = cur.achievedCost;
    choices[i].addRank(cur, pool);
    pool -= cur.achievedCost - before;
    cur.allocatedCost = std::max(cur.allocatedCost, cur.achievedCost);
  }

  for (const LayerPlan &p : result.plans)
    result.totalAchievedCost += p.achievedCost;
  return result;
}

} // namespace mlir::pixelfly
