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
    `pixelfly.densify` / `pixelfly.densify_2_4` (or `U * V^T` for the
    low-rank term) and multiplied with `linalg.matmul`, whose indexing maps
    express the transposition; `gamma` and the accumulation into `init` are
    done by a `linalg.generic` epilogue. Everything is computed in `f32` and
    converted to the destination's element type at the end.

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
