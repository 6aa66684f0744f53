#!/usr/bin/env python3
"""CPU emulation of a module produced by convert-pixelfly-to-gpu.

Runs the host function of a module printed in generic form
(`--mlir-print-op-generic`), including its gpu.launch_func, on small-integer
inputs, and checks the result against a dense reference computed here from
the block layout of the ORIGINAL (unlowered) input, so a wrong table, index
or fragment mapping in the kernel shows up as a mismatch.

The threads of a thread block run in lockstep; every SSA value holds one
entry per thread. NVGPU/NVVM ops get their PTX-ISA semantics:

  ldmatrix .m8n8.x4: lane 8j + r gives the address of row r of matrix j;
      lane L receives in register j the pair M_j[L/4][2(L%4) + i], or with
      .trans the pair M_j[2(L%4) + i][L/4] (the matrix transposed).
  mma.sync m16n8k16 (f16/bf16, f32 accumulation), g = lane/4, t = lane%4:
      A regs: A[g][2t+i], A[g+8][2t+i], A[g][2t+8+i], A[g+8][2t+8+i]
      B regs: B[k=2t+i][n=g], B[k=2t+8+i][n=g]
      C/D:    C[g][2t+i], C[g+8][2t+i]
  cp.async 16 B with src-size: bytes past the valid source elements are
      zero; copies are queued per thread, committed by create_group and land
      when a wait_group forces them (--land lazy) or at once (--land eager,
      which catches refilling a stage that is still being read).

Also counts shared-memory bank conflicts of ldmatrix phases. Exit status 0
iff the result matches exactly and nothing was accessed out of bounds.

Usage: emulate_kernel.py LOWERED.mlir --source INPUT.mlir --M 37 [--land both]
"""
import argparse
import math
import random
import re
import struct
import sys

ap = argparse.ArgumentParser()
ap.add_argument("lowered")
ap.add_argument("--source", required=True,
                help="the input with the #pixelfly.block_layout (explicit CSR)")
ap.add_argument("--M", type=int, required=True, help="value of a dynamic M")
ap.add_argument("--land", default="both", choices=["lazy", "eager", "both"])
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--weights-from", help="prune: the f16 weight of this file's hex constant")
ap.add_argument("--expect-folded", help="prune: compare with these folded constants")
ap.add_argument("--zero-init", action="store_true",
                help="the source zero-fills init before the product: init starts "
                     "as NaN (a kernel that reads it fails) and the reference uses +0")
ap.add_argument("--reference",
                help="a module of the same source lowered another way (epilogues "
                     "not fused, the rest as loops on the host): both run on the "
                     "same arguments and every argument must end up bit-identical")
ap.add_argument("--outputs", type=int, default=1,
                help="--reference: the last this many arguments are outputs: they "
                     "start as NaN, and the reference must write all of them")
ap.add_argument("--fraction-bits", type=int, default=0,
                help="f32 x and weights get this many random fraction bits (TF32 rounding)")
# Imported by emulate_hopper.py as a library: its own arguments then.
args = ap.parse_args() if __name__ == "__main__" else None


class EmulationError(Exception):
    pass


# ------------------------------------------------------------------ parsing
class Op:
    def __init__(self, results, name, operands, text):
        self.results, self.name, self.operands, self.text = results, name, operands, text
        self.regions = []  # list of (block arg names, block arg types, ops)


OP_RE = re.compile(r'^(?:(%[\w]+)(?::(\d+))? = )?"([\w.]+)"\((.*?)\)(.*)$')
BB_RE = re.compile(r"^\^bb\d+(?:\((.*)\))?:$")


def split_top(s):
    """Splits at commas not nested in <>, (), [] or {}."""
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch in "<([{":
            depth += 1
        elif ch in ">)]}":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


def parse_ops(lines, i):
    """Parses ops until a line closing the region; returns (ops, i)."""
    ops = []
    while i < len(lines):
        line = lines[i]
        if line.startswith("}"):
            return ops, i
        m = OP_RE.match(line)
        if not m:
            raise EmulationError(f"cannot parse: {line}")
        res, count, name, operands, rest = m.groups()
        results = []
        if res:
            results = [f"{res}#{k}" for k in range(int(count))] if count else [res]
        op = Op(results, name, [o for o in operands.split(", ") if o], rest)
        i += 1
        if rest.endswith("({"):
            while True:
                argnames, argtypes = [], []
                bb = BB_RE.match(lines[i]) if i < len(lines) else None
                if bb:
                    for a in split_top(bb.group(1) or ""):
                        n, t = a.split(":", 1)
                        argnames.append(n.strip())
                        argtypes.append(t.strip())
                    i += 1
                body, i = parse_ops(lines, i)
                op.regions.append((argnames, argtypes, body))
                if lines[i] == "}, {":
                    i += 1
                    continue
                op.text += " " + lines[i]  # `}) {attrs} : types`
                i += 1
                break
        ops.append(op)
    return ops, i


def prop(op, key):
    m = re.search(key + r" = ([^,}>]+(?:<[^>]*>)?)", op.text)
    return m.group(1) if m else None


def int_array(op, key):
    m = re.search(key + r" = array<i\d+(?:: ([-\d, ]*))?>", op.text)
    return [int(v) for v in m.group(1).split(",")] if m and m.group(1) else []


def memref_shape(t):
    m = re.match(r"memref<((?:[\d?]+x)*)(\w+)", t)
    dims = [d for d in m.group(1).split("x") if d]
    return [None if d == "?" else int(d) for d in dims], m.group(2)


