// `benchmark chunks` (hidden): one worker process of the process backend.

import Foundation
import KernelKit
import Kernels
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

    mutating func validate() throws {
      guard let name = given["--kernel"], let kernel = kernel(named: name) else {
        throw UsageError("chunks: --kernel must name a kernel")
      }
      guard let flavour = given["--flavour"].flatMap(Flavour.init(rawValue:)) else {
        throw UsageError("chunks: --flavour must be one of \(Flavour.validNames)")
      }
      guard let size = given["--size"].flatMap({ Int($0) }), (try? kernel.validate(size: size)) != nil else {
        throw UsageError("chunks: --size must be a size \(name) takes")
      }
      guard let of = given["--of"].flatMap({ Int($0) }), of >= 1,
        let worker = given["--worker"].flatMap({ Int($0) }), (0..<of).contains(worker)
      else { throw UsageError("chunks: --worker must be in 0..<--of, and --of at least 1") }
      job = ChunkJob(kernel: name, flavour: flavour, size: size, worker: worker, of: of)
    }

    func run() throws -> Int32 { ChunksWorker.main(job!) }
  }
}
