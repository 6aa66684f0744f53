//===- GPUDeviceConstants.cpp - Constant globals of kernels on the device -===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Compile-time weights and biases are constant memref.globals of the host
// module; once their users become kernels, host code passes the host
// global to a launch, which a kernel cannot read. Copying the global into
// the kernel's GPU module makes it part of the module image: the driver
// uploads it once, at module load, instead of on every call.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"
#include "pixelfly/Dialect/Pixelfly/Utils/ShapeBounds.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/MapVector.h"

namespace mlir::pixelfly {
#define GEN_PASS_DEF_PIXELFLYGPUDEVICECONSTANTS
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h.inc"
} // namespace mlir::pixelfly

using namespace mlir;
using namespace mlir::pixelfly;

/// cp.async moves 16-byte chunks from 16-byte aligned addresses.
static constexpr int64_t kMinDeviceAlignment = 16;

/// Most elements of a constant copied into a module image: more than any
/// GPU holds (as convert-pixelfly-to-gpu's operand bound).
static constexpr int64_t kMaxImageElements = int64_t{1} << 36;

/// Why `global` cannot be part of a module image (empty: it can): too
/// large, or a resource whose blob does not hold its type's bytes (LLVM
/// translation would read past it).
static std::string imageProblem(memref::GlobalOp global) {
  MemRefType type = global.getType();
  std::optional<int64_t> elements =
      staticElementsWithin(type.getShape(), kMaxImageElements);
  if (!elements)
    return "of more than 2^36 elements, too large for a module image";
  auto resource =
      dyn_cast_or_null<DenseResourceElementsAttr>(global.getInitialValueAttr());
  if (!resource || !type.getElementType().isIntOrFloat())
    return {};
  const AsmResourceBlob *blob = resource.getRawHandle().getBlob();
  int64_t bits = type.getElementType().getIntOrFloatBitWidth();
  if (!blob || bits % 8 != 0)
    return {};
  int64_t bytes = *elements * (bits / 8);
  if (static_cast<int64_t>(blob->getData().size()) == bytes)
    return {};
  return "whose resource holds " + std::to_string(blob->getData().size()) +
         " bytes for " + std::to_string(bytes);
}

namespace {

/// Binds the kernel arguments of one module to device copies of globals.
class ConstantBinder {
public:
  explicit ConstantBinder(MLIRContext *ctx) : ctx(ctx) {}

  /// Returns how many kernel arguments became device globals.
  int64_t run(ModuleOp module) {
    llvm::MapVector<gpu::GPUFuncOp, SmallVector<gpu::LaunchFuncOp>> launches;
    module.walk([&](gpu::LaunchFuncOp launch) {
      if (auto kernel = symbols.lookupNearestSymbolFrom<gpu::GPUFuncOp>(
              launch, launch.getKernel()))
        launches[kernel].push_back(launch);
    });
    for (auto &[kernel, sites] : launches)
      bindKernel(kernel, sites);

    // Host globals whose last reader moved to the device.
    for (memref::GetGlobalOp get : hostReads)
      if (get->use_empty())
        get.erase();
    for (memref::GlobalOp global : movedGlobals)
      if (SymbolTable::symbolKnownUseEmpty(global, module))
        global.erase();
    return numMoved;
  }

private:
  /// The host global that argument `i` of every launch in `sites` reads,
  /// or null (with a remark when it is a global the pass cannot move).
  memref::GlobalOp commonGlobal(gpu::GPUFuncOp kernel,
                                ArrayRef<gpu::LaunchFuncOp> sites,
                                unsigned i) {
    memref::GlobalOp common;
    bool someGlobal = false, allSame = true;
    for (gpu::LaunchFuncOp launch : sites) {
      auto get =
          launch.getKernelOperand(i).getDefiningOp<memref::GetGlobalOp>();
      memref::GlobalOp global =
          get ? symbols.lookupNearestSymbolFrom<memref::GlobalOp>(
                    get, get.getNameAttr())
              : nullptr;
      someGlobal |= static_cast<bool>(global);
      if (!global || (common && global != common))
        allSame = false;
      if (!common)
        common = global;
    }
    if (!someGlobal)
      return nullptr;
    if (!allSame) {
      kernel.emitRemark() << "pixelfly-gpu-device-constants: argument " << i
                          << " of kernel @" << kernel.getName()
                          << " is bound to different values at its launches; "
                             "left in host memory";
      return nullptr;
    }
    if (!common.getConstant() || !common.getInitialValue()) {
      gpu::LaunchFuncOp first = sites.front();
      first.emitRemark()
          << "pixelfly-gpu-device-constants: argument " << i << " of kernel @"
          << kernel.getName() << " is the host global @" << common.getSymName()
          << ", which is not an initialized constant; left as it is (a "
             "kernel cannot read host memory)";
      return nullptr;
    }
    if (std::string why = imageProblem(common); !why.empty()) {
      gpu::LaunchFuncOp first = sites.front();
      first.emitRemark()
          << "pixelfly-gpu-device-constants: argument " << i << " of kernel @"
          << kernel.getName() << " is the host global @" << common.getSymName()
          << ", " << why << "; left as it is (a kernel cannot read host "
          << "memory)";
      return nullptr;
    }
    if (kernel.getArgument(i).getType() != common.getType())
      return nullptr;
    return common;
  }

