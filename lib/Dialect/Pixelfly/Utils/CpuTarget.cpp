//===- CpuTarget.cpp - CPU targets and their register tiles ---------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Utils/CpuTarget.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"
#include "llvm/TargetParser/X86TargetParser.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::pixelfly;

CpuConfigAttr mlir::pixelfly::lookupCpuConfig(Operation *op) {
  for (; op; op = op->getParentOp())
    if (auto config = op->getAttrOfType<CpuConfigAttr>(kCpuConfigAttrName))
      return config;
  return {};
}

/// The features of x86 CPU `cpu` as LLVM's tables give them, with what they
/// imply (the CPU's own list names avx2, not the avx it implies).
static llvm::StringMap<bool> ownFeatures(llvm::StringRef cpu) {
  llvm::StringMap<bool> enabled;
  llvm::SmallVector<llvm::StringRef> own;
  llvm::X86::getFeaturesForCPU(cpu, own, /*NeedPlus=*/false);
  for (llvm::StringRef feature : own) {
    llvm::X86::updateImpliedFeatures(feature, /*Enabled=*/true, enabled);
    enabled[feature] = true;
  }
  return enabled;
}

std::optional<CpuTarget>
mlir::pixelfly::resolveCpuTarget(llvm::StringRef cpu, llvm::StringRef features,
                                 std::string &error) {
  CpuTarget target;
  llvm::StringMap<bool> enabled;
  bool x86 = true, aarch64 = false;
  // Feature changes against the CPU's own list, in LLVM's order of
  // application (the later wins).
  llvm::SmallVector<std::string> changes;
  if (cpu.empty() || cpu == "host" || cpu == "native") {
    target.cpu = llvm::sys::getHostCPUName().str();
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      enabled[feature.getKey()] = feature.getValue();
    llvm::Triple triple(llvm::sys::getProcessTriple());
    x86 = triple.isX86();
    aarch64 = triple.isAArch64();
    // What this machine has that its CPU model has not, or lacks (a
    // virtual machine's masked features): a compiler told only the
    // model's name would use instructions that fault here.
    if (x86) {
      llvm::StringMap<bool> model = ownFeatures(target.cpu);
      for (const auto &feature : enabled)
        if (feature.getValue() != model.lookup(feature.getKey()))
          changes.push_back((feature.getValue() ? "+" : "-") +
                            feature.getKey().str());
      llvm::sort(changes);
    }
  } else {
    if (llvm::X86::parseArchX86(cpu, /*Only64Bit=*/true) ==
        llvm::X86::CK_None) {
      error = ("unknown CPU '" + cpu +
               "' (expected host, native or an x86-64 CPU known to LLVM, "
               "e.g. x86-64-v3, x86-64-v4, znver4)")
                  .str();
      return std::nullopt;
    }
    target.cpu = cpu.str();
    enabled = ownFeatures(cpu);
  }

  llvm::SmallVector<llvm::StringRef> list;
  features.split(list, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (llvm::StringRef item : list) {
    item = item.trim();
    if (item.size() < 2 || (item[0] != '+' && item[0] != '-')) {
      error = ("malformed feature '" + item +
               "' (expected +name or -name, e.g. +avx2,-avx512f)")
                  .str();
      return std::nullopt;
    }
    bool on = item[0] == '+';
    llvm::StringRef name = item.drop_front();
    changes.push_back(item.str());
    if (!x86) {
      enabled[name] = on;
      continue;
    }
    // LLVM's table of x86 features, through the only interface it has:
    // turning a known feature off clears the feature itself.
    llvm::StringMap<bool> probe;
    llvm::X86::updateImpliedFeatures(name, /*Enabled=*/false, probe);
    if (!probe.count(name)) {
      error = ("unknown x86 feature '" + name + "'").str();
      return std::nullopt;
    }
    // On: what it implies too (avx512f: avx2, fma, ...); off: what
    // implies it.
    llvm::X86::updateImpliedFeatures(name, on, enabled);
    enabled[name] = on;
  }

  target.features = llvm::join(changes, ",");
  if (x86) {
    bool avx512 = enabled.lookup("avx512f");
    target.vectorBits = avx512 ? 512 : enabled.lookup("avx") ? 256 : 128;
    target.vectorRegisters = avx512 ? 32 : 16;
  } else if (aarch64) {
    target.vectorBits = 128; // NEON (SVE's width is not known statically)
    target.vectorRegisters = 32;
  }
  return target;
}

std::string mlir::pixelfly::completeTargetFeatures(llvm::StringRef cpu,
                                                   llvm::StringRef features) {
  if (llvm::X86::parseArchX86(cpu, /*Only64Bit=*/true) == llvm::X86::CK_None)
    return features.str();
  llvm::StringMap<bool> enabled = ownFeatures(cpu);
  llvm::SmallVector<llvm::StringRef> items;
  features.split(items, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (llvm::StringRef item : items) {
    item = item.trim();
    if (item.size() < 2)
      continue;
    bool on = item[0] == '+';
    llvm::X86::updateImpliedFeatures(item.drop_front(), on, enabled);
    enabled[item.drop_front()] = on;
  }
  llvm::SmallVector<std::string> all;
  for (const auto &feature : enabled)
    all.push_back((feature.getValue() ? "+" : "-") + feature.getKey().str());
  llvm::sort(all);
  return llvm::join(all, ",");
}

int64_t mlir::pixelfly::roundPanel(int64_t rows, int64_t tileM) {
  if (tileM < 1)
    return rows;
  return std::max(rows, tileM) / tileM * tileM;
}

CpuTiles mlir::pixelfly::chooseCpuTiles(const CpuTarget &target,
                                        int64_t elementBits) {
  // Outer-product kernel: per reduction step, `columnVectors` loads of B,
  // one broadcast of A per row, rows x columnVectors FMAs into accumulators
  // that stay in registers. Two vectors of columns with as many rows as fit
  // gives the most FMAs per load among tiles that divide the usual block
  // sizes (16 or 32 columns). Rows are capped at 8: on AVX-512 (Zen 4)
  // 8 x 32 ran faster than 12 x 32 (docs/benchmarks.md), and a short tile
  // keeps the ragged remainder of the tokens short.
  constexpr int64_t columnVectors = 2;
  int64_t lanes = std::max<int64_t>(1, target.vectorBits / elementBits);
  int64_t rows = (target.vectorRegisters - columnVectors - 1) / columnVectors;
  rows = std::clamp<int64_t>(rows, 1, 8);
  CpuTiles tiles;
  tiles.tileM = rows;
  tiles.tileN = columnVectors * lanes;
  tiles.tileK = 8;
  // About 128 rows of A stay in L1/L2 while B's column slices stream past.
  tiles.panelM = roundPanel(128, rows);
  return tiles;
}
