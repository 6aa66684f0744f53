#!/usr/bin/env bash
# Runs every self-checking GPU test program of this folder (build/gpu-tests,
# copied to a GPU machine as it is) and prints a summary. Exit status: 0
# when all pass, 1 on any failure or when no program ran.
#
#   ./device-check.sh                 on a GPU machine
#   ./device-check.sh --expect-no-gpu (tests) every program must report
#                                     that no GPU is usable (exit 2)
set -u
here="$(cd "$(dirname "$0")" && pwd)"
expect_no_gpu=0
[ "${1:-}" = "--expect-no-gpu" ] && expect_no_gpu=1

pass=0 fail=0 ran=0 timings=""
for program in "$here"/*; do
  [ -f "$program" ] && [ -x "$program" ] || continue
  case "$(basename "$program")" in *.sh|*.so) continue ;; esac
  ran=$((ran + 1))
  output="$("$program" 2>&1)"
  status=$?
  echo "$output"
  if [ $expect_no_gpu = 1 ]; then
    if [ $status = 2 ] && echo "$output" | grep -q "^SKIP: no usable GPU"; then
      pass=$((pass + 1))
    else
      echo "FAIL $(basename "$program"): expected a 'no usable GPU' exit (2), got $status"
      fail=$((fail + 1))
    fi
    continue
  fi
  timings="$timings$(echo "$output" | grep "^PASS" || true)
"
  cases_passed=$(echo "$output" | grep -c "^PASS" || true)
  cases_failed=$(echo "$output" | grep -c "^FAIL" || true)
  pass=$((pass + cases_passed))
  fail=$((fail + cases_failed))
  if [ $status != 0 ] && [ "$cases_failed" = 0 ]; then
    echo "FAIL $(basename "$program"): exit status $status"
    fail=$((fail + 1))
  fi
done
[ $ran = 0 ] && { echo "no test programs in $here"; fail=$((fail + 1)); }
# Speedups over the dense kernel of the same generator: cases name it on
# their PASS lines (baseline=<case>); same token count, same run.
if [ -n "$timings" ]; then
  echo "$timings" | awk '
    { name = $2; m = $3; ms = ""; base = ""
      for (i = 4; i <= NF; ++i) {
        if ($i ~ /^gpu_ms=/) ms = substr($i, 8)
        if ($i ~ /^baseline=/) base = substr($i, 10)
      }
      time[name " " m] = ms
      if (base != "") { want[++n] = name " " m; of[name " " m] = base " " m } }
    END {
      for (i = 1; i <= n; ++i) {
        k = want[i]; b = of[k]
        if (!(b in time) || time[b] + 0 == 0) continue
        split(k, p, " ")
        printf "SPEEDUP %s %s %.2fx over %s (%s ms vs %s ms)\n", p[1], p[2], time[b] / time[k], substr(b, 1, index(b, " ") - 1), time[k], time[b]
      } }'
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
