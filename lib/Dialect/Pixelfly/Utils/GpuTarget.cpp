//===- GpuTarget.cpp - Which chip, which instructions ---------------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Utils/GpuTarget.h"

#include "llvm/ADT/ArrayRef.h"

using namespace mlir;
using namespace mlir::pixelfly;

// Opt-in dynamic shared memory per block (CUDA programming guide, compute
// capabilities table), less 1 KB the driver reserves; the PTX ISA version
// that introduced each target (PTX ISA, release notes); the multiprocessors
// of the part each chip is tuned for.
static const GpuTarget kTargets[] = {
    {"sm_80", 80, false, 163 * 1024, 3, 70, 108},
    {"sm_86", 86, false, 99 * 1024, 3, 71, 84},
    {"sm_89", 89, false, 99 * 1024, 3, 78, 128},
    {"sm_90", 90, false, 227 * 1024, 4, 78, 132},
    {"sm_90a", 90, true, 227 * 1024, 4, 80, 132},
};

std::optional<GpuTarget> mlir::pixelfly::lookupGpuTarget(llvm::StringRef chip) {
  for (const GpuTarget &t : kTargets)
    if (t.chip == chip)
      return t;
  return std::nullopt;
}

std::string mlir::pixelfly::knownGpuChips() {
  std::string list;
  llvm::ArrayRef<GpuTarget> targets(kTargets);
  for (auto [i, t] : llvm::enumerate(targets)) {
    if (i)
      list += i + 1 == targets.size() ? " or " : ", ";
    list += t.chip.str();
  }
  return list;
}
