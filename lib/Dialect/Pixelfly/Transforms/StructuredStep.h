//===- StructuredStep.h - A training step's structured products -*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// Internal to the Transforms library.
//
//===----------------------------------------------------------------------===//
//
// When a training step's dense weight `W` becomes `gamma * B + (1 - gamma) *
// U V^T` (a butterfly plan with a low-rank term), `U V^T` (a low-rank plan)
// or `B` (a butterfly plan of rank 0), its input gradient `dY W` and its
// weight gradient `dY^T X` become products on the parameters. These
// builders make them from the step's `dY` and `X` (tokens first).
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_LIB_DIALECT_PIXELFLY_TRANSFORMS_STRUCTUREDSTEP_H
#define PIXELFLY_LIB_DIALECT_PIXELFLY_TRANSFORMS_STRUCTUREDSTEP_H

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyAttrs.h"

#include "mlir/IR/Builders.h"

namespace mlir::pixelfly {

/// The trained parameters of one weight; absent ones are null.
struct TrainedParams {
  /// `num_blocks x bm x bk`, on `layout`.
  Value blocks;
  BlockLayoutAttr layout;
  /// `N x r` and `K x r`.
  Value u, v;
  /// A 0-d tensor: the learned mix of a butterfly plan with a low-rank term.
  Value gamma;
  /// Or a per-token gate in gamma's place, `gamma[m] = sigmoid(<X[m], w> +
  /// b)`: `w` (`K`) and the 0-d `b`.
  Value gateWeight, gateBias;
};

/// `input * factor` (`M x r`), accumulated in f32 and rounded to the
/// factor's type: `X V` and `dY U`, which a step's products share.
Value buildFactorProduct(OpBuilder &b, Location loc, Value input, Value factor);

/// `init + t * factor^T` (`t: M x r`, `factor: N x r`), accumulated in f32:
/// a low-rank product whose first half `t` (a shared `X V` or `dY U`) the
/// caller computed.
Value buildFactorPanel(OpBuilder &b, Location loc, Value t, Value factor,
                       Value init);

/// `init + dY W` (`dY: M x N`, `init: M x K`), as `resultType`. Where the
/// product can read `dY U` (as buildFactorProduct computes it), it asks
/// `sharedDyu`, which may give none.
Value buildInputGradient(OpBuilder &b, Location loc,
                         const TrainedParams &params, Value dy,
                         llvm::function_ref<Value()> sharedDyu, Value init,
                         Type resultType);

/// The gradients of the parameters, in the order blocks, U, V, gamma (those
/// present), from `dY: M x N` and `X: M x K`; each of `element` type:
///   blocks: gamma * (dY^T X) on the layout's blocks,
///   U: (1 - gamma) * dY^T (X V),   V: (1 - gamma) * X^T (dY U),
///   gamma: <dY^T X, B> - <X V, dY U>
/// (without gamma, the factors of 1 and gamma are left out). `xv` and `dyu`,
/// where set, are `X V` and `dY U` from buildFactorProduct, computed once
/// for the products that share them; computed here otherwise.
SmallVector<Value> buildParameterGradients(OpBuilder &b, Location loc,
                                           const TrainedParams &params,
                                           Value dy, Value x, Value xv,
                                           Value dyu, Type element);

/// The gate's mix of each token, `sigmoid(<X[m], weight> + bias)`, as an
/// `M`-sized f32 tensor; `bias` is a float scalar or a 0-d tensor.
Value buildGate(OpBuilder &b, Location loc, Value x, Value weight, Value bias);

/// What a gated layer's input and parameter gradients share (`dY: M x N`,
/// `X: M x K`, `gamma` the forward's gate).
struct GateBackward {
  Value gamma;
  /// `dY B` (`M x K`, f32), unmixed.
  Value sparse;
  /// `X V` and `dY U` (`M x r`), rounded to the factors' type, and
  /// `(1 - gamma) .* dY U` (dX and V's gradient read it).
  Value xv, dyu, mixedDyu;
  /// The loss's gradient at the gate's pre-activation (`M`, f32):
  /// `gamma (1 - gamma) (<(dY B)[m], X[m]> - <(dY U)[m], (X V)[m]>)`.
  Value pre;
};
/// `xv`, if set, is `X V` from buildFactorProduct.
GateBackward buildGateBackward(OpBuilder &b, Location loc,
                               const TrainedParams &params, Value gamma,
                               Value dy, Value x, Value xv);

/// A gated layer's `init + dX`: `gamma .* (dY B) + ((1 - gamma) .* dY U)
/// V^T + pre w^T`, as `resultType`.
Value buildGatedInputGradient(OpBuilder &b, Location loc,
                              const TrainedParams &params,
                              const GateBackward &gate, Value init,
                              Type resultType);

/// A gated layer's parameter gradients, in the order blocks, U, V, gate
/// weight, gate bias; each of `element` type:
///   blocks: (gamma .* dY)^T X on the layout's blocks,
///   U: dY^T ((1 - gamma) .* X V),   V: X^T ((1 - gamma) .* dY U),
///   gate: X^T pre and sum(pre).
SmallVector<Value> buildGatedParameterGradients(OpBuilder &b, Location loc,
                                                const TrainedParams &params,
                                                const GateBackward &gate,
                                                Value dy, Value x,
                                                Type element);

} // namespace mlir::pixelfly

#endif // PIXELFLY_LIB_DIALECT_PIXELFLY_TRANSFORMS_STRUCTUREDSTEP_H
