//===- CostModel.cpp - Cost of a linear layer per structure ---------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Analysis/CostModel.h"

namespace mlir::pixelfly {

// Peak numbers of the SXM parts. One block is 32 x 32 16-bit elements
// (2 KiB) on sm_80 and 64 x 64 (8 KiB) on sm_90, whose wgmma tiles are
// larger.
//   A100: 2.039 TB/s, 312 TFLOP/s bf16 dense (156e12 multiply-adds/s).
//   H100: 3.35 TB/s, 989 TFLOP/s bf16 dense (494.5e12 multiply-adds/s).
static const TargetProfile kProfiles[] = {
    {"sm_80", 2048.0 / 2039.0, 1e9 / 156e12, 32},
    {"sm_90", 8192.0 / 3350.0, 1e9 / 494.5e12, 64},
};

std::optional<TargetProfile> getTargetProfile(const std::string &name) {
  for (const TargetProfile &p : kProfiles)
    if (p.name == name)
      return p;
  return std::nullopt;
}

std::vector<std::string> getTargetProfileNames() {
  std::vector<std::string> names;
  for (const TargetProfile &p : kProfiles)
    names.push_back(p.name);
  return names;
}

CostModel::CostModel(TargetProfile profile, int64_t block,
                     int64_t elementBytes)
    : profile(std::move(profile)), elementBytes(elementBytes) {
  this->block = block > 0 ? block : this->profile.block;
  // The profile's cMem is for its own block size and 16-bit elements.
  double area = static_cast<double>(this->block) * this->block;
  double profileArea =
      static_cast<double>(this->profile.block) * this->profile.block;
  blockCost = this->profile.cMem * (area / profileArea) *
              (static_cast<double>(elementBytes) / 2.0);
}

double CostModel::blocks(double elements) const {
  return elements / (static_cast<double>(block) * block);
}

double CostModel::dense(LayerShape s) const {
  double weights = static_cast<double>(s.n) * s.k;
  return s.products *
         (blockCost * blocks(weights) + profile.cFlop * s.m * weights);
}

double CostModel::blockSparse(LayerShape s, int64_t numBlocks) const {
  double area = static_cast<double>(block) * block;
  return s.products *
         (blockCost * numBlocks + profile.cFlop * s.m * numBlocks * area);
}

double CostModel::lowRank(LayerShape s, int64_t rank) const {
  // The factors' blocks read, and `m * rank * cols` multiply-adds.
  auto term = [&](int64_t cols) {
    double factors = static_cast<double>(rank) * cols;
    return blockCost * blocks(factors) + profile.cFlop * s.m * factors;
  };
  // pixelfly-sparsify builds X V and dY U once per step and the weight
  // gradient reads them: every product costs one term of `n + k` columns.
  double cost = s.products * term(s.n + s.k);
  if (s.weightGradients > 0) {
    if (s.products - s.weightGradients - s.inputGradients <= 0)
      cost += s.weightGradients * term(s.k);
    if (s.inputGradients <= 0)
      cost += s.weightGradients * term(s.n);
  }
  return cost;
}

double CostModel::twoFour(LayerShape s) const {
  double weights = static_cast<double>(s.n) * s.k;
  // Values: half the weights. Metadata: 2 bytes per 16 weights, counted in
  // weight-element equivalents of `elementBytes` bytes.
  double metadata = (weights / 16.0) * (2.0 / elementBytes);
  double sparse = blockCost * blocks(weights / 2.0 + metadata) +
                  profile.cFlop * s.m * (weights / 2.0);
  LayerShape one = s;
  one.products = 1;
  return (s.products - s.weightGradients) * sparse +
         s.weightGradients * dense(one);
}

} // namespace mlir::pixelfly
