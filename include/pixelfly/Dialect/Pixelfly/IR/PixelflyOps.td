//===- PixelflyOps.td - Pixelfly operations ----------------*- tablegen -*-===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_DIALECT_PIXELFLY_IR_PIXELFLYOPS_TD
#define PIXELFLY_DIALECT_PIXELFLY_IR_PIXELFLYOPS_TD

include "pixelfly/Dialect/Pixelfly/IR/PixelflyDialect.td"
include "pixelfly/Dialect/Pixelfly/IR/PixelflyAttrs.td"
include "mlir/Interfaces/DestinationStyleOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/OpBase.td"

//===----------------------------------------------------------------------===//
// Base classes and constraints
//===----------------------------------------------------------------------===//

// Operands are ranked tensors (value semantics) or memrefs (after
// bufferization). Ranks and element types are checked by the verifiers,
// which give better messages than ODS constraints.
def Pixelfly_Shaped : AnyTypeOf<[AnyRankedTensor, AnyMemRef],
                                "ranked tensor or memref">;

// Base of all pixelfly ops: destination style on tensors or memrefs, with
// memory effects derived from the operands' kinds.
class Pixelfly_Op<string mnemonic, list<Trait> traits = []>
    : Op<Pixelfly_Dialect, mnemonic, !listconcat(traits, [
        DeclareOpInterfaceMethods<MemoryEffectsOpInterface>,
        DestinationStyleOpInterface])> {
  let hasVerifier = 1;
}

// An op with one destination it accumulates into (or overwrites).
class Pixelfly_SingleInitOp<string mnemonic, list<Trait> traits = []>
    : Pixelfly_Op<mnemonic, traits> {
  let results = (outs Optional<AnyRankedTensor>:$result);
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getInitMutable();
    }
  }];
}

//===----------------------------------------------------------------------===//
// Block-sparse products
//===----------------------------------------------------------------------===//

