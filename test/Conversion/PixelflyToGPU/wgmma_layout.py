"""wgmma's m64nN accumulator fragment, as the Hopper emulator models it.

Lane l of warp w (of its warpgroup) holds registers 2p and 2p + 1 of a
64-row tile at row 16 w + l / 4 + 8 (p mod 2), columns 8 (p / 2) +
2 (l mod 4) and the next. check_fragment_layout.py compares this with
upstream MLIR's lowering of nvgpu.warpgroup.mma.store.
"""


def fragment_position(t, register):
    """(row, column) of accumulator register `register` of thread t (any
    thread of its warpgroup) in a 64-row wgmma tile."""
    w, lane, p = (t // 32) % 4, t % 32, register // 2
    return 16 * w + lane // 4 + 8 * (p % 2), 8 * (p // 2) + 2 * (lane % 4) + register % 2
