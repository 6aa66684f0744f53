// Elementwise epilogue (bias + ReLU) on what pixelfly-gpu-pipeline maps to
// GPU threads as plain parallel loops; checks the harness end to end.
// M: 37, 200
func.func @product(%b: memref<256xf32>, %y: memref<?x256xf32>) attributes {llvm.emit_c_interface} {
  linalg.generic {indexing_maps = [affine_map<(m, n) -> (n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]} ins(%b : memref<256xf32>) outs(%y : memref<?x256xf32>) {
  ^bb0(%bv: f32, %yv: f32):
    %s = arith.addf %yv, %bv : f32
    %z = arith.constant 0.0 : f32
    %r = arith.maximumf %s, %z : f32
    linalg.yield %r : f32
  }
  return
}