  /// The copy of `global` in `gpuModule`, created on first use.
  FlatSymbolRefAttr deviceCopy(gpu::GPUModuleOp gpuModule,
                               memref::GlobalOp global) {
    StringAttr &name = placed[{gpuModule, global}];
    if (!name) {
      auto copy = cast<memref::GlobalOp>(global->clone());
      copy.setPrivate();
      if (copy.getAlignment().value_or(0) < kMinDeviceAlignment)
        copy.setAlignmentAttr(
            IntegerAttr::get(IntegerType::get(ctx, 64),
                             kMinDeviceAlignment));
      name = symbols.getSymbolTable(gpuModule).insert(
          copy, gpuModule.getBody()->begin());
      movedGlobals.insert(global);
    }
    return FlatSymbolRefAttr::get(name);
  }

  void bindKernel(gpu::GPUFuncOp kernel, ArrayRef<gpu::LaunchFuncOp> sites) {
    unsigned numArgs = kernel.getNumArguments();
    if (kernel.isExternal() ||
        llvm::any_of(sites, [&](gpu::LaunchFuncOp launch) {
          return launch.getNumKernelOperands() != numArgs;
        }))
      return;
    auto gpuModule = kernel->getParentOfType<gpu::GPUModuleOp>();
    // Sized to the entry block, whose workgroup and private attributions
    // follow the arguments: erasing tests every block argument's bit.
    llvm::BitVector bound(kernel.front().getNumArguments());
    OpBuilder b = OpBuilder::atBlockBegin(&kernel.front());
    for (unsigned i = 0; i < numArgs; ++i) {
      memref::GlobalOp global = commonGlobal(kernel, sites, i);
      if (!global)
        continue;
      if (foldSplatLoads(kernel.getArgument(i), global)) {
        movedGlobals.insert(global);
        bound.set(i);
        continue;
      }
      Value local = memref::GetGlobalOp::create(
          b, kernel.getLoc(), global.getType(), deviceCopy(gpuModule, global));
      kernel.getArgument(i).replaceAllUsesWith(local);
      bound.set(i);
      ++numMoved;
    }
    if (bound.none())
      return;
    for (gpu::LaunchFuncOp launch : sites) {
      for (int i = numArgs - 1; i >= 0; --i) {
        if (!bound.test(i))
          continue;
        if (auto get =
                launch.getKernelOperand(i).getDefiningOp<memref::GetGlobalOp>())
          hostReads.insert(get);
        launch.getKernelOperandsMutable().erase(i);
      }
    }
    (void)kernel.eraseArguments(bound);
  }

  /// A splat global that `arg` only loads from becomes constants in the
  /// kernel: as module data it would be written out element by element
  /// (megabytes of PTX for one number). Returns whether it did.
  bool foldSplatLoads(BlockArgument arg, memref::GlobalOp global) {
    auto splat = dyn_cast<SplatElementsAttr>(global.getInitialValueAttr());
    if (!splat || !llvm::all_of(arg.getUsers(), [](Operation *user) {
          return isa<memref::LoadOp, vector::LoadOp>(user);
        }))
      return false;
    for (Operation *user : llvm::make_early_inc_range(arg.getUsers())) {
      OpBuilder b(user);
      Type type = user->getResult(0).getType();
      TypedAttr value;
      if (auto vectorType = dyn_cast<VectorType>(type))
        value = DenseElementsAttr::get(vectorType,
                                       splat.getSplatValue<Attribute>());
      else
        value = cast<TypedAttr>(splat.getSplatValue<Attribute>());
      Value constant = arith::ConstantOp::create(b, user->getLoc(), value);
      user->getResult(0).replaceAllUsesWith(constant);
      user->erase();
    }
    return true;
  }

  MLIRContext *ctx;
  SymbolTableCollection symbols;
  int64_t numMoved = 0;
  DenseMap<std::pair<Operation *, Operation *>, StringAttr> placed;
  llvm::SetVector<memref::GlobalOp> movedGlobals;
  llvm::SetVector<memref::GetGlobalOp> hostReads;
};

struct PixelflyGPUDeviceConstantsPass
    : public pixelfly::impl::PixelflyGPUDeviceConstantsBase<
          PixelflyGPUDeviceConstantsPass> {
  using Base::Base;

  void runOnOperation() override {
    numMoved += ConstantBinder(&getContext()).run(getOperation());
  }
};

} // namespace
