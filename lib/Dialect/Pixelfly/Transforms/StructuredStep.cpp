//===- StructuredStep.cpp - A training step's structured products ---------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "StructuredStep.h"

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyOps.h"
#include "pixelfly/Dialect/Pixelfly/Utils/ProductBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::pixelfly;

namespace {
/// What an elementwise copy multiplies by.
enum class Factor { One, Gamma, OneMinusGamma };
} // namespace

/// `factor * value`, computed in f32 and rounded to `element`; `value` as it
/// is when there is nothing to do.
static Value scaled(OpBuilder &b, Location loc, Value value, Value gamma,
                    Factor factor, Type element) {
  auto type = cast<RankedTensorType>(value.getType());
  if (factor == Factor::One && type.getElementType() == element)
    return value;
  MLIRContext *ctx = b.getContext();
  int64_t rank = type.getRank();
  auto identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
  SmallVector<Value> inputs = {value};
  SmallVector<AffineMap> maps = {identity};
  if (factor != Factor::One) {
    inputs.push_back(gamma);
    maps.push_back(AffineMap::get(rank, 0, ctx));
  }
  maps.push_back(identity);
  ProductBuilder pb(b, loc);
  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0; d < rank; ++d)
    sizes.push_back(pb.size({{value, d}}));
  Value out = pb.empty(sizes, element);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, TypeRange{out.getType()}, inputs, ValueRange{out}, maps,
             iterators,
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               ProductBuilder body(nb, nloc);
               Value r = body.convert(args[0], body.f32());
               if (factor != Factor::One) {
                 Value g = body.convert(args[1], body.f32());
                 if (factor == Factor::OneMinusGamma)
                   g = arith::SubFOp::create(
                       nb, nloc,
                       arith::ConstantOp::create(nb, nloc,
                                                 nb.getF32FloatAttr(1.0)),
                       g);
                 r = arith::MulFOp::create(nb, nloc, g, r);
               }
               linalg::YieldOp::create(nb, nloc,
                                       ValueRange{body.convert(r, element)});
             })
      .getResult(0);
}

/// `acc + sum(a .* c)` (or `acc - ...`) over every entry, `acc` a 0-d f32.
static Value dotInto(OpBuilder &b, Location loc, Value a, Value c, Value acc,
                     bool subtract) {
  MLIRContext *ctx = b.getContext();
  int64_t rank = cast<RankedTensorType>(a.getType()).getRank();
  auto identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
  SmallVector<AffineMap> maps = {identity, identity,
                                 AffineMap::get(rank, 0, ctx)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::reduction);
  return linalg::GenericOp::create(
             b, loc, TypeRange{acc.getType()}, ValueRange{a, c},
             ValueRange{acc}, maps, iterators,
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               ProductBuilder body(nb, nloc);
               Value p = arith::MulFOp::create(
                   nb, nloc, body.convert(args[0], body.f32()),
                   body.convert(args[1], body.f32()));
               Value r =
                   subtract
                       ? arith::SubFOp::create(nb, nloc, args[2], p).getResult()
                       : arith::AddFOp::create(nb, nloc, args[2], p)
                             .getResult();
               linalg::YieldOp::create(nb, nloc, ValueRange{r});
             })
      .getResult(0);
}

Value mlir::pixelfly::buildInputGradient(OpBuilder &b, Location loc,
                                         const TrainedParams &params, Value dy,
                                         Value init, Type resultType) {
  Value gamma = params.gamma;
  Value result = init;
  // dY U V^T is a low-rank product with the factors' roles swapped; the
  // mix scales the factor and the blocks, not the `M`-sized operands.
  if (params.u) {
    Value v = scaled(b, loc, params.v, gamma,
                     gamma ? Factor::OneMinusGamma : Factor::One,
                     getElementTypeOrSelf(params.v.getType()));
    result =
        LowRankMatmulOp::create(b, loc, resultType, dy, v, params.u, result)
            .getResult();
  }
  if (params.blocks) {
    Value blocks = scaled(b, loc, params.blocks, gamma,
                          gamma ? Factor::Gamma : Factor::One,
                          getElementTypeOrSelf(params.blocks.getType()));
    result = BlockSparseInputGradOp::create(b, loc, resultType, dy, blocks,
                                            result, params.layout)
                 .getResult();
  }
  return result;
}

SmallVector<Value>
mlir::pixelfly::buildParameterGradients(OpBuilder &b, Location loc,
                                        const TrainedParams &params, Value dy,
                                        Value x, Type element) {
  ProductBuilder pb(b, loc);
  Value gamma = params.gamma;
  SmallVector<Value> grads;
  Value blockGrad;
  if (params.blocks) {
    auto blocksType = cast<RankedTensorType>(params.blocks.getType());
    Value empty = pb.empty(
        getAsIndexOpFoldResult(b.getContext(), blocksType.getShape()), element);
    Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(element));
    Value init = linalg::FillOp::create(b, loc, zero, empty).getResult(0);
    blockGrad = BlockSparseWeightGradOp::create(b, loc, empty.getType(), dy, x,
                                                init, params.layout)
                    .getResult();
    grads.push_back(scaled(b, loc, blockGrad, gamma,
                           gamma ? Factor::Gamma : Factor::One, element));
  }
  if (!params.u)
    return grads;
  // X V and dY U (M x r) in f32, rounded to the operands' type as the next
  // products read them.
  auto factorType = cast<RankedTensorType>(params.u.getType());
  Type operand = factorType.getElementType();
  OpFoldResult m = pb.size({{x, 0}, {dy, 0}});
  OpFoldResult r = b.getIndexAttr(factorType.getDimSize(1));
  auto sizeOf = [&](Value value, int64_t d) -> OpFoldResult {
    return b.getIndexAttr(cast<ShapedType>(value.getType()).getDimSize(d));
  };
  Value xv = scaled(b, loc, pb.matmulNN(x, params.v, pb.zeros({m, r})), gamma,
                    Factor::One, operand);
  Value dyu = scaled(b, loc, pb.matmulNN(dy, params.u, pb.zeros({m, r})), gamma,
                     Factor::One, operand);
  Factor mix = gamma ? Factor::OneMinusGamma : Factor::One;
  grads.push_back(
      scaled(b, loc, pb.matmulTN(dy, xv, pb.zeros({sizeOf(params.u, 0), r})),
             gamma, mix, element));
  grads.push_back(
      scaled(b, loc, pb.matmulTN(x, dyu, pb.zeros({sizeOf(params.v, 0), r})),
             gamma, mix, element));
  if (!gamma)
    return grads;
  // d/dgamma of <dY, X (gamma B + (1 - gamma) U V^T)^T>: the sampled
  // gradient against the blocks, less the low-rank term's share.
  Value acc = pb.zeros({});
  if (blockGrad)
    acc = dotInto(b, loc, blockGrad, params.blocks, acc, /*subtract=*/false);
  acc = dotInto(b, loc, xv, dyu, acc, /*subtract=*/true);
  grads.push_back(scaled(b, loc, acc, gamma, Factor::One, element));
  return grads;
}
