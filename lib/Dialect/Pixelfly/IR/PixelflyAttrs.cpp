//===- PixelflyAttrs.cpp - Pixelfly attributes ----------------------------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyAttrs.h"
#include "pixelfly/Dialect/Pixelfly/IR/PixelflyDialect.h"
#include "pixelfly/Patterns/Butterfly.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::pixelfly;

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyEnums.cpp.inc"

#include "pixelfly/Dialect/Pixelfly/IR/PixelflyAttrInterfaces.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "pixelfly/Dialect/Pixelfly/IR/PixelflyAttrs.cpp.inc"

void PixelflyDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "pixelfly/Dialect/Pixelfly/IR/PixelflyAttrs.cpp.inc"
      >();
}

static patterns::FlatButterflyParams toParams(FlatButterflyAttr attr) {
  return {attr.getButterflySize(), attr.getNFactors(), attr.getBlock(),
          attr.getGlobalSize()};
}

//===----------------------------------------------------------------------===//
// FlatButterflyAttr
//===----------------------------------------------------------------------===//

LogicalResult
FlatButterflyAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                          int64_t butterflySize, int64_t nFactors,
                          int64_t block, int64_t globalSize) {
  std::string err = patterns::verifyFlatButterfly(
      {butterflySize, nFactors, block, globalSize});
  if (!err.empty())
    return emitError() << "invalid flat butterfly: " << err;
  return success();
}

FailureOr<BlockLayoutAttr>
FlatButterflyAttr::materialize(int64_t n, int64_t k,
                               function_ref<InFlightDiagnostic()> emitError)
    const {
  patterns::FlatButterflyParams params = toParams(*this);
  std::string err = patterns::verifyFlatButterflyShape(params, n, k);
  if (!err.empty())
    return emitError() << "cannot materialize flat butterfly: " << err;
  patterns::BlockLayout layout = patterns::flatButterflyLayout(params, n, k);
  return BlockLayoutAttr::get(getContext(), n, k, layout.bm, layout.bk,
                              layout.rowPtr, layout.colIdx, *this);
}

//===----------------------------------------------------------------------===//
// BlockLayoutAttr
//===----------------------------------------------------------------------===//

double BlockLayoutAttr::getDensity() const {
  int64_t total = getNumBlockRows() * getNumBlockCols();
  return total == 0 ? 0.0 : static_cast<double>(getNumBlocks()) / total;
}

LogicalResult
BlockLayoutAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                        int64_t numRows, int64_t numCols, int64_t blockRows,
                        int64_t blockCols, ArrayRef<int64_t> rowPtr,
                        ArrayRef<int64_t> colIdx, FlatButterflyAttr source) {
  if (numRows < 1 || numCols < 1)
    return emitError() << "block layout shape " << numRows << "x" << numCols
                       << " must be positive";
  if (blockRows < 1 || blockCols < 1)
    return emitError() << "block layout block " << blockRows << "x"
                       << blockCols << " must be positive";
  if (numRows % blockRows != 0 || numCols % blockCols != 0)
    return emitError() << "block layout shape " << numRows << "x" << numCols
                       << " is not divisible by the block " << blockRows
                       << "x" << blockCols;
  int64_t numBlockRows = numRows / blockRows;
  int64_t numBlockCols = numCols / blockCols;
  if (static_cast<int64_t>(rowPtr.size()) != numBlockRows + 1)
    return emitError() << "block layout row_ptr has " << rowPtr.size()
                       << " entries, expected " << numBlockRows + 1
                       << " (number of block rows + 1)";
  if (rowPtr.front() != 0)
    return emitError() << "block layout row_ptr must start at 0, got "
                       << rowPtr.front();
  for (int64_t i = 0; i < numBlockRows; ++i)
    if (rowPtr[i + 1] < rowPtr[i])
      return emitError() << "block layout row_ptr must be non-decreasing, "
                            "but entry "
                         << i + 1 << " (" << rowPtr[i + 1]
                         << ") is smaller than entry " << i << " ("
                         << rowPtr[i] << ")";
  if (rowPtr.back() != static_cast<int64_t>(colIdx.size()))
    return emitError() << "block layout row_ptr ends at " << rowPtr.back()
                       << " but col_idx has " << colIdx.size() << " entries";
  for (int64_t i = 0; i < numBlockRows; ++i) {
    for (int64_t p = rowPtr[i]; p < rowPtr[i + 1]; ++p) {
      if (colIdx[p] < 0 || colIdx[p] >= numBlockCols)
        return emitError() << "block layout column index " << colIdx[p]
                           << " of block row " << i
                           << " is out of range [0, " << numBlockCols << ")";
      if (p > rowPtr[i] && colIdx[p] <= colIdx[p - 1])
        return emitError() << "block layout column indices of block row " << i
                           << " must be strictly increasing, got "
                           << colIdx[p - 1] << " then " << colIdx[p];
    }
  }
  if (source) {
    patterns::FlatButterflyParams params = toParams(source);
    std::string err =
        patterns::verifyFlatButterflyShape(params, numRows, numCols);
    if (!err.empty())
      return emitError() << "block layout source cannot be materialized: "
                         << err;
    patterns::BlockLayout expected =
        patterns::flatButterflyLayout(params, numRows, numCols);
    if (expected.bm != blockRows || expected.bk != blockCols ||
        ArrayRef<int64_t>(expected.rowPtr) != rowPtr ||
        ArrayRef<int64_t>(expected.colIdx) != colIdx)
      return emitError() << "block layout does not match its source " << source;
  }
  return success();
}

