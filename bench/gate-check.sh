#!/usr/bin/env bash
# Proves the CI gate: N gate runs in each of six series — unchanged code, a
# 1.10× and a 1.25× slowdown of mandelbrot's unsafe flavour (--inject-slowdown),
# each on a quiet machine and with `yes >/dev/null` keeping one core busy
# (started before the gate run, killed after it). The series are interleaved,
# so a machine getting busier or quieter affects all alike. Prints a table
# (series, runs, false failures, catches, inconclusive, seconds per gate run).
# Exits 1 on any false failure (a gate failing on unchanged cells), a missed
# 1.25×, or (not with --quick) a 1.10× caught in fewer than 9 runs of 10;
# 2 on a usage or build error.
#
#   bash bench/gate-check.sh              # 10 runs per series, 60 gate runs (about 10 minutes on 2 cores)
#   bash bench/gate-check.sh --quick      # 2 runs per series, 12 gate runs (about 2 minutes), for CI
#   bash bench/gate-check.sh --runs 5 --all-gates   # every gate of the file, not only the slowed one
#   bash bench/gate-check.sh --counted    # the count gate: unchanged, +2% and +5% injected work
#   bash bench/gate-check.sh --counted --quick      # 2 runs per series, for CI (needs valgrind)
#
# --counted proves the instruction-count gate "unsafe-instructions-match-c"
# (`gate --measure instructions`, valgrind): six series, unchanged code and an
# extra loop costing 2% and 5% of mandelbrot's unsafe run in its timed region
# (`--inject-work mandelbrot/unsafe=+2%`), quiet and with one core loaded. Exits
# 1 on any false failure or any slowed run not caught; the table adds the
# largest within-run spread of a cell's counts.
#
# By default the gate runs hold only the gate the slowdown targets (a copy of
# the file's settings with that one gate), so that its proof does not wait on
# other gates' re-measure rounds; CI runs the whole file once, on its own.
#
# The slowed cell is release·unsafe·1 of mandelbrot: unsafe Swift and C run it
# at the same speed (paired-round ratio about 1.00 here), and the gate
# "unsafe-as-fast-as-c" holds it to ≤ 1.05× C, so 1.10× more work must read as
# a failure of exactly that gate.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d /opt/swift/usr/bin ] && export PATH="/opt/swift/usr/bin:$PATH"

runs=10
quick=0
counted=0
gates=bench/gates.json
only=unsafe-as-fast-as-c  # the gate the slowdown targets; --all-gates proves every gate of the file
target_gate="unsafe-as-fast-as-c · mandelbrot"
usage() { echo "usage: bash bench/gate-check.sh [--runs N | --quick] [--gates FILE] [--all-gates]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) [ $# -ge 2 ] || usage; runs="$2"; shift 2 ;;
    --runs=*) runs="${1#--runs=}"; shift ;;
    --quick) runs=2; quick=1; shift ;;
    --gates) [ $# -ge 2 ] || usage; gates="$2"; shift 2 ;;
    --gates=*) gates="${1#--gates=}"; shift ;;
    --all-gates) only=""; shift ;;
    --counted) counted=1; shift ;;
    -h|--help) sed -n '2,33p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "gate-check: unknown argument '$1'" >&2; usage ;;
  esac
done
case "$runs" in ''|*[!0-9]*|0) echo "gate-check: --runs needs a positive count, got '$runs'" >&2; exit 2 ;; esac
[ -f "$gates" ] || { echo "gate-check: no gates file '$gates'" >&2; exit 2; }
measure=()
series=(clean-quiet clean-loaded 1.10-quiet 1.10-loaded 1.25-quiet 1.25-loaded)
if [ "$counted" -eq 1 ]; then
  [ -n "$only" ] && only=unsafe-instructions-match-c
  target_gate="unsafe-instructions-match-c · mandelbrot · instructions"
  measure=(--measure instructions)
  series=(clean-quiet clean-loaded 2-quiet 2-loaded 5-quiet 5-loaded)
