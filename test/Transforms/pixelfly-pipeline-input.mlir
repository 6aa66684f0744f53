// RUN: pixelfly-opt %s --pixelfly-pipeline-input -split-input-file -verify-diagnostics | FileCheck %s

// Dimensions outside the rank are undefined: read as 0, with a warning
// (upstream's GPU canonicalization of memref.dim would read the shape
// there). In-range and run-time indices stay.
// CHECK-LABEL: func.func @dims(
// CHECK-SAME:      %[[M:.+]]: memref<?x256xf32>, %[[T:.+]]: tensor<?x8xf32>, %[[I:.+]]: index)
// CHECK:         %[[ROWS:.+]] = memref.dim %[[M]], %{{.+}} : memref<?x256xf32>
// CHECK-NEXT:    %[[Z1:.+]] = arith.constant 0 : index
// CHECK-NEXT:    %[[Z2:.+]] = arith.constant 0 : index
// CHECK-NEXT:    %[[ANY:.+]] = tensor.dim %[[T]], %[[I]]
// CHECK-NEXT:    return %[[ROWS]], %[[Z1]], %[[Z2]], %[[ANY]]
func.func @dims(%m: memref<?x256xf32>, %t: tensor<?x8xf32>, %i: index) -> (index, index, index, index) {
  %c0 = arith.constant 0 : index
  %cn = arith.constant -1 : index
  %c2 = arith.constant 2 : index
  %rows = memref.dim %m, %c0 : memref<?x256xf32>
  // expected-warning @below {{pixelfly-pipeline-input: dimension -1 of a value of rank 2 is undefined: read as 0}}
  %neg = memref.dim %m, %cn : memref<?x256xf32>
  // expected-warning @below {{pixelfly-pipeline-input: dimension 2 of a value of rank 2 is undefined: read as 0}}
  %past = tensor.dim %t, %c2 : tensor<?x8xf32>
  %any = tensor.dim %t, %i : tensor<?x8xf32>
  return %rows, %neg, %past, %any : index, index, index, index
}

// -----

// A constant needs a static shape (a dense_resource does not check).
func.func @dynamic_constant() -> tensor<?x4xf32> {
  // expected-error @below {{pixelfly-pipeline-input: a constant of type 'tensor<?x4xf32>' (a constant needs a static shape)}}
  %w = arith.constant dense_resource<blob> : tensor<?x4xf32>
  return %w : tensor<?x4xf32>
}
{-#
  dialect_resources: {
    builtin: {
    }
  }
#-}

// -----

// Static constants, poison of any shape and unranked values pass
// unchanged.
// CHECK-LABEL: func.func @unchanged(
// CHECK:         arith.constant dense<1.000000e+00> : tensor<2x4xf32>
// CHECK:         ub.poison : tensor<?x4xf32>
// CHECK:         memref.dim %{{.+}}, %{{.+}} : memref<*xf32>
func.func @unchanged(%u: memref<*xf32>) -> (tensor<2x4xf32>, tensor<?x4xf32>, index) {
  %w = arith.constant dense<1.0> : tensor<2x4xf32>
  %p = ub.poison : tensor<?x4xf32>
  %c5 = arith.constant 5 : index
  %d = memref.dim %u, %c5 : memref<*xf32>
  return %w, %p, %d : tensor<2x4xf32>, tensor<?x4xf32>, index
}
