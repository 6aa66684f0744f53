//===- LoopSpace.cpp - Parallel loops over the same iterations ------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Utils/LoopSpace.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;

/// `size` resolved through `memref.dim` of allocations, reshapes and views
/// to a constant or to the value it was made from.
static OpFoldResult resolveSize(Value size) {
  while (true) {
    if (std::optional<int64_t> constant = getConstantIntValue(size))
      return IntegerAttr::get(IndexType::get(size.getContext()), *constant);
    auto dim = size.getDefiningOp<memref::DimOp>();
    std::optional<int64_t> index = dim ? dim.getConstantIndex() : std::nullopt;
    if (!index)
      return size;
    Value source = dim.getSource();
    auto type = dyn_cast<MemRefType>(source.getType());
    if (!type || *index >= type.getRank())
      return size;
    OpFoldResult next;
    if (!type.isDynamicDim(*index)) {
      next = IntegerAttr::get(IndexType::get(size.getContext()),
                              type.getDimSize(*index));
    } else if (auto alloc = source.getDefiningOp<memref::AllocOp>()) {
      next = alloc.getDynamicSizes()[type.getDynamicDimIndex(*index)];
    } else if (auto alloc = source.getDefiningOp<gpu::AllocOp>()) {
      next = alloc.getDynamicSizes()[type.getDynamicDimIndex(*index)];
    } else if (auto expand = source.getDefiningOp<memref::ExpandShapeOp>()) {
      next = expand.getMixedOutputShape()[*index];
    } else if (auto view = source.getDefiningOp<memref::SubViewOp>()) {
      // Without rank reduction, result dimension i is source dimension i.
      if (view.getSourceType().getRank() != type.getRank())
        return size;
      next = view.getMixedSizes()[*index];
    } else {
      return size;
    }
    if (auto attr = dyn_cast<Attribute>(next))
      return attr;
    size = cast<Value>(next);
  }
}

/// Whether sizes `a` and `b` are equal: as constants, as one value, or as
/// the same dimension of one buffer (two `memref.dim` ops).
static bool sameSize(Value a, Value b) {
  OpFoldResult x = resolveSize(a), y = resolveSize(b);
  if (x == y)
    return true;
  auto dimX = dyn_cast_if_present<Value>(x)
                  ? cast<Value>(x).getDefiningOp<memref::DimOp>()
                  : memref::DimOp();
  auto dimY = dyn_cast_if_present<Value>(y)
                  ? cast<Value>(y).getDefiningOp<memref::DimOp>()
                  : memref::DimOp();
  return dimX && dimY && dimX.getSource() == dimY.getSource() &&
         dimX.getConstantIndex() &&
         dimX.getConstantIndex() == dimY.getConstantIndex();
}

bool mlir::pixelfly::sameIterationSpace(scf::ParallelOp a, scf::ParallelOp b) {
  auto same = [](ValueRange x, ValueRange y) {
    return x.size() == y.size() && llvm::all_of(llvm::zip(x, y), [](auto pair) {
             return sameSize(std::get<0>(pair), std::get<1>(pair));
           });
  };
  return same(a.getLowerBound(), b.getLowerBound()) &&
         same(a.getUpperBound(), b.getUpperBound()) &&
         same(a.getStep(), b.getStep());
}
