// `WorkerRequest.chunks`: one worker process of the process backend.

import Foundation
import KernelKit
import MeasurementKit
import ProcessKit

/// What one worker process computes: chunks worker, worker + of, … of one
/// kernel × flavour × size (`ProcessPool` in Workers/ProcessBackend.swift).
package struct ChunkJob: Equatable, Sendable {
  package var kernel: any Kernel
  package var flavour: Flavour
  package var size: Int
  /// This worker's index, in 0..<of.
  package var worker: Int
  /// How many workers share the kernel's chunks.
  package var of: Int

  package init(kernel: any Kernel, flavour: Flavour, size: Int, worker: Int, of: Int) {
    (self.kernel, self.flavour, self.size, self.worker, self.of) = (kernel, flavour, size, worker, of)
  }

  package static func == (a: ChunkJob, b: ChunkJob) -> Bool {
    (a.kernel.name, a.flavour, a.size, a.worker, a.of) == (b.kernel.name, b.flavour, b.size, b.worker, b.of)
  }

  /// Refuses a worker index outside 0..<of.
  func check() throws(UsageError) {
    guard of >= 1, (0..<of).contains(worker) else {
      throw UsageError("chunks: worker must be in 0..<of, and of at least 1 (got worker \(worker) of \(of))")
    }
  }
}

extension ChunkJob: Codable {
  private enum CodingKeys: String, CodingKey { case kernel, flavour, size, worker, of }

  /// The kernel by name, looked up and checked to take the size as it is decoded (`SizedKernel`).
  package init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    size = try container.decode(Int.self, forKey: .size)
    kernel = try SizedKernel.kernel(container.decode(String.self, forKey: .kernel), size: size)
    flavour = try container.decode(Flavour.self, forKey: .flavour)
    worker = try container.decode(Int.self, forKey: .worker)
    of = try container.decode(Int.self, forKey: .of)
  }

  package func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(kernel.name, forKey: .kernel)
    try container.encode(flavour, forKey: .flavour)
    try container.encode(size, forKey: .size)
    try container.encode(worker, forKey: .worker)
    try container.encode(of, forKey: .of)
  }
}
