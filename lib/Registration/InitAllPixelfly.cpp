//===- InitAllPixelfly.cpp - Register everything pixelfly -----------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/InitAllPixelfly.h"
#include "pixelfly/Conversion/Passes.h"
#include "pixelfly/Pipelines/Pipelines.h"
#include "pixelfly/Dialect/Pixelfly/IR/BufferizableOpInterfaceImpl.h"
#include "pixelfly/Dialect/Pixelfly/IR/PixelflyDialect.h"
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"

void mlir::pixelfly::registerAllPixelflyDialects(DialectRegistry &registry) {
  registry.insert<PixelflyDialect>();
  registerBufferizableOpInterfaceExternalModels(registry);
}

void mlir::pixelfly::registerAllPixelflyPasses() {
  registerPixelflyPasses();
  registerPixelflyConversionPasses();
  registerPixelflyPipelines();
}
