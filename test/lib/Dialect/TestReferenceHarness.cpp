//===- TestReferenceHarness.cpp - Compare a function with its dense twin --===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Turns a module into a self-checking program for mlir-runner: the function
// named by `func` is cloned as `<func>_dense`, whose pixelfly products are
// expanded to dense linalg on the densified weights (the numerical
// reference), and a `@main` is added that calls both on the same
// deterministic inputs and prints, for every result,
//   ( <result index>, <max |a - b|>, <max |b|>, <1 if within tolerance> )
// where the tolerance is `tolerance * max |b|`.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Transforms/Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <limits>

using namespace mlir;
using namespace mlir::pixelfly;

namespace {
struct TestReferenceHarnessPass
    : public PassWrapper<TestReferenceHarnessPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(TestReferenceHarnessPass)

  TestReferenceHarnessPass() = default;
  TestReferenceHarnessPass(const TestReferenceHarnessPass &other)
      : PassWrapper(other) {}

  StringRef getArgument() const final {
    return "test-pixelfly-reference-harness";
  }
  StringRef getDescription() const final {
    return "Add a @main comparing a function with its densified twin";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<arith::ArithDialect, func::FuncDialect,
                    linalg::LinalgDialect, math::MathDialect,
                    tensor::TensorDialect>();
  }

  Option<std::string> funcName{*this, "func",
                               llvm::cl::desc("Function to check")};
  Option<double> tolerance{
      *this, "tolerance",
      llvm::cl::desc("Largest error, relative to max |reference|"),
      llvm::cl::init(1e-3)};

  ListOption<unsigned> nonnegative{
      *this, "nonnegative",
      llvm::cl::desc("Arguments whose inputs are made non-negative (e.g. "
                     "an optimizer's second moment)")};

  void runOnOperation() override;

private:
  Value input(OpBuilder &b, Location loc, RankedTensorType type, int64_t seed,
              bool absolute);
  Value maxOf(OpBuilder &b, Location loc, Value a, Value c);
};
} // namespace

/// A deterministic input: ((sum_d (2d + 7) * i_d + seed) mod 17 - 8) / 16,
/// multiples of 1/16 in [-0.5, 0.5], exact in every float type.
Value TestReferenceHarnessPass::input(OpBuilder &b, Location loc,
                                      RankedTensorType type, int64_t seed,
                                      bool absolute) {
  int64_t rank = type.getRank();
  Value empty = tensor::EmptyOp::create(b, loc, type.getShape(),
                                        type.getElementType());
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{type}, ValueRange{}, ValueRange{empty}, maps,
      iterators, [&](OpBuilder &nb, Location nloc, ValueRange) {
        auto idx = [&](int64_t v) {
          return arith::ConstantIndexOp::create(nb, nloc, v);
        };
        Value sum = idx(seed);
        for (int64_t d = 0; d < rank; ++d) {
          Value i = linalg::IndexOp::create(nb, nloc, d);
          sum = arith::AddIOp::create(
              nb, nloc, sum, arith::MulIOp::create(nb, nloc, i, idx(2 * d + 7)));
        }
        Value m = arith::RemUIOp::create(nb, nloc, sum, idx(17));
        Value centered = arith::SubIOp::create(nb, nloc, m, idx(8));
        Value i32 =
            arith::IndexCastOp::create(nb, nloc, nb.getI32Type(), centered);
        Value f = arith::SIToFPOp::create(nb, nloc, nb.getF32Type(), i32);
        Value v = arith::MulFOp::create(
            nb, nloc, f,
            arith::ConstantOp::create(nb, nloc, nb.getF32FloatAttr(0.0625)));
        if (absolute)
          v = math::AbsFOp::create(nb, nloc, v);
        if (!type.getElementType().isF32())
          v = arith::TruncFOp::create(nb, nloc, type.getElementType(), v);
        linalg::YieldOp::create(nb, nloc, v);
      });
  return generic.getResult(0);
}

