#!/usr/bin/env python3
"""Checks the Hopper emulator's model of wgmma's accumulator fragment
(wgmma_layout.fragment_position) against upstream MLIR: reads the lowering
of nvgpu.warpgroup.mma.store (convert-nvgpu-to-nvvm, on stdin), evaluates
for every thread of the warpgroup the row and column each register is
stored to, and compares them with the model's.

Usage: pixelfly-opt store.mlir --convert-nvgpu-to-nvvm | check_fragment_layout.py
       [--perturb] (a wrong model, which must fail)
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wgmma_layout import fragment_position  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--perturb", action="store_true")
args = ap.parse_args()

model = fragment_position
if args.perturb:
    def model(t, j):
        row, col = fragment_position(t, j)
        return row, col ^ 1

BINARY = {"llvm.add": lambda a, b: a + b, "llvm.mul": lambda a, b: a * b,
          "llvm.udiv": lambda a, b: a // b, "llvm.urem": lambda a, b: a % b}
lines = sys.stdin.read().splitlines()
checked, wrong = 0, []
for tid in range(128):
    env, tiles, registers = {}, {}, {}
    for line in lines:
        line = line.strip()
        m = re.match(r"(%\w+) = (.*)", line)
        if m:
            res, rhs = m.groups()
            if rhs.startswith("nvvm.read.ptx.sreg.tid.x"):
                env[res] = tid
            elif (c := re.match(r"llvm\.mlir\.constant\((-?\d+) : i\d+\)", rhs)):
                env[res] = int(c.group(1))
            elif (o := re.match(r"(llvm\.\w+) (%\w+), (%\w+) :", rhs)) and o.group(1) in BINARY:
                env[res] = BINARY[o.group(1)](env[o.group(2)], env[o.group(3)])
            elif (o := re.match(r"arith\.index_cast (%\w+) :", rhs)):
                env[res] = env[o.group(1)]
            elif (o := re.match(r"llvm\.extractvalue (%\w+)\[(\d+)\]", rhs)):
                # The accumulator is a struct of one struct per 64-row tile:
                # the first extraction takes a tile, the second a register.
                src, k = o.group(1), int(o.group(2))
                if src in tiles:
                    registers[res] = (tiles[src], k)
                else:
                    tiles[res] = k
            continue
        s = re.match(r"memref\.store (%\w+), %\w+\[(%\w+), (%\w+)\]", line)
        if s and s.group(1) in registers:
            tile, j = registers[s.group(1)]
            got = (env[s.group(2)], env[s.group(3)])
            row, col = model(tid, j)
            want = (64 * tile + row, col)
            checked += 1
            if got != want:
                wrong.append((tid, j, got, want))
if checked == 0:
    sys.exit("no stores of accumulator registers found")
print(f"fragment layout: {checked} register stores of 128 threads, "
      f"{len(wrong)} differ from the model")
for tid, j, got, want in wrong[:5]:
    print(f"  thread {tid} register {j}: upstream stores at {got}, model says {want}")
sys.exit(1 if wrong else 0)
