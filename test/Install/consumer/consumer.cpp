//===- consumer.cpp - Embeds pixelfly through the installed package -------===//
//
// Part of the pixelfly-mlir project.
//
// consumer <input.mlir> <textual pipeline>
//
// Registers pixelfly next to upstream MLIR, runs the textual pipeline (as a
// stack composing our passes with its own would), then appends the CPU
// pipeline with the C++ builder, and prints, after each stage, how many
// operations of each name the module holds.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/InitAllPixelfly.h"
#include "pixelfly/Pipelines/Pipelines.h"
#include "pixelfly/Version.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <string>

using namespace mlir;

static void printCounts(llvm::StringRef stage, ModuleOp module) {
  std::map<std::string, int> counts;
  module.walk([&](Operation *op) {
    ++counts[op->getName().getStringRef().str()];
  });
  llvm::outs() << "== " << stage << "\n";
  for (const auto &[name, count] : counts)
    llvm::outs() << name << " " << count << "\n";
}

int main(int argc, char **argv) {
  if (argc != 3) {
    llvm::errs() << "usage: consumer <input.mlir> <textual pipeline>\n";
    return 2;
  }
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  pixelfly::registerAllPixelflyDialects(registry);
  registerTransformsPasses();
  pixelfly::registerAllPixelflyPasses();
  MLIRContext context(registry);

  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(argv[1], &context);
  if (!module)
    return 1;
  llvm::outs() << "pixelfly " << pixelfly::getPixelflyVersion() << "\n";

  // The text names its root (builtin.module(...)), as on mlir-opt's
  // command line.
  FailureOr<OpPassManager> parsed = parsePassPipeline(argv[2], llvm::errs());
  if (failed(parsed))
    return 1;
  PassManager textual(&context, parsed->getOpAnchorName());
  static_cast<OpPassManager &>(textual) = std::move(*parsed);
  if (failed(textual.run(*module)))
    return 1;
  printCounts("textual", *module);

  auto cpu = PassManager::on<ModuleOp>(&context);
  pixelfly::CPUPipelineOptions options;
  options.tileN = 16;
  pixelfly::buildPixelflyCPUPipeline(cpu, options);
  if (failed(cpu.run(*module)))
    return 1;
  printCounts("cpu", *module);
  return 0;
}
