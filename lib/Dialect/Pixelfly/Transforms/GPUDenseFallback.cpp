//===- GPUDenseFallback.cpp - Dense what no GPU kernel covers -------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// convert-pixelfly-to-gpu only lowers the products pixelfly-gpu-config could
// configure; an f32 2:4 product or a densify op would stop the GPU pipeline.
// Run dense, on the densified weight, they still run on the GPU (the dense
// contractions on the tensor cores, through pixelfly-dense-products).
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Conversion/PixelflyToLinalg/PixelflyToLinalg.h"
#include "pixelfly/Dialect/Pixelfly/IR/PixelflyOps.h"
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"
#include "pixelfly/Dialect/Pixelfly/Transforms/Transforms.h"
#include "pixelfly/Dialect/Pixelfly/Utils/GpuTiling.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::pixelfly {
#define GEN_PASS_DEF_PIXELFLYGPUDENSEFALLBACK
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h.inc"
} // namespace mlir::pixelfly

using namespace mlir;
using namespace mlir::pixelfly;

namespace {
struct PixelflyGPUDenseFallbackPass
    : public pixelfly::impl::PixelflyGPUDenseFallbackBase<
          PixelflyGPUDenseFallbackPass> {
  void runOnOperation() override {
    SmallVector<Operation *> products;
    getOperation().walk([&](Operation *op) {
      if (isa<BlockSparseMatmulOp, BlockSparseInputGradOp,
              BlockSparseWeightGradOp, LowRankMatmulOp, LinearOp,
              TwoFourMatmulOp>(op) &&
          !op->hasAttr(kGpuConfigAttrName))
        products.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (Operation *op : products) {
      Location loc = op->getLoc();
      // The rewrite changes nothing on the memref form.
      if (failed(expandProductToDense(rewriter, op))) {
        emitRemark(loc)
            << "pixelfly-gpu-dense-fallback: left unchanged: no GPU "
               "configuration, and in memref form (run the pass on tensors)";
        continue;
      }
      emitRemark(loc) << "pixelfly-gpu-dense-fallback: no GPU kernel for "
                         "this product as it is; it runs dense, on the "
                         "densified weight";
      ++numExpanded;
    }

    // The densify ops in tensor form (with a result): those just made, and
    // those of the input (a fixed 2:4 mask's pack function).
    SmallVector<Operation *> densify;
    getOperation().walk([&](Operation *op) {
      if (isa<DensifyOp, Densify24Op>(op) && op->getNumResults() > 0)
        densify.push_back(op);
    });
    if (densify.empty())
      return;
    RewritePatternSet patterns(&getContext());
    populateDensifyToLinalgPatterns(patterns);
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingOps);
    bool allErased = false;
    (void)applyOpPatternsGreedily(densify, std::move(patterns), config,
                                  /*changed=*/nullptr, &allErased);
    if (allErased)
      numDensified += densify.size();
    else
      getOperation().emitRemark()
          << "pixelfly-gpu-dense-fallback: a densify op was left unchanged";
  }
};
} // namespace
