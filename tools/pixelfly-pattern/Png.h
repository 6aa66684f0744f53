//===- Png.h - Minimal 8-bit grayscale PNG writer ---------------*- C++ -*-===//
//
// Part of the pixelfly-mlir project.
//
// A small, dependency-free PNG encoder for pixelfly-pattern: 8-bit grayscale,
// no interlacing, filter type 0 (None) on every scanline, and a zlib stream
// made of stored (uncompressed) deflate blocks. Files are larger than with
// real compression, but the encoder needs no zlib and is easy to check.
//
//===----------------------------------------------------------------------===//

#ifndef PIXELFLY_TOOLS_PIXELFLY_PATTERN_PNG_H
#define PIXELFLY_TOOLS_PIXELFLY_PATTERN_PNG_H

#include <cstddef>
#include <cstdint>
#include <functional>

namespace mlir::pixelfly::png {

/// Largest width or height the PNG specification allows (2^31 - 1).
constexpr uint32_t kMaxDimension = 0x7fffffffu;

/// CRC-32 (polynomial 0xEDB88320, as PNG chunks use), continuing from `crc`:
/// pass 0 to start, and the previous result to extend over more bytes.
uint32_t crc32(const uint8_t *data, size_t size, uint32_t crc = 0);

/// Adler-32 (as zlib streams use), continuing from `adler`: pass 1 to start,
/// and the previous result to extend over more bytes.
uint32_t adler32(const uint8_t *data, size_t size, uint32_t adler = 1);

/// Fills `row` (`width` bytes) with the gray levels of image row `y`
/// (0 is black, 255 white).
using RowFn = std::function<void(uint32_t y, uint8_t *row)>;

/// Receives the bytes of the encoded file, in order.
using WriteFn = std::function<void(const uint8_t *data, size_t size)>;

/// Encodes a `width x height` 8-bit grayscale image, asking `getRow` for one
/// row at a time (top to bottom) so that memory use does not grow with the
/// image. Both dimensions must be in [1, kMaxDimension]; returns false (and
/// writes nothing) otherwise.
bool writeGray8(uint32_t width, uint32_t height, const RowFn &getRow,
                const WriteFn &write);

} // namespace mlir::pixelfly::png

#endif // PIXELFLY_TOOLS_PIXELFLY_PATTERN_PNG_H
