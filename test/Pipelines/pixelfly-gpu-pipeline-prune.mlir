// pixelfly.prune_2_4 through pixelfly-gpu-pipeline: one kernel, one thread
// per metadata word (16 columns), 4096 x 1024 -> 4096 x 64 words -> 1024
// blocks of 256 threads; the outputs are device allocations.
// In the PTX: two 16-byte loads of the weight, one 16-byte store of the 8
// kept values, one 16-bit store of the metadata word per thread, and no
// branch but the bounds check (the selection is compares and selects).
// RUN: pixelfly-opt %s --pixelfly-gpu-pipeline="lower-to-llvm=false" | FileCheck %s
// RUN: pixelfly-opt %s --pixelfly-gpu-pipeline -o %t.mlir
// RUN: %python %S/../Conversion/PixelflyToGPU/extract_ptx.py %t.mlir > %t.ptx
// RUN: grep -c 'ld.global.v4.b32' %t.ptx | FileCheck %s --check-prefix=LOADS
// RUN: grep -c 'st.global.v4.b32' %t.ptx | FileCheck %s --check-prefix=ONE
// RUN: grep -c 'st.global.b16' %t.ptx | FileCheck %s --check-prefix=ONE
// RUN: grep -c 'bra' %t.ptx | FileCheck %s --check-prefix=ONE
// RUN: %if ptxas %{ %ptxas -arch=sm_80 %t.ptx -o %t.cubin %}

// CHECK-LABEL: func.func @prune(
// CHECK:         %[[V:.+]], %{{.+}} = gpu.alloc async [%{{.+}}] () : memref<4096x512xf16>
// CHECK:         %[[M:.+]], %{{.+}} = gpu.alloc async [%{{.+}}] () : memref<4096x64xi16>
// CHECK:         gpu.launch_func @pixelfly_kernels::@prune_prune_2_4 blocks in (%c1024{{.*}}, %c1{{.*}}, %c1{{.*}}) threads in (%c256{{.*}}, %c1{{.*}}, %c1{{.*}}) args(%{{.+}} : memref<4096x1024xf16>, %[[V]] : memref<4096x512xf16>, %[[M]] : memref<4096x64xi16>)
// CHECK:         return %[[V]], %[[M]]
// LOADS: {{^}}2{{$}}
// ONE: {{^}}1{{$}}
func.func @prune(%w: tensor<4096x1024xf16>) -> (tensor<4096x512xf16>, tensor<4096x64xi16>) {
  %v0 = tensor.empty() : tensor<4096x512xf16>
  %m0 = tensor.empty() : tensor<4096x64xi16>
  %v, %m = pixelfly.prune_2_4 ins(%w : tensor<4096x1024xf16>) outs(%v0, %m0 : tensor<4096x512xf16>, tensor<4096x64xi16>) -> tensor<4096x512xf16>, tensor<4096x64xi16>
  return %v, %m : tensor<4096x512xf16>, tensor<4096x64xi16>
}
