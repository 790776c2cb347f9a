// Instruction counts: a cell's timed region run under valgrind's callgrind,
// with counting switched on only inside it (`--measure instructions`).
//
// Wall time on a shared machine moves with the neighbours; valgrind's count
// of the instructions a deterministic computation executes does not. The
// worker runs under
//
//   valgrind --tool=callgrind --collect-atstart=no
//     --toggle-collect=speedladder_counted_region --dump-after=speedladder_counted_region
//
// so nothing is counted until the thread enters `speedladder_counted_region`
// (set-up, input, verification and process start stay uncounted), and each
// return from it writes one dump file, `PREFIX.N`, holding that call's count
// alone (callgrind zeroes its counters after a dump). The worker reads dump N
// right after its N-th call returns: the dump is written before the return.
//
// valgrind decodes instructions itself and knows no AVX-512: the counted
// build is the release build (baseline x86-64), and the native build only
// on a CPU without AVX-512. Threads other than the one that enters the region
// are not counted, so counted cells are one-thread cells.

import Foundation
import KernelKit
import ProcessKit

// MARK: - What to measure

/// What a run or a gate measures: wall/CPU time, valgrind's instruction
/// count of the timed region, or both.
package enum Measure: String, Codable, Sendable, CaseIterable {
  case time, instructions, both

  package var times: Bool { self != .instructions }
  package var counts: Bool { self != .time }
  package static var validNames: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// How counted cells are sampled. Counts are deterministic up to a few
/// instructions a run (allocation addresses, lazy binding done once), so a
/// few samples show the spread; they are not needed to beat noise.
package enum CountedSampling {
  /// Samples per counted cell unless `--samples` says otherwise.
  package static let defaultSamples = 3
}

// MARK: - The counted region

/// The symbol valgrind is told to count inside and to dump after.
package let countedRegionSymbol = "speedladder_counted_region"

/// What one call of the counted region runs.
final class CountedBody {
  let body: () -> Void
  init(_ body: @escaping () -> Void) { self.body = body }
}

/// The timed region as callgrind sees it. `@_silgen_name` gives this Swift
/// function a fixed, unmangled symbol (Swift callers call it by that name);
/// `@inline(never)` keeps the call, and `@_optimize(none)` keeps the
/// optimiser from making a specialised copy under another name (a copy
/// callgrind would never be told to count). Its own cost is a call of the
/// closure: a handful of instructions, the same every call.
@inline(never) @_optimize(none) @_silgen_name("speedladder_counted_region")
func speedLadderCountedRegion(_ region: CountedBody) {
  region.body()
}

/// Counts calls of the counted region in a worker running under callgrind:
/// the n-th call's count is in dump file `prefix.n`.
package final class InstructionCounter {
  /// `--callgrind-out-file`: dumps are `prefix.1`, `prefix.2`, …
  let prefix: String
  private var calls = 0

  package init(prefix: String) { self.prefix = prefix }

  /// Runs `body` inside the counted region and returns the instructions it executed.
  package func count(_ body: () -> Void) throws -> UInt64 {
    let events = try events(body)
    guard let instructions = events["Ir"] else {
      throw CountError("callgrind dump \(prefix).\(calls) has no Ir (instructions) event")
    }
    return instructions
  }

  /// Runs `body` inside the counted region and returns every event callgrind
  /// counted (with `--cache-sim=yes`, the cache misses too).
  package func events(_ body: () -> Void) throws -> [String: UInt64] {
    withoutActuallyEscaping(body) { body in
      speedLadderCountedRegion(CountedBody(body))
    }
    calls += 1
    let path = "\(prefix).\(calls)"
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CountError(
        "no callgrind dump \(path) after the counted region: is the worker running under valgrind --tool=callgrind --dump-after=\(countedRegionSymbol)?")
    }
    try? FileManager.default.removeItem(atPath: path)
    return try CallgrindOutput.parse(String(decoding: data, as: UTF8.self))
  }
}

/// A counted region that could not be read.
package struct CountError: Error, CustomStringConvertible {
  package var description: String
  package init(_ description: String) { self.description = description }
}

// MARK: - Parsing callgrind's output

/// Reads the totals of a callgrind output file (format: valgrind's
/// docs/callgrind-format): the `events:` line names the event types,
/// `totals:` (or, in older files, `summary:`) gives one count per type.
package enum CallgrindOutput {
  /// Event name → total, e.g. `["Ir": 27130203]`. Throws a `CountError`
  /// naming what is missing or malformed; never traps on any input.
  package static func parse(_ text: String) throws -> [String: UInt64] {
    var events: [String]?
    var totals: [Substring]?
    var summary: [Substring]?
    for line in text.split(whereSeparator: \.isNewline) {
      if line.hasPrefix("events:") {
        events = line.dropFirst("events:".count).split(separator: " ").map(String.init)
      } else if line.hasPrefix("totals:") {
        totals = line.dropFirst("totals:".count).split(separator: " ")
      } else if line.hasPrefix("summary:") {
        summary = line.dropFirst("summary:".count).split(separator: " ")
      }
    }
    guard let values = totals ?? summary else {
      throw CountError("callgrind output has no totals: or summary: line")
    }
    let names = events ?? ["Ir"]  // the format's default event when none is declared
    guard !names.isEmpty, values.count <= names.count, !values.isEmpty else {
      throw CountError("callgrind output: \(values.count) totals for \(names.count) events")
    }
    // callgrind leaves out trailing zero totals (`events: Ir Dr Dw I1mr …`, `totals: 275150 44 28`).
    var result = Dictionary(names.map { ($0, UInt64(0)) }) { first, _ in first }
    for (name, value) in zip(names, values) {
      guard let number = UInt64(value) else {
        throw CountError("callgrind output: total '\(value.prefix(40))' for \(name.prefix(40)) is not a count")
      }
      result[name] = number
    }
    return result
  }

  /// An estimate of CPU cycles from a cache simulation (`--cache-sim=yes`),
  /// as Iai and CodSpeed make it: an L1 hit costs 1, a last-level hit 5, a
  /// memory access 35. An estimate from a model of the caches, not a
  /// measurement: no prefetcher, no out-of-order overlap. nil without the
  /// cache events.
  package static func estimatedCycles(_ events: [String: UInt64]) -> Double? {
    guard let ir = events["Ir"], let dr = events["Dr"], let dw = events["Dw"],
      let i1 = events["I1mr"], let d1r = events["D1mr"], let d1w = events["D1mw"],
      let ilr = events["ILmr"], let dlr = events["DLmr"], let dlw = events["DLmw"]
    else { return nil }
    let accesses = Double(ir) + Double(dr) + Double(dw)
    let l1Misses = Double(i1) + Double(d1r) + Double(d1w)
    let memory = Double(ilr) + Double(dlr) + Double(dlw)
    let llHits = max(0, l1Misses - memory)
    let l1Hits = max(0, accesses - l1Misses)
    return l1Hits + 5 * llHits + 35 * memory
  }
}

