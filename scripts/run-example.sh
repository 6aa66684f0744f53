#!/usr/bin/env bash
# The main job on a shipped example: sets up and builds the project, then
# runs pixelfly-opt on examples/sparse_mlp.mlir and prints the rewritten IR.
#
# Today the flow is: the example's sparse layers are canonicalized (constant
# gammas folded, trivial terms dropped) and expanded into their dense linalg
# reference. Later stages (budget analysis, sparsification, CPU and GPU code
# generation) extend this script as they land.
#
# Usage: scripts/run-example.sh [EXAMPLE.mlir]   (default: examples/sparse_mlp.mlir)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
example="${1:-$root/examples/sparse_mlp.mlir}"

"$root/scripts/setup.sh" "$root/build" >&2
"$root/build/bin/pixelfly-opt" "$example" \
  --canonicalize --pixelfly-expand-to-dense --canonicalize
