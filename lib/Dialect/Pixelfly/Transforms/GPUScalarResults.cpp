//===- GPUScalarResults.cpp - A parallel loop for linalg ops without one --===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// convert-linalg-to-parallel-loops makes scf.parallel from parallel loops
// only; an op with none becomes plain scf.for in host code, which in a GPU
// program dereferences device pointers on the host. A unit parallel loop
// moves it into a kernel.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::pixelfly {
#define GEN_PASS_DEF_PIXELFLYGPUSCALARRESULTS
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h.inc"
} // namespace mlir::pixelfly

using namespace mlir;
using namespace mlir::pixelfly;

/// Whether `op` has no parallel loop and only 0-d outputs on tensors.
static bool needsUnitLoop(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumParallelLoops() != 0 ||
      op.getNumDpsInits() == 0)
    return false;
  return llvm::all_of(op.getDpsInits(), [](Value init) {
    return cast<RankedTensorType>(init.getType()).getRank() == 0;
  });
}

static void addUnitLoop(RewriterBase &rewriter, linalg::GenericOp op) {
  MLIRContext *ctx = op.getContext();
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  unsigned numLoops = op.getNumLoops();
  SmallVector<AffineMap> maps;
  for (OpOperand *input : op.getDpsInputOperands())
    maps.push_back(op.getMatchingIndexingMap(input).shiftDims(1));
  SmallVector<Value> inits;
  SmallVector<Type> resultTypes;
  for (Value init : op.getDpsInits()) {
    auto type = cast<RankedTensorType>(init.getType());
    auto oneType = RankedTensorType::get({1}, type.getElementType());
    inits.push_back(tensor::ExpandShapeOp::create(
        rewriter, loc, oneType, init, SmallVector<ReassociationIndices>{}));
    resultTypes.push_back(oneType);
    maps.push_back(
        AffineMap::get(numLoops + 1, 0, getAffineDimExpr(0, ctx), ctx));
  }
  SmallVector<utils::IteratorType> iterators = {utils::IteratorType::parallel};
  llvm::append_range(iterators, op.getIteratorTypesArray());
  auto unit = linalg::GenericOp::create(
      rewriter, loc, resultTypes, op.getDpsInputs(), inits, maps, iterators);
  rewriter.inlineRegionBefore(op.getRegion(), unit.getRegion(),
                              unit.getRegion().end());
  // The body's loop indices move up by one.
  unit.getRegion().walk(
      [](linalg::IndexOp index) { index.setDim(index.getDim() + 1); });
  SmallVector<Value> results;
  for (Value result : unit.getResults())
    results.push_back(tensor::CollapseShapeOp::create(
        rewriter, loc, result, SmallVector<ReassociationIndices>{}));
  rewriter.replaceOp(op, results);
}

namespace {
struct PixelflyGPUScalarResultsPass
    : public pixelfly::impl::PixelflyGPUScalarResultsBase<
          PixelflyGPUScalarResultsPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (needsUnitLoop(op))
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops) {
      auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
      if (!generic) {
        rewriter.setInsertionPoint(op);
        FailureOr<linalg::GenericOp> generalized =
            linalg::generalizeNamedOp(rewriter, op);
        if (failed(generalized)) {
          op->emitRemark() << "pixelfly-gpu-scalar-results: left '"
                           << op->getName()
                           << "' alone: it cannot be written as a "
                              "linalg.generic (it will run on the host)";
          continue;
        }
        generic = *generalized;
      }
      addUnitLoop(rewriter, generic);
    }
  }
};
} // namespace
