//===- StructuredStep.cpp - A training step's structured products ---------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "StructuredStep.h"

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyOps.h"
#include "pixelfly/Dialect/Pixelfly/Utils/ProductBuilder.h"
#include "pixelfly/Dialect/Pixelfly/Utils/TransposedLayout.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::pixelfly;

namespace {
/// What an elementwise copy multiplies by.
enum class Factor { One, Gamma, OneMinusGamma };

/// Computes a generic's yielded value from its inputs, converted to f32,
/// and its output's current value.
using GenericBody =
    llvm::function_ref<Value(OpBuilder &, Location, ArrayRef<Value>, Value)>;
} // namespace

/// A `linalg.generic` over `iterators` reading `inputs` through `maps` (the
/// output's map last) into `out`; the body's result is rounded to `out`'s
/// element type.
static Value generic(OpBuilder &b, Location loc, ValueRange inputs,
                     ArrayRef<AffineMap> maps,
                     ArrayRef<utils::IteratorType> iterators, Value out,
                     GenericBody body) {
  return linalg::GenericOp::create(
             b, loc, TypeRange{out.getType()}, inputs, ValueRange{out}, maps,
             iterators,
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               ProductBuilder pb(nb, nloc);
               SmallVector<Value> f32Args;
               for (Value arg : args.drop_back())
                 f32Args.push_back(pb.convert(arg, pb.f32()));
               Value r = body(nb, nloc, f32Args, args.back());
               linalg::YieldOp::create(
                   nb, nloc, ValueRange{pb.convert(r, args.back().getType())});
             })
      .getResult(0);
}

static Value constantF32(OpBuilder &b, Location loc, double value) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value));
}

/// The map that reads a mix factor of a rank-`rank` value: a 0-d gamma is
/// the same everywhere, a per-row gamma follows the first (token) dimension.
static AffineMap gammaMap(Value gamma, unsigned rank, MLIRContext *ctx) {
  if (cast<ShapedType>(gamma.getType()).getRank() == 0)
    return AffineMap::get(rank, 0, ctx);
  return AffineMap::get(rank, 0, getAffineDimExpr(0, ctx));
}

/// `factor * value`, computed in f32 and rounded to `element`; `value` as it
/// is when there is nothing to do. `gamma` is 0-d or per row.
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
    maps.push_back(gammaMap(gamma, rank, ctx));
  }
  maps.push_back(identity);
  ProductBuilder pb(b, loc);
  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0; d < rank; ++d)
    sizes.push_back(pb.size({{value, d}}));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  return generic(
      b, loc, inputs, maps, iterators, pb.empty(sizes, element),
      [&](OpBuilder &nb, Location nloc, ArrayRef<Value> args, Value) -> Value {
        if (factor == Factor::One)
          return args[0];
        Value g = args[1];
        if (factor == Factor::OneMinusGamma)
          g = arith::SubFOp::create(nb, nloc, constantF32(nb, nloc, 1.0), g);
        return arith::MulFOp::create(nb, nloc, g, args[0]);
      });
}

/// `acc + sum(a .* c)` (or `acc - ...`) over the dimensions of `a` and `c`
/// that the f32 `acc` does not have: its rank leading ones are kept (a 0-d
/// `acc` sums every entry, an `M` one each row).
static Value dotInto(OpBuilder &b, Location loc, Value a, Value c, Value acc,
                     bool subtract) {
  MLIRContext *ctx = b.getContext();
  unsigned rank = cast<RankedTensorType>(a.getType()).getRank();
  unsigned kept = cast<RankedTensorType>(acc.getType()).getRank();
  auto identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
  SmallVector<AffineExpr> leading;
  for (unsigned d = 0; d < kept; ++d)
    leading.push_back(getAffineDimExpr(d, ctx));
  SmallVector<AffineMap> maps = {identity, identity,
                                 AffineMap::get(rank, 0, leading, ctx)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::reduction);
  for (unsigned d = 0; d < kept; ++d)
    iterators[d] = utils::IteratorType::parallel;
  return generic(b, loc, ValueRange{a, c}, maps, iterators, acc,
                 [&](OpBuilder &nb, Location nloc, ArrayRef<Value> args,
                     Value sum) -> Value {
                   Value p = arith::MulFOp::create(nb, nloc, args[0], args[1]);
                   if (subtract)
                     return arith::SubFOp::create(nb, nloc, sum, p);
                   return arith::AddFOp::create(nb, nloc, sum, p);
                 });
}

