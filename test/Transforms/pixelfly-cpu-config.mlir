// Each target's register tile, pinned by naming the CPU (the default,
// cpu=host, depends on the machine running the test).
// RUN: pixelfly-opt %s --pixelfly-cpu-config=cpu=x86-64 | FileCheck %s --check-prefix=SSE
// RUN: pixelfly-opt %s --pixelfly-cpu-config=cpu=x86-64-v3 | FileCheck %s --check-prefix=AVX2
// RUN: pixelfly-opt %s --pixelfly-cpu-config=cpu=x86-64-v4 | FileCheck %s --check-prefix=AVX512
// RUN: pixelfly-opt %s --pixelfly-cpu-config=cpu=znver4 | FileCheck %s --check-prefix=ZEN4
// Features on top of the CPU's, implied ones included: no AVX-512 means 16
// registers of 256 bits; AVX-512 turned on brings its 32 registers.
// RUN: pixelfly-opt %s --pixelfly-cpu-config="cpu=x86-64-v4 features=-avx512f" | FileCheck %s --check-prefix=NO512
// RUN: pixelfly-opt %s --pixelfly-cpu-config="cpu=x86-64 features=+avx512f" | FileCheck %s --check-prefix=ADD512
// Overrides; the panel follows an overridden tile-m.
// RUN: pixelfly-opt %s --pixelfly-cpu-config="cpu=x86-64-v3 tile-m=4 tile-k=16" | FileCheck %s --check-prefix=OVERRIDE
// RUN: pixelfly-opt %s --pixelfly-cpu-config="cpu=x86-64-v3 panel-m=60" | FileCheck %s --check-prefix=PANEL
// The host: some configuration, whatever the machine.
// RUN: pixelfly-opt %s --pixelfly-cpu-config | FileCheck %s --check-prefix=HOST
// Stripping.
// RUN: pixelfly-opt %s --pixelfly-cpu-config --pixelfly-cpu-config=strip | FileCheck %s --check-prefix=STRIP
// The target goes on the functions when the configuration is stripped, and
// on to LLVM's function attributes.
// RUN: pixelfly-opt %s --pixelfly-cpu-config="cpu=znver4 features=-avx512f" --pixelfly-cpu-config=strip | FileCheck %s --check-prefix=TARGET
// RUN: pixelfly-opt %s --pixelfly-cpu-pipeline="cpu=x86-64-v3" | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVMIR
// Bad options and configurations.
// RUN: not pixelfly-opt %s --pixelfly-cpu-config=cpu=pentium9 2>&1 | FileCheck %s --check-prefix=CPU
// RUN: not pixelfly-opt %s --pixelfly-cpu-config="cpu=x86-64 features=+avx9" 2>&1 | FileCheck %s --check-prefix=FEATURE
// RUN: not pixelfly-opt %s --pixelfly-cpu-config="cpu=x86-64 features=avx2" 2>&1 | FileCheck %s --check-prefix=MALFORMED
// RUN: not pixelfly-opt %s --pixelfly-cpu-config="cpu=x86-64-v3 tile-m=1024" 2>&1 | FileCheck %s --check-prefix=TOOBIG
// RUN: not pixelfly-opt %s --pixelfly-cpu-config="cpu=x86-64-v3 panel-m=-5" 2>&1 | FileCheck %s --check-prefix=NEGPANEL

// SSE:      module attributes {pixelfly.cpu_config = #pixelfly.cpu_config<cpu = "x86-64", vector_bits = 128, vector_registers = 16, tile_m = 6, tile_n = 8, tile_k = 8, panel_m = 126>}
// AVX2:     module attributes {pixelfly.cpu_config = #pixelfly.cpu_config<cpu = "x86-64-v3", vector_bits = 256, vector_registers = 16, tile_m = 6, tile_n = 16, tile_k = 8, panel_m = 126>}
// AVX512:   module attributes {pixelfly.cpu_config = #pixelfly.cpu_config<cpu = "x86-64-v4", vector_bits = 512, vector_registers = 32, tile_m = 8, tile_n = 32, tile_k = 8, panel_m = 128>}
// ZEN4:     module attributes {pixelfly.cpu_config = #pixelfly.cpu_config<cpu = "znver4", vector_bits = 512, vector_registers = 32, tile_m = 8, tile_n = 32, tile_k = 8, panel_m = 128>}
// NO512:    #pixelfly.cpu_config<cpu = "x86-64-v4", features = "-avx512f", vector_bits = 256, vector_registers = 16, tile_m = 6, tile_n = 16,
// ADD512:   #pixelfly.cpu_config<cpu = "x86-64", features = "+avx512f", vector_bits = 512, vector_registers = 32, tile_m = 8, tile_n = 32,
// OVERRIDE: tile_m = 4, tile_n = 16, tile_k = 16, panel_m = 128>
// PANEL:    tile_m = 6, tile_n = 16, tile_k = 8, panel_m = 60>
// HOST:     module attributes {pixelfly.cpu_config = #pixelfly.cpu_config<cpu = "{{[^"]+}}", {{(features = "[^"]*", )?}}vector_bits = {{128|256|512}}, vector_registers = {{16|32}}, tile_m = {{[0-9]+}}
// STRIP-NOT: pixelfly.cpu_config
// STRIP:    func.func @layer
// TARGET-NOT: pixelfly.cpu_config
// The features are complete (they replace a JIT's host features): the
// CPU's own with the changes applied, implied ones included.
// TARGET:   func.func @layer({{.+}} attributes {target_cpu = "znver4", target_features = #llvm.target_features<[{{.*}}"+avx2",{{.*}}"-avx512bw",{{.*}}"-avx512f",{{.*}}]>}
// A function that names its own target keeps it.
// TARGET:   func.func @own_target() attributes {target_cpu = "x86-64"} {
// LLVMIR:   define {{.+}} @layer({{.+}} #[[ATTRS:[0-9]+]]
// LLVMIR:   attributes #[[ATTRS]] = { {{.*}}"target-cpu"="x86-64-v3" "target-features"="{{.*}}+avx2,{{.*}}+fma{{.*}}"
// CPU:      error: pixelfly-cpu-config: unknown CPU 'pentium9' (expected host, native or an x86-64 CPU known to LLVM, e.g. x86-64-v3, x86-64-v4, znver4)
// FEATURE:  error: pixelfly-cpu-config: unknown x86 feature 'avx9'
// MALFORMED: error: pixelfly-cpu-config: malformed feature 'avx2' (expected +name or -name, e.g. +avx2,-avx512f)
// TOOBIG:   error: pixelfly-cpu-config: cpu_config tile 1024 x 16 x 8 must be positive with at most 4096 accumulators
// NEGPANEL: error: pixelfly-cpu-config: cpu_config panel_m must be in [tile_m, 1048576], got -5

func.func @layer(%x: tensor<?x64xf32>, %w: tensor<32x64xf32>, %y: tensor<?x32xf32>) -> tensor<?x32xf32> {
  %r = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
     ins(%x, %w : tensor<?x64xf32>, tensor<32x64xf32>) outs(%y : tensor<?x32xf32>) -> tensor<?x32xf32>
  return %r : tensor<?x32xf32>
}

func.func @own_target() attributes {target_cpu = "x86-64"} {
  return
}
