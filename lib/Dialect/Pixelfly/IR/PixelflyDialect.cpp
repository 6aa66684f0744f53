//===- PixelflyDialect.cpp - Pixelfly dialect -----------------------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyDialect.h"
#include "pixelfly/Dialect/Pixelfly/IR/PixelflyAttrs.h"
#include "pixelfly/Dialect/Pixelfly/IR/PixelflyOps.h"

#include "mlir/IR/OpImplementation.h"
#include "mlir/Transforms/InliningUtils.h"

using namespace mlir;
using namespace mlir::pixelfly;

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyDialect.cpp.inc"

namespace {
/// Layouts and plans are long; print them once at the top of the module as
/// `#layout`, `#butterfly` and `#plan` aliases.
struct PixelflyOpAsmInterface : public OpAsmDialectInterface {
  using OpAsmDialectInterface::OpAsmDialectInterface;

  AliasResult getAlias(Attribute attr, raw_ostream &os) const override {
    if (isa<BlockLayoutAttr>(attr)) {
      os << "layout";
      return AliasResult::FinalAlias;
    }
    if (isa<FlatButterflyAttr>(attr)) {
      os << "butterfly";
      return AliasResult::FinalAlias;
    }
    if (isa<PlanAttr>(attr)) {
      os << "plan";
      return AliasResult::FinalAlias;
    }
    return AliasResult::NoAlias;
  }
};

/// Every pixelfly op is a computation on its operands (no regions, no
/// symbols, no state): a call to a function made of them may be inlined,
/// so a sparsified step can be inlined into its caller like a dense one.
struct PixelflyInlinerInterface : public DialectInlinerInterface {
  using DialectInlinerInterface::DialectInlinerInterface;

  bool isLegalToInline(Operation *, Region *, bool, IRMapping &) const final {
    return true;
  }
};
} // namespace

void PixelflyDialect::initialize() {
  registerAttributes();
  addOperations<
#define GET_OP_LIST
#include "pixelfly/Dialect/Pixelfly/IR/PixelflyOps.cpp.inc"
      >();
  addInterfaces<PixelflyOpAsmInterface, PixelflyInlinerInterface>();
}
