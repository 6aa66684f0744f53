//===- TestWeightUses.cpp - Print the weight-use analysis -----------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Analysis/BudgetAnalysis.h"
#include "pixelfly/Analysis/WeightUses.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;
using namespace mlir::pixelfly;

namespace {
/// Prints, for every weight the budget analysis found, the kind of each of
/// its uses and of its gradient's uses, and the optimizer state it reads.
struct TestWeightUsesPass
    : public PassWrapper<TestWeightUsesPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(TestWeightUsesPass)

  StringRef getArgument() const final { return "test-pixelfly-weight-uses"; }
  StringRef getDescription() const final {
    return "Print the uses of every layer weight, by kind";
  }

  void runOnOperation() override {
    auto &budget = getAnalysis<BudgetAnalysis>();
    const WeightUseAnalysis &analysis = budget.getWeightUses();
    ArrayRef<LayerInfo> layers = budget.getLayers();
    llvm::raw_ostream &os = llvm::outs();
    auto name = [&](const WeightUse &use) {
      if (use.layer >= 0)
        os << layers[use.layer].name;
      else
        os << use.op->getName();
    };
    for (const WeightGroup &group : analysis.getGroups()) {
      Value weight = group.weight;
      auto func =
          weight.getParentRegion()->getParentOfType<FunctionOpInterface>();
      os << "@" << func.getName() << " weight ";
      if (auto arg = dyn_cast<BlockArgument>(group.weight))
        os << "argument " << arg.getArgNumber();
      else
        os << group.weight.getDefiningOp()->getName();
      os << (group.isTraining() ? ": training" : ": inference")
         << ", forward reduces dim " << group.forwardReducedDim << "\n";
      for (const WeightUse &use : group.uses) {
        os << "  " << stringifyWeightUseKind(use.kind) << " ";
        name(use);
        os << "\n";
      }
      for (const WeightUse &use : group.gradientUses) {
        os << "  gradient " << stringifyWeightUseKind(use.kind) << " ";
        name(use);
        os << "\n";
      }
      if (!group.gradientNote.empty())
        os << "  no weight gradient: " << group.gradientNote << "\n";
      for (Value state : group.state)
        os << "  state argument " << cast<BlockArgument>(state).getArgNumber()
           << "\n";
    }
    markAllAnalysesPreserved();
  }
};
} // namespace

namespace mlir::pixelfly::test {
void registerTestWeightUsesPass() { PassRegistration<TestWeightUsesPass>(); }
} // namespace mlir::pixelfly::test
