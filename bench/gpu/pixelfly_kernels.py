"""Calls our compiled kernels from Python (ctypes; no torch needed here).

Each kernels/NAME.so exports `_mlir_ciface_product`, which takes one
pointer per memref argument to a descriptor {allocated, aligned, offset,
sizes[rank], strides[rank]}. The runtime (libpixelfly_runtime.so, loaded
first and globally) runs the kernels on the stream given to set_stream,
stream-ordered: a call only enqueues work, like a torch op on that stream.
"""

import ctypes
import os

# Bytes per element of the manifest's element types.
ELEMENT_BYTES = {"bf16": 2, "f16": 2, "f32": 4, "i16": 2}


def descriptor_type(rank):
    class Descriptor(ctypes.Structure):
        _fields_ = [("allocated", ctypes.c_void_p), ("aligned", ctypes.c_void_p),
                    ("offset", ctypes.c_int64),
                    ("sizes", ctypes.c_int64 * rank),
                    ("strides", ctypes.c_int64 * rank)]
    return Descriptor


_DESCRIPTORS = {}


def descriptor(pointer, shape):
    """A descriptor of a row-major (contiguous) buffer at device address
    `pointer` with `shape`."""
    rank = len(shape)
    if rank not in _DESCRIPTORS:
        _DESCRIPTORS[rank] = descriptor_type(rank)
    d = _DESCRIPTORS[rank]()
    d.allocated = d.aligned = pointer
    d.offset = 0
    stride = 1
    for i in reversed(range(rank)):
        d.sizes[i] = shape[i]
        d.strides[i] = stride
        stride *= shape[i]
    return d


class Runtime:
    """libpixelfly_runtime.so of a benchmark folder."""

    def __init__(self, folder):
        path = os.path.join(folder, "libpixelfly_runtime.so")
        # Global: the kernels' libraries resolve mgpu* against this copy.
        self.lib = ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
        self.lib.pixelflyRuntimeError.restype = ctypes.c_char_p
        self.lib.pixelflyDeviceName.restype = ctypes.c_char_p
        self.lib.pixelflySetStream.argtypes = [ctypes.c_void_p]

    def available(self):
        return bool(self.lib.pixelflyRuntimeAvailable())

    def error(self):
        e = self.lib.pixelflyRuntimeError()
        return e.decode() if e else None

    def clear_error(self):
        self.lib.pixelflyRuntimeClearError()

    def device_name(self):
        return self.lib.pixelflyDeviceName().decode()

    def set_stream(self, stream):
        """Runs every call stream-ordered on `stream` (a CUstream as an
        integer, e.g. torch.cuda.current_stream().cuda_stream); 0 or None
        restores the default (a stream per call, waited for). torch's
        default stream has handle 0: pass LEGACY_STREAM to order calls
        with it, or, as run_bench.py does, run torch on a stream of its
        own."""
        self.lib.pixelflySetStream(ctypes.c_void_p(stream or None))


# CUDA's handle of the legacy default stream (CU_STREAM_LEGACY).
LEGACY_STREAM = 1


class Kernel:
    """One built kernel: its manifest entry and its @product."""

    def __init__(self, folder, entry):
        self.entry = entry
        self.name = entry["name"]
        self.args = entry["args"]
        # Loading runs the module's constructor, which loads the PTX on the
        # device (the driver compiles it): the runtime must be loaded first.
        self.lib = ctypes.CDLL(os.path.join(folder, entry["library"]))
        self.fn = self.lib._mlir_ciface_product
        self.fn.restype = None

    def shapes(self, m):
        return [[m if d < 0 else d for d in a["shape"]] for a in self.args]

    def __call__(self, m, pointers):
        """Enqueues Y = product for M = m; `pointers` are the device
        addresses of the arguments in manifest order (Y last)."""
        if len(pointers) != len(self.args):
            raise ValueError(f"{self.name}: {len(self.args)} arguments, "
                             f"{len(pointers)} given")
        descs = [descriptor(p, s) for p, s in zip(pointers, self.shapes(m))]
        self.fn(*[ctypes.byref(d) for d in descs])


def _self_test(folder, m):
    """Calls every kernel of `folder` once on host buffers: meant for the
    fake CUDA driver (PIXELFLY_CUDA_DRIVER), which records launches without
    running them. Prints what it called."""
    import json
    manifest = json.load(open(os.path.join(folder, "manifest.json")))
    runtime = Runtime(folder)
    if not runtime.available():
        raise SystemExit(f"no device: {runtime.error()}")
    stream = ctypes.c_int(0)  # any handle: the fake driver records it
    runtime.set_stream(ctypes.addressof(stream))
    print(f"stream 0x{ctypes.addressof(stream):x}")
    keep = []
    entries = manifest["kernels"] + manifest.get("train_steps", [])
    for entry in sorted(entries, key=lambda e: e["name"]):
        kernel = Kernel(folder, entry)
        pointers = []
        for a, shape in zip(kernel.args, kernel.shapes(m)):
            count = 1
            for d in shape:
                count *= d
            buf = ctypes.create_string_buffer(count * ELEMENT_BYTES[a["dtype"]])
            keep.append(buf)
            pointers.append(ctypes.addressof(buf))
        kernel(m, pointers)
        print(f"called {kernel.name} m={m}")
    runtime.set_stream(None)
    err = runtime.error()
    print(f"runtime error: {err}")
    return 0 if err is None else 1


if __name__ == "__main__":
    import argparse
    import sys
    ap = argparse.ArgumentParser(description="Calls every kernel of a "
                                 "benchmark folder once (fake-driver test)")
    ap.add_argument("folder")
    ap.add_argument("--m", type=int, default=100)
    a = ap.parse_args()
    sys.exit(_self_test(a.folder, a.m))