// MARK: - Finding and running valgrind

package enum Valgrind {
  /// Overrides the lookup (tests point it at nothing): a path to valgrind, or
  /// a path that does not exist to behave as if valgrind were not installed.
  package static let environmentKey = "SPEEDLADDER_VALGRIND"
  /// The line a user without valgrind gets (exit 2).
  package static let missing =
    "instruction counts need valgrind, which is not installed: apt-get install valgrind (or set SPEEDLADDER_VALGRIND to its path)"

  /// valgrind's path, or the `missing` usage error.
  package static func find(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
    let candidates: [String]
    if let given = environment[environmentKey] {
      candidates = [given]
    } else {
      candidates = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map { "\($0)/valgrind" }
    }
    guard let path = candidates.first(where: { !$0.isEmpty && FileManager.default.isExecutableFile(atPath: $0) })
    else { throw UsageError(missing) }
    return path
  }

  /// The arguments before the worker's command line.
  package static func arguments(outputPrefix: String, cacheSimulation: Bool = false) -> [String] {
    [
      "--tool=callgrind", "-q", "--collect-atstart=no",
      "--toggle-collect=\(countedRegionSymbol)", "--dump-after=\(countedRegionSymbol)",
      "--callgrind-out-file=\(outputPrefix)",
    ] + (cacheSimulation ? ["--cache-sim=yes"] : [])
  }

  /// A copy of `binary` without its debug information, in `folder`, for
  /// valgrind to run; `binary` itself when `strip` is missing or fails.
  /// Swift writes DWARF 5, which valgrind before 3.20 cannot read ("unhandled
  /// dwarf2 abbrev form code 0x25", then it gives up on the binary); the
  /// symbol table stays, so `--toggle-collect` still finds the counted region.
  package static func countableCopy(of binary: String, in folder: String) -> String {
    let copy = URL(fileURLWithPath: folder).appendingPathComponent(URL(fileURLWithPath: binary).lastPathComponent).path
    guard let output = try? runProcess("strip", ["--strip-debug", "-o", copy, binary]), output.succeeded else {
      return binary
    }
    return copy
  }

  /// The one line of a counted build this CPU cannot count, or nil. valgrind
  /// does not decode AVX-512, and the native build uses it where the CPU has it.
  package static func refusal(for build: Build, cpuFlags: Set<String> = cpuFlags()) -> String? {
    guard build == .native, cpuFlags.contains("avx512f") else { return nil }
    return "instruction counts of the native build: this CPU has AVX-512, which valgrind cannot run; count the release build (baseline x86-64) instead"
  }

  /// The CPU's flags from /proc/cpuinfo (empty elsewhere).
  package static func cpuFlags() -> Set<String> {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
      let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
      let colon = line.firstIndex(of: ":")
    else { return [] }
    return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
  }

  /// valgrind's first error line in a counted worker's standard error (with
  /// `-q` valgrind writes only errors): its `==PID==` lines and the decoder's
  /// `vex …: unhandled instruction` lines, without the `==PID==` prefix.
  package static func firstErrorLine(_ standardError: String) -> String? {
    for raw in standardError.split(whereSeparator: \.isNewline) {
      var line = Substring(raw)
      if line.hasPrefix("=="), let end = line.dropFirst(2).range(of: "==") {
        line = line[end.upperBound...]
      } else if !line.hasPrefix("vex ") && !line.hasPrefix("valgrind:") {
        continue
      }
      let text = line.trimmingCharacters(in: .whitespaces)
      if !text.isEmpty { return String(text.prefix(300)) }
    }
    return nil
  }
}

// MARK: - Formatting

/// `27,130,203`: an instruction count, whole, digits grouped.
package func formatCount(_ count: Double) -> String {
  guard count.isFinite, count >= 0, count < 1e19 else { return "—" }
  let digits = String(UInt64(count.rounded()))
  var out = ""
  for (index, digit) in digits.enumerated() {
    if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
    out.append(digit)
  }
  return out
}

/// `0.0012%`: a spread of counts, small enough to need more digits than a time's.
package func formatSpread(_ fraction: Double) -> String {
  String(format: "%.4f%%", fraction * 100)
}
