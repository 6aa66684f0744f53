//===- Passes.td - Pixelfly transformation passes ----------*- tablegen -*-===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_DIALECT_PIXELFLY_TRANSFORMS_PASSES_TD
#define PIXELFLY_DIALECT_PIXELFLY_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def PixelflyExpandToDense : Pass<"pixelfly-expand-to-dense"> {
  let summary = "Rewrite pixelfly products as dense linalg on the densified "
                "weight";
  let description = [{
    Replaces every structured product of the `pixelfly` dialect by the same
    computation on a dense weight: the weight is rebuilt with
    `pixelfly.densify` / `pixelfly.densify_2_4` and multiplied with
    `linalg.matmul`, whose indexing maps express the transposition. The
    low-rank term is computed as `(X * V) * U^T`; the weight gradient is the
    dense `dY^T * X` with the layout's blocks extracted from it. Products
    accumulate in `f32`: straight into an `f32` `init`, otherwise into an
    `f32` temporary that a `linalg.generic` epilogue adds to `init`, rounding
    once to its element type. `gamma` is applied in such an epilogue too.
    `pixelfly.densify`, `pixelfly.densify_2_4` and `pixelfly.prune_2_4` are
    left to the other lowerings.

    This is the numerical reference the execution tests compare against and
    a dense fallback; it is not meant to be fast. It runs on tensors (before
    bufferization). Ops in memref form are left unchanged with a remark.

    Example:

    ```mlir
    %y = pixelfly.block_sparse_matmul
           ins(%x, %blocks : tensor<8x128xf16>, tensor<3x32x32xf16>)
           outs(%init : tensor<8x64xf32>) layout(#l) -> tensor<8x64xf32>
    ```

    becomes

    ```mlir
    %w = pixelfly.densify ins(%blocks : tensor<3x32x32xf16>)
           outs(%empty : tensor<64x128xf16>) layout(#l) -> tensor<64x128xf16>
    %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                                        affine_map<(m, n, k) -> (n, k)>,
                                        affine_map<(m, n, k) -> (m, n)>]
           ins(%x, %w : tensor<8x128xf16>, tensor<64x128xf16>)
           outs(%init : tensor<8x64xf32>) -> tensor<8x64xf32>
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
  let statistics = [
    Statistic<"numExpanded", "num-expanded",
              "Number of pixelfly ops rewritten into dense linalg">,
    Statistic<"numSkipped", "num-skipped",
              "Number of pixelfly ops left unchanged">,
  ];
}

#endif // PIXELFLY_DIALECT_PIXELFLY_TRANSFORMS_PASSES_TD
