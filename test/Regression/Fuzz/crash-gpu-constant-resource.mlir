// RUN: pixelfly-opt --pixelfly-gpu-pipeline=format=isa -split-input-file %s -o /dev/null 2>&1 | FileCheck %s
// Fuzz finding (smoke campaign, seed 1, run 219, from
// test/Transforms/pixelfly-sparsify.mlir#9 with 16 -> 2^35): SIGFPE in
// LLVM translation (getLLVMConstant) of a compile-time weight that
// pixelfly-gpu-device-constants had copied into the kernel's module: a
// dense_resource of 2^70 elements whose blob holds 13 floats. Constants of
// more than 2^36 elements, and resources whose blob does not hold their
// type's bytes, stay where they are, with a remark.

// CHECK: remark: pixelfly-gpu-device-constants: argument {{[0-9]+}} of kernel @resource_kernel is the host global @{{.+}}, of more than 2^36 elements, too large for a module image; left as it is (a kernel cannot read host memory)
#lr = #pixelfly.plan<structure = low_rank, rank = 34359738368>
func.func @resource(%x: tensor<8x34359738368xf32>, %acc: tensor<8x34359738368xf32>) -> tensor<8x34359738368xf32> {
  %w = arith.constant dense_resource<weight_blob> : tensor<34359738368x34359738368xf32>
  %y = linalg.matmul {pixelfly.plan = #lr} ins(%x, %w : tensor<8x34359738368xf32>, tensor<34359738368x34359738368xf32>) outs(%acc : tensor<8x34359738368xf32>) -> tensor<8x34359738368xf32>
  return %y : tensor<8x34359738368xf32>
}
{-#
  dialect_resources: {
    builtin: {
      weight_blob: "0x040000000000803F00000000000000000000000000000000000000000000000000000000000000000000000000000000000000803F"
    }
  }
#-}

// -----

// CHECK: remark: pixelfly-gpu-device-constants: argument {{[0-9]+}} of kernel @short_kernel is the host global @{{.+}}, whose resource holds 8 bytes for 64; left as it is (a kernel cannot read host memory)
func.func @short(%x: tensor<8x4xf32>, %acc: tensor<8x4xf32>) -> tensor<8x4xf32> {
  %w = arith.constant dense_resource<short_blob> : tensor<4x4xf32>
  %y = linalg.matmul ins(%x, %w : tensor<8x4xf32>, tensor<4x4xf32>) outs(%acc : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %y : tensor<8x4xf32>
}
{-#
  dialect_resources: {
    builtin: {
      short_blob: "0x040000000000803F0000803F"
    }
  }
#-}
