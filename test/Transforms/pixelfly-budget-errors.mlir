// Invalid options are errors that say why. A budget below the cheapest
// plans is a warning, and the module is left as it was.
// RUN: not pixelfly-opt %s --pixelfly-budget="target=sm_70" 2>&1 | FileCheck %s --check-prefix=TARGET
// RUN: not pixelfly-opt %s --pixelfly-budget="structures=butterfly,dense" 2>&1 | FileCheck %s --check-prefix=STRUCT
// RUN: pixelfly-opt %s --pixelfly-budget="target=sm_80 budget=0.001" 2>&1 | FileCheck %s --check-prefix=SMALL
// RUN: not pixelfly-opt %s --pixelfly-budget="budget=0" 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: not pixelfly-opt %s --pixelfly-budget="low-rank-fraction=1.5" 2>&1 | FileCheck %s --check-prefix=FRACTION
// RUN: not pixelfly-opt %s --pixelfly-budget="report=- report-format=xml" 2>&1 | FileCheck %s --check-prefix=FORMAT
// RUN: not pixelfly-opt %s --pixelfly-budget="report=%t.missing/report.txt" 2>&1 | FileCheck %s --check-prefix=PATH
// RUN: not pixelfly-opt %s --pixelfly-budget="block=-1" 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// RUN: not pixelfly-opt %s --pixelfly-sparsify="rank-multiple=0" 2>&1 | FileCheck %s --check-prefix=MULTIPLE

// TARGET: error: pixelfly-budget: unknown target 'sm_70' (expected one of sm_80, sm_90)
// STRUCT: error: pixelfly-budget: unknown structure 'dense' (expected butterfly, low_rank or two_four)
// SMALL: warning: pixelfly-budget: budget 0.001 is below the cheapest plans, which cost {{[0-9.]+}} of the dense cost; no plan attached
// SMALL-NOT: pixelfly.plan
// SMALL: linalg.matmul ins
// SMALL-NOT: pixelfly.plan
// ZERO: error: pixelfly-budget: budget must be in (0, 1], got 0{{$}}
// FRACTION: error: pixelfly-budget: low-rank fraction must be in [0, 1), got 1.5{{$}}
// FORMAT: error: pixelfly-budget: unknown report format 'xml' (expected text or json)
// PATH: error: pixelfly-budget: cannot write the report:
// NEGATIVE: error: pixelfly-budget: block, min-weight-size and tokens must be non-negative
// MULTIPLE: error: pixelfly-sparsify: rank-multiple must be positive, got 0{{$}}

func.func @layer(%x: tensor<8192x1024xbf16>, %w: tensor<1024x1024xbf16>,
                 %a: tensor<8192x1024xf32>) -> tensor<8192x1024xf32> {
  %y = linalg.matmul ins(%x, %w : tensor<8192x1024xbf16>, tensor<1024x1024xbf16>)
         outs(%a : tensor<8192x1024xf32>) -> tensor<8192x1024xf32>
  return %y : tensor<8192x1024xf32>
}
