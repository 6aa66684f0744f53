#!/usr/bin/env python3
"""CPU emulation of a Hopper-family module (convert-pixelfly-to-gpu with a
#pixelfly.hopper_config), against a dense reference.

Extends emulate_kernel.py's interpreter (same parser, lockstep threads,
arith/scf/memref ops) with what the Hopper kernels use:

  warp specialization: an scf.if whose branches wait on mbarriers runs its
      branches as two cooperating agents; one runs until it waits for a
      phase that has not completed, then the other. --schedule says which
      branch starts (both: each run twice), so a producer that refills a
      slot too early, or a consumer that reads one too early, shows up.
  mbarrier: arrivals against the init count plus a transaction count
      (arrive.expect_tx adds bytes, a TMA load's completion removes its
      box's bytes); the phase completes when both reach zero.
      try_wait.parity(P) returns once the current phase's parity is not P.
  TMA (tensor maps made on the host from the operand and the box of the
      descriptor type): the box at the given coordinates (innermost first)
      lands in shared memory at once, rows/columns past the tensor as
      zeros, 128-byte swizzled: byte a of the destination goes to
      a ^ (((a >> 7) & 7) << 4) (16-byte chunks XOR the row within 8).
  shared memory: byte-addressed, each element stored at its first byte;
      reading an address another type wrote is an error.
  wgmma descriptors, as upstream MLIR 22 encodes them: start address >> 4
      in bits 0-13, leading byte offset >> 4 in bits 16-29, stride byte
      offset >> 4 in bits 32-45, layout (1: 128-byte swizzle) in bits 62-63.
  nvgpu.warpgroup.mma: for each 64-row tile i and k16 step k it advances A
      by 2 per k16 (32 bytes) and by (K * K * i * bytes) >> 4 per tile, and B
      by (K * 16 * k * bytes) >> 4 per k16 (upstream's expansion, MN-major
      for B); element (r, c) of a K-major operand is read at
      swizzle(start + (r / 8) * SBO + (r % 8) * 128 + c * bytes), element
      (k, n) of an MN-major B (transposeB) at swizzle(start + (n / 64) * LBO
      + (k / 8) * SBO + (k % 8) * 128 + (n % 64) * bytes) (16-bit types;
      docs/GPU.md says where this reading comes from).
  gpu.shuffle idx: each thread reads the value of lane `offset` of its
      `width`-lane segment.
  Each warpgroup (threads 128 g .. 128 g + 127) issues its own wgmma, with
      its own accumulators and commit groups.
  nvvm.wgmma.wait.group.sync.aligned N: the warpgroup's oldest groups
      complete until N are pending.
  accumulator registers (llvm.extractvalue [tile, j] of the accumulator as
      lowered): lane l of warp w (of the warpgroup) holds register j at row
      16 w + l / 4 + 8 ((j / 2) % 2), column 8 (j / 4) + 2 (l % 4) + j % 2
      of 64-row tile `tile` (fragment_position; check_fragment_layout.py
      compares it with upstream's lowering of nvgpu.warpgroup.mma.store).
  nvvm.setmaxregister: whole warpgroups only; no other effect.
  TMA stores (tma_store): nvgpu.tma.async.store joins the issuing thread's
      open bulk group (nvvm.cp.async.bulk.commit.group closes it) and reads
      its box out of shared memory (swizzled as a load's) only when
      nvvm.cp.async.bulk.wait_group (.read or not) retires the group,
      writing the elements
      inside the tensor (rows past M are clipped); a group still pending
      when the thread block ends is an error. Shared memory a thread wrote
      reaches the store only after that thread's fence.proxy.async and,
      for another issuing thread, a later nvvm.barrier both took part in
      (its thread count must be the threads that reach it).
  wgmma.mma_async.sp m64nNk32 (inline PTX; MLIR 22 has no op for it), f16
      or bf16, selector 0, K-major A and B: each thread gives its N/2
      accumulator registers (fragment_position) and one metadata word; A is
      the compressed 64 x 16 tile read through its descriptor as a dense k16
      A, B 32 columns of N K-major rows. Warp w's lanes 4g and 4g + 1 give
      rows 16w + g (low half) and 16w + g + 8 (high half) over logical
      columns 0-15 and 16-31, one nibble (i0 | i1 << 2, i0 < i1) per group
      of 4 (PTX ISA, "Sparse wgmma.mma_async.sp metadata layout"). The op
      joins the warpgroup's open group, nvvm.wgmma.commit.group closes it;
      its registers are lazy until the group retires (reading one earlier,
      other than into the next sparse wgmma, is an error). The
      accumulator operands must be tied to the results in order, the
      operand types must be the instruction's, and a wgmma.fence must
      come between the warpgroup's last wait and its next wgmma.
  nvvm.wgmma.mma_async (upstream's op, used where nvgpu.warpgroup.mma
      cannot go: an MN-major A), f32 += f16/bf16, scales one: A read
      K-major (layout row) or MN-major (col), B K-major (col) or MN-major
      (row), from the descriptors as above; registers and groups as for
      the sparse wgmma.

Usage: emulate_hopper.py LOWERED.mlir --source INPUT.mlir --M 37 [--zero-init]
"""
import argparse
import math
import os
import re
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import emulate_kernel as ek  # noqa: E402
from wgmma_layout import fragment_position  # noqa: E402
from emulate_kernel import EmulationError, memref_shape, split_top  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("lowered")
ap.add_argument("--source", required=True)
ap.add_argument("--M", type=int, required=True)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--schedule", default="both", choices=["producer", "consumer", "both"])
ap.add_argument("--reference",
                help="emulate_kernel.py --reference: compare with this module")
ap.add_argument("--outputs", type=int, default=1,
                help="emulate_kernel.py --outputs: how many arguments are outputs")
ap.add_argument("--zero-init", action="store_true",
                help="the source zero-fills the output before the product: it starts "
                     "as NaN (a kernel that reads it fails) and the reference uses +0")
args = ap.parse_args()

stats = {"tma": 0, "wgmma": 0, "waits": 0, "switches": 0, "tma_store": 0}
# The descriptors' bits other than the start address, as computed here: a
# test compares them with the constants upstream's lowering folds to.
descriptor_bits = set()


