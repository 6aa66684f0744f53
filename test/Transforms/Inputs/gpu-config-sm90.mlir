// sm_90 (Hopper without its architecture-specific instructions): a
// product the Hopper family would take gets the Ampere family, and the
// pass says why, once per module.
// expected-remark @below {{pixelfly-gpu-config: chip sm_90 has no wgmma (sm_90a has): the Ampere family's kernels}}
module {
  func.func @sm90(%x: tensor<?x4096xbf16>, %b: tensor<128x64x64xbf16>, %init: tensor<?x1024xf32>) -> tensor<?x1024xf32> {
    %y = pixelfly.block_sparse_matmul ins(%x, %b : tensor<?x4096xbf16>, tensor<128x64x64xbf16>) outs(%init : tensor<?x1024xf32>) layout(#pixelfly.block_layout<shape = 1024x4096, block = 64x64, source = #pixelfly.flat_butterfly<butterfly_size = 16, n_factors = 1, block = 64>>) -> tensor<?x1024xf32>
    return %y : tensor<?x1024xf32>
  }
}
