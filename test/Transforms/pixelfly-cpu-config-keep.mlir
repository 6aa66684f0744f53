// A configuration already on the module (set by hand) is kept, whatever
// the options say.
// RUN: pixelfly-opt %s --pixelfly-cpu-config="cpu=x86-64-v4 tile-m=2" | FileCheck %s
// CHECK: module attributes {pixelfly.cpu_config = #pixelfly.cpu_config<cpu = "x86-64-v3", vector_bits = 256, vector_registers = 16, tile_m = 6, tile_n = 16, tile_k = 8, panel_m = 126>}
module attributes {pixelfly.cpu_config = #pixelfly.cpu_config<cpu = "x86-64-v3", vector_bits = 256, vector_registers = 16, tile_m = 6, tile_n = 16, tile_k = 8, panel_m = 126>} {
}
