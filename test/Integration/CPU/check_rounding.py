#!/usr/bin/env python3
"""Checks f32 -> bf16 roundings printed by expand-rounding.mlir.

check_rounding.py TEST.mlir OUTPUT

TEST.mlir names its f32 bit patterns on a `// VALUES:` line; OUTPUT holds
five printed vectors of i16 (to_nearest_even, toward_zero, to_nearest_away,
upward, downward). Each expected result is computed here from exact values
(fractions), not from bit tricks: the two bf16 neighbours of the value and
the mode's choice between them. A NaN must give a NaN (of either sign:
the default rounding, upstream's arith-expand on the CPU, makes it +NaN).
Prints a summary and exits 1 on any mismatch.
"""
import re
import sys
from fractions import Fraction

MODES = ["to_nearest_even", "toward_zero", "to_nearest_away", "upward",
         "downward"]


def f32_value(bits):
    """Exact value of an f32 pattern (None for NaN, +-inf as strings)."""
    sign = -1 if bits >> 31 else 1
    exp = (bits >> 23) & 0xFF
    man = bits & 0x7FFFFF
    if exp == 0xFF:
        return None if man else ("inf" if sign > 0 else "-inf")
    if exp == 0:
        return sign * Fraction(man, 1 << 149)
    return sign * Fraction((1 << 23) | man, 1 << 23) * Fraction(2) ** (exp - 127)


def bf16_value(b):
    """Exact value of a bf16 pattern; 0x7F80 counts as 2^128 for rounding."""
    magnitude = b & 0x7FFF
    sign = -1 if b & 0x8000 else 1
    if magnitude == 0x7F80:
        return sign * Fraction(2) ** 128
    value = f32_value(magnitude << 16)
    return sign * value


def expected(bits, mode):
    value = f32_value(bits)
    if value is None:
        return "nan"
    if value in ("inf", "-inf"):
        return bits >> 16
    toward = bits >> 16                 # the neighbour toward zero
    away = toward + 1 if (bits & 0xFFFF) else toward
    if away == toward:
        return toward
    low, high = abs(bf16_value(toward)), abs(bf16_value(away))
    magnitude = abs(value)
    positive = not (bits >> 31)
    if mode == "toward_zero":
        return toward
    if mode == "upward":
        return away if positive else toward
    if mode == "downward":
        return toward if positive else away
    if magnitude - low < high - magnitude:
        return toward
    if magnitude - low > high - magnitude:
        return away
    if mode == "to_nearest_away":
        return away
    return toward if toward % 2 == 0 else away


def main():
    source, output = sys.argv[1], sys.argv[2]
    values = None
    for line in open(source):
        m = re.match(r"// VALUES: (.*)", line)
        if m:
            values = [int(v, 16) for v in m.group(1).split()]
    rows = [[int(v) & 0xFFFF for v in re.findall(r"-?\d+", line)]
            for line in open(output) if line.startswith("(")]
    if values is None or len(rows) != len(MODES):
        print(f"expected {len(MODES)} printed vectors and a VALUES line")
        return 1
    bad = 0
    for mode, row in zip(MODES, rows):
        for bits, got in zip(values, row):
            want = expected(bits, mode)
            if isinstance(want, str):
                ok = (got & 0x7F80) == 0x7F80 and (got & 0x7F) != 0
            else:
                ok = got == want
            if not ok:
                bad += 1
                print(f"{mode} 0x{bits:08X}: got 0x{got:04X}, "
                      f"expected {want if isinstance(want, str) else hex(want)}")
    if bad:
        print(f"{bad} mismatches")
        return 1
    print(f"{len(MODES)} modes x {len(values)} values: all as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
