// `--backend` and `--gil`: who runs the chunks of a multi-core cell.

import Foundation
import KernelKit

/// How a cell with more than one thread runs its chunks. One-thread cells
/// are always the plain sequential baseline, whatever the backend.
package enum Backend: String, CaseIterable, Sendable, Codable {
  /// The harness's `ThreadPool`: persistent pthreads, dynamic chunk claiming.
  case threads
  /// `DispatchQueue.concurrentPerform` (never wider than the cores).
  case dispatch
  /// A `TaskGroup` on Swift's cooperative pool (as wide as the cores).
  case tasks
  /// N worker processes of this binary, started per run with posix_spawn.
  case processes

  /// Why `kernel` cannot run on this backend, or nil if it can: what the
  /// kernel says of itself (`Kernel.processesNotApplicable`).
  package func unsupported(_ kernel: any Kernel) -> String? {
    guard self == .processes, !(kernel is any IndependentChunks) else { return nil }
    return "skipped: " + kernel.processesNotApplicable
  }
}

/// Seconds one run of a process-backend cell may take before its workers are
/// killed (`--time-limit`).
package let defaultTimeLimit = 120.0

extension MeasurementPlan {
  /// The cells the backend cannot run, with the reason, in plan order.
  package var skipped: [(CellID, String)] {
    kernels.flatMap { kernel in
      backend.unsupported(kernel).map { why in
        flavours.flatMap { flavour in
          threads.filter { $0 > 1 }.map { (CellID(kernel: kernel.name, flavour: flavour, build: .current, threads: $0), why) }
        }
      } ?? []
    }
  }

  /// The executor a cell with `threads` threads runs on.
  func executor(threads: Int, pools: [Int: ThreadPool]) -> any ParallelExecutor {
    guard threads > 1 else { return SequentialExecutor() }
    let base: any ParallelExecutor =
      switch backend {
      case .threads, .processes: pools[threads] ?? ThreadPool(threads: threads)
      case .dispatch: DispatchExecutor(threads: threads)
      case .tasks: TaskGroupExecutor(threads: threads)
      }
    return gil ? GILExecutor(base, gil: GlobalInterpreterLock()) : base
  }

  /// The process backend's own workload for a multi-thread cell, or nil
  /// where the cell runs in-process (made by `processCells`, which the
  /// workers module provides: it starts programs).
  func processWorkload(_ id: CellID, kernel: any Kernel, size: Int) -> TimedWorkload? {
    guard backend == .processes, id.threads > 1, let kernel = kernel as? any IndependentChunks else { return nil }
    return processCells?(id, kernel, size)
  }
}
