// `--backend`, `--gil`, `--time-limit`: the options that choose who runs a multi-thread cell.

import Foundation
import KernelKit
import Kernels
import MeasurementKit
import ProcessKit
import Workers

enum BackendOptions {
  static var all: [Option<RunPlan>] {
    let shared = catalogue.filter { Backend.processes.unsupported($0) != nil && !$0.isIOBound }.map(\.name)
    return [
      Option(
        "--backend", "B",
        help: "Who runs the multi-thread cells: threads (the harness's pool), dispatch (concurrentPerform), tasks (a TaskGroup), processes (worker processes of this binary, started per run; kernels whose chunks share memory between steps are skipped, with the reason: \(shared.joined(separator: ", "))).",
        default: RunPlan().backend.rawValue, valid: names(of: Backend.self)
      ) { plan, value in plan.backend = try oneOf(value, "backend") },
      Option(
        switch: "--gil",
        help: "Run every chunk holding one global lock, as CPython's threads do; released around the latency kernel's waits."
      ) { plan in plan.gil = true },
      Option(
        "--time-limit", "S",
        help: "Seconds one run of a process-backend cell may take before its workers are killed: more than 0, at most 86400.",
        default: String(format: "%g", defaultTimeLimit)
      ) { plan, value in
        guard let seconds = Double(value), seconds > 0, seconds <= 86_400 else {
          throw UsageError("--time-limit: '\(value)' is not a time; use seconds more than 0 and at most 86400, e.g. 120")
        }
        plan.timeLimitSeconds = seconds
      },
    ]
  }
}
