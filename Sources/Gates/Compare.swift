// `benchmark compare old.json new.json`: two saved runs, cell by cell, with
// the gates' noise band (GateVerdict.swift) deciding faster, slower or same.

import Foundation
import KernelKit
import Kernels
import MeasurementKit

/// Two runs compared cell by cell.
package struct Comparison {
  /// What happened to one cell between the runs.
  package enum Change: String, Codable, Sendable {
    /// The whole band of new/old is below 1.
    case faster
    /// The whole band is above 1.
    case slower
    /// The band contains 1: what changed is within the noise.
    case same
    /// Not comparable: a failed cell, or a different size.
    case notComparable = "not comparable"
  }

  package struct Row {
    package var id: CellID
    package var oldMedian: Double?
    package var newMedian: Double?
    /// median(new) / median(old), with its band (low, high); nil when not comparable.
    package var ratio: (value: Double, low: Double, high: Double)?
    package var change: Change
    /// Why not comparable.
    package var reason: String?
    /// Instructions per run (median of the counted samples), when both runs counted this cell.
    package var oldInstructions: Double?
    package var newInstructions: Double?
    /// instructions(new) / instructions(old), with the counts' band (`MeasuredRatio.counted`).
    package var instructionRatio: (value: Double, low: Double, high: Double)?
    /// fewer (`faster`), more (`slower`) or the same instructions, beyond the band.
    package var instructionChange: Change?
  }

  /// Whether any row compares instruction counts (the renderings add their columns).
  package var hasCounts: Bool { rows.contains { $0.instructionRatio != nil } }

  package var oldPath: String
  package var newPath: String
  package var rows: [Row]
  package var onlyInOld: [CellID]
  package var onlyInNew: [CellID]
  /// How the two runs' settings differ (size, samples, backend, GIL): said, not refused.
  package var settingsDifferences: [String]

  /// Compares every cell the two runs share, on wall-clock samples (the times the tables show).
  package init(old: RunResults, new: RunResults, oldPath: String, newPath: String) {
    self.oldPath = oldPath
    self.newPath = newPath
    let oldCells = Dictionary(old.cells.map { ($0.id, $0) }) { first, _ in first }
    let newCells = Dictionary(new.cells.map { ($0.id, $0) }) { first, _ in first }
    settingsDifferences = Self.differences(old.settings, new.settings)
    onlyInOld = oldCells.keys.filter { newCells[$0] == nil }.sorted(by: catalogue.lists(_:before:))
    onlyInNew = newCells.keys.filter { oldCells[$0] == nil }.sorted(by: catalogue.lists(_:before:))
    rows = oldCells.keys.filter { newCells[$0] != nil }.sorted(by: catalogue.lists(_:before:)).map { id in
      Self.row(old: oldCells[id]!, new: newCells[id]!)
    }
  }

  static func differences(_ old: RunSettings, _ new: RunSettings) -> [String] {
    var out: [String] = []
    func note(_ name: String, _ a: String, _ b: String) { if a != b { out.append("\(name) \(a) → \(b)") } }
    note("size", old.size, new.size)
    note("samples", old.samples.map(String.init) ?? "adaptive", new.samples.map(String.init) ?? "adaptive")
    note("min-time", significant(old.minTimeMilliseconds) + " ms", significant(new.minTimeMilliseconds) + " ms")
    note("backend", (old.backend ?? .threads).rawValue, (new.backend ?? .threads).rawValue)
    note("GIL", old.gil == true ? "on" : "off", new.gil == true ? "on" : "off")
    return out
  }

  static func row(old: CellResult, new: CellResult) -> Row {
    var row = Row(id: old.id, oldMedian: old.median, newMedian: new.median, ratio: nil, change: .notComparable)
    row.oldInstructions = old.medianInstructions
    row.newInstructions = new.medianInstructions
    if let a = old.instructions, let b = new.instructions, !a.isEmpty, !b.isEmpty, !old.failed, !new.failed,
      old.size == new.size, old.injection == new.injection, (a + b).allSatisfy({ $0.isFinite && $0 > 0 })
    {
      let ratio = MeasuredRatio.counted([(numerator: b, denominator: a)])
      row.instructionRatio = (ratio.value, ratio.low, ratio.high)
      row.instructionChange = ratio.high < 1 ? .faster : ratio.low > 1 ? .slower : .same
    }
    if old.samples.isEmpty && new.samples.isEmpty, let change = row.instructionChange {
      // Two counted runs: the counts are the comparison.
      row.change = change
      return row
    }
    if old.injection != new.injection {
      row.reason = "--inject-work in one run only"
      row.instructionRatio = nil
      row.instructionChange = nil
      return row
    }
    if old.failed || old.samples.isEmpty {
      row.reason = "failed in the old run: \(old.verification.detail)"
    } else if new.failed || new.samples.isEmpty {
      row.reason = "failed in the new run: \(new.verification.detail)"
    } else if old.size != new.size {
      row.reason = "size \(old.size) in the old run, \(new.size) in the new"
    } else if old.slowdown != new.slowdown {
      row.reason = "--inject-slowdown in one run only"
    } else {
      let ratio = MeasuredRatio.of([(numerator: new.samples, denominator: old.samples)])
      row.ratio = (ratio.value, ratio.low, ratio.high)
      row.change = ratio.high < 1 ? .faster : ratio.low > 1 ? .slower : .same
    }
    return row
  }

  /// `1.02× (0.99–1.05)`, as the gate writes a ratio.
  static func text(_ ratio: (value: Double, low: Double, high: Double)) -> String {
    MeasuredRatio(value: ratio.value, low: ratio.low, high: ratio.high).text
  }

  /// `1.0200× (1.0190–1.0210)`: a count ratio, four decimals.
  static func countText(_ ratio: (value: Double, low: Double, high: Double)) -> String {
    MeasuredRatio(value: ratio.value, low: ratio.low, high: ratio.high, isCounted: true).text
  }

  static func countWord(_ change: Change) -> String {
    switch change {
    case .faster: "fewer"
    case .slower: "more"
    case .same: "same"
    case .notComparable: "not comparable"
    }
  }

  package func count(_ change: Change) -> Int { rows.filter { $0.change == change }.count }

  /// "3 faster · 1 slower · 10 same within noise · 2 only in old.json".
  package var summary: String {
    var parts = [
      "\(count(.faster)) faster", "\(count(.slower)) slower", "\(count(.same)) same within noise",
    ]
    if count(.notComparable) > 0 { parts.append("\(count(.notComparable)) not comparable") }
    if !onlyInOld.isEmpty { parts.append("\(onlyInOld.count) only in \(oldPath)") }
    if !onlyInNew.isEmpty { parts.append("\(onlyInNew.count) only in \(newPath)") }
    return "\(rows.count) cells compared: " + parts.joined(separator: " · ")
  }

  private func verdict(_ row: Row) -> String {
    switch row.change {
    case .same: "same within noise"
    case .notComparable: "not comparable: \(row.reason ?? "")"
    case .faster, .slower: row.change.rawValue
    }
  }

  // MARK: - Renderings

  /// The terminal table: one row per shared cell, then the cells in one file only.
  package func text() -> String {
    var out = "compare: \(oldPath) → \(newPath) (new/old: below 1 is faster; band ±2 standard errors)\n"
    if !settingsDifferences.isEmpty { out += "settings differ: \(settingsDifferences.joined(separator: ", "))\n" }
    let counts = hasCounts
    out += "  " + "cell".padded(34) + "old".leftPadded(10) + "new".leftPadded(10) + "new/old (band)".leftPadded(24)
      + (counts ? "instructions new/old (band)".leftPadded(34) : "") + "  verdict\n"
    for row in rows {
      out += "  " + row.id.description.padded(34) + (row.oldMedian.map(formatSeconds) ?? "—").leftPadded(10)
        + (row.newMedian.map(formatSeconds) ?? "—").leftPadded(10) + (row.ratio.map(Self.text) ?? "—").leftPadded(24)
        + (counts ? (row.instructionRatio.map(Self.countText) ?? "—").leftPadded(34) : "")
        + "  " + verdict(row) + (row.instructionChange.map { $0 == row.change ? "" : " (instructions: \(Self.countWord($0)))" } ?? "")
        + "\n"
    }
    if !onlyInOld.isEmpty { out += "only in \(oldPath): \(onlyInOld.map(\.description).joined(separator: ", "))\n" }
    if !onlyInNew.isEmpty { out += "only in \(newPath): \(onlyInNew.map(\.description).joined(separator: ", "))\n" }
    return out + summary
  }

  package func markdown() -> String {
    var out = "# SpeedLadder: \(oldPath) → \(newPath)\n\n"
    if !settingsDifferences.isEmpty { out += "Settings differ: \(settingsDifferences.joined(separator: ", ")).\n\n" }
    let counts = hasCounts
    out += "| cell | old | new | new/old | band |\(counts ? " instructions old | instructions new | new/old | band |" : "") verdict |\n"
    out += "|---|---:|---:|---:|---|\(counts ? "---:|---:|---:|---|" : "")---|\n"
    for row in rows {
      let band = row.ratio.map { "\(significant($0.low))–\(significant($0.high))" } ?? ""
      var countColumns = ""
      if counts {
        let ratio = row.instructionRatio
        countColumns = " \(row.oldInstructions.map(formatCount) ?? "—") | \(row.newInstructions.map(formatCount) ?? "—") "
          + "| \(ratio.map { String(format: "%.4f×", $0.value) } ?? "—") | \(ratio.map { String(format: "%.4f–%.4f", $0.low, $0.high) } ?? "") |"
      }
      out += "| \(row.id) | \(row.oldMedian.map(formatSeconds) ?? "—") | \(row.newMedian.map(formatSeconds) ?? "—") "
        + "| \(row.ratio.map { significant($0.value) + "×" } ?? "—") | \(band) |\(countColumns) \(verdict(row)) |\n"
    }
    if !onlyInOld.isEmpty { out += "\nOnly in \(oldPath): \(onlyInOld.map(\.description).joined(separator: ", "))\n" }
    if !onlyInNew.isEmpty { out += "\nOnly in \(newPath): \(onlyInNew.map(\.description).joined(separator: ", "))\n" }
    return out + "\n\(summary)\n"
  }

  package func json() throws -> Data {
    struct Cell: Encodable {
      var cell: String
      var oldMedianSeconds: Double?
      var newMedianSeconds: Double?
      var ratio: Double?
      var low: Double?
      var high: Double?
      var verdict: String
      var reason: String?
      var oldInstructions: Double?
      var newInstructions: Double?
      var instructionRatio: Double?
      var instructionLow: Double?
      var instructionHigh: Double?
      var instructionVerdict: String?
    }
    struct Document: Encodable {
      var schema = "speedladder.comparison"
      var old: String
      var new: String
      var cells: [Cell]
      var onlyInOld: [String]
      var onlyInNew: [String]
      var settingsDifferences: [String]
    }
    let document = Document(
      old: oldPath, new: newPath,
      cells: rows.map {
        Cell(
          cell: $0.id.description, oldMedianSeconds: $0.oldMedian, newMedianSeconds: $0.newMedian,
          ratio: $0.ratio?.value, low: $0.ratio?.low, high: $0.ratio?.high, verdict: $0.change.rawValue,
          reason: $0.reason, oldInstructions: $0.oldInstructions, newInstructions: $0.newInstructions,
          instructionRatio: $0.instructionRatio?.value, instructionLow: $0.instructionRatio?.low,
          instructionHigh: $0.instructionRatio?.high, instructionVerdict: $0.instructionChange.map(Self.countWord))
      },
      onlyInOld: onlyInOld.map(\.description), onlyInNew: onlyInNew.map(\.description),
      settingsDifferences: settingsDifferences)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(document) + Data("\n".utf8)
  }

  // MARK: - Provenance

  /// How the two runs' machines, toolchains or build flags differ, or nil:
  /// the gate's baseline check, plus the Swift version (a toolchain upgrade
  /// is a fair thing to compare, but only on purpose, with `--force`).
  package static func provenanceDifference(old: Provenance, new: Provenance) -> String? {
    if let difference = GateCommand.provenanceDifference(old, new, names: ("old", "new")) { return difference }
    if old.swiftVersion != new.swiftVersion {
      return "Swift version differs (old '\(old.swiftVersion)', new '\(new.swiftVersion)')"
    }
    return nil
  }
}
