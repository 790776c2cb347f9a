#!/usr/bin/env bash
# Where instruction counts mislead: triad's unsafe flavour gets a pass over a
# 64 MiB buffer inside its timed region (`--inject-work triad/unsafe=…-pass`),
# walked in order (sequential-pass: the prefetcher hides it) or a page apart
# (scattered-pass: every access misses the caches and the TLB). Both passes
# execute the same instructions, so the count gate reads the same ratio for
# both and passes; the time gate sees the misses and fails the scattered one.
# Prints one line per gate run; exits 1 if the scattered pass is not caught by
# the time gate or if the count gate's ratio differs between the two passes.
#
#   bash bench/count-blind-spot.sh            # 3 gate runs per pass
#   bash bench/count-blind-spot.sh --runs 5
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d /opt/swift/usr/bin ] && export PATH="/opt/swift/usr/bin:$PATH"
runs=3
[ "${1:-}" = --runs ] && { runs="${2:?--runs needs a count}"; }
command -v valgrind >/dev/null || { echo "count-blind-spot: needs valgrind (apt-get install valgrind)" >&2; exit 2; }
swift build -c release --product benchmark >/dev/null || { echo "count-blind-spot: swift build -c release failed" >&2; exit 2; }
bin="$(swift build -c release --show-bin-path)/benchmark"
logs="$(mktemp -d "${TMPDIR:-/tmp}/count-blind-spot.XXXXXX")"

# The code before the change walks in order: the count gate's threshold is 1%
# above triad's unsafe ÷ C count ratio with the sequential pass, measured here.
"$bin" run --measure instructions --kernels triad --flavours unsafe,c --size quick \
  --inject-work triad/unsafe=sequential-pass --output "$logs/counts.json" >/dev/null
ratio="$(python3 -c '
import json, statistics, sys
cells = {c["id"]["flavour"]: statistics.median(c["instructions"]) for c in json.load(open(sys.argv[1]))["cells"]}
print(cells["unsafe"] / cells["c"])' "$logs/counts.json")"
cat >"$logs/gates.json" <<JSON
{ "size": "quick", "minTimeMilliseconds": 30, "samples": 5, "remeasure": 3,
  "gates": [
    { "name": "triad-time", "kernels": ["triad"], "ratio": "release·unsafe·1 / release·c·1", "atMost": 1.25 },
    { "name": "triad-count", "kernels": ["triad"], "ratio": "release·unsafe·1 / release·c·1",
      "atMost": $(awk -v r="$ratio" 'BEGIN { printf "%.4f", r * 1.01 }'), "measure": "instructions" } ] }
JSON
echo "triad unsafe ÷ C instructions with the sequential pass: $ratio; count gate at ≤ $(awk -v r="$ratio" 'BEGIN { printf "%.4f", r * 1.01 }')"
status=0
declare -A counts
for i in $(seq 1 "$runs"); do
  for pass in sequential-pass scattered-pass; do
    set +e
    "$bin" gate --gates "$logs/gates.json" --measure both --inject-work "triad/unsafe=$pass" >"$logs/$pass-$i.txt" 2>"$logs/$pass-$i.err"
    set -e
    time_line="$(grep -E '^  [a-zA-Z]+ +triad-time · triad ' "$logs/$pass-$i.txt" | sed -E 's/ +/ /g')"
    count_line="$(grep -E '^  [a-zA-Z]+ +triad-count · triad · instructions ' "$logs/$pass-$i.txt" | sed -E 's/ +/ /g')"
    echo "$pass run $i: time:$time_line | count:$count_line"
    counts[$pass]="${counts[$pass]:-} $(echo "$count_line" | sed -nE 's/^.* ([0-9.]+)× \(.*$/\1/p')"
    if [ "$pass" = scattered-pass ]; then
      case "$time_line" in " FAIL "*) ;; *) status=1 ;; esac
    fi
  done
done
echo "count ratios read: sequential${counts[sequential-pass]}; scattered${counts[scattered-pass]}"
[ "$(echo ${counts[sequential-pass]} | tr ' ' '\n' | sort -u)" = "$(echo ${counts[scattered-pass]} | tr ' ' '\n' | sort -u)" ] || status=1
echo "logs: $logs"
exit "$status"
