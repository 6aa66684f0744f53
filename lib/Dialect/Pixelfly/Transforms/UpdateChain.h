//===- UpdateChain.h - A weight's optimizer update, re-shaped ---*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// Internal to the Transforms library.
//
//===----------------------------------------------------------------------===//
//
// When a training step's weight `W` is replaced by structured parameters,
// the optimizer that updated `W` (SGD, momentum, Adam/AdamW, weight decay,
// clipping by a global norm) must update the parameters instead. Those
// updates are elementwise, so the same ops apply to any shape: the chain of
// elementwise ops on weight-shaped values is collected once, checked, and
// rebuilt on values of the parameter's shape.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_LIB_DIALECT_PIXELFLY_TRANSFORMS_UPDATECHAIN_H
#define PIXELFLY_LIB_DIALECT_PIXELFLY_TRANSFORMS_UPDATECHAIN_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/DenseSet.h"

#include <string>

namespace mlir::pixelfly {

/// The ops of one function that compute with values of the weight's shape,
/// starting from the weight and its gradient.
struct UpdateChain {
  /// The weight's shape (the 2-D source).
  SmallVector<int64_t> shape;
  /// Elementwise ops and full reductions, in program order.
  SmallVector<Operation *> ops;
  /// Weight-shaped function arguments the chain reads (optimizer state),
  /// in argument order.
  SmallVector<BlockArgument> state;
  /// Weight-shaped values the chain returns (function results).
  SmallVector<OpOperand *> returned;
};

/// Collects the chain reading `roots` (the weight, its gradient) in their
/// function's body. Ops in `skip` (the products, rewritten apart) are not
/// followed. Fails, with a reason that names the op, when a weight-shaped
/// value is used or produced by an op that cannot be rebuilt at another
/// shape: one that is not elementwise or a full reduction, or reads a
/// weight-shaped operand through a transposing map.
FailureOr<UpdateChain>
collectUpdateChain(ArrayRef<Value> roots, ArrayRef<int64_t> shape,
                   const llvm::DenseSet<Operation *> &skip,
                   std::string &reason);

/// One parameter the chain is rebuilt for: its shape, and the mapping of
/// the roots (the weight, its gradient) and of the state arguments to the
/// parameter's values. Filled with the rebuilt values.
struct ChainTarget {
  SmallVector<int64_t> shape;
  IRMapping mapping;
};

/// Rebuilds the chain once per target, each op next to its original: empty
/// tensors and splat constants of the weight's shape are made anew, other
/// operands are kept. A full reduction (a global norm) folds over every
/// target: target `i`'s reduction starts from target `i - 1`'s result, and
/// the original's users read the last one. Each returned operand becomes
/// one operand per target, in target order. The old ops are left for the
/// caller to erase (they are dead once the roots' other users are gone).
void rebuildUpdateChain(const UpdateChain &chain,
                        MutableArrayRef<ChainTarget> targets);

} // namespace mlir::pixelfly

#endif // PIXELFLY_LIB_DIALECT_PIXELFLY_TRANSFORMS_UPDATECHAIN_H
