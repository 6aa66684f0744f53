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
  PassOptions::Option<std::string> cpu{
      *this, "cpu",
      llvm::cl::desc("Target CPU whose registers the tiles are chosen for: "
                     "host (default; what mlir-runner compiles for) or an "
                     "x86-64 CPU of LLVM, e.g. x86-64-v3, x86-64-v4"),
      llvm::cl::init("host")};
  PassOptions::Option<std::string> features{
      *this, "features",
      llvm::cl::desc("Target features on top of the CPU's, e.g. -avx512f"),
      llvm::cl::init("")};
  // 0: chosen by pixelfly-cpu-config for the target.
  PassOptions::Option<int64_t> tileM{
      *this, "tile-m", llvm::cl::desc("Tile size along M (0: chosen)"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> tileN{
      *this, "tile-n", llvm::cl::desc("Tile size along N (0: chosen)"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> tileK{
      *this, "tile-k", llvm::cl::desc("Tile size along K (0: chosen)"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> panelM{
      *this, "panel-m",
      llvm::cl::desc("Rows of the left operand kept in cache while the "
                     "right operand's column slices stream past (0: chosen)"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> threads{
      *this, "threads",
      llvm::cl::desc("Threads of the products (1: sequential code; more, or "
                     "0 for the OpenMP runtime's default: block rows and "
                     "column slices in parallel, through OpenMP, so the "
                     "program needs libomp)"),
      llvm::cl::init(1)};
  PassOptions::Option<bool> lowerToLLVM{
      *this, "lower-to-llvm",
      llvm::cl::desc("Lower to the LLVM dialect (false: stop after "
                     "bufferization and loop lowering, for inspection)"),
      llvm::cl::init(true)};
};

/// pixelfly + linalg on tensors to the LLVM dialect, runnable with
/// `mlir-runner`: pixelfly-cpu-config (register tiles for the target),
/// convert-pixelfly-to-linalg, tiling and vectorization of
/// the matmuls (pixelfly-cpu-vectorize), one-shot bufferization across
/// function boundaries (identity layouts), buffer deallocation, the rest of
/// linalg to loops, then the upstream conversions to LLVM (vector
/// contractions as outer products; bf16 conversions expanded to integer
/// code first, as CPUs lack them).
void buildPixelflyCPUPipeline(OpPassManager &pm,
                              const CPUPipelineOptions &options);

struct GPUPipelineOptions : public PassPipelineOptions<GPUPipelineOptions> {
  PassOptions::Option<std::string> chip{
      *this, "chip",
      llvm::cl::desc("Target GPU: sm_80, sm_86, sm_89, sm_90 or sm_90a"),
      llvm::cl::init("sm_80")};
  PassOptions::Option<int64_t> persistent{
      *this, "persistent",
      llvm::cl::desc("Hopper family: a persistent grid of this many thread "
                     "blocks where the kernels take one (pixelfly-gpu-config; "
                     "0: a thread block per tile)"),
      llvm::cl::init(0)};
  PassOptions::Option<bool> tmaStore{
      *this, "tma-store",
      llvm::cl::desc("Hopper family: outputs through shared memory and TMA "
                     "stores where the kernels take it (pixelfly-gpu-config)"),
      llvm::cl::init(false)};
  PassOptions::Option<std::string> format{
      *this, "format",
      llvm::cl::desc("Kernel binary format: isa (PTX, compiled by the "
                     "driver at load time), bin (cubin, needs ptxas) or "
                     "fatbin"),
      llvm::cl::init("isa")};
  PassOptions::Option<std::string> ptxFeatures{
      *this, "ptx-features",
      llvm::cl::desc("PTX ISA features given to the NVPTX backend "
                     "(default: +ptx80, or the newer version the chip's "
                     "kernels need: +ptx82 for sm_90a)"),
      llvm::cl::init("+ptx80")};
  PassOptions::Option<int> optLevel{
      *this, "opt-level",
      llvm::cl::desc("Optimization level of the NVVM compilation"),
      llvm::cl::init(3)};
  PassOptions::Option<bool> lowerToLLVM{
      *this, "lower-to-llvm",
      llvm::cl::desc("Lower to the LLVM dialect and gpu.binary (false: stop "
                     "after the kernels are generated, for inspection)"),
      llvm::cl::init(true)};
};

/// pixelfly + linalg on tensors to the LLVM dialect plus `gpu.binary`:
/// pixelfly-gpu-config (what it cannot configure runs dense:
/// pixelfly-gpu-dense-fallback), one-shot bufferization across function
/// boundaries (identity layouts), convert-pixelfly-to-gpu (tensor-core
/// kernels), the remaining linalg as parallel loops mapped to GPU threads and
/// outlined, then upstream's NVVM lowering (`gpu-lower-to-nvvm-pipeline`) with
/// the kernels serialized for `chip` in `format`. The functions' memrefs are
/// device memory. `pm` must be anchored on `builtin.module`.
void buildPixelflyGPUPipeline(OpPassManager &pm,
                              const GPUPipelineOptions &options);

/// Registers `pixelfly-cpu-pipeline` and `pixelfly-gpu-pipeline`.
void registerPixelflyPipelines();

} // namespace pixelfly
} // namespace mlir

#endif // PIXELFLY_PIPELINES_PIPELINES_H
