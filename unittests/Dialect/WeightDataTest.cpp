//===- WeightDataTest.cpp - Weight data in and out of attributes ----------===//
//
// Part of the pixelfly-mlir project.
//
//===----------------------------------------------------------------------===//

#include "pixelfly/Dialect/Pixelfly/Utils/WeightData.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace mlir;
using namespace mlir::pixelfly;
using patterns::Matrix;

namespace {

uint32_t bitsOf(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}
float floatOf(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

// Reference conversions through APFloat.
uint16_t refToBits(float f, const llvm::fltSemantics &sem) {
  llvm::APFloat v(f);
  bool losesInfo;
  (void)v.convert(sem, llvm::APFloat::rmNearestTiesToEven, &losesInfo);
  return static_cast<uint16_t>(v.bitcastToAPInt().getZExtValue());
}
float refFromBits(uint16_t bits, const llvm::fltSemantics &sem) {
  llvm::APFloat v(sem, llvm::APInt(16, bits));
  bool losesInfo;
  (void)v.convert(llvm::APFloat::IEEEsingle(),
                  llvm::APFloat::rmNearestTiesToEven, &losesInfo);
  return floatOf(static_cast<uint32_t>(v.bitcastToAPInt().getZExtValue()));
}
std::string typeName(Type type) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << type;
  return s;
}

bool isHalfNaN(uint16_t h) { return (h & 0x7c00) == 0x7c00 && (h & 0x3ff); }
bool isBF16NaN(uint16_t h) { return (h & 0x7f80) == 0x7f80 && (h & 0x7f); }

// Checks one f32 -> 16-bit conversion against APFloat: the same bits, or
// both NaN with the same sign.
void expectHalfMatches(float f) {
  uint16_t got = floatToHalfBits(f);
  uint16_t want = refToBits(f, llvm::APFloat::IEEEhalf());
  if (std::isnan(f)) {
    EXPECT_TRUE(isHalfNaN(got)) << std::hex << bitsOf(f);
    EXPECT_EQ(got & 0x8000, want & 0x8000) << std::hex << bitsOf(f);
  } else {
    EXPECT_EQ(got, want) << std::hex << "f32 bits 0x" << bitsOf(f);
  }
}
void expectBF16Matches(float f) {
  uint16_t got = floatToBFloat16Bits(f);
  uint16_t want = refToBits(f, llvm::APFloat::BFloat());
  if (std::isnan(f)) {
    EXPECT_TRUE(isBF16NaN(got)) << std::hex << bitsOf(f);
    EXPECT_EQ(got & 0x8000, want & 0x8000) << std::hex << bitsOf(f);
  } else {
    EXPECT_EQ(got, want) << std::hex << "f32 bits 0x" << bitsOf(f);
  }
}

//===----------------------------------------------------------------------===//
// Scalar conversions
//===----------------------------------------------------------------------===//

TEST(HalfConversion, AllHalfValuesRoundTrip) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    uint16_t bits = static_cast<uint16_t>(h);
    float f = halfBitsToFloat(bits);
    if (isHalfNaN(bits)) {
      ASSERT_TRUE(std::isnan(f)) << std::hex << h;
      uint16_t back = floatToHalfBits(f);
      ASSERT_TRUE(isHalfNaN(back)) << std::hex << h;
      ASSERT_EQ(back & 0x8000, bits & 0x8000);
      // A quiet NaN keeps its payload.
      if (bits & 0x200) {
        ASSERT_EQ(back, bits) << std::hex << h;
      }
      continue;
    }
    ASSERT_EQ(bitsOf(f), bitsOf(refFromBits(bits, llvm::APFloat::IEEEhalf())))
        << std::hex << h;
    ASSERT_EQ(floatToHalfBits(f), bits) << std::hex << h;
  }
}

