#!/usr/bin/env bash
# Fuzzes every parser of outside input with libFuzzer (bench/FUZZING.md).
#
#   bash bench/fuzz.sh [SECONDS] [TARGET…]
#
# SECONDS per target (default 300); targets default to all of them. Builds
# `fuzz-parsers` with -sanitize=fuzzer into .build-fuzz, then runs each target
# under `nice -n 19` from the seeds in Tests/Corpus/<target> (read, never
# written) and bench/fuzz/<target>.dict. New inputs go to
# .build-fuzz/corpus/<target>, crashes, hangs (-timeout) and blow-ups
# (-rss_limit_mb) to .build-fuzz/artifacts/<target>/, the log to
# .build-fuzz/logs/<target>.log. Exit status: 1 when a target found something.
set -uo pipefail
cd "$(dirname "$0")/.."
[ -d /opt/swift/usr/bin ] && export PATH="/opt/swift/usr/bin:$PATH"

seconds=${1:-300}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(gates results baseline worker-events worker-request python-rung command-line callgrind)

scratch=.build-fuzz
nice -n 19 swift build --product fuzz-parsers --scratch-path "$scratch" \
  -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING || exit 2
binary="$(swift build --product fuzz-parsers --scratch-path "$scratch" --show-bin-path \
  -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING)/fuzz-parsers"
root="$PWD"

found=0
printf '%-14s %10s %8s %7s %s\n' target inputs exec/s corpus findings
for target in "${targets[@]}"; do
  corpus="$root/$scratch/corpus/$target"
  artifacts="$root/$scratch/artifacts/$target"
  log="$root/$scratch/logs/$target.log"
  # The command-line target probes and reads the paths it is given: run it in
  # a folder of its own that sees the repository's bench/ and Tests/.
  work="$root/$scratch/work/$target"
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")" "$work"
  touch "$log.start"  # findings are the artifacts newer than this; older ones stay for you to look at
  ln -sfn "$root/bench" "$work/bench"
  ln -sfn "$root/Tests" "$work/Tests"
  (cd "$work" && SPEEDLADDER_FUZZ="$target" SWIFT_BACKTRACE=enable=no nice -n 19 "$binary" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -dict="$root/bench/fuzz/$target.dict" -artifact_prefix="$artifacts/" \
    "$corpus" "$root/Tests/Corpus/$target" </dev/null >"$log" 2>&1)
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  new=$(find "$artifacts" -type f -newer "$log.start" -printf '%f ')
  [ -n "$new" ] && found=1
  printf '%-14s %10s %8s %7s %s\n' "$target" "${runs:-?}" "${speed:-?}" "$(ls "$corpus" | wc -l)" "${new:-none}"
done
exit $found
