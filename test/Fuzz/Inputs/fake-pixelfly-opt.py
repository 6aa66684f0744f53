#!/usr/bin/env python3
"""A stand-in for pixelfly-opt that fails on purpose, to test the fuzzer.

--help lists a few passes in mlir-opt's format. On an input it
  - crashes with SIGSEGV and an LLVM stack dump in Sparsifier::rewrite when
    the input has both FUZZ_CRASH_A and NEEDED_TOO and --pixelfly-sparsify
    runs (so the reducer must keep two lines and that pass);
  - aborts with `LLVM ERROR: boom` and another stack on FUZZ_CRASH_B, whatever
    the passes (also while parsing);
  - prints an AddressSanitizer report and exits with status 1 (as ASan does)
    on FUZZ_ASAN;
  - hangs on FUZZ_HANG under --pixelfly-budget;
  - on FUZZ_OOM allocates 2 GiB, which fails under the fuzzer's address
    space limit (then `LLVM ERROR: out of memory` and abort, as LLVM does);
    without the limit it succeeds and exits 0;
  - crashes with SIGSEGV in upstream's lexer (a signature listed in
    scripts/fuzz/known-upstream.txt) on FUZZ_UPSTREAM;
  - reports `error:` with status 1 on a line `bad`, else exits 0.
"""
import os
import signal
import sys
import time

HELP = """OVERVIEW: fake pixelfly optimizer driver
USAGE: pixelfly-opt [options] <input file>

OPTIONS:

General options:

  --allow-unregistered-dialect                     - Allow operation with no registered dialects
  --split-input-file                               - Split the input file into pieces
  Compiler passes to run
    Passes:
      --canonicalize                               -   Canonicalize operations
      --convert-pixelfly-to-gpu                    -   Lower pixelfly products to GPU kernels
        --strict                                   - Fail on what cannot be lowered
      --pixelfly-budget                            -   Decide per linear layer which structure to use
        --budget=<number>                          - Budget
        --tokens=<long>                            - Tokens
      --pixelfly-sparsify                          -   Rewrite planned dense matmuls into pixelfly ops
        --mode=<string>                            - Mode
        --min-weight-size=<long>                   - Layers with fewer weights stay dense
    Pass Pipelines:
      --pixelfly-gpu-pipeline                      -   Lower to GPU kernels
        --format=<string>                          - Kernel binary format
        --opt-level=<int>                          - Optimization level
"""


def stack(frames):
    out = ["PLEASE submit a bug report to https://github.com/llvm/llvm-project/issues/ "
           "and include the crash backtrace.",
           "Stack dump:",
           "0.\tProgram arguments: " + " ".join(sys.argv),
           " #0 0x00007f0000000001 llvm::sys::PrintStackTrace(llvm::raw_ostream&, int) "
           "(/usr/lib/llvm-22/lib/libLLVM.so.22.1+0x4eb8786)",
           " #1 0x00007f0000000002 llvm::sys::RunSignalHandlers() "
           "(/usr/lib/llvm-22/lib/libLLVM.so.22.1+0x4eb5fd3)",
           " #2 0x00007f0000000003 (/lib/x86_64-linux-gnu/libc.so.6+0x3c050)"]
    for i, f in enumerate(frames, 3):
        out.append(f" #{i} 0x000055{i:010x} {f}")
    out.append(f" #{len(frames) + 3} 0x00007f0000000009 mlir::MlirOptMain(int, char**, "
               "llvm::StringRef, mlir::DialectRegistry&) (/usr/lib/llvm-22/lib/libMLIR.so.22.1+0x63c77d8)")
    out.append(f" #{len(frames) + 4} 0x000055000000000a main (/fake/bin/pixelfly-opt+0x32cca)")
    sys.stderr.write("\n".join(out) + "\n")
    sys.stderr.flush()


