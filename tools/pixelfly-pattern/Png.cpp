//===- Png.cpp - Minimal 8-bit grayscale PNG writer -----------------------===//
//
// Part of the pixelfly-mlir project.
//
// Written from the PNG specification (W3C, 2nd edition), RFC 1950 (zlib) and
// RFC 1951 section 3.2.4 (stored deflate blocks).
//
//===----------------------------------------------------------------------===//

#include "Png.h"

#include <algorithm>
#include <array>
#include <vector>

namespace mlir::pixelfly::png {

namespace {

const std::array<uint32_t, 256> &crcTable() {
  // Byte-at-a-time table of the reflected polynomial 0xEDB88320.
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t n = 0; n < 256; ++n) {
      uint32_t c = n;
      for (int k = 0; k < 8; ++k)
        c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
    return t;
  }();
  return table;
}

void appendBE32(std::vector<uint8_t> &out, uint32_t v) {
  out.push_back(static_cast<uint8_t>(v >> 24));
  out.push_back(static_cast<uint8_t>(v >> 16));
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}

/// Writes one chunk: length, type, data, CRC of type and data.
void writeChunk(const WriteFn &write, const char type[4],
                const std::vector<uint8_t> &data) {
  std::vector<uint8_t> head;
  appendBE32(head, static_cast<uint32_t>(data.size()));
  head.insert(head.end(), type, type + 4);
  write(head.data(), head.size());
  if (!data.empty())
    write(data.data(), data.size());
  uint32_t crc = crc32(head.data() + 4, 4);
  crc = crc32(data.data(), data.size(), crc);
  std::vector<uint8_t> tail;
  appendBE32(tail, crc);
  write(tail.data(), tail.size());
}

/// Buffers the zlib stream and hands it out as IDAT chunks. Decoders
/// concatenate the data of consecutive IDAT chunks, so the split points are
/// free; bounding the chunk size bounds memory use.
class IdatWriter {
public:
  explicit IdatWriter(const WriteFn &write) : write(write) {}

  void append(const uint8_t *data, size_t size) {
    buffer.insert(buffer.end(), data, data + size);
    if (buffer.size() >= kFlushSize)
      flush();
  }

  void flush() {
    if (buffer.empty())
      return;
    writeChunk(write, "IDAT", buffer);
    buffer.clear();
  }

private:
  static constexpr size_t kFlushSize = size_t{1} << 20;
  const WriteFn &write;
  std::vector<uint8_t> buffer;
};

/// Turns raw bytes into a zlib stream of stored deflate blocks. The total
/// size is known up front so that the block holding the last byte can be
/// marked final without looking ahead.
class StoredZlibWriter {
public:
  StoredZlibWriter(IdatWriter &out, uint64_t totalSize)
      : out(out), remaining(totalSize) {
    // CMF 0x78: deflate with a 32 KiB window; FLG 0x01: no dictionary,
    // level "fastest", and (CMF * 256 + FLG) divisible by 31.
    const uint8_t header[2] = {0x78, 0x01};
    out.append(header, 2);
  }

  void add(const uint8_t *data, size_t size) {
    adler = adler32(data, size, adler);
    while (size > 0) {
      size_t take = std::min(size, kMaxStored - pending.size());
      pending.insert(pending.end(), data, data + take);
      data += take;
      size -= take;
      remaining -= take;
      if (pending.size() == kMaxStored || remaining == 0)
        emitBlock(/*final=*/remaining == 0);
    }
  }

  /// Appends the Adler-32 trailer; all `totalSize` bytes must have been added.
  void finish() {
    std::vector<uint8_t> trailer;
    appendBE32(trailer, adler);
    out.append(trailer.data(), trailer.size());
  }

private:
  // LEN of a stored block is 16 bits.
  static constexpr size_t kMaxStored = 65535;

  void emitBlock(bool final) {
    // A stored block starts on a byte boundary here (every earlier block is
    // whole bytes), so BFINAL and BTYPE = 00 fill one byte with padding.
    uint16_t len = static_cast<uint16_t>(pending.size());
    uint16_t nlen = static_cast<uint16_t>(~len);
    const uint8_t head[5] = {
        static_cast<uint8_t>(final ? 1 : 0), static_cast<uint8_t>(len & 0xff),
        static_cast<uint8_t>(len >> 8), static_cast<uint8_t>(nlen & 0xff),
        static_cast<uint8_t>(nlen >> 8)};
    out.append(head, 5);
    out.append(pending.data(), pending.size());
    pending.clear();
  }

  IdatWriter &out;
  uint64_t remaining;
  uint32_t adler = 1;
  std::vector<uint8_t> pending;
};

} // namespace

uint32_t crc32(const uint8_t *data, size_t size, uint32_t crc) {
  const auto &table = crcTable();
  uint32_t c = crc ^ 0xffffffffu;
  for (size_t i = 0; i < size; ++i)
    c = table[(c ^ data[i]) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

uint32_t adler32(const uint8_t *data, size_t size, uint32_t adler) {
  constexpr uint32_t kMod = 65521;
  // 5552 is the largest run for which the sums cannot overflow 32 bits
  // before the modulo (RFC 1950 / zlib's NMAX).
  constexpr size_t kRun = 5552;
  uint32_t a = adler & 0xffff, b = adler >> 16;
  while (size > 0) {
    size_t n = std::min(size, kRun);
    for (size_t i = 0; i < n; ++i) {
      a += data[i];
      b += a;
    }
    a %= kMod;
    b %= kMod;
    data += n;
    size -= n;
  }
  return (b << 16) | a;
}

bool writeGray8(uint32_t width, uint32_t height, const RowFn &getRow,
                const WriteFn &write) {
  if (width < 1 || height < 1 || width > kMaxDimension ||
      height > kMaxDimension)
    return false;

  static const uint8_t signature[8] = {0x89, 'P',  'N',  'G',
                                       '\r', '\n', 0x1a, '\n'};
  write(signature, sizeof(signature));

  std::vector<uint8_t> ihdr;
  appendBE32(ihdr, width);
  appendBE32(ihdr, height);
  ihdr.push_back(8); // bit depth
  ihdr.push_back(0); // color type: grayscale
  ihdr.push_back(0); // compression method: deflate
  ihdr.push_back(0); // filter method: adaptive (we only use type None)
  ihdr.push_back(0); // no interlace
  writeChunk(write, "IHDR", ihdr);

  IdatWriter idat(write);
  // Every scanline is one filter-type byte followed by the pixels.
  uint64_t lineSize = uint64_t{width} + 1;
  StoredZlibWriter zlib(idat, lineSize * height);
  std::vector<uint8_t> line(lineSize);
  for (uint32_t y = 0; y < height; ++y) {
    line[0] = 0; // filter type None
    getRow(y, line.data() + 1);
    zlib.add(line.data(), line.size());
  }
  zlib.finish();
  idat.flush();

  writeChunk(write, "IEND", {});
  return true;
}

} // namespace mlir::pixelfly::png