/// The static size of dimension `d` of `value`.
static OpFoldResult staticSize(OpBuilder &b, Value value, int64_t d) {
  return b.getIndexAttr(cast<ShapedType>(value.getType()).getDimSize(d));
}

Value mlir::pixelfly::buildFactorProduct(OpBuilder &b, Location loc,
                                         Value input, Value factor) {
  ProductBuilder pb(b, loc);
  OpFoldResult m = pb.size({{input, 0}});
  Value product =
      pb.matmulNN(input, factor, pb.zeros({m, staticSize(b, factor, 1)}));
  return scaled(b, loc, product, Value(), Factor::One,
                getElementTypeOrSelf(factor.getType()));
}

Value mlir::pixelfly::buildFactorPanel(OpBuilder &b, Location loc, Value t,
                                       Value factor, Value init) {
  ProductBuilder pb(b, loc);
  return pb.finish(pb.matmulNT(t, factor, pb.accumulator(init)), init);
}

/// `X V` and `dY U` (`M x r`) as buildFactorProduct computes them, each the
/// caller's where given.
static std::pair<Value, Value> factorActivations(OpBuilder &b, Location loc,
                                                 const TrainedParams &params,
                                                 Value dy, Value x, Value xv,
                                                 Value dyu) {
  if (!xv)
    xv = buildFactorProduct(b, loc, x, params.v);
  if (!dyu)
    dyu = buildFactorProduct(b, loc, dy, params.u);
  return {xv, dyu};
}

/// `dY^T X` on the layout's blocks, of `element` type.
static Value sampledGradient(OpBuilder &b, Location loc,
                             const TrainedParams &params, Value dy, Value x,
                             Type element) {
  auto blocksType = cast<RankedTensorType>(params.blocks.getType());
  ProductBuilder pb(b, loc);
  Value empty = pb.empty(
      getAsIndexOpFoldResult(b.getContext(), blocksType.getShape()), element);
  Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(element));
  Value init = linalg::FillOp::create(b, loc, zero, empty).getResult(0);
  return BlockSparseWeightGradOp::create(b, loc, empty.getType(), dy, x, init,
                                         params.layout)
      .getResult();
}

/// The blocks of `W^T` on `transposed`: block `p` is the transpose of
/// block `transposed.sourceBlock[p]` of `blocks`.
static Value transposedBlocks(OpBuilder &b, Location loc, Value blocks,
                              const TransposedLayout &transposed) {
  auto type = cast<RankedTensorType>(blocks.getType());
  ProductBuilder pb(b, loc);
  Value table = pb.indexTable(transposed.sourceBlock);
  Value empty =
      pb.empty(getAsIndexOpFoldResult(b.getContext(),
                                      {type.getDimSize(0), type.getDimSize(2),
                                       type.getDimSize(1)}),
               type.getElementType());
  auto identity = AffineMap::getMultiDimIdentityMap(3, b.getContext());
  SmallVector<utils::IteratorType> iterators(3, utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, TypeRange{empty.getType()}, ValueRange{},
             ValueRange{empty}, ArrayRef<AffineMap>{identity}, iterators,
             [&](OpBuilder &nb, Location nloc, ValueRange) {
               Value p = linalg::IndexOp::create(nb, nloc, 0);
               Value i = linalg::IndexOp::create(nb, nloc, 1);
               Value j = linalg::IndexOp::create(nb, nloc, 2);
               Value source =
                   tensor::ExtractOp::create(nb, nloc, table, ValueRange{p});
               Value v = tensor::ExtractOp::create(nb, nloc, blocks,
                                                   ValueRange{source, j, i});
               linalg::YieldOp::create(nb, nloc, ValueRange{v});
             })
      .getResult(0);
}

