// `benchmark concurrency`: the Python concurrency article's lessons, measured here.

import Foundation
import KernelKit
import Kernels
import Lessons
import MeasurementKit
import ProcessKit

extension Command {
  struct Concurrency: Subcommand {
    var options = ConcurrencyOptions()

    static let name = "concurrency"
    static let abstract =
      "The Python concurrency article's lessons measured here: threads with and without a GIL, worker processes, Swift tasks."

    static let discussion = """
      The Python concurrency article's lessons measured here: threads with and
      without a GIL on CPU- and I/O-bound work, worker processes (start-up shown
      apart), Swift tasks. Measures in a release build (built first if launched
      from debug); about 6 s plus the build.
      """

    /// The kernels `--kernel` accepts: CPU-bound, and able to run in worker processes.
    static var eligibleKernels: [String] {
      catalogue.filter { $0 is any IndependentChunks && !$0.isIOBound }.map(\.name)
    }

    static var options: [Option<Concurrency>] {
      let defaults = ConcurrencyOptions()
      let lessons: [Option<ConcurrencyOptions>] = [
        Option(
          "--kernel", "K",
          help: "The CPU-bound kernel of the CPU-bound rows: threads, processes and tasks each compute it, verified against its serial answer.",
          default: defaults.kernel, valid: eligibleKernels
        ) { options, value in
          guard eligibleKernels.contains(value) else {
            throw UsageError(
              "--kernel: '\(value)' cannot run in processes or is not CPU-bound; use one of \(eligibleKernels.joined(separator: ", "))")
          }
          options.kernel = value
        },
        Option(
          "--io-threads", "N",
          help: "Threads (and tasks in flight) for the I/O-bound rows, 1 to 256: more than the cores on purpose, since they wait rather than compute.",
          default: String(defaults.ioThreads)
        ) { options, value in
          guard let count = Int(value), (1...256).contains(count) else {
            throw UsageError("--io-threads: '\(value)' is not a thread count; use 1...256")
          }
          options.ioThreads = count
        },
        Option(
          "--size", "SIZE", help: "Both kernels' size (see `benchmark list`).", default: defaults.size,
          valid: KernelSizes.names
        ) { options, value in
          guard KernelSizes.names.contains(value) else {
            throw UsageError("--size: '\(value)' is not a size; use \(KernelSizes.names.joined(separator: ", "))")
          }
          options.size = value
        },
        Option(
          "--samples", "N", help: "Samples per configuration, 1 to 1000.", default: String(defaults.samples)
        ) { options, value in options.samples = try MeasurementOptions.sampleCount(value) },
        Option(
          "--min-time", "MS", help: "Minimum duration of one timed sample, in milliseconds: more than 0, at most 60000.",
          default: String(format: "%g", defaults.minTimeMilliseconds)
        ) { options, value in options.minTimeMilliseconds = try MeasurementOptions.milliseconds(value) },
      ]
      return lessons.map { $0.scoped(to: \.options) }
    }

    func run() throws -> Int32 {
      try DescriptorLimit.ensure()
      MeasuringSession.shared.begin(progress: ProgressLine())
      return try Lessons.Concurrency.main(options)
    }
  }
}
