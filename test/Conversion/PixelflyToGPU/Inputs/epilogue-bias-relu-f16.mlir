// A product into a temporary, then pre = Y + bias[n] and act = relu(pre)
// in f16: both are fused into the kernel's epilogue and Y is never stored
// (its only other uses are the zero fill and the free). Every block row
// has blocks (the fusion needs every element written); runs of 3, 2, 2
// and 1 block rows in tiles of 2 (partial tiles).
#l = #pixelfly.block_layout<shape = 256x128, block = 32x32, row_ptr = [0, 2, 4, 6, 7, 8, 10, 12, 15], col_idx = [0, 2, 0, 2, 0, 2, 1, 1, 1, 3, 1, 3, 0, 1, 2]>
func.func @bias_relu(%x: memref<?x128xf16>, %b: memref<15x32x32xf16>, %bias: memref<256xf32>, %pre: memref<?x256xf32>, %act: memref<?x256xf16>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %m = memref.dim %x, %c0 : memref<?x128xf16>
  %y = memref.alloc(%m) : memref<?x256xf32>
  linalg.fill ins(%zero : f32) outs(%y : memref<?x256xf32>)
  pixelfly.block_sparse_matmul ins(%x, %b : memref<?x128xf16>, memref<15x32x32xf16>) outs(%y : memref<?x256xf32>) layout(#l) {pixelfly.gpu_config = #pixelfly.gpu_config<chip = "sm_80", tile_m = 64, tile_n = 64, tile_k = 32, warps_m = 2, warps_n = 2, stages = 3>}
  %p = memref.alloc(%m) : memref<?x256xf32>
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%y, %bias : memref<?x256xf32>, memref<256xf32>) outs(%p : memref<?x256xf32>) {
  ^bb0(%yv: f32, %bv: f32, %o: f32):
    %s = arith.addf %yv, %bv : f32
    linalg.yield %s : f32
  }
  %a = memref.alloc(%m) : memref<?x256xf16>
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%p : memref<?x256xf32>) outs(%a : memref<?x256xf16>) {
  ^bb0(%pv: f32, %o: f16):
    %r = arith.maximumf %pv, %zero : f32
    %t = arith.truncf %r : f32 to f16
    linalg.yield %t : f16
  }
  memref.copy %p, %pre : memref<?x256xf32> to memref<?x256xf32>
  memref.copy %a, %act : memref<?x256xf16> to memref<?x256xf16>
  memref.dealloc %y : memref<?x256xf32>
  memref.dealloc %p : memref<?x256xf32>
  memref.dealloc %a : memref<?x256xf16>
  return
}
