//===- PipelineInput.cpp - Input the pipelines must not crash on ----------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// IR that verifies but that upstream passes of the pipelines crash on, found
// by fuzzing: refused with a diagnostic, or, where it is only undefined
// behaviour, replaced by a value it may take.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinTypeInterfaces.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/ShapedOpInterfaces.h"

namespace mlir::pixelfly {
#define GEN_PASS_DEF_PIXELFLYPIPELINEINPUT
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h.inc"
} // namespace mlir::pixelfly

using namespace mlir;
using namespace mlir::pixelfly;

namespace {
struct PixelflyPipelineInputPass
    : public pixelfly::impl::PixelflyPipelineInputBase<
          PixelflyPipelineInputPass> {
  void runOnOperation() override {
    SmallVector<Operation *> undefinedDims;
    WalkResult result = getOperation()->walk([&](Operation *op) {
      // Elements of a type without a static shape: a dense_resource does
      // not check its type (ub.poison of such a type is fine).
      Attribute value;
      if (matchPattern(op, m_Constant(&value)))
        if (auto elements = dyn_cast<ElementsAttr>(value);
            elements && !elements.getShapedType().hasStaticShape()) {
          op->emitError() << "pixelfly-pipeline-input: a constant of type "
                          << elements.getShapedType()
                          << " (a constant needs a static shape)";
          return WalkResult::interrupt();
        }
      auto dim = dyn_cast<ShapedDimOpInterface>(op);
      if (!dim)
        return WalkResult::advance();
      auto type = dyn_cast<ShapedType>(dim.getShapedValue().getType());
      std::optional<int64_t> index = getConstantIntValue(dim.getDimension());
      if (type && type.hasRank() && index &&
          (*index < 0 || *index >= type.getRank())) {
        op->emitWarning() << "pixelfly-pipeline-input: dimension " << *index
                          << " of a value of rank " << type.getRank()
                          << " is undefined: read as 0";
        undefinedDims.push_back(op);
      }
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      return signalPassFailure();
    for (Operation *op : undefinedDims) {
      OpBuilder b(op);
      Value zero = arith::ConstantIndexOp::create(b, op->getLoc(), 0);
      op->getResult(0).replaceAllUsesWith(zero);
      op->erase();
    }
  }
};
} // namespace
