// `benchmark report`: measure (or read a results file) and write the report folder.

import Foundation
import KernelKit

/// What `report` was asked to do.
public struct ReportOptions: Equatable, Sendable {
  /// A results file to draw; nil: measure first with `run`.
  public var from: String?
  /// The report folder (created when missing).
  public var out: String
  /// Measurement options, used when `from` is nil.
  public var run: RunOptions
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
    var run = RunOptions()
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
      _ = try loadResults(from)
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
      guard canCreate(in: url) else { throw UsageError("--out: folder '\(path)' is not writable") }
      return
    }
    // The nearest folder that exists must let us create the rest.
    while !manager.fileExists(atPath: url.path, isDirectory: &isDirectory) { url.deleteLastPathComponent() }
    guard isDirectory.boolValue else {
      throw UsageError("--out: cannot create '\(path)': '\(url.path)' is a file")
    }
    guard canCreate(in: url) else {
      throw UsageError("--out: cannot create '\(path)': folder '\(url.path)' is not writable")
    }
  }

  /// Whether a folder can be made in `folder`, tried for real and removed at
  /// once: permission bits say nothing for root, nor about read-only or
  /// virtual file systems such as /proc.
  static func canCreate(in folder: URL) -> Bool {
    let probe = folder.appendingPathComponent(".speedladder-probe-\(getpid())")
    guard mkdir(probe.path, 0o700) == 0 else { return false }
    rmdir(probe.path)
    return true
  }

  /// Reads a results file, or fails with one line saying why it is not one.
  static func loadResults(_ path: String) throws -> RunResults {
    guard let data = FileManager.default.contents(atPath: path) else {
      let exists = FileManager.default.fileExists(atPath: path)
      throw UsageError("--from: cannot read '\(path)'\(exists ? "" : ": no such file")")
    }
    let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    guard let object, object["schema"] as? String == RunResults.schema else {
      throw UsageError("--from: '\(path)' is not a SpeedLadder results file (no \"schema\": \"\(RunResults.schema)\")")
    }
    let version = object["schemaVersion"] as? Int ?? 0
    guard version == RunResults.currentSchemaVersion else {
      throw UsageError(
        "--from: '\(path)' has schema version \(version); this benchmark reads version \(RunResults.currentSchemaVersion)")
    }
    do {
      return try RunResults.decode(data)
    } catch {
      throw UsageError("--from: '\(path)' does not follow schema version \(version): \(decodingProblem(error))")
    }
  }

  private static func decodingProblem(_ error: Error) -> String {
    switch error as? DecodingError {
    case .keyNotFound(let key, let context)?:
      "missing \((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))"
    case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?, .dataCorrupted(let context)?:
      "bad value at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
    default: "unreadable"
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
      results = try Command.loadResults(from)
    } else {
      results = try Orchestrator(options: options.run, progress: Progress()).run()
      writeStandardOutput(results.table() + "\n")
    }
    let files = try writeReport(results, to: options.out)
    writeStandardError("wrote report to \(options.out): index.html, report.md and \(files.count - 2) SVG charts\n")
    for line in results.missingParts() { writeStandardError("  missing: \(line)\n") }
    return options.from == nil && results.anyFailed ? 1 : 0
  }

  /// Creates `folder` when missing and writes the report's files into it, each atomically.
  @discardableResult
  static func writeReport(_ results: RunResults, to folder: String) throws -> [ReportFile] {
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw UsageError("--out: cannot create '\(folder)': \(error.localizedDescription)")
    }
    let files = results.reportFiles()
    for file in files {
      try writeAtomically(Data(file.contents.utf8), to: URL(fileURLWithPath: folder).appendingPathComponent(file.name).path)
    }
    return files
  }
}