/// max over all elements of |a - c| (or |a| without `c`), in f32.
Value TestReferenceHarnessPass::maxOf(OpBuilder &b, Location loc, Value a,
                                      Value c) {
  auto type = cast<RankedTensorType>(a.getType());
  int64_t rank = type.getRank();
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0));
  Value scalar = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{},
                                         b.getF32Type());
  Value acc = linalg::FillOp::create(b, loc, ValueRange{zero},
                                     ValueRange{scalar})
                  .getResult(0);
  SmallVector<Value> inputs = {a};
  if (c)
    inputs.push_back(c);
  SmallVector<AffineMap> maps(inputs.size(), b.getMultiDimIdentityMap(rank));
  maps.push_back(AffineMap::get(rank, 0, {}, b.getContext()));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::reduction);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{acc.getType()}, inputs, ValueRange{acc}, maps,
      iterators, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        auto f32 = [&](Value v) -> Value {
          return v.getType().isF32()
                     ? v
                     : arith::ExtFOp::create(nb, nloc, nb.getF32Type(), v)
                           .getResult();
        };
        Value v = f32(args[0]);
        if (c)
          v = arith::SubFOp::create(nb, nloc, v, f32(args[1]));
        v = math::AbsFOp::create(nb, nloc, v);
        // A NaN anywhere must fail the check: it becomes +inf.
        Value isNan =
            arith::CmpFOp::create(nb, nloc, arith::CmpFPredicate::UNO, v, v);
        Value inf = arith::ConstantOp::create(
            nb, nloc,
            nb.getF32FloatAttr(std::numeric_limits<float>::infinity()));
        v = arith::SelectOp::create(nb, nloc, isNan, inf, v);
        linalg::YieldOp::create(
            nb, nloc,
            arith::MaximumFOp::create(nb, nloc, args.back(), v).getResult());
      });
  return tensor::ExtractOp::create(b, loc, generic.getResult(0), ValueRange{});
}

void TestReferenceHarnessPass::runOnOperation() {
  ModuleOp module = getOperation();
  auto func = module.lookupSymbol<func::FuncOp>(funcName);
  if (!func) {
    module.emitError() << "no func.func @" << funcName;
    return signalPassFailure();
  }
  for (Type t : llvm::concat<const Type>(func.getArgumentTypes(),
                                         func.getResultTypes())) {
    auto type = dyn_cast<RankedTensorType>(t);
    if (!type || !type.hasStaticShape() ||
        !isa<FloatType>(type.getElementType())) {
      func.emitError() << "arguments and results must be static float "
                          "tensors, got "
                       << t;
      return signalPassFailure();
    }
  }

  // The dense twin.
  SymbolTable symbols(module);
  auto dense = cast<func::FuncOp>(func->clone());
  dense.setSymName(funcName + "_dense");
  symbols.insert(dense);
  RewritePatternSet patterns(&getContext());
  populateExpandToDensePatterns(patterns);
  if (failed(applyPatternsGreedily(dense, std::move(patterns)))) {
    dense.emitError() << "dense expansion did not converge";
    return signalPassFailure();
  }

  OpBuilder b(module.getBodyRegion());
  b.setInsertionPointToEnd(module.getBody());
  Location loc = func.getLoc();
  auto declare = [&](StringRef name, TypeRange args) {
    if (symbols.lookup(name))
      return;
    auto decl = func::FuncOp::create(b, loc, name,
                                     b.getFunctionType(args, {}));
    decl.setPrivate();
  };
  declare("printF32", {b.getF32Type()});
  declare("printI64", {b.getI64Type()});
  declare("printOpen", {});
  declare("printClose", {});
  declare("printComma", {});
  declare("printNewline", {});

  auto main = func::FuncOp::create(b, loc, "main", b.getFunctionType({}, {}));
  b.setInsertionPointToStart(main.addEntryBlock());
  SmallVector<Value> args;
  for (auto [i, t] : llvm::enumerate(func.getArgumentTypes()))
    args.push_back(input(b, loc, cast<RankedTensorType>(t), 3 * i + 1,
                         llvm::is_contained(nonnegative, i)));
  auto got = func::CallOp::create(b, loc, func, args);
  auto want = func::CallOp::create(b, loc, dense, args);
  auto call = [&](StringRef name, ValueRange operands = {}) {
    func::CallOp::create(b, loc, name, TypeRange{}, operands);
  };
  for (unsigned r = 0; r < got.getNumResults(); ++r) {
    Value err = maxOf(b, loc, got.getResult(r), want.getResult(r));
    Value ref = maxOf(b, loc, want.getResult(r), Value());
    Value tol = arith::MulFOp::create(
        b, loc, ref,
        arith::ConstantOp::create(b, loc,
                                  b.getF32FloatAttr(static_cast<float>(
                                      tolerance.getValue()))));
    // A non-finite reference (a NaN or an infinity anywhere) fails too.
    Value ok = arith::AndIOp::create(
        b, loc,
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLE, err, tol),
        arith::CmpFOp::create(
            b, loc, arith::CmpFPredicate::OLT, ref,
            arith::ConstantOp::create(
                b, loc,
                b.getF32FloatAttr(std::numeric_limits<float>::infinity()))));
    call("printOpen");
    call("printI64",
         arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(r))
             .getResult());
    call("printComma");
    call("printF32", err);
    call("printComma");
    call("printF32", ref);
    call("printComma");
    call("printI64",
         arith::ExtUIOp::create(b, loc, b.getI64Type(), ok).getResult());
    call("printClose");
    call("printNewline");
  }
  func::ReturnOp::create(b, loc);
}

namespace mlir::pixelfly::test {
void registerTestReferenceHarnessPass() {
  PassRegistration<TestReferenceHarnessPass>();
}
} // namespace mlir::pixelfly::test
