"""Speedup plots as PNG in pure Python (zlib, no matplotlib or numpy), so
that the benchmark draws its plots on any machine, GPU hosts included.

speedup_plot(path, title, series) draws speedup over a baseline (cuBLAS by
default; the CPU benchmark's is OpenBLAS) against weight density (log
scale, 1/8 to 1) with the physical limit 1/density dashed, the baseline at
1, and one line with markers per series (label, rgb, points).
"""

import math
import struct
import zlib

# 5 x 7 glyphs, rows top to bottom ('#' set). Letters are drawn upper case.
_GLYPHS = {
    "0": ".###. #...# #..## #.#.# ##..# #...# .###.",
    "1": "..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.",
    "2": ".###. #...# ....# ...#. ..#.. .#... #####",
    "3": "##### ...#. ..#.. ...#. ....# #...# .###.",
    "4": "...#. ..##. .#.#. #..#. ##### ...#. ...#.",
    "5": "##### #.... ####. ....# ....# #...# .###.",
    "6": "..##. .#... #.... ####. #...# #...# .###.",
    "7": "##### ....# ...#. ..#.. .#... .#... .#...",
    "8": ".###. #...# #...# .###. #...# #...# .###.",
    "9": ".###. #...# #...# .#### ....# ...#. .##..",
    "A": ".###. #...# #...# ##### #...# #...# #...#",
    "B": "####. #...# #...# ####. #...# #...# ####.",
    "C": ".###. #...# #.... #.... #.... #...# .###.",
    "D": "###.. #..#. #...# #...# #...# #..#. ###..",
    "E": "##### #.... #.... ####. #.... #.... #####",
    "F": "##### #.... #.... ####. #.... #.... #....",
    "G": ".###. #...# #.... #.### #...# #...# .####",
    "H": "#...# #...# #...# ##### #...# #...# #...#",
    "I": ".###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.",
    "J": "..### ...#. ...#. ...#. ...#. #..#. .##..",
    "K": "#...# #..#. #.#.. ##... #.#.. #..#. #...#",
    "L": "#.... #.... #.... #.... #.... #.... #####",
    "M": "#...# ##.## #.#.# #.#.# #...# #...# #...#",
    "N": "#...# #...# ##..# #.#.# #..## #...# #...#",
    "O": ".###. #...# #...# #...# #...# #...# .###.",
    "P": "####. #...# #...# ####. #.... #.... #....",
    "Q": ".###. #...# #...# #...# #.#.# #..#. .##.#",
    "R": "####. #...# #...# ####. #.#.. #..#. #...#",
    "S": ".#### #.... #.... .###. ....# ....# ####.",
    "T": "##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..",
    "U": "#...# #...# #...# #...# #...# #...# .###.",
    "V": "#...# #...# #...# #...# #...# .#.#. ..#..",
    "W": "#...# #...# #...# #.#.# #.#.# #.#.# .#.#.",
    "X": "#...# #...# .#.#. ..#.. .#.#. #...# #...#",
    "Y": "#...# #...# .#.#. ..#.. ..#.. ..#.. ..#..",
    "Z": "##### ....# ...#. ..#.. .#... #.... #####",
    "x": "..... ..... #...# .#.#. ..#.. .#.#. #...#",
    ".": "..... ..... ..... ..... ..... .##.. .##..",
    ":": "..... .##.. .##.. ..... .##.. .##.. .....",
    "+": "..... ..#.. ..#.. ##### ..#.. ..#.. .....",
    "-": "..... ..... ..... ##### ..... ..... .....",
    "_": "..... ..... ..... ..... ..... ..... #####",
    "=": "..... ..... ##### ..... ##### ..... .....",
    "%": "##... ##..# ...#. ..#.. .#... #..## ...##",
    "/": "..... ....# ...#. ..#.. .#... #.... .....",
    "(": "...#. ..#.. .#... .#... .#... ..#.. ...#.",
    ")": ".#... ..#.. ...#. ...#. ...#. ..#.. .#...",
    ">": ".#... ..#.. ...#. ....# ...#. ..#.. .#...",
    " ": "..... ..... ..... ..... ..... ..... .....",
    "?": ".###. #...# ....# ...#. ..#.. ..... ..#..",
}

WHITE, BLACK, GRAY, LIGHT = (255, 255, 255), (0, 0, 0), (128, 128, 128), (225, 225, 225)


