// A 2:4 product into a temporary that is also copied out (so the kernel
// stores it), then out = Y * scale[m] + bias[n]: a per-row and a
// per-column operand loaded by the transposed epilogue.
func.func @scale_bias(%x: memref<?x384xf16>, %v: memref<128x192xf16>, %mt: memref<128x24xi16>, %scale: memref<?xf32>, %bias: memref<128xf32>, %yout: memref<?x128xf32>, %out: memref<?x128xf32>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %m = memref.dim %x, %c0 : memref<?x384xf16>
  %y = memref.alloc(%m) : memref<?x128xf32>
  linalg.fill ins(%zero : f32) outs(%y : memref<?x128xf32>)
  pixelfly.two_four_matmul ins(%x, %v, %mt : memref<?x384xf16>, memref<128x192xf16>, memref<128x24xi16>) outs(%y : memref<?x128xf32>) {pixelfly.gpu_config = #pixelfly.hopper_config<chip = "sm_90a", tile_m = 64, tile_n = 128, tile_k = 128, consumers = 1, stages = 2, cluster_m = 1, cluster_n = 1>}
  %o = memref.alloc(%m) : memref<?x128xf32>
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%y, %scale, %bias : memref<?x128xf32>, memref<?xf32>, memref<128xf32>) outs(%o : memref<?x128xf32>) {
  ^bb0(%yv: f32, %sv: f32, %bv: f32, %ov: f32):
    %p = arith.mulf %yv, %sv : f32
    %s = arith.addf %p, %bv : f32
    linalg.yield %s : f32
  }
  memref.copy %y, %yout : memref<?x128xf32> to memref<?x128xf32>
  memref.copy %o, %out : memref<?x128xf32> to memref<?x128xf32>
  memref.dealloc %y : memref<?x128xf32>
  memref.dealloc %o : memref<?x128xf32>
  return
}
