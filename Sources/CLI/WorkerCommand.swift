// `benchmark worker PLAN` (hidden): measure this build's cells for the
// orchestrator of another build, and stream them back as JSON lines.

import Foundation
import MeasurementKit
import Workers

extension Command {
  struct Worker: Subcommand {
    var plan = RunPlan()

    static let name = "worker"
    static let usage = "PLAN"
    static let abstract = "Internal: measure this build's cells of a run plan and stream them as JSON lines."
    static let isHidden = true

    static var arguments: [Argument<Worker>] {
      [
        // The plan arrives as one JSON document, written by `RunPlan.workerPlan()`.
        Argument(name: "PLAN", help: "The run plan as JSON, written by `RunPlan.workerPlan()`.", isOptional: false) {
          worker, text in worker.plan = try RunPlan.decodeWorkerPlan(text)
        }
      ]
    }

    func run() throws -> Int32 { try Workers.Worker.main(plan) }
  }
}
