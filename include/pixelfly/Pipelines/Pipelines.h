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
  PassOptions::Option<bool> vectorize{
      *this, "vectorize",
      llvm::cl::desc("Tile the matmuls and vectorize their whole tiles "
                     "(pixelfly-cpu-vectorize)"),
      llvm::cl::init(true)};
  PassOptions::Option<int64_t> tileM{
      *this, "tile-m", llvm::cl::desc("Tile size along M"), llvm::cl::init(8)};
  PassOptions::Option<int64_t> tileN{*this, "tile-n",
                                     llvm::cl::desc("Tile size along N"),
                                     llvm::cl::init(32)};
  // 8 x 32 x 8 was the fastest of the sizes tried on the CPU benchmark
  // (docs/benchmarks.md) and keeps the unrolled vector code small.
  PassOptions::Option<int64_t> tileK{*this, "tile-k",
                                     llvm::cl::desc("Tile size along K"),
                                     llvm::cl::init(8)};
  PassOptions::Option<int64_t> panelM{
      *this, "panel-m",
      llvm::cl::desc("Rows of the left operand kept in cache while the "
                     "right operand's column slices stream past"),
      llvm::cl::init(128)};
  PassOptions::Option<bool> lowerToLLVM{
      *this, "lower-to-llvm",
      llvm::cl::desc("Lower to the LLVM dialect (false: stop after "
                     "bufferization and loop lowering, for inspection)"),
      llvm::cl::init(true)};
};

/// pixelfly + linalg on tensors to the LLVM dialect, runnable with
/// `mlir-runner`: convert-pixelfly-to-linalg, tiling and vectorization of
/// the matmuls (pixelfly-cpu-vectorize), one-shot bufferization across
/// function boundaries (identity layouts), buffer deallocation, the rest of
/// linalg to loops, then the upstream conversions to LLVM (vector
/// contractions as outer products; bf16 conversions expanded to integer
/// code first, as CPUs lack them).
void buildPixelflyCPUPipeline(OpPassManager &pm,
                              const CPUPipelineOptions &options);

/// Registers `pixelfly-cpu-pipeline`.
void registerPixelflyPipelines();

} // namespace pixelfly
} // namespace mlir

#endif // PIXELFLY_PIPELINES_PIPELINES_H