def Pixelfly_BlockSparseMatmulOp
    : Pixelfly_SingleInitOp<"block_sparse_matmul"> {
  let summary = "block-sparse linear layer: Y = init + X * W^T";
  let description = [{
    Forward product of a linear layer whose `N x K` weight `W` is
    block-sparse on the static `layout`:

    ```
    Y[m, n] = init[m, n] + sum_k X[m, k] * W[n, k]
    ```

    `x` is `M x K`, `blocks` is `nnz x bm x bk` (the stored blocks of `W` in
    the layout's CSR order) and `init` is `M x N`. `M` may be dynamic; `N`
    and `K` are fixed by the layout.

    Example:

    ```mlir
    #l = #pixelfly.block_layout<shape = 64x128, block = 32x32,
                                row_ptr = [0, 2, 3], col_idx = [0, 2, 3]>
    %y = pixelfly.block_sparse_matmul
           ins(%x, %blocks : tensor<?x128xbf16>, tensor<3x32x32xbf16>)
           outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
    ```
  }];
  let arguments = (ins Pixelfly_Shaped:$x, Pixelfly_Shaped:$blocks,
                       Pixelfly_Shaped:$init,
                       Pixelfly_BlockLayoutAttr:$layout);
  let assemblyFormat = [{
    `ins` `(` $x `,` $blocks `:` type($x) `,` type($blocks) `)`
    `outs` `(` $init `:` type($init) `)`
    `layout` `(` $layout `)` attr-dict (`->` type($result)^)?
  }];
  let hasCanonicalizer = 1;
}

def Pixelfly_BlockSparseInputGradOp
    : Pixelfly_SingleInitOp<"block_sparse_input_grad"> {
  let summary = "input gradient of a block-sparse layer: dX = init + dY * W";
  let description = [{
    Backward product with respect to the input of a block-sparse linear
    layer:

    ```
    dX[m, k] = init[m, k] + sum_n dY[m, n] * W[n, k]
    ```

    `dy` is `M x N`, `blocks` is `nnz x bm x bk` on `layout` and `init` is
    `M x K`.

    Example:

    ```mlir
    %dx = pixelfly.block_sparse_input_grad
            ins(%dy, %blocks : tensor<16x64xf16>, tensor<3x32x32xf16>)
            outs(%init : tensor<16x128xf32>) layout(#l) -> tensor<16x128xf32>
    ```
  }];
  let arguments = (ins Pixelfly_Shaped:$dy, Pixelfly_Shaped:$blocks,
                       Pixelfly_Shaped:$init,
                       Pixelfly_BlockLayoutAttr:$layout);
  let assemblyFormat = [{
    `ins` `(` $dy `,` $blocks `:` type($dy) `,` type($blocks) `)`
    `outs` `(` $init `:` type($init) `)`
    `layout` `(` $layout `)` attr-dict (`->` type($result)^)?
  }];
  let hasCanonicalizer = 1;
}

def Pixelfly_BlockSparseWeightGradOp
    : Pixelfly_SingleInitOp<"block_sparse_weight_grad"> {
  let summary = "sampled weight gradient: dW = init + (dY^T * X) on the layout";
  let description = [{
    Weight gradient of a block-sparse linear layer, computed only on the
    stored blocks of `layout` (a sampled dense-dense product):

    ```
    dW[b, i, j] = init[b, i, j] + sum_m dY[m, r * bm + i] * X[m, c * bk + j]
    ```

    where block `b` sits at block row `r` and block column `c`. `dy` is
    `M x N`, `x` is `M x K` and `init` is `nnz x bm x bk`.

    Example:

    ```mlir
    %dw = pixelfly.block_sparse_weight_grad
            ins(%dy, %x : tensor<16x64xbf16>, tensor<16x128xbf16>)
            outs(%init : tensor<3x32x32xf32>) layout(#l) -> tensor<3x32x32xf32>
    ```
  }];
  let arguments = (ins Pixelfly_Shaped:$dy, Pixelfly_Shaped:$x,
                       Pixelfly_Shaped:$init,
                       Pixelfly_BlockLayoutAttr:$layout);
  let assemblyFormat = [{
    `ins` `(` $dy `,` $x `:` type($dy) `,` type($x) `)`
    `outs` `(` $init `:` type($init) `)`
    `layout` `(` $layout `)` attr-dict (`->` type($result)^)?
  }];
  let hasCanonicalizer = 1;
}

//===----------------------------------------------------------------------===//
// Low-rank product and the Pixelfly linear layer
//===----------------------------------------------------------------------===//

def Pixelfly_LowRankMatmulOp : Pixelfly_SingleInitOp<"low_rank_matmul"> {
  let summary = "low-rank linear layer: Y = init + (X * V) * U^T";
  let description = [{
    Linear layer whose weight is the low-rank product `W = U * V^T`:

    ```
    Y[m, n] = init[m, n] + sum_r (sum_k X[m, k] * V[k, r]) * U[n, r]
    ```

    `x` is `M x K`, `u` is `N x r`, `v` is `K x r` and `init` is `M x N`.
    The rank may be 0, in which case the op only returns `init`.

    Example:

    ```mlir
    %y = pixelfly.low_rank_matmul
           ins(%x, %u, %v : tensor<?x128xf16>, tensor<64x16xf16>,
                            tensor<128x16xf16>)
           outs(%init : tensor<?x64xf32>) -> tensor<?x64xf32>
    ```
  }];
  let arguments = (ins Pixelfly_Shaped:$x, Pixelfly_Shaped:$u,
                       Pixelfly_Shaped:$v, Pixelfly_Shaped:$init);
  let assemblyFormat = [{
    `ins` `(` $x `,` $u `,` $v `:` type($x) `,` type($u) `,` type($v) `)`
    `outs` `(` $init `:` type($init) `)` attr-dict (`->` type($result)^)?
  }];
  let hasCanonicalizer = 1;
}

def Pixelfly_LinearOp : Pixelfly_SingleInitOp<"linear",
                                              [AttrSizedOperandSegments]> {
  let summary = "Pixelfly layer: block butterfly plus low-rank, mixed by gamma";
  let description = [{
    The Pixelfly linear layer, with `W = gamma * B + (1 - gamma) * U * V^T`:

    ```
    Y[m, n] = init[m, n] + g(m) * sum_k X[m, k] * B[n, k]
                         + (1 - g(m)) * sum_r (X * V)[m, r] * U[n, r]
    ```

    `B` is block-sparse on `layout` (its blocks in `blocks`), `u` is `N x r`
    and `v` is `K x r`. The mixing weight `g` is one of:

    * a compile-time constant, `gamma(0.25)`; a constant gamma can be folded
      into the weights, and the canonicalizer drops the low-rank term for
      gamma 1 and the sparse term for gamma 0;
    * a scalar operand, `gamma(%g : f32)` (a learned scalar);
    * a per-row operand of `M` values, `gamma(%g : tensor<?xf32>)` (the
      reference implementation's per-token sigmoid gate).

    The caller may pass the low-rank term's left factor it has computed
    anyway, `xv(%t : tensor<?x16xbf16>)`: `M x r`, `X * V` as the caller rounded
    it (a training step reads `X V` and `dY U` for the factors' gradients
    too). The op then reads `t` in place of computing `X * V`:

    ```
    Y[m, n] = init[m, n] + g(m) * sum_k X[m, k] * B[n, k]
                         + (1 - g(m)) * sum_r t[m, r] * U[n, r]
    ```

    `v` still describes the layer: the op is the layer when `t` is `X * V`
    up to rounding, and a rewrite that drops `t` computes `X * V` again.

    Example:

    ```mlir
    %y = pixelfly.linear
           ins(%x, %blocks, %u, %v : tensor<?x128xbf16>, tensor<3x32x32xbf16>,
                                    tensor<64x16xbf16>, tensor<128x16xbf16>)
           gamma(%g : tensor<?xf32>)
           outs(%init : tensor<?x64xf32>) layout(#l) -> tensor<?x64xf32>
    ```
  }];
  let arguments = (ins Pixelfly_Shaped:$x, Pixelfly_Shaped:$blocks,
                       Pixelfly_Shaped:$u, Pixelfly_Shaped:$v,
                       Optional<Pixelfly_Shaped>:$xv,
                       Optional<AnyType>:$gamma, Pixelfly_Shaped:$init,
                       Pixelfly_BlockLayoutAttr:$layout,
                       OptionalAttr<F64Attr>:$gamma_const);
  let assemblyFormat = [{
    `ins` `(` $x `,` $blocks `,` $u `,` $v `:` type($x) `,` type($blocks) `,`
              type($u) `,` type($v) `)`
    (`xv` `(` $xv^ `:` type($xv) `)`)?
    `gamma` `(` custom<Gamma>($gamma, type($gamma), $gamma_const) `)`
    `outs` `(` $init `:` type($init) `)`
    `layout` `(` $layout `)` attr-dict (`->` type($result)^)?
  }];
  let hasCanonicalizer = 1;
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getInitMutable();
    }
    /// Kind of gamma the op carries.
    bool hasConstantGamma() { return getGammaConst().has_value(); }
    bool hasPerRowGamma() {
      return getGamma() && ::mlir::isa<::mlir::ShapedType>(getGamma().getType());
    }
  }];
}

