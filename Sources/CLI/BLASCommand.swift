// `benchmark blas` (hidden): the BLAS rung's worker, for runs whose only
// binary is this one (a debug-only run); see Sources/Workers/BLASWorker.swift.

import Foundation
import MeasurementKit
import Workers

extension Command {
  struct BLAS: Subcommand {
    var given: [String: String] = [:]
    var job: BLASJob?

    static let name = "blas"
    static let abstract = "Internal: time a BLAS's dgemm on matmul's input and stream it as JSON lines."
    static let isHidden = true

    static var options: [Option<BLAS>] {
      [
        ("--library", "PATH", "The BLAS to load."), ("--n", "N", "matmul's n."),
        ("--threads", "LIST", "Thread counts, comma-separated."), ("--samples", "N", "Samples per thread count."),
        ("--min-time", "MS", "Minimum milliseconds a sample."),
      ].map { name, value, help in
        Option(name, value, help: help) { blas, text in blas.given[name] = text }
      }
    }

    mutating func validate() throws { job = try BLASJob(options: given) }

    func run() throws -> Int32 { BLASWorker.main(job!) }
  }
}
