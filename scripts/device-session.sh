#!/usr/bin/env bash
# Everything a GPU session runs, in one call on the GPU machine (which has
# the NVIDIA driver, PyTorch and maybe Nsight Compute, but no LLVM): the
# self-checking device tests, the GPU benchmark and, with --profile, an
# Nsight Compute pass over the headline case. Build both folders first,
# where LLVM is:
#
#   ninja -C build pixelfly-gpu-tests pixelfly-gpu-bench
#
# then, on the GPU machine, from the checkout (build/gpu-tests and
# build/gpu-bench copied along):
#
#   scripts/device-session.sh OUT_DIR [--profile] [-- run_bench.py options]
#
# Writes OUT_DIR/device-check.txt, OUT_DIR/bench/ (results.json,
# results.md, plots, train.json, train.md), OUT_DIR/train.txt and, with
# --profile, OUT_DIR/ncu.txt. Exit status:
# that of device-check.sh, or of the benchmark if it failed to run.
set -u
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: device-session.sh OUT_DIR [--profile] [-- run_bench.py options]}"
shift
profile=0
if [[ "${1:-}" == "--profile" ]]; then profile=1; shift; fi
[[ "${1:-}" == "--" ]] && shift
mkdir -p "$out"
out="$(cd "$out" && pwd)"

nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm \
  --format=csv 2>&1 | tee "$out/gpu.txt"

echo "== device tests"
"$root/build/gpu-tests/device-check.sh" > "$out/device-check.txt" 2>&1
check=$?
tail -n 3 "$out/device-check.txt"

echo "== benchmark"
# The device tool allows 10 minutes a call: the benchmark starts no new
# case after BENCH_BUDGET seconds (default 360) and reports the rest.
(cd "$root/build/gpu-bench" &&
   python3 run_bench.py --out "$out/bench" --time-budget "${BENCH_BUDGET:-360}" "$@") \
  > "$out/bench.txt" 2>&1
bench=$?
tail -n 3 "$out/bench.txt"

echo "== training step (GPT-2-medium MLP block, M = 8192, against PyTorch's)"
(cd "$root/build/gpu-bench" && python3 train_step_bench.py --out "$out/bench") \
  > "$out/train.txt" 2>&1
train=$?
tail -n 8 "$out/train.txt"

if [[ $profile == 1 ]]; then
  echo "== Nsight Compute (bf16 GPT-2-medium up-projection, M = 8192)"
  if command -v ncu > /dev/null; then
    (cd "$root/build/gpu-bench" && ncu --kernel-name regex:'product_|gemm|cutlass|sm90|triton|sparse' \
       --launch-count 40 --section SpeedOfLight --section Occupancy \
       --section LaunchStats --section MemoryWorkloadAnalysis \
       --section WarpStateStats \
       python3 run_bench.py --shapes gpt2m_up --dtypes bf16 --m 8192 \
         --reps 1 --warmup 0 --out "$out/ncu-run") > "$out/ncu.txt" 2>&1
    echo "ncu: $(grep -c '^  [a-zA-Z_].*(' "$out/ncu.txt") kernel reports in $out/ncu.txt"
  else
    echo "ncu: not installed" | tee "$out/ncu.txt"
  fi
fi
[[ $bench != 0 ]] && exit $bench
[[ $train != 0 ]] && exit $train
exit $check
