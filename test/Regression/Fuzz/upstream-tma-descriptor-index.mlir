// An upstream MLIR 22 bug the fuzzer found (seed 20261204, run 11333, from
// test/Runtime/tma-abi.mlir with f16 -> index): the verifier of
// nvgpu.tma.create.descriptor asks an index element type for its float
// width and crashes (SIGSEGV in mlir::FloatType::getWidth from
// verifyTmaDescriptorWithMemref). Upstream mlir-opt 22.1 crashes the same
// way. XFAIL until Debian's libMLIR has a fix (it then passes unexpectedly,
// a failure to look at).
// XFAIL: *
// RUN: not pixelfly-opt %s -o /dev/null 2>&1 | FileCheck %s
// RUN: not mlir-opt %s -o /dev/null 2>&1 | FileCheck %s
// CHECK: error:
// CHECK-NOT: Stack dump
!box = !nvgpu.tensormap.descriptor<tensor = memref<128x64xindex, 3>, swizzle = swizzle_128b, l2promo = none, oob = zero, interleave = none>
func.func @f(%u: memref<*xindex>) {
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %d = nvgpu.tma.create.descriptor %u box[%c128, %c64] : memref<*xindex> -> !box
  return
}
