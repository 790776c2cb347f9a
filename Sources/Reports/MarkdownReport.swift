// The results as Markdown: a table per kernel, the instruction counts, how
// the steps compound and provenance.

import Foundation
import KernelKit
import Kernels
import MeasurementKit

/// One run as Markdown (`--format markdown`, `--output FILE.md`).
package struct MarkdownReport: Sendable {
  package var results: RunResults

  package init(_ results: RunResults) { self.results = results }

  /// A table per kernel (its ladder in bold, interpreted rungs first), the
  /// instruction counts of a counted run, how the steps compound, provenance.
  package var text: String {
    let table = TextTable(results)
    let interpreted = InterpretedTable(results)
    var out = "# SpeedLadder results\n\n\(table.header)\n"
    for name in interpreted.reportKernels {
      let size = interpreted.size(of: name)
      out += "\n## \(name) (size \(size))\n\n"
      out += "| cell | median | × previous rung | × first rung | threads × | efficiency | CV | rate | % of limit | verification |\n"
      out += "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n"
      let ladder = LadderView(results).rungs(for: name)
      let first = interpreted.firstRungMedian(name)
      var previous: Double?
      for cell in interpreted.ladder(for: name) {
        out += interpreted.markdownRow(cell, previous: previous, first: first)
        previous = cell.median ?? previous
      }
      // The tuned library, first: beside the ladder, "× previous" over the best Swift cell.
      for var cell in interpreted.libraryCells(for: name) {
        let rate = results.libraryRate(cell, catalogue: catalogue)
        cell.notes.insert("the tuned library" + (rate.map { ": " + $0.formatted } ?? ""), at: 0)
        out += interpreted.markdownRow(cell, previous: interpreted.bestSwiftMedian(name, threads: cell.id.workers)?.1, first: first)
      }
      let ordered = ladder.compactMap { results.cell($0) } + results.cells.filter { $0.id.kernel == name && !ladder.contains($0.id) }
      for cell in ordered {
        let id = cell.id
        let onLadder = ladder.contains(id)
        let rung = onLadder ? "**\(id.rung)**" : id.rung
        guard let stats = cell.statistics, !cell.failed, !cell.skipped else {
          out += "| \(rung) | \(cell.skipped ? "skipped" : "FAIL") | | | | | | | | \(cell.verification.detail) |\n"
          continue
        }
        let gain = results.threadSpeedup(id)
        // × previous rung only along the ladder, as in the table.
        let prev = onLadder ? previous.map { formatRatio($0 / stats.median) } ?? "—" : ""
        if onLadder { previous = stats.median }
        out += "| \(rung) | \(formatSeconds(stats.median)) | \(prev) | \(first.map { formatRatio($0 / stats.median) } ?? "—") "
          + "| \(gain.map(formatRatio) ?? "") | \(gain.map { String(format: "%.2f", $0 / Double(id.threads)) } ?? "") "
          + "| \(formatPercent(stats.cv)) | \(cell.rate?.formatted ?? "") "
          + "| \(cell.rate?.percentOfLimit.map(formatLimitShare) ?? "") | \(cell.verification.status.rawValue) |\n"
      }
      out += interpreted.concurrencyMarkdown(name)
    }
    if results.cells.contains(where: { $0.instructions != nil }) {
      out += "\n## Instruction counts (valgrind callgrind, timed region only)\n\n\(InstructionCountTable(results).markdown)"
    }
    out += "\n## How the steps compound\n\n```\n\(CompoundingSummary(results).text)\n```\n\n## Provenance\n\n```\n\(table.provenanceText)\n```\n"
    return out
  }
}