def main():
    args = sys.argv[1:]
    if "--help" in args:
        sys.stdout.write(HELP)
        return 0
    passes = [a.split("=", 1)[0] for a in args if a.startswith("--")]
    files = [a for i, a in enumerate(args)
             if not a.startswith("-") and (i == 0 or args[i - 1] != "-o")]
    text = open(files[0]).read() if files else sys.stdin.read()

    if "FUZZ_CRASH_B" in text:
        sys.stderr.write("LLVM ERROR: boom\n")
        stack(["llvm::report_fatal_error(char const*, bool) (/usr/lib/llvm-22/lib/libLLVM.so.22.1+0x1)",
               "mlir::pixelfly::BlockLayoutAttr::parse(mlir::AsmParser&, mlir::Type) (/fake/bin/pixelfly-opt+0x100)",
               "mlir::pixelfly::PixelflyDialect::parseAttribute(mlir::DialectAsmParser&, mlir::Type) const (/fake/bin/pixelfly-opt+0x200)",
               "mlir::detail::Parser::parseAttribute(mlir::Type) (/usr/lib/llvm-22/lib/libMLIR.so.22.1+0x3)"])
        os.kill(os.getpid(), signal.SIGABRT)
    if "FUZZ_UPSTREAM" in text:
        stack(["mlir::Lexer::lexToken() (/usr/lib/llvm-22/lib/libMLIR.so.22.1+0x28b8215)",
               "mlir::detail::Parser::parseCommaSeparatedListUntil(mlir::Token::Kind, "
               "llvm::function_ref<llvm::ParseResult ()>, bool) (/usr/lib/llvm-22/lib/libMLIR.so.22.1+0x28baa5d)"])
        os.kill(os.getpid(), signal.SIGSEGV)
    if "FUZZ_ASAN" in text:
        sys.stderr.write(
            "=================================================================\n"
            "==4242==ERROR: AddressSanitizer: heap-use-after-free on address 0x502000001234 "
            "at pc 0x55d0 bp 0x7ffc sp 0x7ffc\n"
            "READ of size 8 at 0x502000001234 thread T0\n"
            "    #0 0x55d000000001 in mlir::Value::getDefiningOp() const "
            "/usr/include/mlir/IR/Value.h:110:5\n"
            "    #1 0x55d000000002 in (anonymous namespace)::Sparsifier::rewrite(mlir::linalg::LinalgOp) "
            "/src/pixelfly/lib/Dialect/Pixelfly/Transforms/Sparsify.cpp:493:12\n"
            "    #2 0x55d000000003 in (anonymous namespace)::PixelflySparsifyPass::runOnOperation() "
            "/src/pixelfly/lib/Dialect/Pixelfly/Transforms/Sparsify.cpp:601:7\n"
            "    #3 0x7f0000000004 in mlir::detail::OpToOpPassAdaptor::run(mlir::Pass*, mlir::Operation*) "
            "(/usr/lib/llvm-22/lib/libMLIR.so.22.1+0x618f937)\n"
            "\n"
            "0x502000001234 is located 4 bytes inside of 72-byte region\n"
            "freed by thread T0 here:\n"
            "    #0 0x55d000000010 in free (/fake/bin/pixelfly-opt+0x10)\n"
            "    #1 0x55d000000011 in (anonymous namespace)::eraseDeadProducers(mlir::Operation*) "
            "/src/pixelfly/lib/Dialect/Pixelfly/Transforms/Sparsify.cpp:487:3\n"
            "\n"
            "SUMMARY: AddressSanitizer: heap-use-after-free /src/pixelfly/lib/Dialect/Pixelfly/"
            "Transforms/Sparsify.cpp:493:12 in rewrite\n"
            "==4242==ABORTING\n")
        return 1
    if "FUZZ_CRASH_A" in text and "NEEDED_TOO" in text and "--pixelfly-sparsify" in passes:
        stack(["(anonymous namespace)::Sparsifier::rewrite(mlir::linalg::LinalgOp) (/fake/bin/pixelfly-opt+0x1234)",
               "mlir::pixelfly::sparsifyModule(mlir::ModuleOp) (.constprop.0) (/fake/bin/pixelfly-opt+0x2345)",
               "(anonymous namespace)::PixelflySparsifyPass::runOnOperation() (/fake/bin/pixelfly-opt+0x3456)",
               "mlir::detail::OpToOpPassAdaptor::run(mlir::Pass*, mlir::Operation*, mlir::AnalysisManager, bool, unsigned int) (/usr/lib/llvm-22/lib/libMLIR.so.22.1+0x618f937)"])
        os.kill(os.getpid(), signal.SIGSEGV)
    if "FUZZ_OOM" in text:
        try:
            block = bytearray(2 << 30)
            del block
        except MemoryError:
            sys.stderr.write("LLVM ERROR: out of memory\nAllocation failed\n")
            stack(["llvm::report_bad_alloc_error(char const*, bool) (/usr/lib/llvm-22/lib/libLLVM.so.22.1+0x5)",
                   "llvm::safe_malloc(unsigned long) (/usr/lib/llvm-22/lib/libLLVM.so.22.1+0x6)",
                   "mlir::pixelfly::readWeightMatrix(mlir::Value) (/fake/bin/pixelfly-opt+0x4000)",
                   "(anonymous namespace)::Sparsifier::rewrite(mlir::linalg::LinalgOp) (/fake/bin/pixelfly-opt+0x1234)"])
            os.kill(os.getpid(), signal.SIGABRT)
    if "FUZZ_HANG" in text and "--pixelfly-budget" in passes:
        while True:
            time.sleep(1)
    for i, line in enumerate(text.split("\n"), 1):
        if line.strip() == "bad":
            sys.stderr.write(f"{files[0] if files else '-'}:{i}:1: error: bad line\n")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
