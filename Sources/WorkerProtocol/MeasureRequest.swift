// `WorkerRequest.measure`: what a measuring worker is asked, and nothing of
// the run it does not need (no output format or file, no baseline, no Python rungs).

import Foundation
import KernelKit
import Kernels
import MeasurementKit
import ProcessKit

/// The cells of a run plan that one worker measures in its build, with every
/// kernel's size resolved by the parent (`RunPlan.measureRequest(for:)`): the
/// worker never reads a `--size` spelling.
package struct MeasureRequest: Codable, Equatable, Sendable {
  /// The run's kernels in its order, each at its size.
  package var kernels: [SizedKernel]
  /// The flavours this build measures (the debug build leaves some out).
  package var flavours: [Flavour]
  /// Every build of the run: a cell's sampling depends on where it sits on
  /// the ladder, which spans builds (`SamplingPlan.forLadder`).
  package var builds: [Build]
  /// Thread counts, ascending, each at least 1.
  package var threads: [Int]
  /// Minimum duration of one timed sample.
  package var minTimeMilliseconds: Double
  /// `--samples N`; nil: adaptive (MeasurementKit/Sampling.swift).
  package var samples: Int?
  package var backend: Backend
  package var gil: Bool
  /// Seconds a process-backend run may take.
  package var timeLimitSeconds: Double
  /// Kernel × flavour pairs made to do more real work (`--inject-slowdown`).
  package var slowdowns: [Slowdown]
  /// Kernel × flavour pairs with extra work in their timed region (`--inject-work`).
  package var injections: [WorkInjection]
  /// Only these cells of kernels × flavours × threads (one kernel's, or a gate's).
  package var only: [CellID]?
  /// Cells an earlier worker of this build crashed in.
  package var excluded: [CellID] = []
  /// Seconds an optimised build's worker spends measuring this machine's
  /// limits before its cells; nil: not measured (a later worker of the build, a counted run).
  package var limitsBudgetSeconds: Double?
  /// A worker running under callgrind: the dump-file prefix; its samples are then instruction counts.
  package var countFile: String?
  /// What the worker's status line adds about the whole run.
  package var progressContext: ProgressContext?

  package init(
    kernels: [SizedKernel], flavours: [Flavour], builds: [Build], threads: [Int], minTimeMilliseconds: Double,
    samples: Int?, backend: Backend, gil: Bool, timeLimitSeconds: Double, slowdowns: [Slowdown],
    injections: [WorkInjection], only: [CellID]?
  ) {
    (self.kernels, self.flavours, self.builds, self.threads) = (kernels, flavours, builds, threads)
    (self.minTimeMilliseconds, self.samples, self.backend, self.gil) = (minTimeMilliseconds, samples, backend, gil)
    (self.timeLimitSeconds, self.slowdowns, self.injections, self.only) = (timeLimitSeconds, slowdowns, injections, only)
  }

  /// Each kernel's size, by name.
  package var sizes: [String: Int] { kernels.sizes }

  /// "All cores" on the ladder (`Ladder.topThreads`), from the thread counts and this machine's cores.
  package var topThreads: Int { Ladder.topThreads(measured: threads, cores: activeCores()) }

  /// Refuses what the command line would have refused: a kernel given twice
  /// (its cells would be measured twice), and a count or time that is not above 0.
  func check() throws(UsageError) {
    var seen: Set<String> = []
    if let twice = kernels.first(where: { !seen.insert($0.kernel.name).inserted }) {
      throw UsageError("kernel \(twice.kernel.name) is given twice")
    }
    guard threads.allSatisfy({ $0 >= 1 }), (samples ?? 1) >= 1, minTimeMilliseconds > 0, timeLimitSeconds > 0 else {
      throw UsageError("measure needs threads, samples, a minimum time and a time limit above 0")
    }
  }
}

/// What a worker's status line says about the whole run.
package struct ProgressContext: Equatable, Sendable, Codable {
  /// `kernel 3 of 10`.
  package var kernels: String
  /// The run's estimated seconds left when the worker starts; nil before any estimate.
  package var secondsLeft: Double?

  package init(kernels: String, secondsLeft: Double?) { (self.kernels, self.secondsLeft) = (kernels, secondsLeft) }
}

// MARK: - Kernels

/// A kernel of the catalogue at a size it takes. On the wire, its name and
/// size (`{"kernel": "nqueens", "size": 8}`); decoding looks the name up with
/// `requireKernel` and checks the size with the kernel's own `validate(size:)`,
/// so a request that names no kernel, or a size it cannot run, is refused in
/// one line before anything runs.
package struct SizedKernel: Codable, Equatable, Sendable {
  package var kernel: any Kernel
  package var size: Int

  /// `kernel` at `size`, which the caller has checked (`RunPlan.sizes()`).
  package init(_ kernel: any Kernel, size: Int) { (self.kernel, self.size) = (kernel, size) }

  private enum CodingKeys: String, CodingKey { case kernel, size }

  package init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let name = try container.decode(String.self, forKey: .kernel)
    size = try container.decode(Int.self, forKey: .size)
    kernel = try Self.kernel(name, size: size)
  }

  package func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(kernel.name, forKey: .kernel)
    try container.encode(size, forKey: .size)
  }

  package static func == (a: SizedKernel, b: SizedKernel) -> Bool { a.kernel.name == b.kernel.name && a.size == b.size }

  /// The catalogue's kernel called `name`, checked to take `size`: what every
  /// kernel in a request is decoded through.
  static func kernel(_ name: String, size: Int) throws -> any Kernel {
    let kernel = try requireKernel(name, in: catalogue)
    do {
      try kernel.validate(size: size)
    } catch {
      throw UsageError("\(error)")  // SizeError: "nqueens cannot take size 99: n … must be in 4...17 …"
    }
    return kernel
  }
}

extension [SizedKernel] {
  /// Each kernel's size, by name (the first, for a kernel listed twice).
  package var sizes: [String: Int] {
    Dictionary(map { ($0.kernel.name, $0.size) }, uniquingKeysWith: { first, _ in first })
  }
}