static ParseResult parseIntList(AsmParser &parser,
                                SmallVectorImpl<int64_t> &values) {
  return parser.parseCommaSeparatedList(
      AsmParser::Delimiter::Square, [&]() -> ParseResult {
        int64_t v;
        if (parser.parseInteger(v))
          return failure();
        values.push_back(v);
        return success();
      });
}

static ParseResult parse2D(AsmParser &parser, StringRef name, int64_t &a,
                           int64_t &b) {
  SmallVector<int64_t, 2> dims;
  SMLoc loc = parser.getCurrentLocation();
  if (parser.parseKeyword(name) || parser.parseEqual() ||
      parser.parseDimensionList(dims, /*allowDynamic=*/false,
                                /*withTrailingX=*/false))
    return failure();
  if (dims.size() != 2)
    return parser.emitError(loc) << "expected '" << name << "' as RxC";
  a = dims[0];
  b = dims[1];
  return success();
}

// Syntax:
//   `<` `shape` `=` N `x` K `,` `block` `=` BM `x` BK
//       (`,` `row_ptr` `=` `[`ints`]` `,` `col_idx` `=` `[`ints`]`)?
//       (`,` `source` `=` flat-butterfly-attr)? `>`
// At least one of the CSR arrays or the source must be present; given only a
// source, the arrays are materialized from it.
Attribute BlockLayoutAttr::parse(AsmParser &parser, Type) {
  SMLoc loc = parser.getCurrentLocation();
  int64_t n, k, bm, bk;
  if (parser.parseLess() || parse2D(parser, "shape", n, k) ||
      parser.parseComma() || parse2D(parser, "block", bm, bk))
    return {};
  SmallVector<int64_t> rowPtr, colIdx;
  bool hasArrays = false;
  FlatButterflyAttr source;
  while (succeeded(parser.parseOptionalComma())) {
    SMLoc keyLoc = parser.getCurrentLocation();
    if (succeeded(parser.parseOptionalKeyword("row_ptr"))) {
      if (hasArrays) {
        parser.emitError(keyLoc, "block layout has more than one 'row_ptr'");
        return {};
      }
      if (parser.parseEqual() || parseIntList(parser, rowPtr) ||
          parser.parseComma() || parser.parseKeyword("col_idx") ||
          parser.parseEqual() || parseIntList(parser, colIdx))
        return {};
      hasArrays = true;
      continue;
    }
    if (parser.parseKeyword("source"))
      return {};
    if (source) {
      parser.emitError(keyLoc, "block layout has more than one 'source'");
      return {};
    }
    if (parser.parseEqual() || parser.parseAttribute(source))
      return {};
  }
  if (parser.parseGreater())
    return {};
  auto emitError = [&] { return parser.emitError(loc); };
  if (!hasArrays) {
    if (!source) {
      parser.emitError(loc, "block layout needs row_ptr and col_idx, or a "
                            "source to materialize them from");
      return {};
    }
    FailureOr<BlockLayoutAttr> layout = source.materialize(n, k, emitError);
    if (failed(layout))
      return {};
    if (layout->getBlockRows() != bm || layout->getBlockCols() != bk) {
      emitError() << "block layout block " << bm << "x" << bk
                  << " differs from its source's block " << source.getBlock();
      return {};
    }
    return *layout;
  }
  if (rowPtr.empty()) {
    emitError() << "block layout row_ptr must not be empty";
    return {};
  }
  return BlockLayoutAttr::getChecked(emitError, parser.getContext(), n, k, bm,
                                     bk, rowPtr, colIdx, source);
}

