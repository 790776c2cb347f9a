// `benchmark explain [KERNEL]`: why each rung gains what it gains.

import Foundation
import Gates
import Interpreters
import KernelKit
import Kernels
import Lessons
import MeasurementKit
import Reports
import Workers

/// What `explain` was asked to do.
package struct ExplainOptions: Equatable, Sendable {
  /// One kernel, or nil for the overview of all rungs.
  package var kernel: String?
  /// A saved run to explain instead of measuring.
  package var from: String?
  /// How to measure when there is no `--from`.
  package var measurement = RunPlan()
}

extension Command {
  static let explainSpec = OptionSpec(
    valued: [("--from", ": a results file written by `benchmark run --output FILE.json`")]
      + measurementOptions.filter { ["--size", "--min-time", "--samples", "--threads"].contains($0.name) },
    switches: ["--interpreters"])

  /// `explain [KERNEL] [--from FILE] [--interpreters] [--size …] [--min-time …] [--samples …] [--threads …]`
  static func parseExplain(_ arguments: ArraySlice<String>) throws -> ExplainOptions {
    var options = ExplainOptions()
    var rest = arguments
    if let first = rest.first, !first.hasPrefix("-") {
      try requireKernel(first)
      options.kernel = first
      options.measurement.kernels = [first]
      rest = rest.dropFirst()
    }
    for option in try explainSpec.scan(rest, subcommand: "explain") {
      if option.name == "--from" {
        let path = option.value ?? ""
        guard FileManager.default.isReadableFile(atPath: path) else {
          throw UsageError("--from: cannot read '\(path)'")
        }
        options.from = path
      } else {
        try apply(option.name, option.value ?? "", to: &options.measurement)
      }
    }
    _ = try options.measurement.sizes()
    return options
  }
}

enum Explain {
  static func main(_ options: ExplainOptions) throws -> Int32 {
    let results: RunResults
    if let path = options.from {
      results = try RunResults.load(path)
      if let kernel = options.kernel, !results.kernels.contains(kernel) {
        throw UsageError(
          "--from: '\(path)' has no cells of \(kernel); it has \(results.kernels.joined(separator: ", "))")
      }
    } else {
      results = try Orchestrator(options: options.measurement, progress: ProgressLine()).run()
    }
    let text = options.kernel.map { results.explanation(of: $0) } ?? results.overview()
    writeStandardOutput(text + "\n")
    return results.anyFailed ? 1 : 0
  }
}
