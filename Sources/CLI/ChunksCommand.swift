// `benchmark chunks` (hidden): one worker process of the process backend.

import Foundation
import KernelKit
import MeasurementKit
import Workers

extension Command {
  struct Chunks: Subcommand {
    /// The options as given, checked together by `validate`.
    var given: [String: String] = [:]
    /// What to compute, once validated.
    var job: ChunkJob?

    static let name = "chunks"
    static let abstract = "Internal: one worker process of `--backend processes` (see ProcessBackend.swift)."
    static let isHidden = true

    static var options: [Option<Chunks>] {
      [
        ("--kernel", "K", "The kernel."), ("--flavour", "F", "Its flavour."), ("--size", "N", "Its size."),
        ("--worker", "I", "This worker's index, in 0..<--of."), ("--of", "N", "The number of workers."),
      ].map { name, value, help in
        Option(name, value, help: help) { chunks, text in chunks.given[name] = text }
      }
    }

    mutating func validate() throws { job = try ChunkJob(options: given) }

    func run() throws -> Int32 { ChunksWorker.main(job!) }
  }
}
