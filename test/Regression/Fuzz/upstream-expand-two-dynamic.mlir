// An upstream MLIR 22 bug met while writing pixelfly-dense-products'
// batch folding (2026-12-06): a tensor.expand_shape with two dynamic sizes
// in one reassociation group verifies, and after bufferization upstream's
// expand-strided-metadata crashes on it (SIGSEGV in IntegerAttr::getValue
// from ReinterpretCastOp::build; upstream mlir-opt 22.1 crashes the same
// way, 6 of 6 runs). pixelfly-dense-products never makes one (a batch of
// dynamic rows and a dynamic count is not folded). XFAIL until Debian's
// libMLIR has a fix.
// XFAIL: *
// RUN: pixelfly-opt %s --pixelfly-cpu-pipeline -o /dev/null 2>&1 | FileCheck %s --allow-empty
// RUN: mlir-opt %s --one-shot-bufferize="bufferize-function-boundaries" --expand-strided-metadata -o /dev/null 2>&1 | FileCheck %s --allow-empty
// CHECK-NOT: Stack dump
func.func @f(%x: tensor<?x64xf32>, %a: index, %b: index) -> tensor<?x?x64xf32> {
  %e = tensor.expand_shape %x [[0, 1], [2]] output_shape [%a, %b, 64] : tensor<?x64xf32> into tensor<?x?x64xf32>
  return %e : tensor<?x?x64xf32>
}
