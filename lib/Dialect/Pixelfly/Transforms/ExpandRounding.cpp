//===- ExpandRounding.cpp - f32 to bf16 with a rounding mode, as integers -===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// A truncation to bf16 keeps the high 16 bits of the f32 pattern. Because
// the pattern orders magnitudes, every rounding mode is an integer addition
// to those bits before the shift: nothing (toward zero), half a unit (to
// nearest, ties away), a unit less one (away from zero, for the sign that
// upward or downward round away from zero). Only NaN needs care: its payload
// may be in the low bits, so its quiet bit is set instead.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::pixelfly {
#define GEN_PASS_DEF_PIXELFLYEXPANDROUNDING
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h.inc"
} // namespace mlir::pixelfly

using namespace mlir;

namespace {
/// `type` with element type `element` (a scalar, or a shaped type's clone).
Type withElement(Type type, Type element) {
  if (auto shaped = dyn_cast<ShapedType>(type))
    return shaped.clone(element);
  return element;
}

struct ExpandRoundedTruncF : OpRewritePattern<arith::TruncFOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(arith::TruncFOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<arith::RoundingMode> mode = op.getRoundingmode();
    Type in = op.getIn().getType(), out = op.getType();
    if (!mode || !getElementTypeOrSelf(in).isF32() ||
        !getElementTypeOrSelf(out).isBF16())
      return rewriter.notifyMatchFailure(op, "not f32 to bf16 with a mode");
    if (*mode == arith::RoundingMode::to_nearest_even) {
      rewriter.modifyOpInPlace(op, [&] { op.removeRoundingmodeAttr(); });
      return success();
    }
    Location loc = op.getLoc();
    Type i32 = withElement(in, rewriter.getI32Type());
    Type i16 = withElement(in, rewriter.getI16Type());
    auto constant = [&](int64_t v) {
      return createScalarOrSplatConstant(rewriter, loc, i32, v);
    };
    Value bits = arith::BitcastOp::create(rewriter, loc, i32, op.getIn());
    Value c16 = constant(16);
    // What is added before the shift, for each sign.
    Value increment;
    switch (*mode) {
    case arith::RoundingMode::toward_zero:
      increment = constant(0);
      break;
    case arith::RoundingMode::to_nearest_away:
      increment = constant(0x8000);
      break;
    case arith::RoundingMode::upward:
    case arith::RoundingMode::downward: {
      Value negative = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::slt, bits, constant(0));
      // Upward rounds positive magnitudes up, downward negative ones.
      bool upward = *mode == arith::RoundingMode::upward;
      increment = arith::SelectOp::create(rewriter, loc, negative,
                                          constant(upward ? 0 : 0xFFFF),
                                          constant(upward ? 0xFFFF : 0));
      break;
    }
    default:
      return rewriter.notifyMatchFailure(op, "unknown rounding mode");
    }
    Value rounded = arith::ShRUIOp::create(
        rewriter, loc, arith::AddIOp::create(rewriter, loc, bits, increment),
        c16);
    Value quietNaN = arith::OrIOp::create(
        rewriter, loc, arith::ShRUIOp::create(rewriter, loc, bits, c16),
        constant(0x40));
    Value isNaN = arith::CmpFOp::create(
        rewriter, loc, arith::CmpFPredicate::UNO, op.getIn(), op.getIn());
    Value result =
        arith::SelectOp::create(rewriter, loc, isNaN, quietNaN, rounded);
    Value narrow = arith::TruncIOp::create(rewriter, loc, i16, result);
    rewriter.replaceOpWithNewOp<arith::BitcastOp>(op, out, narrow);
    return success();
  }
};

struct PixelflyExpandRoundingPass
    : public pixelfly::impl::PixelflyExpandRoundingBase<
          PixelflyExpandRoundingPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ExpandRoundedTruncF>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