//===----------------------------------------------------------------------===//
// 2:4 semi-structured sparsity
//===----------------------------------------------------------------------===//

defvar TwoFourFormatDoc = [{
    **Compressed 2:4 format.** A weight `W` of `N x K` (`K` a multiple of
    16) is stored as `values` of `N x K/2` (same element type as `W`) and
    `metadata` of `N x K/16` `i16`. Group `g` of row `n` covers
    `W[n, 4g .. 4g + 3]`; its two kept entries are
    `values[n, 2g]` at column `4g + i0` and `values[n, 2g + 1]` at column
    `4g + i1`, with `i0 < i1`. The indices are packed as one 4-bit nibble
    per group, `i0` in the low two bits and `i1` in the high two bits, and
    four consecutive groups per `i16`: group `g` is nibble `g mod 4` (least
    significant first) of `metadata[n, g / 4]`. This is the per-row content
    of the metadata register of the sparse tensor-core instructions
    (`mma.sp` for 16-bit types). For example, the row
    `[0, 5, 0, 7 | 1, 0, 0, 2 | ...]` keeps columns 1 and 3 (nibble
    `0b1101`) then 0 and 3 (nibble `0b1100`), so `values` starts with
    `5, 7, 1, 2` and the low byte of `metadata[n, 0]` is `0xCD`.

    **Order of the sparse tensor cores (GPU).** `mma.sp` m16n8k32 (f16 or
    bf16, sparsity selector 0) multiplies a 16 x 32 tile `(r, c)` of `W`
    (rows `16r ..`, columns `32c ..`) given as the 16 x 16 block of
    `values` at rows `16r ..`, columns `16c ..` (loaded with `ldmatrix` as
    a dense A fragment, so `values` is read in the row-major order above)
    and one 32-bit metadata word per lane `4g + h` (`g` = 0 .. 7, `h` = 0,
    1; lanes `4g + 2` and `4g + 3` pass none): its low 16 bits are
    `metadata[16r + g, 2c + h]` and its high 16 bits
    `metadata[16r + g + 8, 2c + h]` (rows `g` and `g + 8`, columns
    `16h .. 16h + 15` of the tile). `convert-pixelfly-to-gpu` stores
    compile-time metadata as these words, `N/16 x K/32 x 16` `i32` in
    (tile row, tile column, word `2g + h`) order, so a lane loads one word
    and a warp one 64-byte line per tile; metadata known only at run time
    is read in the format above, two 16-bit loads per word. For example,
    when rows 0 and 8 of `metadata` start with `0x8888, 0xCCCC` and
    `0x4444, 0xEEEE`, words 0 and 1 of tile (0, 0) are `0x44448888` (lane
    0) and `0xEEEECCCC` (lane 1).
}];

