//===- CPUHoistTransfers.cpp - Keep matmul accumulators in registers ------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// After bufferization, the vectorized tiles of pixelfly-cpu-vectorize read
// and write their accumulator tile on every iteration of the reduction
// loops. Hoisting those transfers out of the loops keeps the accumulator in
// registers across the K tiles (and across the blocks of a block row).
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"

namespace mlir::pixelfly {
#define GEN_PASS_DEF_PIXELFLYCPUHOISTTRANSFERS
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h.inc"
} // namespace mlir::pixelfly

using namespace mlir;

namespace {
struct PixelflyCPUHoistTransfersPass
    : public pixelfly::impl::PixelflyCPUHoistTransfersBase<
          PixelflyCPUHoistTransfersPass> {
  void runOnOperation() override {
    // Sequential loops only (no distribution): a loop that runs zero times
    // reads and writes back the same values, which is harmless.
    linalg::hoistRedundantVectorTransfers(getOperation(),
                                          /*verifyNonZeroTrip=*/false);
  }
};
} // namespace
