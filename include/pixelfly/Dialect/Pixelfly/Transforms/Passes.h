//===- Passes.h - Pixelfly transformation passes ----------------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_DIALECT_PIXELFLY_TRANSFORMS_PASSES_H
#define PIXELFLY_DIALECT_PIXELFLY_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"
#include "pixelfly/Dialect/Pixelfly/IR/PixelflyDialect.h"

namespace mlir::pixelfly {

#define GEN_PASS_DECL
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h.inc"

} // namespace mlir::pixelfly

#endif // PIXELFLY_DIALECT_PIXELFLY_TRANSFORMS_PASSES_H