TEST(HalfConversion, TiesAndNeighbours) {
  // Every midpoint between adjacent finite halves (exact in f32), and the f32
  // values right next to it, in both signs; this covers subnormals, the
  // subnormal/normal boundary and the overflow threshold (65520).
  for (uint32_t h = 0; h < 0x7c00; ++h) {
    float a = halfBitsToFloat(static_cast<uint16_t>(h));
    float b = halfBitsToFloat(static_cast<uint16_t>(h + 1));
    float mid = a + (b - a) / 2;
    for (float sign : {1.0f, -1.0f}) {
      for (float f : {mid, std::nextafter(mid, 0.0f),
                      std::nextafter(mid, std::numeric_limits<float>::max()),
                      a, std::nextafter(a, std::numeric_limits<float>::max())})
        expectHalfMatches(sign * f);
    }
  }
  // Below half of the smallest subnormal, and specials.
  for (float f : {0x1p-25f, std::nextafter(0x1p-25f, 1.0f), 0x1p-26f, 1e-30f,
                  0x1p-149f, 65504.0f, 65519.99f, 65520.0f, 1e10f,
                  std::numeric_limits<float>::infinity(),
                  std::numeric_limits<float>::max(),
                  std::numeric_limits<float>::quiet_NaN(),
                  std::numeric_limits<float>::signaling_NaN()}) {
    expectHalfMatches(f);
    expectHalfMatches(-f);
  }
  EXPECT_EQ(floatToHalfBits(65520.0f), 0x7c00);
  EXPECT_EQ(floatToHalfBits(-1e10f), 0xfc00);
  EXPECT_EQ(floatToHalfBits(0x1p-25f), 0x0000);
  EXPECT_EQ(floatToHalfBits(std::nextafter(0x1p-25f, 1.0f)), 0x0001);
  EXPECT_EQ(floatToHalfBits(-0.0f), 0x8000);
}

TEST(HalfConversion, RandomFloats) {
  std::mt19937 rng(1234);
  // Uniform bit patterns (all exponents, NaNs included) ...
  for (int i = 0; i < 1000000; ++i)
    expectHalfMatches(floatOf(rng()));
  // ... and patterns with exponents around the half range.
  std::uniform_int_distribution<uint32_t> exp(95, 145);
  for (int i = 0; i < 1000000; ++i) {
    uint32_t u = (rng() & 0x807fffffu) | (exp(rng) << 23);
    expectHalfMatches(floatOf(u));
  }
}

