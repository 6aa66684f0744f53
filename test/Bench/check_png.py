#!/usr/bin/env python3
"""Decodes a PNG written by bench/gpu/plot_png.py (8-bit RGB, filter 0) and
prints its size and how many pixels have each of the given colors:

    check_png.py FILE r,g,b [r,g,b ...]

Exits 1 if the file is not a valid PNG (signature, chunk CRCs, IDAT
stream, row count)."""

import struct
import sys
import zlib


def main():
    data = open(sys.argv[1], "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        print("FAIL: not a PNG")
        return 1
    pos, chunks = 8, {}
    while pos < len(data):
        length, tag = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(tag + body) & 0xFFFFFFFF != crc:
            print(f"FAIL: bad CRC in {tag.decode()}")
            return 1
        chunks.setdefault(tag, b"")
        chunks[tag] += body
        pos += 12 + length
    w, h, depth, color = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    raw = zlib.decompress(chunks[b"IDAT"])
    if (depth, color) != (8, 2) or len(raw) != h * (1 + 3 * w):
        print("FAIL: not 8-bit RGB rows")
        return 1
    counts = {}
    for y in range(h):
        row = raw[y * (1 + 3 * w) + 1:(y + 1) * (1 + 3 * w)]
        for x in range(w):
            rgb = tuple(row[3 * x:3 * x + 3])
            counts[rgb] = counts.get(rgb, 0) + 1
    print(f"png {w}x{h} IEND={b'IEND' in chunks}")
    for spec in sys.argv[2:]:
        rgb = tuple(int(v) for v in spec.split(","))
        print(f"color {spec}: {counts.get(rgb, 0)} pixels")
    return 0


if __name__ == "__main__":
    sys.exit(main())
