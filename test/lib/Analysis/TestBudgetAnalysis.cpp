//===- TestBudgetAnalysis.cpp - Print what the budget analysis finds ------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Analysis/BudgetAnalysis.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;
using namespace mlir::pixelfly;

namespace {
/// Prints, for every contraction of the module, what the analysis
/// recognized: the layer shape, which operand is the weight and where it
/// comes from, and why it is not eligible.
struct TestBudgetAnalysisPass
    : public PassWrapper<TestBudgetAnalysisPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(TestBudgetAnalysisPass)

  StringRef getArgument() const final { return "test-pixelfly-budget-analysis"; }
  StringRef getDescription() const final {
    return "Print the layers found by the pixelfly budget analysis";
  }

  void runOnOperation() override {
    auto &analysis = getAnalysis<BudgetAnalysis>();
    llvm::raw_ostream &os = llvm::outs();
    for (const LayerInfo &layer : analysis.getLayers()) {
      os << layer.name << " " << layer.op->getName() << ":";
      if (layer.weightOperand < 0) {
        os << " no weight: " << layer.skipReason.text << "\n";
        continue;
      }
      auto dim = [&](int64_t d) {
        if (ShapedType::isDynamic(d))
          os << "?";
        else
          os << d;
      };
      os << " m=";
      dim(layer.shape.m);
      os << " n=";
      dim(layer.shape.n);
      os << " k=";
      dim(layer.shape.k);
      os << " weight=" << layer.weightOperand
         << (layer.weightNK ? " (n, k)" : " (k, n)") << " from ";
      if (auto arg = dyn_cast<BlockArgument>(layer.weightSource))
        os << "argument " << arg.getArgNumber();
      else
        os << layer.weightSource.getDefiningOp()->getName();
      os << " " << layer.elementType;
      if (layer.skipReason.empty())
        os << " eligible\n";
      else
        os << " not eligible: " << layer.skipReason.text << "\n";
    }
    markAllAnalysesPreserved();
  }
};
} // namespace

namespace mlir::pixelfly::test {
void registerTestBudgetAnalysisPass() {
  PassRegistration<TestBudgetAnalysisPass>();
}
} // namespace mlir::pixelfly::test
