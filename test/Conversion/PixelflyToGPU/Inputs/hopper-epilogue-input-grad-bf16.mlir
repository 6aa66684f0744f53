// An input gradient into a temporary, then ReLU's backward
// g = (pre > 0 ? dX : 0) in bf16, reading the pre-activation at each
// element: fused into the epilogue of the two consumer warpgroups, dX
// never stored. Every block column has blocks.
#l = #pixelfly.block_layout<shape = 256x192, block = 64x64, row_ptr = [0, 2, 4, 5, 7], col_idx = [0, 1, 0, 1, 2, 0, 1]>
func.func @relu_grad(%dy: memref<?x256xbf16>, %b: memref<7x64x64xbf16>, %pre: memref<?x192xf32>, %out: memref<?x192xbf16>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %m = memref.dim %dy, %c0 : memref<?x256xbf16>
  %dx = memref.alloc(%m) : memref<?x192xf32>
  linalg.fill ins(%zero : f32) outs(%dx : memref<?x192xf32>)
  pixelfly.block_sparse_input_grad ins(%dy, %b : memref<?x256xbf16>, memref<7x64x64xbf16>) outs(%dx : memref<?x192xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 2, stages = 2, cluster_m = 1, cluster_n = 1>}
  %g = memref.alloc(%m) : memref<?x192xbf16>
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%dx, %pre : memref<?x192xf32>, memref<?x192xf32>) outs(%g : memref<?x192xbf16>) {
  ^bb0(%dv: f32, %pv: f32, %o: bf16):
    %pos = arith.cmpf ogt, %pv, %zero : f32
    %s = arith.select %pos, %dv, %zero : f32
    %t = arith.truncf %s : f32 to bf16
    linalg.yield %t : bf16
  }
  memref.copy %g, %out : memref<?x192xbf16> to memref<?x192xbf16>
  memref.dealloc %dx : memref<?x192xf32>
  memref.dealloc %g : memref<?x192xbf16>
  return
}
