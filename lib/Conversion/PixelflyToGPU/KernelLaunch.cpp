//===- KernelLaunch.cpp - How a product's kernels are called --------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "KernelLaunch.h"

using namespace mlir;
using namespace mlir::pixelfly;

SmallVector<Type> KernelSignature::types() const {
  SmallVector<Type> types;
  for (const auto &[arg, type] : args)
    types.push_back(type);
  return types;
}

std::optional<unsigned> KernelSignature::find(KernelArg arg) const {
  for (auto [i, entry] : llvm::enumerate(args))
    if (entry.first == arg)
      return i;
  return std::nullopt;
}

KernelSymbols::KernelSymbols(StringRef name)
    : kernel(name.str()), tiles((name + "_tiles").str()),
      cols((name + "_cols").str()), blocks((name + "_blocks").str()),
      metadata((name + "_metadata").str()), shared((name + "_smem").str()) {}

ArrayRef<StringRef> KernelSymbols::suffixes() {
  static const StringRef list[] = {"",          "_tiles", "_cols",
                                   "_blocks",   "_metadata", "_smem"};
  return list;
}

gpu::GPUFuncOp
mlir::pixelfly::createKernelFunc(gpu::GPUModuleOp module, StringRef name,
                                 const KernelSignature &signature,
                                 int64_t threads, Location loc) {
  auto b = OpBuilder::atBlockEnd(module.getBody());
  auto func = gpu::GPUFuncOp::create(b, loc, name,
                                     b.getFunctionType(signature.types(), {}));
  func->setAttr(gpu::GPUDialect::getKernelFuncAttrName(), b.getUnitAttr());
  func.setKnownBlockSizeAttr(
      b.getDenseI32ArrayAttr({static_cast<int32_t>(threads), 1, 1}));
  return func;
}

Value mlir::pixelfly::kernelArgument(gpu::GPUFuncOp func,
                                     const KernelSignature &signature,
                                     KernelArg arg) {
  std::optional<unsigned> i = signature.find(arg);
  return i ? func.getBody().front().getArgument(*i) : Value();
}
