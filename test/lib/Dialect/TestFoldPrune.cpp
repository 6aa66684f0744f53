//===- TestFoldPrune.cpp - Prune constant weights with the library --------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Replaces every `pixelfly.prune_2_4` of a constant by constants computed
// with the pattern library, the code that projects compile-time weights.
// Execution tests prune the same constant at run time too (through
// convert-pixelfly-to-linalg) and compare the bits.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyOps.h"
#include "pixelfly/Dialect/Pixelfly/Utils/WeightData.h"
#include "pixelfly/Patterns/TwoFour.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;
using namespace mlir::pixelfly;

namespace {
struct TestFoldPrunePass
    : public PassWrapper<TestFoldPrunePass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(TestFoldPrunePass)

  StringRef getArgument() const final { return "test-pixelfly-fold-prune"; }
  StringRef getDescription() const final {
    return "Replace pixelfly.prune_2_4 of constants by the pattern "
           "library's result";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<arith::ArithDialect>();
  }

  void runOnOperation() override {
    SmallVector<Prune24Op> prunes;
    getOperation()->walk([&](Prune24Op op) { prunes.push_back(op); });
    for (Prune24Op op : prunes) {
      ElementsAttr data;
      if (op->getNumResults() == 0 ||
          !matchPattern(op.getInput(), m_Constant(&data)))
        continue;
      std::string error;
      FailureOr<patterns::Matrix> w =
          readWeightMatrix(data, /*transpose=*/false, error);
      if (failed(w)) {
        op.emitError() << "cannot read the constant: " << error;
        return signalPassFailure();
      }
      bool withTranspose = op->getNumResults() == 4;
      patterns::Pruned24 pruned =
          patterns::prune24(*w, op.getTransposable(), withTranspose);
      OpBuilder b(op);
      SmallVector<Value> results;
      auto add = [&](const patterns::Compressed24 &c, unsigned first) {
        auto valuesType = cast<RankedTensorType>(op->getResult(first).getType());
        auto metaType =
            cast<RankedTensorType>(op->getResult(first + 1).getType());
        results.push_back(arith::ConstantOp::create(
            b, op.getLoc(), valuesType,
            makeFloatElements(valuesType, c.values)));
        results.push_back(arith::ConstantOp::create(
            b, op.getLoc(), metaType, makeI16Elements(metaType, c.metadata)));
      };
      add(pruned.weight, 0);
      if (withTranspose)
        add(pruned.transposed, 2);
      op->replaceAllUsesWith(results);
      op->erase();
    }
  }
};
} // namespace

namespace mlir::pixelfly::test {
void registerTestFoldPrunePass() { PassRegistration<TestFoldPrunePass>(); }
} // namespace mlir::pixelfly::test
