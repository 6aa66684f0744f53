#!/usr/bin/env bash
# Sparsification speed on a GPT-2-small-sized module (bench/README.md).
#
# Builds nothing. Generates the module of bench/gen_gpt2_small.py (48 linear
# layers, 84.9M f16 weights as dense_resource constants, ~340 MB) into a
# temporary directory, then runs pixelfly-opt on it several times and prints
# a markdown table of wall times (median, min, max; time.perf_counter around
# the process) and peak memory for
#   parse + print   pixelfly-opt FILE -o /dev/null
#   budget          pixelfly-opt FILE --pixelfly-budget -o /dev/null
#   sparsify        pixelfly-opt FILE --pixelfly-sparsify -o /dev/null
# with default options (budget 0.25 of the dense cost, sm_90); without plans
# on the input, pixelfly-sparsify plans the layers itself as pixelfly-budget
# would, then rewrites them and projects the constant weights. Every step
# prints its result, so "sparsify" includes printing the new constants;
# "parse + print" is the baseline. Without a pixelfly-sparsify pass in
# pixelfly-opt (checked with --help) the table says so.
#
# Usage: bench/sparsify_speed.sh [options] [PIXELFLY_OPT]
#   PIXELFLY_OPT      default: build/bin/pixelfly-opt
#   --runs N          timed runs per step (default 3)
#   --layers N        transformer layers of the module (default 12)
#   --tokens N        token dimension of the matmuls (default 1024)
#   --timeout S       give up on a run after S seconds (default 600)
#   --sparsify-options "OPTS"
#                     options of --pixelfly-sparsify, e.g. "key=value"
#   --keep DIR        write the module to DIR (kept; reused if present)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=3 layers=12 tokens=1024 timeout=600 sparsify_options="" keep="" opt=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --layers) layers="$2"; shift 2 ;;
    --tokens) tokens="$2"; shift 2 ;;
    --timeout) timeout="$2"; shift 2 ;;
    --sparsify-options) sparsify_options="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d; s/^# \{0,1\}//; p}' "${BASH_SOURCE[0]}"; exit 0 ;;
    -*) echo "sparsify_speed.sh: unknown option $1" >&2; exit 2 ;;
    *) opt="$1"; shift ;;
  esac
done
opt="${opt:-$root/build/bin/pixelfly-opt}"
if [[ ! -x "$opt" ]]; then
  echo "sparsify_speed.sh: $opt is not an executable pixelfly-opt (build it first)" >&2
  exit 1
fi

if [[ -n "$keep" ]]; then
  mkdir -p "$keep"
  dir="$keep"
else
  dir="$(mktemp -d "${TMPDIR:-/tmp}/pixelfly-bench.XXXXXX")"
  trap 'rm -rf "$dir"' EXIT
fi

has_sparsify=0
# (grep -q on a pipe would SIGPIPE pixelfly-opt, which pipefail reports.)
help_text="$("$opt" --help)"
if grep -q -- '--pixelfly-sparsify' <<<"$help_text"; then
  has_sparsify=1
fi

python3 - "$root" "$opt" "$dir" "$runs" "$layers" "$tokens" "$timeout" \
  "$has_sparsify" "$sparsify_options" "${keep:+keep}" <<'EOF'
import os, platform, signal, statistics, subprocess, sys, time

(root, opt, dir_, runs, layers, tokens, timeout, has_sparsify,
 sparsify_options, keep) = sys.argv[1:]
runs, layers, tokens, timeout = int(runs), int(layers), int(tokens), float(timeout)
module = os.path.join(dir_, f"gpt2_small_l{layers}_t{tokens}.mlir")

gen_note = "reused"
if not (keep and os.path.exists(module)):
    start = time.perf_counter()
    subprocess.run([sys.executable, os.path.join(root, "bench", "gen_gpt2_small.py"),
                    module, "--layers", str(layers), "--tokens", str(tokens)],
                   check=True, stderr=subprocess.DEVNULL)
    gen_note = f"generated in {time.perf_counter() - start:.1f} s"
size_mb = os.path.getsize(module) / 1e6


def timed(args):
    """Wall time (s), peak RSS (MB), return code and stderr tail of one run."""
    start = time.perf_counter()
    with open(os.path.join(dir_, "stderr.txt"), "w+b") as err:
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=err,
                                start_new_session=True)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                _, status, usage = os.wait4(proc.pid, 0)
                return None, usage.ru_maxrss / 1024, "timeout", ""
            time.sleep(0.01)
        wall = time.perf_counter() - start
        err.seek(0)
        tail = err.read()[-2000:].decode(errors="replace")
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), tail


steps = [("parse + print", [], "-o /dev/null"),
         ("budget", ["--pixelfly-budget"], "--pixelfly-budget")]
sparsify = "--pixelfly-sparsify" + (f"={sparsify_options}" if sparsify_options else "")
if has_sparsify == "1":
    shown = "--pixelfly-sparsify" + (f'="{sparsify_options}"' if sparsify_options else "")
    steps.append(("sparsify", [sparsify], shown))

rows = []
for name, flags, shown in steps:
    walls, rss, failure = [], 0.0, None
    for _ in range(runs):
        wall, peak, rc, tail = timed([opt, module, *flags, "-o", os.devnull])
        rss = max(rss, peak)
        if rc != 0:
            failure = (f"timed out after {timeout:.0f} s" if rc == "timeout"
                       else f"failed (exit {rc})")
            if tail:
                print(f"{name}: {failure}; stderr ends with:\n{tail}", file=sys.stderr)
            break
        walls.append(wall)
    if failure:
        rows.append(f"| {name} | `{shown}` | {len(walls)} | {failure} | | | {rss:.0f} |")
    else:
        rows.append(f"| {name} | `{shown}` | {runs} | {statistics.median(walls):.2f} | "
                    f"{min(walls):.2f} | {max(walls):.2f} | {rss:.0f} |")
if has_sparsify != "1":
    rows.append("| sparsify | `--pixelfly-sparsify` | 0 | not available: this "
                "pixelfly-opt has no pixelfly-sparsify pass | | | |")

weights = layers * (3 * 768 * 768 + 768 * 768 + 2 * 3072 * 768)
print(f"pixelfly-opt: {opt}")
print(f"module: GPT-2 small linear layers, {layers} x 4, {weights / 1e6:.1f}M f16 weights, "
      f"{tokens} tokens, {size_mb:.1f} MB ({gen_note})")
print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
print()
print("| step | flags | runs | median (s) | min (s) | max (s) | peak RSS (MB) |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
print("\n".join(rows))
EOF
