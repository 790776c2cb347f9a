// `benchmark report`: measure (or read a results file) and write the report folder.

import Foundation
import Gates
import Interpreters
import KernelKit
import Kernels
import Lessons
import MeasurementKit
import Reports
import Workers

/// What `report` was asked to do.
package struct ReportOptions: Equatable, Sendable {
  /// A results file to draw; nil: measure first with `run`.
  package var from: String?
  /// The report folder (created when missing).
  package var out: String
  /// Measurement options, used when `from` is nil.
  package var run: RunPlan
}

// MARK: - Parsing

extension Command {
  static let reportSpec = OptionSpec(
    valued: measurementOptions + [
      ("--from", ": a results file written by `benchmark run --output FILE.json`"),
      ("--out", ": a folder for index.html, report.md and the SVG charts"),
    ])

  /// Parses `report`'s options; checks `--out` and reads `--from` now, so a
  /// bad command line neither measures nor writes anything.
  static func parseReportOptions(_ arguments: ArraySlice<String>) throws -> ReportOptions {
    var run = RunPlan()
    var from: String?
    var out: String?
    var measurement: [String] = []
    for option in try reportSpec.scan(arguments, subcommand: "report") {
      let value = option.value ?? ""
      switch option.name {
      case "--from": from = value
      case "--out": out = value
      default:
        try apply(option.name, value, to: &run)
        measurement.append(option.name)
      }
    }
    guard let out else { throw UsageError("'report' needs --out DIR, the folder to write the report to") }
    try checkReportFolder(out)
    if let from {
      guard measurement.isEmpty else {
        throw UsageError("\(measurement[0]) measures; with --from the report draws the file's results as they are")
      }
      _ = try RunResults.load(from)
    } else {
      _ = try run.sizes()
    }
    return ReportOptions(from: from, out: out, run: run)
  }

  /// Fails unless `path` is, or can be created as, a writable folder. Writes nothing.
  static func checkReportFolder(_ path: String) throws {
    guard !path.isEmpty else { throw UsageError("--out needs a folder path") }
    let manager = FileManager.default
    var isDirectory: ObjCBool = false
    var url = URL(fileURLWithPath: path).standardizedFileURL
    if manager.fileExists(atPath: url.path, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else { throw UsageError("--out: '\(path)' is a file; give a folder") }
      guard FileChecks.canCreate(in: url) else { throw UsageError("--out: folder '\(path)' is not writable") }
      return
    }
    // The nearest folder that exists must let us create the rest.
    while !manager.fileExists(atPath: url.path, isDirectory: &isDirectory) { url.deleteLastPathComponent() }
    guard isDirectory.boolValue else {
      throw UsageError("--out: cannot create '\(path)': '\(url.path)' is a file")
    }
    guard FileChecks.canCreate(in: url) else {
      throw UsageError("--out: cannot create '\(path)': folder '\(url.path)' is not writable")
    }
  }



}

// MARK: - Running

extension BenchmarkCommand {
  /// Measures (or reads `--from`), then writes every report file atomically.
  /// Exit status: that of the measurement (1 when a cell failed), else 0.
  static func report(_ options: ReportOptions) throws -> Int32 {
    let results: RunResults
    if let from = options.from {
      results = try RunResults.load(from)
    } else {
      results = try Orchestrator(options: options.run, progress: ProgressLine()).run()
      writeStandardOutput(results.table() + "\n")
    }
    let files = try ReportWriter.writeReport(results, to: options.out)
    writeStandardError("wrote report to \(options.out): index.html, report.md and \(files.count - 2) SVG charts\n")
    for line in results.missingParts() { writeStandardError("  missing: \(line)\n") }
    return options.from == nil && results.anyFailed ? 1 : 0
  }

}