Value mlir::pixelfly::buildInputGradient(OpBuilder &b, Location loc,
                                         const TrainedParams &params, Value dy,
                                         llvm::function_ref<Value()> sharedDyu,
                                         Value init, Type resultType) {
  Value gamma = params.gamma;
  if (params.blocks && params.u && gamma) {
    // dY (g B + (1 - g) U V^T) is the forward product of the layer
    // transposed: pixelfly.linear over W^T's blocks with the factors'
    // roles swapped. One kernel with the low-rank panel fused, where a
    // low-rank product into the block product's init would write and
    // read an f32 M x K result in between; the blocks of W^T (a copy of
    // the blocks, small next to the product) are built every step, the
    // mix stays in the product, which reads the caller's dY U if given.
    TransposedLayout transposed = transposeLayout(params.layout);
    Value blocks = transposedBlocks(b, loc, params.blocks, transposed);
    Value g = tensor::ExtractOp::create(b, loc, gamma, ValueRange{});
    Value dyu = sharedDyu();
    return LinearOp::create(b, loc, resultType, dy, blocks, params.v, params.u,
                            dyu, g, init, transposed.layout, FloatAttr())
        .getResult();
  }
  Value result = init;
  // dY U V^T is a low-rank product with the factors' roles swapped; its
  // first half is the caller's dY U where there is one.
  if (params.u) {
    if (Value dyu = sharedDyu())
      result = buildFactorPanel(b, loc, dyu, params.v, result);
    else
      result = LowRankMatmulOp::create(b, loc, resultType, dy, params.v,
                                       params.u, result)
                   .getResult();
  }
  if (params.blocks)
    result = BlockSparseInputGradOp::create(
                 b, loc, resultType, dy, params.blocks, result, params.layout)
                 .getResult();
  return result;
}

