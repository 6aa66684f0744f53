//===- Pipelines.cpp - Pixelfly pass pipelines ----------------------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Pipelines/Pipelines.h"
#include "pixelfly/Conversion/Passes.h"
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"
#include "pixelfly/Dialect/Pixelfly/Utils/GpuTarget.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/Pipelines/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Dialect/Vector/Transforms/Passes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::pixelfly;

/// Bufferizes the whole module: tensors across function boundaries become
/// memrefs with identity layouts, temporaries are deallocated.
static void addBufferization(OpPassManager &pm) {
  // A tensor.empty that ends up in a function's output memref (through
  // fills and destination operands) becomes that memref: no temporary and
  // no copy of the whole result.
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createConvertBufferizationToMemRefPass());
}

void mlir::pixelfly::buildPixelflyCPUPipeline(
    OpPassManager &pm, const CPUPipelineOptions &options) {
  pm.addPass(createPixelflyPipelineInput());
  // The register tiles are chosen once, for the target, and recorded on
  // the module; the lowering below reads them (row tiles of the register
  // tile's height keep each accumulator tile in registers across the
  // blocks of a block row). The pass also refuses vectors too large for
  // the lowering to unroll.
  PixelflyCPUConfigOptions config;
  config.cpu = options.cpu;
  config.features = options.features;
  config.tileM = options.tileM;
  config.tileN = options.tileN;
  config.tileK = options.tileK;
  config.panelM = options.panelM;
  pm.addPass(createPixelflyCPUConfig(config));
  // Elementwise arith/math on tensors (a JAX-style optimizer update) has no
  // bufferization of its own.
  pm.addPass(createConvertElementwiseToLinalgPass());
  // Multi-threaded code: block rows and column slices as scf.forall
  // (disjoint outputs, so every thread count gives the same bits), later
  // OpenMP worksharing loops.
  bool parallel = options.threads != 1;
  ConvertPixelflyToLinalgOptions convert;
  convert.parallel = parallel;
  pm.addPass(createConvertPixelflyToLinalg(convert));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (options.vectorize) {
    PixelflyCPUVectorizeOptions vectorize;
    vectorize.parallel = parallel;
    pm.addNestedPass<func::FuncOp>(createPixelflyCPUVectorize(vectorize));
    pm.addPass(createCanonicalizerPass());
  }
  // Read; the output must not need this project's dialect.
  PixelflyCPUConfigOptions strip;
  strip.strip = true;
  pm.addPass(createPixelflyCPUConfig(strip));

  addBufferization(pm);
  if (parallel)
    pm.addNestedPass<func::FuncOp>(createForallToParallelLoopPass());
  if (options.vectorize) {
    // Transfers on subviews are not hoisted (aliasing): fold the views into
    // the transfers' indices first.
    pm.addPass(memref::createFoldMemRefAliasOpsPass());
    // Folding leaves one index computation per transfer; hoisting pairs a
    // read with a write by their (identical) indices.
    pm.addPass(createCSEPass());
    pm.addNestedPass<func::FuncOp>(createPixelflyCPUHoistTransfers());
  }
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createCanonicalizerPass());
  if (!options.lowerToLLVM)
    return;

  // CPUs have no bf16 conversions: extf/truncf become integer code (those
  // with a rounding mode here, the others in arith-expand).
  pm.addPass(createPixelflyExpandRounding());
  arith::ArithExpandOpsPassOptions expand;
  expand.includeBf16 = true;
  pm.addPass(arith::createArithExpandOpsPass(expand));
  // Mixed-type tiles vectorize to multiplies and an n-D reduction.
  pm.addNestedPass<func::FuncOp>(vector::createLowerVectorMultiReductionPass());
  // n-D vector transfers to loops of 1-D ones (unrolled).
  VectorTransferToSCFOptions vectorToSCF;
  vectorToSCF.enableFullUnroll(true);
  pm.addPass(createConvertVectorToSCFPass(vectorToSCF));
  // Strided-metadata expansion emits affine.apply: before lower-affine.
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  if (parallel) {
    ConvertSCFToOpenMPPassOptions openmp;
    openmp.numThreads = options.threads;
    pm.addPass(createConvertSCFToOpenMPPass(openmp));
    // Each iteration is wrapped in memref.alloca_scope, which must stay one
    // block: the canonicalizer inlines the scopes that hold no alloca (all
    // of ours) before SCF becomes control flow.
    pm.addPass(createCanonicalizerPass());
  }
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  ConvertVectorToLLVMPassOptions vectorToLLVM;
  vectorToLLVM.vectorContractLowering =
      vector::VectorContractLowering::OuterProduct;
  // The packing copies' 8 x 8 transposes: shuffles, not element moves.
  vectorToLLVM.vectorTransposeLowering =
      vector::VectorTransposeLowering::Shuffle1D;
  pm.addPass(createConvertVectorToLLVMPass(vectorToLLVM));
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  if (parallel)
    pm.addPass(createConvertOpenMPToLLVMPass());
  // Vectorization reads with ub.poison padding.
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