def global_ints(g, shape, elt):
    """The integer initializer of a memref.global: a decimal list, a splat
    or hex bytes (little-endian), as MLIR prints them."""
    count = 1
    for d in shape:
        count *= d
    body = re.search(r"dense<(.*?)> :", g.text).group(1)
    if body.startswith('"0x'):
        raw = bytes.fromhex(body[3:-1])
        fmt = {"i16": "<H", "i32": "<i", "i64": "<q"}[elt]
        size = struct.calcsize(fmt)
        vals = [struct.unpack_from(fmt, raw, i * size)[0] for i in range(len(raw) // size)]
    else:
        vals = [int(v) for v in re.findall(r"-?\d+", body)]
    return vals * count if len(vals) == 1 and count > 1 else vals


def vector_len(t):
    n = 1
    for d in re.match(r"\s*vector<((?:\d+x)+)", t).group(1).rstrip("x").split("x"):
        n *= int(d)
    return n


def check_alignment(op, m, span):
    """A vector access with an `alignment` is lowered to one access the
    hardware faults on when misaligned (buffers start 256-byte aligned)."""
    found = re.search(r"alignment = (\d+)", op.text)
    if found and m.buf.elem_bytes and (span[0] * m.buf.elem_bytes) % int(found.group(1)):
        raise EmulationError(f"{m.buf.name}: {op.name} at element {span[0]} "
                             f"not {found.group(1)}-byte aligned")


def elt_bytes(elt):
    return 4 if elt in ("f32", "i32") else 2


def to_tf32(x, rna):
    """TF32 from an f32: rounded to nearest, ties away (cvt.rna.tf32.f32),
    or with the low 13 mantissa bits dropped (what mma.sync does to f32)."""
    bits = struct.unpack("<I", struct.pack("<f", x))[0]
    if rna:
        bits += 1 << 12
    return struct.unpack("<f", struct.pack("<I", bits & 0xFFFFE000))[0]


# ------------------------------------------------------------------ memory
class Buffer:
    def __init__(self, name, size, elem_bytes, fill=0.0):
        self.name, self.data, self.elem_bytes = name, [fill] * size, elem_bytes


class MemRef:
    """A row-major view of a buffer at an element offset."""

    def __init__(self, buf, shape, offset=0):
        self.buf, self.shape, self.offset = buf, shape, offset

    def linear(self, idx):
        if len(idx) != len(self.shape):
            raise EmulationError(f"{self.buf.name}: rank mismatch {idx}")
        lin = 0
        for x, s in zip(idx, self.shape):
            if not 0 <= x < s:
                raise EmulationError(f"{self.buf.name}{list(idx)} out of bounds {self.shape}")
            lin = lin * s + x
        return self.offset + lin

    def span(self, idx, n):
        """Element positions of n contiguous elements from idx (in bounds)."""
        self.linear(idx[:-1] + [idx[-1] + n - 1])
        base = self.linear(idx)
        return range(base, base + n)


# ------------------------------------------------------------------ interpreter
CMP = {0: lambda a, b: a == b, 1: lambda a, b: a != b, 2: lambda a, b: a < b,
       3: lambda a, b: a <= b, 4: lambda a, b: a > b, 5: lambda a, b: a >= b,
       6: lambda a, b: a < b, 7: lambda a, b: a <= b, 8: lambda a, b: a > b,
       9: lambda a, b: a >= b}
BIN = {"arith.addi": lambda a, b: a + b, "arith.subi": lambda a, b: a - b, "arith.muli": lambda a, b: a * b,
       "arith.divui": lambda a, b: a // b, "arith.remui": lambda a, b: a % b,
       "arith.xori": lambda a, b: a ^ b, "arith.andi": lambda a, b: a & b,
       "arith.ceildivui": lambda a, b: -(-a // b), "arith.shrui": lambda a, b: a >> b,
       "arith.shli": lambda a, b: a << b, "arith.ori": lambda a, b: a | b,
       # Unsigned: the kernels' index values are never negative.
       "arith.minui": min, "arith.maxui": max}
def _nan(x):
    return x != x


# arith.cmpf predicates (ordered ones are false on NaN, unordered true).
CMPF = {1: lambda a, b: a == b, 2: lambda a, b: a > b, 3: lambda a, b: a >= b,
        4: lambda a, b: a < b, 5: lambda a, b: a <= b,
        7: lambda a, b: not (_nan(a) or _nan(b)),
        14: lambda a, b: _nan(a) or _nan(b)}
FBIN = {"arith.addf": lambda x, y: x + y, "arith.subf": lambda x, y: x - y,
        "arith.mulf": lambda x, y: x * y,
        "arith.maximumf": lambda x, y: x if _nan(x) or x > y or (x == y and y == 0 and
                                                               math.copysign(1, y) < 0) else y,
        "arith.minimumf": lambda x, y: x if _nan(x) or x < y or (x == y and x == 0 and
                                                               math.copysign(1, x) < 0) else y}
stats = {"mma": 0, "ldmatrix": 0, "cp": 0, "zero_fill": 0, "stores": 0,
         "ldm_conflicts": 0, "ldm_phases": 0, "launches": 0, "allocs": 0}


def vmap(f, v):
    return [vmap(f, x) for x in v] if isinstance(v, list) else f(v)


def vzip(f, a, b):
    return [vzip(f, x, y) for x, y in zip(a, b)] if isinstance(a, list) else f(a, b)


def gather_accumulators(c, w):
    """The 16 x 8 accumulator of warp w from its lanes' fragments: lane
    4g + t holds rows g and g + 8, columns 2t and 2t + 1."""
    C = [[None] * 8 for _ in range(16)]
    for L in range(32):
        g, t = L // 4, L % 4
        for i in range(2):
            C[g][2 * t + i], C[g + 8][2 * t + i] = c[32 * w + L][0][i], c[32 * w + L][1][i]
    return C


def scatter_accumulators(D, out, w):
    """The inverse of gather_accumulators, into out[32 w + lane]."""
    for L in range(32):
        g, t = L // 4, L % 4
        out[32 * w + L] = [[D[g][2 * t], D[g][2 * t + 1]],
                           [D[g + 8][2 * t], D[g + 8][2 * t + 1]]]


class Machine:
    def __init__(self, module_ops, land):
        self.symbols = {}
        self.land = land
        for op in module_ops:
            self.collect(op)

    def collect(self, op):
        name = re.search(r'sym_name = "(\w+)"', op.text)
        if name:
            self.symbols[name.group(1)] = op
        if op.name in ("builtin.module", "gpu.module"):
            for region in op.regions:
                for child in region[2]:
                    self.collect(child)

    # ---- one "thread group": T threads in lockstep
    def run_func(self, func, args, T, block_id=(0, 0, 0), shared=None, **extra):
        """Runs `func` on T threads; `extra` goes into the run's context."""
        names, types, body = func.regions[0]
        env = {}
        for n, a in zip(names, args):
            env[n] = [a] * T
        ctx = {"T": T, "block_id": block_id, "pending": [[] for _ in range(T)],
               "groups": [[] for _ in range(T)], **extra}
        for k, (n, t) in enumerate(zip(names[len(args):], types[len(args):])):
            shape, elt = memref_shape(t)
            size = 1
            for s in shape:
                size *= s
            env[n] = [MemRef(Buffer(f"shared{k}", size, elt_bytes(elt)), shape)] * T
        ctx["dynamic_shared"] = shared
        self.exec_ops(body, env, ctx, [True] * T)

    def exec_ops(self, ops, env, ctx, mask):
        for op in ops:
            if op.name in ("scf.yield", "func.return", "gpu.return"):
                return [env[o] for o in op.operands]
            self.exec_op(op, env, ctx, mask)
        return []

    def exec_op(self, op, env, ctx, mask):
        T = ctx["T"]
        V = [env[o] for o in op.operands]
        n = op.name
        out = None
        if n == "arith.constant":
            m = re.search(r"value = (.*?)(?: : (\S+))?\}>", op.text)
            v, t = m.groups()
            if v.startswith("dense<"):
                val = float(v[6:-1])
                shape = [int(d) for d in re.match(r"vector<([\dx]+)x\w+>", t).group(1).split("x")]
                def mk(sh):
                    return [mk(sh[1:]) for _ in range(sh[0])] if sh else val
                out = [mk(shape)] * T
            elif v in ("true", "false"):
                out = [v == "true"] * T
            elif t in ("f32", "f16", "bf16", "f64"):
                if v.startswith("0x"):  # hex bits: infinities, NaN
                    fmt = {"f32": ("<I", "<f"), "f64": ("<Q", "<d")}[t]
                    v = struct.unpack(fmt[1], struct.pack(fmt[0], int(v, 16)))[0]
                out = [float(v)] * T
            else:
                out = [int(v)] * T
        elif n in BIN:
            out = [BIN[n](a, b) if a is not None and b is not None else None
                   for a, b in zip(*V)]
        elif n == "arith.cmpi":
            f = CMP[int(prop(op, "predicate").split()[0])]
            out = [f(a, b) if a is not None and b is not None else None
                   for a, b in zip(*V)]
        elif n == "arith.select":
            out = [a if c else b for c, a, b in zip(*V)]
        elif n in ("arith.index_cast", "arith.extui"):
            out = list(V[0])  # indices and unsigned words are Python ints
        elif n in FBIN:
            f = FBIN[n]
            # Masked-off lanes may hold values built from None (vectors of
            # loads they did not make): they compute nothing.
            out = [vzip(f, a, b) if k and a is not None and b is not None else None
                   for k, a, b in zip(mask, *V)]
        elif n == "arith.cmpf":
            f = CMPF[int(prop(op, "predicate").split()[0])]
            out = [f(a, b) if k else None for k, a, b in zip(mask, *V)]
        elif n == "arith.negf":
            out = [-v if v is not None else None for v in V[0]]
        elif n == "arith.trunci":
            bits = int(re.search(r"-> i(\d+)", op.text).group(1))
            out = [v & ((1 << bits) - 1) if v is not None else None for v in V[0]]
        elif n in ("arith.extf", "arith.truncf"):
            out = list(V[0])  # small integers: exact in f16/bf16/f32
        elif n == "nvvm.convert.float.to.tf32":
            mode = re.search(r"fp_rnd_mode<(\w+)>", op.text).group(1)
            if mode not in ("rna", "rz"):
                raise EmulationError(f"TF32 conversion with rounding {mode}")
            out = [to_tf32(v, mode == "rna") if v is not None else None for v in V[0]]
        elif n == "arith.bitcast":
            out = list(V[0])  # i32 bits of a TF32 value, kept as the value
        elif n == "ub.poison":
            shape = [int(d) for d in re.search(r"vector<([\dx]+)x\w+>", op.text).group(1).split("x")]
            out = [[[None] * shape[1] for _ in range(shape[0])]] * T
        elif n == "gpu.thread_id":
            out = list(range(T))
        elif n == "gpu.block_id":
            d = "xyz".index(re.search(r"#gpu<dim (\w)>", op.text).group(1))
            out = [ctx["block_id"][d]] * T
        elif n == "memref.dim":
            out = [m.shape[d] for m, d in zip(*V)]
        elif n == "memref.expand_shape":  # static shapes: the same bytes
            shape, _ = memref_shape(re.search(r"-> (memref<[^>]*>)", op.text).group(1))
            out = [MemRef(m.buf, shape, m.offset) for m in V[0]]
        elif n == "memref.get_global":
            g = self.symbols[re.search(r"name = @(\w+)", op.text).group(1)]
            shape, elt = memref_shape(re.search(r"type = (memref<[^>]*>)", g.text).group(1))
            vals = global_ints(g, shape, elt)
            buf = Buffer(g.text, len(vals), elt_bytes(elt))
            buf.data = vals
            out = [MemRef(buf, shape)] * T
        elif n == "memref.load":
            out = [m.buf.data[m.linear(list(idx))] if k else None
                   for k, (m, *idx) in zip(mask, zip(*V))]
        elif n == "memref.store":
            for k, (v, m, *idx) in zip(mask, zip(*V)):
                if k:
                    m.buf.data[m.linear(list(idx))] = v
                    stats["stores"] += 1
        elif n == "gpu.wait":
            out = [None] * T  # launches and allocations are synchronous here
        elif n == "gpu.alloc":
            seg = int_array(op, "operandSegmentSizes")
            shape, elt = memref_shape(op.text.split("-> ")[-1].lstrip("("))
            dyn = iter(v[0] for v in V[seg[0]:seg[0] + seg[1]])
            shape = [next(dyn) if s is None else s for s in shape]
            size = 1
            for s in shape:
                size *= s
            # Poison-like fill: a read before a write shows up as a mismatch.
            mem = [MemRef(Buffer("gpu.alloc", size, elt_bytes(elt), float("nan")), shape)] * T
            for name, v in zip(op.results, (mem, [None] * T)):
                env[name] = v
            stats["allocs"] += 1
            return
        elif n == "memref.alloc":  # host temporaries of a --reference run
            shape, elt = memref_shape(op.text.split("-> ")[-1])
            dyn = iter(v[0] for v in V)
            shape = [next(dyn) if s is None else s for s in shape]
            out = [MemRef(Buffer("memref.alloc", math.prod(shape), elt_bytes(elt),
                                 float("nan")), shape)] * T
        elif n == "memref.dealloc":
            V[0][0].buf.data = None
        elif n == "memref.copy":  # whole row-major buffers
            src, dst = V[0][0], V[1][0]
            if src.shape != dst.shape:
                raise EmulationError(f"memref.copy of {src.shape} into {dst.shape}")
            size = math.prod(src.shape)
            dst.buf.data[dst.offset:dst.offset + size] = src.buf.data[src.offset:src.offset + size]
        elif n == "gpu.dealloc":
            V[-1][0].buf.data = None  # later uses fail
            out = [None] * T
            stats["allocs"] -= 1
        elif n == "gpu.dynamic_shared_memory":
            out = [ctx["dynamic_shared"]] * T
        elif n == "memref.view":
            shape, elt = memref_shape(op.text.split("-> ")[-1])
            base, shift = V[0][0], V[1][0]
            eb = base.buf.elem_bytes
            if eb is None:  # untyped dynamic shared memory
                eb = base.buf.elem_bytes = elt_bytes(elt)
                base.buf.data = base.buf.data[:len(base.buf.data) // eb]
            if eb != elt_bytes(elt) or shift % eb:
                raise EmulationError(f"memref.view of {elt} at byte offset {shift}")
            out = [MemRef(base.buf, shape, base.offset + shift // eb)] * T
        elif n == "nvgpu.device_async_copy":
            self.async_copy(op, V, ctx, mask)
            out = [None] * T
        elif n == "nvgpu.device_async_create_group":
            for t in range(T):
                if mask[t]:
                    ctx["groups"][t].append(ctx["pending"][t])
                    ctx["pending"][t] = []
            out = [None] * T
        elif n == "nvgpu.device_async_wait":
            keep = int(prop(op, "numGroups").split()[0])
            for t in range(T):
                if mask[t]:
                    while len(ctx["groups"][t]) > keep:
                        for cp in ctx["groups"][t].pop(0):
                            self.land_copy(cp)
        elif n == "gpu.barrier":
            if not all(mask):
                raise EmulationError("gpu.barrier under divergent control flow")
        elif n == "nvgpu.ldmatrix":
            out = self.ldmatrix(op, V, T, mask)
        elif n == "vector.extract":
            pos = int_array(op, "static_position")
            def ext(v):
                for p in pos:
                    v = v[p]
                return v
            out = [ext(v) if v is not None else None for v in V[0]]
        elif n == "vector.insert":
            pos = int_array(op, "static_position")
            def ins(src, dst):
                dst = [list(r) if isinstance(r, list) else r for r in dst]
                dst[pos[0]] = src
                return dst
            out = [ins(s, d) for s, d in zip(*V)]
        elif n == "vector.bitcast":
            out = [[tuple(v)] for v in V[0]]  # two 16-bit values as one 32-bit register
        elif n == "vector.from_elements":
            dims = [int(d) for d in re.search(r"-> vector<((?:\d+x)+)", op.text).group(1).rstrip("x").split("x")]
            if len(dims) == 1:
                out = [list(e) for e in zip(*V)]
            else:
                rows, cols = dims
                out = [[list(e[r * cols:(r + 1) * cols]) for r in range(rows)] for e in zip(*V)]
        elif n == "llvm.extractvalue":
            p = int_array(op, "position")[0]
            out = [v[p] for v in V[0]]
        elif n == "nvvm.mma.sp.sync":
            seg = int_array(op, "operandSegmentSizes")
            if seg != [4, 4, 4, 1, 1] or "k = 32" not in op.text:
                raise EmulationError("only mma.sp m16n8k32 is emulated")
            a = [[list(r) for r in regs] for regs in zip(*V[0:4])]
            b = [[list(r) for r in regs] for regs in zip(*V[4:8])]
            c = [[[w, x], [y, z]] for w, x, y, z in zip(*V[8:12])]
            if any(sel != 0 for sel in V[13]):
                raise EmulationError("only sparsity selector 0 is emulated")
            d = self.mma_sparse(a, b, c, V[12], T, mask)
            out = [(r[0][0], r[0][1], r[1][0], r[1][1]) for r in d]
        elif n == "nvgpu.mma.sync":
            out = self.mma(V[0], V[1], V[2], T, mask)
        elif n == "nvvm.mma.sync":
            a = [[list(r) for r in regs] for regs in zip(*V[0:4])]
            b = [[list(r) for r in regs] for regs in zip(*V[4:6])]
            c = [[[w, x], [y, z]] for w, x, y, z in zip(*V[6:10])]
            d = self.mma(a, b, c, T, mask)
            out = [(r[0][0], r[0][1], r[1][0], r[1][1]) for r in d]
        elif n == "vector.load":
            out = [None] * T
            for t in range(T):
                if mask[t]:
                    m = V[0][t]
                    span = m.span([v[t] for v in V[1:]], vector_len(op.text.split("-> ")[-1]))
                    check_alignment(op, m, span)
                    out[t] = [m.buf.data[p] for p in span]
        elif n == "vector.store":
            for t in range(T):
                if mask[t]:
                    m = V[1][t]
                    span = m.span([v[t] for v in V[2:]], len(V[0][t]))
                    check_alignment(op, m, span)
                    for p, x in zip(span, V[0][t]):
                        m.buf.data[p] = x
                    stats["stores"] += 1
        elif n == "scf.if":
            then_mask = [k and bool(c) for k, c in zip(mask, V[0])]
            else_mask = [k and not bool(c) for k, c in zip(mask, V[0])]
            res = [[None] * T for _ in op.results]
            for region, m in zip(op.regions, (then_mask, else_mask)):
                if any(m) and region[2]:
                    vals = self.exec_ops(region[2], env, ctx, m)
                    for r, v in zip(res, vals):
                        for t in range(T):
                            if m[t]:
                                r[t] = v[t]
            for name, r in zip(op.results, res):
                env[name] = r
            return
        elif n == "scf.for":
            # Bounds must agree over the active threads (the others may
            # not have computed them).
            active = [t for t in range(T) if mask[t]] or list(range(T))
            bounds = {(V[0][t], V[1][t], V[2][t]) for t in active}
            if len(bounds) != 1:
                raise EmulationError("divergent loop bounds")
            lb, ub, step = bounds.pop()
            names, _, body = op.regions[0]
            cur = V[3:]
            for k in range(lb, ub, step):
                env[names[0]] = [k] * T
                for nm, v in zip(names[1:], cur):
                    env[nm] = v
                cur = self.exec_ops(body, env, ctx, mask)
            for name, v in zip(op.results, cur):
                env[name] = v
            return
        elif n == "gpu.launch_func":
            self.launch(op, V)
        elif n == "linalg.fill":
            # The host's fill of a weight gradient with no tokens (the else
            # branch of the launch guard): a whole row-major view.
            for t in range(T):
                if mask[t]:
                    m = V[1][t]
                    size = math.prod(m.shape)
                    m.buf.data[m.offset:m.offset + size] = [V[0][t]] * size
        else:
            raise EmulationError(f"unsupported op {n}")
        for name in op.results:
            env[name] = out

    def async_copy(self, op, V, ctx, mask):
        seg = int_array(op, "operandSegmentSizes")
        dst, src = 0, 1 + seg[1]
        dst_idx = V[1:1 + seg[1]]
        src_idx = V[src + 1:src + 1 + seg[3]]
        nel = V[src + 1 + seg[3]] if seg[4] else None
        width = int(prop(op, "dstElements").split()[0])
        for t in range(ctx["T"]):
            if not mask[t]:
                continue
            s, d = V[src][t], V[dst][t]
            valid = nel[t] if nel else width
            spos = s.span([i[t] for i in src_idx], width)
            dpos = d.span([i[t] for i in dst_idx], width)
            vals = [s.buf.data[p] if e < valid else 0.0 for e, p in enumerate(spos)]
            stats["cp"] += 1
            stats["zero_fill"] += valid < width
            cp = (d.buf, dpos, vals)
            if self.land == "eager":
                self.land_copy(cp)
            else:
                ctx["pending"][t].append(cp)

    @staticmethod
    def land_copy(cp):
        buf, pos, vals = cp
        for p, v in zip(pos, vals):
            buf.data[p] = v

    def ldmatrix(self, op, V, T, mask):
        if not all(mask):
            raise EmulationError("ldmatrix under divergent control flow")
        out = [None] * T
        eb = V[0][0].buf.elem_bytes
        per_row = 16 // eb  # one 8 x 8 b16 matrix row: 16 bytes
        trans = "transpose = true" in op.text
        if trans and eb != 2:
            raise EmulationError("ldmatrix .trans on 32-bit elements")
        for w in range(T // 32):
            mats = []
            for j in range(4):
                rows, banks = [], []
                for r in range(8):
                    t = 32 * w + 8 * j + r
                    m = V[0][t]
                    pos = m.span([i[t] for i in V[1:]], per_row)
                    if pos[0] % per_row:
                        raise EmulationError("ldmatrix row not 16-byte aligned")
                    rows.append([m.buf.data[p] for p in pos])
                    banks.append((pos[0] * eb // 16) % 8)
                stats["ldm_phases"] += 1
                stats["ldm_conflicts"] += 8 - len(set(banks))
                mats.append(rows)
            for L in range(32):
                g, t = L // 4, L % 4
                if eb == 4:  # lane (g, t) gets 32-bit element t of row g
                    out[32 * w + L] = [[mats[j][g][t]] for j in range(4)]
                elif trans:
                    out[32 * w + L] = [[mats[j][2 * t][g], mats[j][2 * t + 1][g]] for j in range(4)]
                else:
                    out[32 * w + L] = [[mats[j][g][2 * t], mats[j][g][2 * t + 1]] for j in range(4)]
        stats["ldmatrix"] += T // 32
        return out

    def mma(self, a, b, c, T, mask):
        if not all(mask):
            raise EmulationError("mma.sync under divergent control flow")
        out = [None] * T
        tf32 = len(a[0][0]) == 1  # m16n8k8: one f32 per register
        K = 8 if tf32 else 16
        for w in range(T // 32):
            A = [[None] * K for _ in range(16)]
            Bt = [[None] * K for _ in range(8)]  # B transposed: [n][k]
            C = gather_accumulators(c, w)
            for L in range(32):
                g, t = L // 4, L % 4
                fa, fb = a[32 * w + L], b[32 * w + L]
                if tf32:  # A: (g | g + 8, t | t + 4); B: (k t | t + 4, n g)
                    A[g][t], A[g + 8][t] = fa[0][0], fa[1][0]
                    A[g][t + 4], A[g + 8][t + 4] = fa[2][0], fa[3][0]
                    Bt[g][t], Bt[g][t + 4] = fb[0][0], fb[1][0]
                    continue
                for i in range(2):
                    A[g][2 * t + i], A[g + 8][2 * t + i] = fa[0][i], fa[1][i]
                    A[g][2 * t + 8 + i], A[g + 8][2 * t + 8 + i] = fa[2][i], fa[3][i]
                    Bt[g][2 * t + i], Bt[g][2 * t + 8 + i] = fb[0][i], fb[1][i]
            for row in A + Bt:
                if None in row:
                    raise EmulationError("mma.sync reads an undefined (poison) element")
            if tf32:
                A = [[to_tf32(x, False) for x in row] for row in A]
                Bt = [[to_tf32(x, False) for x in row] for row in Bt]
            D = [[C[r][n] + sum(x * y for x, y in zip(A[r], Bt[n])) for n in range(8)]
                 for r in range(16)]
            scatter_accumulators(D, out, w)
        stats["mma"] += T // 32
        return out

    def mma_sparse(self, a, b, c, meta, T, mask):
        """mma.sp m16n8k32, 16-bit operands, selector 0: A is 16 rows of 16
        compressed values (the m16n8k16 A layout); lanes 4g and 4g + 1 give
        the metadata of rows g (low half) and g + 8 (high half) over columns
        0-15 and 16-31, one nibble (i0 | i1 << 2, i0 < i1) per group."""
        if not all(mask):
            raise EmulationError("mma.sp.sync under divergent control flow")
        out = [None] * T
        for w in range(T // 32):
            comp = [[None] * 16 for _ in range(16)]
            B = [[None] * 8 for _ in range(32)]  # [k][n]
            C = gather_accumulators(c, w)
            for L in range(32):
                g, t = L // 4, L % 4
                fa, fb = a[32 * w + L], b[32 * w + L]
                for i in range(2):
                    comp[g][2 * t + i], comp[g + 8][2 * t + i] = fa[0][i], fa[1][i]
                    comp[g][8 + 2 * t + i], comp[g + 8][8 + 2 * t + i] = fa[2][i], fa[3][i]
                    for j in range(4):
                        B[8 * j + 2 * t + i][g] = fb[j][i]
            A = expand_sparse_rows(comp, meta, 32 * w)
            for row in comp + B:
                if None in row:
                    raise EmulationError("mma.sp.sync reads an undefined element")
            D = [[C[r][n] + sum(A[r][k] * B[k][n] for k in range(32)) for n in range(8)]
                 for r in range(16)]
            scatter_accumulators(D, out, w)
        stats["mma"] += T // 32
        return out

    def launch(self, op, V):
        seg = int_array(op, "operandSegmentSizes")
        pos = [sum(seg[:k]) for k in range(len(seg))]
        grid = [V[pos[k]][0] for k in (1, 2, 3)]
        threads = [V[pos[k]][0] for k in (4, 5, 6)]
        if min(grid) < 1:
            raise EmulationError(f"launch with grid {grid}")
        if threads[1:] != [1, 1]:
            raise EmulationError("only 1-D thread blocks are emulated")
        dyn = V[pos[10]][0] if seg[10] else 0
        kargs = [v[0] for v in V[pos[11]:pos[11] + seg[11]]]
        kernel = self.symbols[re.search(r"kernel = @\w+::@(\w+)", op.text).group(1)]
        known = int_array(kernel, "known_block_size")
        if known and known[0] != threads[0]:
            raise EmulationError("launch does not match known_block_size")
        stats["launches"] += 1
        for by in range(grid[1]):
            for bx in range(grid[0]):
                # Bytes; typed by the first memref.view of it.
                shared = MemRef(Buffer("dynamic_shared", dyn, None), [dyn]) if dyn else None
                self.run_func(kernel, kargs, threads[0], (bx, by, 0), shared)


def expand_sparse_rows(comp, meta, first):
    """The 32-wide rows of a sparse MMA's A from their 16 compressed values
    each (`comp`, 16 rows per warp: mma.sp m16n8k32, or the 64 rows of
    wgmma.sp m64nNk32) and the metadata words of the threads from `first`:
    lanes 4g and 4g + 1 of each warp give its rows g (low half) and g + 8
    (high half) over columns 0-15 and 16-31, one nibble (i0 | i1 << 2,
    i0 < i1) per group of 4 (selector 0)."""
    A = [[0.0] * 32 for _ in comp]
    for r in range(len(comp)):
        for h in range(2):
            word = meta[first + 32 * (r // 16) + 4 * (r % 8) + h]
            bits = (word >> (16 * ((r % 16) // 8))) & 0xFFFF
            for q in range(4):
                nib = (bits >> (4 * q)) & 0xF
                i0, i1 = nib & 3, nib >> 2
                if i0 >= i1:
                    raise EmulationError(f"invalid 2:4 metadata nibble {nib:#x}")
                grp = 4 * h + q
                A[r][4 * grp + i0] = comp[r][2 * grp]
                A[r][4 * grp + i1] = comp[r][2 * grp + 1]
    return A


# ------------------------------------------------------------------ driver
# Metadata nibbles i0 | i1 << 2 with i0 < i1: the six ways to keep 2 of 4.
VALID_NIBBLES = [0x4, 0x8, 0xC, 0x9, 0xD, 0xE]


def decode_two_four(values, meta, N, K):
    """The dense N x K weight of row-major compressed values and metadata."""
    W = [[0.0] * K for _ in range(N)]
    for n in range(N):
        for grp in range(K // 4):
            nib = (meta[n * (K // 16) + grp // 4] >> (4 * (grp % 4))) & 0xF
            W[n][4 * grp + (nib & 3)] += values[n * (K // 2) + 2 * grp]
            W[n][4 * grp + (nib >> 2)] += values[n * (K // 2) + 2 * grp + 1]
    return W


def reset_stats():
    for k in stats:
        stats[k] = 0


def land_orders():
    """The cp.async landing orders --land asks for."""
    return ["lazy", "eager"] if args.land == "both" else [args.land]


def lands(rng):
    """The landing orders of --land, each run from the same seed and with
    the counters zeroed."""
    for land in land_orders():
        rng.seed(args.seed)
        reset_stats()
        yield land


def host_arguments(machine, seed, M):
    """The host function of `machine` and its arguments: small random
    integers (init -8..8, the others -3..3; i16 metadata: random valid 2:4
    nibbles), M rows where dynamic."""
    rng = random.Random(seed)
    host = next(o for o in machine.symbols.values() if o.name == "func.func")
    types = split_top(re.search(r"function_type = \((.*?)\) ->", host.text).group(1))
    mems = []
    for k, t in enumerate(types):
        shape, elt = memref_shape(t)
        shape = [M if d is None else d for d in shape]
        size = 1
        for d in shape:
            size *= d
        buf = Buffer(f"arg{k}", size, elt_bytes(elt))
        if elt == "i16":
            buf.data = [sum(rng.choice(VALID_NIBBLES) << (4 * q) for q in range(4))
                        for _ in range(size)]
        else:
            lo, hi = (-8, 8) if k == len(types) - 1 else (-3, 3)
            buf.data = [float(rng.randint(lo, hi)) for _ in range(size)]
        mems.append(MemRef(buf, shape))
    return host, mems


def two_four_reference(mems, src, zero_init):
    """Y = init + X W^T for the arguments (x, values, [metadata,] init) of a
    2:4 product, W decoded from the values and the metadata: the i16
    argument (integers, not floats), or the compile-time global of the
    source, written as a decimal list. With `zero_init`, init becomes NaN
    and the reference starts at +0. Returns (reference, M, N, K)."""
    meta = next((m.buf.data for m in mems
                 if m.buf.data and isinstance(m.buf.data[0], int)), None)
    x, values, init = mems[0], mems[1], mems[-1]
    ref = list(init.buf.data)
    if zero_init:
        init.buf.data = [math.nan] * len(ref)
        ref = [0.0] * len(ref)
    M, K = x.shape
    N = values.shape[0]
    if meta is None:
        body = re.search(r"memref\.global[^\n]*xi16> = dense<(.*)>", src).group(1)
        meta = [int(v) & 0xFFFF for v in re.findall(r"-?\d+", body)]
    W = decode_two_four(values.buf.data, meta, N, K)
    xs = x.buf.data
    for m in range(M):
        for n in range(N):
            ref[m * N + n] += sum(xs[m * K + kk] * W[n][kk] for kk in range(K) if W[n][kk])
    return ref, M, N, K


def run_two_four(module_ops, src):
    """two_four_matmul: Y = init + X W^T (two_four_reference)."""
    ok = True
    for land in lands(random.Random(args.seed)):
        machine = Machine(module_ops, land)
        host, mems = host_arguments(machine, args.seed, args.M)
        ref, M, N, K = two_four_reference(mems, src, args.zero_init)
        machine.run_func(host, mems, 1)
        got = mems[-1].buf.data
        bad = 0
        for i in range(M * N):
            if got[i] != ref[i]:
                bad += 1
                if bad <= 5:
                    print(f"  mismatch Y[{i // N},{i % N}] = {got[i]}, expected {ref[i]}")
        print(f"[{land}] M={M} N={N} K={K}: {'PASS' if bad == 0 else 'FAIL'} "
              f"({bad} of {M * N} wrong); launches={stats['launches']} mma.sp={stats['mma']} "
              f"ldmatrix={stats['ldmatrix']} cp.async={stats['cp']} "
              f"(zero-filled {stats['zero_fill']}) stores={stats['stores']} "
              f"ldmatrix-bank-conflicts={stats['ldm_conflicts']}/{stats['ldm_phases']}")
        ok &= bad == 0
    return 0 if ok else 1


def select_group(x):
    """The kept pair (i0, i1) of a group: larger magnitude first, ties to
    the lower index, NaN below every number (pixelfly.prune_2_4)."""
    key = [-1.0 if _nan(v) else abs(v) for v in x]
    order = sorted(range(4), key=lambda i: (-key[i], i))
    return tuple(sorted(order[:2]))


def f16_const(path):
    """The f16 data of the first hex `dense<"0x...">` constant of a file."""
    raw = bytes.fromhex(re.search(r'dense<"0x([0-9A-Fa-f]+)">', open(path).read()).group(1))
    return [struct.unpack_from("<e", raw, 2 * i)[0] for i in range(len(raw) // 2)]


def folded_outputs(path, shapes):
    """The outputs of prune_2_4 folded to constants by
    --test-pixelfly-fold-prune (the pattern library), found by their
    (rows, cols, element type) in `shapes`: f16 values, u16 metadata."""
    text = open(path).read()
    hexes = re.findall(r'dense<"0x([0-9A-Fa-f]+)"> : tensor<(\d+)x(\d+)x(\w+)>', text)
    out = []
    for rows, cols, elt in shapes:
        raw = bytes.fromhex(next(h for h, r, c, e in hexes
                                 if e == elt and (int(r), int(c)) == (rows, cols)))
        fmt = "<e" if elt == "f16" else "<H"
        out.append([struct.unpack_from(fmt, raw, 2 * i)[0] for i in range(len(raw) // 2)])
    return out


def same_bits(a, b):
    return (_nan(a) and _nan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))


def run_prune(module_ops):
    """prune_2_4: the kernel's values and metadata against the selection
    rule (tie-heavy weights with NaN, infinities and signed zeros), or, with
    --weights-from/--expect-folded, against the pattern library's folded
    constants for the same weight, bit for bit (NaN payloads aside)."""
    rng = random.Random(args.seed)
    machine = Machine(module_ops, "lazy")
    host = next(o for o in machine.symbols.values() if o.name == "func.func")
    types = split_top(re.search(r"function_type = \((.*?)\) ->", host.text).group(1))
    (n, k), _ = memref_shape(types[0])
    if args.weights_from:
        w = f16_const(args.weights_from)
    else:
        pool = [0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 2.0, float("inf"), float("-inf"),
                float("nan"), 3.0 / 1024]
        w = [rng.choice(pool) for _ in range(n * k)]
    bufs = []
    for k_, t in enumerate(types):
        shape, elt = memref_shape(t)
        size = shape[0] * shape[1]
        buf = Buffer(f"arg{k_}", size, elt_bytes(elt), float("nan") if elt != "i16" else -1)
        bufs.append(MemRef(buf, shape))
    bufs[0].buf.data = list(w)
    machine.run_func(host, bufs, 1)
    got_v, got_m = bufs[1].buf.data, bufs[2].buf.data
    if len(bufs) == 5:  # transposable: W and W^T, against the library only
        if not args.expect_folded:
            raise EmulationError("the transposable prune needs --expect-folded")
        shapes = [(n, k // 2, "f16"), (n, k // 16, "i16"), (k, n // 2, "f16"), (k, n // 16, "i16")]
        refs = folded_outputs(args.expect_folded, shapes)
        bad = 0
        for buf, ref, (r, c, e) in zip(bufs[1:], refs, shapes):
            got = buf.buf.data
            bad += len(got) != len(ref)
            bad += sum(not same_bits(a, b) if e == "f16" else a != b for a, b in zip(got, ref))
        print(f"prune transposable N={n} K={k}: {'PASS' if bad == 0 else 'FAIL'} ({bad} wrong "
              f"of {sum(len(r) for r in refs)}); launches={stats['launches']} "
              f"nan={sum(_nan(v) for v in w)} inf={sum(abs(v) == float('inf') for v in w)}")
        return 0 if bad == 0 else 1
    if args.expect_folded:
        ref_v, ref_m = folded_outputs(args.expect_folded, [(n, k // 2, "f16"), (n, k // 16, "i16")])
    else:
        ref_v, ref_m = [], []
        for r in range(n):
            for word in range(k // 16):
                bits = 0
                for q in range(4):
                    g = 4 * word + q
                    i0, i1 = select_group(w[r * k + 4 * g: r * k + 4 * g + 4])
                    ref_v += [w[r * k + 4 * g + i0], w[r * k + 4 * g + i1]]
                    bits |= (i0 | i1 << 2) << (4 * q)
                ref_m.append(bits)
    bad = sum(not same_bits(a, b) for a, b in zip(got_v, ref_v)) + \
        sum(a != b for a, b in zip(got_m, ref_m))
    if len(ref_v) != len(got_v) or len(ref_m) != len(got_m):
        bad += 1
    print(f"prune N={n} K={k}: {'PASS' if bad == 0 else 'FAIL'} ({bad} wrong of "
          f"{len(ref_v) + len(ref_m)}); launches={stats['launches']} "
          f"nan={sum(_nan(v) for v in w)} inf={sum(abs(v) == float('inf') for v in w)}")
    return 0 if bad == 0 else 1


def run_reference(make_machine, lowered, reference, runs, M, seed, outputs):
    """--reference: for each of `runs` (landing orders, schedules), the host
    functions of `lowered` and `reference` (parsed modules; make_machine(ops,
    run) gives a machine: the machine class) on the same random arguments (host_arguments), the
    last `outputs` of them NaN; every argument buffer must end up
    bit-identical, and the reference must leave no NaN in the outputs.
    Returns the exit status."""
    ok = True
    for run in runs:
        results, launches = [], []
        for ops in (lowered, reference):
            reset_stats()
            machine = make_machine(ops, run)
            host, mems = host_arguments(machine, seed, M)
            for m in mems[len(mems) - outputs:]:
                m.buf.data = [math.nan] * len(m.buf.data)
            machine.run_func(host, mems, 1)
            results.append(mems)
            launches.append(stats["launches"])
        unwritten = sum(1 for m in results[1][len(mems) - outputs:] for v in m.buf.data if _nan(v))
        if unwritten:
            print(f"  FAIL: the reference left {unwritten} output elements unwritten")
            ok = False
        wrong = total = 0
        for got, ref in zip(*results):
            for i, (a, b) in enumerate(zip(got.buf.data, ref.buf.data)):
                total += 1
                if not same_bits(a, b):
                    wrong += 1
                    if wrong <= 5:
                        print(f"  mismatch {got.buf.name}[{i}] = {a}, reference {b}")
        print(f"[{run}] M={M}: {'PASS' if wrong == 0 else 'FAIL'} ({wrong} of {total} "
              f"argument elements differ from the reference); launches={launches[0]} "
              f"(reference {launches[1]})")
        ok &= wrong == 0
    return 0 if ok else 1


def parse_layout(src):
    """N, K, bm, bk and the CSR of the explicit #pixelfly.block_layout in
    `src`."""
    lm = re.search(r"block_layout<shape = (\d+)x(\d+), block = (\d+)x(\d+), "
                   r"row_ptr = \[([\d, ]*)\], col_idx = \[([\d, ]*)\]", src)
    N, K, bm, bk = map(int, lm.groups()[:4])
    row_ptr = [int(v) for v in lm.group(5).split(",")]
    col_idx = [int(v) for v in lm.group(6).split(",")] if lm.group(6).strip() else []
    return N, K, bm, bk, row_ptr, col_idx


def dense_weight(blocks, N, K, bm, bk, row_ptr, col_idx):
    """The N x K weight whose stored blocks (row-major, CSR order) are
    `blocks`."""
    W = [[0.0] * K for _ in range(N)]
    for br in range(N // bm):
        for p in range(row_ptr[br], row_ptr[br + 1]):
            for r in range(bm):
                for c in range(bk):
                    W[br * bm + r][col_idx[p] * bk + c] = blocks[(p * bm + r) * bk + c]
    return W


def parse_module(path):
    """The ops of a module printed in generic form."""
    lines = [l.strip() for l in open(path).read().splitlines()
             if l.strip() and not l.strip().startswith("//")]
    return parse_ops(lines, 0)[0]


def main():
    module_ops = parse_module(args.lowered)

    src = open(args.source).read()
    if args.reference:
        return run_reference(Machine, module_ops, parse_module(args.reference),
                             land_orders(), args.M, args.seed, args.outputs)
    if "pixelfly.two_four_matmul" in src:
        return run_two_four(module_ops, src)
    if "pixelfly.prune_2_4" in src:
        return run_prune(module_ops)
    low_rank_only = "pixelfly.low_rank_matmul" in src
    input_grad = "pixelfly.block_sparse_input_grad" in src
    weight_grad = "pixelfly.block_sparse_weight_grad" in src
    if low_rank_only:  # no layout: an N x K weight without blocks
        shapes = re.search(r"ins\(.*: memref<\?x(\d+)x\w+>, memref<(\d+)x", src)
        K, N = map(int, shapes.groups())
        bm, bk, row_ptr, col_idx = 1, 1, [0] * (N + 1), []
    else:
        N, K, bm, bk, row_ptr, col_idx = parse_layout(src)

    linear = "pixelfly.linear" in src
    # The caller's X V: the argument after v (before the gamma operand).
    given_xv = linear and " xv(" in src
    gamma_const = None
    if linear:
        gm = re.search(r"gamma\(([-\d.e]+)\)", src)
        gamma_const = float(gm.group(1)) if gm else None

    machine = Machine(module_ops, "lazy")
    host = next(o for o in machine.symbols.values() if o.name == "func.func")
    ftype = re.search(r"function_type = \((.*?)\) ->", host.text).group(1)
    types = split_top(ftype)
    rng = random.Random(args.seed)
    ok = True
    for land in lands(rng):
        mems, dense = [], []
        for k, t in enumerate(types):
            if t == "f32":  # scalar gamma
                g = rng.choice([0.25, 0.75, -0.5])
                mems.append(g)
                dense.append(g)
                continue
            shape, elt = memref_shape(t)
            shape = [args.M if s is None else s for s in shape]
            size = 1
            for s in shape:
                size *= s
            lo, hi = (-8, 8) if k == len(types) - 1 else (-3, 3)
            buf = Buffer(f"arg{k}", size, 4 if elt == "f32" else 2)
            if linear and k == (5 if given_xv else 4):
                # per-row gamma, dyadic so results stay exact
                buf.data = [rng.choice([0.0, 0.25, 0.5, 0.75, 1.0, -0.5]) for _ in range(size)]
            else:
                buf.data = [float(rng.randint(lo, hi)) for _ in range(size)]
            if args.fraction_bits and elt == "f32" and k < 2:
                # Operands that TF32 must round (more than 10 mantissa
                # bits); the reference takes them rounded to nearest.
                scale = 1 << args.fraction_bits
                buf.data = [v + rng.randrange(scale) / scale for v in buf.data]
                mems.append(MemRef(buf, shape))
                dense.append([to_tf32(v, True) for v in buf.data])
                continue
            mems.append(MemRef(buf, shape))
            dense.append(list(buf.data))
        if args.zero_init:
            mems[-1].buf.data = [math.nan] * len(mems[-1].buf.data)
            dense[-1] = [0.0] * len(dense[-1])
        if low_rank_only:  # as linear with gamma 0 and no blocks
            dense = [dense[0], []] + dense[1:]
            mems = [mems[0], None] + mems[1:]
        xv_given = None
        if given_xv:
            xv_given = dense.pop(4)
        x, blocks, init = dense[0], dense[1], dense[-1]
        M = mems[0].shape[0]
        W = ([[0.0] * K for _ in range(N)] if weight_grad else
             dense_weight(blocks, N, K, bm, bk, row_ptr, col_idx))
        gam = [1.0] * M
        low = None
        if low_rank_only:
            gam = [0.0] * M
        if linear or low_rank_only:
            u, v = dense[2], dense[3]
            rank = mems[2].shape[1]
            if low_rank_only:
                pass
            elif gamma_const is not None:
                gam = [gamma_const] * M
            elif isinstance(dense[4], float):
                gam = [dense[4]] * M
            else:
                gam = dense[4]
            if xv_given is not None:
                xv = [xv_given[m * rank:(m + 1) * rank] for m in range(M)]
            else:
                xv = [[sum(x[m * K + k] * v[k * rank + j] for k in range(K))
                       for j in range(rank)] for m in range(M)]
            low = [[sum(xv[m][j] * u[n * rank + j] for j in range(rank)) for n in range(N)]
                   for m in range(M)]
        machine.land = land
        machine.run_func(host, [a for a in mems if a is not None], 1)
        got = mems[-1].buf.data
        if weight_grad:  # dB[p] = init[p] + dY[:, r]^T X[:, c], exact sums
            dy, xg = dense[0], dense[1]
            bad = 0
            for br in range(N // bm):
                for p in range(row_ptr[br], row_ptr[br + 1]):
                    for i in range(bm):
                        for j in range(bk):
                            q = (p * bm + i) * bk + j
                            ref = init[q] + sum(dy[m * N + br * bm + i] * xg[m * K + col_idx[p] * bk + j]
                                                for m in range(M))
                            if got[q] != ref:
                                bad += 1
                                if bad <= 5:
                                    print(f"  mismatch dB[{p},{i},{j}] = {got[q]}, expected {ref}")
            print(f"[{land}] M={M} blocks={len(col_idx)}: {'PASS' if bad == 0 else 'FAIL'} "
                  f"({bad} of {len(init)} wrong); launches={stats['launches']} mma={stats['mma']} "
                  f"ldmatrix={stats['ldmatrix']} cp.async={stats['cp']} "
                  f"(zero-filled {stats['zero_fill']}) stores={stats['stores']} "
                  f"ldmatrix-bank-conflicts={stats['ldm_conflicts']}/{stats['ldm_phases']}")
            ok &= bad == 0
            continue
        bad = 0
        Wt, Nt, Kt = W, N, K
        if input_grad:  # dX = init + dY W: the product with W^T
            Wt, Nt, Kt = [list(col) for col in zip(*W)], K, N
        for m in range(M):
            for n in range(Nt):
                sparse = sum(x[m * Kt + k] * Wt[n][k] for k in range(Kt) if Wt[n][k])
                ref = init[m * Nt + n] + gam[m] * sparse
                if low is not None:
                    ref += (1 - gam[m]) * low[m][n]
                if got[m * Nt + n] != ref:
                    bad += 1
                    if bad <= 5:
                        print(f"  mismatch Y[{m},{n}] = {got[m * Nt + n]}, expected {ref}")
        print(f"[{land}] M={M} N={Nt} K={Kt}: {'PASS' if bad == 0 else 'FAIL'} "
              f"({bad} of {M * Nt} wrong); launches={stats['launches']} mma={stats['mma']} "
              f"ldmatrix={stats['ldmatrix']} cp.async={stats['cp']} "
              f"(zero-filled {stats['zero_fill']}) stores={stats['stores']} "
              f"ldmatrix-bank-conflicts={stats['ldm_conflicts']}/{stats['ldm_phases']}")
        if stats["allocs"]:
            print(f"  FAIL: {stats['allocs']} gpu.alloc without gpu.dealloc")
            bad += 1
        ok &= bad == 0
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except EmulationError as e:
        print(f"FAIL: {e}")
        sys.exit(1)