fi

echo "gate-check: building release…" >&2
swift build -c release --product benchmark >/dev/null || { echo "gate-check: swift build -c release failed" >&2; exit 2; }
bin="$(swift build -c release --show-bin-path)/benchmark"
logs="$(mktemp -d "${TMPDIR:-/tmp}/gate-check.XXXXXX")"
if [ -n "$only" ]; then
  # The file's settings with only the target gate: its proof should not wait
  # on other gates' re-measure rounds (CI runs the whole file once, apart).
  python3 - "$gates" "$only" "$logs/gates.json" <<'PY' || { echo "gate-check: no gate '$only' in $gates" >&2; exit 2; }
import json, sys
source, name, target = sys.argv[1:]
with open(source) as f:
    gates = json.load(f)
gates["gates"] = [g for g in gates["gates"] if g.get("name") == name]
if not gates["gates"]:
    sys.exit(1)
with open(target, "w") as f:
    json.dump(gates, f, indent=2)
PY
  gates="$logs/gates.json"
fi

load_pid=""
stop_load() { if [ -n "$load_pid" ]; then kill "$load_pid" 2>/dev/null || true; wait "$load_pid" 2>/dev/null || true; load_pid=""; fi; }
trap stop_load EXIT
trap 'stop_load; exit 130' INT
trap 'stop_load; exit 143' TERM

declare -A done_runs false_failures catches inconclusive seconds ratios spreads
for s in "${series[@]}"; do done_runs[$s]=0; false_failures[$s]=0; catches[$s]=0; inconclusive[$s]=0; seconds[$s]=0; ratios[$s]=""; spreads[$s]=0; done
errors=0

# One gate run of series $1 (run $2); counts its outcome.
gate() {
  local s="$1" i="$2" factor="${1%-*}" load="${1#*-}"
  local log="$logs/$s-$i.txt" args=()
  if [ "$factor" != clean ]; then
    if [ "$counted" -eq 1 ]; then args=(--inject-work "mandelbrot/unsafe=+$factor%")
    else args=(--inject-slowdown "mandelbrot/unsafe=$factor"); fi
  fi
  [ "$counted" -eq 1 ] && args+=("${measure[@]}" --summary "$logs/$s-$i.md")
  if [ "$load" = loaded ]; then yes >/dev/null & load_pid=$!; fi
  local start status
  start=$(date +%s.%N)
  set +e
  "$bin" gate --gates "$gates" ${args[@]+"${args[@]}"} >"$log" 2>"$logs/$s-$i.err"
  status=$?
  set -e
  seconds[$s]=$(awk -v a="${seconds[$s]}" -v b="$start" -v c="$(date +%s.%N)" 'BEGIN { printf "%.3f", a + c - b }')
  stop_load
  done_runs[$s]=$((done_runs[$s] + 1))
  if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
    errors=$((errors + 1))
    echo "gate-check: $s run $i exited $status: $(tail -1 "$logs/$s-$i.err")" >&2
    return
  fi
  # Any gate but the slowed one failing is a false failure (in a slowed run too).
  local others
  if [ "$factor" = clean ]; then others="$(grep -E '^  FAIL ' "$log" || true)"
  else others="$(grep -E '^  FAIL ' "$log" | grep -vE "^  FAIL +$target_gate " || true)"; fi
  if [ -n "$others" ]; then
    false_failures[$s]=$((false_failures[$s] + 1))
    echo "gate-check: $s run $i FAILED on unchanged cells:" >&2; echo "$others" >&2
  fi
  if [ "$counted" -eq 1 ] && [ -f "$logs/$s-$i.md" ]; then
    # The largest spread (max − min over median) of a cell's counts in this run.
    local spread
    spread="$(sed -nE 's/^\|.*\| [0-9,]+ \(([0-9.]+)%, size [0-9]+\) \|.*$/\1/p' "$logs/$s-$i.md" | sort -g | tail -1)"
    spreads[$s]=$(awk -v a="${spreads[$s]}" -v b="${spread:-0}" 'BEGIN { print (b > a ? b : a) }')
  fi
  if [ "$factor" = clean ]; then
    grep -qE '^  inconclusive ' "$log" && inconclusive[$s]=$((inconclusive[$s] + 1))
    [ "$counted" -eq 1 ] && ratios[$s]="${ratios[$s]} $(grep -E "^  [a-zA-Z]+ +$target_gate " "$log" | sed -nE 's/^.* ([0-9.]+)× \(.*$/\1/p')"
  else
    local line; line="$(grep -E "^  [a-zA-Z]+ +$target_gate " "$log" || true)"
    case "$line" in
      "  FAIL "*) catches[$s]=$((catches[$s] + 1)) ;;
      "  inconclusive "*) inconclusive[$s]=$((inconclusive[$s] + 1)); echo "gate-check: $s run $i inconclusive: $line" >&2 ;;
      *) echo "gate-check: $s run $i MISSED: ${line:-no verdict line}" >&2 ;;
    esac
    ratios[$s]="${ratios[$s]} $(echo "$line" | sed -nE 's/^.* ([0-9.]+)× \(.*$/\1/p')"
  fi
  return 0
}

