//===- TestPasses.h - Registration of the test-only passes ------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_TEST_LIB_TESTPASSES_H
#define PIXELFLY_TEST_LIB_TESTPASSES_H

namespace mlir::pixelfly::test {
void registerTestBudgetAnalysisPass();
void registerTestFoldPrunePass();
void registerTestReferenceHarnessPass();
void registerTestWeightUsesPass();

inline void registerTestPasses() {
  registerTestBudgetAnalysisPass();
  registerTestFoldPrunePass();
  registerTestReferenceHarnessPass();
  registerTestWeightUsesPass();
}
} // namespace mlir::pixelfly::test

#endif // PIXELFLY_TEST_LIB_TESTPASSES_H