void BlockLayoutAttr::print(AsmPrinter &printer) const {
  printer << "<shape = " << getNumRows() << "x" << getNumCols()
          << ", block = " << getBlockRows() << "x" << getBlockCols();
  // With a source the arrays are derived; the verifier guarantees they match.
  if (!getSource()) {
    printer << ", row_ptr = [";
    llvm::interleaveComma(getRowPtr(), printer);
    printer << "], col_idx = [";
    llvm::interleaveComma(getColIdx(), printer);
    printer << "]";
  } else {
    printer << ", source = ";
    printer.printAttribute(getSource());
  }
  printer << ">";
}

//===----------------------------------------------------------------------===//
// PlanAttr
//===----------------------------------------------------------------------===//

LogicalResult PlanAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               Structure structure, FlatButterflyAttr pattern,
                               int64_t rank, bool transposable) {
  if (rank < 0)
    return emitError() << "plan rank must be non-negative, got " << rank;
  if (structure == Structure::Butterfly && !pattern)
    return emitError() << "plan with structure 'butterfly' needs a pattern";
  if (structure != Structure::Butterfly && pattern)
    return emitError() << "plan with structure '"
                       << stringifyStructure(structure)
                       << "' must not have a pattern";
  if (structure == Structure::LowRank && rank == 0)
    return emitError() << "plan with structure 'low_rank' needs a positive "
                          "rank";
  if ((structure == Structure::Dense || structure == Structure::TwoFour) &&
      rank != 0)
    return emitError() << "plan with structure '"
                       << stringifyStructure(structure)
                       << "' must not have a rank";
  if (structure != Structure::TwoFour && transposable)
    return emitError() << "only a plan with structure 'two_four' can be "
                          "transposable";
  return success();
}

//===----------------------------------------------------------------------===//
// GpuConfigAttr
//===----------------------------------------------------------------------===//

/// A weight gradient's token ranges: the same bound in every family.
static LogicalResult verifySplits(function_ref<InFlightDiagnostic()> emitError,
                                  StringRef attr, int64_t splits) {
  if (splits < 1 || splits > GpuConfigAttr::kMaxSplits)
    return emitError() << attr << " splits must be in [1, "
                       << GpuConfigAttr::kMaxSplits << "], got " << splits;
  return success();
}