/// The PTX features given to the backend: the option's when set, else
/// +ptx80 or the newer version the chip's kernels need.
static std::string ptxFeaturesOf(const GPUPipelineOptions &options) {
  if (options.ptxFeatures.hasValue())
    return options.ptxFeatures;
  std::optional<GpuTarget> target = lookupGpuTarget(options.chip);
  int64_t version =
      target ? std::max<int64_t>(80, target->kernelsPtxVersion()) : 80;
  return "+ptx" + std::to_string(version);
}

void mlir::pixelfly::buildPixelflyGPUPipeline(
    OpPassManager &pm, const GPUPipelineOptions &options) {
  pm.addPass(createPixelflyPipelineInput());
  // Dense contractions (a 2:4 step's weight gradient, the low-rank
  // factors' products) on the tensor cores, as full-layout products, before
  // the configuration picks their tiles.
  pm.addNestedPass<func::FuncOp>(createPixelflyDenseProducts());
  PixelflyGPUConfigOptions config;
  config.chip = options.chip;
  config.persistent = options.persistent;
  config.tmaStore = options.tmaStore;
  pm.addPass(createPixelflyGPUConfig(config));
  // What has no kernel (an f32 2:4 product, a fixed mask's densify) runs
  // dense: its contraction goes through the two passes above once more.
  pm.addNestedPass<func::FuncOp>(createPixelflyGPUDenseFallback());
  pm.addNestedPass<func::FuncOp>(createPixelflyDenseProducts());
  pm.addPass(createPixelflyGPUConfig(config));
  pm.addPass(createConvertElementwiseToLinalgPass());
  // Chains of elementwise ops (an optimizer update, an activation's
  // gradient) become one kernel each instead of one per op.
  pm.addPass(createLinalgElementwiseOpFusionPass());
  // And chains whose intermediates are results too (an optimizer's states).
  pm.addNestedPass<func::FuncOp>(createPixelflyGPUFuseElementwise());
  // Those merges leave producers with one consumer (a gradient scaled by
  // gamma, read by the moments' updates): fused now.
  pm.addPass(createLinalgElementwiseOpFusionPass());
  // Long reductions (bias gradients, norms) over many threads, and every
  // reduction loop inside its thread rather than around launches.
  pm.addNestedPass<func::FuncOp>(createPixelflyGPUReductions());
  // Full reductions (a gradient norm) and 0-d fills would stay host loops.
  pm.addNestedPass<func::FuncOp>(createPixelflyGPUScalarResults());
  addBufferization(pm);
  ConvertPixelflyToGPUOptions kernels;
  kernels.strict = true;
  pm.addPass(createConvertPixelflyToGPU(kernels));
  // Independent elementwise ops (the optimizer updates of the parameters,
  // most of them small) run as one kernel; before their temporaries become
  // device allocations (whose waits would separate them).
  pm.addNestedPass<func::FuncOp>(createPixelflyGPUHorizontalFusion());
  // Host code only orchestrates kernels: its temporaries and copies are
  // device memory (strided copies become linalg.copy, hence kernels).
  pm.addPass(createPixelflyGPUDeviceMemory());
  // What is left of linalg (bias, activations, reductions) runs as plain
  // parallel loops, one GPU thread per element: blocks of 128 threads along
  // the innermost dimension, bounds checked inside, so the inner loop has a
  // constant trip count the thread mapping needs.
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToParallelLoopsPass());
  // Reductions accumulate in registers, starting from their fill's value
  // (the fill is no kernel of its own); then adjacent loops over one space
  // (a sum and the rest added to it, a gate's sums and its sigmoid) are
  // one kernel.
  pm.addNestedPass<func::FuncOp>(createPixelflyGPUAccumulators());
  pm.addNestedPass<func::FuncOp>(createPixelflyGPUFuseLoops());
  pm.addNestedPass<func::FuncOp>(createPixelflyGPUThreadTiles());
  pm.addNestedPass<func::FuncOp>(createGpuMapParallelLoopsPass());
  pm.addNestedPass<func::FuncOp>(createConvertParallelLoopToGpuPass());
  pm.addPass(createGpuKernelOutliningPass());
  // Compile-time weights and biases the kernels read become part of their
  // module images (uploaded once, at module load).
  pm.addPass(createPixelflyGPUDeviceConstants());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (!options.lowerToLLVM)
    return;
  // The NVPTX backend aborts on an f32 -> bf16 truncation with a rounding
  // mode: integer code instead.
  pm.addPass(createPixelflyExpandRounding());
  gpu::GPUToNVVMPipelineOptions nvvm;
  nvvm.cubinChip = options.chip;
  nvvm.cubinFeatures = ptxFeaturesOf(options);
  nvvm.cubinFormat = options.format;
  nvvm.optLevel = options.optLevel;
  gpu::buildLowerToNVVMPassPipeline(pm, nvvm);
}