SmallVector<Value> mlir::pixelfly::buildParameterGradients(
    OpBuilder &b, Location loc, const TrainedParams &params, Value dy, Value x,
    Value xv, Value dyu, Type element) {
  ProductBuilder pb(b, loc);
  Value gamma = params.gamma;
  SmallVector<Value> grads;
  Value blockGrad;
  if (params.blocks) {
    blockGrad = sampledGradient(b, loc, params, dy, x, element);
    grads.push_back(scaled(b, loc, blockGrad, gamma,
                           gamma ? Factor::Gamma : Factor::One, element));
  }
  if (!params.u)
    return grads;
  std::tie(xv, dyu) = factorActivations(b, loc, params, dy, x, xv, dyu);
  OpFoldResult r = staticSize(b, params.u, 1);
  Factor mix = gamma ? Factor::OneMinusGamma : Factor::One;
  grads.push_back(scaled(
      b, loc, pb.matmulTN(dy, xv, pb.zeros({staticSize(b, params.u, 0), r})),
      gamma, mix, element));
  grads.push_back(scaled(
      b, loc, pb.matmulTN(x, dyu, pb.zeros({staticSize(b, params.v, 0), r})),
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

Value mlir::pixelfly::buildGate(OpBuilder &b, Location loc, Value x,
                                Value weight, Value bias) {
  MLIRContext *ctx = b.getContext();
  ProductBuilder pb(b, loc);
  Value biasValue = bias;
  if (isa<ShapedType>(bias.getType()))
    biasValue = tensor::ExtractOp::create(b, loc, bias, ValueRange{});
  biasValue = pb.convert(biasValue, pb.f32());
  OpFoldResult m = pb.size({{x, 0}});
  Value pre = linalg::FillOp::create(b, loc, biasValue, pb.empty({m}, pb.f32()))
                  .getResult(0);
  // The gate's pre-activation b + <X[m], w>, then its sigmoid.
  SmallVector<AffineMap> maps = {
      AffineMap::getMultiDimIdentityMap(2, ctx),
      AffineMap::get(2, 0, getAffineDimExpr(1, ctx)),
      AffineMap::get(2, 0, getAffineDimExpr(0, ctx))};
  pre = generic(
      b, loc, ValueRange{x, weight}, maps,
      {utils::IteratorType::parallel, utils::IteratorType::reduction}, pre,
      [](OpBuilder &nb, Location nloc, ArrayRef<Value> args,
         Value sum) -> Value {
        return arith::AddFOp::create(
            nb, nloc, sum, arith::MulFOp::create(nb, nloc, args[0], args[1]));
      });
  AffineMap row = AffineMap::getMultiDimIdentityMap(1, ctx);
  return generic(
      b, loc, ValueRange{pre}, {row, row}, {utils::IteratorType::parallel},
      pb.empty({m}, pb.f32()),
      [](OpBuilder &nb, Location nloc, ArrayRef<Value> args, Value) -> Value {
        Value one = constantF32(nb, nloc, 1.0);
        Value e = math::ExpOp::create(nb, nloc,
                                      arith::NegFOp::create(nb, nloc, args[0]));
        return arith::DivFOp::create(nb, nloc, one,
                                     arith::AddFOp::create(nb, nloc, one, e));
      });
}

GateBackward mlir::pixelfly::buildGateBackward(OpBuilder &b, Location loc,
                                               const TrainedParams &params,
                                               Value gamma, Value dy, Value x,
                                               Value xv) {
  MLIRContext *ctx = b.getContext();
  ProductBuilder pb(b, loc);
  Type operand = getElementTypeOrSelf(params.u.getType());
  OpFoldResult m = pb.size({{x, 0}, {dy, 0}});
  OpFoldResult k = pb.size({{x, 1}});
  GateBackward gate;
  gate.gamma = gamma;
  Value sparseInit = pb.zeros({m, k});
  gate.sparse =
      BlockSparseInputGradOp::create(b, loc, sparseInit.getType(), dy,
                                     params.blocks, sparseInit, params.layout)
          .getResult();
  std::tie(gate.xv, gate.dyu) =
      factorActivations(b, loc, params, dy, x, xv, Value());
  // d/dgamma[m] of <dY[m], gamma (X B^T)[m] + (1 - gamma) (X V U^T)[m]>,
  // without the M x N terms: <(dY B)[m], X[m]> - <(dY U)[m], (X V)[m]>.
  Value grad = dotInto(b, loc, gate.sparse, x, pb.zeros({m}),
                       /*subtract=*/false);
  grad = dotInto(b, loc, gate.dyu, gate.xv, grad, /*subtract=*/true);
  gate.mixedDyu =
      scaled(b, loc, gate.dyu, gamma, Factor::OneMinusGamma, operand);
  // Through the sigmoid: gamma (1 - gamma).
  AffineMap row = AffineMap::getMultiDimIdentityMap(1, ctx);
  gate.pre = generic(
      b, loc, ValueRange{grad, gamma}, {row, row, row},
      {utils::IteratorType::parallel}, pb.empty({m}, pb.f32()),
      [](OpBuilder &nb, Location nloc, ArrayRef<Value> args, Value) -> Value {
        Value rest = arith::SubFOp::create(nb, nloc, constantF32(nb, nloc, 1.0),
                                           args[1]);
        return arith::MulFOp::create(
            nb, nloc, args[0], arith::MulFOp::create(nb, nloc, args[1], rest));
      });
  return gate;
}

Value mlir::pixelfly::buildGatedInputGradient(OpBuilder &b, Location loc,
                                              const TrainedParams &params,
                                              const GateBackward &gate,
                                              Value init, Type resultType) {
  MLIRContext *ctx = b.getContext();
  ProductBuilder pb(b, loc);
  OpFoldResult m = pb.size({{init, 0}, {gate.sparse, 0}});
  OpFoldResult k = pb.size({{init, 1}, {gate.sparse, 1}});
  Value lowRank = pb.matmulNT(gate.mixedDyu, params.v, pb.zeros({m, k}));
  // init + gamma .* (dY B) + ((1 - gamma) .* dY U) V^T + pre w^T.
  AffineMap id = AffineMap::getMultiDimIdentityMap(2, ctx);
  AffineMap row = AffineMap::get(2, 0, getAffineDimExpr(0, ctx));
  AffineMap col = AffineMap::get(2, 0, getAffineDimExpr(1, ctx));
  return generic(
      b, loc,
      ValueRange{init, gate.sparse, lowRank, gate.gamma, gate.pre,
                 params.gateWeight},
      {id, id, id, row, row, col, id},
      {utils::IteratorType::parallel, utils::IteratorType::parallel},
      pb.empty({m, k}, getElementTypeOrSelf(resultType)),
      [](OpBuilder &nb, Location nloc, ArrayRef<Value> a, Value) -> Value {
        Value sum = arith::AddFOp::create(nb, nloc, a[0], a[2]);
        sum = arith::AddFOp::create(
            nb, nloc, sum, arith::MulFOp::create(nb, nloc, a[3], a[1]));
        return arith::AddFOp::create(
            nb, nloc, sum, arith::MulFOp::create(nb, nloc, a[4], a[5]));
      });
}

SmallVector<Value> mlir::pixelfly::buildGatedParameterGradients(
    OpBuilder &b, Location loc, const TrainedParams &params,
    const GateBackward &gate, Value dy, Value x, Type element) {
  MLIRContext *ctx = b.getContext();
  ProductBuilder pb(b, loc);
  Type operand = getElementTypeOrSelf(params.u.getType());
  OpFoldResult r = staticSize(b, params.u, 1);
  SmallVector<Value> grads;
  // Each token's share of the blocks is its gamma, of the factors 1 - gamma.
  Value dyMixed = scaled(b, loc, dy, gate.gamma, Factor::Gamma, operand);
  grads.push_back(sampledGradient(b, loc, params, dyMixed, x, element));
  Value xv =
      scaled(b, loc, gate.xv, gate.gamma, Factor::OneMinusGamma, operand);
  grads.push_back(scaled(
      b, loc, pb.matmulTN(dy, xv, pb.zeros({staticSize(b, params.u, 0), r})),
      gate.gamma, Factor::One, element));
  grads.push_back(scaled(
      b, loc,
      pb.matmulTN(x, gate.mixedDyu, pb.zeros({staticSize(b, params.v, 0), r})),
      gate.gamma, Factor::One, element));
  // The gate's weight X^T pre and bias sum(pre).
  AffineMap id = AffineMap::getMultiDimIdentityMap(2, ctx);
  AffineMap row = AffineMap::get(2, 0, getAffineDimExpr(0, ctx));
  AffineMap col = AffineMap::get(2, 0, getAffineDimExpr(1, ctx));
  auto accumulate = [](OpBuilder &nb, Location nloc, ArrayRef<Value> a,
                       Value sum) -> Value {
    Value p = a.size() == 2
                  ? arith::MulFOp::create(nb, nloc, a[0], a[1]).getResult()
                  : a[0];
    return arith::AddFOp::create(nb, nloc, sum, p);
  };
  Value weightGrad =
      generic(b, loc, ValueRange{x, gate.pre}, {id, row, col},
              {utils::IteratorType::reduction, utils::IteratorType::parallel},
              pb.zeros({staticSize(b, params.gateWeight, 0)}), accumulate);
  grads.push_back(scaled(b, loc, weightGrad, gate.gamma, Factor::One, element));
  Value biasGrad = generic(
      b, loc, ValueRange{gate.pre},
      {AffineMap::getMultiDimIdentityMap(1, ctx), AffineMap::get(1, 0, ctx)},
      {utils::IteratorType::reduction}, pb.zeros({}), accumulate);
  grads.push_back(scaled(b, loc, biasGrad, gate.gamma, Factor::One, element));
  return grads;
}
