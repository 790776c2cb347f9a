// What `benchmark gate` prints and writes: a terminal report, a Markdown
// summary for pull requests, and github-action-benchmark JSON for dashboards.

import Foundation
import KernelKit
import MeasurementKit
import Reports
import Workers

struct GateReport {
  var file: GateFile
  var outcomes: [GateOutcome]
  /// The cells measured, samples of every round merged.
  var results: RunResults
  var rounds: Int
  var slowdowns: [Slowdown]
  var injections: [WorkInjection] = []
  var baselinePath: String?
  var seconds: Double

  func count(_ verdict: Verdict) -> Int { outcomes.filter { $0.verdict == verdict }.count }

  /// `14 pass · 1 FAIL · 0 inconclusive · 1 skipped`.
  var tally: String {
    "\(count(.pass)) pass · \(count(.fail)) FAIL · \(count(.inconclusive)) inconclusive · \(count(.skipped)) skipped"
  }

  private var header: String {
    let cells = results.cells.count
    return "SpeedLadder gate · \(file.path) · size \(file.size) · \(counted(file.samples, "sample")) of ≥ \(significant(file.minTimeMilliseconds)) ms"
      + " · \(cells) cell\(cells == 1 ? "" : "s") · \(results.provenance.cores) cores"
      + (file.clock == .auto ? " · 1-thread cells by CPU time" : " · wall time")
      + (baselinePath.map { " · baseline \($0)" } ?? "")
  }

  private var slowdownLine: String? {
    guard !slowdowns.isEmpty || !injections.isEmpty else { return nil }
    return "INJECTED SLOWDOWN (a test of the gate, not a real measurement): "
      + (slowdowns.map { "\($0.kernel)·\($0.flavour.rawValue) does \(significant($0.factor))× its real work" }
        + injections.map { "--inject-work \($0)" })
      .joined(separator: ", ")
  }

  /// `release·unsafe·1 / release·c·1 = 1.26× (1.22–1.30), threshold ≤ 1.15`.
  private func detail(_ outcome: GateOutcome) -> String {
    let gate = outcome.check.gate
    guard let ratio = outcome.ratio else { return outcome.reason ?? "" }
    let formula: String =
      switch gate.kind {
      case .ratio(let a, let b): "\(a) / \(b)"
      case .baseline(let rung): "\(rung) now / baseline"
      }
    let counted = outcome.check.counted ? " (instructions per run, valgrind)" : ""
    let combined =
      counted + (outcome.check.terms.count > 1
      ? " (geometric mean)" : ratio.isPaired ? " (median of paired rounds, 95% interval)" : "")
    let times = outcome.measurements > 1 ? ", measured \(outcome.measurements)×" : ""
    let why = outcome.reason.map { " — \($0)" } ?? ""
    return "\(formula)\(combined) = \(ratio.text), threshold \(gate.bound.text)\(times)\(why)"
  }

  // MARK: - Terminal

  package func text() -> String {
    var out = header + "\n"
    if let slowdownLine { out += slowdownLine + "\n" }
    let width = max(50, (outcomes.map(\.name.count).max() ?? 0) + 2)
    out += "\n  " + "verdict".padded(14) + "gate · kernel".padded(width) + "ratio (band)".padded(28) + "threshold\n"
    for outcome in outcomes {
      let verdict = outcome.verdict == .fail ? "FAIL" : outcome.verdict.rawValue
      let ratio = outcome.ratio?.text ?? ""
      let tail = outcome.verdict == .skipped ? (outcome.reason ?? "") : outcome.check.gate.bound.text
      out += "  " + verdict.padded(14) + outcome.name.padded(width) + ratio.padded(28) + tail
        + (outcome.ratio == nil && outcome.verdict == .fail ? "  " + (outcome.reason ?? "") : "") + "\n"
    }
    let sections: [(Verdict, String)] = [
      (.fail, "Failing"), (.inconclusive, "Inconclusive (the band straddles the threshold)"),
      (.pass, "Passed after a failure that did not reproduce"),
    ]
    for (verdict, title) in sections {
      // A passing gate carries a reason only when a first failure did not reproduce.
      let named = outcomes.filter { $0.verdict == verdict && (verdict != .pass || $0.reason != nil) }
      guard !named.isEmpty else { continue }
      out += "\n\(title):\n"
      for outcome in named { out += "  \(outcome.name): \(detail(outcome))\n" }
    }
    let remeasured = rounds == 0 ? "no re-measurement" : "\(rounds) re-measure round\(rounds == 1 ? "" : "s")"
    out += "\nResult: \(tally) · \(remeasured) · \(formatSeconds(seconds))\n"
    out += "Provenance: \(results.provenance.summaryLine)"
    return out
  }

  // MARK: - Markdown