TEST(BFloat16Conversion, AllBF16ValuesAndRounding) {
  std::mt19937 rng(99);
  for (uint32_t h = 0; h < 0x10000; ++h) {
    uint16_t bits = static_cast<uint16_t>(h);
    float f = bfloat16BitsToFloat(bits);
    if (isBF16NaN(bits)) {
      ASSERT_TRUE(std::isnan(f));
    } else {
      ASSERT_EQ(bitsOf(f), bitsOf(refFromBits(bits, llvm::APFloat::BFloat())))
          << std::hex << h;
      ASSERT_EQ(floatToBFloat16Bits(f), bits) << std::hex << h;
    }
    // Every f32 with these top bits at the rounding edges (ties, one off
    // either side) and a few random low halves.
    uint32_t r1 = rng(), r2 = rng(), r3 = rng();
    for (uint32_t low : {0x0001u, 0x7fffu, 0x8000u, 0x8001u, 0xffffu, r1, r2,
                         r3})
      expectBF16Matches(floatOf((h << 16) | (low & 0xffffu)));
  }
  for (int i = 0; i < 1000000; ++i)
    expectBF16Matches(floatOf(rng()));
  EXPECT_EQ(floatToBFloat16Bits(std::numeric_limits<float>::max()), 0x7f80);
  EXPECT_TRUE(isBF16NaN(
      floatToBFloat16Bits(std::numeric_limits<float>::signaling_NaN())));
  // A NaN whose payload lies only in the low half stays NaN.
  EXPECT_TRUE(isBF16NaN(floatToBFloat16Bits(floatOf(0x7f800001u))));
  EXPECT_TRUE(isBF16NaN(floatToBFloat16Bits(floatOf(0xff800001u))));
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

class WeightDataTest : public ::testing::Test {
protected:
  MLIRContext ctx;
  Builder b{&ctx};

  RankedTensorType tensor(ArrayRef<int64_t> shape, Type elementType) {
    return RankedTensorType::get(shape, elementType);
  }

  // Row-major values that are not all representable in 16 bits.
  static std::vector<float> sampleValues(int64_t n) {
    std::vector<float> v(n);
    for (int64_t i = 0; i < n; ++i)
      v[i] = 0.1f * static_cast<float>(i) - 3.7f + (i % 7 == 0 ? 1e-3f : 0.0f);
    return v;
  }

  // The values as the element type rounds them (through APFloat).
  static std::vector<float> rounded(ArrayRef<float> values, Type type) {
    std::vector<float> out;
    for (float f : values) {
      if (type.isF16())
        out.push_back(refFromBits(refToBits(f, llvm::APFloat::IEEEhalf()),
                                  llvm::APFloat::IEEEhalf()));
      else if (type.isBF16())
        out.push_back(refFromBits(refToBits(f, llvm::APFloat::BFloat()),
                                  llvm::APFloat::BFloat()));
      else
        out.push_back(f);
    }
    return out;
  }

  // A DenseElementsAttr built the ordinary (APFloat) way, independent of
  // makeFloatElements.
  DenseElementsAttr denseViaAPFloat(RankedTensorType type,
                                    ArrayRef<float> values) {
    const llvm::fltSemantics &sem =
        cast<FloatType>(type.getElementType()).getFloatSemantics();
    SmallVector<llvm::APFloat> aps;
    for (float f : values) {
      llvm::APFloat v(f);
      bool losesInfo;
      (void)v.convert(sem, llvm::APFloat::rmNearestTiesToEven, &losesInfo);
      aps.push_back(v);
    }
    return DenseElementsAttr::get(type, aps);
  }

  Matrix read(ElementsAttr attr, bool transpose) {
    std::string error;
    FailureOr<Matrix> m = readWeightMatrix(attr, transpose, error);
    EXPECT_TRUE(succeeded(m)) << error;
    EXPECT_TRUE(error.empty());
    return succeeded(m) ? *m : Matrix();
  }

  std::string readError(ElementsAttr attr) {
    std::string error;
    FailureOr<Matrix> m = readWeightMatrix(attr, /*transpose=*/false, error);
    EXPECT_TRUE(failed(m));
    EXPECT_FALSE(error.empty());
    return error;
  }

  std::vector<Type> floatTypes() {
    return {b.getF32Type(), b.getF16Type(), b.getBF16Type()};
  }
};

TEST_F(WeightDataTest, ReadDense) {
  for (auto [rows, cols] : {std::pair<int64_t, int64_t>{3, 5},
                            {70, 37}, // Not a multiple of the tile.
                            {64, 96},
                            {1, 9},
                            {0, 4}}) {
    for (Type type : floatTypes()) {
      SCOPED_TRACE(::testing::Message() << rows << "x" << cols << " " << typeName(type));
      std::vector<float> values = sampleValues(rows * cols);
      DenseElementsAttr attr = denseViaAPFloat(tensor({rows, cols}, type),
                                               values);
      ASSERT_FALSE(attr.isSplat() && rows * cols > 1);
      Matrix want(rows, cols, rounded(values, type));
      Matrix got = read(attr, /*transpose=*/false);
      EXPECT_EQ(got, want);
      Matrix gotT = read(attr, /*transpose=*/true);
      EXPECT_EQ(gotT.rows, cols);
      EXPECT_EQ(gotT.cols, rows);
      EXPECT_EQ(gotT, want.transposed());
    }
  }
}

TEST_F(WeightDataTest, ReadWithUnitDims) {
  // A 1 x 3 x 1 x 5 constant holds the entries of a 3 x 5 one, in order.
  std::vector<float> values = sampleValues(15);
  DenseElementsAttr attr =
      denseViaAPFloat(tensor({1, 3, 1, 5}, b.getF32Type()), values);
  Matrix want(3, 5, values);
  EXPECT_EQ(read(attr, /*transpose=*/false), want);
  EXPECT_EQ(read(attr, /*transpose=*/true), want.transposed());
}

TEST_F(WeightDataTest, ReadSplat) {
  for (Type type : floatTypes()) {
    SCOPED_TRACE(typeName(type));
    RankedTensorType t = tensor({4, 6}, type);
    DenseElementsAttr attr = denseViaAPFloat(t, std::vector<float>(24, -1.25f));
    ASSERT_TRUE(attr.isSplat());
    Matrix got = read(attr, false);
    EXPECT_EQ(got, Matrix(4, 6, std::vector<float>(24, -1.25f)));
    Matrix gotT = read(attr, true);
    EXPECT_EQ(gotT, Matrix(6, 4, std::vector<float>(24, -1.25f)));
  }
}

TEST_F(WeightDataTest, ReadResource) {
  std::vector<float> values = sampleValues(6 * 10);
  // f32 blob.
  {
    RankedTensorType t = tensor({6, 10}, b.getF32Type());
    auto attr = DenseResourceElementsAttr::get(
        t, "w_f32",
        HeapAsmResourceBlob::allocateAndCopyInferAlign(
            ArrayRef<float>(values)));
    Matrix want(6, 10, values);
    EXPECT_EQ(read(attr, false), want);
    EXPECT_EQ(read(attr, true), want.transposed());
  }
  // f16 and bf16 blobs, encoded through APFloat.
  for (Type type : {b.getF16Type(), b.getBF16Type()}) {
    SCOPED_TRACE(typeName(type));
    const llvm::fltSemantics &sem = cast<FloatType>(type).getFloatSemantics();
    std::vector<uint16_t> bits;
    for (float f : values)
      bits.push_back(refToBits(f, sem));
    RankedTensorType t = tensor({6, 10}, type);
    auto attr = DenseResourceElementsAttr::get(
        t, "w_16",
        HeapAsmResourceBlob::allocateAndCopyInferAlign(
            ArrayRef<uint16_t>(bits)));
    Matrix want(6, 10, rounded(values, type));
    EXPECT_EQ(read(attr, false), want);
    EXPECT_EQ(read(attr, true), want.transposed());
  }
  // An unmanaged blob over data owned by the test.
  {
    RankedTensorType t = tensor({10, 6}, b.getF32Type());
    auto attr = DenseResourceElementsAttr::get(
        t, "w_unmanaged",
        UnmanagedAsmResourceBlob::allocateInferAlign(ArrayRef<float>(values)));
    EXPECT_EQ(read(attr, false), Matrix(10, 6, values));
  }
}

TEST_F(WeightDataTest, Errors) {
  // Integer elements.
  {
    auto attr = DenseElementsAttr::get(tensor({2, 2}, b.getI8Type()),
                                       ArrayRef<int8_t>({1, 2, 3, 4}));
    EXPECT_NE(readError(attr).find("element type"), std::string::npos);
  }
  // f64 elements.
  {
    auto attr = DenseElementsAttr::get(tensor({2, 2}, b.getF64Type()),
                                       ArrayRef<double>({1, 2, 3, 4}));
    EXPECT_NE(readError(attr).find("element type"), std::string::npos);
  }
  // Three real dimensions, and one.
  {
    auto attr = DenseElementsAttr::get(tensor({2, 2, 2}, b.getF32Type()),
                                       ArrayRef<float>(sampleValues(8)));
    EXPECT_NE(readError(attr).find("two dimensions"), std::string::npos);
    auto attr1 = DenseElementsAttr::get(tensor({4}, b.getF32Type()),
                                        ArrayRef<float>(sampleValues(4)));
    EXPECT_NE(readError(attr1).find("two dimensions"), std::string::npos);
  }
  // A resource entry without a blob.
  {
    DenseResourceElementsHandle handle =
        DenseResourceElementsHandle::getManagerInterface(&ctx).insert(
            "missing");
    auto attr =
        DenseResourceElementsAttr::get(tensor({2, 3}, b.getF32Type()), handle);
    std::string error = readError(attr);
    EXPECT_NE(error.find("missing"), std::string::npos) << error;
    EXPECT_NE(error.find("no data"), std::string::npos) << error;
  }
  // An elided resource as the printer writes it.
  {
    Attribute parsed =
        parseAttribute("dense_resource<__elided__> : tensor<4x4xf16>", &ctx);
    auto attr = dyn_cast_or_null<DenseResourceElementsAttr>(parsed);
    ASSERT_TRUE(attr);
    EXPECT_NE(readError(attr).find("no data"), std::string::npos);
  }
  // A blob too small for its type.
  {
    std::vector<float> values = sampleValues(5);
    auto attr = DenseResourceElementsAttr::get(
        tensor({2, 3}, b.getF32Type()), "short",
        HeapAsmResourceBlob::allocateAndCopyInferAlign(
            ArrayRef<float>(values)));
    EXPECT_NE(readError(attr).find("20 bytes"), std::string::npos);
  }
  // Sparse elements are not read.
  {
    auto indices = DenseElementsAttr::get(tensor({1, 2}, b.getI64Type()),
                                          ArrayRef<int64_t>({0, 1}));
    auto values = DenseElementsAttr::get(tensor({1}, b.getF32Type()),
                                         ArrayRef<float>({2.0f}));
    auto attr = SparseElementsAttr::get(tensor({2, 2}, b.getF32Type()),
                                        cast<DenseIntElementsAttr>(indices),
                                        values);
    EXPECT_NE(readError(attr).find("unsupported elements"), std::string::npos);
  }
  EXPECT_NE(readError(ElementsAttr()).find("no elements"), std::string::npos);
}

TEST_F(WeightDataTest, MakeFloatElementsRoundTrip) {
  std::vector<float> values = sampleValues(8 * 12);
  // Specials and rounding cases.
  values[0] = std::numeric_limits<float>::quiet_NaN();
  values[1] = -std::numeric_limits<float>::infinity();
  values[2] = 70000.0f; // f16 overflow
  values[3] = 1e-6f;    // f16 subnormal
  values[4] = 1.0f + 0x1p-11f; // f16 tie, to even
  values[5] = 1.0f + 0x1p-8f;  // bf16 tie, to even
  values[6] = -0.0f;
  for (Type type : floatTypes()) {
    SCOPED_TRACE(typeName(type));
    RankedTensorType t = tensor({8, 12}, type);
    DenseElementsAttr attr = makeFloatElements(t, values);
    ASSERT_TRUE(attr);
    EXPECT_EQ(attr.getType(), t);
    EXPECT_FALSE(attr.isSplat());
    // The same attribute as the APFloat way builds (uniqued, so ==), NaN
    // bits aside.
    std::vector<float> noNaN = values;
    noNaN[0] = 0.0f;
    EXPECT_EQ(makeFloatElements(t, noNaN), denseViaAPFloat(t, noNaN));

    Matrix got = read(attr, false);
    std::vector<float> want = rounded(values, type);
    ASSERT_EQ(got.rows, 8);
    ASSERT_EQ(got.cols, 12);
    EXPECT_TRUE(std::isnan(got.data[0]));
    for (size_t i = 1; i < want.size(); ++i)
      EXPECT_EQ(bitsOf(got.data[i]), bitsOf(want[i])) << i;
    // Reading the rounded values back and writing them again is exact.
    EXPECT_EQ(makeFloatElements(t, got.data), attr);
    // Transposed read of a transposed write gives the original.
    Matrix gotT = read(makeFloatElements(tensor({12, 8}, type),
                                         Matrix(8, 12, noNaN).transposed().data),
                       true);
    EXPECT_EQ(gotT, Matrix(8, 12, rounded(noNaN, type)));
  }
  EXPECT_EQ(floatToHalfBits(70000.0f), 0x7c00);
}

TEST_F(WeightDataTest, MakeFloatElementsSplatAndInvalid) {
  for (Type type : floatTypes()) {
    RankedTensorType t = tensor({3, 4}, type);
    DenseElementsAttr attr =
        makeFloatElements(t, std::vector<float>(12, 0.5f));
    ASSERT_TRUE(attr);
    EXPECT_TRUE(attr.isSplat());
    EXPECT_EQ(attr, denseViaAPFloat(t, std::vector<float>(12, 0.5f)));
    // Wrong number of values.
    EXPECT_FALSE(makeFloatElements(t, std::vector<float>(11, 0.5f)));
  }
  EXPECT_FALSE(makeFloatElements(tensor({2}, b.getF64Type()), {1.0f, 2.0f}));
  EXPECT_FALSE(makeFloatElements(tensor({2}, b.getI16Type()), {1.0f, 2.0f}));
  // Empty tensors are fine.
  DenseElementsAttr empty = makeFloatElements(tensor({0, 3}, b.getF16Type()),
                                              ArrayRef<float>());
  ASSERT_TRUE(empty);
  EXPECT_EQ(read(empty, true).rows, 3);
}

TEST_F(WeightDataTest, MakeI16Elements) {
  std::vector<uint16_t> values = {0, 1, 0x8000, 0xffff, 0x1234, 0xeeee};
  RankedTensorType t = tensor({2, 3}, b.getI16Type());
  DenseElementsAttr attr = makeI16Elements(t, values);
  ASSERT_TRUE(attr);
  EXPECT_EQ(attr.getType(), t);
  std::vector<uint16_t> got;
  for (const llvm::APInt &v : attr.getValues<llvm::APInt>())
    got.push_back(static_cast<uint16_t>(v.getZExtValue()));
  EXPECT_EQ(got, values);
  EXPECT_EQ(attr, DenseElementsAttr::get(t, ArrayRef<uint16_t>(values)));
  // Unsigned 16-bit works too; other widths and counts do not.
  EXPECT_TRUE(makeI16Elements(
      tensor({6}, IntegerType::get(&ctx, 16, IntegerType::Unsigned)), values));
  EXPECT_FALSE(makeI16Elements(tensor({2, 3}, b.getI32Type()), values));
  EXPECT_FALSE(makeI16Elements(tensor({2, 3}, b.getF16Type()), values));
  EXPECT_FALSE(makeI16Elements(tensor({7}, b.getI16Type()), values));
  EXPECT_TRUE(makeI16Elements(t, std::vector<uint16_t>(6, 7)).isSplat());
}

TEST_F(WeightDataTest, DataBytes) {
  auto f32 = makeFloatElements(tensor({3, 5}, b.getF32Type()),
                               sampleValues(15));
  EXPECT_EQ(getElementsDataBytes(f32), 60);
  auto f16 = makeFloatElements(tensor({3, 5}, b.getF16Type()),
                               sampleValues(15));
  EXPECT_EQ(getElementsDataBytes(f16), 30);
  // A splat counts as the whole tensor.
  auto splat = makeFloatElements(tensor({4, 8}, b.getBF16Type()),
                                 std::vector<float>(32, 2.0f));
  ASSERT_TRUE(splat.isSplat());
  EXPECT_EQ(getElementsDataBytes(splat), 64);
  auto i16 = makeI16Elements(tensor({4, 2}, b.getI16Type()),
                             std::vector<uint16_t>(8, 3));
  EXPECT_EQ(getElementsDataBytes(i16), 16);
  bool bits[10] = {true, false, true, true, false,
                   false, true, false, true, true};
  auto i1 = DenseElementsAttr::get(tensor({10}, b.getI1Type()),
                                   ArrayRef<bool>(bits));
  EXPECT_EQ(getElementsDataBytes(i1), 2);
  std::vector<float> values = sampleValues(6);
  auto resource = DenseResourceElementsAttr::get(
      tensor({2, 3}, b.getF32Type()), "bytes",
      HeapAsmResourceBlob::allocateAndCopyInferAlign(ArrayRef<float>(values)));
  EXPECT_EQ(getElementsDataBytes(resource), 24);
  auto idx = DenseElementsAttr::get(tensor({3}, b.getIndexType()),
                                    ArrayRef<int64_t>({1, 2, 3}));
  EXPECT_EQ(getElementsDataBytes(idx), 24);
  EXPECT_EQ(getElementsDataBytes(ElementsAttr()), 0);
}

} // namespace