LogicalResult
GpuConfigAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      StringRef chip, int64_t tileM, int64_t tileN,
                      int64_t tileK, int64_t warpsM, int64_t warpsN,
                      int64_t stages, int64_t splits) {
  if (!chip.starts_with("sm_") || chip.size() < 5)
    return emitError() << "gpu_config chip must name an sm_XY target, got '"
                       << chip << "'";
  // Each factor is bounded before the product, which cannot wrap then.
  if (warpsM < 1 || warpsN < 1 || warpsM > kMaxWarps || warpsN > kMaxWarps ||
      warpsM * warpsN > kMaxWarps)
    return emitError() << "gpu_config needs 1 to " << kMaxWarps
                       << " warps, got " << warpsM
                       << " x " << warpsN;
  // Each warp's piece is made of whole mma tiles: 16 rows, 8 columns, and
  // a reduction step of 16 (f16/bf16) or 8 (TF32).
  if (tileM < 1 || tileM % (16 * warpsM) != 0)
    return emitError() << "gpu_config tile_m (" << tileM
                       << ") must be a positive multiple of 16 x warps_m ("
                       << 16 * warpsM << ")";
  if (tileN < 1 || tileN % (8 * warpsN) != 0)
    return emitError() << "gpu_config tile_n (" << tileN
                       << ") must be a positive multiple of 8 x warps_n ("
                       << 8 * warpsN << ")";
  if (tileK < 8 || tileK % 8 != 0)
    return emitError() << "gpu_config tile_k (" << tileK
                       << ") must be a positive multiple of 8";
  // A thread block's tile lives in registers and shared memory: far below
  // this bound on every chip, which keeps the kernels' size arithmetic
  // (tiles x stages x bytes) well inside 64 bits.
  if (tileM > kMaxTile || tileN > kMaxTile || tileK > kMaxTile)
    return emitError() << "gpu_config tiles must be at most " << kMaxTile
                       << ", got " << tileM << " x " << tileN << " x "
                       << tileK;
  if (stages < 2 || stages > 8)
    return emitError() << "gpu_config stages must be in [2, 8], got "
                       << stages;
  if (failed(verifySplits(emitError, "gpu_config", splits)))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// HopperConfigAttr
//===----------------------------------------------------------------------===//

LogicalResult
HopperConfigAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                         StringRef chip, int64_t tileM, int64_t tileN,
                         int64_t tileK, int64_t consumers, int64_t stages,
                         int64_t clusterM, int64_t clusterN, int64_t persistent,
                         int64_t splits, bool tmaStore) {
  if (!chip.starts_with("sm_") || chip.size() < 5)
    return emitError() << "hopper_config chip must name an sm_XY target, got '"
                       << chip << "'";
  if (consumers < 1 || consumers > kMaxConsumers)
    return emitError() << "hopper_config needs 1 to " << kMaxConsumers
                       << " consumer warpgroups, got " << consumers;
  // Each consumer warpgroup owns whole 64-row wgmma tiles.
  if (tileM < 1 || tileM > GpuConfigAttr::kMaxTile ||
      tileM % (64 * consumers) != 0)
    return emitError() << "hopper_config tile_m (" << tileM
                       << ") must be a positive multiple of 64 x consumers ("
                       << 64 * consumers << "), at most "
                       << GpuConfigAttr::kMaxTile;
  if (tileN < 8 || tileN > kMaxTileN || tileN % 8 != 0)
    return emitError() << "hopper_config tile_n (" << tileN
                       << ") must be a multiple of 8 in [8, " << kMaxTileN
                       << "] (wgmma's N)";
  if (tileK < 8 || tileK > GpuConfigAttr::kMaxTile || tileK % 8 != 0)
    return emitError() << "hopper_config tile_k (" << tileK
                       << ") must be a positive multiple of 8, at most "
                       << GpuConfigAttr::kMaxTile;
  if (stages < 2 || stages > 8)
    return emitError() << "hopper_config stages must be in [2, 8], got "
                       << stages;
  if (clusterM < 1 || clusterN < 1 || clusterM > kMaxClusterSize ||
      clusterN > kMaxClusterSize || clusterM * clusterN > kMaxClusterSize)
    return emitError() << "hopper_config cluster " << clusterM << " x "
                       << clusterN << " must have 1 to " << kMaxClusterSize
                       << " thread blocks";
  if (persistent < 0 || persistent > kMaxPersistent)
    return emitError() << "hopper_config persistent must be in [0, "
                       << kMaxPersistent << "] thread blocks, got "
                       << persistent;
  if (failed(verifySplits(emitError, "hopper_config", splits)))
    return failure();
  if (splits > 1 && persistent != 0)
    return emitError() << "hopper_config cannot split the tokens of a "
                          "persistent grid";
  // A split weight gradient adds partials into its blocks: there is no
  // output for a TMA store to write.
  if (tmaStore && splits > 1)
    return emitError() << "hopper_config cannot store split partials with "
                          "TMA (tma_store with splits = "
                       << splits << ")";
  return success();
}

//===----------------------------------------------------------------------===//
// CpuConfigAttr
//===----------------------------------------------------------------------===//

LogicalResult
CpuConfigAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      StringRef cpu, StringRef features, int64_t vectorBits,
                      int64_t vectorRegisters, int64_t tileM, int64_t tileN,
                      int64_t tileK, int64_t panelM) {
  if (cpu.empty())
    return emitError() << "cpu_config cpu must name a CPU";
  SmallVector<StringRef> items;
  features.split(items, ',');
  if (!features.empty())
    for (StringRef item : items)
      if (item.size() < 2 || (item[0] != '+' && item[0] != '-'))
        return emitError() << "cpu_config features must be +name or -name, "
                              "comma-separated, got '"
                           << features << "'";
  if (vectorBits != 128 && vectorBits != 256 && vectorBits != 512)
    return emitError() << "cpu_config vector_bits must be 128, 256 or 512, "
                          "got "
                       << vectorBits;
  if (vectorRegisters < 8 || vectorRegisters > 64)
    return emitError() << "cpu_config vector_registers must be in [8, 64], "
                          "got "
                       << vectorRegisters;
  // Each factor is bounded before the products, which cannot wrap then.
  if (tileM < 1 || tileN < 1 || tileK < 1 || tileM > kMaxTileAccumulators ||
      tileN > kMaxTileAccumulators || tileK > kMaxTileWork ||
      tileM * tileN > kMaxTileAccumulators ||
      tileK > kMaxTileWork / (tileM * tileN))
    return emitError() << "cpu_config tile " << tileM << " x " << tileN
                       << " x " << tileK
                       << " must be positive with at most "
                       << kMaxTileAccumulators
                       << " accumulators (tile_m x tile_n) and "
                       << kMaxTileWork << " multiply-adds";
  if (panelM < tileM || panelM > kMaxPanel)
    return emitError() << "cpu_config panel_m must be in [tile_m, "
                       << kMaxPanel << "], got " << panelM;
  return success();
}
