// `benchmark gate`: the CI timing gates (the work is in Sources/Gates).

import Foundation
import Gates
import MeasurementKit
import ProcessKit
import Workers

extension Command {
  struct Gate: Subcommand {
    var options = GateOptions()

    static let name = "gate"
    static let abstract = "CI timing gates from bench/gates.json: pass, fail or inconclusive per gate (see bench/GATES.md)."

    static let discussion = """
      CI timing gates: measures only the cells the gates in bench/gates.json need,
      in the builds they name, and gives each gate a verdict from the measured
      ratio and its noise band: pass, fail or inconclusive (re-measuring the
      gates that straddle their threshold). See bench/GATES.md.
      """

    static var options: [Option<Gate>] {
      let gate: [Option<GateOptions>] = [
        Option("--gates", "FILE", help: "The gates.", default: GateOptions.defaultGates) { options, value in
          guard !value.isEmpty else { throw UsageError("--gates needs a file path") }
          options.gates = value
        },
        Option("--baseline", "FILE", help: "A run saved with `benchmark run --save-baseline FILE`, for baseline gates.") {
          options, value in
          guard !value.isEmpty else { throw UsageError("--baseline needs a file path") }
          options.baseline = value
        },
        Option(switch: "--force", help: "Compare with a baseline from another CPU, core count or build flags anyway.") {
          $0.force = true
        },
        Option(switch: "--strict", help: "Exit \(ExitStatus.inconclusive) when a gate is inconclusive (without it: exit 0 with a warning).") {
          $0.strict = true
        },
        Option("--summary", "FILE", help: "Also write a Markdown summary (for $GITHUB_STEP_SUMMARY).") { options, value in
          try FileChecks.checkWritable(value, option: "--summary")
          options.summary = value
        },
        Option("--json", "FILE", help: "Also write github-action-benchmark JSON (customSmallerIsBetter).") {
          options, value in
          try FileChecks.checkWritable(value, option: "--json")
          options.json = value
        },
      ]
      var slowdown = Run.slowdownOption.scoped(to: \GateOptions.slowdownPlan)
      slowdown.help = "As for run: that kernel's flavour does FACTOR× its real work, for proving gates only."
      var injection = Run.injectionOption.scoped(to: \GateOptions.slowdownPlan)
      injection.help = "As for run: extra work in that kernel's flavour's timed region, for proving gates only."
      let measure = Option<GateOptions>(
        "--measure", "WHAT",
        help: "Which gates to judge: time (the gates on times; counted gates are skipped), instructions (only the gates with \"measure\": \"instructions\" or \"both\": valgrind's count of each cell's timed region, release build, one thread; needs valgrind, and refuses a native build on a CPU with AVX-512, which valgrind cannot run) or both.",
        default: "time", valid: Measure.allCases.map(\.rawValue)
      ) { options, value in
        guard let measure = Measure(rawValue: value) else {
          throw UsageError("--measure: '\(value)' is not one of \(Measure.validNames)")
        }
        options.measure = measure
      }
      return (gate + [measure, slowdown, injection]).map { $0.scoped(to: \.options) }
    }

    static let epilogue = """
      EXIT STATUS:
        \(ExitStatus.success) no gate failed (inconclusive ones warned about) · \(ExitStatus.cellFailed) a gate failed ·
        \(ExitStatus.usage) bad usage, or a bad gates or baseline file · \(ExitStatus.inconclusive) inconclusive with --strict.
        130 interrupted (SIGINT) · 143 stopped (SIGTERM): no gate judged, nothing written.
      """

    mutating func validate() throws {
      // The gates file (found later when not given) is checked again in `GateCommand.main`.
      try FileChecks.distinct(options.files(gates: options.gates))
    }

    func run() throws -> Int32 { try GateCommand.main(options) }
  }
}

extension GateOptions {
  /// `--inject-slowdown` is declared once, on a run plan; its slowdowns are the gate's.
  fileprivate var slowdownPlan: RunPlan {
    get {
      var plan = RunPlan()
      plan.slowdowns = slowdowns
      plan.injections = injections
      return plan
    }
    set { (slowdowns, injections) = (newValue.slowdowns, newValue.injections) }
  }
}