for i in $(seq 1 "$runs"); do
  for s in "${series[@]}"; do gate "$s" "$i"; done
  so_far=""; for s in "${series[@]}"; do so_far="$so_far $s ${false_failures[$s]}ff/${catches[$s]}c/${inconclusive[$s]}i;"; done
  echo "gate-check: round $i/$runs done:$so_far" >&2
done

range() { tr ' ' '\n' | grep -v '^$' | sort -n | sed -n '1p;$p' | paste -sd' ' | awk '{ if (NF == 2) printf "%s–%s", $1, $2; else printf "—" }'; }
if [ "$counted" -eq 1 ]; then
  echo "| series | runs | false failures | catches | inconclusive | count ratio read | largest count spread in a run | s per gate run |"
  echo "|---|---:|---:|---:|---:|---|---:|---:|"
else
  echo "| series | runs | false failures | catches | inconclusive | ratio read | s per gate run |"
  echo "|---|---:|---:|---:|---:|---|---:|"
fi
status=0
for s in "${series[@]}"; do
  n=${done_runs[$s]}
  factor="${s%-*}"
  if [ "$factor" = clean ]; then c="—"; r="—"; else c="${catches[$s]}"; r="$(echo "${ratios[$s]}" | range)×"; fi
  [ "$counted" -eq 1 ] && [ "$factor" = clean ] && r="$(echo "${ratios[$s]}" | range)×"
  per_run="$(awk -v a="${seconds[$s]}" -v n="$n" 'BEGIN { printf "%.3f", a / n }')"
  if [ "$counted" -eq 1 ]; then
    printf '| %s | %d | %d | %s | %d | %s | %s%% | %.1f |\n' "$s" "$n" "${false_failures[$s]}" "$c" "${inconclusive[$s]}" "$r" \
      "${spreads[$s]}" "$per_run"
    [ "$factor" != clean ] && [ "${catches[$s]}" -lt "$n" ] && status=1
  else
    printf '| %s | %d | %d | %s | %d | %s | %.1f |\n' "$s" "$n" "${false_failures[$s]}" "$c" "${inconclusive[$s]}" "$r" "$per_run"
  fi
  [ "${false_failures[$s]}" -gt 0 ] && status=1
  [ "$factor" = 1.25 ] && [ "${catches[$s]}" -lt "$n" ] && status=1
  [ "$factor" = 1.10 ] && [ "$quick" -eq 0 ] && [ $((catches[$s] * 10)) -lt $((n * 9)) ] && status=1
done
echo "logs: $logs"
if [ "$errors" -gt 0 ]; then exit 2; fi
exit "$status"
