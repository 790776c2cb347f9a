#!/usr/bin/env bash
# Proves the CI gate: N gate runs of unchanged code (counting false failures)
# and N runs with one cell slowed 1.25× by --inject-slowdown (counting catches),
# interleaved so that a machine getting busier or quieter affects both series
# alike. Prints one summary line per series; exits 1 on any false failure or
# miss, 2 on a usage or build error.
#
#   bash bench/gate-check.sh              # 10 + 10 runs (about 7 minutes on 2 cores)
#   bash bench/gate-check.sh --quick      # 2 + 2 runs, for CI
#   bash bench/gate-check.sh --runs 5 --gates bench/gates.json
#
# The slowed cell is release·unsafe·1 of mandelbrot: unsafe Swift and C run it
# at the same speed (0.96–1.01× here), and the gate "unsafe-matches-c" holds it
# to ≤ 1.10× C, so 1.25× more work must read as a failure of exactly that gate.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d /opt/swift/usr/bin ] && export PATH="/opt/swift/usr/bin:$PATH"

runs=10
gates=bench/gates.json
slowdown="mandelbrot/unsafe=1.25"
target_gate="unsafe-matches-c · mandelbrot"
usage() { echo "usage: bash bench/gate-check.sh [--runs N | --quick] [--gates FILE]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) [ $# -ge 2 ] || usage; runs="$2"; shift 2 ;;
    --runs=*) runs="${1#--runs=}"; shift ;;
    --quick) runs=2; shift ;;
    --gates) [ $# -ge 2 ] || usage; gates="$2"; shift 2 ;;
    --gates=*) gates="${1#--gates=}"; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "gate-check: unknown argument '$1'" >&2; usage ;;
  esac
done
case "$runs" in ''|*[!0-9]*|0) echo "gate-check: --runs needs a positive count, got '$runs'" >&2; exit 2 ;; esac
[ -f "$gates" ] || { echo "gate-check: no gates file '$gates'" >&2; exit 2; }

echo "gate-check: building release…" >&2
swift build -c release --product benchmark >/dev/null || { echo "gate-check: swift build -c release failed" >&2; exit 2; }
bin="$(swift build -c release --show-bin-path)/benchmark"
logs="$(mktemp -d "${TMPDIR:-/tmp}/gate-check.XXXXXX")"

false_failures=0; inconclusive_clean=0; caught=0; missed=0; other_failures=0; errors=0
clean_seconds=0; slowed_seconds=0; caught_ratios=""

# Runs one gate; sets $status and $log.
gate() {
  local name="$1"; shift
  log="$logs/$name.txt"
  local start=$SECONDS
  set +e
  "$bin" gate --gates "$gates" "$@" >"$log" 2>"$logs/$name.err"
  status=$?
  set -e
  elapsed=$((SECONDS - start))
  if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
    errors=$((errors + 1))
    echo "gate-check: $name exited $status: $(tail -1 "$logs/$name.err")" >&2
  fi
}

for i in $(seq 1 "$runs"); do
  gate "clean-$i"
  clean_seconds=$((clean_seconds + elapsed))
  if [ "$status" -eq 1 ]; then
    false_failures=$((false_failures + 1))
    echo "gate-check: run $i of unchanged code FAILED:" >&2
    grep -E '^  FAIL ' "$log" >&2 || true
  elif grep -qE '^  inconclusive ' "$log"; then
    inconclusive_clean=$((inconclusive_clean + 1))
  fi

  gate "slowed-$i" --inject-slowdown "$slowdown"
  slowed_seconds=$((slowed_seconds + elapsed))
  line="$(grep -E "^  FAIL +$target_gate " "$log" || true)"
  if [ "$status" -eq 1 ] && [ -n "$line" ]; then
    caught=$((caught + 1))
    caught_ratios="$caught_ratios $(echo "$line" | sed -E 's/^.* ([0-9.]+)× \(.*$/\1/')"
  else
    missed=$((missed + 1))
    echo "gate-check: slowed run $i MISSED: $(grep -E "$target_gate " "$log" || echo 'no verdict line')" >&2
  fi
  others="$(grep -E '^  FAIL ' "$log" | grep -vE "^  FAIL +$target_gate " || true)"
  if [ -n "$others" ]; then
    other_failures=$((other_failures + 1))
    echo "gate-check: slowed run $i also failed other gates:" >&2
    echo "$others" >&2
  fi
  echo "gate-check: pair $i/$runs done (clean exit $( [ $false_failures -eq 0 ] && echo ok || echo FAIL ), slowed caught $caught/$i)" >&2
done

range() { tr ' ' '\n' | grep -v '^$' | sort -n | sed -n '1p;$p' | paste -sd' ' | awk '{ if (NF == 2) printf "%s–%s", $1, $2; else printf "—" }'; }
echo "unchanged code:    $runs runs, $false_failures false failure(s), $inconclusive_clean with an inconclusive gate, $errors error(s), $((clean_seconds / runs)) s per gate run"
echo "slowed $slowdown: $runs runs, $caught caught by '$target_gate', $missed missed, $other_failures with other gates failing, ratio $(echo "$caught_ratios" | range)× (threshold 1.10), $((slowed_seconds / runs)) s per gate run"
echo "logs: $logs"
if [ "$errors" -gt 0 ]; then exit 2; fi
if [ "$false_failures" -gt 0 ] || [ "$missed" -gt 0 ] || [ "$other_failures" -gt 0 ]; then exit 1; fi
exit 0