class Canvas:
    def __init__(self, width, height):
        self.w, self.h = width, height
        self.px = bytearray(WHITE * (width * height))

    def set(self, x, y, rgb):
        if 0 <= x < self.w and 0 <= y < self.h:
            i = 3 * (y * self.w + x)
            self.px[i:i + 3] = bytes(rgb)

    def rect(self, x0, y0, x1, y1, rgb):
        for y in range(max(0, y0), min(self.h, y1 + 1)):
            for x in range(max(0, x0), min(self.w, x1 + 1)):
                self.set(x, y, rgb)

    def line(self, x0, y0, x1, y1, rgb, width=1, dash=0):
        """A line `width` pixels thick; dashes of `dash` pixels if set."""
        steps = max(abs(x1 - x0), abs(y1 - y0), 1)
        r = width // 2
        for s in range(steps + 1):
            if dash and (s // dash) % 2:
                continue
            x = round(x0 + (x1 - x0) * s / steps)
            y = round(y0 + (y1 - y0) * s / steps)
            self.rect(x - r, y - r, x - r + width - 1, y - r + width - 1, rgb)

    def text(self, x, y, s, rgb=BLACK, scale=2):
        """`s` with its top-left corner at (x, y); returns its width."""
        for i, ch in enumerate(s):
            glyph = _GLYPHS.get(ch) or _GLYPHS.get(ch.upper()) or _GLYPHS["?"]
            for row, bits in enumerate(glyph.split()):
                for col, bit in enumerate(bits):
                    if bit == "#":
                        gx, gy = x + (6 * i + col) * scale, y + row * scale
                        self.rect(gx, gy, gx + scale - 1, gy + scale - 1, rgb)
        return text_width(s, scale)

    def png(self):
        rows = b"".join(b"\x00" + bytes(self.px[3 * y * self.w:3 * (y + 1) * self.w])
                        for y in range(self.h))

        def chunk(tag, data):
            return (struct.pack(">I", len(data)) + tag + data
                    + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF))
        return (b"\x89PNG\r\n\x1a\n"
                + chunk(b"IHDR", struct.pack(">IIBBBBB", self.w, self.h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def text_width(s, scale=2):
    return (6 * len(s) - 1) * scale if s else 0


def speedup_plot(path, title, series, width=960, height=560,
                 baseline="cublas"):
    c = Canvas(width, height)
    left, right, top, bottom = 70, width - 250, 50, height - 60
    densities = [0.125, 0.25, 0.5, 1.0]
    values = [v for _, _, pts in series for _, v in pts]
    y_max = max([8.0] + values) * 1.1
    step = 1 if y_max <= 12 else 2 if y_max <= 24 else 5

    def px(d):
        t = (math.log2(d) + 3) / 3
        return round(left + t * (right - left))

    def py(v):
        return round(bottom - v / y_max * (bottom - top))

    c.text(left, 16, title)
    tick = 0
    while tick <= y_max:
        y = py(tick)
        c.line(left, y, right, y, LIGHT)
        label = f"{tick}x"
        c.text(left - 10 - text_width(label), y - 7, label)
        tick += step
    for d in densities:
        x = px(d)
        c.line(x, top, x, bottom, LIGHT)
        label = f"{d:g}"
        c.text(x - text_width(label) // 2, bottom + 14, label)
    c.text((left + right) // 2 - text_width("weight density") // 2, bottom + 38,
           "weight density")
    c.line(left, top, left, bottom, BLACK)
    c.line(left, bottom, right, bottom, BLACK)
    # Physical limit 1/density and the baseline.
    limit = [(px(d), py(1 / d)) for d in (0.125, 0.177, 0.25, 0.354, 0.5, 0.707, 1.0)]
    for (x0, y0), (x1, y1) in zip(limit, limit[1:]):
        c.line(x0, y0, x1, y1, GRAY, width=2, dash=6)
    c.line(left, py(1), right, py(1), BLACK, width=2, dash=3)
    legend = [("1/density", GRAY), (baseline, BLACK)] + [(l, rgb) for l, rgb, _ in series]
    for (label, rgb), (_, _, pts) in zip(legend[2:], series):
        pts = [(px(d), py(v)) for d, v in pts]
        for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
            c.line(x0, y0, x1, y1, rgb, width=3)
        for x, y in pts:
            c.rect(x - 4, y - 4, x + 4, y + 4, rgb)
    for i, (label, rgb) in enumerate(legend):
        y = top + 24 * i
        c.rect(right + 20, y + 3, right + 44, y + 10, rgb)
        c.text(right + 52, y, label)
    with open(path, "wb") as f:
        f.write(c.png())
