// A run in the format asked for: what `--format` prints and `--output` writes.

import Foundation
import MeasurementKit

/// A run's bytes in each output format.
package enum Rendering {
  /// `results` as `format`: the terminal table, the JSON (bench/SCHEMA.md), CSV or Markdown.
  package static func data(_ results: RunResults, as format: OutputFormat) throws -> Data {
    switch format {
    case .table: Data((TextTable(results).text + "\n").utf8)
    case .json: try results.json() + Data("\n".utf8)
    case .csv: Data(CSVReport(results).text.utf8)
    case .markdown: Data(MarkdownReport(results).text.utf8)
    }
  }
}
