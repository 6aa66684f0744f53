//===- TwoFourProduct.cpp - pixelfly.two_four_matmul for GPU kernels ------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "TwoFourProduct.h"
#include "ProductPlan.h"

#include "pixelfly/Patterns/TwoFour.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/SymbolTable.h"

#include <cstring>

using namespace mlir;
using namespace mlir::pixelfly;

/// The 16-bit words of a constant i16 global's initializer (dense or
/// dense_resource), or nothing.
static std::optional<std::vector<uint16_t>> readI16(Attribute attr,
                                                    int64_t count) {
  ArrayRef<char> raw;
  bool splat = false;
  if (auto dense = dyn_cast<DenseIntElementsAttr>(attr)) {
    if (!dense.getElementType().isInteger(16))
      return std::nullopt;
    raw = dense.getRawData();
    splat = dense.isSplat();
  } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    const AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return std::nullopt;
    raw = blob->getData();
  } else {
    return std::nullopt;
  }
  if (static_cast<int64_t>(raw.size()) < (splat ? 2 : 2 * count))
    return std::nullopt;
  std::vector<uint16_t> words(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i)
    std::memcpy(&words[i], raw.data() + (splat ? 0 : 2 * i), 2);
  return words;
}

/// The metadata of `op` when it is a compile-time constant (a constant
/// memref.global after bufferization).
static std::optional<std::vector<uint16_t>> constantMetadata(Value metadata,
                                                             int64_t count) {
  auto get = metadata.getDefiningOp<memref::GetGlobalOp>();
  if (!get)
    return std::nullopt;
  auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
      get, get.getNameAttr());
  if (!global || !global.getConstant())
    return std::nullopt;
  std::optional<Attribute> init = global.getInitialValue();
  if (!init)
    return std::nullopt;
  return readI16(*init, count);
}

MemRefType TwoFourProduct::metadataTableType(MLIRContext *ctx) const {
  return MemRefType::get({n / 16, k / 32, 16}, IntegerType::get(ctx, 32));
}

FailureOr<TwoFourProduct> mlir::pixelfly::describeTwoFour(TwoFourMatmulOp op,
                                                          StringRef kernelName,
                                                          std::string &why) {
  TwoFourProduct p;
  p.xType = dyn_cast<MemRefType>(op.getX().getType());
  p.valuesType = dyn_cast<MemRefType>(op.getValues().getType());
  p.metadataType = dyn_cast<MemRefType>(op.getMetadata().getType());
  p.initType = dyn_cast<MemRefType>(op.getInit().getType());
  if (!p.xType || !p.valuesType || !p.metadataType || !p.initType) {
    why = "tensor form (bufferize first)";
    return failure();
  }
  for (MemRefType t : {p.xType, p.valuesType, p.metadataType, p.initType}) {
    if (!isPlainDeviceMemRef(t)) {
      why = "operands must be identity-layout memrefs in the default or "
            "global memory space";
      return failure();
    }
    if (failed(checkOperandSize("an operand", t, why)))
      return failure();
  }
  p.elementType = p.xType.getElementType();
  if (!p.elementType.isF16() && !p.elementType.isBF16()) {
    llvm::raw_string_ostream(why)
        << "element type " << p.elementType << " (the sparse tensor-core "
        << "kernel, " << kernelName << ", takes f16 or bf16)";
    return failure();
  }
  if (failed(checkInitElementType(p.initType.getElementType(), why)))
    return failure();
  if (p.xType.isDynamicDim(1) || !p.valuesType.hasStaticShape() ||
      !p.metadataType.hasStaticShape()) {
    why = "the weight's shape must be static";
    return failure();
  }
  p.n = p.valuesType.getDimSize(0);
  p.k = p.xType.getDimSize(1);
  // The table's order needs whole 16-row, 32-column tiles, which every
  // family's kernel needs too (and says so when it plans).
  if (p.n % 16 == 0 && p.k % 32 == 0)
    if (std::optional<std::vector<uint16_t>> meta =
            constantMetadata(op.getMetadata(), p.metadataType.getNumElements()))
      p.mmaMetadata = patterns::metadataForMma16832(*meta, p.n, p.k);
  return p;
}

void mlir::pixelfly::buildMetadataTable(OpBuilder &b, Location loc,
                                        const TwoFourProduct &product,
                                        StringRef name) {
  MemRefType type = product.metadataTableType(b.getContext());
  auto tensorType = RankedTensorType::get(type.getShape(), b.getI32Type());
  SmallVector<int32_t> words(product.mmaMetadata.begin(),
                             product.mmaMetadata.end());
  memref::GlobalOp::create(
      b, loc, name, b.getStringAttr("private"), type,
      DenseIntElementsAttr::get(tensorType, ArrayRef<int32_t>(words)),
      /*constant=*/true, b.getI64IntegerAttr(64));
}

Value mlir::pixelfly::loadMmaMetadata(KernelBuilderBase &kb,
                                      const TwoFourProduct &product,
                                      Value metadata, Value row0,
                                      Value column32, Value lane) {
  ImplicitLocOpBuilder &b = kb.builder();
  Value half = kb.rem(lane, 2);
  Value group = kb.div(lane, 4);
  if (!product.mmaMetadata.empty()) {
    Value word = kb.add(kb.mul(group, kb.cst(2)), half);
    return memref::LoadOp::create(b, metadata,
                                  ValueRange{kb.div(row0, 16), column32, word});
  }
  Value col = kb.add(kb.mul(column32, kb.cst(2)), half);
  Value row = kb.add(row0, group);
  auto word = [&](Value r) -> Value {
    Value w = memref::LoadOp::create(b, metadata, ValueRange{r, col});
    return arith::ExtUIOp::create(b, b.getI32Type(), w);
  };
  Value high = arith::ShLIOp::create(
      b, word(kb.add(row, kb.cst(8))),
      arith::ConstantIntOp::create(b, b.getI32Type(), 16));
  return arith::OrIOp::create(b, word(row), high);
}
