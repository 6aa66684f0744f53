//===- FusedEpilogue.cpp - Elementwise consumers in product epilogues -----===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "FusedEpilogue.h"
#include "ProductPlan.h"
#include "pixelfly/Dialect/Pixelfly/Utils/BufferEffects.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Dominance.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;
using namespace mlir::pixelfly;

/// Whether `v`, used in `generic`'s body, is defined outside it.
static bool isFromAbove(Value v, linalg::GenericOp generic) {
  return !generic.getRegion().isAncestor(v.getParentRegion());
}

/// Whether a kernel can evaluate `generic`'s body per element: arith and
/// math ops without memory effects or regions, the output arguments unread
/// (the tail only writes), values from above only constants (cloned).
static bool hasKernelBody(linalg::GenericOp generic) {
  for (BlockArgument out : generic.getRegionOutputArgs())
    if (!out.use_empty())
      return false;
  auto usable = [&](Value v) {
    return !isFromAbove(v, generic) || v.getDefiningOp<arith::ConstantOp>();
  };
  Block &body = generic.getRegion().front();
  for (Operation &op : body.without_terminator()) {
    if (op.getNumRegions() != 0 || !isMemoryEffectFree(&op) ||
        !isa<arith::ArithDialect, math::MathDialect>(op.getDialect()))
      return false;
    if (!llvm::all_of(op.getOperands(), usable))
      return false;
  }
  return llvm::all_of(body.getTerminator()->getOperands(), usable);
}

/// A buffer a kernel can take and index directly (ProductPlan.h).
static bool isPlainBuffer(Value v) {
  auto type = dyn_cast<MemRefType>(v.getType());
  return type && isPlainDeviceMemRef(type);
}

static bool mayAliasAny(Value v, ArrayRef<Value> buffers) {
  return llvm::any_of(buffers, [&](Value w) { return mayAlias(v, w); });
}

FusedEpilogue mlir::pixelfly::findFusedEpilogue(Operation *product,
                                                Value init) {
  FusedEpilogue fused;
  fused.init = init;
  auto initType = dyn_cast<MemRefType>(init.getType());
  if (!initType || initType.getRank() != 2 || !isPlainBuffer(init))
    return fused;
  // What the product reads: written by the tail, it would change under
  // the thread blocks still reading it.
  SmallVector<Value> productOperands;
  for (Value v : product->getOperands())
    if (v != init && isa<MemRefType>(v.getType()))
      productOperands.push_back(v);
  // Buffers whose elements the epilogue has: init and the fused outputs.
  SmallVector<Value> available{init};
  // Buffers the fused ops load.
  SmallVector<Value> loaded;
  // Ops left in place between the product and the candidate.
  SmallVector<Operation *> skipped;
  DominanceInfo dominance;

  auto fusable = [&](linalg::GenericOp generic) {
    if (!generic.hasPureBufferSemantics() || generic.getNumLoops() != 2 ||
        generic.getNumParallelLoops() != 2 || !hasKernelBody(generic))
      return false;
    bool readsAvailable = false;
    SmallVector<Value> inputs;
    for (OpOperand *in : generic.getDpsInputOperands()) {
      Value v = in->get();
      if (!isa<MemRefType>(v.getType())) {
        if (!v.getDefiningOp<arith::ConstantOp>())
          return false;
        continue;
      }
      AffineMap map = generic.getMatchingIndexingMap(in);
      if (llvm::is_contained(available, v)) {
        // The epilogue has the element it writes, not its neighbours'.
        if (!map.isIdentity())
          return false;
        readsAvailable = true;
        continue;
      }
      if (!isPlainBuffer(v) || !map.isProjectedPermutation() ||
          mayAliasAny(v, available))
        return false;
      inputs.push_back(v);
    }
    if (!readsAvailable)
      return false;
    SmallVector<Value> outputs;
    for (OpOperand &out : generic.getDpsInitsMutable()) {
      Value v = out.get();
      auto type = dyn_cast<MemRefType>(v.getType());
      if (!type || type.getRank() != 2 || !isPlainBuffer(v) ||
          !generic.getMatchingIndexingMap(&out).isIdentity())
        return false;
      // Written while other threads still read (or write) these.
      if (mayAliasAny(v, available) || mayAliasAny(v, productOperands) ||
          mayAliasAny(v, loaded) || mayAliasAny(v, inputs) ||
          mayAliasAny(v, outputs))
        return false;
      outputs.push_back(v);
    }
    // Computed at the product instead: nothing in between may change what
    // it reads or see what it writes. An output allocated in between moves
    // up to the product, if its sizes are known there.
    SmallVector<memref::AllocOp> allocs;
    for (Operation *op : skipped) {
      auto alloc = dyn_cast<memref::AllocOp>(op);
      if (alloc && llvm::is_contained(outputs, alloc.getResult()) &&
          llvm::all_of(alloc->getOperands(), [&](Value size) {
            return dominance.properlyDominates(size, product);
          })) {
        allocs.push_back(alloc);
        continue;
      }
      for (Value v : generic.getDpsInputs())
        if (isa<MemRefType>(v.getType()) &&
            mayTouch(op, v, /*writesOnly=*/true))
          return false;
      for (Value v : outputs)
        if (mayTouch(op, v))
          return false;
    }
    // Hoisted, they are no longer in between.
    for (memref::AllocOp alloc : allocs) {
      fused.hoisted.push_back(alloc);
      llvm::erase(skipped, alloc.getOperation());
    }
    llvm::append_range(loaded, inputs);
    llvm::append_range(available, outputs);
    return true;
  };

  for (Operation *op = product->getNextNode(); op; op = op->getNextNode()) {
    auto generic = dyn_cast<linalg::GenericOp>(op);
    if (generic && fusable(generic))
      fused.ops.push_back(generic);
    else
      skipped.push_back(op);
  }
  if (fused.empty())
    return fused;

  // A fresh allocation of this block that nothing reads after the tail
  // (only written before the product, and freed) need not be stored.
  Block *block = product->getBlock();
  for (Value buffer : available) {
    auto alloc = buffer.getDefiningOp<memref::AllocOp>();
    if (!alloc || alloc->getBlock() != block)
      continue;
    bool unread = llvm::all_of(buffer.getUsers(), [&](Operation *user) {
      if (user == product || isa<memref::DeallocOp>(user) ||
          llvm::is_contained(fused.ops, user))
        return true;
      // Before the product (a fill, an earlier product's launch that wrote
      // part of it): it cannot see what the kernel writes, unless it makes
      // a view that is read later.
      Operation *ancestor = block->findAncestorOpInBlock(*user);
      return ancestor && ancestor->isBeforeInBlock(product) &&
             llvm::none_of(user->getResultTypes(), [](Type type) {
               return isa<BaseMemRefType>(type);
             });
    });
    if (unread)
      fused.unstored.insert(buffer);
  }
  auto addOperand = [&](Value v) {
    if (!llvm::is_contained(fused.operands, v))
      fused.operands.push_back(v);
  };
  for (linalg::GenericOp generic : fused.ops) {
    for (Value in : generic.getDpsInputs())
      if (isa<MemRefType>(in.getType()) && !llvm::is_contained(available, in))
        addOperand(in);
    for (Value out : generic.getDpsInits())
      if (fused.stores(out))
        addOperand(out);
  }
  return fused;
}

void mlir::pixelfly::addEpilogueArguments(KernelSignature &signature,
                                          const FusedEpilogue *fused) {
  if (!fused)
    return;
  for (auto [i, v] : llvm::enumerate(fused->operands))
    signature.add({KernelArg::Epilogue, static_cast<unsigned>(i)}, v.getType());
}
