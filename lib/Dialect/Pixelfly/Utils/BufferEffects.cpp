//===- BufferEffects.cpp - Which ops may see which buffers ----------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Utils/BufferEffects.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;

Value mlir::pixelfly::baseBuffer(Value v) {
  while (auto view = v.getDefiningOp<ViewLikeOpInterface>())
    v = view.getViewSource();
  return v;
}

/// Whether `v` is a buffer no other buffer of the function aliases: a fresh
/// allocation, or an argument marked `llvm.noalias` (C's `restrict`).
static bool isUnaliased(Value v) {
  if (v.getDefiningOp<memref::AllocOp>() ||
      v.getDefiningOp<memref::AllocaOp>() || v.getDefiningOp<gpu::AllocOp>())
    return true;
  auto arg = dyn_cast<BlockArgument>(v);
  if (!arg || !arg.getOwner()->isEntryBlock())
    return false;
  auto func = dyn_cast<FunctionOpInterface>(arg.getOwner()->getParentOp());
  return func && func.getArgAttr(arg.getArgNumber(),
                                 LLVM::LLVMDialect::getNoAliasAttrName());
}

bool mlir::pixelfly::mayAlias(Value a, Value b) {
  Value baseA = baseBuffer(a), baseB = baseBuffer(b);
  if (baseA == baseB)
    return true;
  return !isUnaliased(baseA) && !isUnaliased(baseB);
}

/// Whether one of `op`'s own effects (not its nested ops') may be on
/// `buffer`; reads are skipped with `writesOnly`.
static bool ownEffectsMayTouch(Operation *op, Value buffer, bool writesOnly) {
  auto iface = dyn_cast<MemoryEffectOpInterface>(op);
  if (!iface) // Unknown, unless its effects are only its nested ops'.
    return !op->hasTrait<OpTrait::HasRecursiveMemoryEffects>();
  SmallVector<MemoryEffects::EffectInstance> effects;
  iface.getEffects(effects);
  return llvm::any_of(effects, [&](MemoryEffects::EffectInstance &effect) {
    if (writesOnly && isa<MemoryEffects::Read>(effect.getEffect()))
      return false;
    Value value = effect.getValue();
    return !value || !isa<BaseMemRefType>(value.getType()) ||
           pixelfly::mayAlias(value, buffer);
  });
}

bool mlir::pixelfly::mayTouch(Operation *op, Value buffer, bool writesOnly) {
  // Nested ops count too (a reduction's loops inside an scf.if). A
  // `gpu.wait` only orders the host against queued GPU work.
  return op
      ->walk([&](Operation *nested) {
        if (!isa<gpu::WaitOp>(nested) &&
            ownEffectsMayTouch(nested, buffer, writesOnly))
          return WalkResult::interrupt();
        return WalkResult::advance();
      })
      .wasInterrupted();
}
