// `benchmark chunks` (hidden): one worker process of the process backend.

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
  static let chunksSpec = OptionSpec(
    valued: [
      ("--kernel", ": a kernel name"), ("--flavour", ": one of \(Flavour.validNames)"), ("--size", ": a number"),
      ("--worker", ": this worker's index"), ("--of", ": the number of workers"),
    ])

  static func parseChunks(_ arguments: ArraySlice<String>) throws -> ChunkJob {
    var values: [String: String] = [:]
    for option in try chunksSpec.scan(arguments, subcommand: "chunks") { values[option.name] = option.value }
    guard let name = values["--kernel"], let kernel = kernel(named: name) else {
      throw UsageError("chunks: --kernel must name a kernel")
    }
    guard let flavour = values["--flavour"].flatMap(Flavour.init(rawValue:)) else {
      throw UsageError("chunks: --flavour must be one of \(Flavour.validNames)")
    }
    guard let size = values["--size"].flatMap({ Int($0) }), (try? kernel.validate(size: size)) != nil else {
      throw UsageError("chunks: --size must be a size \(name) takes")
    }
    guard let of = values["--of"].flatMap({ Int($0) }), of >= 1,
      let worker = values["--worker"].flatMap({ Int($0) }), (0..<of).contains(worker)
    else { throw UsageError("chunks: --worker must be in 0..<--of, and --of at least 1") }
    return ChunkJob(kernel: name, flavour: flavour, size: size, worker: worker, of: of)
  }
}
