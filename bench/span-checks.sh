#!/usr/bin/env bash
# The checks the optimiser left in the span flavour, read from compiled code.
#
# Usage: bench/span-checks.sh [BINARY] [FILE...]
#   BINARY  a release build holding SpanKernels, with its debug line tables
#           (default .build/release/benchmark-worker; SwiftPM's release builds
#           keep them). Build it with `swift build -c release --product
#           benchmark-worker`, or the native one with --scratch-path .build-native.
#   FILE    Sources/Span file names to report (MatMul.swift …); default all.
#
# For every function of `Spans` (and, for comparison, `Unsafe`), each trap
# instruction (`ud2` on x86-64, `brk` on arm64) is one check the optimiser did
# not remove. llvm-symbolizer names each trap's reason ("index out of bounds",
# "arithmetic overflow", a precondition's message) and the source line in
# Sources/Span or Sources/Unsafe that it guards, through inlined frames.
#
# Output, tab-separated, one line per (function, reason, line):
#   flavour  file  function  reason  line  traps  loop-depth  innermost  source-text
# loop-depth and innermost are read from the code's layout (backward jumps),
# an estimate: a check hoisted to an outer loop shows there, not inside.
# `traps` counts trap instructions: a check that the optimiser duplicated
# (unrolling, loop versioning) counts once per copy.
# Needs llvm-objdump, llvm-nm and llvm-symbolizer (the Swift toolchain's
# usr/bin has them); exits 2 when one is missing.

set -euo pipefail
if [[ ${1:-} == --help || ${1:-} == -h ]]; then
  sed -n '2,/^$/s/^# \{0,1\}//p' "$0"  # the comment above
  exit 0
fi
binary=${1:-.build/release/benchmark-worker}
shift || true
files=("$@")

for tool in llvm-objdump llvm-nm llvm-symbolizer; do
  command -v "$tool" >/dev/null || { echo "span-checks: $tool not found (add the Swift toolchain's usr/bin to PATH)" >&2; exit 2; }
done
[[ -f $binary ]] || { echo "span-checks: no binary at $binary (swift build -c release --product benchmark-worker)" >&2; exit 2; }

# Functions of the two flavours: Swift mangles `Spans` in module SpanKernels
# as 11SpanKernels5SpansO and `Unsafe` in UnsafeKernels as 13UnsafeKernels0A0O (the
# module name stands in for the repeated word).
symbols=$(llvm-nm --defined-only "$binary" | awk '$2 ~ /^[tT]$/ && ($3 ~ /^\$s11SpanKernels5SpansO/ || $3 ~ /^\$s13UnsafeKernels0A0O/) {print $3}')
[[ -n $symbols ]] || { echo "span-checks: $binary holds no span or unsafe kernel functions" >&2; exit 2; }

for symbol in $symbols; do
  flavour=span
  [[ $symbol == *UnsafeKernels* ]] && flavour=unsafe
  # Each trap's address and the loop depth of the branches that reach it: a
  # backward jump from b to t makes [t, b] a loop; a branch to the trap inside
  # d such ranges is checked on every trip of a depth-d loop (0: outside all
  # loops, checked once per call or hoisted out). "?" when no branch targets
  # it. Innermost (1) when one of those ranges holds no other loop: the check
  # runs on every trip of an innermost loop, not once per trip of an outer one.
  traps=$(llvm-objdump -d --no-show-raw-insn --disassemble-symbols="$symbol" "$binary" | awk -F'\t' '
    function hex(text,   value, i, digit) {  # POSIX awk has no strtonum
      sub(/^0x/, "", text); value = 0
      for (i = 1; i <= length(text); i++) value = value * 16 + index("0123456789abcdef", substr(text, i, 1)) - 1
      return value
    }
    $1 ~ /^ +[0-9a-f]+: +$/ {
      address = $1; gsub(/[ :]/, "", address); at = hex(address)
      mnemonic = $2
      if (mnemonic == "ud2" || mnemonic == "brk") traps[++ntraps] = at
      if (mnemonic ~ /^j/ && $3 ~ /^0x[0-9a-f]+/) {
        split($3, operand, " "); target = hex(operand[1])
        jumps[++njumps] = at; targets[njumps] = target
      }
    }
    END {
      for (t = 1; t <= ntraps; t++) {
        depth = "?"; inner = 0
        for (j = 1; j <= njumps; j++) {
          if (targets[j] != traps[t]) continue
          d = 0
          for (k = 1; k <= njumps; k++) {
            if (!(targets[k] < jumps[k] && targets[k] <= jumps[j] && jumps[j] <= jumps[k])) continue
            d++
            holds = 0
            for (m = 1; m <= njumps; m++) {
              if (m != k && targets[m] < jumps[m] && targets[k] <= targets[m] && jumps[m] <= jumps[k] \
                  && !(targets[m] == targets[k] && jumps[m] == jumps[k])) holds = 1
            }
            if (!holds) inner = 1
          }
          if (depth == "?" || d > depth) depth = d
        }
        printf "0x%x %s %d\n", traps[t], depth, inner
      }
    }')
  [[ -n $traps ]] || continue
  addresses=$(echo "$traps" | awk '{print $1}')
  depths=$(echo "$traps" | awk '{print $2 ":" $3}' | paste -sd, -)
  name=$(swift-demangle --simplified --compact "$symbol" 2>/dev/null || echo "$symbol")
  name=${name#static }
  llvm-symbolizer --obj="$binary" --inlining --functions=linkage $addresses \
    | awk -v flavour="$flavour" -v name="$name" -v depths="$depths" '
    # Each address prints pairs of lines (function, file:line:column) per
    # inlined frame, innermost first, then a blank line.
    function flush() {
      if (n > 0) {
        key = where "\t" tolower(reason)
        count[key]++
        split(depth[++block], pair, ":")
        d = pair[1]
        if (!(key in deepest) || (d != "?" && (deepest[key] == "?" || d + 0 > deepest[key] + 0))) deepest[key] = d
        if (pair[2] == 1) innermost[key] = 1
      }
      n = 0; reason = "unknown"; where = ""
    }
    BEGIN { n = 0; reason = "unknown"; where = ""; block = 0; split(depths, depth, ",") }
    /^$/ { flush(); next }
    {
      function_line = $0
      getline location
      n++
      if (function_line ~ /^Swift runtime failure: /) reason = substr(function_line, 24)
      if (where == "" && location ~ /Sources\/(Span|Unsafe)\//) {
        sub(/:[0-9]+$/, "", location)          # drop the column
        sub(/.*Sources\/(Span|Unsafe)\//, "", location)
        where = location
      }
    }
    END {
      flush()
      for (key in count) {
        split(key, part, "\t")
        split(part[1], fileLine, ":")
        print flavour "\t" fileLine[1] "\t" name "\t" part[2] "\t" fileLine[2] + 0 "\t" count[key] "\t" deepest[key] "\t" (key in innermost ? 1 : 0)
      }
    }'
done | sort -t $'\t' -k1,1r -k2,2 -k3,3 -k5,5n | while IFS=$'\t' read -r flavour file function reason line traps depth inner; do
  if ((${#files[@]})); then
    keep=0
    for f in "${files[@]}"; do [[ $f == "$file" ]] && keep=1; done
    ((keep)) || continue
  fi
  folder=Span
  [[ $flavour == unsafe ]] && folder=Unsafe
  text=""
  [[ $line != 0 && -f Sources/$folder/$file ]] && text=$(sed -n "${line}p" "Sources/$folder/$file" | sed 's/^ *//')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$flavour" "$file" "$function" "$reason" "$line" "$traps" "$depth" "$inner" "$text"
done
