// tma_store with a fused tail that reads Y's sums: the input gradient dX
// (f32, zero-filled, an output) goes out through the staging boxes, and
// g = max(dX, 0) in bf16 is computed from the same sums in the epilogue
// (two consumers, ragged M).
#l = #pixelfly.block_layout<shape = 256x192, block = 64x64, row_ptr = [0, 2, 4, 5, 7], col_idx = [0, 1, 0, 1, 2, 0, 1]>
func.func @relu(%dy: memref<?x256xbf16>, %b: memref<7x64x64xbf16>, %dx: memref<?x192xf32>, %out: memref<?x192xbf16>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %m = memref.dim %dy, %c0 : memref<?x256xbf16>
  linalg.fill ins(%zero : f32) outs(%dx : memref<?x192xf32>)
  pixelfly.block_sparse_input_grad ins(%dy, %b : memref<?x256xbf16>, memref<7x64x64xbf16>) outs(%dx : memref<?x192xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 128, tile_n = 128, tile_k = 64, consumers = 2, stages = 2, cluster_m = 1, cluster_n = 1, tma_store = true>}
  %g = memref.alloc(%m) : memref<?x192xbf16>
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%dx : memref<?x192xf32>) outs(%g : memref<?x192xbf16>) {
  ^bb0(%dv: f32, %o: bf16):
    %s = arith.maximumf %dv, %zero : f32
    %t = arith.truncf %s : f32 to bf16
    linalg.yield %t : bf16
  }
  memref.copy %g, %out : memref<?x192xbf16> to memref<?x192xbf16>
  memref.dealloc %g : memref<?x192xbf16>
  return
}
