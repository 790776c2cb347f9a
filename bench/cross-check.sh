#!/usr/bin/env bash
# Cross-checks the harness's clock against timing the whole process from
# outside (issue 3: "the harness's per-run time agrees within 5% with timing
# the whole run from outside").
#
# The harness is run twice with everything equal except the number of samples:
# 1 and 11. At `full` size one run lasts longer than --min-time, so every
# sample is exactly one run, and the difference between the two wall times is
# ten runs of the kernel, with start-up, building input, verification and
# warm-up cancelling out. That per-run time is compared with the median the
# harness itself reports.
#
#   bash bench/cross-check.sh [KERNEL] [FLAVOUR]     (default: mandelbrot c)
#
# Uses hyperfine (apt-get install hyperfine) when present, else bash's clock.
set -euo pipefail
cd "$(dirname "$0")/.."
kernel=${1:-mandelbrot}
flavour=${2:-c}
runs=${RUNS:-3}

swift build -c release --product benchmark >/dev/null
bin=$(swift build -c release --show-bin-path)/benchmark
args=(--builds release --kernels "$kernel" --flavours "$flavour" --threads 1 --size full --min-time 1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if command -v hyperfine >/dev/null; then
  hyperfine --style basic --runs "$runs" --export-json "$work/hyperfine.json" \
    -n samples-1 "$bin ${args[*]} --samples 1" \
    -n samples-11 "$bin ${args[*]} --samples 11" >&2
  read -r t1 t11 < <(python3 -c '
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
print(r["samples-1"]["median"], r["samples-11"]["median"])' "$work/hyperfine.json")
  how="hyperfine, median of $runs runs each"
else
  echo "hyperfine not found (apt-get install hyperfine); timing with bash's clock, 1 run each" >&2
  s=$EPOCHREALTIME; "$bin" "${args[@]}" --samples 1 >/dev/null 2>&1; e=$EPOCHREALTIME
  t1=$(python3 -c "print($e - $s)")
  s=$EPOCHREALTIME; "$bin" "${args[@]}" --samples 11 >/dev/null 2>&1; e=$EPOCHREALTIME
  t11=$(python3 -c "print($e - $s)")
  how="bash's clock, 1 run each"
fi

"$bin" "${args[@]}" --samples 11 --output "$work/run.json" >/dev/null 2>&1
python3 - "$work/run.json" "$t1" "$t11" "$how" "$kernel" "$flavour" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))
cell = run["cells"][0]
t1, t11, how, kernel, flavour = float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
assert cell["runsPerSample"] == 1, "a sample is more than one run; the difference is not ten runs"
outside = (t11 - t1) / 10
inside = cell["statistics"]["median"]
deviation = outside / inside - 1
print(f"{kernel} release {flavour} 1 thread, size {cell['size']} ({how})")
print(f"  whole process: {t1:.3f} s with 1 sample, {t11:.3f} s with 11 → {outside * 1000:.1f} ms a run")
print(f"  harness:       median {inside * 1000:.1f} ms a run (min {cell['statistics']['min'] * 1000:.1f} ms, CV {cell['statistics']['cv'] * 100:.1f}%)")
verdict = "within" if abs(deviation) <= 0.05 else "OUTSIDE"
print(f"  agreement:     {deviation * 100:+.1f}% ({verdict} ±5%)")
sys.exit(0 if abs(deviation) <= 0.05 else 1)
PY
