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

#include "FusedEpilogue.h"
#include "ProductPlan.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir::pixelfly {

/// A fused epilogue (FusedEpilogue.h) bound to the arguments of a kernel
/// that takes them (addEpilogueArguments).
class EpilogueTail {
public:
  EpilogueTail(const FusedEpilogue *fused, gpu::GPUFuncOp func,
               const KernelSignature &signature);

  /// Whether the kernel stores Y itself.
  bool storesInit() const;
  /// The fused ops at Y's elements (row, col + i), whose values are
  /// `ys[i]`: their bodies with the operands they load, their outputs
  /// stored. With several columns (`col` a multiple of their number), an
  /// operand laid out for it is loaded or stored as one aligned vector.
  void emit(ImplicitLocOpBuilder &b, Value row, Value col, ValueRange ys) const;
  /// emit() on the values of `sum` (one element, or a vector of
  /// neighbouring columns from `col`).
  void emitOnSum(ImplicitLocOpBuilder &b, Value row, Value col,
                 Value sum) const;

private:
  const FusedEpilogue *fused;
  llvm::DenseMap<Value, Value> args; ///< host operand -> kernel argument
};

/// init[index] + part in init's element type (summed in f32, rounded
/// once), where `part` is one f32 or a vector<2xf32> of two neighbouring
/// columns (then init is read as one aligned vector); with `zeroInit` init
/// is known to be +0 and not read.
Value emitSum(ImplicitLocOpBuilder &b, Value init, ValueRange index, Value part,
              bool zeroInit);

/// The alignment in bytes of one access to `pair`'s columns of init.
int64_t pairAlignment(Value init, VectorType pair);

/// init[index] += part, where `part` is one f32 or a vector<2xf32> of two
/// neighbouring columns (then one aligned vector access); with `zeroInit`
/// init is known to be +0 and only written. With a `tail` (index is
/// (row, column)) the sum is stored only if the tail says so, and the
/// tail is computed from it.
void emitAccumulate(ImplicitLocOpBuilder &b, Value init, ValueRange index,
                    Value part, bool zeroInit,
                    const EpilogueTail *tail = nullptr);

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
