#!/usr/bin/env bash
# What convert-pixelfly-to-gpu and the GPU pipeline generate, saved and
# compared: the proof that a refactoring changes no kernel.
#
#   scripts/gpu-golden.sh save DIR [BUILD_DIR]   # outputs of the build
#   scripts/gpu-golden.sh compare OLD NEW        # differences that matter
#
# `save` runs, on every test, example and benchmark input with a pixelfly
# product, convert-pixelfly-to-gpu (with the input's configurations, and
# after pixelfly-gpu-config for sm_80 and sm_90a) and, on every GPU test
# case, the whole pipeline for sm_90a to PTX. `compare` reports inputs
# whose PTX differs, and whose kernel IR differs other than in host-side
# grid arithmetic (constants, ceildiv, the M != 0 guard, launches), which
# is order-only noise in the host function. Exit 1 when anything differs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

save() {
  local out=$1 opt=${2:-$root/build}/bin/pixelfly-opt
  mkdir -p "$out"
  cd "$root"
  local files
  files=$(grep -rl "pixelfly\.\(block_sparse\|linear\|low_rank\|two_four\|prune\)" \
    test examples bench --include=*.mlir | grep -v Fuzz | sort)
  for f in $files; do
    local n split=""
    n=$(echo "$f" | tr '/' '_')
    grep -q '^// -----' "$f" && split=--split-input-file
    for run in "conv:" "c80:--pixelfly-gpu-config=chip=sm_80" \
               "c90a:--pixelfly-gpu-config=chip=sm_90a"; do
      local tag=${run%%:*} config=${run#*:}
      timeout 120 "$opt" "$f" $split $config --convert-pixelfly-to-gpu \
        --mlir-print-op-generic >"$out/$n.$tag.out" 2>"$out/$n.$tag.err" || true
    done
  done
  for f in test/Integration/GPU/cases/*.mlir; do
    timeout 300 "$opt" "$f" --pixelfly-gpu-pipeline="chip=sm_90a format=isa" 2>&1 |
      sed -E 's/LLVMIRToISATimeInMs = [0-9]+/T/' >"$out/$(basename "$f").ptx" || true
  done
}

compare() {
  local old=$1 new=$2 status=0
  for f in "$old"/*.ptx; do
    cmp -s <(grep -o 'assembly = ".*"' "$f") \
      <(grep -o 'assembly = ".*"' "$new/$(basename "$f")") ||
      { echo "PTX differs: $(basename "$f")"; status=1; }
  done
  for f in "$old"/*.out; do
    local d
    d=$(diff <(sed 's/%[0-9a-z_]*//g; s/^ *//' "$f" | sort) \
             <(sed 's/%[0-9a-z_]*//g; s/^ *//' "$new/$(basename "$f")" | sort) |
        grep '^[<>]' |
        grep -v -E '"arith.(constant|ceildivui|cmpi|muli)"|"scf.(if|yield)"|"memref.dim"|"gpu.launch_func"|^[<>] \}(\) : \(i1\) -> \(\)|, \{|\) : \(\) -> \(\))' |
        head -3 || true)
    if [ -n "$d" ]; then
      echo "IR differs: $(basename "$f")"
      echo "$d" | cut -c1-200
      status=1
    fi
  done
  return $status
}

case "${1:-}" in
  save) shift; save "$@" ;;
  compare) shift; compare "$@" ;;
  *) sed -n '2,13p' "$0"; exit 2 ;;
esac
