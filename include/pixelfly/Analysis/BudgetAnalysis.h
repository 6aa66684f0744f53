//===- BudgetAnalysis.h - Which matmuls are layers, and their plans -*- C++ -*-//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_ANALYSIS_BUDGETANALYSIS_H
#define PIXELFLY_ANALYSIS_BUDGETANALYSIS_H

#include "pixelfly/Analysis/BudgetAllocator.h"
#include "pixelfly/Analysis/CostModel.h"
#include "pixelfly/Analysis/WeightUses.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir::pixelfly {

/// Where a weight operand comes from and how its dimensions relate to the
/// source's.
struct WeightTrace {
  /// An `arith.constant` (or other constant-like op) result, a global load,
  /// or a function argument; null when the value is computed otherwise.
  Value source;
  /// For each dimension of the traced value, the source dimension it reads,
  /// or -1 for a dimension the value is broadcast along.
  SmallVector<int64_t> sourceDims;
  /// The ops between the source and the traced value, value first.
  SmallVector<Operation *> chain;
  /// The float conversions (`arith.truncf` / `arith.extf`, on scalars in a
  /// copying `linalg.generic` or on the whole tensor) the chain's ops apply,
  /// value first like `chain`; none when the traced value has the source's
  /// element type. A rewrite reading the source applies them to what it
  /// reads (an f32 master weight rounded for its products).
  SmallVector<Operation *> converts;
};

/// Follows a value through ops that only move a weight's entries around
/// (transposes, transposing `linalg.generic` copies, a broadcast over a
/// batch, casts of the tensor type) and float conversions of its entries to
/// where it comes from.
WeightTrace traceWeight(Value value);
inline Value traceWeightSource(Value value) { return traceWeight(value).source; }

/// The kinds of reasons a contraction is not planned or rewritten (the
/// counts of the sparsify report).
enum class SkipKind {
  DynamicShape,
  NotALayer,
  TooSmall,
  TooLarge,
  Budget,
  ElementType,
  Shape,
  Options,
  KeptDense,
  WeightData,
  Training,
};
constexpr unsigned kNumSkipKinds = 11;
StringRef stringifySkipKind(SkipKind kind);

/// Why a contraction is left as it is: its kind and the text of the remark;
/// empty when there is none.
struct SkipReason {
  SkipKind kind = SkipKind::NotALayer;
  std::string text;

  SkipReason() = default;
  SkipReason(SkipKind kind, std::string text)
      : kind(kind), text(std::move(text)) {}
  bool empty() const { return text.empty(); }
};

/// One contraction the analysis looked at.
struct LayerInfo {
  linalg::LinalgOp op;
  /// `@function#i`: the i-th contraction of the function, in program order.
  std::string name;
  /// `m` is ShapedType::kDynamic when the tokens are not static; the
  /// analysis then uses the `tokens` option, when given.
  LayerShape shape;
  /// Input operand (0 or 1) that is the weight, -1 when there is none.
  int weightOperand = -1;
  /// The weight is indexed `(n, k)` (PyTorch layout) rather than `(k, n)`.
  bool weightNK = false;
  /// Loop dimensions of the output features and of the reduction.
  unsigned nDim = 0, kDim = 0;
  /// Where the weight comes from.
  WeightTrace weight;
  Value weightSource;
  Type elementType;
  /// Why the layer is not eligible; empty when it is.
  SkipReason skipReason;
  /// For the input- or weight-gradient product of a training step: the
  /// layer (the weight's first forward product) it is planned with; -1
  /// otherwise.
  int64_t trainingOf = -1;
};

/// Options of the analysis beyond the allocator's.
struct BudgetAnalysisOptions {
  BudgetOptions budget;
  std::string target = "sm_90";
  /// Layout block size; 0 takes the target profile's.
  int64_t block = 0;
  /// Overrides of the profile's costs; 0 keeps them.
  double cMem = 0;
  double cFlop = 0;
  /// Layers whose weight has fewer elements stay dense.
  int64_t minWeightElements = 4096;
  /// Tokens assumed for a layer whose `m` is dynamic; 0 keeps such layers
  /// dense.
  int64_t tokens = 0;
  /// 2:4 plans ask for the transposable variant (training).
  bool transposable = false;
};

/// Finds the linear layers of a module (contractions of an activation with
/// a weight, see docs/BudgetAnalysis.md) and spreads a cost budget over
/// them. Constructed by `getAnalysis<BudgetAnalysis>()`; `allocate` runs the
/// allocation for given options.
class BudgetAnalysis {
public:
  explicit BudgetAnalysis(Operation *root);

  /// Every contraction found, eligible or not, in program order.
  ArrayRef<LayerInfo> getLayers() const { return layers; }

  /// Every use of each layer's weight, grouped per weight (computed with the
  /// layers; the gradient products of a training step are not layers of
  /// their own but part of their weight's group).
  const WeightUseAnalysis &getWeightUses() const { return *weightUses; }

  /// Result of one allocation.
  struct Allocation {
    CostModel model;
    /// Indices into getLayers() of the layers that took part, and their
    /// plans (same order).
    std::vector<size_t> planned;
    BudgetResult result;
    /// Layers that took part in no allocation and why (index, reason).
    std::vector<std::pair<size_t, SkipReason>> skipped;
  };

  /// Runs the allocation. Fails with a message in `error` for invalid
  /// options; an infeasible budget is not a failure but leaves its reason
  /// in `result.error` and no plans. `exclude`, when given, returns why the
  /// caller will not rewrite a layer (empty if it will); such layers take no
  /// share of the budget.
  FailureOr<Allocation>
  allocate(const BudgetAnalysisOptions &options, std::string &error,
           llvm::function_ref<SkipReason(const LayerInfo &)> exclude =
               nullptr) const;

  /// Writes the report of `allocation` as a text table or as JSON. With
  /// `errors` (layer index to the relative Frobenius error of its projected
  /// weight), the report has an error column / field.
  void printReport(const Allocation &allocation,
                   const BudgetAnalysisOptions &options, llvm::raw_ostream &os,
                   const llvm::DenseMap<size_t, double> *errors = nullptr) const;
  void
  printReportJSON(const Allocation &allocation,
                  const BudgetAnalysisOptions &options, llvm::raw_ostream &os,
                  const llvm::DenseMap<size_t, double> *errors = nullptr) const;

private:
  std::vector<LayerInfo> layers;
  std::optional<WeightUseAnalysis> weightUses;
};

} // namespace mlir::pixelfly

#endif // PIXELFLY_ANALYSIS_BUDGETANALYSIS_H