# ------------------------------------------------------------------ memory
class SharedBytes:
    """Byte-addressed shared memory: address -> (bytes, value); `writer`:
    address -> (thread, sequence number) of a thread's write (TMA's are
    not recorded)."""

    def __init__(self, size):
        self.size, self.cells, self.writer = size, {}, {}

    def write(self, addr, nbytes, value):
        if not 0 <= addr <= self.size - nbytes:
            raise EmulationError(f"shared write at {addr} outside {self.size} bytes")
        for a in range(addr - 7, addr + nbytes):
            cell = self.cells.get(a)
            if cell and a != addr and a + cell[0] > addr:
                del self.cells[a]
                self.writer.pop(a, None)
        self.cells[addr] = (nbytes, value)
        self.writer.pop(addr, None)

    def read(self, addr, nbytes):
        cell = self.cells.get(addr)
        if cell is None:
            raise EmulationError(f"shared read at {addr} before any write")
        if cell[0] != nbytes:
            raise EmulationError(f"shared read of {nbytes} bytes at {addr}, "
                                 f"written as {cell[0]}")
        return cell[1]


class SharedView:
    """A strided view of shared memory (element strides, byte base)."""

    def __init__(self, mem, base, shape, strides, eb):
        self.mem, self.base, self.shape, self.strides, self.eb = mem, base, shape, strides, eb

    def addr(self, idx):
        if len(idx) != len(self.shape):
            raise EmulationError(f"shared view: rank mismatch {idx}")
        a = self.base
        for x, s, st in zip(idx, self.shape, self.strides):
            if not 0 <= x < s:
                raise EmulationError(f"shared view {list(idx)} out of bounds {self.shape}")
            a += x * st * self.eb
        return a


def row_major(shape):
    strides, acc = [], 1
    for s in reversed(shape):
        strides.insert(0, acc)
        acc *= s
    return strides


def swizzle128(a):
    return a ^ (((a >> 7) & 7) << 4)


# ------------------------------------------------------------------ barriers
class Barriers:
    def __init__(self, n):
        self.count = [None] * n
        self.pending = [0] * n
        self.tx = [0] * n
        self.phase = [0] * n

    def arrive(self, i, k=1):
        if self.count[i] is None:
            raise EmulationError(f"arrive on uninitialized mbarrier {i}")
        self.pending[i] -= k
        if self.pending[i] < 0:
            raise EmulationError(f"mbarrier {i}: more arrivals than its count")
        self.settle(i)

    def settle(self, i):
        if self.pending[i] == 0 and self.tx[i] == 0:
            self.phase[i] += 1
            self.pending[i] = self.count[i]


class TensorMap:
    def __init__(self, mem, box, eb):
        self.mem, self.box, self.eb = mem, box, eb


class Descriptor:
    """What nvgpu.warpgroup.generate.descriptor computes: its i64 bits (and
    the element type of the memref it describes, for the checks)."""

    def __init__(self, bits, mem, elt=None):
        self.bits, self.mem, self.elt = bits, mem, elt


class Accumulator:
    """A warpgroup's accumulators. A wgmma group still in flight has not
    read shared memory yet: its result's `data` is None until retired."""

    def __init__(self, rows, cols, data=None, ready=True):
        self.rows, self.cols = rows, cols
        self.data = data if data is not None or not ready else \
            [[0.0] * cols for _ in range(rows)]

    def value(self):
        if self.data is None:
            raise EmulationError("accumulators read while their wgmma is in flight")
        return self.data


class InFlightRegister:
    """Register `j` of thread `t` of a sparse wgmma result not yet retired:
    only another sparse wgmma may take it (as its accumulator input)."""

    def __init__(self, frag, t, j):
        self.frag, self.t, self.j = frag, t, j

    def resolve(self):
        return self.frag.register(self.t, self.j)

    def _fail(self, *_):
        raise EmulationError("accumulator registers read while their wgmma is in flight")

    __add__ = __radd__ = __mul__ = __rmul__ = __sub__ = __rsub__ = _fail
    __float__ = __bool__ = __eq__ = __hash__ = _fail


class Fragment:
    """The 64 x N result of one register-level wgmma (None until retired),
    and one thread's view of it as registers."""

    def __init__(self, n):
        self.n, self.data = n, None

    def register(self, t, j):
        if self.data is None:
            raise EmulationError("accumulator registers read while their wgmma is in flight")
        row, col = fragment_position(t, j)
        return self.data[row][col]


class ThreadRegisters:
    """What llvm.extractvalue sees of a struct of f32 registers."""

    def __init__(self, frag=None, t=0):
        self.frag, self.t = frag, t

    def __getitem__(self, j):
        if self.frag is None:  # llvm.mlir.zero
            return 0.0
        if self.frag.data is None:
            return InFlightRegister(self.frag, self.t, j)
        return self.frag.register(self.t, j)


def is_shared(values, mask):
    """Whether the live threads' `values` are shared-memory views (a thread
    outside `mask` has none: a branch may leave thread 0 out)."""
    return any(isinstance(v, SharedView) for v, k in zip(values, mask) if k)


def per_value(values, mask, fn):
    """fn(v) for each active thread's value, once per distinct value."""
    seen, out = {}, [None] * len(values)
    for t, v in enumerate(values):
        if mask[t]:
            key = v if isinstance(v, int) else id(v)
            if key not in seen:
                seen[key] = fn(v)
            out[t] = seen[key]
    return out


def fragment_value(acc, t, tile, register):
    row, col = fragment_position(t, register)
    return acc.value()[64 * tile + row][col]


def desc_bits(start, lbo, sbo):
    return (1 << 62) | ((sbo >> 4) << 32) | ((lbo >> 4) << 16) | ((start >> 4) & 0x3FFF)


# ------------------------------------------------------------------ machine
def syncs_in(body):
    return any(child.name.startswith("nvgpu.mbarrier.") or
               any(syncs_in(region[2]) for region in child.regions)
               for child in body)


def role_split(op):
    """An scf.if whose two branches both use mbarriers: warp roles."""
    return len(op.regions) == 2 and all(syncs_in(r[2]) for r in op.regions)


def type_of(op, k):
    """The type of operand k from the op's trailing functional type."""
    types = op.text.rsplit(" : ", 1)[1]
    return split_top(types[types.index("(") + 1:types.rindex(") ->")])[k]