def Pixelfly_TwoFourMatmulOp : Pixelfly_SingleInitOp<"two_four_matmul"> {
  let summary = "2:4-sparse linear layer: Y = init + X * W^T";
  let description = !strconcat([{
    Forward product of a linear layer whose `N x K` weight is 2:4-sparse
    along `K`, given in compressed form:

    ```
    Y[m, n] = init[m, n] + sum_g (X[m, 4g + i0] * values[n, 2g]
                                  + X[m, 4g + i1] * values[n, 2g + 1])
    ```

    `x` is `M x K`, `values` is `N x K/2`, `metadata` is `N x K/16` `i16`
    and `init` is `M x N`.

  }], TwoFourFormatDoc, [{

    Example:

    ```mlir
    %y = pixelfly.two_four_matmul
           ins(%x, %values, %meta : tensor<?x64xf16>, tensor<32x32xf16>,
                                    tensor<32x4xi16>)
           outs(%init : tensor<?x32xf32>) -> tensor<?x32xf32>
    ```
  }]);
  let arguments = (ins Pixelfly_Shaped:$x, Pixelfly_Shaped:$values,
                       Pixelfly_Shaped:$metadata, Pixelfly_Shaped:$init);
  let assemblyFormat = [{
    `ins` `(` $x `,` $values `,` $metadata `:` type($x) `,` type($values) `,`
              type($metadata) `)`
    `outs` `(` $init `:` type($init) `)` attr-dict (`->` type($result)^)?
  }];
}

