// Results files read back (compare, report --from, explain --from, gate
// --baseline) are checked before anything uses them: a time that is zero,
// negative, NaN or absurd would otherwise print "-nan×" or "inf× slower",
// trap in a chart's scale, or decide a gate.

import Foundation
import KernelKit
import ProcessKit

extension RunResults {
  /// The longest time a sample may claim per run: a day. A larger one is
  /// a corrupt or hand-edited file, not a measurement.
  package static let longestPlausibleSeconds = 86_400.0

  /// Fails with one line naming `path`, the cell and the field when a cell's
  /// numbers cannot be a measurement: a kernel this benchmark does not know,
  /// a cell given twice, times that are not finite and positive (or beyond
  /// `longestPlausibleSeconds`), counts that disagree (samples, CPU samples,
  /// the statistics' count), statistics outside their samples.
  /// `context` starts the line: the option or subcommand that named the file;
  /// the kernels this benchmark knows are `catalogue`'s.
  package func validate(path: String, context: String, catalogue: KernelCatalogue) throws {
    func problem(_ place: String, _ what: String) -> UsageError {
      UsageError("\(context): '\(path)' \(place): \(what)")
    }
    var seen: Set<CellID> = []
    for (index, cell) in cells.enumerated() {
      let name = "cell \(index + 1) (\(cell.id.kernel) \(cell.id.rung))"
      guard catalogue.kernel(named: cell.id.kernel) != nil else {
        throw problem(name, "unknown kernel '\(cell.id.kernel)'; valid kernels: \(catalogue.validNames)")
      }
      guard seen.insert(cell.id).inserted else { throw problem(name, "the cell is given twice") }
      guard cell.id.threads >= 1 else { throw problem(name, "threads is \(cell.id.threads); it must be at least 1") }
      guard cell.size >= 1 else { throw problem(name, "size is \(cell.size); it must be at least 1") }
      if let why = Self.checkTimes(
        samples: cell.samples, statistics: cell.statistics, setupSeconds: cell.setupSeconds,
        runsPerSample: cell.samples.isEmpty ? [] : [cell.runsPerSample])
      {
        throw problem(name, why)
      }
      if !cell.cpuSamples.isEmpty {
        guard cell.cpuSamples.count == cell.samples.count else {
          throw problem(name, "cpuSamples has \(cell.cpuSamples.count) values for \(cell.samples.count) samples")
        }
        if let bad = cell.cpuSamples.firstIndex(where: { !$0.isFinite || $0 < 0 || $0 > Self.longestPlausibleSeconds * 1024 }) {
          throw problem(name, "cpuSamples[\(bad)] is \(cell.cpuSamples[bad]); CPU times must be finite and not negative")
        }
      }
      if let slowdown = cell.slowdown, !(slowdown.isFinite && slowdown >= 1) {
        throw problem(name, "slowdown is \(slowdown); it must be a finite factor of at least 1")
      }
    }
    var seenInterpreted: Set<InterpretedID> = []
    for (index, cell) in (interpreted ?? []).enumerated() {
      let name = "interpreted cell \(index + 1) (\(cell.id))"
      guard catalogue.kernel(named: cell.id.kernel) != nil else {
        throw problem(name, "unknown kernel '\(cell.id.kernel)'; valid kernels: \(catalogue.validNames)")
      }
      guard seenInterpreted.insert(cell.id).inserted else { throw problem(name, "the cell is given twice") }
      guard cell.id.workers >= 1 else { throw problem(name, "workers is \(cell.id.workers); it must be at least 1") }
      if let why = Self.checkTimes(
        samples: cell.samples, statistics: cell.statistics, setupSeconds: cell.setupSeconds,
        runsPerSample: cell.runsPerSample)
      {
        throw problem(name, why)
      }
    }
  }

  /// What is wrong with one cell's times, or nil.
  private static func checkTimes(
    samples: [Double], statistics: SampleStatistics?, setupSeconds: Double, runsPerSample: [Int]
  ) -> String? {
    func time(_ value: Double) -> Bool { value.isFinite && value > 0 && value <= longestPlausibleSeconds }
    let rule = "times must be finite, positive and at most \(Int(longestPlausibleSeconds)) s"
    if let bad = samples.firstIndex(where: { !time($0) }) { return "samples[\(bad)] is \(samples[bad]); \(rule)" }
    guard setupSeconds.isFinite, setupSeconds >= 0 else {
      return "setupSeconds is \(setupSeconds); it must be finite and not negative"
    }
    if let bad = runsPerSample.firstIndex(where: { $0 < 1 }) {
      return "runsPerSample\(runsPerSample.count > 1 ? "[\(bad)]" : "") is \(runsPerSample[bad]); it must be at least 1"
    }
    guard let statistics else {
      return samples.isEmpty ? nil : "statistics is missing for \(samples.count) samples"
    }
    guard !samples.isEmpty else { return "statistics without samples" }
    guard statistics.count == samples.count else {
      return "statistics.count is \(statistics.count) for \(samples.count) samples"
    }
    for (field, value) in [("median", statistics.median), ("min", statistics.min), ("max", statistics.max), ("mean", statistics.mean)]
    where !time(value) {
      return "statistics.\(field) is \(value); \(rule)"
    }
    for (field, value) in [("mad", statistics.mad), ("cv", statistics.cv)] where !(value.isFinite && value >= 0) {
      return "statistics.\(field) is \(value); it must be finite and not negative"
    }
    let slack = 1 + 1e-9
    guard statistics.min <= statistics.median * slack, statistics.median <= statistics.max * slack else {
      return "statistics.median \(statistics.median) is outside min \(statistics.min) … max \(statistics.max)"
    }
    guard let low = samples.min(), let high = samples.max(),
      statistics.min <= low * slack, low <= statistics.min * slack, statistics.max <= high * slack,
      high <= statistics.max * slack
    else { return "statistics.min/max do not match the samples" }
    return nil
  }

  /// One line for standard error when the file is an interrupted run's, or nil.
  package func incompleteNote(path: String) -> String? {
    guard incomplete == true else { return nil }
    return "note: '\(path)' is marked incomplete (an interrupted run): it holds \(kernels.count) kernel\(kernels.count == 1 ? "" : "s") (\(kernels.joined(separator: ", "))) and nothing of the rest"
  }
}
