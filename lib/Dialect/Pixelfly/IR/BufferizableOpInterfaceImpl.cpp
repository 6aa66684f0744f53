//===- BufferizableOpInterfaceImpl.cpp - Pixelfly bufferization -----------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/IR/BufferizableOpInterfaceImpl.h"
#include "pixelfly/Dialect/Pixelfly/IR/PixelflyOps.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/IR/DstBufferizableOpInterfaceImpl.h"
#include "mlir/IR/DialectRegistry.h"

using namespace mlir;
using namespace mlir::bufferization;
using namespace mlir::pixelfly;

namespace {
/// Every pixelfly op has the same form on tensors and on memrefs, so
/// bufferization re-creates the op with buffers and no results. Ops that
/// accumulate read their destination; ops that overwrite it (`ReadsInit` is
/// false) do not, which lets the analysis avoid a copy of the destination.
template <typename OpTy, bool ReadsInit>
struct PixelflyOpInterface
    : public DstBufferizableOpInterfaceExternalModel<
          PixelflyOpInterface<OpTy, ReadsInit>, OpTy> {
  bool bufferizesToMemoryRead(Operation *op, OpOperand &opOperand,
                              const AnalysisState &) const {
    return ReadsInit ||
           !cast<DestinationStyleOpInterface>(op).isDpsInit(&opOperand);
  }

  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto dps = cast<DestinationStyleOpInterface>(op);
    SmallVector<Value> operands;
    SmallVector<Value> initBuffers;
    for (OpOperand &operand : op->getOpOperands()) {
      if (!isa<TensorType>(operand.get().getType())) {
        operands.push_back(operand.get());
        continue;
      }
      FailureOr<Value> buffer =
          getBuffer(rewriter, operand.get(), options, state);
      if (failed(buffer))
        return failure();
      operands.push_back(*buffer);
      if (dps.isDpsInit(&operand))
        initBuffers.push_back(*buffer);
    }
    rewriter.setInsertionPoint(op);
    OperationState newState(op->getLoc(), op->getName(), operands,
                            /*types=*/TypeRange(), op->getAttrs());
    rewriter.create(newState);
    replaceOpWithBufferizedValues(rewriter, op, initBuffers);
    return success();
  }
};
} // namespace

void mlir::pixelfly::registerBufferizableOpInterfaceExternalModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, PixelflyDialect *) {
    BlockSparseMatmulOp::attachInterface<
        PixelflyOpInterface<BlockSparseMatmulOp, true>>(*ctx);
    BlockSparseInputGradOp::attachInterface<
        PixelflyOpInterface<BlockSparseInputGradOp, true>>(*ctx);
    BlockSparseWeightGradOp::attachInterface<
        PixelflyOpInterface<BlockSparseWeightGradOp, true>>(*ctx);
    LowRankMatmulOp::attachInterface<
        PixelflyOpInterface<LowRankMatmulOp, true>>(*ctx);
    LinearOp::attachInterface<PixelflyOpInterface<LinearOp, true>>(*ctx);
    TwoFourMatmulOp::attachInterface<
        PixelflyOpInterface<TwoFourMatmulOp, true>>(*ctx);
    Prune24Op::attachInterface<PixelflyOpInterface<Prune24Op, false>>(*ctx);
    DensifyOp::attachInterface<PixelflyOpInterface<DensifyOp, false>>(*ctx);
    Densify24Op::attachInterface<PixelflyOpInterface<Densify24Op, false>>(
        *ctx);
  });
}
