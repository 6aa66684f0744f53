//===- Version.cpp - Version of the pixelfly library ----------------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Version.h"

const char *mlir::pixelfly::getPixelflyVersion() { return PIXELFLY_VERSION; }
