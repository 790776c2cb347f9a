// The terminal table: per kernel its ladder and the rest of the matrix, then
// how the steps compound, then provenance.

import Foundation
import KernelKit
import Kernels
import MeasurementKit

/// One run as the terminal shows it: a table per kernel, then how the steps
/// compound, then provenance. `run` prints it a kernel at a time as the
/// kernels finish (`header`, `kernelTable(_:)`, `footer`).
package struct TextTable: Sendable {
  package var results: RunResults

  package init(_ results: RunResults) { self.results = results }

  /// The report for a terminal: per kernel its ladder and the rest of the
  /// matrix, then how the steps compound, then provenance.
  package var text: String {
    var out = header + "\n"
    for name in InterpretedTable(results).reportKernels {
      out += "\n" + kernelTable(name)
    }
    return out + "\n" + footer
  }

  /// What follows the kernels' tables: how the steps compound, and provenance.
  package var footer: String {
    let interrupted =
      results.incomplete == true
      ? "Interrupted: only the kernels above were measured; the summary is over them alone.\n\n" : ""
    let violations = results.ceilingViolations(catalogue: catalogue).map { $0 + "\n" }.joined()
    return interrupted + (violations.isEmpty ? "" : violations + "\n") + CompoundingSummary(results).text + "\n\n" + provenanceText
  }

  /// The table's first line: version, size, sampling, threads.
  package var header: String {
    let settings = results.settings
    let samples = settings.samplingPhrase
    let backend = (settings.backend.map { " · backend \($0.rawValue)" } ?? "") + (settings.gil == true ? " · GIL" : "")
    return "SpeedLadder \(speedLadderVersion) · size \(settings.size) · \(samples) · threads \(settings.threads.map(String.init).joined(separator: ","))\(backend)"
  }

  private static let columns = "  " + "rung".padded(22) + "median".leftPadded(10) + "×prev".leftPadded(9)
    + "×first".leftPadded(9) + "threads×".leftPadded(10) + "eff".leftPadded(6) + "CV".leftPadded(7)
    + "rate".leftPadded(17) + "limit".leftPadded(7) + "  notes"

  /// One kernel's table: its line of facts, its ladder (interpreted rungs
  /// first), the rest of the matrix, the tuned library and the
  /// threads-or-processes comparison.
  package func kernelTable(_ name: String) -> String {
    let description = Kernels.kernel(named: name)
    let interpreted = InterpretedTable(results)
    let size = interpreted.size(of: name)
    var out = "\(name) — \(description?.bottleneck ?? "") — \(description?.parameter ?? "size") = \(size)"
      + (description.map { " — \($0.ceiling.phrase)" } ?? "") + " — \(VerificationSummary(results).phrase(name))\n"
    out += Self.columns + "\n"
    let ladder = LadderView(results).rungs(for: name)
    let python = interpreted.ladder(for: name)
    let first = interpreted.firstRungMedian(name)
    var previous: Double?
    for cell in python {
      out += interpreted.row(cell, previous: previous, first: first) + "\n"
      previous = cell.median ?? previous
    }
    for id in ladder where results.cell(id) != nil {
      out += row(id, previous: previous, first: first) + "\n"
      previous = results.median(id) ?? previous
    }
    let rest = results.cells.filter { $0.id.kernel == name && !ladder.contains($0.id) }
    if !rest.isEmpty {
      out += "  · rest of the matrix\n"
      for cell in rest { out += row(cell.id, previous: nil, first: first) + "\n" }
    }
    out += interpreted.libraryRows(name, first: first)
    return out + interpreted.concurrencyTable(name)
  }

  /// A Swift cell's row; `previous` and `first` are the medians its gains are over.
  private func row(_ id: CellID, previous: Double?, first: Double?) -> String {
    guard let cell = results.cell(id) else { return "" }
    let label = "  " + id.rung.padded(22)
    guard let stats = cell.statistics, !cell.failed, !cell.skipped else {
      return label + (cell.skipped ? "skipped" : "FAIL").leftPadded(10) + "  " + cell.verification.detail
    }
    let prev = previous.map { formatRatio($0 / stats.median) } ?? "—"
    let total = first.map { formatRatio($0 / stats.median) } ?? "—"
    let threadGain = results.threadSpeedup(id)
    let efficiency = threadGain.map { String(format: "%.2f", $0 / Double(id.threads)) } ?? ""
    var notes = cell.notes
    if cell.verification.status == .reference { notes.insert("✓ reference", at: 0) }
    return label + formatSeconds(stats.median).leftPadded(10) + prev.leftPadded(9) + total.leftPadded(9)
      + (threadGain.map(formatRatio) ?? "").leftPadded(10) + efficiency.leftPadded(6)
      + formatPercent(stats.cv).leftPadded(7) + (cell.rate?.formatted ?? "").leftPadded(17)
      + (cell.rate?.percentOfLimit.map(formatLimitShare) ?? "").leftPadded(7)
      + (notes.isEmpty ? "" : "  " + notes.joined(separator: "; "))
  }

  // MARK: - Provenance

  /// The machine, the toolchain, each build's flags and limits, the commit and the date.
  package var provenanceText: String {
    let provenance = results.provenance
    var out = "Provenance\n"
    out += "  machine  \(provenance.cpu), \(provenance.cores) cores, \(provenance.memoryGiB) GiB\n"
    out += "  os       \(provenance.os)\n"
    out += "  swift    \(provenance.swiftVersion)\n"
    if let features = provenance.cpuVectorFeatures {
      out += "  vectors  the CPU has \(features.joined(separator: " "))\n"
    }
    for build in provenance.builds {
      let optimised = build.cOptimized ? "__OPTIMIZE__ defined" : "__OPTIMIZE__ not defined"
      let isa = build.cTargetFeatures.map { "; C compiled for \($0.isEmpty ? "no vector ISA" : $0)" } ?? ""
      let took = build.buildSeconds.map { "; built in \(formatSeconds($0))" } ?? ""
      out += "  \(build.build.rawValue.padded(8)) Swift \(build.swiftFlags); C \(build.cFlags) (\(optimised))\(isa)\(took); \(build.cCompiler)\n"
      if let limits = build.limits {
        for line in limits.describedLines { out += "           \(line)\n" }
      }
    }
    let revision = provenance.gitCommit.map { $0 + (provenance.gitDirty == true ? " (dirty tree)" : "") }
    out += "  commit   \(revision ?? "unknown (not a git checkout)")\n"
    out += "  date     \(provenance.date)"
    return out
  }
}
