//===- WeightData.cpp - Compile-time weights in and out of attrs ----------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Utils/WeightData.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstring>
#include <vector>

using namespace mlir;
using namespace mlir::pixelfly;
using patterns::Matrix;

// Raw storage (DenseElementsAttr data and resource blobs) is in host byte
// order; the bit tricks below only assume IEEE f32.

//===----------------------------------------------------------------------===//
// Scalar conversions
//===----------------------------------------------------------------------===//

static inline uint32_t floatBits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof(u));
  return u;
}

static inline float bitsFloat(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof(f));
  return f;
}

static inline float halfToFloat(uint16_t h) {
  uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1fu;
  uint32_t mant = h & 0x3ffu;
  if (exp == 0x1f) // Inf or NaN: widen the payload.
    return bitsFloat(sign | 0x7f800000u | (mant << 13));
  if (exp == 0) {
    // Zero or subnormal: mant * 2^-24 is exact in f32.
    return bitsFloat(sign |
                     floatBits(static_cast<float>(mant) * 0x1p-24f));
  }
  // Normal: rebias the exponent from 15 to 127.
  return bitsFloat(sign | ((exp + 112u) << 23) | (mant << 13));
}

static inline uint16_t floatToHalf(float f) {
  uint32_t x = floatBits(f);
  uint16_t sign = static_cast<uint16_t>((x >> 16) & 0x8000u);
  uint32_t a = x & 0x7fffffffu;
  if (a > 0x7f800000u) {
    // NaN: keep the top payload bits and set the quiet bit, which also keeps
    // the result from turning into infinity.
    return sign | 0x7e00u | static_cast<uint16_t>((a >> 13) & 0x3ffu);
  }
  // 65520 (0x477ff000) is halfway between the largest half (65504) and 2^16;
  // ties go to the even neighbour, which is infinity.
  if (a >= 0x477ff000u)
    return sign | 0x7c00u;
  if (a >= 0x38800000u) {
    // Normal result (>= 2^-14): rebias, then round the 13 dropped bits to
    // nearest even; a carry out of the mantissa bumps the exponent, which is
    // exactly right.
    uint32_t m = a - (112u << 23);
    m += 0xfffu + ((m >> 13) & 1u);
    return sign | static_cast<uint16_t>(m >> 13);
  }
  // Subnormal or zero. Up to 2^-25 (half of the smallest subnormal,
  // included: the tie goes to the even zero) rounds to zero.
  if (a <= 0x33000000u)
    return sign;
  // value = mant * 2^(e - 150) and the result counts units of 2^-24, so
  // shift right by 126 - e (14..24 here) with round-to-nearest-even.
  uint32_t e = a >> 23;
  uint32_t mant = (a & 0x7fffffu) | 0x800000u;
  uint32_t shift = 126u - e;
  uint32_t result = mant >> shift;
  uint32_t rem = mant & ((1u << shift) - 1u);
  uint32_t half = 1u << (shift - 1u);
  if (rem > half || (rem == half && (result & 1u)))
    ++result; // May become 0x400, the smallest normal: still correct.
  return sign | static_cast<uint16_t>(result);
}

static inline float bf16ToFloat(uint16_t h) {
  return bitsFloat(static_cast<uint32_t>(h) << 16);
}

static inline uint16_t floatToBF16(float f) {
  uint32_t x = floatBits(f);
  if ((x & 0x7fffffffu) > 0x7f800000u)
    return static_cast<uint16_t>((x >> 16) | 0x0040u); // Quiet NaN.
  // Same exponent range as f32, so rounding the low 16 bits handles
  // subnormals and overflow to infinity alike.
  x += 0x7fffu + ((x >> 16) & 1u);
  return static_cast<uint16_t>(x >> 16);
}

float mlir::pixelfly::halfBitsToFloat(uint16_t bits) {
  return halfToFloat(bits);
}
uint16_t mlir::pixelfly::floatToHalfBits(float value) {
  return floatToHalf(value);
}
float mlir::pixelfly::bfloat16BitsToFloat(uint16_t bits) {
  return bf16ToFloat(bits);
}
uint16_t mlir::pixelfly::floatToBFloat16Bits(float value) {
  return floatToBF16(value);
}

//===----------------------------------------------------------------------===//
// Reading
//===----------------------------------------------------------------------===//

