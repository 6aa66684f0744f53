//===- Epilogue.h - What kernels do with accumulators -----------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// The semantics every kernel family shares once its accumulators are
// known: Y = init + acc, summed in f32 and rounded once to Y's element
// type (or Y = acc when init is a folded +0 fill), and the gamma of a
// low-rank panel. A family maps its fragments to (row, column,
// accumulator) and calls these.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_EPILOGUE_H
#define PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_EPILOGUE_H

#include "ProductPlan.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir::pixelfly {

/// init[index] += part, where `part` is one f32 or a vector<2xf32> of two
/// neighbouring columns (then one aligned vector access); with `zeroInit`
/// init is known to be +0 and only written.
void emitAccumulate(ImplicitLocOpBuilder &b, Value init, ValueRange index,
                    Value part, bool zeroInit);

/// An `scf.if` (no results, no else) whose body runs only for an output
/// element inside Y: `row` below `numTokens` and, when `validCols` is set
/// (partial tiles), the tile column `col` below it.
scf::IfOp emitOutputGuard(ImplicitLocOpBuilder &b, Value row, Value numTokens,
                          Value col, Value validCols);

/// g(row) in f32 of `panel`'s gamma: 1 without one, the constant, the
/// scalar argument `gamma`, or gamma[row] (`row` in bounds) per row.
Value emitGamma(ImplicitLocOpBuilder &b, const LowRankPanel &panel, Value gamma,
                Value row);

} // namespace mlir::pixelfly

#endif // PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_EPILOGUE_H