/// Why `options` cannot build a pipeline (empty: they can). Checked before
/// anything runs: upstream's NVVM stages only notice a bad format or
/// optimization level at the very end, with the whole module dumped.
static std::string checkOptions(const CPUPipelineOptions &options) {
  if (options.threads < 0 || options.threads > 4096)
    return "threads must be in [0, 4096] (0: the OpenMP runtime's default), "
           "got " +
           std::to_string(options.threads);
  return {};
}
static std::string checkOptions(const GPUPipelineOptions &options) {
  StringRef format = options.format;
  if (format != "isa" && format != "bin" && format != "fatbin")
    return "format must be isa, bin or fatbin, got '" + format.str() + "'";
  if (options.optLevel < 0 || options.optLevel > 3)
    return "opt-level must be in [0, 3], got " +
           std::to_string(options.optLevel);
  // The NVPTX backend aborts on a PTX version older than the target, or
  // than an instruction the kernels use. Without a +ptxNN it takes the
  // target's first version.
  std::optional<GpuTarget> target = lookupGpuTarget(options.chip);
  if (!target)
    return {};
  SmallVector<StringRef> features;
  std::string ptxFeatures = ptxFeaturesOf(options);
  StringRef(ptxFeatures).split(features, ',');
  std::string given;
  int64_t version = target->minPtxVersion;
  for (StringRef feature : features) {
    StringRef digits = feature.trim();
    unsigned v = 0;
    if (!digits.consume_front("+ptx") || digits.getAsInteger(10, v))
      continue;
    given = "+ptx" + digits.str();
    version = v;
  }
  int64_t needed = target->kernelsPtxVersion();
  if (version >= needed)
    return {};
  std::string what =
      given.empty() ? "ptx-features names no +ptxNN, and the backend's "
                      "default for " +
                          options.chip.getValue() + " (+ptx" +
                          std::to_string(version) + ")"
                    : "ptx-features " + given;
  return what + " is too old for " + options.chip.getValue() +
         " (its kernels need +ptx" + std::to_string(needed) + " or later)";
}

/// Registers a pipeline that must run on builtin.module: nested elsewhere
/// it is a diagnostic, not the fatal error of adding a module pass there.
template <typename Options>
static void
registerModulePipeline(StringRef name, StringRef description,
                       void (*build)(OpPassManager &, const Options &)) {
  std::string argument = name.str();
  registerPassPipeline(
      name, description,
      [argument, build](OpPassManager &pm, StringRef text,
                        function_ref<LogicalResult(const Twine &)>
                            errorHandler) {
        Options options;
        if (failed(options.parseFromString(text)))
          return failure();
        if (std::string why = checkOptions(options); !why.empty())
          return errorHandler(argument + ": " + why);
        if (pm.getOpAnchorName() != ModuleOp::getOperationName())
          return errorHandler(argument +
                              " runs on builtin.module (it bufferizes "
                              "across functions), not nested in '" +
                              pm.getOpAnchorName() + "'");
        build(pm, options);
        return success();
      },
      [](function_ref<void(const mlir::detail::PassOptions &)> optionsHandler) {
        optionsHandler(Options());
      });
}

void mlir::pixelfly::registerPixelflyPipelines() {
  registerModulePipeline<CPUPipelineOptions>(
      "pixelfly-cpu-pipeline",
      "Lower pixelfly + linalg on tensors to the LLVM dialect for the CPU "
      "(runnable with mlir-runner)",
      buildPixelflyCPUPipeline);
  registerModulePipeline<GPUPipelineOptions>(
      "pixelfly-gpu-pipeline",
      "Lower pixelfly + linalg on tensors to tensor-core GPU kernels "
      "(gpu.binary) and LLVM host code",
      buildPixelflyGPUPipeline);
}
