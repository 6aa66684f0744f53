#!/usr/bin/env bash
# The GPU benchmark in one command: sets up and builds the project
# (scripts/setup.sh), builds our kernels and the driver into BUILD/gpu-bench
# (ninja pixelfly-gpu-bench), and, when this machine has a GPU and PyTorch,
# runs it there (results in BUILD/gpu-bench/results). Otherwise it says how
# to run the folder on a GPU machine.
#
# Usage: scripts/gpu-bench.sh [BUILD_DIR] [-- run_bench.py options]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build"
if [[ $# -gt 0 && "$1" != "--" ]]; then
  build="$1"
  shift
fi
[[ "${1:-}" == "--" ]] && shift

"$root/scripts/setup.sh" "$build"
ninja -C "$build" pixelfly-gpu-bench
folder="$build/gpu-bench"
if python3 -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)" 2>/dev/null; then
  cd "$folder"
  exec python3 run_bench.py --out results "$@"
fi
echo "gpu-bench: no GPU with PyTorch here; the benchmark is in $folder"
echo "gpu-bench: copy that folder to a GPU machine with PyTorch and run there:"
echo "    python3 run_bench.py --out results"
