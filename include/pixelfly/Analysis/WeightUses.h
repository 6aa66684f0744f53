//===- WeightUses.h - Every use of a layer's weight, by kind ----*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// A training step reads a weight in several products (the forward product,
// the input gradient `dY W`) and updates it with the gradient of a third
// (`dY^T X`). The weight-use analysis groups everything a function does with
// one weight so that a rewrite can check the group as a whole before it
// changes anything, and so that the budget plans the layer once.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_ANALYSIS_WEIGHTUSES_H
#define PIXELFLY_ANALYSIS_WEIGHTUSES_H

#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace mlir::pixelfly {

struct LayerInfo;

/// What one use of a weight (or of its gradient) does with it.
enum class WeightUseKind {
  /// `Y = X W^T`: the product reduces over the weight's input features.
  Forward,
  /// `dX = dY W`: a product reducing over the weight's output features.
  InputGrad,
  /// `dW = dY^T X`: the product that computes the weight's gradient (it does
  /// not read the weight; it pairs the forward activation with `dY`).
  WeightGrad,
  /// An elementwise op on weight-shaped values (an optimizer update, weight
  /// decay, a momentum or Adam moment update).
  Elementwise,
  /// A reduction of every entry to a scalar (a norm for gradient clipping).
  Reduction,
  /// Returned by the function.
  Return,
  /// Reads only the shape (`tensor.dim`, as torch-mlir emits for its shape
  /// checks): no rewrite needs the values for it.
  ShapeQuery,
  /// Anything else; a rewrite cannot map it.
  Unknown,
};

StringRef stringifyWeightUseKind(WeightUseKind kind);

/// An op that combines tensors entry by entry: elementwise arith/math ops on
/// tensors, and linalg ops with only parallel loops whose operands are read
/// through permutations or are scalars broadcast to every entry. Optimizer
/// updates are made of these.
bool isElementwiseOnTensors(Operation *op);

struct WeightUse {
  WeightUseKind kind;
  Operation *op;
  /// For products: the index of the op among the budget analysis's layers,
  /// or -1 when it is not one.
  int64_t layer = -1;
};

/// Everything one function does with one weight (a function argument or a
/// constant read by at least one layer).
struct WeightGroup {
  Value weight;
  /// Uses of the weight, through ops that only move its entries (transposes,
  /// casts, unit reshapes), in program order: products, elementwise ops,
  /// reductions, returns, unknown uses.
  std::vector<WeightUse> uses;
  /// The weight-gradient products (one per forward product at most), then
  /// the uses of their results in the order found.
  std::vector<WeightUse> gradientUses;
  /// Function arguments other than the weight with the weight's shape that
  /// the elementwise ops on the weight or its gradient read (optimizer
  /// state: momentum, Adam moments).
  std::vector<Value> state;
  /// Dimension of the weight (as a 2-D `N x K` or `K x N` source) that the
  /// forward products reduce over; the input-gradient products reduce over
  /// the other one.
  int64_t forwardReducedDim = -1;
  /// Why the weight gradient was not identified, when there are forward
  /// products but no weight-gradient product.
  std::string gradientNote;

  /// The first use the rewrites cannot map, or null.
  const WeightUse *firstUnknown() const;
  /// The weight has uses other than forward products: the function is a
  /// training step for it, and the dense weight must stay.
  bool isTraining() const;
  bool has(WeightUseKind kind) const;
};

/// Groups the uses of every layer weight of the functions the layers are in.
/// Built from the budget analysis's layers (which find the products); the
/// IR must not change between the two.
class WeightUseAnalysis {
public:
  explicit WeightUseAnalysis(ArrayRef<LayerInfo> layers);

  ArrayRef<WeightGroup> getGroups() const { return groups; }
  /// The group in which layer `index` is a product (forward, input or
  /// weight gradient), or null.
  const WeightGroup *groupOfLayer(size_t index) const;
  /// For a product layer of a group: its kind; Unknown otherwise.
  WeightUseKind roleOfLayer(size_t index) const;
  /// Whether a product reads `value` as its activation (or output
  /// gradient): such a value is no weight, even where a contraction could
  /// take it for one.
  bool isActivation(Value value) const { return activations.contains(value); }

private:
  std::vector<WeightGroup> groups;
  llvm::DenseSet<Value> activations;
  llvm::DenseMap<size_t, std::pair<size_t, WeightUseKind>> layerRoles;
};

} // namespace mlir::pixelfly

#endif // PIXELFLY_ANALYSIS_WEIGHTUSES_H
