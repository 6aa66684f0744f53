//===- Pipelines.cpp - Pixelfly pass pipelines ----------------------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Pipelines/Pipelines.h"
#include "pixelfly/Conversion/Passes.h"
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/Vector/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::pixelfly;

void mlir::pixelfly::buildPixelflyCPUPipeline(
    OpPassManager &pm, const CPUPipelineOptions &options) {
  // Row tiles of the vectorization's size keep each accumulator tile in
  // registers across the blocks of a block row.
  ConvertPixelflyToLinalgOptions convert;
  convert.tileM = options.vectorize ? options.tileM : 0;
  pm.addPass(createConvertPixelflyToLinalg(convert));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (options.vectorize) {
    PixelflyCPUVectorizeOptions vectorize;
    vectorize.tileM = options.tileM;
    vectorize.tileN = options.tileN;
    vectorize.tileK = options.tileK;
    vectorize.panelM = options.panelM;
    pm.addNestedPass<func::FuncOp>(createPixelflyCPUVectorize(vectorize));
    pm.addPass(createCanonicalizerPass());
  }

  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createConvertBufferizationToMemRefPass());
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

  // CPUs have no bf16 conversions: extf/truncf become integer code.
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
  // Vectorization reads with ub.poison padding.
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void mlir::pixelfly::registerPixelflyPipelines() {
  // Registered by hand rather than with PassPipelineRegistration: nesting the
  // pipeline under another op (func.func(pixelfly-cpu-pipeline)) must be a
  // diagnostic, not the fatal error of adding a module pass there.
  registerPassPipeline(
      "pixelfly-cpu-pipeline",
      "Lower pixelfly + linalg on tensors to the LLVM dialect for the CPU "
      "(runnable with mlir-runner)",
      [](OpPassManager &pm, StringRef text,
         function_ref<LogicalResult(const Twine &)> errorHandler) {
        CPUPipelineOptions options;
        if (failed(options.parseFromString(text)))
          return failure();
        if (pm.getOpAnchorName() != ModuleOp::getOperationName())
          return errorHandler("pixelfly-cpu-pipeline runs on builtin.module "
                              "(it bufferizes across functions), not nested "
                              "in '" +
                              pm.getOpAnchorName() + "'");
        buildPixelflyCPUPipeline(pm, options);
        return success();
      },
      [](function_ref<void(const detail::PassOptions &)> optionsHandler) {
        optionsHandler(CPUPipelineOptions());
      });
}
