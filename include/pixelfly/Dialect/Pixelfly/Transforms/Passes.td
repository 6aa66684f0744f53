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

def PixelflyBudget : Pass<"pixelfly-budget", "::mlir::ModuleOp"> {
  let summary = "Decide per linear layer which structure and density to use";
  let description = [{
    Runs the budget analysis over the module: finds every linear layer (a
    contraction of an activation with a weight that is a constant, a global
    or a function argument, seen through transposes and batch broadcasts;
    `linalg.matmul` with any transposition maps, `linalg.batch_matmul` with a
    shared weight, `linalg.generic` contractions), prices it with the cost
    model of the target (`cost = c_mem * blocks + c_flop * multiply-adds`),
    and spreads a global budget, a fraction of the dense cost of all
    eligible layers, over them in proportion to their cost. Each share is
    split between a low-rank term (`low-rank-fraction`) and a flat block
    butterfly, turned into whole parameters (ranks multiple of 16, whole
    butterfly factors, blocks of the target's size), and what rounding
    leaves is handed on to the layers that can use it, most expensive first.
    The total never exceeds the budget; a budget below the cheapest plans is
    an error. 2:4 sparsity is chosen when it keeps more parameters for the
    same cost. A budget of 1 keeps every layer dense.

    Every layer gets a `pixelfly.plan` attribute (`#pixelfly.plan<...>`).
    Layers that are too small, dynamic in their weight's shape, of another
    element type, or of a shape no structure fits stay dense with a remark
    that says why; contractions that are not layers get a remark only.

    With `report=PATH` (`-` for standard output) the pass writes the report:
    per layer the shape, dense, allocated and achieved cost, density (kept
    parameters over `N * K`), rank, butterfly size and factors and number of
    blocks; as a text table, or as JSON with `report-format=json` or a path
    ending in `.json`. docs/BudgetAnalysis.md explains it.

    Example:

    ```mlir
    %y = linalg.matmul ins(%x, %w : tensor<8192x1024xbf16>, tensor<1024x4096xbf16>)
           outs(%init : tensor<8192x4096xf32>) -> tensor<8192x4096xf32>
    ```

    becomes, with `budget=0.25 target=sm_90`,

    ```mlir
    %y = linalg.matmul {pixelfly.plan = #pixelfly.plan<structure = butterfly,
           pattern = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 2,
                                              block = 64>, rank = 48>}
           ins(...) outs(...) -> tensor<8192x4096xf32>
    ```
  }];
  let options = [
    Option<"budget", "budget", "double", "0.25",
           "Budget as a fraction of the dense cost of the eligible layers, "
           "in (0, 1]">,
    Option<"target", "target", "std::string", "\"sm_90\"",
           "Target profile: sm_80 or sm_90">,
    Option<"block", "block", "int64_t", "0",
           "Block size of the layouts (0: the target's preferred one)">,
    Option<"lowRankFraction", "low-rank-fraction", "double", "0.25",
           "Fraction of a layer's share given to the low-rank term">,
    Option<"minWeightSize", "min-weight-size", "int64_t", "4096",
           "Layers whose weight has fewer elements stay dense">,
    ListOption<"structures", "structures", "std::string",
               "Structures allowed: butterfly, low_rank, two_four (default: "
               "all)">,
    Option<"cMem", "c-mem", "double", "0.0",
           "Cost of one block access, overriding the target's (0: keep)">,
    Option<"cFlop", "c-flop", "double", "0.0",
           "Cost of one multiply-add, overriding the target's (0: keep)">,
    Option<"tokens", "tokens", "int64_t", "0",
           "Tokens assumed for layers with a dynamic number of tokens "
           "(0: keep such layers dense)">,
    Option<"transposable", "transposable", "bool", "false",
           "2:4 plans are transposable (training)">,
    Option<"report", "report", "std::string", "\"\"",
           "Write the report to this path ('-' for standard output)">,
    Option<"reportFormat", "report-format", "std::string", "\"\"",
           "Report format: text or json (default: json for a path ending in "
           ".json, text otherwise)">,
  ];
  let dependentDialects = ["::mlir::pixelfly::PixelflyDialect"];
  let statistics = [
    Statistic<"numPlanned", "num-planned", "Number of layers given a plan">,
    Statistic<"numSparse", "num-sparse",
              "Number of layers given a sparse plan">,
    Statistic<"numKeptDense", "num-kept-dense",
              "Number of contractions kept dense for a reason">,
  ];
}

#endif // PIXELFLY_DIALECT_PIXELFLY_TRANSFORMS_PASSES_TD
