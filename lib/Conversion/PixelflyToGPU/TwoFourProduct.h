//===- TwoFourProduct.h - pixelfly.two_four_matmul for GPU kernels -*- C++ -*-//
//
// Part of the pixelfly-mlir project.
//
// What every family's 2:4 kernel reads of a pixelfly.two_four_matmul (memref
// form): operand types, N and K, and the metadata, either a compile-time
// table in the order the sparse tensor cores read it or the op's row-major
// i16 words, assembled per thread at run time. The sparse operand is the
// left one of mma.sp and wgmma.sp, so both families compute Y^T = W X^T
// and read the metadata the same way: a warp's 16 weight rows of one
// 32-column step, one 32-bit word per lane (sparsity selector 0).
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_TWOFOURPRODUCT_H
#define PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_TWOFOURPRODUCT_H

#include "KernelBuilderBase.h"

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyOps.h"

#include "mlir/IR/BuiltinTypes.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::pixelfly {

struct FusedEpilogue;

struct TwoFourProduct {
  MemRefType xType, valuesType, metadataType, initType;
  Type elementType; ///< f16 or bf16
  int64_t n = 0, k = 0;
  /// Compile-time metadata in the order the sparse MMAs read it
  /// (patterns::metadataForMma16832); empty when the metadata is only known
  /// at run time (then the kernel reads the op's row-major metadata).
  std::vector<uint32_t> mmaMetadata;
  /// init is known to be +0: the epilogue stores without loading it.
  bool zeroInit = false;
  /// Elementwise consumers of Y the epilogue computes (FusedEpilogue.h),
  /// owned by the lowering; null for none.
  const FusedEpilogue *fused = nullptr;

  /// The kernel's table of `mmaMetadata`: n/16 x k/32 x 16 words.
  MemRefType metadataTableType(MLIRContext *ctx) const;
};

/// Describes `op` for a kernel of `kernelName` (named in diagnostics), or
/// fails with the reason in `why`: operands must be plain device memrefs
/// of f16/bf16 (metadata i16) with a static weight.
FailureOr<TwoFourProduct> describeTwoFour(TwoFourMatmulOp op,
                                          llvm::StringRef kernelName,
                                          std::string &why);

/// Adds the constant global `name` holding `product.mmaMetadata` to the
/// kernel module at `b`.
void buildMetadataTable(OpBuilder &b, Location loc,
                        const TwoFourProduct &product, llvm::StringRef name);

/// The metadata word of lane `lane` for the 16 weight rows from `row0` and
/// the 32 columns `column32`: lanes 4g and 4g + 1 hold rows row0 + g (low
/// half) and row0 + g + 8 (high half) over columns 0-15 and 16-31 of the
/// step; the others, ignored under selector 0, read what their quad's
/// lanes 0 and 1 read. `metadata` is the table (when the product has one)
/// or the op's row-major metadata.
Value loadMmaMetadata(KernelBuilderBase &kb, const TwoFourProduct &product,
                      Value metadata, Value row0, Value column32, Value lane);

} // namespace mlir::pixelfly

#endif // PIXELFLY_LIB_CONVERSION_PIXELFLYTOGPU_TWOFOURPRODUCT_H
