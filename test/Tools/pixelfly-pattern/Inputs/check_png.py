"""Checks a PNG written by pixelfly-pattern against its text mask.

usage: check_png.py FILE.png MASK.txt

Decodes the file independently of the tool (Python's zlib checks the
Adler-32, and every chunk's CRC-32 is recomputed here), checks that it is
8-bit grayscale with filter type 0 on every scanline, and that every pixel is
0 (black) for a stored block and 255 (white) otherwise, with square blocks of
SCALE x SCALE pixels. Prints one line per finding for FileCheck; exits 1 on
the first mismatch.
"""

import struct
import sys
import zlib


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def main():
    png_path, mask_path = sys.argv[1], sys.argv[2]
    data = open(png_path, "rb").read()
    mask = [line for line in open(mask_path).read().splitlines()
            if not line.startswith("density:")]

    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("bad signature")
    print("signature ok")

    pos, chunks, idat = 8, [], b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            fail("bad CRC in chunk " + kind.decode("ascii", "replace"))
        chunks.append(kind.decode("ascii"))
        if kind == b"IHDR":
            width, height, depth, color, comp, filt, interlace = \
                struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    if pos != len(data):
        fail("truncated chunk")
    if chunks[0] != "IHDR" or chunks[-1] != "IEND" or \
            set(chunks[1:-1]) != {"IDAT"}:
        fail("unexpected chunk order: " + " ".join(chunks))
    print("chunks ok: IHDR, %d IDAT, IEND" % (len(chunks) - 2))
    print("IHDR %dx%d depth %d color %d compression %d filter %d interlace %d"
          % (width, height, depth, color, comp, filt, interlace))

    raw = zlib.decompress(idat)  # also checks the Adler-32 trailer
    if len(raw) != height * (width + 1):
        fail("decompressed %d bytes, expected %d"
             % (len(raw), height * (width + 1)))

    rows, cols = len(mask), len(mask[0])
    if width % cols or height % rows or width // cols != height // rows:
        fail("%dx%d pixels do not fit a %dx%d mask with square blocks"
             % (width, height, rows, cols))
    scale = width // cols
    for y in range(height):
        line = raw[y * (width + 1):(y + 1) * (width + 1)]
        if line[0] != 0:
            fail("row %d uses filter type %d" % (y, line[0]))
        for x in range(width):
            want = 0 if mask[y // scale][x // scale] == "1" else 255
            if line[1 + x] != want:
                fail("pixel (%d, %d) is %d, expected %d"
                     % (x, y, line[1 + x], want))
    print("pixels match the %dx%d mask at scale %d" % (rows, cols, scale))


if __name__ == "__main__":
    main()
