//===- WgmmaPlan.cpp - Hopper-family schedule of products -----------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "Hopper/WgmmaPlan.h"

#include "pixelfly/Dialect/Pixelfly/Utils/HopperSchedule.h"

using namespace mlir;
using namespace mlir::pixelfly;

/// Checks what the family supports today, filling the geometry of `plan`.
static LogicalResult checkSchedule(Operation *op, WgmmaPlan &plan,
                                   std::string &why) {
  HopperConfigAttr c = plan.hopperConfig();
  if (failed(checkHopperProduct(op, why)) ||
      failed(checkHopperSchedule(c, plan.elementType, plan.blockM(),
                                 plan.blockK(), hopperAccumulatorSets(op),
                                 why)) ||
      failed(checkTileShape(plan, why)))
    return failure();
  if (plan.isWeightGrad() && c.getPersistent() != 0) {
    why = "a persistent grid (the weight gradient runs one thread block per "
          "block)";
    return failure();
  }
  plan.consumers = c.getConsumers();
  plan.numThreads = c.getNumThreads();
  plan.mmaTilesM = c.getTileM() / c.getConsumers() / 64;
  plan.stepsPerBlock = plan.blockK() / c.getTileK();
  plan.stageBytes = plan.aTileBytes() + plan.bTileBytes();
  plan.sharedBytes = c.getStages() * plan.stageBytes;
  if (plan.consumers > 1) {
    // A producer thread needs few registers; the consumers take the rest.
    plan.producerRegisters = kHopperProducerRegisters;
    plan.consumerRegisters = hopperConsumerRegisters(plan.consumers);
  }
  bool dynamic = false;
  return checkSharedMemory(*lookupGpuTarget(c.getChip()), plan.sharedBytes,
                           dynamic, why);
}

FailureOr<WgmmaPlan> mlir::pixelfly::planWgmmaKernel(Operation *op,
                                                     HopperConfigAttr config,
                                                     std::string &why) {
  WgmmaPlan plan;
  if (failed(describeProduct(op, config, plan, why)) ||
      failed(checkSchedule(op, plan, why)) || failed(planTiles(plan, why)))
    return failure();
  return plan;
}
