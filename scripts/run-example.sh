#!/usr/bin/env bash
# The main job on a shipped example: sets up and builds the project, then
# runs pixelfly-opt on a dense model with compile-time weights and prints
# what it decided and the rewritten IR.
#
# Today the flow is budget analysis + sparsification: pixelfly-sparsify
# plans every linear layer of examples/transformer_block.mlir (a pre-norm
# transformer block in linalg with f16 constant weights) within 25% of the
# dense cost on sm_90, projects each weight onto its plan (butterfly blocks,
# low-rank factors or 2:4 values) and rewrites the matmuls into pixelfly
# ops. The report goes first (per layer: structure, costs, density, rank,
# butterfly, relative error of the projected weight, then the counts), then
# the IR with large constants elided. CPU/GPU code generation extends this
# script as it lands.
#
# Usage: scripts/run-example.sh [EXAMPLE.mlir [PASS-OPTIONS]]
#   default: examples/transformer_block.mlir "budget=0.25 target=sm_90"
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
example="${1:-$root/examples/transformer_block.mlir}"
options="${2:-budget=0.25 target=sm_90}"

"$root/scripts/setup.sh" "$root/build" >&2
# The projected constants are large: print them elided.
"$root/build/bin/pixelfly-opt" "$example" \
  --pixelfly-sparsify="$options report=-" \
  --mlir-elide-elementsattrs-if-larger=16 \
  --mlir-elide-resource-strings-if-larger=64 \
  --mlir-print-op-on-diagnostic=false
