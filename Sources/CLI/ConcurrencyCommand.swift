// `benchmark concurrency`: the Python concurrency article's lessons, measured here.

import Foundation
import Gates
import Interpreters
import KernelKit
import Kernels
import Lessons
import MeasurementKit
import Reports
import Workers

extension Command {
  static let concurrencySpec = OptionSpec(valued: [
    ("--kernel", ": a CPU-bound kernel that runs in processes: \(catalogue.filter { $0 is any IndependentChunks && !$0.isIOBound }.map(\.name).joined(separator: ", "))"),
    ("--io-threads", ": threads for the I/O-bound rows, e.g. 8"),
    ("--size", ": tiny, quick or full"),
  ] + measurementOptions.filter { ["--samples", "--min-time"].contains($0.name) })

  static func parseConcurrency(_ arguments: ArraySlice<String>) throws -> ConcurrencyOptions {
    var options = ConcurrencyOptions()
    var run = RunPlan()
    for option in try concurrencySpec.scan(arguments, subcommand: "concurrency") {
      let value = option.value ?? ""
      switch option.name {
      case "--kernel":
        let eligible = catalogue.filter { $0 is any IndependentChunks && !$0.isIOBound }.map(\.name)
        guard eligible.contains(value) else {
          throw UsageError("--kernel: '\(value)' cannot run in processes or is not CPU-bound; use one of \(eligible.joined(separator: ", "))")
        }
        options.kernel = value
      case "--io-threads":
        guard let count = Int(value), (1...256).contains(count) else {
          throw UsageError("--io-threads: '\(value)' is not a thread count; use 1...256")
        }
        options.ioThreads = count
      case "--size":
        guard KernelSizes.names.contains(value) else {
          throw UsageError("--size: '\(value)' is not a size; use tiny, quick or full")
        }
        options.size = value
      default:
        try apply(option.name, value, to: &run)  // --samples, --min-time: the run's checks and messages
      }
    }
    options.samples = run.samples
    options.minTimeMilliseconds = run.minTimeMilliseconds
    return options
  }
}
