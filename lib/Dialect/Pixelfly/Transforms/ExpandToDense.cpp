//===- ExpandToDense.cpp - Pixelfly products as dense linalg --------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyOps.h"
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"
#include "pixelfly/Dialect/Pixelfly/Transforms/Transforms.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::pixelfly {
#define GEN_PASS_DEF_PIXELFLYEXPANDTODENSE
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h.inc"
} // namespace mlir::pixelfly

using namespace mlir;
using namespace mlir::pixelfly;

void mlir::pixelfly::populateExpandToDensePatterns(RewritePatternSet &) {}

namespace {
struct PixelflyExpandToDensePass
    : public pixelfly::impl::PixelflyExpandToDenseBase<
          PixelflyExpandToDensePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateExpandToDensePatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
