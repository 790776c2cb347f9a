// The results as CSV: one row per cell, Swift cells then interpreted ones.

import Foundation
import KernelKit
import MeasurementKit

/// One run as CSV (`--format csv`, `--output FILE.csv`): a row per cell.
package struct CSVReport: Sendable {
  package var results: RunResults

  package init(_ results: RunResults) { self.results = results }

  /// A header line, then a line per Swift cell and per interpreted cell (in
  /// the Swift cells' columns; the last five empty).
  package var text: String {
    var out = "kernel,size,build,flavour,threads,status,median_s,min_s,mad_s,cv,samples,runs_per_sample,thread_speedup,setup_s,result,checksum,detail,rate,rate_unit,percent_of_limit,instructions,instructions_spread\n"
    for cell in results.cells {
      let s = cell.statistics
      let fields: [String] = [
        cell.id.kernel, String(cell.size), cell.id.build.rawValue, cell.id.flavour.rawValue,
        String(cell.id.threads), cell.skipped ? "skipped" : cell.failed ? "fail" : "ok",
        s.map { String($0.median) } ?? "", s.map { String($0.min) } ?? "", s.map { String($0.mad) } ?? "",
        s.map { String($0.cv) } ?? "", String(cell.samples.count), String(cell.runsPerSample),
        results.threadSpeedup(cell.id).map { String($0) } ?? "", String(cell.setupSeconds),
        cell.result?.text ?? "", cell.result?.checksum.hex16 ?? "", cell.verification.detail,
        cell.rate.map { String($0.value) } ?? "", cell.rate?.unit ?? "",
        cell.rate?.percentOfLimit.map { String($0) } ?? "",
        cell.medianInstructions.map { String(format: "%.0f", $0) } ?? "", cell.instructionSpread.map { String($0) } ?? "",
      ]
      out += fields.map(csvField).joined(separator: ",") + "\n"
    }
    for cell in results.interpreted ?? [] {
      out += (InterpretedTable(results).csvFields(cell) + ["", "", "", "", ""]).map(csvField).joined(separator: ",") + "\n"
    }
    return out
  }

  private func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