def Pixelfly_Prune24Op : Pixelfly_Op<"prune_2_4"> {
  let summary = "prune a dense weight to 2:4 and compress it";
  let description = !strconcat([{
    Selects two of every four consecutive entries of each row of the dense
    `N x K` weight `input` and writes them in the compressed 2:4 format
    (described below) to the first two `outs` operands, which it overwrites.

    Selection keeps the two entries of largest magnitude; ties go to the
    lower index, and a NaN is never kept over a number (NaNs rank below
    every number, so a group of NaNs keeps its first two). The choice is
    deterministic.

    With `transposable`, the mask is chosen so that every aligned `4 x 4`
    tile keeps exactly two entries in each row and in each column, which
    makes `W^T` 2:4 as well (for the backward product of training). The
    tile's mask is the best of the 90 such masks: the fewest NaNs kept, then
    the most infinities, then the largest sum of kept magnitudes; remaining
    ties go to the mask that keeps the earliest entries in row-major order
    (each row's pair taken from (0,1), (0,2), (0,3), (1,2), (1,3), (2,3),
    first rows first). A greedy pick over sorted magnitudes is not used: it
    can dead-end before every row and column has two entries. The op may
    then have four `outs`: the compressed
    `W` (`N x K/2` values, `N x K/16` metadata) followed by the compressed
    `W^T` (`K x N/2` values, `K x N/16` metadata), in which case `N` must be
    a multiple of 16 too.

  }], TwoFourFormatDoc, [{

    Example:

    ```mlir
    %v, %m = pixelfly.prune_2_4 ins(%w : tensor<64x128xbf16>)
               outs(%v0, %m0 : tensor<64x64xbf16>, tensor<64x8xi16>)
               -> tensor<64x64xbf16>, tensor<64x8xi16>
    %v1, %m1, %vt, %mt = pixelfly.prune_2_4 transposable
               ins(%w : tensor<64x128xbf16>)
               outs(%v0, %m0, %vt0, %mt0 : tensor<64x64xbf16>, tensor<64x8xi16>,
                                           tensor<128x32xbf16>, tensor<128x4xi16>)
               -> tensor<64x64xbf16>, tensor<64x8xi16>, tensor<128x32xbf16>,
                  tensor<128x4xi16>
    ```
  }]);
  let arguments = (ins Pixelfly_Shaped:$input,
                       Variadic<Pixelfly_Shaped>:$outputs,
                       UnitAttr:$transposable);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let assemblyFormat = [{
    (`transposable` $transposable^)?
    `ins` `(` $input `:` type($input) `)`
    `outs` `(` $outputs `:` type($outputs) `)` attr-dict
    (`->` type($results)^)?
  }];
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getOutputsMutable();
    }
  }];
}

//===----------------------------------------------------------------------===//
// Structured to dense
//===----------------------------------------------------------------------===//

def Pixelfly_DensifyOp : Pixelfly_SingleInitOp<"densify"> {
  let summary = "block-sparse weight to dense";
  let description = [{
    Writes the dense `N x K` weight described by `blocks` on `layout` into
    `init`, which it overwrites: entries outside the stored blocks become 0.
    Used for references and dense fallbacks.

    Example:

    ```mlir
    %w = pixelfly.densify ins(%blocks : tensor<3x32x32xf16>)
           outs(%init : tensor<64x128xf16>) layout(#l) -> tensor<64x128xf16>
    ```
  }];
  let arguments = (ins Pixelfly_Shaped:$blocks, Pixelfly_Shaped:$init,
                       Pixelfly_BlockLayoutAttr:$layout);
  let assemblyFormat = [{
    `ins` `(` $blocks `:` type($blocks) `)`
    `outs` `(` $init `:` type($init) `)`
    `layout` `(` $layout `)` attr-dict (`->` type($result)^)?
  }];
}

def Pixelfly_Densify24Op : Pixelfly_SingleInitOp<"densify_2_4"> {
  let summary = "compressed 2:4 weight to dense";
  let description = !strconcat([{
    Writes the dense `N x K` weight described by the compressed 2:4 `values`
    and `metadata` into `init`, which it overwrites; entries that are not
    kept become 0 (should both indices of a group be equal, the two values
    are added).

  }], TwoFourFormatDoc, [{

    Example:

    ```mlir
    %w = pixelfly.densify_2_4
           ins(%values, %meta : tensor<32x32xf16>, tensor<32x4xi16>)
           outs(%init : tensor<32x64xf16>) -> tensor<32x64xf16>
    ```
  }]);
  let arguments = (ins Pixelfly_Shaped:$values, Pixelfly_Shaped:$metadata,
                       Pixelfly_Shaped:$init);
  let assemblyFormat = [{
    `ins` `(` $values `,` $metadata `:` type($values) `,` type($metadata) `)`
    `outs` `(` $init `:` type($init) `)` attr-dict (`->` type($result)^)?
  }];
}

#endif // PIXELFLY_DIALECT_PIXELFLY_IR_PIXELFLYOPS_TD
