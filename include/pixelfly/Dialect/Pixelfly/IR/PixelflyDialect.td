//===- PixelflyDialect.td - Pixelfly dialect definition ----*- tablegen -*-===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_DIALECT_PIXELFLY_IR_PIXELFLYDIALECT_TD
#define PIXELFLY_DIALECT_PIXELFLY_IR_PIXELFLYDIALECT_TD

include "mlir/IR/OpBase.td"

def Pixelfly_Dialect : Dialect {
  let name = "pixelfly";
  let cppNamespace = "::mlir::pixelfly";
  let summary = "Static, hardware-friendly sparsity for linear layers";
  let description = [{
    The `pixelfly` dialect represents linear layers whose weight has a static
    structure that GPUs execute efficiently:

    * block sparsity on a compile-time layout (`#pixelfly.block_layout`), in
      particular the flat block butterfly of Pixelfly (Dao, Chen et al., ICLR
      2022), optionally combined with a low-rank term
      (`W = gamma * B + (1 - gamma) * U * V^T`);
    * 2:4 semi-structured sparsity (two non-zeros in every group of four
      consecutive weights along the reduction dimension), stored compressed
      with 2-bit metadata.

    Weights use the PyTorch `Linear` layout: `W` is `N x K` (output features
    by input features) and a linear layer computes `Y[M, N] = X[M, K] * W^T`.
    All ops are in destination style: they accumulate into (or, for the
    conversion ops, overwrite) an `outs` operand. They accept either tensors
    (value semantics, one result per `outs` operand) or memrefs (buffer
    semantics, no results), so `one-shot-bufferize` rewrites the tensor form
    into the memref form. Input element types are `f16`, `bf16` or `f32`;
    products accumulate in `f32` and the destination may be `f32` or the
    input element type.
  }];
  let useDefaultAttributePrinterParser = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
  }];
}

#endif // PIXELFLY_DIALECT_PIXELFLY_IR_PIXELFLYDIALECT_TD
