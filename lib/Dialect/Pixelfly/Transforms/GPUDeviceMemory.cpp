//===- GPUDeviceMemory.cpp - Buffers of GPU host code in device memory ----===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//
//
// Bufferization allocates temporaries with memref.alloc and copies with
// memref.copy, both host operations. In a GPU program whose host functions
// only orchestrate kernels, those buffers are handed to kernels and those
// copies move device data, so both must become their GPU counterparts.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::pixelfly {
#define GEN_PASS_DEF_PIXELFLYGPUDEVICEMEMORY
#include "pixelfly/Dialect/Pixelfly/Transforms/Passes.h.inc"
} // namespace mlir::pixelfly

using namespace mlir;
using namespace mlir::pixelfly;

namespace {

bool inDefaultMemorySpace(MemRefType type) {
  Attribute space = type.getMemorySpace();
  if (!space)
    return true;
  auto asInt = dyn_cast<IntegerAttr>(space);
  return asInt && asInt.getInt() == 0;
}

/// What gpu-to-llvm can allocate and copy: identity layout, default space.
bool isPlainDeviceType(MemRefType type) {
  return type.getLayout().isIdentity() && inDefaultMemorySpace(type);
}

/// The buffer a view or a strided-metadata base was taken from.
Value rootBuffer(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (auto view = dyn_cast<ViewLikeOpInterface>(def))
      v = view.getViewSource();
    else if (auto meta = dyn_cast<memref::ExtractStridedMetadataOp>(def))
      v = meta.getSource();
    else
      break;
  }
  return v;
}

/// Whether `v` (through views) is an operand of a kernel launch.
bool reachesLaunch(Value v) {
  SmallVector<Value> worklist{v};
  while (!worklist.empty()) {
    Value cur = worklist.pop_back_val();
    for (Operation *user : cur.getUsers()) {
      if (isa<gpu::LaunchFuncOp, gpu::LaunchOp>(user))
        return true;
      if (auto view = dyn_cast<ViewLikeOpInterface>(user))
        if (view.getViewSource() == cur)
          worklist.append(user->result_begin(), user->result_end());
    }
  }
  return false;
}

/// Creates `gpu.wait async`: a stream of its own for one operation.
Value newStream(OpBuilder &b, Location loc) {
  Type token = gpu::AsyncTokenType::get(b.getContext());
  return gpu::WaitOp::create(b, loc, token, ValueRange{}).getAsyncToken();
}

/// Waits for `done` (and releases its stream).
void waitFor(OpBuilder &b, Location loc, Value done) {
  gpu::WaitOp::create(b, loc, Type(), ValueRange{done});
}

struct PixelflyGPUDeviceMemoryPass
    : public pixelfly::impl::PixelflyGPUDeviceMemoryBase<
          PixelflyGPUDeviceMemoryPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<memref::AllocOp> allocs;
    SmallVector<memref::DeallocOp> deallocs;
    SmallVector<memref::CopyOp> copies;
    getOperation()->walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (isa<gpu::GPUModuleOp, gpu::LaunchOp>(op))
        return WalkResult::skip();
      if (auto alloc = dyn_cast<memref::AllocOp>(op))
        allocs.push_back(alloc);
      else if (auto dealloc = dyn_cast<memref::DeallocOp>(op))
        deallocs.push_back(dealloc);
      else if (auto copy = dyn_cast<memref::CopyOp>(op))
        copies.push_back(copy);
      else if (auto alloca = dyn_cast<memref::AllocaOp>(op);
               alloca && inDefaultMemorySpace(alloca.getType()) &&
               reachesLaunch(alloca.getResult()))
        alloca.emitRemark()
            << "pixelfly-gpu-device-memory: a stack buffer of the host "
               "reaches a kernel launch; left as it is (use memref.alloc)";
      return WalkResult::advance();
    });

    // Buffers whose deallocation must stay a host free.
    DenseSet<Value> hostBuffers;
    for (memref::AllocOp alloc : allocs) {
      MemRefType type = alloc.getType();
      if (!inDefaultMemorySpace(type)) {
        hostBuffers.insert(alloc.getResult());
        continue;
      }
      if (!type.getLayout().isIdentity()) {
        alloc.emitRemark() << "pixelfly-gpu-device-memory: left in host "
                              "memory: gpu.alloc takes identity layouts only, "
                              "not "
                           << type;
        hostBuffers.insert(alloc.getResult());
        continue;
      }
      OpBuilder b(alloc);
      Location loc = alloc.getLoc();
      auto device = gpu::AllocOp::create(
          b, loc, type, gpu::AsyncTokenType::get(b.getContext()),
          ValueRange{newStream(b, loc)}, alloc.getDynamicSizes(),
          alloc.getSymbolOperands());
      waitFor(b, loc, device.getAsyncToken());
      alloc.replaceAllUsesWith(device.getMemref());
      alloc.erase();
      ++numAllocs;
    }

    for (memref::DeallocOp dealloc : deallocs) {
      // A buffer that is not a (remaining) host allocation came from a
      // converted allocation or from the caller: device memory either way.
      if (hostBuffers.contains(rootBuffer(dealloc.getMemref())))
        continue;
      OpBuilder b(dealloc);
      Location loc = dealloc.getLoc();
      auto device = gpu::DeallocOp::create(
          b, loc, gpu::AsyncTokenType::get(b.getContext()),
          ValueRange{newStream(b, loc)}, dealloc.getMemref());
      waitFor(b, loc, device.getAsyncToken());
      dealloc.erase();
    }

    for (memref::CopyOp copy : copies) {
      auto source = dyn_cast<MemRefType>(copy.getSource().getType());
      auto target = dyn_cast<MemRefType>(copy.getTarget().getType());
      if (!source || !target ||
          hostBuffers.contains(rootBuffer(copy.getSource())) ||
          hostBuffers.contains(rootBuffer(copy.getTarget())))
        continue;
      OpBuilder b(copy);
      Location loc = copy.getLoc();
      if (isPlainDeviceType(source) && isPlainDeviceType(target)) {
        auto device = gpu::MemcpyOp::create(
            b, loc, gpu::AsyncTokenType::get(b.getContext()),
            ValueRange{newStream(b, loc)}, copy.getTarget(), copy.getSource());
        waitFor(b, loc, device.getAsyncToken());
      } else {
        // A strided view: an elementwise copy, which becomes a kernel.
        linalg::CopyOp::create(b, loc, copy.getSource(), copy.getTarget());
      }
      copy.erase();
      ++numCopies;
    }
  }
};

} // namespace
