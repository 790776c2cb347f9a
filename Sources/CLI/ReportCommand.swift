// `benchmark report`: measure (or read a results file) and write the report folder.

import Foundation
import Kernels
import MeasurementKit
import Orchestration
import ProcessKit
import Reports
import Workers

extension Command {
  struct Report: Subcommand {
    /// A results file to draw; nil: measure first, as `run` does.
    var from: String?
    /// The report folder (created when missing).
    var out: String?
    /// Measurement options, used when `from` is nil.
    var measurement = RunPlan()
    /// The measurement options given, so that `--from` can refuse them.
    var measuring: [String] = []

    static let name = "report"
    static let usage = "--out DIR [--from FILE.json] [options]"
    static let abstract =
      "Write DIR/index.html (one self-contained page of SVG charts), DIR/report.md and the SVGs, from a saved run or measured first."

    static let discussion = """
      Writes DIR/index.html (one self-contained page: inline SVG charts, no
      scripts), DIR/report.md and the SVGs: the ladder, a speed-up heat map,
      thread scaling with a fitted Amdahl curve, CPU time against elapsed.
      --from FILE draws a saved run (`benchmark run --output FILE.json`) as it
      is; without it, the report measures first, with the measurement options
      below (as `run` takes them), and prints the table too.
      """

    static var options: [Option<Report>] {
      let files: [Option<Report>] = [
        Option("--out", "DIR", help: "The folder for index.html, report.md and the SVG charts (created when missing); required.") {
          report, value in report.out = value
        },
        Option("--from", "FILE", help: "Draw a results file written by `benchmark run --output FILE.json` instead of measuring.") {
          report, value in report.from = value
        },
      ]
      let measuring = MeasurementOptions.all.map { option in
        var scoped = option.scoped(to: \Report.measurement)
        let apply = scoped.apply
        scoped.apply = { report, value in
          try apply(&report, value)
          report.measuring.append(option.name)
        }
        return scoped
      }
      return files + measuring
    }

    /// Checks `--out` and reads `--from` now, so a bad command line neither
    /// measures nor writes anything.
    mutating func validate() throws {
      guard let out else { throw UsageError("'report' needs --out DIR, the folder to write the report to") }
      try Self.checkFolder(out)
      if let from {
        guard measuring.isEmpty else {
          throw UsageError("\(measuring[0]) measures; with --from the report draws the file's results as they are")
        }
        _ = try RunResults.load(from, catalogue: catalogue)
        // --from must not be one of the files the report replaces.
        let folder = URL(fileURLWithPath: out)
        try FileChecks.distinct(
          [NamedFile("--from", from, written: false)]
            + ["index.html", "report.md"].map { NamedFile("--out", folder.appendingPathComponent($0).path, written: true) })
      } else {
        _ = try measurement.sizes()
      }
    }

    /// Measures (or reads `--from`), then writes every report file atomically.
    /// Exit status: that of the measurement (1 when a cell failed), else 0.
    func run() throws -> Int32 {
      let results: RunResults
      if let from {
        results = try RunResults.load(from, catalogue: catalogue, announcesIncomplete: true)
      } else {
        results = try Orchestrator(options: measurement, progress: ProgressLine()).run()
        if results.incomplete == true {
          // A report of part of a run would look whole: none is written.
          writeStandardError("interrupted: no report written (the kernels measured were not enough for a whole one)\n")
          return Interruption.exitStatus
        }
        writeStandardOutput(TextTable(results).text + "\n")
      }
      let out = out!
      let files: [ReportFile]
      do {
        files = try ReportWriter.writeReport(results, to: out)
      } catch let stopped as ReportWriter.Interrupted {
        let kept = stopped.written.isEmpty ? "no file written" : "wrote \(stopped.written.joined(separator: ", "))"
        writeStandardError(
          "interrupted: \(kept) in \(out), \(stopped.total - stopped.written.count) of \(stopped.total) files (index.html among them) left as they were\n")
        return Interruption.exitStatus
      }
      writeStandardError("wrote report to \(out): index.html, report.md and \(files.count - 2) SVG charts\n")
      for line in ChartData(results).missingParts() { writeStandardError("  missing: \(line)\n") }
      return from == nil && results.anyFailed ? ExitStatus.cellFailed : ExitStatus.success
    }

    /// Fails unless `path` is, or can be created as, a writable folder. Writes nothing.
    static func checkFolder(_ path: String) throws {
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
}
