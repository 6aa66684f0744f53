//===- KernelLaunch.h - How a product's kernels are called ------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// What every kernel family hands to the one host-side lowering of
// convert-pixelfly-to-gpu: the kernel's arguments in one declared order
// (by role, so the kernel body and the host agree without counting), the
// names of its constant tables, and its launch (grid, threads, dynamic
// shared memory). Families differ in the kernels they build, not in how
// those are called.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_KERNELLAUNCH_H
#define PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_KERNELLAUNCH_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace mlir::pixelfly {

/// What the host passes for a kernel argument.
struct KernelArg {
  enum Kind : uint8_t {
    X,         ///< the token-major input: X, or dY for the gradients
    Weight,    ///< the weight operand: blocks, 2:4 values, the weight
               ///< gradient's X, the panel kernel's V, prune's input
    T,         ///< the low-rank panel (1 - g) X V, allocated for the call
    XV,        ///< pixelfly.linear's xv: the caller's X V (M x rank)
    U,         ///< the low-rank factor U (N x rank)
    V,         ///< the low-rank factor V (K x rank)
    Init,      ///< the destination
    Partials,  ///< a split weight gradient's partial blocks, allocated for
               ///< the call
    Gamma,     ///< pixelfly.linear's gamma operand (scalar or per row)
    Metadata,  ///< 2:4 metadata as the op holds it
    Output,    ///< prune's `index`-th result
    XMap,      ///< a TMA tensor map of X, made by the host for the launch
    WeightMap, ///< a TMA tensor map of the weight operand
    TMap,      ///< a TMA tensor map of the low-rank panel T
    UMap,      ///< a TMA tensor map of U
    InitMap,   ///< a TMA tensor map of the destination (TMA stores)
    Epilogue   ///< the `index`-th operand of a fused epilogue
  };
  Kind kind;
  unsigned index = 0;

  bool operator==(const KernelArg &o) const {
    return kind == o.kind && index == o.index;
  }
};

/// A kernel's arguments in the order of its gpu.func: the one place that
/// order is written, read by the kernel builder (argument by role) and by
/// the launch (operand by role).
class KernelSignature {
public:
  void add(KernelArg arg, Type type) { args.push_back({arg, type}); }
  unsigned size() const { return args.size(); }
  KernelArg role(unsigned i) const { return args[i].first; }
  SmallVector<Type> types() const;
  /// The position of `arg`, if the kernel takes it.
  std::optional<unsigned> find(KernelArg arg) const;

private:
  SmallVector<std::pair<KernelArg, Type>> args;
};

/// The symbols of one kernel: the gpu.func and its constant tables.
struct KernelSymbols {
  explicit KernelSymbols(StringRef kernel);
  /// Every suffix a kernel's symbols may carry ("" is the kernel).
  static ArrayRef<StringRef> suffixes();

  std::string kernel;
  std::string tiles;    ///< per tile: where it is and what it reads
  std::string cols;     ///< the block columns of the tiles
  std::string blocks;   ///< where each tile's blocks start
  std::string metadata; ///< 2:4 metadata in mma order
  std::string shared;   ///< a kernel's aligned dynamic shared memory
};

/// A `threads`-thread gpu.func named `name` in `module` taking `signature`,
/// marked as a kernel, its entry block empty.
gpu::GPUFuncOp createKernelFunc(gpu::GPUModuleOp module, StringRef name,
                                const KernelSignature &signature,
                                int64_t threads, Location loc);

/// The argument of `func` (built by createKernelFunc from `signature`)
/// that has role `arg`; null if it takes none.
Value kernelArgument(gpu::GPUFuncOp func, const KernelSignature &signature,
                     KernelArg arg);

/// One grid dimension: `count` blocks, or with `perTokens` set,
/// ceil(M * count / perTokens) for the product's M tokens.
struct GridExtent {
  int64_t count = 1;
  int64_t perTokens = 0;
};

/// A TMA tensor map the host creates before a launch and passes as
/// argument `arg` (an !llvm.ptr to its 128 bytes, which the kernel casts
/// back to `type`): of operand `source` (viewed as `rows x columns` when
/// `collapse` is set: every leading dimension folded into the rows), with
/// the box and swizzle of `type`.
struct TensorMapArg {
  KernelArg arg;
  KernelArg source;
  Type type; ///< !nvgpu.tensormap.descriptor<...>
  bool collapse = false;
};

/// One kernel launch of a product.
struct KernelLaunch {
  gpu::GPUFuncOp kernel;
  KernelSignature signature;
  /// Host prologue: the tensor maps the kernel takes.
  SmallVector<TensorMapArg> tensorMaps;
  GridExtent gridX, gridY;
  int64_t threads = 0;
  /// Dynamic shared memory in bytes; 0 when the kernel declares its own.
  int64_t dynamicSharedBytes = 0;
};

} // namespace mlir::pixelfly

#endif // PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_KERNELLAUNCH_H
