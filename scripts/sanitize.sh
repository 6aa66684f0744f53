#!/usr/bin/env bash
# The sanitizer build (docs/Development.md, "Sanitizer build"): configures
# pixelfly-mlir with AddressSanitizer (LeakSanitizer included) and
# UndefinedBehaviorSanitizer into its own folder, builds it, and runs ctest
# there (the lit suite, the unit tests, install-consumer) with the
# sanitizers' options set.
#
# Usage: scripts/sanitize.sh [BUILD_DIR] [-- CTEST_ARGS...]
#        (default BUILD_DIR: build-asan next to the sources)
# Environment:
#   PIXELFLY_SANITIZE   sanitizers (default "address;undefined")
#   PIXELFLY_JOBS       parallel compile jobs (default: ninja's)
#   ASAN_OPTIONS, LSAN_OPTIONS, UBSAN_OPTIONS
#                       appended to the options below (later ones win)
# Run scripts/setup.sh once first on a fresh machine (it installs the
# packages; this script only configures, builds and tests).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build-asan"
if [[ $# -gt 0 && "$1" != "--" ]]; then
  build="$1"
  shift
fi
if [[ $# -gt 0 && "$1" == "--" ]]; then shift; fi

# -O1 -g1 rather than RelWithDebInfo's -O2 -g: half the compile time and a
# third of the object size on this project's largest files, and still line
# numbers in every report (docs/Development.md has the measurements).
# NDEBUG as in the release build: Debian's LLVM is built without assertions.
opt_flags="-O1 -g1 -DNDEBUG"
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

# allow_user_poisoning=0: Debian's libMLIR is not instrumented but shares
#   LLVM's allocators (BumpPtrAllocator, inline in the headers) with our
#   instrumented code, whose copies poison and unpoison memory that
#   libMLIR's copies hand out without unpoisoning: a false use-after-poison.
# abort_on_error=1: a finding is a crash (SIGABRT), not exit code 1, so
#   that `not tool ...` in a lit test fails on it instead of passing.
# LSAN_OPTIONS: the suppressions (LLVM's and MLIR's own allocations only).
# UBSan: every finding is fatal, with its stack.
# Set for the build too: it runs our tools (the GPU test programs are
# compiled with pixelfly-opt).
export ASAN_OPTIONS="allow_user_poisoning=0:detect_leaks=1:abort_on_error=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$root/scripts/sanitizers/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:abort_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

start=$SECONDS
cmake -G Ninja -S "$root" -B "$build" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="$opt_flags" \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$opt_flags" \
  -DPIXELFLY_SANITIZE="${PIXELFLY_SANITIZE:-address;undefined}" \
  -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
  "${launcher[@]}" >/dev/null

jobs=()
if [[ -n "${PIXELFLY_JOBS:-}" ]]; then jobs=(-j "$PIXELFLY_JOBS"); fi
cmake --build "$build" "${jobs[@]}"
built=$SECONDS
echo "sanitize: build took $((built - start)) s"

# ctest's summary comes last (CI's log ends with it); its own total is the
# tests' time.
cd "$build"
exec ctest --output-on-failure "$@"
