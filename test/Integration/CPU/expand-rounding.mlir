// pixelfly-expand-rounding: f32 -> bf16 truncations with each rounding mode
// run on the CPU (through pixelfly-cpu-pipeline, which runs the pass) on
// f32 values chosen at the edges: exact, ties with an even and an odd
// lower neighbour of both signs, just above and below a bf16 value, the
// largest finite value and a value that rounds to infinity or not by mode,
// infinities, quiet and signaling NaNs of both signs (payload only in the
// low 16 bits), subnormals, zeros of both signs and pi. check_rounding.py
// computes each mode's result from the exact values (fractions) and checks
// the program's bits; a NaN must stay a NaN.
// Also: the pass's IR, and the GPU pipeline, whose NVPTX backend aborted
// on these truncations, builds kernels with them (sm_80 and sm_90a).
//
// REQUIRES: mlir-runner
// RUN: pixelfly-opt %s --pixelfly-expand-rounding | FileCheck %s --check-prefix=IR
// RUN: pixelfly-opt %s --pixelfly-cpu-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils > %t.out
// RUN: %python %S/check_rounding.py %s %t.out | FileCheck %s --check-prefix=CHECKER
// A mutation (ties toward zero instead of away) fails the check.
// RUN: sed -e 's/to_nearest_away :/toward_zero :/' %s > %t.bad.mlir
// RUN: pixelfly-opt %t.bad.mlir --pixelfly-cpu-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils > %t.bad
// RUN: not %python %S/check_rounding.py %s %t.bad
// RUN: pixelfly-opt %S/Inputs/rounding-kernels.mlir --pixelfly-gpu-pipeline=format=isa | FileCheck %s --check-prefix=GPU
// RUN: pixelfly-opt %S/Inputs/rounding-kernels.mlir --pixelfly-gpu-pipeline="chip=sm_90a format=isa" | FileCheck %s --check-prefix=GPU

// CHECKER: 5 modes x 23 values: all as expected

// The default rounding stays an arith.truncf; the others are integer code.
// IR-LABEL: func.func @round(
// IR:         arith.truncf %{{.*}} : vector<23xf32> to vector<23xbf16>
// IR-NOT:     to_nearest_even
// IR-COUNT-4: arith.trunci {{.*}} : vector<23xi32> to vector<23xi16>
// IR-NOT:     arith.truncf
// IR:         return

// GPU: gpu.binary @rounding_kernel

// The f32 bit patterns, in order (read by check_rounding.py).
// VALUES: 0x3F800000 0x3F808000 0x3F818000 0x3F800001 0x3F80FFFF 0xBF808000 0xBF818000 0xBF800001 0xBF80FFFF 0x7F7FFFFF 0xFF7FFFFF 0x7F7F8000 0x7F800000 0xFF800000 0x7FC00000 0x7F800001 0xFF800001 0x00000001 0x80000001 0x00000000 0x80000000 0x007FFFFF 0x40490FDB
func.func @round(%x: vector<23xf32>) -> (vector<23xbf16>, vector<23xbf16>, vector<23xbf16>, vector<23xbf16>, vector<23xbf16>) {
  %r0 = arith.truncf %x to_nearest_even : vector<23xf32> to vector<23xbf16>
  %r1 = arith.truncf %x toward_zero : vector<23xf32> to vector<23xbf16>
  %r2 = arith.truncf %x to_nearest_away : vector<23xf32> to vector<23xbf16>
  %r3 = arith.truncf %x upward : vector<23xf32> to vector<23xbf16>
  %r4 = arith.truncf %x downward : vector<23xf32> to vector<23xbf16>
  return %r0, %r1, %r2, %r3, %r4 : vector<23xbf16>, vector<23xbf16>, vector<23xbf16>, vector<23xbf16>, vector<23xbf16>
}

func.func @main() {
  %bits = arith.constant dense<[1065353216, 1065385984, 1065451520, 1065353217, 1065418751, -1082097664, -1082032128, -1082130431, -1082064897, 2139095039, -8388609, 2139062272, 2139095040, -8388608, 2143289344, 2139095041, -8388607, 1, -2147483647, 0, -2147483648, 8388607, 1078530011]> : vector<23xi32>
  %x = arith.bitcast %bits : vector<23xi32> to vector<23xf32>
  %r:5 = func.call @round(%x) : (vector<23xf32>) -> (vector<23xbf16>, vector<23xbf16>, vector<23xbf16>, vector<23xbf16>, vector<23xbf16>)
  %i0 = arith.bitcast %r#0 : vector<23xbf16> to vector<23xi16>
  vector.print %i0 : vector<23xi16>
  %i1 = arith.bitcast %r#1 : vector<23xbf16> to vector<23xi16>
  vector.print %i1 : vector<23xi16>
  %i2 = arith.bitcast %r#2 : vector<23xbf16> to vector<23xi16>
  vector.print %i2 : vector<23xi16>
  %i3 = arith.bitcast %r#3 : vector<23xbf16> to vector<23xi16>
  vector.print %i3 : vector<23xi16>
  %i4 = arith.bitcast %r#4 : vector<23xbf16> to vector<23xi16>
  vector.print %i4 : vector<23xi16>
  return
}