namespace {
enum class FloatKind { F16, BF16, F32 };

// Element loaders from unaligned raw storage (memcpy compiles to a load).
struct LoadF32 {
  float operator()(const char *p, int64_t i) const {
    float v;
    std::memcpy(&v, p + i * 4, 4);
    return v;
  }
};
struct LoadF16 {
  float operator()(const char *p, int64_t i) const {
    uint16_t v;
    std::memcpy(&v, p + i * 2, 2);
    return halfToFloat(v);
  }
};
struct LoadBF16 {
  float operator()(const char *p, int64_t i) const {
    uint16_t v;
    std::memcpy(&v, p + i * 2, 2);
    return bf16ToFloat(v);
  }
};
} // namespace

/// Converts the `rows x cols` row-major `src` into `dst`, either as is or
/// transposed (`dst` is then `cols x rows`). The transpose goes tile by tile
/// so both sides stay in cache for large weights.
template <typename Load>
static void convertMatrix(const char *src, int64_t rows, int64_t cols,
                          bool transpose, float *dst, Load load) {
  if (!transpose) {
    int64_t n = rows * cols;
    for (int64_t i = 0; i < n; ++i)
      dst[i] = load(src, i);
    return;
  }
  constexpr int64_t kTile = 32;
  for (int64_t i0 = 0; i0 < rows; i0 += kTile) {
    int64_t iEnd = std::min(i0 + kTile, rows);
    for (int64_t j0 = 0; j0 < cols; j0 += kTile) {
      int64_t jEnd = std::min(j0 + kTile, cols);
      // Contiguous writes, reads strided by `cols` within the tile.
      for (int64_t j = j0; j < jEnd; ++j) {
        float *out = dst + j * rows;
        for (int64_t i = i0; i < iEnd; ++i)
          out[i] = load(src, i * cols + j);
      }
    }
  }
}

FailureOr<Matrix> mlir::pixelfly::readWeightMatrix(ElementsAttr attr,
                                                   bool transpose,
                                                   std::string &error) {
  error.clear();
  if (!attr) {
    error = "no elements attribute";
    return failure();
  }
  ShapedType type = attr.getShapedType();
  if (!type.hasStaticShape()) {
    llvm::raw_string_ostream os(error);
    os << "expected a static shape, got " << type;
    return failure();
  }
  // Unit dimensions do not move entries: 1 x N x K reads as N x K.
  SmallVector<int64_t> sizes;
  for (int64_t s : type.getShape())
    if (s != 1)
      sizes.push_back(s);
  if (type.getRank() == 2)
    sizes.assign(type.getShape().begin(), type.getShape().end());
  if (sizes.size() != 2) {
    llvm::raw_string_ostream os(error);
    os << "expected a weight with two dimensions other than 1, got " << type;
    return failure();
  }
  Type elementType = type.getElementType();
  FloatKind kind;
  int64_t elementBytes;
  if (elementType.isF32()) {
    kind = FloatKind::F32;
    elementBytes = 4;
  } else if (elementType.isF16()) {
    kind = FloatKind::F16;
    elementBytes = 2;
  } else if (elementType.isBF16()) {
    kind = FloatKind::BF16;
    elementBytes = 2;
  } else {
    llvm::raw_string_ostream os(error);
    os << "unsupported element type " << elementType
       << " (expected f16, bf16 or f32)";
    return failure();
  }

  int64_t rows = sizes[0], cols = sizes[1];
  // rows and cols are non-negative; bounding by division cannot overflow.
  if (rows != 0 && cols > kMaxReadWeightElements / rows) {
    error = ("the " + Twine(rows) + "x" + Twine(cols) +
             " weight is too large to project at compile time (more than " +
             Twine(kMaxReadWeightElements) + " elements)")
                .str();
    return failure();
  }
  int64_t numElements = rows * cols;
  ArrayRef<char> raw;
  bool splat = false;
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    raw = dense.getRawData();
    splat = dense.isSplat();
  } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    DenseResourceElementsHandle handle = resource.getRawHandle();
    const AsmResourceBlob *blob = handle.getBlob();
    if (!blob) {
      error = ("dense_resource blob '" + handle.getKey() +
               "' has no data (elided or never set)")
                  .str();
      return failure();
    }
    raw = blob->getData();
    if (static_cast<int64_t>(raw.size()) < numElements * elementBytes) {
      error = ("dense_resource blob '" + handle.getKey() + "' holds " +
               Twine(raw.size()) + " bytes, the type needs " +
               Twine(numElements * elementBytes))
                  .str();
      return failure();
    }
  } else {
    error = "unsupported elements attribute (expected dense or "
            "dense_resource data)";
    return failure();
  }

  Matrix result(transpose ? cols : rows, transpose ? rows : cols);
  if (numElements == 0)
    return result;
  if (splat) {
    float value = kind == FloatKind::F32    ? LoadF32()(raw.data(), 0)
                  : kind == FloatKind::F16 ? LoadF16()(raw.data(), 0)
                                           : LoadBF16()(raw.data(), 0);
    std::fill(result.data.begin(), result.data.end(), value);
    return result;
  }
  float *dst = result.data.data();
  switch (kind) {
  case FloatKind::F32:
    if (!transpose)
      std::memcpy(dst, raw.data(), numElements * sizeof(float));
    else
      convertMatrix(raw.data(), rows, cols, true, dst, LoadF32());
    break;
  case FloatKind::F16:
    convertMatrix(raw.data(), rows, cols, transpose, dst, LoadF16());
    break;
  case FloatKind::BF16:
    convertMatrix(raw.data(), rows, cols, transpose, dst, LoadBF16());
    break;
  }
  return result;
}

