// The instruction counts of a counted run (`--measure instructions`).

import Foundation
import MeasurementKit

/// The counted cells of one run: instructions per run of each timed region
/// and their spread, as the terminal and the Markdown show them.
package struct InstructionCountTable: Sendable {
  package var results: RunResults

  package init(_ results: RunResults) { self.results = results }

  /// One line per counted cell: instructions per run of its timed region
  /// (median of the counted samples) and their spread, max − min over the median.
  package var text: String {
    let cycles = results.cells.contains { $0.estimatedCycles != nil }
    var out = "  " + "kernel".padded(16) + "cell".padded(24) + "instructions per run".padded(24) + "spread".padded(12)
      + (cycles ? "estimated cycles per run".padded(26) : "") + "samples  notes\n"
    for cell in results.cells where cell.instructions != nil || cell.failed {
      let count = cell.medianInstructions.map(formatCount) ?? "FAIL"
      let spread = cell.instructionSpread.map(formatSpread) ?? ""
      let estimate = cell.estimatedCycles.map { "≈ " + formatCount(SampleStatistics.median($0)) } ?? ""
      let notes = cell.failed ? cell.verification.detail : cell.notes.joined(separator: "; ")
      out += "  " + cell.id.kernel.padded(16) + cell.id.rung.padded(24) + count.padded(24) + spread.padded(12)
        + (cycles ? estimate.padded(26) : "") + String(cell.instructions?.count ?? 0).padded(9) + notes + "\n"
    }
    if cycles {
      out += "\nEstimated cycles are a model from callgrind's cache simulation (L1 hit 1, last-level hit 5, memory 35), not a measurement.\n"
    }
    return out
  }

  /// The counted cells as a Markdown table.
  var markdown: String {
    var out = "| kernel | cell | instructions per run | spread | samples |\n|---|---|---:|---:|---:|\n"
    for cell in results.cells where cell.instructions != nil {
      out += "| \(cell.id.kernel) | \(cell.id.rung) | \(cell.medianInstructions.map(formatCount) ?? "FAIL") "
        + "| \(cell.instructionSpread.map(formatSpread) ?? "") | \(cell.instructions?.count ?? 0) |\n"
    }
    return out
  }
}
