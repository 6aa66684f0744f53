//===- FusedEpilogue.h - Elementwise consumers in epilogues -----*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// A product's output is often read once, elementwise, by what follows it:
// a bias, an activation, an activation's derivative times the gradient.
// Each of those is a kernel of its own that reads and writes the whole
// output again. The tail found here (linalg.generic ops over the output's
// index space that read it at the element they write) is computed instead
// by the product kernel's epilogue from the values it is about to store,
// and the output itself is only stored when something else still reads it.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_FUSEDEPILOGUE_H
#define PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_FUSEDEPILOGUE_H

#include "KernelLaunch.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

namespace mlir::pixelfly {

/// linalg.generic ops (pure buffers, two parallel loops over the product's
/// M x N output) fused into the product's epilogue, as the host sees them.
struct FusedEpilogue {
  /// The product's output.
  Value init;
  /// The fused ops, in program order. Each reads the output, or an output
  /// of an earlier fused op, at the element it writes.
  SmallVector<linalg::GenericOp> ops;
  /// The memrefs the kernel takes for them (KernelArg::Epilogue, index i):
  /// the inputs it loads and the outputs it stores, each once.
  SmallVector<Value> operands;
  /// Allocations of fused outputs between the product and their op: the
  /// lowering moves them before the product (their sizes are known there).
  SmallVector<memref::AllocOp> hoisted;
  /// Buffers (the output, or a fused op's output) that nothing reads after
  /// the tail: fresh allocations the kernel need not store.
  llvm::DenseSet<Value> unstored;

  bool empty() const { return ops.empty(); }
  bool stores(Value buffer) const { return !unstored.contains(buffer); }
};

/// The tail of `product`, whose output is `init` (a plain M x N memref),
/// that its kernel can compute: the linalg.generic ops after it in its
/// block that read a value the epilogue has (init, or an earlier fused
/// op's output) at the element they write, load everything else from
/// memory that the product and the tail do not write, and whose operands
/// nothing between the product and them may touch (but their outputs'
/// allocations, which the caller hoists). Empty when there is none. The
/// product's kernel must write every element of init.
FusedEpilogue findFusedEpilogue(Operation *product, Value init);

/// Appends the kernel arguments of `fused` (if any) to `signature`.
void addEpilogueArguments(KernelSignature &signature,
                          const FusedEpilogue *fused);

} // namespace mlir::pixelfly

#endif // PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_FUSEDEPILOGUE_H
