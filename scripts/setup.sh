#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks (from Debian's archive only),
# then configures and builds pixelfly-mlir. Idempotent: with everything in
# place it only runs an incremental build.
#
# Usage: scripts/setup.sh [BUILD_DIR]      (default: build)
# Environment: PIXELFLY_BUILD_TYPE (default Release), PIXELFLY_JOBS.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"

packages=(
  cmake ninja-build ccache g++ python3
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  libeigen3-dev googletest libgtest-dev
  # The CPU benchmark's baseline (bench/cpu/run_bench.py calls its sgemm).
  libopenblas0-pthread
  # OpenMP runtime of multi-threaded CPU code (pixelfly-cpu-pipeline threads=N).
  libomp-22-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ ! -f "$build/build.ninja" ]]; then
  cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE="${PIXELFLY_BUILD_TYPE:-Release}" \
    -DCMAKE_C_COMPILER_LAUNCHER=ccache \
    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir
fi

jobs=()
if [[ -n "${PIXELFLY_JOBS:-}" ]]; then jobs=(-j "$PIXELFLY_JOBS"); fi
cmake --build "$build" "${jobs[@]}"