//===----------------------------------------------------------------------===//
// Building
//===----------------------------------------------------------------------===//

template <typename T>
static DenseElementsAttr fromBuffer(RankedTensorType type, ArrayRef<T> data) {
  return DenseElementsAttr::getFromRawBuffer(
      type, ArrayRef<char>(reinterpret_cast<const char *>(data.data()),
                           data.size() * sizeof(T)));
}

DenseElementsAttr mlir::pixelfly::makeFloatElements(RankedTensorType type,
                                                    ArrayRef<float> values) {
  if (!type || !type.hasStaticShape() ||
      type.getNumElements() != static_cast<int64_t>(values.size()))
    return {};
  Type elementType = type.getElementType();
  if (elementType.isF32())
    return fromBuffer(type, values);
  bool isF16 = elementType.isF16();
  if (!isF16 && !elementType.isBF16())
    return {};
  std::vector<uint16_t> bits(values.size());
  if (isF16) {
    for (size_t i = 0, e = values.size(); i < e; ++i)
      bits[i] = floatToHalf(values[i]);
  } else {
    for (size_t i = 0, e = values.size(); i < e; ++i)
      bits[i] = floatToBF16(values[i]);
  }
  return fromBuffer(type, ArrayRef<uint16_t>(bits));
}

DenseElementsAttr mlir::pixelfly::makeI16Elements(RankedTensorType type,
                                                  ArrayRef<uint16_t> values) {
  if (!type || !type.hasStaticShape() || !type.getElementType().isInteger(16) ||
      type.getNumElements() != static_cast<int64_t>(values.size()))
    return {};
  return fromBuffer(type, values);
}

//===----------------------------------------------------------------------===//
// Sizes
//===----------------------------------------------------------------------===//

/// Storage bits of one element, or 0 when unknown.
static int64_t elementBits(Type type) {
  if (type.isIntOrFloat())
    return type.getIntOrFloatBitWidth();
  if (isa<IndexType>(type))
    return IndexType::kInternalStorageBitWidth;
  if (auto complex = dyn_cast<ComplexType>(type))
    return 2 * elementBits(complex.getElementType());
  return 0;
}

int64_t mlir::pixelfly::getElementsDataBytes(ElementsAttr attr) {
  if (!attr)
    return 0;
  if (auto strings = dyn_cast<DenseStringElementsAttr>(attr)) {
    ArrayRef<StringRef> data = strings.getRawStringData();
    int64_t perElement = 0;
    for (StringRef s : data)
      perElement += s.size();
    // A splat stores one string for all elements.
    if (strings.isSplat())
      return perElement * strings.getNumElements();
    return perElement;
  }
  ShapedType type = attr.getShapedType();
  if (!type.hasStaticShape())
    return 0;
  int64_t n = type.getNumElements();
  int64_t bits = elementBits(type.getElementType());
  if (bits == 1)
    return (n + 7) / 8;
  return n * ((bits + 7) / 8);
}
