//===- Pipelines.h - Pixelfly pass pipelines --------------------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_PIPELINES_PIPELINES_H
#define PIXELFLY_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;

namespace pixelfly {

struct CPUPipelineOptions : public PassPipelineOptions<CPUPipelineOptions> {
  PassOptions::Option<bool> lowerToLLVM{
      *this, "lower-to-llvm",
      llvm::cl::desc("Lower to the LLVM dialect (false: stop after "
                     "bufferization and loop lowering, for inspection)"),
      llvm::cl::init(true)};
};

/// pixelfly + linalg on tensors to the LLVM dialect, runnable with
/// `mlir-runner`: convert-pixelfly-to-linalg, one-shot bufferization across
/// function boundaries (identity layouts), buffer deallocation, linalg to
/// loops, then the upstream conversions to LLVM (bf16 conversions expanded
/// to integer code first, as CPUs lack them).
void buildPixelflyCPUPipeline(OpPassManager &pm,
                              const CPUPipelineOptions &options);

/// Registers `pixelfly-cpu-pipeline`.
void registerPixelflyPipelines();

} // namespace pixelfly
} // namespace mlir

#endif // PIXELFLY_PIPELINES_PIPELINES_H
