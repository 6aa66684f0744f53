//===- GPUHorizontalFusion.cpp - Independent elementwise ops, one kernel --===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// A training step ends with an optimizer update per parameter: elementwise
// ops of different shapes that share no buffer, each a kernel of its own
// and most of them small (a bias, a gamma, low-rank factors), so bound by
// the launch rather than by memory. A run of such ops becomes one flat
// parallel loop over their elements laid end to end, as the multi-tensor
// ("foreach") optimizers of the frameworks do: one kernel.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"
#include "pixelfly/Dialect/Pixelfly/Utils/BufferEffects.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::pixelfly {
#define GEN_PASS_DEF_PIXELFLYGPUHORIZONTALFUSION
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h.inc"
} // namespace mlir::pixelfly

using namespace mlir;
using namespace mlir::pixelfly;

/// Kernel parameter space a run may take (bytes; the CUDA limit before
/// Volta and CUDA 12.1 is 4 KB): each memref is passed as its descriptor.
static constexpr int64_t kMaxParamBytes = 4000;

/// Whether `op` can be computed at a flat index: pure buffers, every loop
/// parallel, every memref operand contiguous and read at the iteration
/// point (identity map) or 0-d, scalars as they are, and a body that
/// neither asks for its indices nor touches memory.
static bool isFlat(linalg::GenericOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumLoops() == 0 ||
      op.getNumParallelLoops() != op.getNumLoops())
    return false;
  bool shaped = false;
  for (OpOperand &operand : op->getOpOperands()) {
    auto type = dyn_cast<MemRefType>(operand.get().getType());
    if (!type || type.getRank() == 0)
      continue; // a scalar, or 0-d: the same element everywhere
    if (!op.getMatchingIndexingMap(&operand).isIdentity() ||
        !type.getLayout().isIdentity())
      return false;
    shaped = true;
  }
  return shaped &&
         llvm::all_of(op.getBody()->without_terminator(), [](Operation &o) {
           return !isa<linalg::IndexOp>(o) && o.getNumRegions() == 0 &&
                  isMemoryEffectFree(&o);
         });
}

/// The kernel parameter bytes of `op`'s operands.
static int64_t paramBytes(linalg::GenericOp op) {
  int64_t bytes = 0;
  for (Value v : op->getOperands())
    bytes += isa<MemRefType>(v.getType())
                 ? 8 * (cast<MemRefType>(v.getType()).getRank() == 0 ? 3 : 5)
                 : 8;
  return bytes;
}

/// Whether `a` and `b` may not run interleaved: one writes a buffer the
/// other reads or writes.
static bool conflict(linalg::GenericOp a, linalg::GenericOp b) {
  auto writesSeenBy = [](linalg::GenericOp w, linalg::GenericOp r) {
    for (Value out : w.getDpsInits())
      for (Value v : r->getOperands())
        if (isa<MemRefType>(v.getType()) && mayAlias(out, v))
          return true;
    return false;
  };
  return writesSeenBy(a, b) || writesSeenBy(b, a);
}

/// `v` (contiguous) as a 1-D memref, or itself when 0-d or 1-D.
static Value flatView(OpBuilder &b, Location loc, Value v) {
  auto type = cast<MemRefType>(v.getType());
  if (type.getRank() <= 1)
    return v;
  ReassociationIndices all;
  for (int64_t d = 0; d < type.getRank(); ++d)
    all.push_back(d);
  return memref::CollapseShapeOp::create(b, loc, v,
                                         ArrayRef<ReassociationIndices>{all});
}

/// The number of elements `op` iterates over.
static Value elementCount(OpBuilder &b, Location loc, linalg::GenericOp op) {
  Value shaped = *llvm::find_if(op->getOperands(), [](Value v) {
    auto type = dyn_cast<MemRefType>(v.getType());
    return type && type.getRank() > 0;
  });
  auto type = cast<MemRefType>(shaped.getType());
  if (type.hasStaticShape())
    return arith::ConstantIndexOp::create(b, loc, type.getNumElements());
  Value count;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    Value size =
        type.isDynamicDim(d)
            ? memref::DimOp::create(b, loc, shaped, d).getResult()
            : arith::ConstantIndexOp::create(b, loc, type.getDimSize(d))
                  .getResult();
    count =
        count ? arith::MulIOp::create(b, loc, count, size).getResult() : size;
  }
  return count;
}

