// `benchmark explain [KERNEL]`: why each rung gains what it gains.

import Foundation
import Kernels
import MeasurementKit
import Orchestration
import ProcessKit
import Reports
import Workers

extension Command {
  struct Explain: Subcommand {
    /// One kernel, or nil for the overview of all rungs.
    var kernel: String?
    /// A saved run to explain instead of measuring.
    var from: String?
    /// How to measure when there is no `--from`.
    var measurement = RunPlan()

    static let name = "explain"
    static let usage = "[KERNEL] [options]"
    static let abstract =
      "Why each rung gains what it gains: one kernel's ladder with the reasons from its documentation, or each step over all kernels."

    static let discussion = """
      Why each rung gains what it gains: for one kernel, its ladder with the
      reasons from its documentation; without one, each step over all kernels.
      Measures first (the kernel's cells, or the default run) unless --from names
      a saved run.
      """

    static var arguments: [Argument<Explain>] {
      [
        Argument(name: "KERNEL", help: "The kernel to explain (see `benchmark list`).", isOptional: true) {
          explain, name in
          try requireKernel(name, in: catalogue)
          explain.kernel = name
          explain.measurement.kernels = [name]
        }
      ]
    }

    static var options: [Option<Explain>] {
      let from = Option<Explain>(
        "--from", "FILE", help: "Explain a results file written by `benchmark run --output FILE.json` instead of measuring."
      ) { explain, path in
        guard FileManager.default.isReadableFile(atPath: path) else {
          throw UsageError("--from: cannot read '\(path)'")
        }
        explain.from = path
      }
      let measuring = MeasurementOptions.named(["--size", "--min-time", "--samples", "--threads"])
        + [Option(switch: "--interpreters", help: "Measure the Python rungs first, as `run --interpreters` does.") {
          plan in plan.interpreters = true
        }]
      return [from] + measuring.map { $0.scoped(to: \.measurement) }
    }

    mutating func validate() throws {
      _ = try measurement.sizes()
    }

    func run() throws -> Int32 {
      let results: RunResults
      if let path = from {
        results = try RunResults.load(path, catalogue: catalogue, announcesIncomplete: true)
        if let kernel, !results.kernels.contains(kernel) {
          throw UsageError(
            "--from: '\(path)' has no cells of \(kernel); it has \(results.kernels.joined(separator: ", "))")
        }
      } else {
        results = try Orchestrator(options: measurement, progress: ProgressLine()).run()
        if results.incomplete == true {
          writeStandardError("interrupted: nothing explained (the measuring did not finish)\n")
          return Interruption.exitStatus
        }
      }
      let explanation = Explanation(results)
      var text = kernel.map(explanation.kernel) ?? explanation.overview
      if let name = kernel, let definition = Kernels.kernel(named: name) {
        text += "\n\n" + SpanChecks.report(for: definition)
      }
      writeStandardOutput(text + "\n")
      return results.anyFailed ? ExitStatus.cellFailed : ExitStatus.success
    }
  }
}