class HopperMachine(ek.Machine):
    def __init__(self, module_ops, first):
        super().__init__(module_ops, "eager")
        self.first = first
        self.cv = threading.Condition()
        self.agents = False

    def exec_op(self, op, env, ctx, mask):
        T = ctx["T"]
        n = op.name
        V = [env[o] for o in op.operands]
        out = None
        if n == "scf.if" and role_split(op):
            return self.run_agents(op, env, ctx, mask, V)
        if n == "scf.for" and any(len({v[t] for t in range(T) if mask[t]}) > 1
                                  for v in V[:2]):
            return self.strided_loop(op, env, ctx, mask, V)
        if n == "arith.constant" and re.search(r"value = (true|false)\}>", op.text):
            out = ["value = true}" in op.text] * T
        elif n in ("builtin.unrealized_conversion_cast", "memref.cast"):
            out = list(V[0])
        elif n == "memref.collapse_shape":
            shape, _ = memref_shape(re.search(r"-> (memref<[^>]*>)", op.text).group(1))
            out = [ek.MemRef(m.buf, shape, m.offset) for m in V[0]]
        elif n == "nvgpu.tma.create.descriptor":
            box, elt = memref_shape(re.search(r"tensor = (memref<[^>]*>)", op.text).group(1))
            if "swizzle = swizzle_128b" not in op.text or box[-1] * ek.elt_bytes(elt) != 128:
                raise EmulationError("only 128-byte swizzled boxes of 128-byte rows")
            out = [TensorMap(V[0][0], box, ek.elt_bytes(elt))] * T
        elif n == "memref.get_global" and "alignment = 1024" in self.global_text(op):
            if self.block_shared is None:
                self.block_shared = SharedBytes(ctx["dynamic_bytes"])
            out = [SharedView(self.block_shared, 0, [0], [1], 1)] * T
        elif n == "memref.reinterpret_cast" and isinstance(V[0][0], SharedView):
            shape, elt = memref_shape(op.text.split("-> ")[-1])
            if shape[0] > V[0][0].mem.size:
                raise EmulationError("shared memory larger than the launch's")
            out = [SharedView(V[0][0].mem, 0, shape, [1], 1)] * T
        elif n == "memref.view" and isinstance(V[0][0], SharedView):
            shape, elt = memref_shape(op.text.split("-> ")[-1])
            eb = ek.elt_bytes(elt)

            def view(shift):
                if shift % eb:
                    raise EmulationError(f"shared view at byte {shift}")
                return SharedView(V[0][0].mem, shift, shape, row_major(shape), eb)
            # Warpgroups may view different bytes (each consumer its rows).
            out = per_value(V[1], mask, view)
        elif n == "memref.subview":
            offsets = ek.int_array(op, "static_offsets")
            sizes = ek.int_array(op, "static_sizes")
            steps = ek.int_array(op, "static_strides")

            def sub(src):
                return SharedView(src.mem, src.addr(offsets), sizes,
                                  [a * b for a, b in zip(src.strides, steps)], src.eb)
            out = per_value(V[0], mask, sub)
        elif n == "gpu.shuffle":
            if "shuffle_mode idx" not in op.text:
                raise EmulationError("only gpu.shuffle idx is modelled")
            src, lane, width = V
            out = [src[t - t % width[t] + lane[t]] if mask[t] else None
                   for t in range(T)]
            env[op.results[0]], env[op.results[1]] = out, [True] * T
            return
        elif n == "nvgpu.mbarrier.create":
            count = int(re.search(r"num_barriers = (\d+)", op.text).group(1))
            out = [Barriers(count)] * T
        elif n == "nvgpu.mbarrier.init":
            for t in range(T):
                if mask[t]:
                    b, i = V[0][t], V[2][t]
                    b.count[i] = b.pending[i] = V[1][t]
        elif n == "nvvm.fence.mbarrier.init":
            pass
        elif n == "nvgpu.mbarrier.arrive.expect_tx":
            for t in range(T):
                if mask[t]:
                    b, i = V[0][t], V[2][t]
                    b.tx[i] += V[1][t]
                    b.arrive(i)
            self.notify()
        elif n == "nvgpu.mbarrier.arrive":
            first = mask.index(True)
            b, i = V[0][first], V[1][first]
            if len({V[1][t] for t in range(T) if mask[t]}) != 1:
                raise EmulationError("threads arrive on different barriers")
            b.arrive(i, sum(1 for k in mask if k))
            self.notify()
            out = [None] * T
        elif n == "nvgpu.mbarrier.try_wait.parity":
            first = mask.index(True)
            b, parity, i = V[0][first], V[1][first], V[3][first]
            if len(set(V[3][t] for t in range(T) if mask[t])) != 1:
                raise EmulationError("threads wait on different barriers")
            stats["waits"] += 1
            self.wait_until(lambda: b.phase[i] % 2 != int(bool(parity)))
        elif n == "nvgpu.tma.async.load":
            seg = ek.int_array(op, "operandSegmentSizes")
            for t in range(T):
                if mask[t]:
                    self.tma_load(V[2][t], V[0][t], [v[t] for v in V[3:3 + seg[3]]],
                                  V[1][t], V[3 + seg[3]][t])
            self.notify()
        elif n in ("memref.store", "vector.store") and is_shared(V[1], mask):
            count = ek.vector_len(type_of(op, 0)) if n == "vector.store" else 1
            align = re.search(r"alignment = (\d+)", op.text)
            for t in range(T):
                if mask[t]:
                    m, idx = V[1][t], [v[t] for v in V[2:]]
                    first = m.addr(idx)
                    m.addr(idx[:-1] + [idx[-1] + count - 1])
                    if align and first % int(align.group(1)):
                        raise EmulationError(f"{n} to shared byte {first} not "
                                             f"{align.group(1)}-byte aligned")
                    values = V[0][t] if n == "vector.store" else [V[0][t]]
                    for j, v in enumerate(values):
                        m.mem.write(first + j * m.eb, m.eb, v)
                        m.mem.writer[first + j * m.eb] = (t, self.tick())
        elif n == "nvvm.fence.proxy":
            if "async.shared" not in op.text:
                raise EmulationError("only fence.proxy.async.shared::cta is modelled")
            now = self.tick()
            for t in range(T):
                if mask[t]:
                    self.fenced[t] = now
        elif n == "nvvm.barrier":
            if len(V) != 2:
                raise EmulationError("nvvm.barrier: an id and a thread count are modelled")
            # Threads in lockstep may meet at different barriers (each
            # warpgroup its own): each must be reached by its count.
            groups = {}
            for t in range(T):
                if mask[t]:
                    groups.setdefault(V[0][t], []).append(t)
            for i, ts in groups.items():
                if {V[1][t] for t in ts} != {len(ts)}:
                    raise EmulationError(f"nvvm.barrier {i} of {V[1][ts[0]]} threads "
                                         f"reached by {len(ts)}")
            now = self.tick()
            for t in range(T):
                if mask[t]:
                    self.met[t] = now
        elif n == "nvgpu.tma.async.store":
            seg = ek.int_array(op, "operandSegmentSizes")
            for t in range(T):
                if mask[t]:
                    self.tma_store(ctx, t, V[1][t], V[0][t],
                                   [v[t] for v in V[2:2 + seg[2]]])
        elif n == "nvvm.cp.async.bulk.commit.group":
            for t in range(T):
                if mask[t]:
                    open_ops = ctx["bulk"].setdefault("bulk_open", {}).pop(t, [])
                    if open_ops:
                        ctx["bulk"].setdefault("bulk_groups", {}).setdefault(t, []).append(open_ops)
        elif n == "nvvm.cp.async.bulk.wait_group":
            # With or without .read: the stores' writes to global memory
            # land when they read shared memory.
            pending = int(re.search(r"group = (\d+)", op.text).group(1))
            for t in range(T):
                if mask[t]:
                    groups = ctx["bulk"].setdefault("bulk_groups", {}).setdefault(t, [])
                    while len(groups) > pending:
                        for f in groups.pop(0):
                            f()
        elif n == "nvgpu.warpgroup.generate.descriptor":
            tmap = V[1][0]
            lbo = tmap.box[0] * 128
            elt = memref_shape(re.search(r"(memref<[^>]*>)", type_of(op, 0)).group(1))[1]

            def describe(view):
                bits = desc_bits(view.base, lbo, 1024)
                descriptor_bits.add(bits & ~0x3FFF)
                return Descriptor(bits, view.mem, elt)
            out = per_value(V[0], mask, describe)
        elif n == "nvgpu.warpgroup.mma.init.accumulator":
            rows, cols = self.acc_shape(op.text)
            out = self.per_warpgroup(mask, lambda first: Accumulator(rows, cols))
        elif n == "nvgpu.warpgroup.mma":
            out = self.per_warpgroup(mask, lambda first: self.wgmma(op, V, first, ctx))
        elif n == "nvvm.wgmma.wait.group.sync.aligned":
            pending = int(re.search(r"group = (\d+)", op.text).group(1))

            def wait(first):
                ctx.setdefault("fenced", set()).discard(first)
                self.retire_wgmma(ctx, first // 128, pending)
            self.per_warpgroup(mask, wait)
        elif n == "nvvm.setmaxregister":
            self.per_warpgroup(mask, lambda first: None)
        elif n == "nvvm.wgmma.fence.aligned":
            self.per_warpgroup(mask, lambda first: ctx.setdefault("fenced", set()).add(first))
        elif n == "nvvm.wgmma.commit.group.sync.aligned":
            self.per_warpgroup(mask, lambda first: self.commit(ctx, first // 128))
        elif n == "llvm.mlir.zero":
            out = [ThreadRegisters() for _ in range(T)]
        elif n == "llvm.inline_asm" and "wgmma.mma_async.sp" in op.text:
            frags = self.per_warpgroup(mask, lambda first: self.sparse_wgmma(op, V, first, ctx))
            out = [ThreadRegisters(frags[t], t) if mask[t] else None for t in range(T)]
        elif n == "llvm.inline_asm":
            raise EmulationError("inline PTX other than wgmma.mma_async.sp")
        elif n == "nvvm.wgmma.mma_async":
            frags = self.per_warpgroup(mask, lambda first: self.nvvm_wgmma(op, V, first, ctx))
            out = [ThreadRegisters(frags[t], t) if mask[t] else None for t in range(T)]
        elif n == "llvm.extractvalue" and isinstance(V[0][0], Accumulator):
            pos = ek.int_array(op, "position")
            if len(pos) != 2:
                raise EmulationError("accumulator registers are read as [tile, register]")
            out = [fragment_value(V[0][t], t, *pos) if mask[t] else None for t in range(T)]
        elif n == "llvm.extractvalue" and any(isinstance(v, ThreadRegisters) for v in V[0]):
            j = ek.int_array(op, "position")[0]
            out = [V[0][t][j] if mask[t] else None for t in range(T)]
        elif n == "memref.load" and is_shared(V[0], mask):
            out = [m.mem.read(m.addr(list(idx)), m.eb) if k else None
                   for k, (m, *idx) in zip(mask, zip(*V))]
        elif n == "vector.load" and is_shared(V[0], mask):
            out = [None] * T
            count = ek.vector_len(op.text.split("-> ")[-1])
            for t in range(T):
                if mask[t]:
                    m = V[0][t]
                    idx = [v[t] for v in V[1:]]
                    first = m.addr(idx)
                    m.addr(idx[:-1] + [idx[-1] + count - 1])
                    out[t] = [m.mem.read(first + j * m.eb, m.eb) for j in range(count)]
        else:
            return super().exec_op(op, env, ctx, mask)
        for name in op.results:
            env[name] = out

    def strided_loop(self, op, env, ctx, mask, V):
        """A loop whose bounds differ by thread (a thread-strided loop): each
        iteration runs the threads that still have one."""
        if op.results:
            raise EmulationError("thread-dependent loop with results")
        T = ctx["T"]
        names, _, body = op.regions[0]
        trips = [max(0, -(-(V[1][t] - V[0][t]) // V[2][t])) if mask[t] else 0
                 for t in range(T)]
        for j in range(max(trips, default=0)):
            env[names[0]] = [V[0][t] + j * V[2][t] if trips[t] > j else None
                             for t in range(T)]
            self.exec_ops(body, env, ctx, [trips[t] > j for t in range(T)])

    def global_text(self, op):
        g = self.symbols.get(re.search(r"name = @(\w+)", op.text).group(1))
        return g.text if g else ""

    @staticmethod
    def acc_shape(text):
        m = re.search(r"fragmented = vector<(\d+)x(\d+)xf32>", text)
        return int(m.group(1)), int(m.group(2))

    # ---- cooperating agents
    def notify(self):
        if self.agents:
            self.cv.notify_all()

    def wait_until(self, ready):
        if ready():
            return
        if not self.agents:
            raise EmulationError("an mbarrier wait that nothing else can complete")
        stats["switches"] += 1
        me = threading.get_ident()
        self.waiting[me] = ready
        try:
            self.cv.notify_all()
            while not ready():
                # Every agent left waits for a phase that has not completed:
                # nothing can complete it.
                if (len(self.waiting) + self.finished >= 2 and
                        not any(f() for f in self.waiting.values())):
                    raise EmulationError("deadlock: an mbarrier phase never completes")
                self.cv.wait(timeout=1)
        finally:
            del self.waiting[me]

    def run_agents(self, op, env, ctx, mask, V):
        T = ctx["T"]
        masks = ([k and bool(c) for k, c in zip(mask, V[0])],
                 [k and not bool(c) for k, c in zip(mask, V[0])])
        results = [None, None]
        errors = []
        order = (0, 1) if self.first == "producer" else (1, 0)
        started = threading.Event()

        def agent(which, first):
            try:
                with self.cv:
                    if first:
                        started.set()
                    results[which] = self.exec_ops(op.regions[which][2], env, ctx,
                                                   masks[which])
                    self.finished += 1
                    self.cv.notify_all()
            except Exception as e:  # noqa: BLE001
                errors.append(e)
                started.set()
                with self.cv:
                    self.finished += 1
                    self.cv.notify_all()

        # The first agent runs until it waits for a phase; the condition's
        # lock lets one agent run at a time.
        self.agents = True
        self.waiting, self.finished = {}, 0
        threads = [threading.Thread(target=agent, args=(order[0], True), daemon=True)]
        threads[0].start()
        started.wait(timeout=20)
        threads.append(threading.Thread(target=agent, args=(order[1], False), daemon=True))
        threads[1].start()
        for th in threads:
            th.join(timeout=120)
        self.agents = False
        if errors:
            raise errors[0]
        if any(th.is_alive() for th in threads):
            raise EmulationError("agents did not finish")
        res = [[None] * T for _ in op.results]
        for which in (0, 1):
            for r, v in zip(res, results[which] or []):
                for t in range(T):
                    if masks[which][t]:
                        r[t] = v[t]
        for name, r in zip(op.results, res):
            env[name] = r

    # ---- TMA, wgmma
    def tma_load(self, tmap, dst, coords, barriers, slot):
        box, eb = tmap.box, tmap.eb
        if list(dst.shape) != box or dst.strides != row_major(box):
            raise EmulationError(f"TMA destination {dst.shape} is not the box {box}")
        if dst.base % 1024:
            raise EmulationError(f"128-byte swizzled TMA destination at byte {dst.base}")
        src = tmap.mem
        if len(coords) != len(box) or len(src.shape) != len(box):
            raise EmulationError("TMA coordinates do not match the tensor's rank")
        origin = list(reversed(coords))  # innermost first
        rows, cols = box
        for r in range(rows):
            for c in range(cols):
                gr, gc = origin[0] + r, origin[1] + c
                inside = 0 <= gr < src.shape[0] and 0 <= gc < src.shape[1]
                v = src.buf.data[src.linear([gr, gc])] if inside else 0.0
                dst.mem.write(swizzle128(dst.base + r * cols * eb + c * eb), eb, v)
        barriers.tx[slot] -= rows * cols * eb
        barriers.settle(slot)
        stats["tma"] += 1

    def read_mnmajor(self, mem, desc, k, n, eb):
        """Element (k, n) of an MN-major operand (n contiguous): 1024-byte
        atoms of 8 k-rows of one 128-byte row of n; SBO steps 8 k-rows,
        LBO one atom along n."""
        if desc >> 62 != 1:
            raise EmulationError("wgmma descriptor without the 128-byte swizzle")
        start = (desc & 0x3FFF) << 4
        lbo = ((desc >> 16) & 0x3FFF) << 4
        sbo = ((desc >> 32) & 0x3FFF) << 4
        per_row = 128 // eb
        return mem.read(swizzle128(start + (n // per_row) * lbo + (k // 8) * sbo +
                                   (k % 8) * 128 + (n % per_row) * eb), eb)

    def read_kmajor(self, mem, desc, r, c, eb):
        if desc >> 62 != 1:
            raise EmulationError("wgmma descriptor without the 128-byte swizzle")
        start = (desc & 0x3FFF) << 4
        sbo = ((desc >> 32) & 0x3FFF) << 4
        return mem.read(swizzle128(start + (r // 8) * sbo + (r % 8) * 128 + c * eb), eb)

    def per_warpgroup(self, mask, fn):
        """fn(first thread) once per warpgroup of the active threads, each
        of which must be whole; every thread gets its warpgroup's result."""
        out = [None] * len(mask)
        for first in range(0, len(mask), 128):
            group = mask[first:first + 128]
            if not any(group):
                continue
            if not all(group):
                raise EmulationError("a warpgroup instruction without its whole warpgroup")
            value = fn(first)
            out[first:first + 128] = [value] * 128
        return out

    def wgmma(self, op, V, first, ctx):
        da, db, acc = V[0][first], V[1][first], V[2][first]
        for v in V:
            if len({id(v[t]) for t in range(first, first + 128)}) != 1:
                raise EmulationError("wgmma operands differ within a warpgroup")
        (m_, k_), elt = memref_shape(re.search(r"tensor = (memref<[^>]*>)", type_of(op, 0)).group(1))
        (kb_, n_), _ = memref_shape(re.search(r"tensor = (memref<[^>]*>)", type_of(op, 1)).group(1))
        if "transposeA" in op.text:
            raise EmulationError("only a K-major A is modelled")
        mn_major_b = "transposeB" in op.text
        eb = ek.elt_bytes(elt)
        out = Accumulator(acc.rows, acc.cols, ready=False)

        def retire():
            # The group reads shared memory when it completes, not when it
            # is issued: a slot released or refilled before then is seen.
            data = [list(r) for r in acc.value()]
            for i in range(m_ // 64):
                for k in range(k_ // 16):
                    # Upstream's expansion of the op into m64nNk16.
                    a_desc = da.bits + (((16 * k + k_ * k_ * i) * eb) >> 4)
                    b_desc = db.bits + ((kb_ * 16 * k * eb) >> 4)
                    A = [[self.read_kmajor(da.mem, a_desc, r, c, eb) for c in range(16)]
                         for r in range(64)]
                    if mn_major_b:
                        B = [[self.read_mnmajor(db.mem, b_desc, c, col, eb)
                              for c in range(16)] for col in range(n_)]
                    else:
                        B = [[self.read_kmajor(db.mem, b_desc, col, c, eb)
                              for c in range(16)] for col in range(n_)]
                    for r in range(64):
                        row, a_row = data[64 * i + r], A[r]
                        for col in range(n_):
                            b_col = B[col]
                            row[col] += sum(a_row[c] * b_col[c] for c in range(16))
                    stats["wgmma"] += 1
            out.data = data

        # One commit group per op and warpgroup; wait_group(waitGroup)
        # retires the warpgroup's oldest.
        wait = re.search(r"waitGroup = (\d+)", op.text)
        self.wgmma_groups(ctx, first // 128).append(retire)
        self.retire_wgmma(ctx, first // 128, int(wait.group(1)) if wait else 1)
        return out

    SPARSE_ASM = re.compile(
        r"wgmma\.mma_async\.sp\.sync\.aligned\.m64n(\d+)k32\.f32\.(bf16|f16)\.(?:bf16|f16) "
        r"\{[^}]*\}, \$(\d+), \$(\d+), \$(\d+), 0, p, 1, 1, 0, 0;")

    def sparse_wgmma(self, op, V, first, ctx):
        """wgmma.mma_async.sp m64nNk32 of the warpgroup from thread `first`:
        joins its open (uncommitted) group; computes when that retires."""
        m = self.SPARSE_ASM.search(op.text.replace("\\0A", "\n"))
        if not m or "setp.ne.b32 p, 1, 0;" not in op.text:
            raise EmulationError("sparse wgmma: only f32 += sparse A (selector 0, "
                                 "scale-d true, K-major A and B) is modelled")
        n_, eb = int(m.group(1)), 2
        regs, ia, ib, im = n_ // 2, int(m.group(3)), int(m.group(4)), int(m.group(5))
        if (ia, ib, im) != (2 * regs, 2 * regs + 1, 2 * regs + 2) or len(V) != regs + 3:
            raise EmulationError("sparse wgmma operands are not N/2 registers, two descriptors and the metadata")
        tied = ",".join(["=f"] * regs + [str(j) for j in range(regs)] + ["l", "l", "r"])
        if f'constraints = "{tied}"' not in op.text:
            raise EmulationError("sparse wgmma: accumulator registers not tied in order")
        self.check_fenced(ctx, first)
        threads = range(first, first + 128)
        for k in (regs, regs + 1):
            if len({id(V[k][t]) for t in threads}) != 1:
                raise EmulationError("wgmma descriptors differ within a warpgroup")
        da, db = V[regs][first], V[regs + 1][first]
        if not da.elt == db.elt == m.group(2):
            raise EmulationError(f"sparse wgmma on .{m.group(2)} reads {da.elt} and {db.elt} operands")
        c_in = [[V[j][t] for j in range(regs)] for t in threads]
        meta = [V[regs + 2][t] for t in threads]
        out = Fragment(n_)

        def retire():
            C = [[None] * n_ for _ in range(64)]
            for t in range(128):
                for j, v in enumerate(c_in[t]):
                    row, col = fragment_position(t, j)
                    C[row][col] = v.resolve() if isinstance(v, InFlightRegister) else v
            comp = [[self.read_kmajor(da.mem, da.bits, r, c, eb) for c in range(16)]
                    for r in range(64)]
            A = ek.expand_sparse_rows(comp, meta, 0)
            B = [[self.read_kmajor(db.mem, db.bits, col, c, eb) for c in range(32)]
                 for col in range(n_)]
            out.data = [[C[r][col] + sum(A[r][k] * B[col][k] for k in range(32) if A[r][k])
                         for col in range(n_)] for r in range(64)]
            stats["wgmma"] += 1

        self.open_group(ctx, first // 128).append(retire)
        return out

    def nvvm_wgmma(self, op, V, first, ctx):
        """nvvm.wgmma.mma_async of the warpgroup from thread `first`: joins
        its open group; computes when that retires."""
        attr = lambda name: re.search(name + r" = #nvvm\.[a-z_]+<([^>]*)>", op.text).group(1)
        shape = dict(kv.split(" = ") for kv in attr("shape").split(", "))
        m_, n_, k_ = int(shape["m"]), int(shape["n"]), int(shape["k"])
        if (m_, k_) != (64, 16) or attr("typeD") != "f32" or attr("typeA") not in ("f16", "bf16") \
                or "one" != attr("scaleA") or "one" != attr("scaleB") or "one" != attr("scaleD"):
            raise EmulationError("nvvm.wgmma.mma_async: only f32 += f16/bf16 m64nNk16, scales one")
        mn_major_a, mn_major_b = attr("layoutA") == "col", attr("layoutB") == "row"
        threads = range(first, first + 128)
        for k in (1, 2):
            if len({id(V[k][t]) for t in threads}) != 1:
                raise EmulationError("wgmma descriptors differ within a warpgroup")
        da, db = V[1][first], V[2][first]
        if not da.elt == db.elt == attr("typeA") == attr("typeB"):
            raise EmulationError(f"wgmma on {attr('typeA')} reads {da.elt} and {db.elt} operands")
        self.check_fenced(ctx, first)
        regs = [V[0][t] for t in threads]
        out, eb = Fragment(n_), 2

        def retire():
            C = [[None] * n_ for _ in range(64)]
            for t in range(128):
                for j in range(n_ // 2):
                    v = regs[t][j]
                    row, col = fragment_position(t, j)
                    C[row][col] = v.resolve() if isinstance(v, InFlightRegister) else v
            if mn_major_a:
                A = [[self.read_mnmajor(da.mem, da.bits, c, r, eb) for c in range(16)]
                     for r in range(64)]
            else:
                A = [[self.read_kmajor(da.mem, da.bits, r, c, eb) for c in range(16)]
                     for r in range(64)]
            if mn_major_b:
                B = [[self.read_mnmajor(db.mem, db.bits, c, col, eb) for c in range(16)]
                     for col in range(n_)]
            else:
                B = [[self.read_kmajor(db.mem, db.bits, col, c, eb) for c in range(16)]
                     for col in range(n_)]
            out.data = [[C[r][col] + sum(A[r][c] * B[col][c] for c in range(16))
                         for col in range(n_)] for r in range(64)]
            stats["wgmma"] += 1

        self.open_group(ctx, first // 128).append(retire)
        return out

    @staticmethod
    def check_fenced(ctx, first):
        """A register-level wgmma needs a wgmma.fence since the warpgroup
        started or last waited (its registers may have moved since)."""
        if first not in ctx.get("fenced", set()):
            raise EmulationError("wgmma without a wgmma.fence since the warpgroup's last wait")

    @staticmethod
    def open_group(ctx, warpgroup):
        return ctx.setdefault("wgmma_open", {}).setdefault(warpgroup, [])

    def commit(self, ctx, warpgroup):
        """wgmma.commit_group: the open ops become one group."""
        ops = self.open_group(ctx, warpgroup)
        if ops:
            done = list(ops)
            ops.clear()
            self.wgmma_groups(ctx, warpgroup).append(lambda: [f() for f in done])

    @staticmethod
    def wgmma_groups(ctx, warpgroup):
        return ctx.setdefault("wgmma_groups", {}).setdefault(warpgroup, [])

    def retire_wgmma(self, ctx, warpgroup, pending):
        """wgmma.wait_group(pending): the warpgroup's oldest groups complete."""
        groups = self.wgmma_groups(ctx, warpgroup)
        while len(groups) > pending:
            groups.pop(0)()

    def run_func(self, func, args_, T, block_id=(0, 0, 0), shared=None):
        # The launch's dynamic shared memory size reaches the kernel in ctx.
        self.block_shared = None
        self.fenced, self.met = {}, {}
        ctx = {}
        super().run_func(func, args_, T, block_id, shared,
                         dynamic_bytes=getattr(self, "dynamic_bytes", 0), bulk=ctx)
        if any(ctx.get("bulk_open", {}).values()) or \
                any(ctx.get("bulk_groups", {}).values()):
            raise EmulationError("a TMA store still reads shared memory when the "
                                 "thread block ends")

    def tick(self):
        self.seq = getattr(self, "seq", 0) + 1
        return self.seq

    def tma_store(self, ctx, t, tmap, src, coords):
        """The box `src` of shared memory to the tensor of `tmap` at `coords`
        (innermost first), read when the bulk group retires."""
        box, eb = tmap.box, tmap.eb
        if list(src.shape) != box or src.strides != row_major(box):
            raise EmulationError(f"TMA store source {src.shape} is not the box {box}")
        if src.base % 1024:
            raise EmulationError(f"128-byte swizzled TMA store source at byte {src.base}")
        rows, cols = box
        for r in range(rows):
            for c in range(cols):
                a = swizzle128(src.base + r * cols * eb + c * eb)
                w = src.mem.writer.get(a)
                if w is None:
                    continue
                writer, when = w
                fence = self.fenced.get(writer, 0)
                if fence < when:
                    raise EmulationError(f"TMA store reads shared byte {a}, which thread "
                                         f"{writer} wrote without fence.proxy.async after")
                if writer != t and self.met.get(t, 0) < fence:
                    raise EmulationError(f"TMA store by thread {t} reads shared byte {a} of "
                                         f"thread {writer} without a barrier after its fence")
        dst = tmap.mem
        origin = list(reversed(coords))

        def read_out():
            for r in range(rows):
                for c in range(cols):
                    gr, gc = origin[0] + r, origin[1] + c
                    if 0 <= gr < dst.shape[0] and 0 <= gc < dst.shape[1]:
                        dst.buf.data[dst.linear([gr, gc])] = src.mem.read(
                            swizzle128(src.base + r * cols * eb + c * eb), eb)
            stats["tma_store"] += 1
        ctx["bulk"].setdefault("bulk_open", {}).setdefault(t, []).append(read_out)

    def launch(self, op, V):
        seg = ek.int_array(op, "operandSegmentSizes")
        pos = [sum(seg[:k]) for k in range(len(seg))]
        dyn = V[pos[10]][0] if seg[10] else 0
        self.dynamic_bytes = dyn
        super().launch(op, V)


def host_arguments(machine):
    """The host function of `machine` and its random arguments
    (emulate_kernel.host_arguments), with this run's seed and M."""
    return ek.host_arguments(machine, args.seed, args.M)


def reset_stats():
    for key in stats:
        stats[key] = 0


def compare(got, ref, cols, schedule, what):
    """Prints the PASS/FAIL line of one run; returns whether it passed."""
    wrong = [i for i in range(len(ref)) if got[i] != ref[i]]
    for i in wrong[:5]:
        print(f"  mismatch Y[{i // cols},{i % cols}] = {got[i]}, expected {ref[i]}")
    print(f"[{schedule} first] {what}: {'PASS' if not wrong else 'FAIL'} "
          f"({len(wrong)} of {len(ref)} wrong); tma={stats['tma']} "
          f"wgmma={stats['wgmma']} waits={stats['waits']} switches={stats['switches']}"
          + (f" tma_store={stats['tma_store']}" if stats["tma_store"] else ""))
    return not wrong


def run_low_rank(module_ops, schedules):
    """low_rank_matmul: Y = init + (X V) U^T."""
    ok = True
    for schedule in schedules:
        reset_stats()
        machine = HopperMachine(module_ops, schedule)
        host, mems = host_arguments(machine)
        x, u, v, init = (list(m.buf.data) for m in mems)
        (M, K), (N, r) = mems[0].shape, mems[1].shape
        if args.zero_init:
            # A folded fill: Y starts as NaN, the reference at +0.
            init = [0.0] * len(init)
            mems[-1].buf.data = [math.nan] * len(init)
        xv = [[sum(x[m * K + k] * v[k * r + j] for k in range(K)) for j in range(r)]
              for m in range(M)]
        ref = [init[m * N + n] + sum(xv[m][j] * u[n * r + j] for j in range(r))
               for m in range(M) for n in range(N)]
        machine.run_func(host, mems, 1)
        ok &= compare(mems[-1].buf.data, ref, N, schedule, f"M={M} N={N} K={K} rank={r}")
    return 0 if ok else 1


def run_two_four(module_ops, src, schedules):
    """two_four_matmul: Y = init + X W^T with W decoded from the values and
    the metadata (an argument of random valid nibbles, or the source's
    compile-time global)."""
    ok = True
    for schedule in schedules:
        reset_stats()
        machine = HopperMachine(module_ops, schedule)
        host, mems = host_arguments(machine)
        ref, M, N, K = ek.two_four_reference(mems, src, args.zero_init)
        machine.run_func(host, mems, 1)
        got = mems[-1].buf.data
        bad = sum(1 for i in range(M * N) if got[i] != ref[i])
        for i in [i for i in range(M * N) if got[i] != ref[i]][:5]:
            print(f"  mismatch Y[{i // N},{i % N}] = {got[i]}, expected {ref[i]}")
        print(f"[{schedule} first] M={M} N={N} K={K}: {'PASS' if bad == 0 else 'FAIL'} "
              f"({bad} of {M * N} wrong); tma={stats['tma']} wgmma.sp={stats['wgmma']} "
              f"waits={stats['waits']} switches={stats['switches']}"
              + (f" tma_store={stats['tma_store']}" if stats["tma_store"] else ""))
        ok &= bad == 0
    print("descriptor bits: " + " ".join(str(b) for b in sorted(descriptor_bits)))
    return 0 if ok else 1


def main():
    module_ops = ek.parse_module(args.lowered)
    src = open(args.source).read()
    schedules = ["producer", "consumer"] if args.schedule == "both" else [args.schedule]
    if args.reference:
        return ek.run_reference(HopperMachine, module_ops, ek.parse_module(args.reference),
                                schedules, args.M, args.seed, args.outputs)
    if "pixelfly.two_four_matmul" in src:
        return run_two_four(module_ops, src, schedules)
    if "pixelfly.low_rank_matmul" in src:
        return run_low_rank(module_ops, schedules)
    layout = ek.parse_layout(src)
    ok = True
    for schedule in schedules:
        reset_stats()
        N, K, bm, bk, row_ptr, col_idx = layout
        machine = HopperMachine(module_ops, schedule)
        host, mems = host_arguments(machine)
        dense = [list(m.buf.data) for m in mems]
        if args.zero_init:
            dense[-1] = [0.0] * len(dense[-1])
            mems[-1].buf.data = [math.nan] * len(dense[-1])
        machine.run_func(host, mems, 1)
        M = mems[0].shape[0]
        x, blocks, init = dense[0], dense[1], dense[-1]
        W = (None if "pixelfly.block_sparse_weight_grad" in src else
             ek.dense_weight(blocks, N, K, bm, bk, row_ptr, col_idx))
        # pixelfly.linear: Y = init + g X W^T + (1 - g) (X V) U^T.
        g, low_rank = 1.0, None
        if "pixelfly.linear" in src:
            g = float(re.search(r"gamma\(([-0-9.e]+)\)", src).group(1))
            u, v = dense[2], dense[3]
            r = mems[2].shape[1]
            if " xv(" in src:  # the caller's X V, the argument after v
                xv = [dense[4][m * r:(m + 1) * r] for m in range(M)]
            else:
                xv = [[sum(x[m * K + k] * v[k * r + j] for k in range(K)) for j in range(r)]
                      for m in range(M)]
            low_rank = [[(1 - g) * sum(xv[m][j] * u[nn * r + j] for j in range(r))
                         for nn in range(N)] for m in range(M)]
        got = mems[-1].buf.data
        bad = 0
        if "pixelfly.block_sparse_weight_grad" in src:
            # dB[p] = init[p] + dY[:, r]^T X[:, c] over the stored blocks.
            dy, xs, K = dense[0], dense[1], mems[1].shape[1]
            total = 0
            for r in range(len(row_ptr) - 1):
                for p in range(row_ptr[r], row_ptr[r + 1]):
                    c = col_idx[p]
                    for i in range(bm):
                        for j in range(bk):
                            idx = (p * bm + i) * bk + j
                            ref = init[idx] + sum(dy[t * N + r * bm + i] * xs[t * K + c * bk + j]
                                                  for t in range(M))
                            total += 1
                            if got[idx] != ref:
                                bad += 1
                                if bad <= 5:
                                    print(f"  mismatch dB[{p},{i},{j}] = {got[idx]}, expected {ref}")
            print(f"[{schedule} first] M={M} blocks={len(col_idx)}: "
                  f"{'PASS' if bad == 0 else 'FAIL'} ({bad} of {total} wrong); "
                  f"tma={stats['tma']} wgmma={stats['wgmma']} waits={stats['waits']} "
                  f"switches={stats['switches']}")
            ok &= bad == 0
            continue
        if "pixelfly.block_sparse_input_grad" in src:
            # dX = init + dY W: the roles of N and K swap.
            W = [list(col) for col in zip(*W)]
            N, K = K, N
        for m in range(M):
            for nn in range(N):
                ref = init[m * N + nn] + g * sum(x[m * K + k] * W[nn][k] for k in range(K) if W[nn][k])
                if low_rank:
                    ref += low_rank[m][nn]
                if got[m * N + nn] != ref:
                    bad += 1
                    if bad <= 5:
                        print(f"  mismatch Y[{m},{nn}] = {got[m * N + nn]}, expected {ref}")
        print(f"[{schedule} first] M={M} N={N} K={K}: {'PASS' if bad == 0 else 'FAIL'} "
              f"({bad} of {M * N} wrong); tma={stats['tma']} wgmma={stats['wgmma']} "
              f"waits={stats['waits']} switches={stats['switches']}"
              + (f" tma_store={stats['tma_store']}" if stats["tma_store"] else ""))
        ok &= bad == 0
    print("descriptor bits: " + " ".join(str(b) for b in sorted(descriptor_bits)))
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except EmulationError as e:
        print(f"FAIL: {e}")
        sys.exit(1)
