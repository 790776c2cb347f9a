// `--backend` and `--gil`: who runs the chunks of a multi-core cell.

import Foundation
import KernelKit
import Kernels

/// How a cell with more than one thread runs its chunks. One-thread cells
/// are always the plain sequential baseline, whatever the backend.
public enum Backend: String, CaseIterable, Sendable, Codable {
  /// The harness's `ThreadPool`: persistent pthreads, dynamic chunk claiming.
  case threads
  /// `DispatchQueue.concurrentPerform` (never wider than the cores).
  case dispatch
  /// A `TaskGroup` on Swift's cooperative pool (as wide as the cores).
  case tasks
  /// N worker processes of this binary, started per run with posix_spawn.
  case processes

  /// Why `kernel` cannot run on this backend, or nil if it can.
  func unsupported(_ kernel: any Kernel) -> String? {
    guard self == .processes, !(kernel is any IndependentChunks) else { return nil }
    switch kernel.name {
    case "nbody", "spectral-norm": return "skipped: needs shared memory between steps"
    case "matmul", "triad": return "skipped: its output is a whole array, which processes would have to copy back"
    default: return "skipped: not adapted to worker processes (its merge phase; see Kernels/IndependentChunks.swift)"
    }
  }
}

/// Seconds one run of a process-backend cell may take before its workers are
/// killed (`--time-limit`).
let defaultTimeLimit = 120.0

extension MeasurementPlan {
  /// The cells the backend cannot run, with the reason, in plan order.
  var skipped: [(CellID, String)] {
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
  /// where the cell runs in-process.
  func processWorkload(_ id: CellID, kernel: any Kernel, size: Int) -> (any Workload)? {
    guard backend == .processes, id.threads > 1, let kernel = kernel as? any IndependentChunks,
      let combiner = kernel.makeChunks(id.flavour, size: size)
    else { return nil }
    let pool = ProcessPool(
      binary: PackageLocation.currentExecutable(), kernel: kernel.name, flavour: id.flavour, size: size,
      processes: id.threads, timeLimit: timeLimit)
    return ProcessCell(pool: pool, combiner: combiner)
  }
}

extension Runner {
  /// A note for a process-backend cell: its start-up cost, measured apart.
  static func processNotes(_ workload: any Workload) -> [String] {
    guard let cell = workload as? ProcessCell, !cell.startupSeconds.isEmpty else { return [] }
    let startup = SampleStatistics.median(cell.startupSeconds)
    let compute = SampleStatistics.median(cell.computeSeconds)
    return ["processes: start-up \(formatSeconds(startup)) + compute \(formatSeconds(compute)) a run (medians)"]
  }

  /// Why a cell's workload failed outside the kernel (a worker process), if it did.
  static func workloadFailure(_ workload: any Workload) -> String? {
    (workload as? ProcessCell)?.failure
  }
}

// MARK: - Options

extension Command {
  /// `--backend`, `--time-limit` (and the `--gil` switch), for `run` and its workers.
  static let concurrencyOptions: [(name: String, hint: String)] = [
    ("--backend", "; valid backends: \(Backend.allCases.map(\.rawValue).joined(separator: ", "))"),
    ("--time-limit", ": seconds one run of a process-backend cell may take, e.g. 120"),
  ]

  /// Applies a concurrency option; false if `option` is not one.
  static func applyConcurrency(_ option: ParsedOption, to options: inout RunOptions) throws -> Bool {
    let value = option.value ?? ""
    switch option.name {
    case "--backend":
      guard let backend = Backend(rawValue: value) else {
        throw UsageError(
          "unknown backend '\(value)'; valid backends: \(Backend.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      options.backend = backend
    case "--gil":
      options.gil = true
    case "--time-limit":
      guard let seconds = Double(value), seconds > 0, seconds <= 86_400 else {
        throw UsageError("--time-limit: '\(value)' is not a time; use seconds in 0...86400, e.g. 120")
      }
      options.timeLimitSeconds = seconds
    default:
      return false
    }
    return true
  }
}

extension RunOptions {
  /// The concurrency options a worker must be given to measure the same way.
  func concurrencyArguments() -> [String] {
    var arguments: [String] = []
    if backend != .threads { arguments += ["--backend", backend.rawValue] }
    if gil { arguments.append("--gil") }
    if timeLimitSeconds != defaultTimeLimit { arguments += ["--time-limit", String(timeLimitSeconds)] }
    return arguments
  }
}
