//===- CostModel.h - Cost of a linear layer per structure -------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// Plain C++ (no MLIR types): used by the budget analysis and unit-tested on
// its own. The formulas are documented in docs/BudgetAnalysis.md.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_ANALYSIS_COSTMODEL_H
#define PIXELFLY_ANALYSIS_COSTMODEL_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlir::pixelfly {

/// Costs of one GPU target. `cMem` is the cost of reading one `block x
/// block` block of 16-bit elements from device memory, `cFlop` the cost of
/// one multiply-add on the tensor cores; both in nanoseconds, from the
/// target's peak bandwidth and 16-bit tensor-core throughput.
struct TargetProfile {
  std::string name;
  double cMem = 0;
  double cFlop = 0;
  /// Block size the kernels of this target prefer (whole tensor-core tiles).
  int64_t block = 0;
};

/// The presets: "sm_80" (A100) and "sm_90" (H100). Returns std::nullopt for
/// an unknown name.
std::optional<TargetProfile> getTargetProfile(const std::string &name);
/// Names accepted by getTargetProfile, for diagnostics.
std::vector<std::string> getTargetProfileNames();

/// Shape of one linear layer: `Y[m, n] = X[m, k] * W^T`, `W` is `n x k`.
struct LayerShape {
  int64_t m = 0, n = 0, k = 0;
  /// Products of this size the layer runs: 1 for inference; in a training
  /// step also its input gradients and its weight gradient.
  int64_t products = 1;
  /// How many of them compute the weight's gradient (a 2:4 step keeps those
  /// dense; a block-sparse one samples them on the layout).
  int64_t weightGradients = 0;
  /// How many of them are input gradients `dY W`; the rest are forward
  /// products.
  int64_t inputGradients = 0;
};

/// `cost = cMem * blockAccesses + cFlop * multiplyAdds` for the
/// weight-dependent part of a layer. Activation traffic (reading X, writing
/// Y) is the same for every structure and is left out, so that a budget is a
/// fraction of what the choice of structure can change.
class CostModel {
public:
  /// `block` is the block size of the layouts (0: the profile's), and
  /// `elementBytes` the size of a weight element (2 for f16/bf16).
  CostModel(TargetProfile profile, int64_t block = 0, int64_t elementBytes = 2);

  const TargetProfile &getProfile() const { return profile; }
  int64_t getBlock() const { return block; }
  /// Cost of one `block x block` access of this model's elements: the
  /// profile's `cMem`, scaled by the block area and the element size.
  double blockAccessCost() const { return blockCost; }

  /// Dense weight: every block read, `m * n * k` multiply-adds.
  double dense(LayerShape s) const;
  /// Block-sparse weight with `numBlocks` stored blocks of this model's
  /// block size.
  double blockSparse(LayerShape s, int64_t numBlocks) const;
  /// Low-rank term `(X V) U^T` of rank `rank`: the `U` and `V` blocks, and
  /// `m * rank * (n + k)` multiply-adds per product. A weight gradient
  /// (`dY^T (X V)`, `X^T (dY U)`) reuses the step's `X V` and `dY U` and
  /// costs one more such product; in a step without a forward (input
  /// gradient) product it computes `X V` (`dY U`) itself.
  double lowRank(LayerShape s, int64_t rank) const;
  /// 2:4 weight: half the values plus one 16-bit metadata word per 16
  /// weights, and half the multiply-adds; a weight gradient stays dense.
  double twoFour(LayerShape s) const;

  // Each cost is that of all of the layer's products (LayerShape::products).

private:
  /// Blocks covering `elements` weight elements (fractional: a partial block
  /// costs its share).
  double blocks(double elements) const;

  TargetProfile profile;
  int64_t block;
  int64_t elementBytes;
  double blockCost;
};

} // namespace mlir::pixelfly

#endif // PIXELFLY_ANALYSIS_COSTMODEL_H