  /// For a pull-request comment or `$GITHUB_STEP_SUMMARY`.
  func markdown() -> String {
    let title =
      count(.fail) > 0
      ? "❌ \(count(.fail)) gate\(count(.fail) == 1 ? "" : "s") failed"
      : count(.inconclusive) > 0 ? "⚠️ passed, \(count(.inconclusive)) inconclusive" : "✅ all gates passed"
    var out = "## SpeedLadder gate: \(title)\n\n"
    out += "\(tally.replacingOccurrences(of: "FAIL", with: "fail")) — \(header.replacingOccurrences(of: "SpeedLadder gate · ", with: ""))\n\n"
    if let slowdownLine { out += "> **\(slowdownLine)**\n\n" }
    out += "| verdict | gate | kernel | ratio | band | threshold | measured as |\n"
    out += "|---|---|---|---:|---|---|---|\n"
    let icons: [Verdict: String] = [.pass: "✅ pass", .fail: "❌ **fail**", .inconclusive: "⚠️ inconclusive", .skipped: "⏭️ skipped"]
    // Failing and inconclusive gates first: they are what a reviewer needs.
    let order: [Verdict] = [.fail, .inconclusive, .pass, .skipped]
    for verdict in order {
      for outcome in outcomes where outcome.verdict == verdict {
        let gate = outcome.check.gate
        let ratio = outcome.ratio.map { formatRatio($0.value) } ?? ""
        let band = outcome.ratio.map { "\(significant($0.low))–\(significant($0.high))" } ?? ""
        let how: String =
          switch gate.kind {
          case .ratio(let a, let b): "\(a) / \(b)"
          case .baseline(let rung): "\(rung) / baseline"
          }
        let note =
          outcome.ratio == nil
          ? (outcome.reason ?? "")
          : how + (outcome.measurements > 1 ? " (measured \(outcome.measurements)×)" : "")
            + (outcome.reason.map { " — \($0)" } ?? "")
        let label = outcome.check.label + (outcome.check.counted ? " (instructions)" : "")
        out += "| \(icons[verdict]!) | \(gate.name) | \(label) | \(ratio) | \(band) | \(gate.bound.text) | \(note) |\n"
      }
    }
    out += "\n<details><summary>Cells measured</summary>\n\n"
    out += "| cell | median (wall) | CV | samples | preempted /s | instructions per run (spread) | notes |\n|---|---:|---:|---:|---:|---:|---|\n"
    for cell in results.cells {
      let median = cell.statistics.map { formatSeconds($0.median) } ?? (cell.instructions == nil || cell.failed ? "FAIL" : "")
      let cv = cell.statistics.map { formatPercent($0.cv) } ?? ""
      let preempted = cell.preemptionsPerSecond.map { String(Int($0.rounded())) } ?? ""
      let count = cell.medianInstructions.map { "\(formatCount($0)) (\(formatSpread(cell.instructionSpread ?? 0)), size \(cell.size))" } ?? ""
      out += "| \(cell.id.kernel) \(cell.id.rung) | \(median) | \(cv) | \(cell.samples.count) | \(preempted) | \(count) | \(cell.notes.joined(separator: "; ")) |\n"
    }
    out += "\n</details>\n\nBands: on instruction counts, the counts' own spread plus ±\(formatPercent(CountBand.floor)). For two cells of one build sampled in the same rounds, the median of the round-by-round ratios with a distribution-free 95% interval (at least ±\(formatPercent(PairedRounds.floor))); otherwise ±\(significant(NoiseBand.z)) standard errors of the medians (from the samples' MAD). A gate passes only when its whole band keeps the promise. See bench/GATES.md.\n\n"
    out += "<sub>\(results.provenance.summaryLine) · \(formatSeconds(seconds))</sub>\n"
    return out
  }

  // MARK: - github-action-benchmark

  /// One entry of github-action-benchmark's `customSmallerIsBetter` format.
  struct BenchmarkEntry: Codable, Equatable {
    var name: String
    var unit: String
    var value: Double
    var range: String
    var extra: String
  }

  /// Each measured cell's median (ms), then each gate's ratio as a fraction of
  /// its threshold ("× of limit", 1 is the limit), so a dashboard plots both
  /// and smaller is better for every entry.
  func benchmarkEntries() -> [BenchmarkEntry] {
    var entries: [BenchmarkEntry] = []
    for cell in results.cells {
      if !cell.failed, let instructions = cell.medianInstructions {
        entries.append(
          BenchmarkEntry(
            name: "\(cell.id.kernel) \(cell.id.rung) instructions", unit: "instructions", value: instructions,
            range: "± \(String(format: "%.4g", (cell.instructions!.max()! - cell.instructions!.min()!) / 2))",
            extra: "instructions per run of the timed region (valgrind callgrind), \(counted(cell.instructions!.count, "sample")), size \(cell.size)"
              + (cell.injection.map { ", INJECTED WORK \($0) (test of the gate)" } ?? "")))
      }
      guard !cell.failed, !cell.samples.isEmpty else { continue }
      // The same clock the gates compare (bench/GATES.md, "clock").
      let (samples, useCPU) = cell.gateSamples(file.clock)
      let statistics = SampleStatistics(samples)
      var extra = "\(useCPU ? "CPU" : "wall") time, \(counted(cell.samples.count, "sample")), CV \(formatPercent(statistics.cv)), size \(cell.size)"
      if let slowdown = cell.slowdown { extra += ", INJECTED SLOWDOWN \(significant(slowdown))× (test of the gate)" }
      entries.append(
        BenchmarkEntry(
          name: "\(cell.id.kernel) \(cell.id.rung)", unit: "ms", value: statistics.median * 1000,
          range: "± \(String(format: "%.4g", 1.4826 * statistics.mad * 1000))", extra: extra))
    }
    for outcome in outcomes {
      guard let ratio = outcome.ratio else { continue }
      let bound = outcome.check.gate.bound
      let low = MeasuredRatio(value: ratio.low, low: 0, high: 0).headroom(bound)
      let high = MeasuredRatio(value: ratio.high, low: 0, high: 0).headroom(bound)
      entries.append(
        BenchmarkEntry(
          name: "gate \(outcome.name)", unit: "× of limit", value: ratio.headroom(bound),
          range: "\(String(format: "%.3f", min(low, high)))–\(String(format: "%.3f", max(low, high)))",
          extra: "\(outcome.verdict.rawValue): \(detail(outcome))"))
    }
    return entries
  }

  func benchmarkJSON() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(benchmarkEntries()) + Data("\n".utf8)
  }
}
