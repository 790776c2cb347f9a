// `benchmark compare OLD.json NEW.json`: two saved runs, cell by cell (the
// work is Comparison, in Sources/Gates/Compare.swift).

import Foundation
import Gates
import Kernels
import MeasurementKit
import ProcessKit

extension Command {
  struct Compare: Subcommand {
    var old = ""
    var new = ""
    /// Compare runs from another CPU, core count, Swift version or build flags anyway.
    var force = false
    var format = OutputFormat.table

    static let name = "compare"
    static let usage = "OLD.json NEW.json [options]"
    static let abstract = "Two runs saved with --output FILE.json, cell by cell: new/old with a noise band and a verdict. Measures nothing."

    static let discussion = """
      Two runs saved with --output FILE.json, cell by cell: the ratio new/old with
      the gates' noise band (from both cells' samples) and a verdict, faster,
      slower or same within noise; then the cells only one file has. Runs from
      another CPU, core count, Swift version or build flags are refused (exit 2)
      unless --force. Measures nothing.
      """

    static var arguments: [Argument<Compare>] {
      [
        Argument(name: "OLD.json", help: "the earlier run (saved with --output FILE.json)", isOptional: false) {
          $0.old = $1
        },
        Argument(name: "NEW.json", help: "the later run, compared with OLD.json", isOptional: false) { $0.new = $1 },
      ]
    }

    static var options: [Option<Compare>] {
      let formats: [OutputFormat] = [.table, .json, .markdown]
      return [
        Option(switch: "--force", help: "Compare runs from different machines, toolchains or build flags anyway.") {
          $0.force = true
        },
        Option("--format", "FORMAT", help: "How to print the comparison.", default: "table", valid: formats.map(\.rawValue)) {
          command, value in
          guard let format = OutputFormat(rawValue: value), formats.contains(format) else {
            throw UsageError(
              "unknown format '\(value)' for compare; valid formats: \(formats.map(\.rawValue).joined(separator: ", "))")
          }
          command.format = format
        },
      ]
    }

    static let epilogue = """
      EXIT STATUS:
        \(ExitStatus.success) compared · \(ExitStatus.usage) bad usage, an unreadable file, or mismatched provenance.
      """

    func run() throws -> Int32 {
      let oldRun = try RunResults.load(old, catalogue: catalogue, context: "compare", announcesIncomplete: true)
      let newRun = try RunResults.load(new, catalogue: catalogue, context: "compare", announcesIncomplete: true)
      if !force, let difference = Comparison.provenanceDifference(old: oldRun.provenance, new: newRun.provenance) {
        throw UsageError("compare: \(difference); pass --force to compare anyway")
      }
      let comparison = Comparison(old: oldRun, new: newRun, oldPath: old, newPath: new)
      switch format {
      case .json: writeStandardOutput(try comparison.json())
      case .markdown: writeStandardOutput(comparison.markdown())
      case .table, .csv: writeStandardOutput(comparison.text() + "\n")
      }
      return ExitStatus.success
    }
  }
}
