// `benchmark gate`: the CI timing gates.

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
  static let gateSpec = OptionSpec(
    valued: [
      ("--gates", ": a gates file, e.g. bench/gates.json"),
      ("--baseline", ": a file saved with `benchmark run --save-baseline`"),
      ("--summary", ": a Markdown file path"),
      ("--json", ": a file path for github-action-benchmark JSON"),
      ("--inject-slowdown", ": KERNEL/FLAVOUR=FACTOR, e.g. mandelbrot/unsafe=1.25"),
    ],
    switches: ["--force", "--strict"])

  static func parseGateOptions(_ arguments: ArraySlice<String>) throws -> GateOptions {
    var options = GateOptions()
    for option in try gateSpec.scan(arguments, subcommand: "gate") {
      let value = option.value ?? ""
      switch option.name {
      case "--gates":
        guard !value.isEmpty else { throw UsageError("--gates needs a file path") }
        options.gates = value
      case "--baseline":
        guard !value.isEmpty else { throw UsageError("--baseline needs a file path") }
        options.baseline = value
      case "--summary":
        try FileChecks.checkWritable(value, option: option.name)
        options.summary = value
      case "--json":
        try FileChecks.checkWritable(value, option: option.name)
        options.json = value
      case "--inject-slowdown":
        var run = RunPlan()
        run.slowdowns = options.slowdowns
        try apply(option.name, value, to: &run)
        options.slowdowns = run.slowdowns
      case "--force": options.force = true
      case "--strict": options.strict = true
      default: preconditionFailure("unhandled option \(option.name)")
      }
    }
    if let summary = options.summary, summary == options.json {
      throw UsageError("--summary and --json name the same file '\(summary)'")
    }
    return options
  }
}