/// Replaces `run` (two or more independent flat ops, in order) by one
/// scf.parallel at the last one: iteration i runs the member whose range
/// of the concatenated elements holds it, at i minus the range's start.
static void fuseRun(ArrayRef<linalg::GenericOp> run) {
  linalg::GenericOp last = run.back();
  OpBuilder b(last);
  Location loc = last.getLoc();
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  SmallVector<Value> starts{zero};
  SmallVector<SmallVector<Value>> views;
  for (linalg::GenericOp op : run) {
    Value count = elementCount(b, loc, op);
    starts.push_back(
        starts.size() == 1
            ? count
            : arith::AddIOp::create(b, loc, starts.back(), count).getResult());
    SmallVector<Value> opViews;
    for (Value v : op->getOperands())
      opViews.push_back(isa<MemRefType>(v.getType()) ? flatView(b, loc, v) : v);
    views.push_back(std::move(opViews));
  }
  auto loop = scf::ParallelOp::create(
      b, loc, ValueRange{zero}, ValueRange{starts.back()}, ValueRange{one});
  b.setInsertionPointToStart(loop.getBody());
  Value i = loop.getInductionVars()[0];
  for (auto [k, member] : llvm::enumerate(run)) {
    linalg::GenericOp op = member;
    // Members are tested one after the other: one of them holds i (the
    // loop's bounds are the first's start and the last's end).
    Value inside;
    if (k > 0)
      inside = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, i,
                                     starts[k]);
    if (k + 1 < run.size()) {
      Value below = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, i,
                                          starts[k + 1]);
      inside = inside ? arith::AndIOp::create(b, loc, inside, below).getResult()
                      : below;
    }
    auto ifOp = scf::IfOp::create(b, loc, TypeRange{}, inside,
                                  /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    Value j = k == 0 ? i : arith::SubIOp::create(b, loc, i, starts[k]);
    IRMapping mapping;
    Block *body = op.getBody();
    auto element = [&](unsigned n) -> Value {
      Value view = views[k][n];
      auto type = dyn_cast<MemRefType>(view.getType());
      if (!type)
        return view;
      return memref::LoadOp::create(
          b, loc, view, type.getRank() == 0 ? ValueRange{} : ValueRange{j});
    };
    for (auto [n, arg] : llvm::enumerate(body->getArguments()))
      if (!arg.use_empty())
        mapping.map(arg, element(n));
    for (Operation &o : body->without_terminator())
      b.clone(o, mapping);
    unsigned numInputs = op.getNumDpsInputs();
    for (auto [n, yielded] :
         llvm::enumerate(body->getTerminator()->getOperands())) {
      Value view = views[k][numInputs + n];
      Value value = mapping.lookupOrDefault(yielded);
      memref::StoreOp::create(b, loc, value, view,
                              cast<MemRefType>(view.getType()).getRank() == 0
                                  ? ValueRange{}
                                  : ValueRange{j});
    }
  }
  for (linalg::GenericOp op : run)
    op->erase();
}

namespace {
struct PixelflyGPUHorizontalFusionPass
    : public pixelfly::impl::PixelflyGPUHorizontalFusionBase<
          PixelflyGPUHorizontalFusionPass> {
  void runOnOperation() override {
    SmallVector<SmallVector<linalg::GenericOp>> runs;
    getOperation()->walk([&](Block *block) {
      SmallVector<linalg::GenericOp> run;
      int64_t bytes = 0;
      auto flush = [&] {
        if (run.size() > 1)
          runs.push_back(run);
        run.clear();
        bytes = 0;
      };
      for (Operation &op : *block) {
        auto generic = dyn_cast<linalg::GenericOp>(op);
        if (generic && isFlat(generic)) {
          int64_t opBytes = paramBytes(generic);
          if (bytes + opBytes > kMaxParamBytes ||
              llvm::any_of(run, [&](linalg::GenericOp member) {
                return conflict(member, generic);
              }))
            flush();
          run.push_back(generic);
          bytes += opBytes;
          continue;
        }
        // Members move down to the last one: what lies between must not
        // touch memory (a new buffer's allocation touches none of theirs).
        if (!isMemoryEffectFree(&op) && !isa<memref::AllocOp>(op))
          flush();
      }
      flush();
    });
    for (ArrayRef<linalg::GenericOp> run : runs)
      fuseRun(run);
  }
};
} // namespace
