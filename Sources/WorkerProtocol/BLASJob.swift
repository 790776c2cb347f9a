// `WorkerRequest.blas`: what a BLAS worker is asked, and what it answers (one
// `BLASEvent` a line on its standard output); see Workers/BLASWorker.swift.

import Foundation
import KernelKit
import MeasurementKit
import ProcessKit

/// What one BLAS worker measures: matmul at `n` through the library at
/// `path`, on each of `threads`.
package struct BLASJob: Codable, Equatable, Sendable {
  package var path: String
  package var n: Int
  package var threads: [Int]
  package var samples: Int
  package var minTimeMilliseconds: Double

  package init(path: String, n: Int, threads: [Int], samples: Int, minTimeMilliseconds: Double) {
    self.path = path
    self.n = n
    self.threads = threads
    self.samples = samples
    self.minTimeMilliseconds = minTimeMilliseconds
  }

  /// Refuses a job the worker cannot run: n outside matmul's sizes, no or a
  /// non-positive thread count, no samples, no minimum time.
  func check() throws(UsageError) {
    guard (1...4_096).contains(n), !threads.isEmpty, samples >= 1, minTimeMilliseconds > 0 else {
      throw UsageError("blas needs n in 1...4096, thread counts, samples and a minimum time above 0")
    }
    guard threads.allSatisfy({ $0 >= 1 }) else { throw UsageError("blas takes positive thread counts") }
  }
}

/// One line of a BLAS worker's output (JSON Lines): the library,
/// then one measurement per thread count, so a crash loses only what follows.
package enum BLASEvent: Codable, Equatable, Sendable {
  case library(BLASLibraryInfo)
  case measurement(BLASMeasurement)
}

package struct BLASLibraryInfo: Codable, Equatable, Sendable {
  package var path: String
  package var symbol: String
  package var ilp64: Bool
  package var config: String?
  package var coreName: String?
  /// Whether the library let the worker set its threads (OpenBLAS does).
  package var setsThreads: Bool
  package var description: String

  package init(_ library: BLASLibrary, setsThreads: Bool) {
    path = library.path
    symbol = library.symbol
    ilp64 = library.ilp64
    config = library.config
    coreName = library.coreName
    self.setsThreads = setsThreads
    description = library.description
  }
}

package struct BLASMeasurement: Codable, Equatable, Sendable {
  package var threads: Int
  package var runsPerSample: [Int]
  /// Seconds per call, one entry per sample.
  package var samples: [Double]
  package var result: KernelResult
  package var setupSeconds: Double
  /// One thread only: the calling thread's CPU seconds per call, one entry
  /// per sample. On a machine shared with other work, wall time includes the
  /// time the thread waited for a core; this does not.
  package var cpuSamples: [Double]?

  package init(
    threads: Int, runsPerSample: [Int], samples: [Double], result: KernelResult, setupSeconds: Double,
    cpuSamples: [Double]? = nil
  ) {
    self.threads = threads
    self.runsPerSample = runsPerSample
    self.samples = samples
    self.result = result
    self.setupSeconds = setupSeconds
    self.cpuSamples = cpuSamples
  }
}
