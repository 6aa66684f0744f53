//===- Passes.h - Pixelfly conversion passes --------------------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_CONVERSION_PASSES_H
#define PIXELFLY_CONVERSION_PASSES_H

#include "pixelfly/Conversion/PixelflyToLinalg/PixelflyToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::pixelfly {

#define GEN_PASS_DECL
#include "pixelfly/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "pixelfly/Conversion/Passes.h.inc"

} // namespace mlir::pixelfly

#endif // PIXELFLY_CONVERSION_PASSES_H
