#!/usr/bin/env bash
# The main job on a shipped example: sets up and builds the project, then
# runs pixelfly-opt on a dense model and prints what it decided and the
# rewritten IR.
#
# Today the flow is the budget analysis: every linear layer of
# examples/mlp.mlir (a dense GPT-2-small MLP in linalg) gets a
# #pixelfly.plan (butterfly + low-rank, 2:4 or dense) within a budget of 25%
# of the dense cost on sm_90; the report goes first, then the annotated IR.
# Sparsification and CPU/GPU code generation extend this script as they land.
#
# Usage: scripts/run-example.sh [EXAMPLE.mlir [PASS-OPTIONS]]
#   default: examples/mlp.mlir "budget=0.25 target=sm_90"
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
example="${1:-$root/examples/mlp.mlir}"
options="${2:-budget=0.25 target=sm_90}"

"$root/scripts/setup.sh" "$root/build" >&2
"$root/build/bin/pixelfly-opt" "$example" \
  --pixelfly-budget="$options report=-"
