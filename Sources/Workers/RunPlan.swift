// What `run` (and each worker) is asked to measure: parsed from the command
// line by the CLI, sent to workers as one JSON document.

import Foundation
import Interpreters
import KernelKit
import Kernels
import MeasurementKit

/// What `run` (and a worker) was asked to do.
package struct RunPlan: Equatable, Sendable, Codable {
  /// Default: every CPU-bound kernel (I/O-bound ones only when named).
  package var kernels: [String] = catalogue.filter { !$0.isIOBound }.map(\.name)
  package var flavours: [Flavour] = Flavour.allCases
  /// Whether `--flavours` was given. When not, the debug build leaves out the
  /// Swift `vector` flavour: at -Onone the standard library's generic SIMD
  /// operators are unspecialised calls, about 10× slower than unsafe Swift,
  /// and those cells would cost most of the default run's time.
  package var flavoursGiven = false

  /// The flavours measured in `build`.
  package func flavours(in build: Build) -> [Flavour] {
    build == .debug && !flavoursGiven ? flavours.filter { $0 != .vector } : flavours
  }
  package var builds: [Build] = Build.allCases
  /// Thread counts, resolved ("all" → active cores), ascending, no repeats.
  package var threads: [Int] = [1, activeCores()].uniqueSorted()
  /// As given: `tiny`, `quick`, `full` or a number.
  package var size = "quick"
  package var minTimeMilliseconds = 50.0
  package var samples = 5
  package var format: OutputFormat?
  package var output: String?
  /// Also run the interpreted rungs (CPython, PyPy, Cython) after the Swift cells.
  package var interpreters = false
  /// Worker only: cells an earlier attempt crashed in.
  package var excluded: [CellID] = []
  // Concurrency (Backend.swift, Concurrency.swift).
  package var backend: Backend = .threads
  package var gil = false
  package var timeLimitSeconds = defaultTimeLimit
  /// Kernel × flavour pairs made to do more real work (`--inject-slowdown`), to prove gates.
  package var slowdowns: [Slowdown] = []
  /// When set, only these cells of the kernels × flavours × threads product
  /// (what `benchmark gate` needs); nil measures the whole product.
  package var onlyCells: [CellID]?
  /// `run --save-baseline FILE`: also write the results as JSON there, for `gate --baseline`.
  package var saveBaseline: String?

  package init() {}

  /// The size each selected kernel runs at.
  package func sizes() throws -> [String: Int] {
    var sizes: [String: Int] = [:]
    for name in kernels {
      // The command line checked both; a worker's plan and a gates file reach here unchecked.
      guard let kernel = Kernels.kernel(named: name) else {
        throw UsageError("unknown kernel '\(name)'; valid kernels: \(validKernelNames)")
      }
      guard let size = kernel.sizes[size] ?? Int(size.replacingOccurrences(of: "_", with: "")) else {
        throw UsageError("--size \(self.size): not a size; use tiny, quick, full or a positive number")
      }
      do {
        try kernel.validate(size: size)
      } catch let error as SizeError {
        throw UsageError("--size \(self.size): \(error)")
      }
      sizes[name] = size
    }
    return sizes
  }

  /// The plan a worker is sent: the same cells, without builds or output.
  package func workerPlan() throws -> String {
    var plan = self
    (plan.format, plan.output, plan.saveBaseline, plan.interpreters) = (nil, nil, nil, false)
    return String(decoding: try JSONEncoder().encode(plan), as: UTF8.self)
  }

  /// The plan a worker was sent, or a usage error saying why it is not one.
  package static func decodeWorkerPlan(_ text: String) throws -> RunPlan {
    let plan: RunPlan
    do {
      plan = try JSONDecoder().decode(RunPlan.self, from: Data(text.utf8))
    } catch {
      throw UsageError("worker: the plan is not a RunPlan JSON document (\(error))")
    }
    // The worker trusts its plan (it looks its kernels up by name): refuse here
    // what the command line would have refused.
    do {
      _ = try plan.sizes()
    } catch let error as UsageError {
      throw UsageError("worker: the plan's \(error.message)")
    }
    guard plan.threads.allSatisfy({ $0 >= 1 }), plan.samples >= 1, plan.minTimeMilliseconds > 0,
      plan.timeLimitSeconds > 0
    else {
      throw UsageError("worker: the plan needs threads, samples, a minimum time and a time limit above 0")
    }
    return plan
  }
}

extension Array where Element: Comparable & Hashable {
  package func uniqueSorted() -> [Element] { Array(Set(self)).sorted() }
}
