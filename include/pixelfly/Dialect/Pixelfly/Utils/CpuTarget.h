//===- CpuTarget.h - What the CPU kernels know of a target ------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// The one place that answers "which CPU, which vector registers" for the
// CPU path: pixelfly-cpu-config resolves a target with it and chooses the
// register tiles recorded in #pixelfly.cpu_config.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_DIALECT_PIXELFLY_UTILS_CPUTARGET_H
#define PIXELFLY_DIALECT_PIXELFLY_UTILS_CPUTARGET_H

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyAttrs.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mlir::pixelfly {

/// The discardable module attribute holding the #pixelfly.cpu_config.
inline constexpr llvm::StringLiteral kCpuConfigAttrName = "pixelfly.cpu_config";

/// The #pixelfly.cpu_config that applies to `op`: the one on `op` or its
/// nearest ancestor carrying `pixelfly.cpu_config`; null when none does.
CpuConfigAttr lookupCpuConfig(Operation *op);

/// A CPU's vector register file.
struct CpuTarget {
  std::string cpu;             ///< LLVM's name of the CPU, e.g. znver3
  /// LLVM target features that differ from the CPU's own, e.g. "-avx512f".
  std::string features;
  int64_t vectorBits = 128;    ///< widest vector register usable
  int64_t vectorRegisters = 16;
};

/// The target named by `cpu` ("host" or "native": this machine, as a JIT
/// compiles for it; otherwise an LLVM x86-64 CPU name such as x86-64-v3,
/// x86-64-v4 or znver4) with `features` ("+avx512f,-fma", LLVM's names)
/// applied on top, implied features included. std::nullopt, with `error`
/// set, for an unknown CPU or a malformed feature list.
std::optional<CpuTarget> resolveCpuTarget(llvm::StringRef cpu,
                                          llvm::StringRef features,
                                          std::string &error);

/// LLVM's complete `target-features` for x86 CPU `cpu` with `features`
/// (+name / -name) applied on top, implied features included, sorted: a
/// function that carries it is compiled for exactly that target, whatever
/// the compiler's own default features (a JIT's are the host's). For a CPU
/// LLVM's x86 tables do not know, `features` as it is.
std::string completeTargetFeatures(llvm::StringRef cpu,
                                   llvm::StringRef features);

/// A register tiling of `C += A * B` on `target`.
struct CpuTiles {
  int64_t tileM, tileN, tileK, panelM;
};

/// Rows of a panel of about `rows` rows made of whole tiles of `tileM` rows
/// (`tileM` when it is larger).
int64_t roundPanel(int64_t rows, int64_t tileM);

/// The register tile for elements of `elementBits` bits: two vectors of
/// columns and as many rows as keep the accumulators, the two vectors of B
/// and A's broadcast value within the register file (6 x 16 f32 on AVX2,
/// 14 x 32 on AVX-512); panels of about 128 rows, a multiple of the rows.
CpuTiles chooseCpuTiles(const CpuTarget &target, int64_t elementBits = 32);

} // namespace mlir::pixelfly

#endif // PIXELFLY_DIALECT_PIXELFLY_UTILS_CPUTARGET_H
